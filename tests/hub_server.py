"""A small Hugging Face Hub on 127.0.0.1, for tests and benchmarks that must not touch the internet.

It answers the endpoints that ``huggingface_hub`` (and so carbonlint) calls, with the headers the
real Hub sends, so that the real client runs against it unchanged (``HF_ENDPOINT=http://...``):

- ``GET /api/models``: the listing, filtered by ``author``, ``search`` and ``filter`` (tags),
  paginated through an opaque ``cursor`` and the ``Link: <...>; rel="next"`` header; ``limit`` is
  the page size (capped by ``max_page``); ``expand`` and ``cardData`` choose the fields.
- ``GET /api/models/{id}`` and ``/api/models/{id}/revision/{rev}``: one model's information.
- ``HEAD``/``GET /{id}/resolve/{rev}/README.md``: the card, with ``ETag``, ``X-Repo-Commit`` and
  ``Content-Length`` (what ``hf_hub_download`` requires), errors tagged with ``X-Error-Code``
  (``RepoNotFound``, ``GatedRepo``, ``RevisionNotFound``, ``EntryNotFound``) as the Hub tags them.

Faults are per model: a list of canned responses (status and headers) served before the real
one, a delay before answering, gating, a private repository that needs a token, a rename
(``307`` to the new name). Every request is logged with the model ids it actually delivered, so
a test can count what the client fetched. Run it standalone to poke at it with curl:
``python tests/hub_server.py``.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlencode, urlsplit

DEFAULT_FIELDS = ("id", "likes", "downloads", "pipeline_tag", "tags", "library_name", "createdAt",
                  "private", "gated")


@dataclass
class FakeModel:
    id: str
    readme: bytes | None = None  # None: the repository has no README.md
    downloads: int = 0
    likes: int = 0
    pipeline_tag: str | None = None
    tags: list[str] = field(default_factory=list)
    library_name: str | None = None
    safetensors: dict[str, Any] | None = None  # {"parameters": {"F32": n}, "total": n}
    created_at: str = "2023-01-01T00:00:00.000Z"
    card_data: dict[str, Any] | None = None  # what the listing's cardData holds
    gated: bool = False  # README needs an accepted access request: 401/403 GatedRepo
    token: str | None = None  # private: everything needs "Authorization: Bearer <token>"
    revisions: tuple[str, ...] = ("main",)
    renamed_from: str | None = None  # the old id answers with a 307 to this one
    delay: float = 0.0  # seconds before answering a README request
    # Canned answers for README requests, served (and used up) before the real one:
    # e.g. [(429, {"Retry-After": "1"})] or [(503, {})] * 9.
    readme_faults: list[tuple[int, dict[str, str]]] = field(default_factory=list)

    @property
    def commit(self) -> str:
        return hashlib.sha1(self.id.encode()).hexdigest()

    def etag(self) -> str:
        return hashlib.sha1(b"blob " + (self.readme or b"")).hexdigest()

    def entry(self, fields: tuple[str, ...], card_data: bool) -> dict[str, Any]:
        full: dict[str, Any] = {
            "_id": self.commit[:24], "id": self.id, "modelId": self.id, "likes": self.likes,
            "downloads": self.downloads, "pipeline_tag": self.pipeline_tag, "tags": self.tags,
            "library_name": self.library_name, "createdAt": self.created_at,
            "private": self.token is not None, "gated": "manual" if self.gated else False,
            "sha": self.commit, "safetensors": self.safetensors, "cardData": self.card_data,
        }
        wanted = set(fields) | ({"cardData"} if card_data else set())
        return {k: v for k, v in full.items()
                if (k in wanted or k in ("_id", "id")) and not (v is None and k != "pipeline_tag")}


@dataclass
class Served:
    """One request as the server saw it; ``models`` is what the response actually delivered."""

    method: str
    path: str
    query: dict[str, list[str]]
    status: int
    models: list[str]
    at: float
    authorization: str | None


class FakeHub:
    """The server and its state; ``with FakeHub(models) as hub:`` gives ``hub.url``."""

    def __init__(self, models: list[FakeModel], *, max_page: int = 1000, delay: float = 0.0,
                 listing_faults: dict[int, tuple[int, dict[str, str]]] | None = None) -> None:
        self.models = models
        self.by_id = {m.id: m for m in models}
        self.renamed = {m.renamed_from: m.id for m in models if m.renamed_from}
        self.max_page = max_page
        self.delay = delay  # seconds before answering any request (the benchmark's latency)
        # Canned answers for listing requests, by their number (1-based): {2: (500, {})}.
        self.listing_faults = dict(listing_faults or {})
        self.log: list[Served] = []
        self.lock = threading.Lock()
        self.block_page: int | None = None  # the n-th listing request (1-based) hangs ...
        self.release = threading.Event()  # ... until this is set
        self.listing_requests = 0
        self.page_reached = threading.Event()
        # Where the listing's Link: rel="next" points; None: this server. Another server's URL
        # plays a hostile or misconfigured Hub sending the client (and its token) elsewhere.
        self.next_base: str | None = None
        self._server: ThreadingHTTPServer | None = None

    # -- life cycle ----------------------------------------------------------------------------

    def __enter__(self) -> FakeHub:
        self.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def start(self) -> str:
        server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        server.daemon_threads = True
        server.hub = self  # type: ignore[attr-defined]
        self._server = server
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return self.url

    def stop(self) -> None:
        self.release.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    # -- what the tests read -------------------------------------------------------------------

    def served(self, kind: str) -> list[Served]:
        """Requests of one kind: "listing", "info" or "readme"."""
        with self.lock:
            entries = list(self.log)
        return [e for e in entries if _kind(e.path) == kind]

    def delivered(self, kind: str) -> list[str]:
        """Model ids delivered by successful requests of one kind, repeats included."""
        return [m for e in self.served(kind) if e.status == 200 for m in e.models]

    def record(self, entry: Served) -> None:
        with self.lock:
            self.log.append(entry)


def _kind(path: str) -> str:
    if path == "/api/models":
        return "listing"
    if path.startswith("/api/models/"):
        return "info"
    return "readme" if "/resolve/" in path else "other"


def _cursor(offset: int) -> str:
    # Opaque like the Hub's, so the client cannot do anything but follow the link.
    return base64.urlsafe_b64encode(json.dumps({"o": offset}).encode()).decode().rstrip("=")


def _offset(cursor: str) -> int:
    padded = cursor + "=" * (-len(cursor) % 4)
    return int(json.loads(base64.urlsafe_b64decode(padded))["o"])


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as huggingface_hub's pooled client expects
    # Headers and body go out in two writes; with Nagle's algorithm on, the body waits for the
    # client's delayed ACK (40 ms a response), which no real server adds.
    disable_nagle_algorithm = True
    server: Any

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet tests
        pass

    @property
    def hub(self) -> FakeHub:
        return self.server.hub

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self._dispatch(head=False)

    def do_HEAD(self) -> None:  # noqa: N802
        self._dispatch(head=True)

    # -- routing -------------------------------------------------------------------------------

    def _dispatch(self, *, head: bool) -> None:
        if self.hub.delay:
            time.sleep(self.hub.delay)
        parts = urlsplit(self.path)
        path, query = unquote(parts.path), parse_qs(parts.query)
        self._query = query
        try:
            if path == "/api/models":
                self._listing(query, head)
            elif path.startswith("/api/models/"):
                self._info(path[len("/api/models/"):], query, head)
            elif "/resolve/" in path:
                self._resolve(path, head)
            else:
                self._send(404, b"Not Found", {"Content-Type": "text/plain"}, head)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout); nothing to answer

    def _authorized(self, model: FakeModel) -> bool:
        return model.token is None or self.headers.get("Authorization") == f"Bearer {model.token}"

    def _visible(self, model_id: str) -> FakeModel | None:
        model = self.hub.by_id.get(model_id)
        return model if model is not None and self._authorized(model) else None

    def _listing(self, query: dict[str, list[str]], head: bool) -> None:
        hub = self.hub
        with hub.lock:
            hub.listing_requests += 1
            number = hub.listing_requests
            fault = hub.listing_faults.get(number)
        if fault is not None:
            self._error(fault[0], "Fault", "injected", head, dict(fault[1]))
            return
        if hub.block_page is not None and number == hub.block_page:
            hub.page_reached.set()
            hub.release.wait(60)
            return  # never answered: the client is killed meanwhile
        models = [m for m in hub.models if self._authorized(m)]
        if author := (query.get("author") or [None])[0]:
            models = [m for m in models if m.id.split("/")[0] == author]
        if search := (query.get("search") or [None])[0]:
            models = [m for m in models if search.lower() in m.id.lower()]
        for tag in query.get("filter", []) + query.get("filter[]", []):
            models = [m for m in models if tag in m.tags]
        size = min(int((query.get("limit") or [hub.max_page])[0]), hub.max_page)
        offset = _offset(query["cursor"][0]) if "cursor" in query else 0
        page = models[offset:offset + size]
        fields = tuple(query.get("expand", []) + query.get("expand[]", [])) or DEFAULT_FIELDS
        card_data = (query.get("cardData") or ["false"])[0].lower() == "true"
        body = json.dumps([m.entry(fields, card_data) for m in page]).encode()
        headers = {"Content-Type": "application/json; charset=utf-8"}
        if offset + size < len(models):
            following = {k: v for k, v in query.items() if k != "cursor"}
            following["cursor"] = [_cursor(offset + size)]
            base = hub.next_base or hub.url
            headers["Link"] = f'<{base}/api/models?{urlencode(following, doseq=True)}>; rel="next"'
        self._send(200, body, headers, head, [m.id for m in page])

    def _info(self, rest: str, query: dict[str, list[str]], head: bool) -> None:
        model_id, _, revision = rest.partition("/revision/")
        if model_id in self.hub.renamed:
            target = f"/api/models/{self.hub.renamed[model_id]}"
            target += f"/revision/{revision}" if revision else ""
            self._redirect(target + (f"?{urlencode(query, doseq=True)}" if query else ""), head)
            return
        model = self._visible(model_id)
        if model is None:
            self._error(401 if model_id in self.hub.by_id else 404, "RepoNotFound",
                        "Repository not found", head)
            return
        if revision and unquote(revision) not in model.revisions:
            self._error(404, "RevisionNotFound", f"Invalid rev id: {revision}", head)
            return
        fields = tuple(query.get("expand", []) + query.get("expand[]", [])) or (
            *DEFAULT_FIELDS, "safetensors", "cardData", "sha")
        body = json.dumps(model.entry(fields, False)).encode()
        self._send(200, body, {"Content-Type": "application/json; charset=utf-8"}, head, [model.id])

    def _resolve(self, path: str, head: bool) -> None:
        repo, _, rest = path.lstrip("/").partition("/resolve/")
        revision, _, filename = rest.partition("/")
        if repo in self.hub.renamed:
            # A renamed repository: the Hub answers the old name with a relative redirect.
            self._redirect(f"/{self.hub.renamed[repo]}/resolve/{quote(revision, safe='')}/{filename}", head)
            return
        model = self._visible(repo)
        if model is None:
            self._error(401 if repo in self.hub.by_id else 404, "RepoNotFound", "Repository not found",
                        head)
            return
        if model.delay:
            time.sleep(model.delay)
        with self.hub.lock:
            fault = model.readme_faults.pop(0) if model.readme_faults else None
        if fault is not None:
            self._error(fault[0], "Fault", "injected", head, dict(fault[1]))
            return
        if model.gated:
            status = 403 if self.headers.get("Authorization") else 401
            self._error(status, "GatedRepo", f"Access to model {model.id} is restricted. You must "
                        "have access to it and be authenticated to access it. Please log in.", head)
            return
        if revision not in model.revisions and revision != model.commit:
            self._error(404, "RevisionNotFound", f"Invalid rev id: {revision}", head)
            return
        if filename != "README.md" or model.readme is None:
            self._error(404, "EntryNotFound", f"{filename} does not exist on \"{revision}\"", head,
                        {"X-Repo-Commit": model.commit})
            return
        headers = {
            "Content-Type": "text/plain; charset=utf-8",
            "ETag": f'"{model.etag()}"',
            "X-Repo-Commit": model.commit,
            "Accept-Ranges": "bytes",
        }
        self._send(200, model.readme, headers, head, [model.id])

    # -- answers -------------------------------------------------------------------------------

    def _error(self, status: int, code: str, message: str, head: bool,
               extra: dict[str, str] | None = None) -> None:
        headers = {"Content-Type": "application/json; charset=utf-8", "X-Error-Code": code,
                   "X-Error-Message": message, **(extra or {})}
        self._send(status, json.dumps({"error": message}).encode(), headers, head)

    def _redirect(self, location: str, head: bool) -> None:
        self._send(307, b"", {"Location": location}, head)

    def _send(self, status: int, body: bytes, headers: dict[str, str], head: bool,
              models: list[str] | None = None) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)
        self.wfile.flush()
        self.hub.record(Served(
            method=self.command, path=unquote(urlsplit(self.path).path), query=self._query,
            status=status, models=models if status == 200 and not head else [],
            at=time.monotonic(), authorization=self.headers.get("Authorization"),
        ))


def sample_models(count: int, author: str = "acme") -> list[FakeModel]:
    """``count`` plausible models with emissions, for benchmarks and listing tests."""
    models = []
    for index in range(count):
        emissions = round(0.5 + (index * 37 % 1000) / 7, 3)
        parameters = 1_000_000 * (1 + index % 50)
        readme = (
            "---\n"
            "license: apache-2.0\n"
            "pipeline_tag: text-classification\n"
            "tags:\n- autotrain\n"
            "co2_eq_emissions:\n"
            f"  emissions: {emissions}\n"
            "  source: AutoTrain\n"
            "  training_type: fine-tuning\n"
            "  geographical_location: Virginia, USA\n"
            "  hardware_used: 1 x NVIDIA T4\n"
            "---\n"
            f"# Model {index}\n\nTrained with AutoTrain.\n\n"
            f"- CO2 Emissions (in grams): {emissions}\n"
        ).encode()
        models.append(FakeModel(
            id=f"{author}/model-{index:05d}", readme=readme, downloads=index * 3,
            pipeline_tag="text-classification", tags=["autotrain", "co2_eq_emissions"],
            library_name="transformers",
            safetensors={"parameters": {"F32": parameters}, "total": parameters},
            card_data={"co2_eq_emissions": {"emissions": emissions, "training_type": "fine-tuning"}},
        ))
    return models


if __name__ == "__main__":  # pragma: no cover - a manual aid
    with FakeHub(sample_models(25), max_page=10) as running:
        print(f"HF_ENDPOINT={running.url}  (Ctrl-C to stop)")
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()
