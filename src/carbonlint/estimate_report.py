"""What ``carbonlint estimate`` reports: the number, every factor with its source, the band, the
block to paste, and (``--lifecycle``) the phases beyond training.

One dictionary (:func:`build`) is the JSON output and the text output's only input, so that the
two never disagree. :func:`block_values` is also what ``carbonlint fix --estimate`` writes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from carbonlint import __version__
from carbonlint.record import Record

if TYPE_CHECKING:
    from carbonlint.estimate import Estimate, Hardware
    from carbonlint.estimate_inputs import Inputs


class Deployment(Record):
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


def _source_text(result: Estimate, inputs: Inputs) -> str:
    where = (f"world average, {unknown_place(inputs.location.value)}" if result.grid.fallback
             else f"{result.grid.name}; {result.grid.source}")
    grid = f"{result.grid.g_per_kwh:.4g} g/kWh ({where})"
    if result.watts <= 0:
        return (f"carbonlint {__version__} estimate: the card's energy_consumed, "
                f"{result.kwh:,.4g} kWh x {grid}")
    hardware, _ = inputs.run()
    devices = " + ".join(f"{h.count} x {h.name} ({h.watts_each:g} W)" for h in hardware)
    hours = (f"{result.hours:,.4g} device-hours" if inputs.uses_device_hours()
             else f"{result.hours:,.4g} h")
    return (f"carbonlint {__version__} estimate, not a measurement: rated power of {devices} x "
            f"{hours} x PUE {result.pue:.2f} x {grid}")


def block_values(inputs: Inputs, result: Estimate) -> dict[str, Any]:
    """The co2_eq_emissions entries the estimate gives: the number, a source saying it is an
    estimate and how, and the inputs the card should keep beside it (the hardware with the
    count the estimate used; wall-clock hours only: device-hours are no hours_used)."""
    values: dict[str, Any] = {"emissions": significant(result.grams),
                              "source": _source_text(result, inputs)}
    if inputs.location.given:
        values["geographical_location"] = str(inputs.location.value).strip()
    if result.watts <= 0:
        return values
    if inputs.count.given:
        values["hardware_used"] = " + ".join(f"{h.count} x {h.name}" for h in inputs.parsed_hardware())
    else:
        values["hardware_used"] = str(inputs.hardware.value).strip()
    if not inputs.uses_device_hours():
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
    if result is None or result.watts <= 0:
        return result, []
    return result, inputs.run()[0]


def build(inputs: Inputs, *, lifecycle: bool = False, deployment: Deployment = Deployment(),
          card: str | None = None, reported_g: float | None = None) -> dict[str, Any]:
    """The report as plain data (the JSON output). ``reported_g``: the emissions the card
    already reports, set beside the estimate."""
    from carbonlint.estimate_band import band

    out: dict[str, Any] = {
        "card": card,
        "inputs": inputs.described(),
        "reported_g": reported_g,
    }
    result, hardware = training(inputs)
    if result is None:
        out.update(estimate_g=None, missing=inputs.missing())
        return out
    spread = band(result, pue_given=inputs.pue.given)
    band_g: list[float | None] = [spread.low_g, spread.high_g]
    band_factors = list(spread.factors)
    if not result.exact:
        # A device without its count, or known by its kind only: the figure is a lower bound,
        # with no upper end while a count is missing, and no number to paste into a card.
        band_g = [spread.low_g * result.low / result.grams,
                  None if result.high == float("inf") else spread.high_g * result.high / result.grams]
        band_factors += list(result.assumptions)
    grid = result.grid
    values = block_values(inputs, result) if result.exact else None
    out.update(
        estimate_g=result.grams,
        exact=result.exact,
        assumptions=list(result.assumptions),
        energy_kwh=result.kwh,
        band_g=band_g,
        band_factors=band_factors,
        factors={
            "devices": [{"count": h.count, "name": h.name, "kind": h.kind,
                         "watts_each": h.watts_each, "matched": h.matched,
                         "source": _device_source(h)} for h in hardware],
            "hours": result.hours if result.watts > 0 else None,
            "device_hours": inputs.uses_device_hours(),
            "energy_kwh": {"value": result.kwh, "source": inputs.energy.origin}
            if result.watts <= 0 else None,
            "pue": {"value": result.pue, "source": inputs.pue_origin(result)},
            "grid": {"g_per_kwh": grid.g_per_kwh, "zone": grid.zone, "name": grid.name,
                     "year": _grid_year(grid.zone), "source": grid.source,
                     "fallback": grid.fallback},
        },
        arithmetic=result.arithmetic,
        co2_eq_emissions=values,
        block=block_text(values) if values is not None else None,
        missing=[],
    )
    if lifecycle and result.watts > 0:
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
        if item["value"] is None and name not in ("hardware", "hours", "location"):
            continue  # pue, provider, count, device_hours, energy: shown only when given
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
    if f["energy_kwh"] is not None:
        lines.append(f"  energy:   {f['energy_kwh']['value']:,.6g} kWh [{f['energy_kwh']['source']}]")
    else:
        unit = " device-hours (every device's hours together)" if f["device_hours"] else ""
        lines.append(f"  hours:    {f['hours']:,.6g}{unit}")
    lines.append(f"  PUE:      {f['pue']['value']:.2f} [{f['pue']['source']}]")
    g = f["grid"]
    year = f", {g['year']}" if g["year"] else ", year not given by the source"
    note = f"; {unknown_place(report['inputs']['location']['value'])}" if g["fallback"] else ""
    lines.append(f"  grid:     {g['g_per_kwh']:.4g} g CO2eq/kWh, {g['name']} (zone {g['zone']}"
                 f"{year}) [{g['source']}{note}]")
    low, high = report["band_g"]
    span = f"{mass_text(low)} to {mass_text(high)}" if high is not None else f"at least {mass_text(low)}"
    lines += [
        f"estimate: {mass_text(report['estimate_g'])} CO2eq ({report['energy_kwh']:,.4g} kWh)"
        + ("" if report["exact"] else ", a lower bound"),
        f"  {report['arithmetic']}",
        f"band:     {span} ({'; '.join(report['band_factors'])})",
    ]
    reported = report.get("reported_g")
    if reported:
        inside = low <= reported and (high is None or reported <= high)
        lines.append(f"reported: {mass_text(reported)} on the card, {reported / report['estimate_g']:.2f} "
                     "times this estimate" + ("" if inside else ", outside the band"))
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
    if report["block"] is None:
        lines += ["", "no co2_eq_emissions block: a lower bound is not the run's emissions (give "
                  "every device's count, with --hardware \"8 x A100\" or in the card)"]
        return "\n".join(lines) + "\n"
    heading = ("co2_eq_emissions block (paste into the card's front matter):" if not reported else
               "co2_eq_emissions block (the card reports its own number: keep it if measured):")
    lines += ["", heading, "", report["block"].rstrip("\n")]
    if "lifecycle" in report and report["lifecycle"]["keys"]:
        from carbonlint.fix import yaml_scalar

        lines += ["  # life-cycle extension keys (docs/lifecycle.md):"]
        lines += [f"  {k}: {yaml_scalar(v)}" for k, v in report["lifecycle"]["keys"].items()]
    return "\n".join(lines) + "\n"
