"""Retrying the Hub's answers: 429, 5xx and dropped connections, with one shared pause.

huggingface_hub's backoff sleeps whatever ``Retry-After`` says; here the total wait of one request
is capped, and a 429 pauses every worker, not just the one that met it.
"""

from __future__ import annotations

import dataclasses
import email.utils
import itertools
import random
import threading
import time
from collections.abc import Callable, Mapping
from typing import TypeVar

from huggingface_hub.errors import HfHubHTTPError, OfflineModeIsEnabled

try:  # huggingface_hub 2 ships its HTTP library as httpx2; 1.x used httpx itself
    import httpx2 as httpx
except ImportError:  # pragma: no cover - depends on the installed huggingface_hub
    import httpx  # type: ignore[no-redef]

T = TypeVar("T")

DEFAULT_TIMEOUT = 10.0  # seconds for one request
RETRY_STATUS = frozenset({429, 500, 502, 503, 504})


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
