"""Life-cycle rules (CL42x): the extension keys for embodied, idle and deployment emissions
(docs/lifecycle.md) judged against BLOOM's published phases.

Each rule speaks only when the card gives what the comparison needs, and only beyond the
configuration's plausibility factor (10 by default): the published constants describe one
cluster, so a figure within a factor of ten of them is not called wrong.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterator

from carbonlint.card import CO2_KEY
from carbonlint.findings import Category, Problem, Severity
from carbonlint.rules import check, rule
from carbonlint.units import finite_number, format_grams

if TYPE_CHECKING:
    from carbonlint.checker import Context

P, R, W, I = Category.PLAUSIBILITY, Category.REPORTING, Severity.WARNING, Severity.INFO

rule(
    "CL420", "embodied-far-from-estimate", P, W,
    "embodied_emissions is more than 10 times off the hardware's manufacturing share.",
    """
    The manufacturing emissions a run should carry are its share of the hardware's life: BLOOM's
    study charged each A100 150 kg CO2eq plus 1/8 of a 2,500 kg server over a 6-year life used 85 %
    of the time, about 10 g per GPU-hour. Real hardware differs, but rarely by a factor of ten;
    beyond it (the plausibility-factor), the figure is likely in the wrong unit, or covers the
    whole cluster rather than the run's share.
    """,
    failing="""
    ---
    co2_eq_emissions:
      emissions: 52000
      hardware_used: 8 x A100 80GB
      hours_used: 36
      embodied_emissions: 3000000
      embodied_source: our estimate
    ---
    """,
    passing="""
    ---
    co2_eq_emissions:
      emissions: 52000
      hardware_used: 8 x A100 80GB
      hours_used: 36
      embodied_emissions: 3000
      embodied_source: our estimate
    ---
    """,
)

rule(
    "CL421", "idle-overhead-high", P, W,
    "idle_emissions is far above the idle and infrastructure share BLOOM's cluster had.",
    """
    BLOOM's idle nodes, storage and network consumed 0.59 times the GPUs' dynamic energy during
    training (256,646 against 433,196 kWh on Jean Zay). Both draw from the same grid, so the ratio
    of the two emissions is the ratio of the energies. An idle figure more than the
    plausibility-factor times that share of the training emissions is likely in the wrong unit,
    or counts the whole cluster's consumption rather than the run's.
    """,
    failing="""
    ---
    co2_eq_emissions:
      emissions: 1500
      idle_emissions: 900000
      idle_source: cluster meter
    ---
    """,
    passing="""
    ---
    co2_eq_emissions:
      emissions: 1500
      idle_emissions: 900
      idle_source: cluster meter
    ---
    """,
)

rule(
    "CL422", "deployment-far-from-estimate", P, W,
    "deployment_emissions_per_day is more than 10 times off its hardware served for a day.",
    """
    A day of serving on deployment_hardware cannot emit much more than the devices at full power
    for 24 hours (x PUE x the grid), and rarely much less than their average load: BLOOM's API drew
    33 % of its GPUs' rated power, idle between requests. A figure beyond the plausibility-factor
    of that estimate is likely in the wrong unit or per another period.
    """,
    failing="""
    ---
    co2_eq_emissions:
      emissions: 1500
      deployment_emissions_per_day: 40
      deployment_hardware: 8 x A100 80GB
      deployment_location: us-east-1
      deployment_source: our meter
    ---
    """,
    passing="""
    ---
    co2_eq_emissions:
      emissions: 1500
      deployment_emissions_per_day: 11000
      deployment_hardware: 8 x A100 80GB
      deployment_location: us-east-1
      deployment_source: our meter
    ---
    """,
)

rule(
    "CL423", "deployment-figures-disagree", P, W,
    "Per-day and per-1,000-request deployment figures disagree with requests per day.",
    """
    deployment_emissions_per_1000_requests x deployment_requests_per_day / 1000 is a day's
    emissions; it should be close to deployment_emissions_per_day. More than a factor of 2
    apart, one of the three numbers is wrong.
    """,
    failing="""
    ---
    co2_eq_emissions:
      emissions: 1500
      deployment_emissions_per_day: 19000
      deployment_emissions_per_1000_requests: 15
      deployment_requests_per_day: 12800
      deployment_source: BLOOM API, 18 days
    ---
    """,
    passing="""
    ---
    co2_eq_emissions:
      emissions: 1500
      deployment_emissions_per_day: 19000
      deployment_emissions_per_1000_requests: 1480
      deployment_requests_per_day: 12800
      deployment_source: BLOOM API, 18 days
    ---
    """,
)

rule(
    "CL221", "lifecycle-source-missing", R, I,
    "A life-cycle figure (embodied, idle, deployment) does not say where it comes from.",
    """
    Embodied, idle and deployment figures are estimates built on assumptions (a server's LCA,
    a lifetime, a load): each needs its source beside it (embodied_source, idle_source,
    deployment_source), as the emissions need theirs.
    """,
    failing="""
    ---
    co2_eq_emissions:
      emissions: 1500
      source: CodeCarbon
      embodied_emissions: 300
    ---
    """,
    passing="""
    ---
    co2_eq_emissions:
      emissions: 1500
      source: CodeCarbon
      embodied_emissions: 300
      embodied_source: carbonlint estimate --lifecycle (BLOOM's constants)
    ---
    """,
)


def _figure(co2: dict[str, Any], key: str) -> float | None:
    value = co2.get(key)
    if isinstance(value, bool):
        return None
    number = finite_number(value)
    return number if number is not None and number >= 0 else None


def _times(ratio: float) -> str:
    return f"{ratio:,.0f}" if ratio >= 10 else f"{ratio:.2g}"


def _far(ratio: float, factor: float) -> bool:
    return ratio > factor or ratio < 1 / factor


@check("CL420")
def embodied_against_hardware(context: Context) -> Iterator[Problem]:
    co2 = context.card.co2
    if not isinstance(co2, dict):
        return
    grams = _figure(co2, "embodied_emissions")
    if grams is None or grams <= 0:
        return
    from carbonlint import lifecycle

    hardware, hours = context.estimate_inputs.run()
    if not hardware or hours is None or hours <= 0:
        return
    if not all(device.count_given for device in hardware):
        return  # without the count the hardware's share is unknown: nothing to compare
    expected = lifecycle.embodied(hardware, hours)
    if expected is None or expected.grams <= 0:
        return
    ratio = grams / expected.grams
    if not _far(ratio, context.config.plausibility_factor):
        return
    direction = "more" if ratio > 1 else "less"
    times = ratio if ratio > 1 else 1 / ratio
    key = f"{CO2_KEY}.embodied_emissions"
    yield Problem(
        "CL420",
        f"{key} is {format_grams(grams)} g, {_times(times)} times {direction} than the "
        f"manufacturing share of the card's hardware for its hours: {expected.arithmetic} "
        "(BLOOM's constants)",
        span=context.card.span_of(CO2_KEY, "embodied_emissions"), key=key,
        suggestion="check the unit (grams) and that the figure is the run's share, not the "
        "hardware's whole manufacture",
    )


@check("CL421")
def idle_against_training(context: Context) -> Iterator[Problem]:
    co2 = context.card.co2
    training = context.emissions_g
    if not isinstance(co2, dict) or not training:
        return
    grams = _figure(co2, "idle_emissions")
    if grams is None:
        return
    from carbonlint.lifecycle import idle_ratio

    share = grams / training
    limit = idle_ratio() * context.config.plausibility_factor
    if share <= limit:
        return
    key = f"{CO2_KEY}.idle_emissions"
    yield Problem(
        "CL421",
        f"{key} is {format_grams(grams)} g, {_times(share)} times the training emissions; "
        f"BLOOM's idle and infrastructure overhead was {idle_ratio():.2f} times its dynamic "
        f"emissions (flagged above {limit:.2g} times)",
        span=context.card.span_of(CO2_KEY, "idle_emissions"), key=key,
        suggestion="check the unit (grams) and that it is the run's share of the idle cluster",
    )


@check("CL422")
def deployment_against_hardware(context: Context) -> Iterator[Problem]:
    co2 = context.card.co2
    if not isinstance(co2, dict):
        return
    grams = _figure(co2, "deployment_emissions_per_day")
    served = co2.get("deployment_hardware")
    if grams is None or grams <= 0 or not isinstance(served, str):
        return
    from carbonlint.estimate import grid_intensity, parse_hardware
    from carbonlint.lifecycle import deployment_per_day, deployment_utilisation

    devices = parse_hardware(served)
    if not devices:
        return
    where = co2.get("deployment_location")
    if not isinstance(where, str):
        where = co2.get("geographical_location")
    location = where if isinstance(where, str) else None
    day = deployment_per_day(devices, location)
    full = day.grams / deployment_utilisation()  # the same devices at rated power all day
    factor = context.config.plausibility_factor
    if day.grams / factor <= grams <= full * factor:
        return
    key = f"{CO2_KEY}.deployment_emissions_per_day"
    if grams > full * factor:
        told = f"{_times(grams / full)} times more than the devices at full power all day"
    else:
        told = f"{_times(day.grams / grams)} times less than at BLOOM's API's average load"
    fallback = ""
    if grid_intensity(location).fallback:
        from carbonlint.estimate_report import unknown_place

        fallback = f" (world average: {unknown_place(location)})"
    yield Problem(
        "CL422",
        f"{key} is {format_grams(grams)} g, {told}: {day.arithmetic}{fallback}",
        span=context.card.span_of(CO2_KEY, "deployment_emissions_per_day"), key=key,
        suggestion="check the unit (grams a day) and deployment_hardware",
    )


@check("CL423")
def deployment_figures_agree(context: Context) -> Iterator[Problem]:
    co2 = context.card.co2
    if not isinstance(co2, dict):
        return
    per_day = _figure(co2, "deployment_emissions_per_day")
    per_1000 = _figure(co2, "deployment_emissions_per_1000_requests")
    requests = _figure(co2, "deployment_requests_per_day")
    if not per_day or not per_1000 or not requests:
        return
    implied = per_1000 * requests / 1000
    ratio = implied / per_day
    if 0.5 <= ratio <= 2:
        return
    key = f"{CO2_KEY}.deployment_emissions_per_1000_requests"
    yield Problem(
        "CL423",
        f"{format_grams(per_1000)} g per 1,000 requests x {requests:,.10g} requests a day = "
        f"{format_grams(round(implied, 1))} g a day, but deployment_emissions_per_day is "
        f"{format_grams(per_day)} g",
        span=context.card.span_of(CO2_KEY, "deployment_emissions_per_1000_requests"), key=key,
        suggestion="one of the three numbers is off; per-1,000 = per-day / requests x 1000",
    )


@check("CL221")
def lifecycle_sources(context: Context) -> Iterator[Problem]:
    co2 = context.card.co2
    if not isinstance(co2, dict):
        return
    from carbonlint.lifecycle import FIGURE_KEYS, SOURCE_OF

    told = set()
    for key in FIGURE_KEYS:
        source = SOURCE_OF[key]
        if key not in co2 or source in told:
            continue
        value = co2.get(source)
        if isinstance(value, str) and value.strip():
            continue
        told.add(source)
        yield Problem(
            "CL221", f"{CO2_KEY}.{key} does not say where it comes from ({source} is missing)",
            span=context.card.span_of(CO2_KEY, key, key=True), key=f"{CO2_KEY}.{source}",
            suggestion=f"add '{source}: <LCA, paper or tool>'",
        )
