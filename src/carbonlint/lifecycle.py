"""The phases of a model's life cycle beyond the training electricity, as BLOOM's study counted them.

Luccioni, Viguier and Ligozat (arXiv:2211.02001) put BLOOM's final training at 24.7 t CO2eq of
dynamic power, 50.5 t with the manufacture of the hardware share used (11.2 t) and the idle and
infrastructure consumption of the cluster (14.6 t), and measured its API deployment at about 19 kg
a day. This module holds those phases twice over:

- the **keys** a card can write in its ``co2_eq_emissions`` mapping (documented in
  ``schemas/co2_eq_emissions.schema.json`` and docs/lifecycle.md), with the completeness note the
  report gives beside the reporting class;
- the **estimates** of each phase from hardware, hours and location, with every assumption
  stated, scaled from BLOOM's published inputs (``data/lifecycle.json``; the provenance of every
  constant is in ``data/PROVENANCE.md``).

An estimate here is an order of magnitude, like the training estimate it extends.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any, Mapping

from carbonlint.record import Record

if TYPE_CHECKING:
    from carbonlint.estimate import Estimate, Hardware

HOURS_PER_YEAR = 8760.0

# The extension keys, each in grams with its source key (see docs/lifecycle.md).
EMBODIED = "embodied_emissions"
IDLE = "idle_emissions"
PER_DAY = "deployment_emissions_per_day"
PER_1000 = "deployment_emissions_per_1000_requests"
FIGURE_KEYS = (EMBODIED, IDLE, PER_DAY, PER_1000)
SOURCE_OF = {
    EMBODIED: "embodied_source",
    IDLE: "idle_source",
    PER_DAY: "deployment_source",
    PER_1000: "deployment_source",
}
CONTEXT_KEYS = ("deployment_hardware", "deployment_location", "deployment_requests_per_day")
KEYS = FIGURE_KEYS + tuple(dict.fromkeys(SOURCE_OF.values())) + CONTEXT_KEYS
PHASE_OF = {EMBODIED: "embodied", IDLE: "idle", PER_DAY: "deployment", PER_1000: "deployment"}
PHASES = ("training", "embodied", "idle", "deployment")


class Phase(Record):
    """One phase's estimate: grams (per day or per 1,000 requests for deployment), how, and
    what was assumed."""

    name: str
    grams: float
    unit: str  # "g", "g/day", "g/1000 requests"
    arithmetic: str
    assumptions: tuple[str, ...]
    source: str
    kwh: float | None = None


@lru_cache(maxsize=None)
def constants() -> dict[str, Any]:
    import json

    from carbonlint.resources import read_text

    table: dict[str, Any] = json.loads(read_text("data", "lifecycle.json"))
    return table


# --------------------------------------------------------------------------- completeness


def phases_reported(co2: Any) -> list[str]:
    """The phases a ``co2_eq_emissions`` value reports: training (the number itself), then the
    extension keys that hold a number."""
    from carbonlint.units import finite_number

    if isinstance(co2, Mapping):
        found = ["training"] if co2.get("emissions") is not None else []
        for key in FIGURE_KEYS:
            value = finite_number(co2.get(key))
            if value is not None and PHASE_OF[key] not in found:
                found.append(PHASE_OF[key])
        return found
    return ["training"] if co2 is not None else []


def completeness_note(co2: Any) -> str | None:
    """The note the report gives beside the reporting class; None when no emissions are given."""
    reported = phases_reported(co2)
    if "training" not in reported:
        return None
    missing = [p for p in PHASES if p not in reported]
    if not missing:
        return "life cycle: training, embodied, idle and deployment reported"
    if reported == ["training"]:
        return "life cycle: training only (embodied, idle, deployment not reported)"
    return f"life cycle: {', '.join(reported)} reported; {', '.join(missing)} not"


def has_lifecycle_keys(co2: Any) -> bool:
    return isinstance(co2, Mapping) and any(key in co2 for key in KEYS)


# --------------------------------------------------------------------------- estimates


def _mass(grams: float) -> str:
    for unit, size in (("t", 1e6), ("kg", 1e3)):
        if abs(grams) >= size:
            return f"{grams / size:.3g} {unit}"
    return f"{grams:.3g} g"


def embodied_g_per_device_hour() -> float:
    """Manufacturing emissions per accelerator-hour of use, amortised as BLOOM's study did:
    (server / devices per server + device) over lifetime x utilisation."""
    c = constants()["embodied"]
    per_device_g = (c["server_kg"] / c["devices_per_server"] + c["device_kg"]) * 1000
    return float(per_device_g / (c["lifetime_years"] * HOURS_PER_YEAR * c["utilisation"]))


def embodied(hardware: list[Hardware], hours: float) -> Phase | None:
    """The hardware's manufacturing share used by the run; None for CPU-only hardware (the
    constants describe accelerator servers)."""
    c = constants()["embodied"]
    accelerators = [h for h in hardware if h.kind in ("gpu", "tpu")]
    if not accelerators or hours <= 0:
        return None
    devices = sum(h.count for h in accelerators)
    per_hour = embodied_g_per_device_hour()
    grams = devices * hours * per_hour
    arithmetic = (f"{devices} device(s) x {hours:,.4g} h x {per_hour:.3g} g per device-hour "
                  f"= {_mass(grams)}")
    assumptions = (
        f"each accelerator carries {c['device_kg']:g} kg CO2eq of manufacture and 1/"
        f"{c['devices_per_server']} of a {c['server_kg']:g} kg server (BLOOM's A100 nodes, HPE "
        "Apollo 6500 Gen10 Plus), whatever the model of accelerator",
        f"the hardware lives {c['lifetime_years']:g} years and is in use "
        f"{c['utilisation']:.0%} of that time; the run is charged its hours' share",
        "CPUs, storage and network equipment outside the accelerator servers are not counted",
    )
    return Phase("embodied", grams, "g", arithmetic, assumptions, c["source"])


def idle_ratio() -> float:
    """BLOOM's idle and infrastructure energy per unit of dynamic (accelerator) energy."""
    c = constants()["idle"]
    return float(c["idle_kwh"] / c["dynamic_kwh"])


def idle(training: Estimate) -> Phase | None:
    """Idle nodes, storage and network of the cluster, in proportion to the devices' energy."""
    if training.watts <= 0 or training.hours <= 0:
        return None
    c = constants()["idle"]
    device_kwh = training.watts * training.hours / 1000
    kwh = device_kwh * idle_ratio()
    grams = kwh * training.grid.g_per_kwh
    arithmetic = (f"{device_kwh:,.4g} kWh of device energy x {idle_ratio():.2f} = {kwh:,.4g} kWh "
                  f"x {training.grid.g_per_kwh:.4g} g/kWh = {_mass(grams)}")
    assumptions = (
        f"the cluster's idle and infrastructure consumption is {idle_ratio():.2f} times the "
        f"devices' dynamic energy, as on Jean Zay for BLOOM ({c['idle_kwh']:,.0f} kWh against "
        f"{c['dynamic_kwh']:,.0f} kWh)",
        "no PUE on this phase, as in BLOOM's life-cycle total",
        "the same grid as training",
    )
    return Phase("idle", grams, "g", arithmetic, assumptions, c["source"], kwh)


def deployment_utilisation() -> float:
    """The share of rated power BLOOM's API drew on average (it sat idle between requests)."""
    c = constants()["deployment"]
    rated_kwh = c["devices"] * c["device_watts"] * c["days"] * 24 / 1000
    return float(c["kwh"] / rated_kwh)


def deployment_per_day(hardware: list[Hardware], location: str | None,
                       pue: float | None = None) -> Phase:
    """A day of serving on ``hardware``, at the average load BLOOM's API measured."""
    from carbonlint.estimate import default_pue, grid_intensity

    c = constants()["deployment"]
    grid = grid_intensity(location)
    pue = default_pue(location, grid) if pue is None else float(pue)
    watts = sum(h.watts for h in hardware)
    share = deployment_utilisation()
    kwh = watts * 24 * share / 1000 * pue
    grams = kwh * grid.g_per_kwh
    devices = " + ".join(f"{h.count} x {h.name} ({h.watts_each:g} W)" for h in hardware)
    arithmetic = (f"{devices} x 24 h x {share:.0%} load x PUE {pue:.2f} x {grid.g_per_kwh:.4g} "
                  f"g/kWh ({grid.name}; {grid.source}) = {kwh:,.4g} kWh, {_mass(grams)} a day")
    assumptions = (
        f"the devices draw {share:.0%} of their rated power on average, as BLOOM's API did "
        f"({c['kwh']:g} kWh in {c['days']:g} days on {c['devices']} A100s, idle between "
        "requests)",
        "served around the clock, from the location given (its grid and PUE)",
        "embodied emissions of the serving hardware are not included",
    )
    return Phase("deployment", grams, "g/day", arithmetic, assumptions, c["source"], kwh)


def per_1000_requests(per_day_g: float, requests_per_day: float) -> float:
    return per_day_g / requests_per_day * 1000


def bloom_requests_per_day() -> float:
    c = constants()["deployment"]
    return float(c["requests"] / c["days"])
