"""One card, whole process: carbonlint versus check-jsonschema, side by side in one venv.

    python bench/startup.py [--runs 40] [--before SRC] [--after SRC] [--instructions]

Needs carbonlint and check-jsonschema installed in the running interpreter's environment
(``pip install . check-jsonschema``). Each round runs, in turn: a bare ``python -c pass`` (the
floor of any Python tool), ``carbonlint check`` on a valid card, ``carbonlint check`` on a card
with errors (which loads jsonschema for the messages), both with a Sentence-Transformers body, and ``check-jsonschema --schemafile`` on the
same front matter saved as YAML. Interleaving the commands spreads machine noise over all of them
alike; the figures are medians, and the ratios compare medians of the same run.

``--instructions`` counts instead the instructions each command executes, once, under valgrind's
callgrind (Debian's valgrind): a figure that other load on the machine does not move, the same
for every run of the same code (a check of the wall-clock ratio, not a replacement for it).
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

HERE = Path(__file__).resolve().parent
SCHEMA = HERE.parent / "schemas" / "co2_eq_emissions.schema.json"

VALID = """\
language: en
license: apache-2.0
library_name: sentence-transformers
tags:
- sentence-transformers
- feature-extraction
co2_eq_emissions:
  emissions: 13.2
  energy_consumed: 0.034
  source: codecarbon
  training_type: fine-tuning
  on_cloud: false
  cpu_model: 13th Gen Intel(R) Core(TM) i7-13700K
  ram_total_size: 31.78
  hours_used: 0.11
  hardware_used: 1 x NVIDIA GeForce RTX 3090
  geographical_location: Frankfurt, Germany
"""
INVALID = VALID.replace("emissions: 13.2", 'emissions: "13.2 g"')
# The body a Sentence-Transformers card has: carbonlint reads it too (consistency checks).
BODY = """
# SentenceTransformer based on microsoft/mpnet-base

This is a sentence-transformers model finetuned from microsoft/mpnet-base. It maps sentences
to a 768-dimensional dense vector space.

## Training Details

### Environmental Impact
Carbon emissions were measured using [CodeCarbon](https://github.com/mlco2/codecarbon).
- **Energy Consumed**: 0.034 kWh
- **Carbon Emitted**: 0.013 kg of CO2
- **Hours Used**: 0.11 hours

### Training Hardware
- **On Cloud**: No
- **GPU Model**: 1 x NVIDIA GeForce RTX 3090
- **CPU Model**: 13th Gen Intel(R) Core(TM) i7-13700K
- **RAM Size**: 31.78 GB
"""


def timed(command: list[str], expect: set[int], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    result = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    elapsed = time.perf_counter() - start
    if result.returncode not in expect:
        raise SystemExit(f"{command} exited {result.returncode}: {result.stderr.decode()}")
    return elapsed


def instructions(command: list[str], expect: set[int], env: dict[str, str] | None = None) -> int:
    """Instructions the whole process executed, counted by callgrind."""
    result = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
                             *command], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True, env=env)
    if result.returncode not in expect:
        raise SystemExit(f"{command} exited {result.returncode} under valgrind: {result.stderr}")
    counted = [line for line in result.stderr.splitlines() if "Collected :" in line]
    if not counted:
        raise SystemExit(f"valgrind printed no count for {command}: {result.stderr[-500:]}")
    return int(counted[-1].split(":")[-1])


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
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--before", help="another carbonlint source tree (its src/): time its "
                        "'check (valid card)' too, as 'python -c' like this one")
    parser.add_argument("--after", help="the source tree (src/) to time as this one (default: the "
                        "installed carbonlint, through its console script)")
    parser.add_argument("--instructions", action="store_true", help="count instructions "
                        "(valgrind callgrind, one run each) instead of timing")
    args = parser.parse_args()
    if args.instructions and not shutil.which("valgrind"):
        raise SystemExit("--instructions needs valgrind (apt-get install valgrind)")
    bindir = Path(sys.executable).parent
    carbonlint = shutil.which("carbonlint", path=str(bindir))
    cjs = shutil.which("check-jsonschema", path=str(bindir))
    if not carbonlint or not cjs:
        raise SystemExit("install carbonlint and check-jsonschema into this environment first")
    # check-jsonschema validates a whole document: wrap the value as the schema of a key.
    work = Path(tempfile.mkdtemp())
    (work / "valid.md").write_text(f"---\n{VALID}---\n{BODY}")
    (work / "invalid.md").write_text(f"---\n{INVALID}---\n{BODY}")
    (work / "bare.md").write_text(f"---\n{VALID}---\n")
    (work / "front_matter.yaml").write_text(VALID)
    (work / "schema.json").write_text(
        '{"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object", '
        f'"properties": {{"co2_eq_emissions": {{"$ref": "{SCHEMA.as_uri()}"}}}}}}'
    )
    run_from = ("import sys; sys.path[:0] = {src!r}; from carbonlint.cli import main; "
                "sys.exit(main(sys.argv[1:]))")
    # The command's own entry point: it keeps compiled regular expressions between runs
    # (carbonlint.regex_cache), which carbonlint.cli alone does not.
    run_entry = ("import sys; sys.path[:0] = {src!r}; from carbonlint.__main__ import main; "
                 "sys.exit(main())")
    if args.after:
        entry = run_entry if (Path(args.after) / "carbonlint" / "regex_cache.py").exists() else run_from
        carbonlint_cmd = [sys.executable, "-c", entry.format(src=[os.path.abspath(args.after)])]
    else:
        carbonlint_cmd = [carbonlint]
    commands = {
        "python -c pass": ([sys.executable, "-c", "pass"], {0}),
        # The floor of any click + PyYAML tool: the two imports and nothing else.
        "python -c 'import click, yaml'": ([sys.executable, "-c", "import click, yaml"], {0}),
        "carbonlint check (valid card)": ([*carbonlint_cmd, "check", str(work / "valid.md")], {0}),
        "carbonlint check (valid card, no regex cache)": (
            [*carbonlint_cmd, "check", str(work / "valid.md")], {0}),
        "carbonlint check (card with an error)": ([*carbonlint_cmd, "check", str(work / "invalid.md")], {1}),
        "carbonlint check (valid, front matter only)": (
            [*carbonlint_cmd, "check", str(work / "bare.md")], {0}),
        "check-jsonschema --schemafile": (
            [cjs, "--schemafile", str(work / "schema.json"), str(work / "front_matter.yaml")], {0}),
    }
    if args.before:
        before_cmd = [sys.executable, "-c", run_from.format(src=[os.path.abspath(args.before)])]
        commands["before: check (valid card)"] = ([*before_cmd, "check", str(work / "valid.md")], {0})
    # Byte-compile every tree timed here: with PYTHONDONTWRITEBYTECODE set (or an editable
    # install never imported before), each process would compile carbonlint from source.
    compile_trees([args.before, args.after])
    # The first run writes the regex cache beside the bytecode, as Python writes .pyc files
    # (not where PYTHONDONTWRITEBYTECODE is set, so it is unset for this warm-up run); the
    # "no regex cache" row turns it off and compiles every pattern, as a first run does.
    writing = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    environments = {name: None for name in commands}
    environments["carbonlint check (valid card, no regex cache)"] = {
        **os.environ, "CARBONLINT_REGEX_CACHE": "0"}
    for command, expect in commands.values():  # warm the page cache and .pyc files
        timed(command, expect, writing)
    if args.instructions:
        counts = {name: instructions(command, expect, environments[name])
                  for name, (command, expect) in commands.items()}
        anchor_count = counts["check-jsonschema --schemafile"]
        print(f"instructions (valgrind callgrind, one run each); Python {sys.version.split()[0]}")
        print(f"{'command':45} {'instructions':>14} {'vs check-jsonschema':>20}")
        for name, count in counts.items():
            print(f"{name:45} {count / 1e6:12.1f} M {count / anchor_count:19.3f}x")
        return
    load = os.getloadavg()[0]
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, (command, expect) in commands.items():
            times[name].append(timed(command, expect, environments[name]))
    anchor = statistics.median(times["check-jsonschema --schemafile"])
    print(f"{args.runs} interleaved runs; Python {sys.version.split()[0]}; CPUs available: "
          f"{len(os.sched_getaffinity(0))}; load average at start {load:.1f}")
    print(f"{'command':45} {'median':>8} {'min':>8} {'p25-p75':>15} {'vs check-jsonschema':>20}")
    for name, values in times.items():
        median = statistics.median(values)
        low, _, high = statistics.quantiles(values, n=4)
        print(f"{name:45} {median * 1000:7.1f}ms {min(values) * 1000:7.1f}ms "
              f"{low * 1000:6.1f}-{high * 1000:.1f}ms {median / anchor:19.2f}x")
    # The ratio of each round, valid card against check-jsonschema: how much it moves.
    rounds = [mine / theirs for mine, theirs in zip(times["carbonlint check (valid card)"],
                                                    times["check-jsonschema --schemafile"])]
    low, middle, high = statistics.quantiles(rounds, n=4)
    print(f"valid card / check-jsonschema, round by round: median {middle:.2f}x, "
          f"p25-p75 {low:.2f}-{high:.2f}x, min-max {min(rounds):.2f}-{max(rounds):.2f}x")

if __name__ == "__main__":
    main()
