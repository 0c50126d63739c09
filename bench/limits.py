"""Worst cases at carbonlint's input limits: time and memory of one `carbonlint check` each.

Every card is built here (nothing downloaded), written to a temporary folder and checked by a
fresh process, so that the figures include start-up and are what a pre-commit run would pay.
CPU time (user + system) is reported beside wall time because this machine is often shared:
the target (docs/limits.md) is under 1 s and 200 MB for any single card up to the limits.

    python bench/limits.py            # every case, a table on stdout
    python bench/limits.py --runs 3   # median of three runs per case
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
from carbonlint.card import MAX_CARD_BYTES, MAX_FRONT_MATTER_CHARS, MAX_NODES  # noqa: E402


def front(yaml_text: str, body: str = "# Model\n") -> str:
    return "---\n" + yaml_text + "\n---\n" + body


def cases() -> dict[str, str]:
    prose = "Trained for 5 hours on 8 x A100, emitting 5.6 kg of CO2eq in us-east-1. " * 6 + "\n"
    near = MAX_CARD_BYTES - 1000
    flow_items = MAX_NODES // 2 - 10
    return {
        "trivial card": front("co2_eq_emissions: 5"),
        "body at the file limit, prose": front("co2_eq_emissions: -5", prose * (near // len(prose))),
        "body at the file limit, one line": front("co2_eq_emissions: 5", "5.6 kg " * (near // 7)),
        "body: 20,000-digit Hardware Type line": front(
            "co2_eq_emissions: 5", "- **Hardware Type:** 1 x A100 " + "9" * 20_000 + "\n"),
        "front matter at its limit, one string": front(
            "widget: '" + "x" * (MAX_FRONT_MATTER_CHARS - 40) + "'\nco2_eq_emissions: 5"),
        "front matter, values at the limit (flow)": front(
            "a: [" + "1," * flow_items + "1]\nco2_eq_emissions: 5"),
        "front matter, keys at the limit": front(
            "".join(f"k{i}: {i}\n" for i in range(MAX_NODES // 2 - 10)) + "co2_eq_emissions: 5"),
        "front matter, 199 levels deep": front("a: " + "[" * 199 + "]" * 199),
        "20,000 suppression comments": front(
            "# carbonlint: ignore\n" * 20_000 + "co2_eq_emissions: -5"),
        "hardware_used: 20,000 digits": front(
            "co2_eq_emissions:\n  emissions: 5\n  hardware_used: 1 x A100 " + "9" * 20_000),
        "hardware_used: 20,000 spaces": front(
            "co2_eq_emissions:\n  emissions: 5\n  hardware_used: '1 x A100" + " " * 20_000 + "40GB'"),
        "integer of 400 digits": front("co2_eq_emissions: 1" + "0" * 400),
        "model-index, 5,000 metrics": front(
            "model-index:\n- name: m\n  results:\n  - task: {type: text-classification}\n"
            "    metrics:\n" + "".join(f"    - {{type: accuracy, value: 0.{i}}}\n" for i in range(5000))
            + "co2_eq_emissions: 5"),
    }


def measure(path: str) -> tuple[float, float, float]:
    """(wall s, cpu s, max RSS MB) of one checking process."""
    code = ("import resource, sys\nfrom carbonlint.cli import main\nmain(['check', '--format', 'json', "
            f"{path!r}])\nr = resource.getrusage(resource.RUSAGE_SELF)\n"
            "sys.stderr.write(f'@@ {r.ru_utime + r.ru_stime} {r.ru_maxrss}\\n')")
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    line = next(x for x in done.stderr.splitlines() if x.startswith("@@ "))
    cpu, rss_kb = line.split()[1:]
    return wall, float(cpu), int(rss_kb) / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} CPUs; limits: file {MAX_CARD_BYTES:,} bytes, front matter "
          f"{MAX_FRONT_MATTER_CHARS:,} characters, {MAX_NODES:,} values")
    print(f"{'case':45} {'size':>11} {'wall s':>7} {'cpu s':>6} {'MB':>6}")
    worst_cpu = worst_mb = 0.0
    with tempfile.TemporaryDirectory() as folder:
        for name, text in cases().items():
            path = os.path.join(folder, "README.md")
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(text)
            runs = [measure(path) for _ in range(args.runs)]
            wall, cpu, mb = (statistics.median(r[i] for r in runs) for i in range(3))
            worst_cpu, worst_mb = max(worst_cpu, cpu), max(worst_mb, mb)
            print(f"{name:45} {len(text.encode()):>11,} {wall:7.2f} {cpu:6.2f} {mb:6.0f}")
    print(f"worst: {worst_cpu:.2f} s CPU, {worst_mb:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
