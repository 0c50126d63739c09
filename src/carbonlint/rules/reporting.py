"""Reporting rules (CL2xx): what is missing for a complete report or a better class."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from carbonlint.findings import Category, Problem, Severity
from carbonlint.grade import rank
from carbonlint.rules import check, rule

if TYPE_CHECKING:
    from carbonlint.checker import Context

R, E = Category.REPORTING, Severity.ERROR
_UNREADABLE = frozenset({"CL001", "CL002", "CL004", "CL005"})

rule(
    "CL200", "emissions-not-reported", R, E,
    "The card does not report co2_eq_emissions (only with --require-emissions).",
    """
    By default a card without co2_eq_emissions is not an error: it is graded 'unknown'. With
    --require-emissions (or require-emissions = true in the configuration), for example in an
    organisation that has decided every model reports its training emissions, it is.
    The finding points at the front matter, or at the top of a card that has none.
    """,
    failing="""
    ---
    license: apache-2.0
    ---
    """,
    passing="""
    ---
    license: apache-2.0
    co2_eq_emissions: 1430.2
    ---
    """,
)

rule(
    "CL210", "below-min-class", R, E,
    "The card's reporting class is below the required --min-class.",
    """
    --min-class (or min-class in the configuration) sets the lowest acceptable reporting class:
    unknown < context < basic < awareness < optimization < certified. A card below it fails the
    run (exit code 1) and gets this finding, which says what to add to climb. The examples assume
    --min-class awareness.
    """,
    failing="""
    ---
    co2_eq_emissions: 1430.2
    ---
    """,
    passing="""
    ---
    co2_eq_emissions:
      emissions: 1430.2
      hardware_used: 4 x A100 40GB
    ---
    """,
)


@check("CL200")
def emissions_not_reported(context: Context) -> Iterator[Problem]:
    card = context.card
    # When the metadata could not be read at all, the parse finding already says so.
    unreadable = any(p.code in _UNREADABLE for p in card.problems)
    if context.config.require_emissions and not card.has_co2 and not unreadable:
        yield Problem(
            "CL200",
            "the card does not report co2_eq_emissions, and this run requires it",
            span=card.start_span(), key="co2_eq_emissions",
            suggestion="add 'co2_eq_emissions: <grams of CO2>' to the front matter "
            "(CodeCarbon measures it: https://codecarbon.io)",
        )


@check("CL210")
def below_min_class(context: Context) -> Iterator[Problem]:
    wanted = context.config.min_class
    grade = context.grade
    if wanted is None or rank(grade.reporting_class) >= rank(wanted):
        return
    card = context.card
    span = card.span_of("co2_eq_emissions", key=True) or card.start_span()
    step = f"; next: {grade.next_step}" if grade.next_step else ""
    yield Problem(
        "CL210",
        f"reporting class '{grade.reporting_class}' is below the required '{wanted}' "
        f"({grade.reason}){step}",
        span=span, key="co2_eq_emissions",
    )
