"""Many cards in one call: carbonlint versus the floor of reading and composing their YAML.

    python bench/many_cards.py [--cards 10000] [--rounds 3] [--jobs 1,2] [--before SRC] [--after SRC]

The cards are bench/corpus.py's: distinct, generated from a seed (every card differs in its bytes,
so no cache or memo keyed on content wins by repetition). The floor is the least any YAML-based
linter must do: read each file, cut the front matter out and compose it with
``yaml.CSafeLoader``, in one process. carbonlint runs as one ``carbonlint check --format json DIR``
process per ``--jobs`` value on the same files, its report to /dev/null; ``--before SRC`` adds the
same command run from another source tree (``git archive REV src | tar -x -C DIR``, then
``--before DIR/src``), for before/after figures in the same run. Every command is a whole process;
each round runs all of them in turn (interleaved); medians, and the spread of each ratio over
the rounds; CPU time too (user + system, the workers included), which the machine's other
load inflates less than wall time. Memory is the peak RSS of one process, at each size.
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

FLOOR = r"""
import os, re, sys, yaml
pattern = re.compile(r"^(\s*---(?:\r\n|\r|\n))([\S\s]*?)((?:\r\n|\r|\n)---[ \t]*(\r\n|\r|\n|$))")
count = 0
for folder, dirs, files in os.walk(sys.argv[1]):
    dirs.sort()
    for name in sorted(files):
        if not name.endswith(".md"):
            continue  # the cards, not the weights files beside them
        with open(os.path.join(folder, name), "rb") as handle:
            text = handle.read().decode("utf-8-sig")
        match = pattern.search(text)
        if match:
            try:
                yaml.compose(match.group(2), Loader=yaml.CSafeLoader)
            except yaml.YAMLError:
                pass  # a card that does not parse is read too (the corpus has a few)
            count += 1
print(count)
"""


def run(command: list[str], expect: set[int]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak RSS (MiB) of one child process. wait4 gives the
    child's own figures with those of the workers it waited for: CPU is their sum (user +
    system), RSS the largest single process (a pool's total is about jobs + 1 times it)."""
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    stderr = child.stderr.read() if child.stderr else b""
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    child.returncode = code
    if code not in expect:
        raise SystemExit(f"{command[:3]} exited {code}: {stderr.decode()[-500:]}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


# The installed command's own entry point (carbonlint.__main__: its collector threshold and
# regex cache apply to a many-card run too). An older tree's __main__ runs the CLI on import.
RUN = ("import sys; sys.path[:0] = {src!r}; import carbonlint.__main__ as command; "
       "sys.exit(command.main())")


def compile_trees(sources: list[str | None]) -> None:
    import compileall
    import importlib.util

    installed = importlib.util.find_spec("carbonlint")
    folders = [os.path.join(src, "carbonlint") for src in sources if src]
    if installed is not None and installed.submodule_search_locations:
        folders += list(installed.submodule_search_locations)
    for folder in folders:
        compileall.compile_dir(folder, quiet=1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cards", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--jobs", default="1,2", help="comma-separated --jobs values to time")
    parser.add_argument("--before", help="another carbonlint source tree (its src/) to time too")
    parser.add_argument("--after", help="the source tree (src/) to time as this one (default: the "
                        "carbonlint installed in this interpreter)")
    parser.add_argument("--seed", type=int, default=2023)
    parser.add_argument("--sizes", help="comma-separated card counts (default: a tenth, half and "
                        "all of --cards)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp())
    sizes = sorted({max(args.cards // 10, 1), args.cards // 2, args.cards})
    if args.sizes:
        sizes = sorted({int(size) for size in args.sizes.split(",")})
    folders = {}
    for size in sizes:
        folders[size] = work / str(size)
        make_corpus(folders[size], size, args.seed)
    commands: dict[str, list[str]] = {"floor": [sys.executable, "-c", FLOOR]}
    this = [sys.executable, "-c", RUN.format(src=[os.path.abspath(args.after)] if args.after else [])]
    before = [sys.executable, "-c", RUN.format(src=[os.path.abspath(args.before or ".")])]
    for jobs in args.jobs.split(","):
        if args.before:  # each --jobs value from the other tree too, just before this one's
            commands[f"before -j {jobs}"] = before + ["check", "-f", "json", "-j", jobs]
        commands[f"-j {jobs}"] = this + ["check", "-f", "json", "-j", jobs]
    # Byte-compile every tree timed here: with PYTHONDONTWRITEBYTECODE set (or an editable
    # install never imported before), each process would compile carbonlint from source.
    compile_trees([args.before, args.after])
    names = list(commands)
    # The floor must read every card (an exit on the first bad one would flatter every ratio);
    # carbonlint exits 1 when it finds something.
    expect = {name: {0} if name == "floor" else {0, 1} for name in names}
    print(f"Python {sys.version.split()[0]}; CPUs available: {len(os.sched_getaffinity(0))}; "
          f"load average at start {os.getloadavg()[0]:.1f}; {args.rounds} interleaved rounds; "
          "medians (seconds), ratio to the floor: median [min-max over rounds], wall then CPU "
          "(user + system, workers included)")
    for size in sizes:
        times: dict[str, list[float]] = {name: [] for name in names}
        cpu: dict[str, list[float]] = {name: [] for name in names}
        rss: dict[str, float] = {name: 0.0 for name in names}
        for _ in range(args.rounds):
            for name in names:
                wall, seconds, peak = run(commands[name] + [str(folders[size])], expect[name])
                times[name].append(wall)
                cpu[name].append(seconds)
                rss[name] = max(rss[name], peak)
        floor = statistics.median(times["floor"])
        print(f"{size:>6} cards: floor {floor:.2f}s wall, {statistics.median(cpu['floor']):.2f}s "
              f"CPU ({rss['floor']:.0f} MiB); load average now {os.getloadavg()[0]:.1f}")
        for name in names[1:]:
            ratios = [t / f for t, f in zip(times[name], times["floor"])]
            cpu_ratios = [c / f for c, f in zip(cpu[name], cpu["floor"])]
            print(f"    {name:>11} {statistics.median(times[name]):7.2f}s "
                  f"{statistics.median(ratios):5.2f}x [{min(ratios):.2f}-{max(ratios):.2f}]  "
                  f"CPU {statistics.median(cpu[name]):6.2f}s {statistics.median(cpu_ratios):5.2f}x "
                  f"[{min(cpu_ratios):.2f}-{max(cpu_ratios):.2f}]  peak RSS {rss[name]:.0f} MiB")
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
