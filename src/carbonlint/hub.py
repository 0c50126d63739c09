"""Model cards and emission reports straight from the Hugging Face Hub.

Two users: ``carbonlint hub`` lints remote cards, ``carbonlint baselines build --from-hub`` mines
the models that report emissions. Both talk to the Hub through huggingface_hub's own HTTP layer:
its shared session (offline mode, request ids, connection pool), its headers (``HF_TOKEN`` or the
saved token, a user agent), its URL builder and its error types (``GatedRepoError``,
``RepositoryNotFoundError``...). Three things are carbonlint's own, each for a reason:

- the listing pager: ``HfApi.list_models`` sends no timeout and does not expose the page cursor
  (huggingface_hub issues 2741 and 4257), and a resumable mining run needs the cursor;
- retries: huggingface_hub's backoff sleeps whatever ``Retry-After`` says; here the total wait of
  one request is capped, and a 429 pauses every worker, not just the one that met it;
- the card download: one GET of ``/{id}/resolve/{rev}/README.md`` instead of ``hf_hub_download``'s
  HEAD then GET into the disk cache: half the requests, and linting 10,000 cards leaves no
  10,000 files in ``~/.cache/huggingface``.

Nothing reads ``HF_ENDPOINT`` at import time: the endpoint is looked up when a client is made.
Only the commands that need the network import this module (``carbonlint check`` never does).
"""

from __future__ import annotations

import dataclasses
import email.utils
import functools
import itertools
import json
import os
import random
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from huggingface_hub import HfApi, ModelInfo, constants, hf_hub_url
from huggingface_hub.errors import (
    DisabledRepoError,
    GatedRepoError,
    HfHubHTTPError,
    HFValidationError,
    OfflineModeIsEnabled,
    RemoteEntryNotFoundError,
    RepositoryNotFoundError,
    RevisionNotFoundError,
)
from huggingface_hub.utils import build_hf_headers, get_session, hf_raise_for_status

try:  # huggingface_hub 2 ships its HTTP library as httpx2; 1.x used httpx itself
    import httpx2 as httpx
except ImportError:  # pragma: no cover - depends on the installed huggingface_hub
    import httpx  # type: ignore[no-redef]

from carbonlint import __version__
from carbonlint.baselines import ModelRecord, normalise_domain, normalise_training_type
from carbonlint.findings import CardReport

T = TypeVar("T")
R = TypeVar("R")

DEFAULT_TIMEOUT = 10.0  # seconds for one request
PAGE_SIZE = 1000  # the largest page the Hub's listing serves
MAX_CARD_BYTES = 16 * 1024 * 1024  # far beyond any real card; stops a hostile one from eating memory
RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
# What ``hub`` asks the listing (and model info) for: the efficiency label's Hub-only inputs.
HUB_EXPAND = ("downloads", "tags", "pipeline_tag", "library_name", "safetensors", "createdAt")
# What a baseline needs: the card's metadata too (co2_eq_emissions, model-index).
BASELINE_EXPAND = ("cardData", *HUB_EXPAND)
EMISSIONS_TAG = "co2_eq_emissions"  # the Hub tags every model whose card metadata has the key

# Bits per parameter of the safetensors dtypes the Hub counts (its "parameters" by dtype).
DTYPE_BITS: dict[str, int] = {
    **dict.fromkeys(("F64", "I64", "U64", "C64"), 64),
    **dict.fromkeys(("F32", "I32", "U32"), 32),
    **dict.fromkeys(("F16", "BF16", "I16", "U16"), 16),
    **dict.fromkeys(("F8_E4M3", "F8_E5M2", "F8_E8M0", "I8", "U8", "BOOL"), 8),
    **dict.fromkeys(("F6_E2M3", "F6_E3M2"), 6),
    **dict.fromkeys(("F4", "I4", "U4"), 4),
}


def hub_endpoint() -> str:
    """The Hub to talk to: ``HF_ENDPOINT`` as the environment says now, else huggingface_hub's."""
    return (os.environ.get("HF_ENDPOINT") or constants.ENDPOINT).rstrip("/")


# -- what the Hub knows about a model ------------------------------------------------------------


class HubInfo(NamedTuple):
    """What only the Hub knows about a model; ``judge`` reads it from ``Card.hub_info``."""

    model_id: str
    downloads: int | None = None  # last 30 days
    size_bytes: float | None = None  # the weights, from the safetensors parameter counts
    pipeline_tag: str | None = None  # the card's, or what the Hub inferred from the library
    tags: tuple[str, ...] = ()
    library_name: str | None = None
    created_at: str | None = None  # YYYY-MM-DD


def weights_bytes(parameters: Mapping[str, Any] | None) -> float | None:
    """Size of the weights from parameter counts per dtype; None when a dtype is unknown."""
    if not parameters:
        return None
    bits = 0
    for dtype, count in parameters.items():
        width = DTYPE_BITS.get(str(dtype).upper())
        if width is None or not isinstance(count, int) or isinstance(count, bool) or count < 0:
            return None  # a guess would bias the size bucket; unknown is honest
        bits += width * count
    return bits / 8 or None


def hub_info_from(model: ModelInfo) -> HubInfo:
    safetensors = getattr(model, "safetensors", None)
    created = getattr(model, "created_at", None)
    downloads = getattr(model, "downloads", None)
    return HubInfo(
        model_id=model.id,
        downloads=downloads if isinstance(downloads, int) and not isinstance(downloads, bool) else None,
        size_bytes=weights_bytes(getattr(safetensors, "parameters", None)),
        pipeline_tag=model.pipeline_tag if isinstance(model.pipeline_tag, str) else None,
        tags=tuple(t for t in (model.tags or ()) if isinstance(t, str)),
        library_name=model.library_name if isinstance(model.library_name, str) else None,
        created_at=created.date().isoformat() if created is not None else None,
    )


def model_from_item(item: Any) -> ModelInfo | None:
    """huggingface_hub's ModelInfo for one listing entry, or None when the entry is malformed.

    cardData is left out: ModelInfo would turn it into a ModelCardData, which drops a
    model-index it finds invalid (and logs a warning for each); readers take it raw instead.
    """
    if not isinstance(item, dict) or not isinstance(item.get("id"), str):
        return None
    try:
        return ModelInfo(**{k: v for k, v in item.items() if k not in ("cardData", "card_data")})
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


# -- retries -------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class RetryPolicy:
    timeout: float = DEFAULT_TIMEOUT  # seconds for one request
    attempts: int = 4  # tries of one request, the first included
    # Seconds one request may spend waiting to be retried, in all. The Hub counts its rate
    # limits over five-minute windows, so a 429 asks for at most about 300 s: a long run sits
    # out one window and goes on. A server asking for more is not coming back soon.
    max_wait: float = 330.0
    base_delay: float = 1.0  # the first backoff without Retry-After; doubles each time
    # A listing page is worth waiting for; a card that timed out is reported (the user set
    # --timeout) rather than tried again at the cost of another full timeout.
    retry_timeouts: bool = False


class HubFailure(Exception):
    """The Hub would not give us something; the message is what the report says."""


class Throttle:
    """One pause shared by every worker: a 429 tells the client to slow down, not one request."""

    def __init__(self, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep,
                 on_pause: Callable[[float], None] | None = None) -> None:
        self._clock = clock
        self._sleep = sleep
        self._on_pause = on_pause  # told of each new pause of 5 s or more
        self._lock = threading.Lock()
        self._until = 0.0

    def pause(self, seconds: float) -> None:
        with self._lock:
            now = self._clock()
            longer = now + seconds > self._until + 5 and seconds >= 5
            self._until = max(self._until, now + seconds)
        if longer and self._on_pause is not None:
            self._on_pause(seconds)

    def wait(self) -> float:
        """Sleep out the current pause; returns the seconds slept."""
        with self._lock:
            delay = self._until - self._clock()
        if delay <= 0:
            return 0.0
        self._sleep(delay)
        return delay


def retry_after(headers: Mapping[str, str], now: float | None = None) -> float | None:
    """Seconds the server asks us to wait: ``Retry-After`` (seconds or an HTTP date), else the
    ``RateLimit`` header's reset when no request is left (``"api";r=0;t=55``)."""
    value = headers.get("Retry-After")
    if value is not None:
        value = value.strip()
        if value.isdigit():
            return float(value)
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            when = None
        if when is not None:
            return max(0.0, when.timestamp() - (time.time() if now is None else now))
    limit = headers.get("RateLimit")
    if limit and ";r=0;" in limit.replace(" ", ""):
        reset = limit.replace(" ", "").rsplit(";t=", 1)[-1]
        if reset.isdigit():
            return float(reset)
    return None


def _status(exc: BaseException) -> int | None:
    response = getattr(exc, "response", None)
    return getattr(response, "status_code", None)


def _retry_delay(exc: BaseException, attempt: int, policy: RetryPolicy) -> float | None:
    """How long to wait before trying again, or None when trying again cannot help."""
    backoff = policy.base_delay * 2 ** (attempt - 1) * random.uniform(0.8, 1.0)  # noqa: S311
    if isinstance(exc, HfHubHTTPError):
        if _status(exc) not in RETRY_STATUS:
            return None
        asked = retry_after(exc.response.headers) if exc.response is not None else None
        return asked if asked is not None else backoff
    if isinstance(exc, httpx.TimeoutException):
        return backoff if policy.retry_timeouts else None
    if isinstance(exc, httpx.TransportError) and not isinstance(exc, OfflineModeIsEnabled):
        return backoff  # a reset or refused connection: worth another try
    return None


def with_retries(call: Callable[[], T], policy: RetryPolicy, throttle: Throttle,
                 sleep: Callable[[float], None] = time.sleep) -> T:
    """``call()``, tried again on 429, 5xx and dropped connections, honouring Retry-After.

    One request never waits more than ``policy.max_wait`` seconds in all: a Retry-After beyond
    what is left of it fails at once, since waiting less than asked would only earn another 429.
    """
    waited = 0.0
    for attempt in itertools.count(1):
        waited += throttle.wait()
        try:
            return call()
        except Exception as exc:
            delay = _retry_delay(exc, attempt, policy)
            if delay is None:
                raise
            status = _status(exc) if isinstance(exc, HfHubHTTPError) else None
            what = (f"HTTP {status} from the Hub" if status
                    else f"cannot reach the Hub ({type(exc).__name__}: {exc})")
            if attempt >= policy.attempts:
                raise HubFailure(f"{what}, {attempt} times in a row") from exc
            if waited + delay > policy.max_wait:
                raise HubFailure(
                    f"{what}: it asks to wait {delay:,.0f} s, beyond the {policy.max_wait:,.0f} s "
                    "carbonlint waits for one request; try again later") from exc
            if status == 429:
                throttle.pause(delay)  # every worker holds back; counted by throttle.wait()
            else:
                sleep(delay)
                waited += delay
    raise AssertionError("unreachable")  # pragma: no cover


# -- the client ----------------------------------------------------------------------------------


class Page(NamedTuple):
    url: str  # the URL this page was fetched from (resuming in its middle fetches it again)
    items: list[Any]
    next_url: str | None


class HubClient:
    """The Hub, as carbonlint uses it: listing pages, model information, README files."""

    def __init__(self, *, timeout: float = DEFAULT_TIMEOUT, endpoint: str | None = None,
                 policy: RetryPolicy | None = None,
                 on_pause: Callable[[float], None] | None = None) -> None:
        self.endpoint = (endpoint or hub_endpoint()).rstrip("/")
        self.policy = policy or RetryPolicy(timeout=timeout)
        self.listing_policy = dataclasses.replace(self.policy, retry_timeouts=True)
        # Set when the run ends early (Ctrl-C, a closed pipe): workers asleep before a retry
        # wake up and give up instead of keeping the process alive for minutes.
        self._stopped = threading.Event()
        self.throttle = Throttle(sleep=self._sleep, on_pause=on_pause)
        # Built once: the token is read from HF_TOKEN (or the saved login) a single time.
        self.headers = build_hf_headers(library_name="carbonlint", library_version=__version__)

    def pages(self, params: Mapping[str, Any], start_url: str | None = None) -> Iterator[Page]:
        """The model listing page by page, following ``Link: <...>; rel="next"``.

        ``start_url`` resumes at a page (a cursor URL saved earlier); it carries its own query.
        """
        url: str | None = start_url or f"{self.endpoint}/api/models"
        query: Mapping[str, Any] | None = None if start_url else params
        while url is not None:
            response = with_retries(functools.partial(self._get, url, params=query),
                                    self.listing_policy, self.throttle, self._sleep)
            try:
                items = response.json()
            except ValueError:
                items = None
            if not isinstance(items, list):
                raise HubFailure("the Hub's listing did not answer with a JSON list")
            following = response.links.get("next", {}).get("url")
            yield Page(str(response.request.url), items, following)
            url, query = following, None

    def model_info(self, model_id: str, revision: str | None) -> HubInfo:
        api = HfApi(endpoint=self.endpoint, library_name="carbonlint", library_version=__version__)
        try:
            expand: Any = list(HUB_EXPAND)  # huggingface_hub types it as a Literal list
            model = with_retries(
                lambda: api.model_info(model_id, revision=revision, expand=expand,
                                       timeout=self.policy.timeout),
                self.policy, self.throttle, self._sleep)
        except json.JSONDecodeError:
            raise HubFailure("the Hub's model information is not JSON") from None
        return hub_info_from(model)

    def readme(self, model_id: str, revision: str | None) -> bytes:
        url = hf_hub_url(model_id, "README.md", revision=revision, endpoint=self.endpoint)
        return with_retries(lambda: self._download(url), self.policy, self.throttle, self._sleep)

    def stop(self) -> None:
        self._stopped.set()

    def _sleep(self, seconds: float) -> None:
        if self._stopped.wait(seconds):
            raise HubFailure("cancelled")

    def _get(self, url: str, params: Mapping[str, Any] | None = None) -> Any:
        response = get_session().get(url, params=params, headers=self.headers,
                                     timeout=self.policy.timeout)
        hf_raise_for_status(response)
        return response

    def _download(self, url: str) -> bytes:
        deadline = time.monotonic() + self.policy.timeout
        with get_session().stream("GET", url, headers=self.headers,
                                  timeout=self.policy.timeout) as response:
            hf_raise_for_status(response)
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > MAX_CARD_BYTES:
                    raise HubFailure(f"README.md is larger than {MAX_CARD_BYTES // 2**20} MB; "
                                     "not a model card carbonlint will read")
                if time.monotonic() > deadline:
                    # httpx's read timeout is per chunk; a trickle must not outlive --timeout.
                    raise httpx.ReadTimeout("the card arrived too slowly", request=response.request)
                chunks.append(chunk)
            return b"".join(chunks)

    def describe(self, exc: BaseException, model_id: str, revision: str | None) -> str:
        """One line for a report's ``error``: what went wrong and what to do about it."""
        rev = revision or constants.DEFAULT_REVISION
        status = _status(exc)
        if isinstance(exc, HubFailure):
            return str(exc)
        if isinstance(exc, GatedRepoError):
            return (f"gated model (HTTP {status}): request access on {self.endpoint}/{model_id}, "
                    "then set HF_TOKEN to a token of that account")
        if isinstance(exc, RevisionNotFoundError):
            return f"revision {rev!r} not found (HTTP {status})"
        if isinstance(exc, RemoteEntryNotFoundError):
            return f"no README.md at revision {rev!r} (HTTP {status})"
        if isinstance(exc, DisabledRepoError):
            return f"the repository is disabled on the Hub (HTTP {status})"
        if isinstance(exc, RepositoryNotFoundError):
            if status == 401:
                return ("model not found, or private (HTTP 401): set HF_TOKEN to a token that "
                        "can read it")
            return f"model not found on the Hub (HTTP {status})"
        if isinstance(exc, HfHubHTTPError):
            detail = (getattr(exc, "server_message", None) or "").strip().splitlines()
            return f"HTTP {status} from the Hub" + (f": {detail[0]}" if detail else "")
        if isinstance(exc, HFValidationError):
            return f"not a valid model id: {str(exc).splitlines()[0]}"
        if isinstance(exc, OfflineModeIsEnabled):
            return "HF_HUB_OFFLINE is set, and carbonlint hub needs the network"
        if isinstance(exc, httpx.TimeoutException):
            return f"timed out: no complete answer within {self.policy.timeout:g} s (--timeout)"
        if isinstance(exc, httpx.HTTPError):
            return f"cannot reach {self.endpoint}: {exc}"
        raise exc  # a bug, not the Hub: let the CLI report an internal error


# -- order-keeping concurrency -------------------------------------------------------------------


def ordered_map(function: Callable[[T], R], items: Iterable[T], *, workers: int,
                window: int | None = None) -> Iterator[R]:
    """``map(function, items)`` on a thread pool: results in the items' order, streamed.

    At most ``window`` items are in flight or finished but not yet taken, so memory stays flat
    however long ``items`` is, and ``items`` itself (a paginated listing) is read lazily.
    """
    window = max(window or workers * 4, workers)
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="carbonlint-hub")
    pending: deque[Future[R]] = deque()
    try:
        for item in items:
            pending.append(pool.submit(function, item))
            while len(pending) >= window or (pending and pending[0].done()):
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


# -- linting -------------------------------------------------------------------------------------


class ListingQuery(NamedTuple):
    author: str | None = None
    search: str | None = None
    filters: tuple[str, ...] = ()
    limit: int | None = None

    def wanted(self) -> bool:
        return bool(self.author or self.search or self.filters)

    def params(self, expand: Sequence[str]) -> dict[str, Any]:
        params: dict[str, Any] = {"expand": list(expand),
                                  "limit": min(self.limit or PAGE_SIZE, PAGE_SIZE)}
        if self.author:
            params["author"] = self.author
        if self.search:
            params["search"] = self.search
        if self.filters:
            params["filter"] = list(self.filters)
        return params

    def label(self) -> str:
        """The listing as a report path, for the report of a listing that failed."""
        parts = [f"author={self.author}"] if self.author else []
        parts += [f"search={self.search}"] if self.search else []
        parts += [f"filter={tag}" for tag in self.filters]
        return "hf://?" + "&".join(parts)


class Target(NamedTuple):
    model_id: str  # as the user or the listing gave it; the report's path is hf://model_id
    info: HubInfo | None = None  # from the listing; None: ask the Hub
    failure: str | None = None  # set on the entry that stands for a listing that failed


class Fetched(NamedTuple):
    path: str
    info: HubInfo | None
    raw: bytes | None
    error: str | None


def listed_targets(client: HubClient, query: ListingQuery) -> Iterator[Target]:
    """The models the listing gives, up to ``query.limit``; a failure ends it with one entry."""
    count = 0
    try:
        for page in client.pages(query.params(HUB_EXPAND)):
            for item in page.items:
                if query.limit is not None and count >= query.limit:
                    return
                model = model_from_item(item)
                if model is not None:
                    count += 1
                    yield Target(model.id, hub_info_from(model))
                elif isinstance(item, dict) and isinstance(item.get("id"), str):
                    count += 1
                    yield Target(item["id"])  # odd fields: ask the Hub for this one again
    except Exception as exc:  # noqa: BLE001 - describe() re-raises what is not the Hub's doing
        reason = client.describe(exc, "", None)
        yield Target(query.label(), failure=f"the listing stopped after {count:,} models: {reason}")


def fetch(client: HubClient, target: Target, revision: str | None) -> Fetched:
    """Runs on a worker: the model's information (unless listed) and its README, or why not."""
    path = target.model_id if target.failure else f"hf://{target.model_id}"
    if target.failure:
        return Fetched(path, None, None, target.failure)
    info = target.info
    try:
        if info is None:
            info = client.model_info(target.model_id, revision)
        return Fetched(path, info, client.readme(target.model_id, revision), None)
    except Exception as exc:  # noqa: BLE001 - describe() re-raises what is not the Hub's doing
        return Fetched(path, info, None, client.describe(exc, target.model_id, revision))


def lint(fetched: Fetched, config: Any, enabled: frozenset[str]) -> CardReport:
    """Runs on the main thread (the checks share caches): the card, linted as ``check`` does."""
    from carbonlint.card import parse_bytes
    from carbonlint.checker import check_card

    if fetched.error is not None or fetched.raw is None:
        return CardReport(path=fetched.path, error=fetched.error or "no card",
                          reporting_reason="the card could not be fetched")
    card = parse_bytes(fetched.raw, fetched.path)
    card.hub_info = fetched.info
    return check_card(card, config, enabled)


def hub_reports(client: HubClient, *, model_ids: Sequence[str], query: ListingQuery,
                revision: str | None, workers: int, config: Any) -> Iterator[CardReport]:
    """A report per model: those named first, then the listing's, in that order."""
    from carbonlint.checker import enabled_codes

    enabled = enabled_codes(config)
    named = [Target(m.removeprefix("hf://").strip("/")) for m in dict.fromkeys(model_ids)]
    targets: Iterable[Target] = named
    if query.wanted():
        targets = itertools.chain(named, listed_targets(client, query))
    try:
        for fetched in ordered_map(lambda t: fetch(client, t, revision), targets, workers=workers):
            yield lint(fetched, config, enabled)
    finally:
        client.stop()


# -- baselines from the Hub ----------------------------------------------------------------------


def record_from(item: Any) -> ModelRecord | str:
    """A baseline record from a listing entry with cardData, or the reason there is none."""
    from carbonlint.grade import understood_grams
    from carbonlint.judge import performance_metrics

    model = model_from_item(item)
    if model is None:
        return "malformed listing entry"
    card = item.get("cardData")
    card = card if isinstance(card, dict) else {}
    co2 = card.get("co2_eq_emissions")
    if co2 is None:
        return "no co2_eq_emissions in the card data"
    grams = understood_grams(co2)
    if grams is None:
        return "emissions not understood"
    hub = hub_info_from(model)
    kind = co2.get("training_type") if isinstance(co2, dict) else None
    domain = normalise_domain(hub.pipeline_tag)
    if domain is None and hub.library_name == "joblib":
        domain = "tabular"  # AutoTrain's tabular models: no task tag, scikit-learn weights
    return ModelRecord(
        model_id=model.id,
        emissions_g=grams,
        domain=domain,
        training_type=normalise_training_type(kind) if isinstance(kind, str) else None,
        autotrain=("autotrain" in {t.lower() for t in hub.tags}) if model.tags is not None else None,
        size_bytes=hub.size_bytes,
        downloads=hub.downloads,
        performance=performance_metrics(card) or None,
        created_at=hub.created_at,
    )


class CheckpointError(Exception):
    """The checkpoint belongs to another run (another Hub or query) or cannot be used."""


@dataclasses.dataclass
class Mining:
    """A mining run's state: everything the checkpoint holds."""

    endpoint: str
    started: str  # ISO time of the run's first page (a resumed run keeps it)
    records: list[ModelRecord] = dataclasses.field(default_factory=list)
    rejected: Counter[str] = dataclasses.field(default_factory=Counter)
    seen: set[str] = dataclasses.field(default_factory=set)
    next_url: str | None = None  # the page to fetch next; None with done=False: the first one
    skip: int = 0  # models of that page already recorded
    done: bool = False  # the listing reached its end
    pages: int = 0  # listing pages committed

    @property
    def listed(self) -> int:
        return len(self.seen)

    def source(self) -> dict[str, Any]:
        """The baseline's ``source``: where and when, and how many."""
        return {
            "kind": "hub",
            "endpoint": self.endpoint,
            "filter": EMISSIONS_TAG,
            "date": self.started[:10],
            "started": self.started,
            "finished": _now(),
            "complete": self.done,
            "models_listed": self.listed,
            "models_with_emissions": len(self.records),
            "pages": self.pages,
        }


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


class Checkpoint:
    """JSON lines: a header, then per page the models seen and a line that closes the page.

    A page is committed by its closing line, written and synced after its models; lines after
    the last closing line (a run killed mid-page) are cut off on resume, and that page is
    fetched again from its saved URL. So no committed model is ever listed twice.
    """

    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self, endpoint: str) -> Mining:
        if not self.path.exists() or self.path.stat().st_size == 0:
            mining = Mining(endpoint=endpoint, started=_now())
            self._append([{"checkpoint": 1, "endpoint": endpoint, "filter": EMISSIONS_TAG,
                           "started": mining.started}], truncate=True)
            return mining
        with self.path.open("rb") as handle:
            lines = handle.read().split(b"\n")
        try:
            header = json.loads(lines[0])
        except (json.JSONDecodeError, UnicodeDecodeError):
            header = None
        if not isinstance(header, dict) or header.get("checkpoint") != 1:
            raise CheckpointError(f"{self.path} is not a carbonlint checkpoint")
        if header.get("endpoint") != endpoint or header.get("filter") != EMISSIONS_TAG:
            raise CheckpointError(f"{self.path} was made against {header.get('endpoint')}, not "
                                  f"{endpoint}; delete it or give another --checkpoint")
        mining = Mining(endpoint=endpoint, started=str(header.get("started") or _now()))
        committed = len(lines[0]) + 1
        offset = committed
        page: list[dict[str, Any]] = []
        for number, line in enumerate(lines[1:], start=2):
            offset += len(line) + 1
            try:
                entry = json.loads(line)
            except (json.JSONDecodeError, UnicodeDecodeError):
                break  # a line cut short by a kill: nothing after it counts
            if not isinstance(entry, dict):
                break
            if "page" not in entry:
                page.append(entry)
                continue
            try:
                self._commit(mining, page, entry)
            except (KeyError, TypeError, ValueError):
                raise CheckpointError(f"{self.path}, page ending on line {number}: not what "
                                      "carbonlint writes; delete the file to start over") from None
            page, committed = [], offset
        with self.path.open("r+b") as handle:  # drop the uncommitted tail
            handle.truncate(min(committed, self.path.stat().st_size))
        return mining

    @staticmethod
    def _commit(mining: Mining, page: list[dict[str, Any]], closing: dict[str, Any]) -> None:
        for entry in page:
            if entry.get("id"):
                mining.seen.add(entry["id"])
            if entry.get("record") is not None:
                mining.records.append(ModelRecord(**entry["record"]))
            else:
                mining.rejected[str(entry.get("rejected"))] += 1
        mining.pages += 1
        mining.next_url = closing.get("next")
        mining.skip = int(closing.get("skip") or 0)
        mining.done = bool(closing.get("done"))

    def commit_page(self, number: int, outcomes: list[tuple[str, ModelRecord | str]],
                    next_url: str | None, skip: int, done: bool) -> None:
        entries: list[dict[str, Any]] = [
            {"id": model_id, "record": outcome._asdict()}
            if isinstance(outcome, ModelRecord) else {"id": model_id, "rejected": outcome}
            for model_id, outcome in outcomes
        ]
        entries.append({"page": number, "next": next_url, "skip": skip, "done": done})
        self._append(entries)

    def _append(self, entries: list[dict[str, Any]], truncate: bool = False) -> None:
        text = "".join(json.dumps(e, ensure_ascii=False, sort_keys=True) + "\n" for e in entries)
        with self.path.open("w" if truncate else "a", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())


def _with_query(url: str, **values: Any) -> str:
    """``url`` with some query parameters set; the others, repeated ones included, kept."""
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in values]
    query += [(k, str(v)) for k, v in values.items()]
    return urlunsplit(parts._replace(query=urlencode(query)))


def mine(client: HubClient, *, limit: int | None = None, checkpoint: Checkpoint | None = None,
         progress: Callable[[int], None] = lambda n: None) -> Mining:
    """List the models that report emissions, page by page, into baseline records.

    ``limit`` counts every model seen, those of a resumed checkpoint included. Everything comes
    from the listing (cardData holds co2_eq_emissions): one request per page, none per model.
    """
    mining = checkpoint.load(client.endpoint) if checkpoint else Mining(client.endpoint, _now())
    progress(mining.listed)
    if mining.done or (limit is not None and mining.listed >= limit):
        return mining
    page_size = PAGE_SIZE if limit is None else max(1, min(PAGE_SIZE, limit - mining.listed))
    params = {"filter": EMISSIONS_TAG, "expand": list(BASELINE_EXPAND), "limit": page_size}
    # A saved page URL keeps the page size of the run that saved it (a --limit 10 run's pages
    # hold 10); the cursor fixes where a page starts, so the size can be set afresh.
    start = _with_query(mining.next_url, limit=page_size) if mining.next_url else None
    skip = mining.skip
    for page in client.pages(params, start_url=start):
        outcomes: list[tuple[str, ModelRecord | str]] = []
        taken = skip
        for item in page.items[skip:]:
            if limit is not None and mining.listed >= limit:
                break
            taken += 1
            model_id = item.get("id") if isinstance(item, dict) else None
            if not isinstance(model_id, str):
                mining.rejected["malformed listing entry"] += 1
                outcomes.append(("", "malformed listing entry"))
                continue
            if model_id in mining.seen:
                continue  # the listing shifted between runs; the first sighting counts
            outcome = record_from(item)
            mining.seen.add(model_id)
            if isinstance(outcome, ModelRecord):
                mining.records.append(outcome)
            else:
                mining.rejected[outcome] += 1
            outcomes.append((model_id, outcome))
        mining.pages += 1
        finished_page = taken >= len(page.items)
        mining.next_url, mining.skip = (page.next_url, 0) if finished_page else (page.url, taken)
        mining.done = finished_page and page.next_url is None
        if checkpoint:
            checkpoint.commit_page(mining.pages, outcomes, mining.next_url, mining.skip, mining.done)
        progress(len(outcomes))
        skip = 0
        if mining.done or not finished_page or (limit is not None and mining.listed >= limit):
            break  # asking for one more page would list models this run will not take
    return mining
