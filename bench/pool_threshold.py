"""Where the worker pool starts to pay: ``carbonlint check`` on N cards, one process versus a pool.

    python bench/pool_threshold.py [--sizes 8,16,32,48,64,128,256] [--rounds 7] [--jobs 2]

Each command is a whole process (start-up included) on the first N cards of bench/corpus.py's
corpus; the pool is forced on for every N (``MIN_CARDS_FOR_POOL = 0``) so that both sides can be
timed at sizes below the shipped threshold. Rounds interleave the two commands; medians.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from corpus import make_corpus

RUN = ("import sys; import carbonlint.pool as pool; pool.MIN_CARDS_FOR_POOL = 0; "
       "from carbonlint.cli import main; sys.exit(main(sys.argv[1:]))")


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    result = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if result.returncode not in (0, 1):
        raise SystemExit(f"{command} exited {result.returncode}: {result.stderr.decode()[-500:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="8,16,32,48,64,128,256")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    work = Path(tempfile.mkdtemp())
    paths = make_corpus(work, max(sizes))
    lists = {}
    for size in sizes:
        lists[size] = work / f"list{size}"
        lists[size].write_text("\n".join(paths[:size]))
    print(f"Python {sys.version.split()[0]}; CPUs available: {len(os.sched_getaffinity(0))}; "
          f"load average {os.getloadavg()[0]:.1f}; {args.rounds} interleaved rounds, medians")
    print(f"{'cards':>6} {'--jobs 1':>9} {f'--jobs {args.jobs}':>9} {'ratio':>6} {'ratio spread':>14}")
    for size in sizes:
        chosen = paths[:size]
        one, many, ratios = [], [], []
        for _ in range(args.rounds):
            a = timed([sys.executable, "-c", RUN, "check", "-j", "1", "-f", "json", *chosen])
            b = timed([sys.executable, "-c", RUN, "check", "-j", str(args.jobs), "-f", "json", *chosen])
            one.append(a)
            many.append(b)
            ratios.append(b / a)
        print(f"{size:>6} {statistics.median(one) * 1000:7.0f}ms {statistics.median(many) * 1000:7.0f}ms "
              f"{statistics.median(ratios):5.2f}x {min(ratios):6.2f}-{max(ratios):.2f}x")
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
