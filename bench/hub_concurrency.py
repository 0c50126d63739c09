"""``carbonlint hub`` over a slow Hub: one card at a time versus the default worker pool.

    python bench/hub_concurrency.py [--models 1000] [--delay 0.05] [--workers-default 16]

A local Hub (tests/hub_server.py, on 127.0.0.1) answers every request after ``--delay`` seconds,
as a distant server would. Each run is a fresh ``carbonlint hub --author acme --limit N -f json``
process pointed at it with HF_ENDPOINT; the script reports its wall time and peak RSS (from
wait4, so the figure is the CLI's alone, not the server's). Then the same at other listing sizes
with the default workers, to show that memory does not grow with the number of cards: reports
stream out in listing order through a bounded window.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from hub_server import FakeHub, sample_models  # noqa: E402


def run(hub: FakeHub, home: Path, limit: int, workers: int | None) -> tuple[float, float, int]:
    """(seconds, peak RSS in MB, reports) of one ``carbonlint hub`` process."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "HUGGINGFACE_"))}
    env.update(HF_ENDPOINT=hub.url, HF_HOME=str(home), HF_HUB_DISABLE_TELEMETRY="1")
    output = home / "report.json"
    args = [sys.executable, "-m", "carbonlint", "hub", "--author", "acme", "--limit", str(limit),
            "-f", "json", "-o", str(output), "--quiet"]
    if workers is not None:
        args += ["--workers", str(workers)]
    started = time.perf_counter()
    process = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    stderr = process.stderr.read().decode() if process.stderr else ""
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"carbonlint failed: {stderr}")
    reports = len(json.loads(output.read_text(encoding="utf-8"))["files"])
    if reports != limit:
        raise SystemExit(f"expected {limit} reports, got {reports}")
    return elapsed, usage.ru_maxrss / 1024, reports  # Linux: ru_maxrss is in KiB


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", type=int, default=1000)
    parser.add_argument("--delay", type=float, default=0.05, help="seconds per request")
    parser.add_argument("--sizes", default="250,1000,4000",
                        help="listing sizes for the memory check (default workers)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    total = max([args.models, *sizes])
    with tempfile.TemporaryDirectory() as folder, FakeHub(
            sample_models(total), delay=args.delay) as hub:
        home = Path(folder)
        print(f"{total:,} models served on {hub.url}, each request answered after "
              f"{args.delay * 1000:.0f} ms; python {sys.version.split()[0]}")
        serial, serial_rss, _ = run(hub, home, args.models, workers=1)
        pooled, pooled_rss, _ = run(hub, home, args.models, workers=None)
        print(f"\ncarbonlint hub --author acme --limit {args.models} -f json")
        print(f"  --workers 1        {serial:7.2f} s   peak RSS {serial_rss:6.1f} MB")
        print(f"  default workers    {pooled:7.2f} s   peak RSS {pooled_rss:6.1f} MB")
        print(f"  speed-up           {serial / pooled:7.1f}x")
        print("\nmemory against the number of cards (default workers):")
        for size in sizes:
            seconds, rss, reports = run(hub, home, size, workers=None)
            print(f"  --limit {size:<6,} {seconds:7.2f} s   peak RSS {rss:6.1f} MB   "
                  f"{reports / seconds:6.0f} cards/s")


if __name__ == "__main__":
    main()
