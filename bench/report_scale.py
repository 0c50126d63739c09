"""carbonlint report at 1,000 models: build time, page size, and what the browser pays.

    python bench/report_scale.py [--models 1000] [--screenshot docs/report-hub.png]

A local Hub (tests/hub_server.py) serves ``--models`` varied cards (AutoTrain cards, Hub-template
cards with hardware, hours and region, kilogram slips, cards without emissions), created over
four years. ``carbonlint report --from-hub`` builds the page in its own process (timed, peak
RSS); then headless Chromium (tests/browser.py) opens it: time to the load event, the time one
sort of the whole table takes, the time one filter takes, the number of DOM nodes. Needs the
report extra and Debian's chromium.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from browser import Browser, find_browser  # noqa: E402
from hub_server import FakeHub, FakeModel  # noqa: E402

DEVICES = ("1 x NVIDIA T4", "8 x A100 40GB", "4 x V100", "1 x RTX 3090", "TPU v3-8", "2 x A10G")
PLACES = ("Virginia, USA", "Frankfurt, Germany", "Paris, France", "Oregon, USA", "Iowa, USA", "Sweden")
TASKS = ("text-classification", "token-classification", "image-classification",
         "summarization", "automatic-speech-recognition", "text-generation")


def card(index: int) -> tuple[str, str]:
    """A card and its pipeline tag; the mix of kinds is fixed by the index, so runs compare."""
    task = TASKS[index % len(TASKS)]
    kind = index % 10
    if kind < 4:  # AutoTrain: emissions only
        grams = round(0.2 + (index * 37 % 1000) / 11, 4)
        return task, (f"---\ntags:\n- autotrain\n- {task}\npipeline_tag: {task}\nco2_eq_emissions:\n"
                      f"  emissions: {grams}\n---\n\n# Model Trained Using AutoTrain\n\n"
                      f"- Problem type: Multi-class Classification\n- CO2 Emissions (in grams): {grams}\n")
    if kind < 7:  # a full block with hardware, hours and region: an estimate exists
        device, place = DEVICES[index % len(DEVICES)], PLACES[index % len(PLACES)]
        hours = 1 + index % 48
        grams = round(30.0 * hours * (1 + index % 5) * (0.3 + (index % 7) / 3), 1)
        if kind == 6 and index % 3 == 0:
            grams = round(grams / 1000, 3)  # the kilogram slip
        return task, (f"---\nlicense: apache-2.0\npipeline_tag: {task}\nco2_eq_emissions:\n"
                      f"  emissions: {grams}\n  source: CodeCarbon\n  training_type: fine-tuning\n"
                      f"  geographical_location: {place}\n  hardware_used: {device}\n"
                      f"  hours_used: {hours}\n---\n\n# model {index}\n\nFine-tuned for {task}.\n")
    if kind == 7:  # hardware, no emissions, a misspelled key
        return task, (f"---\npipeline_tag: {task}\nco2_eq_emissions:\n  hardware_used: {DEVICES[index % 6]}\n"
                      f"  geographic_location: {PLACES[index % 6]}\n---\n\n# model {index}\n")
    return task, f"---\nlicense: mit\npipeline_tag: {task}\n---\n\n# model {index}\n\nNo emissions here.\n"


def models(count: int) -> list[FakeModel]:
    result = []
    for index in range(count):
        task, text = card(index)
        day = 1 + index * 1461 // max(count, 1)  # spread over four years from 2021-01-01
        year, rest = 2021 + (day - 1) // 365, (day - 1) % 365
        month = min(12, 1 + rest // 31)
        created = f"{year}-{month:02d}-{1 + rest % 28:02d}T00:00:00.000Z"
        parameters = 1_000_000 * (5 + index % 400)
        result.append(FakeModel(id=f"acme/model-{index:05d}", readme=text.encode(), downloads=index * 7 % 5000,
                                pipeline_tag=task, tags=["co2_eq_emissions"], library_name="transformers",
                                safetensors={"parameters": {"F32": parameters}, "total": parameters},
                                created_at=created))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5, help="sorts and filters timed in the browser")
    parser.add_argument("--screenshot", help="also save a screenshot of the page's top here")
    args = parser.parse_args()
    browser_path = find_browser()
    if browser_path is None:
        raise SystemExit("no chromium: apt-get install chromium")
    with tempfile.TemporaryDirectory() as folder, FakeHub(models(args.models)) as hub:
        home = Path(folder)
        page = home / "report.html"
        env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "HUGGINGFACE_"))}
        env.update(HF_ENDPOINT=hub.url, HF_HOME=str(home / "hf"), HF_HUB_DISABLE_TELEMETRY="1")
        started = time.perf_counter()
        process = subprocess.Popen([sys.executable, "-m", "carbonlint", "report", "--from-hub", "--author", "acme",
                                    "--limit", str(args.models), "-o", str(page), "-q"], env=env,
                                   stderr=subprocess.PIPE)
        _, status, usage = os.wait4(process.pid, 0)
        build = time.perf_counter() - started
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"carbonlint report failed: {process.stderr.read().decode() if process.stderr else ''}")
        size = page.stat().st_size
        print(f"carbonlint report --from-hub, {args.models:,} cards from a local Hub: {build:.1f} s, "
              f"peak RSS {usage.ru_maxrss / 1024:.0f} MB, page {size / 1024:,.0f} KiB")
        with Browser(browser_path, width=1280, height=900) as browser:
            loads, sorts, filters = [], [], []
            for _ in range(args.rounds):
                browser.open(str(page))
                loads.append(browser.evaluate(
                    "performance.getEntriesByType('navigation')[0].loadEventEnd"))
                sorts.append(browser.evaluate(
                    "(() => { const b = document.querySelectorAll('#models thead button')[2];"
                    " const t = performance.now(); b.click(); return performance.now() - t; })()"))
                filters.append(browser.evaluate(
                    "(() => { const s = document.getElementById('filter-severity'); s.value = 'error';"
                    " const t = performance.now(); s.dispatchEvent(new Event('change'));"
                    " const n = document.querySelectorAll('#models tbody tr:not([hidden])').length;"
                    " return performance.now() - t; })()"))
            nodes = browser.evaluate("document.getElementsByTagName('*').length")
            problems = browser.problems()
            if args.screenshot:
                browser.open(str(page))
                top = browser.evaluate("document.getElementById('plausibility').getBoundingClientRect().bottom + scrollY")
                browser.screenshot(args.screenshot, clip={"x": 0, "y": 0, "width": 1280, "height": top + 10})
        print(f"Chromium {browser_path}: load event {statistics.median(loads):.0f} ms, "
              f"sort {args.models:,} rows {statistics.median(sorts):.0f} ms, "
              f"filter {statistics.median(filters):.0f} ms (medians of {args.rounds}), "
              f"{nodes:,} DOM elements, console problems: {len(problems)}")


if __name__ == "__main__":
    main()
