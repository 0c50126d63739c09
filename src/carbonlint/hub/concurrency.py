"""Order-keeping concurrency: many cards fetched at once, reported in order."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


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
