"""``carbonlint fix --estimate``: the edit that writes the physical estimate into a card.

Only for a card that CL220 offers it to (hardware and hours given, no emissions, no measured
source, no emissions stated in the text): the estimate never goes over a number the author
wrote. The block is written with the same byte-preserving edits as ``--from-codecarbon`` (the
card's other bytes, comments, line breaks and keys stay as they were), and only the keys the card
lacks (or holds a placeholder for) are written: a ``hardware_used`` or ``geographical_location``
the card already has keeps its spelling.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from carbonlint.card import Card
    from carbonlint.config import Config


class NoEstimate(Exception):
    """Why the card gets no estimate (said on stderr; the file is left as it was)."""


def estimate_values(card: Card, config: Config) -> dict[str, Any]:
    """The co2_eq_emissions entries to add; NoEstimate says why there are none."""
    from carbonlint.checker import Context
    from carbonlint.estimate_report import block_values
    from carbonlint.rules.estimate_offer import offer

    context = Context(card, config)
    found = offer(context)
    if found is None:
        raise NoEstimate(_why_not(context))
    inputs, result = found
    values = block_values(inputs, result)
    from carbonlint.placeholders import is_placeholder

    co2 = card.co2 if isinstance(card.co2, dict) else {}
    # A key the card has keeps its value, unless that value is a placeholder ("TBD").
    return {key: value for key, value in values.items()
            if key == "emissions" or key not in co2 or is_placeholder(co2[key])}


def _why_not(context: Any) -> str:
    card = context.card
    co2 = card.co2
    if card.has_co2 and (not isinstance(co2, dict) or "emissions" in co2):
        return "the card already reports its emissions; an estimate never replaces them"
    if isinstance(co2, dict) and co2.get("source") not in (None, ""):
        return ("co2_eq_emissions names a source but no emissions: fill in that number "
                "rather than an estimate")
    from carbonlint.rules.estimate_offer import states_emissions

    if context.prose.of("emissions_g") or states_emissions(card.body):
        return "the card's text states its emissions: write that number instead"
    missing = context.estimate_inputs.missing()
    return ("the card does not give " + " or ".join(missing)) if missing else "no estimate"


def fill_from_estimate(card: Card, config: Config) -> str:
    """The card's text with the estimate written into co2_eq_emissions."""
    from carbonlint.fix import fill_from_codecarbon

    # fill_from_codecarbon writes any values into the block with fix's verified edits; the name
    # is historical (CodeCarbon's figures were its first values).
    return fill_from_codecarbon(card, estimate_values(card, config))
