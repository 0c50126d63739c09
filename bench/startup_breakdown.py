"""Where the milliseconds of one ``carbonlint check`` on one card go, stage by stage.

    python bench/startup_breakdown.py [--runs 30]

Each run is a fresh interpreter that does, in order, what ``carbonlint check valid.md`` does
(the card of bench/startup.py: complete front matter and a Sentence-Transformers body), timing
each stage with ``perf_counter`` (wall) and ``process_time`` (CPU of this process, which machine
load inflates less than wall time). The interpreter's own start is measured apart, as a whole
``python -c pass`` process and ``python -S -c pass``. Medians and minima over the runs; on a
shared machine the minimum is the closer figure for what the code costs. The last column is the
part of each stage spent compiling regular expressions (wall, median).
"""

from __future__ import annotations

import argparse
import os
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from startup import BODY, VALID

STAGES = r"""
import sys, time, json, re
# Time spent compiling regular expressions, counted apart: `re` keeps no compiled pattern
# between processes; carbonlint.regex_cache serves those it has kept, and this column says what
# is left (patterns it does not hold, and building each served one).
compiling = [0.0]
_compile = re._compile
def _timed_compile(pattern, flags):
    start = time.perf_counter()
    try:
        return _compile(pattern, flags)
    finally:
        compiling[0] += time.perf_counter() - start
re._compile = _timed_compile
marks = [("start", time.perf_counter(), time.process_time(), 0.0)]
def mark(name):
    marks.append((name, time.perf_counter(), time.process_time(), compiling[0]))
import gc  # as the command does (carbonlint.__main__): the collector's first threshold, then
from carbonlint import __main__ as command  # the regex cache before anything compiles a pattern
gc.set_threshold(command.FIRST_GC_THRESHOLD, *gc.get_threshold()[1:])
from carbonlint import regex_cache
regex_cache.install()
mark("regex cache (read the file)")
import click, yaml
mark("import click, yaml")
import carbonlint.cli
mark("import carbonlint.cli (the rest)")
from carbonlint.cli import build_config
from carbonlint.pool import default_jobs
cfg = build_config(config_file=None, select=None, ignore=None, min_class=None,
                   require_emissions=None, baseline=None, output_format=None)
default_jobs()
mark("configuration (discovery, defaults)")
from carbonlint import checker
mark("import checker (card, yaml12, findings, grade)")
from carbonlint.rules import all_checks
enabled = checker.enabled_codes(cfg)
all_checks()
mark("rule registry (import 8 rule modules)")
card = checker.read_card(sys.argv[1])
card.metadata.get("co2_eq_emissions")
mark("read + parse the card")
context = checker.Context(card, cfg)
context.schema_errors
mark("schema pre-check")
context.prose
mark("read the body (prose facts)")
context.estimate
mark("physical estimate (grid, device tables)")
context.baseline
context.efficiency
context.outlier
mark("baseline, efficiency label, outlier")
report = checker.check_card(card, cfg, enabled)
mark("remaining checks and grade")
from carbonlint.formatters import reporter_for, Summary
import io
stream = io.StringIO()
reporter = reporter_for("text", stream, color=False)
summary = Summary()
summary.add(report, below_min_class=False)
reporter.report(report)
reporter.close(summary)
sys.stdout.write(stream.getvalue())
mark("text report")
out = [(name, (w - marks[i][1]) * 1000, (c - marks[i][2]) * 1000, (r - marks[i][3]) * 1000)
       for i, (name, w, c, r) in enumerate(marks[1:])]
sys.stderr.write("MARKS" + json.dumps(out) + "\n")
gc.freeze()  # as the command does before it ends
"""


def whole(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp())
    import compileall

    import carbonlint  # byte-compiled first: PYTHONDONTWRITEBYTECODE would make every run compile it

    compileall.compile_dir(os.path.dirname(carbonlint.__file__), quiet=1)
    card = work / "README.md"
    card.write_text(f"---\n{VALID}---\n{BODY}")
    (work / ".git").mkdir()  # configuration discovery stops here, as in a repository
    # One run that may write the regex cache (PYTHONDONTWRITEBYTECODE would stop it), as the
    # first run of the command writes it.
    subprocess.run([sys.executable, "-m", "carbonlint", "check", str(card)], cwd=work, check=True,
                   stdout=subprocess.DEVNULL,
                   env={k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"})
    stages: dict[str, tuple[list[float], list[float], list[float]]] = {}
    bare, nosite, total = [], [], []
    for _ in range(args.runs):
        bare.append(whole([sys.executable, "-c", "pass"]))
        nosite.append(whole([sys.executable, "-S", "-c", "pass"]))
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", STAGES, str(card)], cwd=work, check=True,
                              capture_output=True, text=True)
        total.append((time.perf_counter() - start) * 1000)
        line = next(x for x in done.stderr.splitlines() if x.startswith("MARKS"))
        for name, wall, cpu, regex in json.loads(line[5:]):
            stages.setdefault(name, ([], [], []))
            stages[name][0].append(wall)
            stages[name][1].append(cpu)
            stages[name][2].append(regex)
    print(f"{args.runs} runs; Python {sys.version.split()[0]}; milliseconds")
    print(f"{'stage':45} {'wall median':>11} {'wall min':>9} {'CPU median':>11} {'CPU min':>8} "
          f"{'of which re.compile (median)':>29}")
    print(f"{'python -c pass (whole process)':45} {statistics.median(bare):11.1f} {min(bare):9.1f}")
    print(f"{'python -S -c pass (no site, whole process)':45} {statistics.median(nosite):11.1f} "
          f"{min(nosite):9.1f}")
    for name, (walls, cpus, regexes) in stages.items():
        print(f"{name:45} {statistics.median(walls):11.1f} {min(walls):9.1f} "
              f"{statistics.median(cpus):11.1f} {min(cpus):8.1f} {statistics.median(regexes):29.1f}")
    print(f"{'all stages, whole process':45} {statistics.median(total):11.1f} {min(total):9.1f}")


if __name__ == "__main__":
    main()
