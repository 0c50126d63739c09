"""A count of cards on stderr for long local runs, for a person watching a terminal.

Shown only when stderr is a terminal and the reports are not scrolling on that same terminal
(they are the progress then, and a redrawn line would break them), and only once a run has
lasted a second: a pre-commit run or a single card never sees it. Nothing here reaches the
report. No tqdm: it comes with huggingface_hub, which ``check`` does not need.
"""

from __future__ import annotations

import sys
import time
from typing import Iterable, Iterator, TextIO, TypeVar

T = TypeVar("T")

DELAY = 1.0  # seconds before the first line
INTERVAL = 0.2  # seconds between redraws


def wanted(output: str | None, stderr: TextIO | None = None, stdout: TextIO | None = None) -> bool:
    stderr = stderr or sys.stderr
    stdout = stdout or sys.stdout
    on_terminal = hasattr(stderr, "isatty") and stderr.isatty()
    reports_on_terminal = output is None and hasattr(stdout, "isatty") and stdout.isatty()
    return on_terminal and not reports_on_terminal


def counted(items: Iterable[T], *, stream: TextIO | None = None, unit: str = "card",
            clock: object = time.monotonic) -> Iterator[T]:
    """``items`` unchanged; every INTERVAL after DELAY, ``N cards, R/s`` redrawn on ``stream``."""
    stream = stream or sys.stderr
    now = clock  # type: ignore[assignment]
    start = now()  # type: ignore[operator]
    next_draw = start + DELAY
    drawn = False
    count = 0
    try:
        for item in items:
            yield item
            count += 1
            moment = now()  # type: ignore[operator]
            if moment >= next_draw:
                rate = count / max(moment - start, 1e-9)
                stream.write(f"\rcarbonlint: {count:,} {unit}s checked ({rate:,.0f}/s)\x1b[K")
                stream.flush()
                drawn = True
                next_draw = moment + INTERVAL
    finally:
        if drawn:  # leave the terminal as it was: the line is erased, not left behind
            stream.write("\r\x1b[K")
            stream.flush()
