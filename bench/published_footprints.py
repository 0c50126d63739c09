"""Reproduce published footprints from their published inputs; print estimate / published.

    python bench/published_footprints.py [--reference PATH] [--format markdown|text]

Two estimates per published training run (``shared/data/reference-emissions``):

- **published inputs**: the paper's own accelerator-hours, power per device, PUE (where the
  published figure includes it) and grid intensity, through carbonlint's arithmetic. A ratio
  far from 1 means the method differs from the paper's (or the row's inputs are incomplete).
- **carbonlint tables**: what ``carbonlint estimate`` gives from the hardware name and location
  the paper states (rated power from carbonlint's table, the grid of the named place, the
  published PUE when there is one, else carbonlint's default).

Then BLOOM's life cycle (arXiv:2211.02001): dynamic, idle, embodied, total and deployment, from
the paper's inputs through ``carbonlint.lifecycle``. The idle and embodied constants are BLOOM's
own, so those ratios check the arithmetic, not an independent prediction.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CANDIDATES = [
    ROOT.parent / "shared" / "data" / "reference-emissions" / "training_emissions_reference.csv",
    ROOT.parent.parent / "shared" / "data" / "reference-emissions" / "training_emissions_reference.csv",
]


def number(text: str) -> float | None:
    try:
        return float(text.replace(",", ""))
    except (ValueError, AttributeError):
        return None


def published_inputs(row: dict[str, str]) -> tuple[float | None, str]:
    """grams from the row's own inputs, and how they were combined."""
    grid = number(row["grid_gco2_per_kwh"])
    pue = number(row["pue"])
    where = row["pue_in_energy"].strip()
    # Does the published emission include PUE? "yes": the energy already does; "applied to
    # emissions" or a basis "x PUE": multiply; otherwise the figure is before PUE.
    apply_pue = pue is not None and (where == "applied to emissions"
                                     or (not where and "x PUE" in row["emissions_basis"]))
    factor = pue if apply_pue else 1.0
    hours, watts = number(row["accelerator_hours"]), number(row["power_w_per_accel"])
    if grid is None:
        return None, "no published grid intensity"
    if hours and watts:
        in_energy = pue if (where == "yes" and pue is not None) else 1.0
        kwh = hours * watts / 1000 * in_energy * factor
        how = f"{hours:,.0f} h x {watts:g} W" + (f" x PUE {pue:g}" if in_energy * factor != 1 else "")
        return kwh * grid, f"{how} x {grid:g} g/kWh"
    energy = number(row["energy_mwh"])
    if energy:
        kwh = energy * 1000 * factor
        how = f"{energy:g} MWh" + (f" x PUE {pue:g}" if factor != 1 else "")
        return kwh * grid, f"{how} x {grid:g} g/kWh"
    return None, "no published hours x power or energy"


def in_band(row: dict[str, str]) -> bool | None:
    """Whether the published figure lies inside the band of carbonlint's estimate."""
    from carbonlint.estimate import estimate, parse_hardware
    from carbonlint.estimate_band import band

    hours, parsed = number(row["accelerator_hours"]), parse_hardware(row["hardware"])
    published = number(row["emissions_tco2eq"])
    if not hours or not parsed or not published:
        return None
    pue = number(row["pue"])
    result = estimate([parsed[0]._replace(count=1)], hours, row["location"], pue)
    spread = band(result, pue_given=pue is not None)
    return spread.low_g <= published * 1e6 <= spread.high_g


def with_tables(row: dict[str, str]) -> tuple[float | None, str]:
    from carbonlint.estimate import estimate, parse_hardware

    hours = number(row["accelerator_hours"])
    parsed = parse_hardware(row["hardware"])
    if not hours or not parsed:
        return None, "hardware or accelerator-hours not given" if not hours else "hardware not recognised"
    device = parsed[0]._replace(count=1)  # accelerator-hours: one device for that many hours
    pue = number(row["pue"])
    result = estimate([device], hours, row["location"], pue)
    grid = f"{result.grid.g_per_kwh:.0f} g/kWh ({result.grid.name})"
    return result.grams, f"{device.name} {device.watts_each:g} W, PUE {result.pue:.2f}, {grid}"


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def training_rows(path: Path) -> list[list[str]]:
    rows = read_rows(path)
    out = []
    for row in rows:
        published = number(row["emissions_tco2eq"])
        if not published:
            continue
        grams_a, how_a = published_inputs(row)
        grams_b, how_b = with_tables(row)
        out.append([
            row["model"], row["scope"], f"{published:g}",
            ratio(grams_a, published), how_a,
            ratio(grams_b, published), how_b,
        ])
    return out


def ratio(grams: float | None, published_t: float) -> str:
    return "-" if grams is None else f"{grams / (published_t * 1e6):.2f}"


def lifecycle_rows() -> list[list[str]]:
    from carbonlint import lifecycle
    from carbonlint.estimate import estimate, parse_hardware

    c = lifecycle.constants()
    published = c["published"]
    paper_grid = 57.0  # g/kWh, arXiv:2211.02001 Table 1
    hardware = parse_hardware("384 x A100 80GB")
    hours = 1_082_990 / 384
    dynamic = estimate(hardware, hours, "France", pue=1.0)
    dynamic_g = dynamic.kwh * paper_grid
    idle = lifecycle.idle(dynamic)
    embodied = lifecycle.embodied(hardware, hours)
    assert idle is not None and idle.kwh is not None and embodied is not None
    idle_g = idle.kwh * paper_grid
    deploy = c["deployment"]
    served = parse_hardware(f"{deploy['devices']} x A100 SXM4 40GB")
    day = lifecycle.deployment_per_day(served, "us-central1", pue=1.0)
    assert day.kwh is not None
    day_paper_g = day.kwh * deploy["grid_g_per_kwh"]
    day_tables = lifecycle.deployment_per_day(served, "us-central1")
    per_1000_published = deploy["kg_per_day"] * 1000 / (deploy["requests"] / deploy["days"]) * 1000
    per_1000 = lifecycle.per_1000_requests(day_paper_g, lifecycle.bloom_requests_per_day())
    rows = [
        ("dynamic (training GPUs)", dynamic_g, published["bloom_dynamic_t"] * 1e6,
         "1,082,990 GPU-h x 400 W x 57 g/kWh"),
        ("idle and infrastructure", idle_g, published["bloom_idle_t"] * 1e6,
         "0.59 x GPU energy x 57 g/kWh (constant from BLOOM)"),
        ("embodied", embodied.grams, published["bloom_embodied_t"] * 1e6,
         "10.35 g per GPU-h (constants from BLOOM)"),
        ("life-cycle total", dynamic_g + idle_g + embodied.grams, published["bloom_total_t"] * 1e6,
         "sum of the three"),
        ("deployment, per day", day_paper_g, deploy["kg_per_day"] * 1000,
         "16 x A100 400 W x 24 h x 33 % x 394 g/kWh (load from BLOOM)"),
        ("deployment, per day (carbonlint tables)", day_tables.grams, deploy["kg_per_day"] * 1000,
         f"same, PUE {1.11:.2f} and {day_tables.arithmetic.split(' x ')[-1].split(' = ')[0]}"),
        ("deployment, per 1,000 requests", per_1000, per_1000_published,
         "per day / 12,820 requests a day"),
    ]
    return [[name, mass(est), mass(pub), f"{est / pub:.2f}", how] for name, est, pub, how in rows]


def mass(grams: float) -> str:
    for unit, size in (("t", 1e6), ("kg", 1e3)):
        if grams >= size:
            return f"{grams / size:,.3g} {unit}"
    return f"{grams:,.3g} g"


def markdown(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cells) + " |" for cells in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reference", type=Path, default=None,
                        help="training_emissions_reference.csv (default: ../shared/data/...)")
    args = parser.parse_args(argv)
    path = args.reference or next((p for p in CANDIDATES if p.exists()), None)
    if path is None or not path.exists():
        print("reference CSV not found; pass --reference", file=sys.stderr)
        return 2
    training = training_rows(path)
    print(f"Training runs ({path.name}): estimate / published\n")
    print(markdown(["model", "scope", "published (t)", "ratio, published inputs", "inputs",
                    "ratio, carbonlint tables", "carbonlint used"], training))
    print("\nBLOOM's life cycle (arXiv:2211.02001) from its published inputs\n")
    print(markdown(["phase", "estimate", "published", "ratio", "how"], lifecycle_rows()))
    ratios = [float(r[3]) for r in training if r[3] != "-"]
    tables = [float(r[5]) for r in training if r[5] != "-"]
    if ratios:
        print(f"\npublished inputs: {len(ratios)} runs, ratio {min(ratios):.2f}-{max(ratios):.2f}")
    if tables:
        print(f"carbonlint tables: {len(tables)} runs, ratio {min(tables):.2f}-{max(tables):.2f}")
    verdicts = [(row, in_band(row)) for row in read_rows(path)]
    judged = [(row, inside) for row, inside in verdicts if inside is not None]
    outside = [f"{row['model']} ({row['scope']})" for row, inside in judged if not inside]
    print(f"uncertainty band: {len(judged) - len(outside)} of {len(judged)} published figures "
          f"inside their run's band" + (f"; outside: {', '.join(outside)}" if outside else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
