"""CL220: a card that gives hardware and hours but no emissions is one command from reporting.

Many cards state the hardware and the training time (class 'context') and stop there. The
physical estimate turns those into a number; this info finding gives the number and the command
(``carbonlint fix --estimate``) that writes it, marked as an estimate. It stays quiet where the
number would not be the card's to take: emissions already written (even malformed: the schema
rules speak), a ``source`` naming a measurement that lost its number, or a text that states the
emissions itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from carbonlint.card import CO2_KEY
from carbonlint.findings import Category, Problem, Severity
from carbonlint.rules import check, rule

if TYPE_CHECKING:
    from carbonlint.checker import Context
    from carbonlint.estimate import Estimate
    from carbonlint.estimate_inputs import Inputs

_UNREADABLE = frozenset({"CL001", "CL002", "CL004", "CL005", "CL006"})

rule(
    "CL220", "estimate-available", Category.REPORTING, Severity.INFO,
    "The card gives hardware and hours but no emissions: the estimate is one command away.",
    """
    A card that names its hardware and training time (class 'context') has what the physical
    estimate needs: rated power x hours x PUE x the grid's intensity. The finding gives that
    number; carbonlint fix --estimate writes it into co2_eq_emissions with a source that says it
    is an estimate and how it was made (carbonlint estimate README.md shows every factor first).
    A measured number is always better: CodeCarbon measures it (carbonlint fix --from-codecarbon
    fills it in).
    """,
    failing="""
    ---
    license: mit
    co2_eq_emissions:
      hardware_used: 1 x T4
      hours_used: 3
      geographical_location: Germany
    ---
    """,
    passing="""
    ---
    license: mit
    co2_eq_emissions:
      emissions: 128
      source: carbonlint estimate, not a measurement
      hardware_used: 1 x T4
      hours_used: 3
      geographical_location: Germany
    ---
    """,
    fixable=True,
)


_EMISSIONS_LABELS = ("carbon emitted", "co2 emitted", "carbon emissions", "co2 emissions",
                     "co2eq emissions", "co2 eq emissions", "carbon footprint")


def states_emissions(body: str) -> bool:
    """A labelled line gives a figure, unit or not ("- **Carbon Emitted:** 13"): the author
    stated the emissions, even where the prose reader cannot tell the unit."""
    for line in body.splitlines():
        label, colon, value = line.partition(":")
        if colon and any(word in label.lower() for word in _EMISSIONS_LABELS):
            if any(c.isdigit() for c in value):
                return True
    return False


def offer(context: Context) -> tuple[Inputs, Estimate] | None:
    """The inputs and estimate ``fix --estimate`` may write for this card, or None."""
    card = context.card
    if any(p.code in _UNREADABLE for p in card.problems):
        return None
    co2 = card.co2
    if card.has_co2:
        if not isinstance(co2, dict) or "emissions" in co2:
            return None  # a number (right or wrong) is there: never over it
        if co2.get("source") not in (None, ""):
            return None  # a source without its number: the author's measurement went missing
    if context.prose.of("emissions_g"):
        return None  # the text states the emissions: that number, not an estimate, belongs here
    inputs = context.estimate_inputs
    result = context.estimate
    if result is None or result.grams <= 0 or states_emissions(card.body):
        return None
    if not getattr(result, "exact", True):
        # A device without its count, or known only as "a GPU": the estimate is a band, not a
        # number to write into the card as its emissions (carbonlint estimate still shows it).
        return None
    return inputs, result


def _basis(inputs: Inputs) -> str:
    if inputs.from_energy():
        return "energy_consumed"
    return "hardware and device-hours" if inputs.uses_device_hours() else "hardware and hours"


@check("CL220")
def estimate_available(context: Context) -> Iterator[Problem]:
    found = offer(context)
    if found is None:
        return
    inputs, result = found
    from carbonlint.estimate_report import mass_text, significant
    from carbonlint.units import format_grams

    card = context.card
    span = card.span_of(CO2_KEY, key=True) or card.start_span()
    from carbonlint.estimate_report import unknown_place

    where = (f" (world average: {unknown_place(inputs.location.value)})"
             if result.grid.fallback else "")
    yield Problem(
        "CL220",
        f"no emissions reported, but the card's {_basis(inputs)} estimate about "
        f"{mass_text(result.grams)} ({format_grams(significant(result.grams))} g){where}: "
        f"{result.arithmetic}",
        span=span, key=CO2_KEY,
        suggestion="carbonlint fix --estimate writes it as an estimate (carbonlint estimate "
        "shows every factor); a measurement (CodeCarbon) is better",
    )
