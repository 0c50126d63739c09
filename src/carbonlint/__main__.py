"""``carbonlint`` (the installed command) and ``python -m carbonlint``.

What the command does around the CLI, for start-up time (bench/startup.py): it keeps compiled
regular expressions between runs (carbonlint.regex_cache) before it imports anything that
compiles one, and it spares the garbage collector passes that find nothing. ``import
carbonlint.cli`` alone changes neither `re` nor `gc`.
"""

from __future__ import annotations

import sys

# Start-up allocates ~100,000 container objects (modules, classes, functions) and frees almost
# none: at the default first threshold (700) the collector examines them ~45 times for nothing,
# ~5% of a one-card run. At this threshold a collection still runs every 100,000 net
# allocations, so a long run's memory stays bounded.
FIRST_GC_THRESHOLD = 100_000


def main() -> int:
    import gc

    gc.set_threshold(FIRST_GC_THRESHOLD, *gc.get_threshold()[1:])
    from carbonlint import regex_cache

    regex_cache.install()
    from carbonlint.cli import main as run

    code = run()
    # The process ends: the interpreter's collections during shutdown would examine every
    # object again (~10% of a one-card run) to free memory the operating system takes back.
    # Frozen objects are still released by reference counting; only garbage in reference cycles
    # is left to the operating system (report files are closed explicitly before this point).
    gc.freeze()
    return code


if __name__ == "__main__":
    sys.exit(main())
