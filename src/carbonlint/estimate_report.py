"""What ``carbonlint estimate`` reports: the number, every factor with its source, the band, the
block to paste, and (``--lifecycle``) the phases beyond training.

One dictionary (:func:`build`) is the JSON output and the text output's only input, so that the
two never disagree. :func:`block_values` is also what ``carbonlint fix --estimate`` writes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from carbonlint import __version__

if TYPE_CHECKING:
    from carbonlint.estimate import Estimate, Hardware
    from carbonlint.estimate_inputs import Inputs


class Deployment(NamedTuple):
    """What ``--lifecycle`` needs to estimate serving (all optional)."""

    hardware: str | None = None
    location: str | None = None
    requests_per_day: float | None = None


def significant(grams: float, digits: int = 3) -> float:
    """An estimate to three significant figures: more would claim a precision it does not have."""
    if grams == 0:
        return 0.0
    from math import floor, log10

    return float(round(grams, digits - 1 - floor(log10(abs(grams)))))


def _device_source(hw: Hardware) -> str:
    from carbonlint.estimate_inputs import data_table

    if hw.kind == "cpu":
        return "CodeCarbon CPU table (TDP)"
    table = data_table("hardware_power.json")
    row = table["accelerators"].get(hw.matched, {})
    source = table["sources"].get(row.get("source", ""), {}).get("short", "")
    basis = "TDP" if hw.kind == "gpu" else "per chip"
    return f"{source} ({basis})" if source else basis


def _grid_year(zone: str) -> int | None:
    from carbonlint.estimate_inputs import data_table

    year = data_table("grid_intensity.json")["zones"].get(zone, {}).get("year")
    return int(year) if isinstance(year, (int, float)) else None


def unknown_place(location: Any) -> str:
    """Why the world average was used: no location, or one the tables do not know."""
    from carbonlint.placeholders import is_placeholder

    if location is None or not str(location).strip() or is_placeholder(str(location)):
        return "no location given"
    return f"{str(location).strip()!r} is not in carbonlint's tables"


def _source_text(result: Estimate, hardware: list[Hardware], location: Any) -> str:
    devices = " + ".join(f"{h.count} x {h.name} ({h.watts_each:g} W)" for h in hardware)
    where = (f"world average, {unknown_place(location)}" if result.grid.fallback
             else f"{result.grid.name}; {result.grid.source}")
    return (f"carbonlint {__version__} estimate, not a measurement: rated power of {devices} x "
            f"{result.hours:,.4g} h x PUE {result.pue:.2f} x {result.grid.g_per_kwh:.4g} g/kWh "
            f"({where})")


def block_values(inputs: Inputs, result: Estimate) -> dict[str, Any]:
    """The co2_eq_emissions entries the estimate gives: the number, a source saying it is an
    estimate and how, and the inputs the card should keep beside it."""
    values: dict[str, Any] = {"emissions": significant(result.grams),
                              "source": _source_text(result, inputs.parsed_hardware(),
                                                        inputs.location.value)}
    if inputs.location.given:
        values["geographical_location"] = str(inputs.location.value).strip()
    values["hardware_used"] = str(inputs.hardware.value).strip()
    values["hours_used"] = float(f"{result.hours:.6g}")
    return values


def block_text(values: dict[str, Any], newline: str = "\n") -> str:
    from carbonlint.fix import yaml_scalar

    lines = ["co2_eq_emissions:"] + [f"  {key}: {yaml_scalar(value)}" for key, value in values.items()]
    return newline.join(lines) + newline


def mass_text(grams: float) -> str:
    for unit, size in (("t", 1e6), ("kg", 1e3)):
        if abs(grams) >= size:
            return f"{grams / size:,.3g} {unit}"
    return f"{grams:,.3g} g"


def training(inputs: Inputs) -> tuple[Estimate | None, list[Hardware]]:
    result = inputs.estimate()
    return result, (inputs.parsed_hardware() if result is not None else [])


def build(inputs: Inputs, *, lifecycle: bool = False, deployment: Deployment = Deployment(),
          card: str | None = None, reported_g: float | None = None) -> dict[str, Any]:
    """The report as plain data (the JSON output). ``reported_g``: the emissions the card
    already reports, set beside the estimate."""
    from carbonlint.estimate_band import band

    def described(item: Any) -> dict[str, Any]:
        return {"value": item.value, "origin": item.origin}

    out: dict[str, Any] = {
        "card": card,
        "inputs": {name: described(getattr(inputs, name))
                   for name in ("hardware", "hours", "location", "pue", "provider")},
        "reported_g": reported_g,
    }
    result, hardware = training(inputs)
    if result is None:
        out.update(estimate_g=None, missing=inputs.missing())
        return out
    spread = band(result, pue_given=inputs.pue.given)
    grid = result.grid
    values = block_values(inputs, result)
    out.update(
        estimate_g=result.grams,
        energy_kwh=result.kwh,
        band_g=[spread.low_g, spread.high_g],
        band_factors=list(spread.factors),
        factors={
            "devices": [{"count": h.count, "name": h.name, "kind": h.kind,
                         "watts_each": h.watts_each, "matched": h.matched,
                         "source": _device_source(h)} for h in hardware],
            "hours": result.hours,
            "pue": {"value": result.pue, "source": inputs.pue_origin(result)},
            "grid": {"g_per_kwh": grid.g_per_kwh, "zone": grid.zone, "name": grid.name,
                     "year": _grid_year(grid.zone), "source": grid.source,
                     "fallback": grid.fallback},
        },
        arithmetic=result.arithmetic,
        co2_eq_emissions=values,
        block=block_text(values),
        missing=[],
    )
    if lifecycle:
        out["lifecycle"] = lifecycle_report(result, hardware, deployment)
    return out


def lifecycle_report(result: Estimate, hardware: list[Hardware],
                     deployment: Deployment) -> dict[str, Any]:
    from carbonlint import lifecycle as lc
    from carbonlint.estimate import parse_hardware

    phases: list[dict[str, Any]] = [{
        "name": "training", "grams": result.grams, "unit": "g", "arithmetic": result.arithmetic,
        "assumptions": ["rated power (TDP) for the whole run"], "source": "carbonlint estimator",
    }]
    notes: list[str] = []
    for phase in (lc.embodied(hardware, result.hours), lc.idle(result)):
        if phase is not None:
            phases.append(_phase(phase))
    if not any(p["name"] == "embodied" for p in phases):
        notes.append("embodied: no accelerator in the hardware, and the constants describe "
                     "accelerator servers")
    total = sum(p["grams"] for p in phases)
    keys: dict[str, Any] = {}
    for p in phases[1:]:
        key = lc.EMBODIED if p["name"] == "embodied" else lc.IDLE
        keys[key] = significant(p["grams"])
        keys[lc.SOURCE_OF[key]] = f"carbonlint {__version__} estimate: {p['source']}"
    per_day = None
    if deployment.hardware:
        served = parse_hardware(deployment.hardware)
        if served:
            location = deployment.location if deployment.location is not None else None
            per_day = lc.deployment_per_day(served, location)
            entry = _phase(per_day)
            keys[lc.PER_DAY] = significant(per_day.grams)
            keys["deployment_hardware"] = deployment.hardware
            if deployment.location:
                keys["deployment_location"] = deployment.location
            if deployment.requests_per_day:
                per_1000 = lc.per_1000_requests(per_day.grams, deployment.requests_per_day)
                entry["per_1000_requests_g"] = per_1000
                keys[lc.PER_1000] = significant(per_1000)
                keys["deployment_requests_per_day"] = deployment.requests_per_day
            keys[lc.SOURCE_OF[lc.PER_DAY]] = f"carbonlint {__version__} estimate: {per_day.source}"
            phases.append(entry)
        else:
            notes.append(f"deployment: {deployment.hardware!r} names no device carbonlint knows")
    else:
        notes.append("deployment: give --deploy-hardware (and --requests-per-day) to estimate "
                     "serving")
    return {"phases": phases, "total_g": total, "per_day_g": per_day.grams if per_day else None,
            "keys": keys, "notes": notes}


def _phase(phase: Any) -> dict[str, Any]:
    return {"name": phase.name, "grams": phase.grams, "unit": phase.unit,
            "arithmetic": phase.arithmetic, "assumptions": list(phase.assumptions),
            "source": phase.source}


# --------------------------------------------------------------------------- text


def render_text(report: dict[str, Any]) -> str:
    lines: list[str] = []
    if report.get("card"):
        lines.append(f"{report['card']}:")
    lines.append("inputs:")
    for name, item in report["inputs"].items():
        if item["value"] is None and name in ("pue", "provider"):
            continue
        value = item["value"]
        shown = "-" if value is None else f"{value:g}" if isinstance(value, float) else value
        lines.append(f"  {name + ':':<10} {shown}  [{item['origin']}]")
    if report["estimate_g"] is None:
        lines.append("no estimate: missing " + "; ".join(report["missing"]))
        return "\n".join(lines) + "\n"
    f = report["factors"]
    lines.append("factors:")
    for d in f["devices"]:
        lines.append(f"  device:   {d['count']} x {d['name']}, {d['watts_each']:g} W each "
                     f"[{d['source']}]")
    lines.append(f"  hours:    {f['hours']:,.6g}")
    lines.append(f"  PUE:      {f['pue']['value']:.2f} [{f['pue']['source']}]")
    g = f["grid"]
    year = f", {g['year']}" if g["year"] else ", year not given by the source"
    note = f"; {unknown_place(report['inputs']['location']['value'])}" if g["fallback"] else ""
    lines.append(f"  grid:     {g['g_per_kwh']:.4g} g CO2eq/kWh, {g['name']} (zone {g['zone']}"
                 f"{year}) [{g['source']}{note}]")
    low, high = report["band_g"]
    lines += [
        f"estimate: {mass_text(report['estimate_g'])} CO2eq ({report['energy_kwh']:,.4g} kWh)",
        f"  {report['arithmetic']}",
        f"band:     {mass_text(low)} to {mass_text(high)} ({'; '.join(report['band_factors'])})",
    ]
    reported = report.get("reported_g")
    if reported:
        lines.append(f"reported: {mass_text(reported)} on the card, {reported / report['estimate_g']:.2f} "
                     "times this estimate" + ("" if low <= reported <= high else ", outside the band"))
    if "lifecycle" in report:
        life = report["lifecycle"]
        lines.append("life cycle:")
        for phase in life["phases"]:
            unit = " a day" if phase["unit"] == "g/day" else ""
            lines.append(f"  {phase['name'] + ':':<12} {mass_text(phase['grams'])}{unit}")
            if phase["name"] != "training":
                lines.append(f"    {phase['arithmetic']}")
                for assumption in phase["assumptions"]:
                    lines.append(f"    assumes: {assumption}")
                lines.append(f"    source: {phase['source']}")
            if "per_1000_requests_g" in phase:
                lines.append(f"    per 1,000 requests: {mass_text(phase['per_1000_requests_g'])}")
        lines.append(f"  total (training, embodied, idle): {mass_text(life['total_g'])}")
        for note in life["notes"]:
            lines.append(f"  not estimated: {note}")
    heading = ("co2_eq_emissions block (paste into the card's front matter):" if not reported else
               "co2_eq_emissions block (the card reports its own number: keep it if measured):")
    lines += ["", heading, "", report["block"].rstrip("\n")]
    if "lifecycle" in report and report["lifecycle"]["keys"]:
        from carbonlint.fix import yaml_scalar

        lines += ["  # life-cycle extension keys (docs/lifecycle.md):"]
        lines += [f"  {k}: {yaml_scalar(v)}" for k, v in report["lifecycle"]["keys"].items()]
    return "\n".join(lines) + "\n"
