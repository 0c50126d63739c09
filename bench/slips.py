"""Unit-slip benchmark: published training footprints as cards, right and with the kilogram
figure in the grams field.

Each published run of ``shared/data/reference-emissions/training_emissions_reference.csv`` that
gives its hardware and either device count with device-hours or device-hours alone becomes
cards in the spellings real cards use:

- ``counted``: ``hardware_used: 384 x NVIDIA A100 80GB`` and ``hours_used`` (wall-clock hours,
  device-hours / count);
- ``count-in-text``: ``hardware_used: NVIDIA A100 80GB`` and the count and hours in a sentence
  ("trained on 384 NVIDIA A100 80GB GPUs for 2,820 hours");
- ``no-count``: ``hardware_used: NVIDIA A100 80GB`` and ``hours_used``, the count nowhere: the
  estimate is then a lower bound (one device) and only a slip below it can be caught, so this
  spelling is reported apart from the target (a run of 384 devices is 384 times its bound);
- ``device-hours``: ``hardware_used: A100-80GB`` and "used 184,320 GPU hours" in the text (Meta's
  model cards), for runs published with device-hours only.

Each card is checked twice: with the published emissions in grams (right) and with the same
figure in kilograms written in the grams field (a thousandfold slip). A card is *flagged* when
carbonlint reports CL401, CL402, CL404 or CL501 on it. Targets (issue 11): at least 95% of the
slips flagged, at most 5% of the right numbers flagged.

    python bench/slips.py --shared ../shared/data [--verbose]
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path
from typing import Iterator, NamedTuple

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from carbonlint.card import parse_card  # noqa: E402
from carbonlint.checker import check_card  # noqa: E402
from carbonlint.config import Config  # noqa: E402

FLAGS = frozenset({"CL401", "CL402", "CL404", "CL501"})
NO_COUNT: dict[str, list[int]] = {}


class Case(NamedTuple):
    run: str
    spelling: str
    front_matter: str
    body: str
    grams: float


def _number(text: str) -> float | None:
    try:
        return float(text.replace(",", "")) if text.strip() else None
    except ValueError:
        return None


def cases(rows: list[dict[str, str]]) -> Iterator[Case]:
    for row in rows:
        tonnes = _number(row["emissions_tco2eq"])
        device_hours = _number(row["accelerator_hours"])
        count = _number(row["n_accelerators"])
        hardware = row["hardware"].strip()
        if tonnes is None or device_hours is None or not hardware:
            continue
        grams = tonnes * 1e6
        meta = (f"co2_eq_emissions:\n  emissions: {{grams}}\n  source: {row['source'][:60]!r}\n"
                f"  training_type: pre-training\n  geographical_location: {row['location']!r}\n")
        name = f"{row['model']} ({row['scope']})" if row["scope"] else row["model"]
        if count:
            hours = device_hours / count
            counted = hardware if hardware[:1].isdigit() or " x" in hardware else (
                f"{count:.0f} x {hardware}")
            yield Case(name, "counted", meta + f"  hardware_used: {counted!r}\n"
                       f"  hours_used: {hours:.6g}\n", "# Model\n", grams)
            plain = hardware.split(" x")[0]
            yield Case(name, "no-count", meta + f"  hardware_used: {plain!r}\n"
                       f"  hours_used: {hours:.6g}\n", "# Model\n", grams)
            yield Case(name, "count-in-text", meta + f"  hardware_used: {plain!r}\n",
                       f"# Model\n\nThe model was trained on {count:.0f} {plain} GPUs for "
                       f"{hours:,.0f} hours.\n", grams)
        else:
            yield Case(name, "device-hours", meta + f"  hardware_used: {hardware!r}\n",
                       f"# Model\n\nPretraining used a cumulative {device_hours:,.0f} GPU hours "
                       f"of computation on hardware of type {hardware}.\n", grams)


def flagged(case: Case, grams: float) -> list[str]:
    text = "---\n" + case.front_matter.format(grams=f"{grams:.6g}") + "---\n" + case.body
    report = check_card(parse_card(text, "README.md"), Config())
    return sorted({f.code for f in report.findings if f.code in FLAGS})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--verbose", action="store_true", help="one line per card")
    args = parser.parse_args(argv)
    source = args.shared / "reference-emissions" / "training_emissions_reference.csv"
    with source.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    every_case = list(cases(rows))
    all_cases = [case for case in every_case if case.spelling != "no-count"]
    for case in (case for case in every_case if case.spelling == "no-count"):
        slip, right = flagged(case, case.grams / 1000), flagged(case, case.grams)
        if args.verbose:
            print(f"{case.spelling:<14} {case.run[:48]:<48} right {','.join(right) or '-':<12}"
                  f" slip {','.join(slip) or 'MISSED'}")
        tally = NO_COUNT.setdefault("no-count", [0, 0, 0])
        tally[0] += 1
        tally[1] += bool(slip)
        tally[2] += bool(right)
    right_flagged = slips_flagged = 0
    by_spelling: dict[str, list[int]] = {}
    for case in all_cases:
        right = flagged(case, case.grams)
        slip = flagged(case, case.grams / 1000)
        right_flagged += bool(right)
        slips_flagged += bool(slip)
        tally = by_spelling.setdefault(case.spelling, [0, 0, 0])
        tally[0] += 1
        tally[1] += bool(slip)
        tally[2] += bool(right)
        if args.verbose:
            print(f"{case.spelling:<14} {case.run[:48]:<48} right {','.join(right) or '-':<12}"
                  f" slip {','.join(slip) or 'MISSED'}")
    n = len(all_cases)
    print(f"{len(rows)} published runs, {n} cards ({len(rows) - len({c.run for c in all_cases})}"
          " runs without hardware and device-hours left out)")
    print(f"{'spelling':<16}{'cards':>6}{'slips flagged':>16}{'right flagged':>16}")
    for spelling, (count, slips, rights) in sorted(by_spelling.items()):
        print(f"{spelling:<16}{count:>6}{slips:>10} ({slips / count:>4.0%}){rights:>10} "
              f"({rights / count:>3.0%})")
    print(f"{'all':<16}{n:>6}{slips_flagged:>10} ({slips_flagged / n:>4.0%}){right_flagged:>10} "
          f"({right_flagged / n:>3.0%})")
    for spelling, (count, slips, rights) in NO_COUNT.items():
        print(f"{spelling + ' (apart)':<16}{count:>6}{slips:>10} ({slips / count:>4.0%})"
              f"{rights:>10} ({rights / count:>3.0%})")
    ok = slips_flagged >= 0.95 * n and right_flagged <= 0.05 * n
    print("targets (>= 95% of slips, <= 5% of right numbers):", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
