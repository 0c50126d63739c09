"""Efficiency rules (CL5xx): the card against the Hub baseline of models that report emissions.

The baseline (``carbonlint baselines show``; docs/efficiency.md) holds the distribution of
emissions per peer group (domain, training type, AutoTrain or not, model size, and the fair
combinations CL501 uses), built from the 1,417 models of Castaño et al. (ESEM 2023). The efficiency label itself (A-E) is not a finding:
it is reported in every output format as ``efficiency``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from carbonlint.findings import Category, Problem, Severity
from carbonlint.rules import check, rule

if TYPE_CHECKING:
    from carbonlint.checker import Context

rule(
    "CL501", "emissions-outlier", Category.EFFICIENCY, Severity.WARNING,
    "The emissions are far outside those of the card's fair peer group on the Hub.",
    """
    The card is compared only with runs of its own kind in the Hub baseline: an AutoTrain
    model with AutoTrain models (of its size, else its domain, else all of them), any other
    model with runs of its own training type outside AutoTrain (of its size, else any size).
    A card that does not say its training type, or whose fair group has fewer than 30 models
    (pre-training runs, today), is not compared: there is no fair group to compare it with.
    The comparison is a robust z-score of log10 emissions (median and MAD, the MAD taken as at
    least 0.5, flagged beyond 3.5 by default: the configuration's outlier-z), so a card must
    lie some 400 times from its group's median. Physics comes first: a card that gives its
    hardware and hours, or its own energy figure, is judged by them (CL401-CL404), never by its
    peers, so a number physics accepts is never an outlier. A card that names its hardware but
    not its hours is compared only when that hardware could not emit its number in a run of a
    minute to two years. An extreme value is either an extreme model or a wrong number (a unit
    slip, a placeholder such as 1).
    """,
    failing="""
    ---
    tags: [autotrain, vision, image-classification]
    pipeline_tag: image-classification
    co2_eq_emissions: 9300000
    ---
    """,
    passing="""
    ---
    tags: [autotrain, vision, image-classification]
    pipeline_tag: image-classification
    co2_eq_emissions: 1.2
    ---
    """,
)


@check("CL501")
def outlier(context: Context) -> Iterator[Problem]:
    found = context.outlier
    if found is None:
        return
    span, key, _ = context.emissions_place()
    yield Problem(
        "CL501", found.message, span=span, key=key,
        suggestion="check the unit (grams) and the number; if it is right, say why in the card",
    )
