"""Efficiency rules (CL5xx): the card against the Hub baseline of models that report emissions.

The baseline (``carbonlint baselines show``; docs/efficiency.md) holds the distribution of
emissions per peer group (domain, training type, AutoTrain or not, model size), built from the
1,417 models of Castaño et al. (ESEM 2023). The efficiency label itself (A-E) is not a finding:
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
    "The emissions are far outside those of the card's peer group on the Hub.",
    """
    The card is compared with the models of its peer group in the Hub baseline (the most
    specific of: training type, domain, model size, AutoTrain or not, that has at least 30
    models), on a robust z-score of log10 emissions (median and MAD, flagged beyond 3.5 by
    default: the configuration's outlier-z). An extreme value is either an extreme model or a
    wrong number (a unit slip, a placeholder such as 1); the message says where the card sits.
    """,
    failing="""
    ---
    pipeline_tag: image-classification
    co2_eq_emissions: 9300000
    ---
    """,
    passing="""
    ---
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
