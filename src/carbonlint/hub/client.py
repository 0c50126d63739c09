"""The HTTP client: listing pages, model information, README files, errors in words.

It talks to the Hub through huggingface_hub's own HTTP layer: its shared session (offline mode,
request ids, connection pool), its headers (``HF_TOKEN`` or the saved token, a user agent), its
URL builder and its error types. Two things are carbonlint's own, each for a reason:

- the listing pager: ``HfApi.list_models`` sends no timeout and does not expose the page cursor
  (huggingface_hub issues 2741 and 4257), and a resumable mining run needs the cursor;
- the card download: one GET of ``/{id}/resolve/{rev}/README.md`` instead of ``hf_hub_download``'s
  HEAD then GET into the disk cache: half the requests, and linting 10,000 cards leaves no
  10,000 files in ``~/.cache/huggingface``.

Every request with the token goes to the configured endpoint only (:mod:`.endpoint`).
"""

from __future__ import annotations

import dataclasses
import functools
import json
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from huggingface_hub import HfApi, constants, hf_hub_url
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

from carbonlint import __version__
from carbonlint.hub.endpoint import describe_origin, hub_endpoint, same_origin
from carbonlint.hub.info import HubInfo, hub_info_from
from carbonlint.hub.retry import (
    DEFAULT_TIMEOUT,
    HubFailure,
    RetryPolicy,
    Throttle,
    _status,
    httpx,
    with_retries,
)
from carbonlint.record import Record

PAGE_SIZE = 1000  # the largest page the Hub's listing serves
MAX_CARD_BYTES = 16 * 1024 * 1024  # far beyond any real card; stops a hostile one from eating memory
# What ``hub`` asks the listing (and model info) for: the efficiency label's Hub-only inputs.
HUB_EXPAND = ("downloads", "tags", "pipeline_tag", "library_name", "safetensors", "createdAt")


class Page(Record):
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
            if not same_origin(url, self.endpoint):
                raise HubFailure(
                    f"the listing's next page is on {describe_origin(url)}, not on the configured "
                    f"endpoint {self.endpoint}; carbonlint sends its requests (and the token) only "
                    "to the endpoint, so the listing stops here")
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

    def _only_endpoint(self, url: str) -> None:
        """The token's boundary: nothing is requested, with or without it, outside the
        configured endpoint (scheme, host and port)."""
        if not same_origin(url, self.endpoint):
            raise HubFailure(f"refusing to send a request to {describe_origin(url)}: it is not the "
                             f"configured endpoint {self.endpoint}, the only host that gets the token")

    def _get(self, url: str, params: Mapping[str, Any] | None = None) -> Any:
        self._only_endpoint(url)
        response = get_session().get(url, params=params, headers=self.headers,
                                     timeout=self.policy.timeout)
        hf_raise_for_status(response)
        return response

    def _download(self, url: str) -> bytes:
        self._only_endpoint(url)
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
