"""Many cards in one call: carbonlint versus the floor of reading and composing their YAML.

    python bench/many_cards.py [--cards 10000]

The floor is the least any YAML-based linter must do: read each file, cut the front matter out
and compose it with ``yaml.CSafeLoader``, in one process. carbonlint runs as one
``carbonlint check DIR`` process on the same files, writing its text report to /dev/null. Both
are timed as whole processes, interleaved, three rounds, medians; memory is the peak RSS of each
process, measured at three sizes to show whether it grows with the number of cards.
"""

from __future__ import annotations

import argparse
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

AUTOTRAIN = """---
tags:
- autotrain
- text-classification
language:
- en
widget:
- text: "{widget}"
datasets:
- user{i}/autotrain-data-project{i}
co2_eq_emissions: {grams}
---

# Model Trained Using AutoTrain

- Problem type: Multi-class Classification
- Model ID: {i}
- CO2 Emissions (in grams): {rounded}

## Validation Metrics

- Loss: 0.{i}
- Accuracy: 0.9{i}
"""

MAPPING = """---
license: apache-2.0
library_name: sentence-transformers
tags:
- sentence-transformers
- feature-extraction
co2_eq_emissions:
  emissions: {grams}
  energy_consumed: 0.{i}
  source: codecarbon
  training_type: {training_type}
  on_cloud: false
  cpu_model: 13th Gen Intel(R) Core(TM) i7-13700K
  ram_total_size: 31.78
  hours_used: 0.11
  hardware_used: 1 x NVIDIA GeForce RTX 3090
model-index:
- name: model-{i}
  results:
  - task: {{type: text-classification}}
    dataset: {{name: imdb, type: imdb}}
    metrics:
    - {{type: accuracy, value: 0.9{i}}}
---

# SentenceTransformer {i}

{body}
"""

PLAIN = """---
license: mit
language: [en, fr]
pipeline_tag: text-generation
---

# A model without an emissions report

{body}
"""


def make_cards(folder: Path, count: int) -> None:
    rng = random.Random(2023)
    body = "Some prose about the model, its data and its limitations. " * 40
    for i in range(count):
        grams = rng.lognormvariate(1.3, 2.0)
        kind = rng.random()
        if kind < 0.5:
            text = AUTOTRAIN.format(i=i, grams=repr(grams), rounded=f"{grams:.4f}",
                                    widget="I love this movie! " * 5)
        elif kind < 0.8:
            training_type = rng.choice(["fine-tuning", "finetuning", "pre-training"])
            text = MAPPING.format(i=i, grams=repr(grams), training_type=training_type, body=body)
        else:
            text = PLAIN.format(body=body)
        card = folder / f"m{i:05d}" / "README.md"
        card.parent.mkdir()
        card.write_text(text, encoding="utf-8")


FLOOR = r"""
import os, re, sys, yaml
pattern = re.compile(r"^(\s*---(?:\r\n|\r|\n))([\S\s]*?)((?:\r\n|\r|\n)---[ \t]*(\r\n|\r|\n|$))")
count = 0
for folder, dirs, files in os.walk(sys.argv[1]):
    dirs.sort()
    for name in sorted(files):
        with open(os.path.join(folder, name), "rb") as handle:
            text = handle.read().decode("utf-8-sig")
        match = pattern.search(text)
        if match:
            yaml.compose(match.group(2), Loader=yaml.CSafeLoader)
            count += 1
print(count)
"""


def run(command: list[str], expect: set[int]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    result = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if result.returncode not in expect:
        raise SystemExit(f"{command[:3]} exited {result.returncode}: {result.stderr.decode()[-500:]}")
    # ru_maxrss of children is the largest so far: measure growing sizes in increasing order.
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, max(peak, before) / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cards", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    carbonlint = shutil.which("carbonlint", path=str(Path(sys.executable).parent))
    if not carbonlint:
        raise SystemExit("install carbonlint into this environment first")
    work = Path(tempfile.mkdtemp())
    sizes = sorted({max(args.cards // 10, 1), args.cards // 2, args.cards})
    folders = {}
    for size in sizes:
        folders[size] = work / str(size)
        folders[size].mkdir()
        make_cards(folders[size], size)
    floor = [sys.executable, "-c", FLOOR]
    print(f"Python {sys.version.split()[0]}; {args.rounds} interleaved rounds, medians")
    print(f"{'cards':>7} {'floor':>9} {'carbonlint':>11} {'ratio':>6} {'floor RSS':>10} {'carbonlint RSS':>15}")
    # Memory first, smallest size first (ru_maxrss only grows).
    rss: dict[int, tuple[float, float]] = {}
    for size in sizes:
        _, floor_rss = run(floor + [str(folders[size])], {0})
        rss[size] = (floor_rss, 0.0)
    for size in sizes:
        _, lint_rss = run([carbonlint, "check", str(folders[size])], {0, 1})
        rss[size] = (rss[size][0], lint_rss)
    for size in sizes:
        floor_times, lint_times = [], []
        for _ in range(args.rounds):
            floor_times.append(run(floor + [str(folders[size])], {0})[0])
            lint_times.append(run([carbonlint, "check", str(folders[size])], {0, 1})[0])
        f, c = statistics.median(floor_times), statistics.median(lint_times)
        print(f"{size:>7} {f:8.2f}s {c:10.2f}s {c / f:5.2f}x {rss[size][0]:8.1f}MiB {rss[size][1]:13.1f}MiB")
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
