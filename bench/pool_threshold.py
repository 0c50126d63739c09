"""Where the worker pool starts to pay: ``carbonlint check`` on N cards, one process versus a pool.

    python bench/pool_threshold.py [--sizes 8,16,32,48,64,128,256] [--rounds 7] [--jobs 2]

Each command is a whole process (start-up included) on the first N cards of bench/corpus.py's
corpus; the pool is forced on for every N (``MIN_CARDS_FOR_POOL = 0``) so that both sides can be
timed at sizes below the shipped threshold. Rounds interleave the two commands; medians. Besides wall time, the CPU time of each
command (its own and its workers', from wait4): on a machine whose cores are busy with other
work, a pool cannot gain wall time, and the CPU figures give its fixed cost and the cost per card
from which the size where it pays on idle cores follows.
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
       "from carbonlint.__main__ import main; sys.exit(main())")  # the installed command's entry


def timed(command: list[str]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system, the process and the workers it reaped)."""
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    stderr = child.stderr.read() if child.stderr else b""
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    child.returncode = code
    if code not in (0, 1):
        raise SystemExit(f"{command[:6]} exited {code}: {stderr.decode()[-500:]}")
    return elapsed, usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="8,16,32,48,64,128,256")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    import compileall

    import carbonlint  # byte-compiled first: PYTHONDONTWRITEBYTECODE would make every run compile it

    compileall.compile_dir(os.path.dirname(carbonlint.__file__), quiet=1)
    work = Path(tempfile.mkdtemp())
    paths = make_corpus(work, max(sizes))
    lists = {}
    for size in sizes:
        lists[size] = work / f"list{size}"
        lists[size].write_text("\n".join(paths[:size]))
    print(f"Python {sys.version.split()[0]}; CPUs available: {len(os.sched_getaffinity(0))}; "
          f"load average {os.getloadavg()[0]:.1f}; {args.rounds} interleaved rounds, medians")
    print(f"{'cards':>6} {'wall -j 1':>10} {f'wall -j {args.jobs}':>10} {'ratio':>6} {'spread':>11}"
          f" {'CPU -j 1':>9} {f'CPU -j {args.jobs}':>9} {'extra CPU':>10}")
    for size in sizes:
        chosen = paths[:size]
        one, many, ratios, cpu_one, cpu_many = [], [], [], [], []
        for _ in range(args.rounds):
            a, a_cpu = timed([sys.executable, "-c", RUN, "check", "-j", "1", "-f", "json", *chosen])
            b, b_cpu = timed([sys.executable, "-c", RUN, "check", "-j", str(args.jobs), "-f", "json",
                              *chosen])
            one.append(a)
            many.append(b)
            ratios.append(b / a)
            cpu_one.append(a_cpu)
            cpu_many.append(b_cpu)
        m1, m2 = statistics.median(cpu_one), statistics.median(cpu_many)
        print(f"{size:>6} {statistics.median(one) * 1000:8.0f}ms {statistics.median(many) * 1000:8.0f}ms "
              f"{statistics.median(ratios):5.2f}x {min(ratios):5.2f}-{max(ratios):.2f}x "
              f"{m1 * 1000:7.0f}ms {m2 * 1000:7.0f}ms {(m2 - m1) * 1000:8.0f}ms")
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
