"""Checking many cards on all cores: a pool of worker processes, reports in the input's order.

The parent walks the paths, hands them out in small batches to ``jobs`` worker processes and
yields each :class:`~carbonlint.findings.CardReport` in the order of the paths, as soon as the
reports before it are in. Nothing else changes: the workers run the same per-card function as a
single process does (:func:`carbonlint.checker.report_for_path`), so the report is byte for byte
the one ``--jobs 1`` writes.

Why a hand-written pool rather than ``multiprocessing.Pool`` or ``ProcessPoolExecutor``:

* memory: ``Pool.imap`` reads its whole input ahead, and both pools hold every result that waits
  for an earlier one. Here at most ``WINDOW_PER_JOB * jobs`` cards are handed out or waiting, so
  memory stays flat over any number of cards (the directory walk is read lazily, too);
* isolation: a card that kills its worker (a crash in a C extension, the out-of-memory killer)
  breaks a ``ProcessPoolExecutor`` for every card still queued. Here each card's report comes back
  on its own, so the parent knows which card the worker was on when it died: that card is
  reported as an internal error (exit code 2, as for a bug in a check), a new worker takes over
  the rest of the batch, and the run goes on. A card that takes longer than ``time_limit``
  seconds is handled the same way (the worker is killed).

Workers are forked on Linux (they inherit the imported rules and the configuration; a fork costs
a few milliseconds where a fresh interpreter costs ~100) and spawned elsewhere. Before forking,
the parent checks a few built-in cards (carbonlint.warm_up), so that what a check loads on first
use (the schema validator, the baselines, the prose patterns) is loaded once for all workers.
"""

from __future__ import annotations

import os
import sys
import time
from collections import deque
from typing import TYPE_CHECKING, Any, Iterable, Iterator

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    from carbonlint.config import Config
    from carbonlint.findings import CardReport

# Fewer cards than this are checked in the calling process: starting workers and shipping
# reports back costs more than it saves (bench/README.md, "Where the pool starts to pay").
MIN_CARDS_FOR_POOL = 48
# Cards handed to a worker at a time: enough to keep it busy between the parent's visits.
BATCH = 16
# Cards handed out or finished but not yet yielded, per worker: bounds the parent's memory.
WINDOW_PER_JOB = 8 * BATCH
# A card still being checked after this many seconds is stopped and reported (a hang).
CARD_TIME_LIMIT = 120.0


def default_jobs() -> int:
    """The CPUs this process may run on (a container's or taskset's limit, not the machine's)."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except (AttributeError, OSError):  # macOS, Windows
        return max(os.cpu_count() or 1, 1)


def _worker_main(connection: Connection, config: Config, enabled: frozenset[str]) -> None:
    """Check each path sent, send back (index, report) per card; None ends the worker."""
    from carbonlint.checker import report_for_path

    # A check never prints; keep stray output from mixing into the parent's report.
    sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - lives as long as the process
    try:
        while True:
            batch = connection.recv()
            if batch is None:
                return
            for index, path in batch:
                try:
                    report = report_for_path(path, config, enabled)
                except Exception as exc:  # noqa: BLE001 - one card must not end the worker
                    report = _failed(path, repr(exc))
                connection.send((index, report))
    except (EOFError, BrokenPipeError, KeyboardInterrupt):
        return  # the parent has gone or stopped the run


class _Worker:
    def __init__(self, context: Any, config: Config, enabled: frozenset[str]) -> None:
        parent_end, child_end = context.Pipe()
        # Buffered output must not be inherited by a forked child (it would flush it again).
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        self.process = context.Process(target=_worker_main, args=(child_end, config, enabled),
                                       daemon=True)
        self.process.start()
        child_end.close()
        self.connection: Connection = parent_end
        self.batch: deque[tuple[int, str]] = deque()  # handed out, report not yet back
        self.since = time.monotonic()  # when the card at the head of the batch started

    def give(self, batch: list[tuple[int, str]]) -> None:
        if not self.batch:
            self.since = time.monotonic()
        self.batch.extend(batch)
        self.connection.send(batch)

    def stop(self) -> None:
        try:
            self.connection.send(None)
        except (OSError, ValueError):
            pass
        self.connection.close()

    def kill(self) -> None:
        self.connection.close()
        if self.process.is_alive():
            self.process.kill()
        self.process.join()

    def describe_exit(self) -> str:
        self.process.join(timeout=5)
        code = self.process.exitcode
        if code is not None and code < 0:
            import signal

            try:
                return f"killed by {signal.Signals(-code).name}"
            except ValueError:
                return f"killed by signal {-code}"
        return f"exit code {code}"


def _start_method() -> Any:
    import multiprocessing
    import threading

    # fork is safe only while this process has a single thread (the CLI has).
    if sys.platform.startswith("linux") and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _prepare_to_fork(config: Config, enabled: frozenset[str]) -> None:
    """Load once, here, what each forked worker would load on its first cards; then keep the
    collector of every worker off the objects it inherits."""
    import gc

    from carbonlint.warm_up import warm_up

    warm_up(config, enabled)
    # Objects the workers inherit stay shared with the parent until written to, and a
    # collection writes to every object it examines: frozen, they are never examined (they are
    # still freed by reference counting).
    gc.freeze()


def _failed(path: str, why: str) -> CardReport:
    from carbonlint.findings import CardReport

    return CardReport(path=path, error=f"internal error: {why}; please report it with this card",
                      reporting_reason="the card could not be checked", internal_error=True)


def check_in_pool(paths: Iterable[str], config: Config, enabled: frozenset[str], jobs: int,
                  *, time_limit: float | None = None) -> Iterator[CardReport]:
    """Reports for ``paths`` in their order, checked by ``jobs`` worker processes."""
    from multiprocessing.connection import wait

    time_limit = CARD_TIME_LIMIT if time_limit is None else time_limit

    context = _start_method()
    if context.get_start_method() == "fork":
        _prepare_to_fork(config, enabled)
    todo = iter(enumerate(paths))
    retry: deque[tuple[int, str]] = deque()  # the rest of a dead worker's batch
    workers: list[_Worker] = []
    done: dict[int, CardReport] = {}
    handed_out = 0  # cards taken from ``todo``
    next_index = 0  # the next report to yield
    window = WINDOW_PER_JOB * jobs
    exhausted = False

    def next_batch() -> list[tuple[int, str]]:
        nonlocal handed_out, exhausted
        if retry:
            count = len(retry)
            return [retry.popleft() for _ in range(min(count, BATCH))]
        batch = []
        while not exhausted and len(batch) < BATCH and handed_out - next_index < window:
            item = next(todo, None)
            if item is None:
                exhausted = True
                break
            batch.append(item)
            handed_out += 1
        return batch

    try:
        while True:
            # Keep every worker fed with at most two batches (one running, one queued).
            for worker in [w for w in workers if len(w.batch) <= BATCH]:
                batch = next_batch()
                if batch:
                    worker.give(batch)
            while len(workers) < jobs and (retry or not exhausted):
                batch = next_batch()
                if not batch:
                    break
                worker = _Worker(context, config, enabled)
                workers.append(worker)
                worker.give(batch)
            busy = [w for w in workers if w.batch]
            if not busy:
                break
            now = time.monotonic()
            deadline = min(w.since for w in busy) + time_limit
            ready = wait([w.connection for w in busy], timeout=max(deadline - now, 0))
            for worker in busy:
                if worker.connection in ready:
                    try:
                        while worker.connection.poll():
                            index, report = worker.connection.recv()
                            worker.batch.popleft()
                            worker.since = time.monotonic()
                            done[index] = report
                    except (EOFError, OSError):
                        why = f"the worker process checking it stopped ({worker.describe_exit()})"
                        _replace(worker, workers, retry, done, why)
                elif time.monotonic() - worker.since > time_limit:
                    worker.kill()
                    _replace(worker, workers, retry, done,
                             f"checking it took longer than {time_limit:g} s and was stopped")
            while next_index in done:
                yield done.pop(next_index)
                next_index += 1
    finally:
        for worker in workers:
            worker.stop()
        for worker in workers:
            worker.process.join(timeout=5)
            if worker.process.is_alive():
                worker.kill()


def _replace(worker: _Worker, workers: list[_Worker], retry: deque[tuple[int, str]],
             done: dict[int, CardReport], why: str) -> None:
    """The card ``worker`` was on is reported as failed; the rest of its batch goes back."""
    index, path = worker.batch.popleft()
    done[index] = _failed(path, why)
    retry.extendleft(reversed(worker.batch))
    worker.batch.clear()
    worker.kill()
    workers.remove(worker)
