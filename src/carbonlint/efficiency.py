"""The A-E efficiency label and emission outliers, against a Hub baseline.

The label follows Castaño et al. (ESEM 2023) and their replication code
(GAISSA-UPC/ML-EnergyLabel): five metrics, each rated A-E by boundaries at percentiles of all
reporting models, combined into a weighted mean. One deliberate change: their emissions
boundaries are percentiles of square roots but are compared with raw values, which rates about
94% of the models in their data A on emissions. Here boundaries and values share one scale,
grams. docs/efficiency.md has the details.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from carbonlint.baselines import (
    MAD_TO_SIGMA,
    MIN_PEERS,
    QUANTILES,
    Baseline,
    MetricBoundaries,
    format_grams,
    label_values,
    normalised_performance,
)
from carbonlint.record import Record
from carbonlint.units import as_written

# Castaño et al.'s weights (app/energy_label.py at the paper's final commit).
WEIGHTS: dict[str, float] = {
    "emissions": 0.35,
    "size_efficiency": 0.10,
    "dataset_efficiency": 0.10,
    "downloads": 0.25,
    "performance": 0.20,
}
LETTERS = "ABCDE"
# What relates the emissions to what the run produced: without one of them there is no letter.
EFFICIENCY_METRICS = frozenset({"size_efficiency", "dataset_efficiency", "performance"})
EMISSIONS_ONLY = (
    "no letter: the card gives emissions but nothing to relate them to (model size, dataset "
    "size or a performance metric), and emissions alone rate the size of the run, not its "
    "efficiency"
)
# The least spread an outlier is judged with, in log10 grams (a factor of about 3). Runs of
# one kind still differ by hardware and hours: a group of near-identical cards (one author's
# series) must not make an ordinary run an outlier. At the default z of 3.5 a card must lie
# about 400 times from its group's median.
MIN_LOG10_MAD = 0.5


class EfficiencyInputs(Record):
    emissions_g: float | None
    size_bytes: float | None = None  # the model's weight file
    dataset_size: float | None = None  # bytes
    downloads: int | None = None
    performance: float | None = None  # 0-1, see performance_score()


def performance_score(metrics: Mapping[str, float], baseline: Baseline) -> float | None:
    """A card's accuracy/f1/rouge1/rougeL as the 0-1 score the label rates.

    Each is min-max normalised over the baseline's models, then their harmonic mean is taken;
    values above 1 are read as percentages.
    """
    return normalised_performance(metrics, baseline.performance_ranges)


def rate(value: float, metric: MetricBoundaries) -> str:
    """A-E for one metric value: strictly beyond the best boundary is A, as in the original."""
    if metric.better == "lower":
        return LETTERS[sum(value >= edge for edge in metric.boundaries)]
    return LETTERS[len(metric.boundaries) - sum(value > edge for edge in metric.boundaries)]


def label(inputs: EfficiencyInputs, baseline: Baseline) -> dict[str, Any] | None:
    """The label, its score (A=1 ... E=5) and each metric's rating; None without emissions.

    Without a metric that relates the emissions to what the run produced (size_efficiency,
    dataset_efficiency or performance), ``label`` and ``score`` are None and ``reason`` says
    why: the ratings are still given.

    A metric the card does not give, or the baseline has no boundaries for, is left out and
    the remaining weights are scaled to sum to 1; "weight" is the weight actually applied.
    """
    values = label_values(
        inputs.emissions_g,
        inputs.size_bytes,
        inputs.dataset_size,
        inputs.downloads,
        inputs.performance,
    )
    usable = {
        name: value
        for name, value in values.items()
        if name in baseline.label_metrics and baseline.label_metrics[name].boundaries
    }
    if "emissions" not in usable:
        return None
    total = sum(WEIGHTS[name] for name in usable)
    metrics = {}
    score = 0.0
    for name, value in usable.items():
        rating = rate(value, baseline.label_metrics[name])
        weight = WEIGHTS[name] / total
        score += weight * (LETTERS.index(rating) + 1)
        metrics[name] = {"value": value, "rating": rating, "weight": round(weight, 4)}
    # Half rounds down the alphabet (3.5 is D), where the original's round-half-even flipped
    # direction from one letter to the next; rounding to 9 digits first keeps a float sum such
    # as 3.4999999999 from deciding the letter.
    letter = LETTERS[math.floor(round(score, 9) + 0.5) - 1]
    result: dict[str, Any] = {
        "label": letter,
        "score": round(score, 2),
        "metrics": metrics,
        "used": list(usable),
        "missing": [name for name in WEIGHTS if name not in usable],
    }
    if not set(usable) & EFFICIENCY_METRICS:
        # Emissions (and downloads) alone rank how big the run was: a 20-minute fine-tune
        # would get E for reporting 41 g while a card that reports nothing gets no letter.
        # No letter then, but the ratings stay, with the reason.
        result.update(label=None, score=None, reason=EMISSIONS_ONLY)
    return result


class Outlier(Record):
    emissions_g: float
    group: str
    description: str  # "computer-vision models"
    n: int
    median_g: float
    z: float  # robust z-score of log10 emissions
    direction: str  # "high" | "low"
    percentile: int  # the stored percentile the value lies beyond
    message: str


def _ordinal(number: int) -> str:
    if 10 <= number % 100 <= 20:
        return f"{number}th"
    return f"{number}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(number % 10, 'th')}"


def _beyond(emissions_g: float, quantiles: Mapping[str, float], direction: str) -> int:
    """The most extreme stored percentile that the value lies beyond."""
    if direction == "high":
        passed = [p for p in QUANTILES if p >= 50 and emissions_g > quantiles[f"p{p}"]]
        return max(passed, default=50)
    passed = [p for p in QUANTILES if p <= 50 and emissions_g < quantiles[f"p{p}"]]
    return min(passed, default=50)


def robust_z(emissions_g: float, stats: Any) -> float | None:
    """The robust z of ``emissions_g`` in a baseline group (its log10 median and MAD, the MAD
    taken as at least MIN_LOG10_MAD); None without a positive number or a spread."""
    if not math.isfinite(emissions_g) or emissions_g <= 0:
        return None
    if not stats.log10_mad or stats.log10_median is None:
        return None
    spread = max(stats.log10_mad, MIN_LOG10_MAD)
    return MAD_TO_SIGMA * (math.log10(emissions_g) - stats.log10_median) / spread


def outlier(
    emissions_g: float,
    group: str,
    baseline: Baseline,
    z_threshold: float = 3.5,
    min_n: int = MIN_PEERS,
) -> Outlier | None:
    """An Outlier when log10 emissions are more than ``z_threshold`` robust z from the group's.

    The robust z is 0.6745 (x - median) / MAD on log10 grams (Iglewicz and Hoaglin's modified
    z-score, for which 3.5 is their threshold): emissions span eight orders of magnitude, so
    the log is what makes "far from the peers" mean a ratio. None when the value is inside,
    not positive, or the group has fewer than ``min_n`` models or no spread.
    """
    stats = baseline.groups.get(group)
    if stats is None:
        raise ValueError(f"unknown baseline group {group!r} (known: {', '.join(baseline.groups)})")
    if not math.isfinite(emissions_g) or emissions_g <= 0:
        return None
    if stats.n < min_n:
        return None
    z = robust_z(emissions_g, stats)
    if z is None or abs(z) <= z_threshold:
        return None
    direction = "high" if z > 0 else "low"
    beyond = _beyond(emissions_g, stats.quantiles_g, direction)
    median = stats.quantiles_g["p50"]
    side = "above" if direction == "high" else "below"
    message = (
        f"{side} the {_ordinal(beyond)} percentile of {stats.n:,} {stats.description}: "
        f"{format_grams(median)} g median, this card {as_written(emissions_g)} g"
    )
    return Outlier(
        emissions_g=emissions_g,
        group=group,
        description=stats.description,
        n=stats.n,
        median_g=median,
        z=round(z, 2),
        direction=direction,
        percentile=beyond,
        message=message,
    )
