"""Reporting rules for cards that state their emissions in their text only (CL211, CL212).

The largest models report this way: the Stable Diffusion cards fill the Hub template's
Environmental Impact list, the Llama cards write a sentence and a table. None of it reaches the
Hub's filters or the studies that read ``co2_eq_emissions``. Which figure is the card's own is
decided in :mod:`carbonlint.stated`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from carbonlint.card import CO2_KEY
from carbonlint.findings import Category, Fix, Problem, Severity
from carbonlint.rules import check, rule
from carbonlint.units import format_grams

if TYPE_CHECKING:
    from carbonlint.checker import Context
    from carbonlint.prose import Fact

R = Category.REPORTING
_UNREADABLE = frozenset({"CL001", "CL002", "CL004", "CL005", "CL006"})

rule(
    "CL211", "emissions-only-in-text", R, Severity.WARNING,
    "The card's text states its training emissions, but co2_eq_emissions does not.",
    """
    The Hub's filters, its API and the studies of reporting practice read co2_eq_emissions; a
    figure in the text ("Carbon Emitted: 11250 kg CO2 eq.", "Estimated total emissions were
    65.3 tCO2eq", a table row) is invisible to them, and the card is graded 'unknown' or
    'context'. The finding names the figure, where it is, and the block to add, in grams.
    carbonlint fix --unsafe-fixes writes that block, with source saying that it was taken from
    the card's text (unsafe: the text may describe another run than the one the card is for).

    Only a figure that is plainly the card's own counts: a structured line of the text, the
    table row of the card's model (or a table's only row), or a sentence about the training
    that compares the figure with nothing and is not a total over several models (CL212 says
    those). When the text gives a location-based and a market-based figure, the location-based
    one is taken, and the finding says so.
    """,
    failing="""
    ---
    license: mit
    ---

    ## Environmental Impact

    - **Hardware Type:** 8 x A100 40GB
    - **Hours used:** 36
    - **Carbon Emitted:** 12.5 kg CO2eq
    """,
    passing="""
    ---
    license: mit
    co2_eq_emissions:
      emissions: 12500
      source: the card's text (Carbon Emitted)
      hardware_used: 8 x A100 40GB
    ---

    ## Environmental Impact

    - **Hardware Type:** 8 x A100 40GB
    - **Hours used:** 36
    - **Carbon Emitted:** 12.5 kg CO2eq
    """,
    fixable=True,
)

rule(
    "CL212", "emissions-in-text-ambiguous", R, Severity.INFO,
    "The card's text states emissions, but not clearly this model's own.",
    """
    The text gives a total over several models ("In aggregate, training all 12 models ...
    emitted 228.55 tCO2eq"), a table with a row per model where none is this card's, figures
    that disagree with each other, or a figure under a label that names another model: a
    fine-tune's card that copies its base model's block ("**Stable Diffusion v1** **Estimated
    Emissions**" above the base model's 11,250 kg, in a card of another name; the label is the
    card's own only if each of its words is in one of the card's names). The card reports
    in its text, and it is counted so, but no single number can be taken for co2_eq_emissions:
    write this model's own figure there (in grams). The hardware of another model's block is
    not this card's either (CL207, the estimate), nor, in such a derived card, the training
    lists outside its environmental section.
    """,
    failing="""
    ---
    license: other
    ---

    **Carbon Footprint** In aggregate, training all 4 models of the family required 90K GPU
    hours on A100-80GB. Estimated total emissions were 12.4 tCO2eq.
    """,
    passing="""
    ---
    license: other
    co2_eq_emissions:
      emissions: 3100000
      source: the card's text (this model's row of the training table)
    ---

    **Carbon Footprint** In aggregate, training all 4 models of the family required 90K GPU
    hours on A100-80GB. Estimated total emissions were 12.4 tCO2eq.
    """,
)


def where(fact: Fact) -> str:
    """"'Carbon Emitted: 11250 kg CO2 eq' on line 132", "'310 t' in the table's row 'Orca 7B'
    on line 29"."""
    written = fact.text.replace("**", "").replace("__", "")
    if fact.source == "table":
        return f"'{written} {fact.unit}' in the table's row '{fact.field}' on line {fact.span.line}"
    said = f"{fact.written_label}: {written}" if fact.field else written
    return f"'{said}' on line {fact.span.line}"


def grams(value: float) -> str:
    """"1,260,000 g": a figure of the text in the unit of the metadata, readable."""
    if value >= 1:
        return f"{value:,.3f}".rstrip("0").rstrip(".") + " g"
    return f"{value:.6g} g"


def source_text(fact: Fact) -> str:
    """What ``source`` says in the written block: taken from the card's text, and from which
    statement (not its line: the block itself moves the lines)."""
    if fact.source == "table":
        return f"the card's text (table row {fact.field})"
    if fact.field:
        return f"the card's text ({fact.field})"
    return "the card's text"


@check("CL211", "CL212")
def emissions_only_in_text(context: Context) -> Iterator[Problem]:
    card = context.card
    if card.has_co2 or any(p.code in _UNREADABLE for p in card.problems):
        return  # the metadata speaks (its own rules judge it), or cannot be read
    stated = context.text_emissions
    if stated is None:
        return
    if stated.fact is None:
        figures = "; ".join(f"{where(f)} ({grams(float(f.value))})" for f in stated.candidates[:4])
        if len(stated.candidates) > 4:
            figures += f"; and {len(stated.candidates) - 4} more"
        yield Problem(
            "CL212",
            f"{stated.why}: {figures}; co2_eq_emissions is not set",
            span=stated.candidates[0].span, key=CO2_KEY,
            suggestion="write this model's own training emissions in co2_eq_emissions, in grams",
        )
        return
    fact = stated.fact
    number = format_grams(float(fact.value))
    basis = ""
    if stated.basis:
        basis = " (the location-based figure"
        if stated.market is not None:
            basis += (f"; the market-based {stated.market.text} on line {stated.market.span.line} "
                      "nets out purchased certificates and is left aside")
        basis += ")"
    source = source_text(fact)
    suspect = _suspect(context)
    how = ("correct the unit first (CL313), then " if suspect else "")
    yield Problem(
        "CL211",
        f"the card's text states its training emissions, {where(fact)}: {grams(float(fact.value))}"
        f"{basis}; co2_eq_emissions is not set, so the Hub's filters and studies that read the "
        "metadata miss it",
        span=fact.span, key=CO2_KEY,
        suggestion=(f"{how}add 'co2_eq_emissions: {{emissions: {number}, source: \"{source}\"}}' "
                    "to the front matter"
                    + ("" if suspect else " (carbonlint fix --unsafe-fixes writes it)")),
        # A figure that reads as a unit slip (CL313) is not written into the metadata.
        fix=None if suspect else _block_fix(context, fact, source),
    )


def _suspect(context: Context) -> bool:
    from carbonlint.rules.text_figures import text_unit_slip

    return text_unit_slip(context) is not None


def _block_fix(context: Context, fact: Fact, source: str) -> Fix | None:
    from carbonlint.fix import insertion_fix

    values = {"emissions": float(fact.value), "source": source}
    return insertion_fix(context.card, values, "write co2_eq_emissions from the card's text",
                         unsafe=True)
