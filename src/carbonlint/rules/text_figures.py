"""The text's figures judged as the metadata's are (CL312, CL313, CL405).

Most cards that report do it in their text, so the checks that keep the metadata honest (units,
grid intensity, the physics of hardware x hours) are run on the text's own figures too: an
energy written under "Carbon Emitted", a CodeCarbon kilogram figure labelled grams, tonnes that
are kilograms, and an energy that the named hardware cannot have drawn in the stated time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from carbonlint.card import CO2_KEY
from carbonlint.findings import Category, Problem, Severity
from carbonlint.rules import check, rule
from carbonlint.units import finite_number

if TYPE_CHECKING:
    from carbonlint.checker import Context
    from carbonlint.prose import Fact

C, P = Category.CONSISTENCY, Category.PLAUSIBILITY
EMISSIONS_FIELDS = frozenset({"Carbon Emitted", "CO2 Emissions"})
# The rated power of the devices times the hours, times this, is more energy than the run can
# have drawn: a PUE of 2 (a poor data centre) and a factor 2 for the rest of the machine.
ENERGY_HEADROOM = 4.0
UNIT_NAMES = {"g": "grams", "kg": "kilograms", "t": "tonnes", "lb": "pounds"}

rule(
    "CL312", "energy-as-emissions", C, Severity.WARNING,
    "The text's emissions line gives an energy (kWh), not a mass of CO2.",
    """
    "Carbon Emitted: 0.5 kWh" reports the energy the training drew, under the label of its
    emissions. A reader (and a tool) takes the number for grams or kilograms of CO2. Write the
    emissions (energy x the grid's carbon intensity) on that line, and the energy on an "Energy
    Consumed" line or in energy_consumed.
    """,
    failing="""
    ---
    license: mit
    ---

    ## Environmental Impact

    - **Hardware Type:** 1 x T4
    - **Carbon Emitted:** 0.21 kWh
    """,
    passing="""
    ---
    license: mit
    ---

    ## Environmental Impact

    - **Hardware Type:** 1 x T4
    - **Energy Consumed:** 0.21 kWh
    - **Carbon Emitted:** 0.09 kg CO2eq
    """,
)

rule(
    "CL313", "text-figure-unit-slip", C, Severity.WARNING,
    "The text's own emissions figure is about a thousand times off its energy or its estimate.",
    """
    A card that reports only in its text is judged like one that reports in its metadata: its
    emissions divided by the energy it gives must be a grid intensity that exists (1 to 1,500 g
    per kWh), and, without an energy, the figure must not be a thousand times off the estimate
    from its own hardware and hours. A thousandfold gap is a unit written wrong: CodeCarbon's
    kilogram figure under "(in grams)", "tons" that are kilograms. carbonlint fix does not move
    such a figure into the metadata (CL211) until the text is corrected.
    """,
    failing="""
    ---
    license: apache-2.0
    ---

    ## Environmental Impact

    - **Energy Consumed**: 0.134 kWh
    - **Carbon Emitted (in grams)**: 0.0457
    """,
    passing="""
    ---
    license: apache-2.0
    ---

    ## Environmental Impact

    - **Energy Consumed**: 0.134 kWh
    - **Carbon Emitted (in grams)**: 45.7
    """,
)

rule(
    "CL405", "energy-impossible-for-hardware", P, Severity.WARNING,
    "The energy the card gives is more than its hardware can draw in the hours it gives.",
    """
    A device cannot draw more than its rated power: 1 x P100 (250 W) for 2 hours is at most about
    2 kWh even with a wasteful data centre. The card's energy (energy_consumed, or the text's
    "Energy Consumed" or own sentence) is compared with the rated power of the hardware it names
    times its hours, times 4 (a PUE of 2 and the rest of the machine). More than that is
    impossible: the energy, the hardware or the hours is wrong (often MWh written as kWh, or the
    hours of a whole project). GPU-hours read as wall-clock hours only make the bound looser.
    """,
    failing="""
    ---
    co2_eq_emissions:
      emissions: 15400
      energy_consumed: 35
      hardware_used: 1 x P100
      hours_used: 2
    ---
    """,
    passing="""
    ---
    co2_eq_emissions:
      emissions: 154
      energy_consumed: 0.35
      hardware_used: 1 x P100
      hours_used: 2
    ---
    """,
)


def _own_energy(context: Context) -> tuple[float, str, Fact | None] | None:
    """The card's energy in kWh and how to name it: the metadata's energy_consumed, else a
    structured "Energy Consumed" line, else a single free-text energy about the training."""
    co2 = context.card.co2 if isinstance(context.card.co2, dict) else {}
    kwh = finite_number(co2.get("energy_consumed"))
    if kwh is not None and kwh > 0:
        return kwh, f"{CO2_KEY}.energy_consumed", None
    from carbonlint.stated import is_structured

    facts = [f for f in context.prose.of("energy_kwh")
             if isinstance(f.value, float) and f.value > 0 and f.field not in EMISSIONS_FIELDS]
    structured = [f for f in facts if is_structured(f)]
    free = [f for f in facts if not is_structured(f) and "training" in f.scope
            and not f.scope & {"comparison", "inference", "base", "aggregate"}]
    chosen = structured[0] if structured else (free[0] if len(free) == 1 else None)
    if chosen is None:
        return None
    return float(chosen.value), f"the text's '{_said(chosen)}' on line {chosen.span.line}", chosen


def _said(fact: Fact) -> str:
    written = fact.text.replace("**", "")
    return f"{fact.written_label}: {written}" if fact.field else written


@check("CL312")
def energy_as_emissions(context: Context) -> Iterator[Problem]:
    for fact in context.prose.of("energy_kwh"):
        if fact.field in EMISSIONS_FIELDS:
            yield Problem(
                "CL312",
                f"the text's '{_said(fact)}' on line {fact.span.line} is an energy, not a mass "
                "of CO2",
                span=fact.span,
                suggestion="write the emissions on this line (energy x the grid's g CO2 per kWh), "
                "and the energy on an 'Energy Consumed' line",
            )


def text_unit_slip(context: Context) -> str | None:
    """Why the text's own figure (of a card whose metadata has none) reads as a unit slip, or
    None. CL211 asks it too: a suspect figure is not written into the metadata."""
    if context.emissions_g is not None:
        return None  # the metadata's number is judged by CL401/CL404
    stated = context.text_emissions
    if stated is None or stated.fact is None:
        return None
    fact = stated.fact
    grams = float(fact.value)
    if grams <= 0:
        return None
    from carbonlint.rules.plausibility import MAX_INTENSITY, MIN_INTENSITY

    unit = UNIT_NAMES.get(fact.unit or "g", fact.unit or "grams")
    energy = _own_energy(context)
    if energy is not None:
        kwh, name, _ = energy
        intensity = grams / kwh
        if MIN_INTENSITY <= intensity <= MAX_INTENSITY:
            return None
        if intensity < MIN_INTENSITY and MIN_INTENSITY <= intensity * 1000 <= MAX_INTENSITY:
            smaller = {"grams": "kilograms", "kilograms": "tonnes"}.get(unit, "a unit 1000 times larger")
            return (f"for {kwh:g} kWh ({name}) it is {intensity:.3g} g CO2e per kWh, which no grid "
                    f"has; read as {smaller} it is {intensity * 1000:,.0f} g per kWh")
        if intensity > MAX_INTENSITY and MIN_INTENSITY <= intensity / 1000 <= MAX_INTENSITY:
            larger = {"tonnes": "kilograms", "kilograms": "grams"}.get(unit, "a unit 1000 times smaller")
            return (f"for {kwh:g} kWh ({name}) it is {intensity:,.0f} g CO2e per kWh, which no "
                    f"grid has; read as {larger} it is {intensity / 1000:,.0f} g per kWh")
        return None
    estimate = context.estimate
    if estimate is None or estimate.grams <= 0:
        return None
    ratio = grams / estimate.grams
    # Tighter than CL401's band: the estimate from a text's hardware and hours is rougher
    # (GPU-hours read as wall-clock hours, a count written two ways), so only a figure that a
    # factor of 1000 brings within 3 times of the estimate is called a slip.
    if 1000 / 3 <= ratio <= 3000 or 1 / 3000 <= ratio <= 3 / 1000:
        direction = "more" if ratio > 1 else "less"
        times = ratio if ratio > 1 else 1 / ratio
        return (f"it is {times:,.0f} times {direction} than the estimate from the card's own "
                f"hardware and hours ({estimate.arithmetic}): about a thousand")
    return None


@check("CL313")
def text_figure_units(context: Context) -> Iterator[Problem]:
    reason = text_unit_slip(context)
    if reason is None:
        return
    fact = context.text_emissions.fact
    yield Problem(
        "CL313",
        f"the text's emissions '{_said(fact)}' on line {fact.span.line} look like a unit slip: "
        f"{reason}",
        span=fact.span,
        suggestion="correct the unit in the text, then move the figure into co2_eq_emissions "
        "(in grams)",
    )


@check("CL405")
def energy_against_hardware(context: Context) -> Iterator[Problem]:
    energy = _own_energy(context)
    if energy is None:
        return
    # The devices and hours the estimate reads (carbonlint.estimate_inputs). A device without
    # its count gives no ceiling: the run may have had any number of them.
    devices, hours = context.estimate_inputs.run()
    if not devices or hours is None or hours <= 0:
        return
    if not all(device.count_given for device in devices):
        return
    watts = sum(device.count * (device.watts_high or device.watts_each) for device in devices)
    ceiling = watts * hours * ENERGY_HEADROOM / 1000
    kwh, name, fact = energy
    if kwh <= ceiling:
        return
    span = fact.span if fact is not None else context.card.span_of(CO2_KEY, "energy_consumed")
    shown = ", ".join(f"{d.count} x {d.name} ({d.watts_each:g} W)" for d in devices)
    yield Problem(
        "CL405",
        f"{name} is {kwh:g} kWh, but {shown} for {hours:g} h can draw at most about "
        f"{ceiling:,.3g} kWh (rated power x hours x {ENERGY_HEADROOM:g})",
        span=span, key=f"{CO2_KEY}.energy_consumed" if fact is None else None,
        suggestion="check the energy's unit (MWh? Wh?), the hardware and the hours",
    )
