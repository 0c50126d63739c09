"""Plausibility rules (CL4xx): the reported number against physics.

estimate = devices x rated watts x hours x PUE x grid intensity (the method of the ML CO2 Impact
calculator, Green Algorithms and Luccioni & Hernández-García's "Counting Carbon"; see
docs/estimator.md). A rule speaks only when the card gives what the estimate needs (hardware and
hours, or energy); a missing location uses the world average and says so. Every message shows
the arithmetic, so an author can see which input to correct.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterator

from carbonlint.findings import Category, Problem, Severity
from carbonlint.rules import check, rule
from carbonlint.units import finite_number, format_grams

if TYPE_CHECKING:
    from carbonlint.checker import Context

P, E, W = Category.PLAUSIBILITY, Severity.ERROR, Severity.WARNING

# Impossible grid intensities, g CO2e/kWh: the dirtiest national grids stay below ~1,300 (coal);
# even hydro and nuclear grids emit a gram or more per kWh over their life cycle.
MAX_INTENSITY = 1500.0
MIN_INTENSITY = 1.0

rule(
    "CL401", "thousandfold-off", P, E,
    "The emissions are about 1000 times off the estimate from hardware, hours and location.",
    """
    A factor of about a thousand (1000, give or take the plausibility-factor, 10 by default)
    between the reported number and the physical estimate is the signature of a unit slip:
    kilograms written in the grams field (1000 times too little), or
    grams from a tool that reports milligrams (1000 times too much). The message shows the
    estimate's arithmetic. The estimate alone does not prove the slip, so carbonlint fix
    multiplies (or divides) by 1000 only with --unsafe-fixes.
    """,
    failing="""
    ---
    co2_eq_emissions:
      emissions: 2.1
      hours_used: 10
      hardware_used: 1 x A100 40GB
      geographical_location: Germany
    ---
    """,
    passing="""
    ---
    co2_eq_emissions:
      emissions: 2100
      hours_used: 10
      hardware_used: 1 x A100 40GB
      geographical_location: Germany
    ---
    """,
    fixable=True,
)

rule(
    "CL402", "far-from-estimate", P, W,
    "The emissions are more than 10 times (configurable) away from the physical estimate.",
    """
    Rated power, hours, the data centre's PUE and the grid's intensity bound what a training run
    can emit. Real runs differ from the estimate (GPUs below their rated power, a greener or
    dirtier contract than the grid average), but rarely by more than a factor of ten; beyond it,
    an input or the number is wrong. The factor is the configuration's plausibility-factor.
    """,
    failing="""
    ---
    co2_eq_emissions:
      emissions: 90000
      hours_used: 10
      hardware_used: 1 x A100 40GB
      geographical_location: Germany
    ---
    """,
    passing="""
    ---
    co2_eq_emissions:
      emissions: 1500
      hours_used: 10
      hardware_used: 1 x A100 40GB
      geographical_location: Germany
    ---
    """,
)

rule(
    "CL403", "zero-for-real-run", P, W,
    "The emissions are 0, but hardware and hours give a real estimate.",
    """
    Hardware that ran for hours emitted something. A zero is a failed measurement; the message
    gives what the estimate puts in its place.
    """,
    failing="""
    ---
    co2_eq_emissions:
      emissions: 0
      hours_used: 3
      hardware_used: 1 x T4
    ---
    """,
    passing="""
    ---
    co2_eq_emissions:
      emissions: 98.7
      hours_used: 3
      hardware_used: 1 x T4
    ---
    """,
)

rule(
    "CL404", "impossible-grid-intensity", P, E,
    "Emissions divided by energy_consumed give a grid intensity no grid has.",
    """
    emissions (g) / energy_consumed (kWh) is the carbon intensity of the electricity used. No
    grid emits more than about 1,300 g per kWh (coal), and none less than about 1 g per kWh over
    its life cycle: a ratio outside 1 to 1,500 g/kWh means that one of the two numbers has the
    wrong unit (often kilograms in the emissions field).
    """,
    failing="""
    ---
    co2_eq_emissions:
      emissions: 0.0132
      energy_consumed: 0.0347
    ---
    """,
    passing="""
    ---
    co2_eq_emissions:
      emissions: 13.2
      energy_consumed: 0.0347
    ---
    """,
)





def _contradicted_by_text(context: Context) -> bool:
    """The text already contradicts the number (CL301/CL302): that finding says it better."""
    from carbonlint.rules.consistency import emissions_against_text

    return next(emissions_against_text(context), None) is not None


def written_number(context: Context, grams: float) -> str:
    """The emissions number as the card wrote it ("1_480_000", "12.4"), else formatted."""
    _, _, node = context.emissions_place()
    text = getattr(node, "value", None)
    if isinstance(text, str) and finite_number(grams) is not None:
        stripped = text.strip()
        try:
            if float(stripped.replace("_", "")) == grams:
                return stripped
        except ValueError:
            pass
    return format_grams(grams)


def _slip_words(times: float, unit: str) -> str:
    """"about a thousand" only where the factor is near one (500-2,000 times)."""
    if 500 <= times <= 2000:
        return f"about a thousand, {unit}"
    return f"{unit[:-1]} (a factor of 1,000)?"


@check("CL401", "CL402", "CL403")
def against_estimate(context: Context) -> Iterator[Problem]:
    grams = context.emissions_g
    estimate = context.estimate
    if grams is None or estimate is None or estimate.grams <= 0:
        return
    span, key, _ = context.emissions_place()
    where = "" if not estimate.grid.fallback else " (no location given: world average)"
    assumed = f" ({'; '.join(estimate.assumptions)})" if estimate.assumptions else ""
    if grams == 0:
        arithmetic = estimate.arithmetic if estimate.exact else estimate.low_arithmetic
        yield Problem(
            "CL403",
            f"{key} is 0, but the card's hardware and hours give "
            f"{'about' if estimate.exact else 'at least'} {arithmetic}{where}{assumed}",
            span=span, key=key, suggestion="measure again, or report the estimate with its source",
        )
        return
    if _contradicted_by_text(context):
        return
    factor = context.config.plausibility_factor
    # A unit written out by the author ("150 g") rules out the unit-slip guess: only "far".
    stated = isinstance(context.card.co2, str) or isinstance(
        context.card.co2.get("emissions") if isinstance(context.card.co2, dict) else None, str)
    written = written_number(context, grams)
    if estimate.exact:
        yield from _against_exact(context, grams, written, estimate, factor, stated, where)
        return
    # A band (a count not given, or a device known by its kind): only the thousandfold slip
    # below its low end (or above a finite high end) is evidence; the 10x band is not applied.
    if stated:
        return
    low, high = 1000 / factor, 1000 * factor
    if grams < estimate.low and low <= estimate.low / grams <= high:
        times = estimate.low / grams
        yield Problem(
            "CL401",
            f"{key} is {written} g, {times:,.0f} times less than the least the card's hardware "
            f"and hours give, {estimate.low_arithmetic}{where}{assumed}: "
            f"{_slip_words(times, 'a kilogram figure in the grams field?')}",
            span=span, key=key, suggestion=f"if it is kilograms, write {format_grams(grams * 1000)}",
            fix=_emissions_fix(context, format_grams(grams * 1000)),
        )
    elif grams > estimate.high and low <= grams / estimate.high <= high:
        times = grams / estimate.high
        yield Problem(
            "CL401",
            f"{key} is {written} g, {times:,.0f} times more than the most the card's hardware "
            f"and hours give ({format_grams(round(estimate.high))} g at the highest power of "
            f"the band){where}{assumed}: "
            f"{_slip_words(times, 'milligrams in the grams field?')}",
            span=span, key=key, suggestion=f"if it is milligrams, write {format_grams(grams / 1000)}",
            fix=_emissions_fix(context, format_grams(grams / 1000)),
        )


def _against_exact(
    context: Context, grams: float, written: str, estimate: Any, factor: float, stated: bool,
    where: str,
) -> Iterator[Problem]:
    span, key, _ = context.emissions_place()
    ratio = grams / estimate.grams
    # Within the factor of the estimate: plausible. Within the same factor of a thousand times
    # the estimate (or of a thousandth of it): the signature of a unit slip. Anything else: far.
    if 1 / factor <= ratio <= factor:
        return
    low, high = 1000 / factor, 1000 * factor
    times = ratio if ratio > 1 else (1 / ratio if ratio > 0 else float("inf"))  # 5e-324 g
    if not stated and 1 / high <= ratio <= 1 / low:
        yield Problem(
            "CL401",
            f"{key} is {written} g, {times:,.0f} times less than the estimate "
            f"{estimate.arithmetic}{where}: "
            f"{_slip_words(times, 'a kilogram figure in the grams field?')}",
            span=span, key=key, suggestion=f"if it is kilograms, write {format_grams(grams * 1000)}",
            fix=_emissions_fix(context, format_grams(grams * 1000)),
        )
    elif not stated and low <= ratio <= high:
        yield Problem(
            "CL401",
            f"{key} is {written} g, {times:,.0f} times more than the estimate "
            f"{estimate.arithmetic}{where}: {_slip_words(times, 'milligrams in the grams field?')}",
            span=span, key=key, suggestion=f"if it is milligrams, write {format_grams(grams / 1000)}",
            fix=_emissions_fix(context, format_grams(grams / 1000)),
        )
    else:
        direction = "more" if ratio > 1 else "less"
        yield Problem(
            "CL402",
            f"{key} is {written} g, {times:,.0f} times {direction} than the "
            f"estimate {estimate.arithmetic}{where}",
            span=span, key=key,
            suggestion="check the number and the hardware, hours and location it comes from",
        )


@check("CL404")
def impossible_intensity(context: Context) -> Iterator[Problem]:
    co2 = context.card.co2
    grams = context.emissions_g
    if not isinstance(co2, dict) or not grams:
        return
    kwh = finite_number(co2.get("energy_consumed"))
    if kwh is None or kwh <= 0:
        return
    from carbonlint.estimate import implied_intensity

    intensity = implied_intensity(grams, kwh)
    if MIN_INTENSITY <= intensity <= MAX_INTENSITY:
        return
    span, key, _ = context.emissions_place()
    hint = ("a kilogram figure in the grams field?" if intensity < MIN_INTENSITY
            else "energy_consumed in MWh, or emissions in milligrams?")
    yield Problem(
        "CL404",
        f"{format_grams(grams)} g for {kwh:g} kWh is {_readable(intensity)} g CO2e per kWh; real grids "
        f"lie between {MIN_INTENSITY:g} and {MAX_INTENSITY:,.0f}: {hint}",
        span=span, key=key,
    )


def _emissions_fix(context: Context, number: str) -> Any:
    from carbonlint.fix import emissions_number_fix

    return emissions_number_fix(context, number, unsafe=True)  # only the estimate suggests it


def _readable(value: float) -> str:
    """10,000 rather than 1e+04; three significant digits below 10."""
    return f"{value:,.0f}" if value >= 10 else f"{value:.3g}"
