"""Statistics shared by the builder and the label: percentiles (numpy's default rule),
significant-digit rounding, and the label's metric values and performance score."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

from carbonlint.baselines.vocabulary import PERFORMANCE_METRICS

def percentile(sorted_values: Sequence[float], p: float) -> float:
    """Linear interpolation between order statistics (numpy's default, Hyndman-Fan type 7).

    The same rule as np.nanpercentile in Castaño et al.'s code, so the label boundaries agree.
    """
    if not sorted_values:
        raise ValueError("percentile of no values")
    position = (len(sorted_values) - 1) * p / 100
    low = math.floor(position)
    high = min(low + 1, len(sorted_values) - 1)
    fraction = position - low
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * fraction


def _median(values: Iterable[float]) -> float:
    return percentile(sorted(values), 50)


def _sig(value: float, digits: int = 6) -> float:
    """Round to significant digits: emissions span 1e-4 to 1e7 g, so decimals would not do."""
    return float(f"{value:.{digits}g}")


def as_fraction(value: float) -> float:
    """Scores above 1 are percentages (cards write both 0.91 and 91.0, rouge too)."""
    return value / 100 if value > 1 else value


def normalised_performance(
    metrics: Mapping[str, float], ranges: Mapping[str, tuple[float, float]]
) -> float | None:
    """Harmonic mean of the metrics, each min-max normalised over the baseline's models.

    Castaño et al.'s performance score. Values outside the baseline's range are clamped to 0-1;
    metrics the baseline has no spread for are skipped.
    """
    normalised = []
    for name in PERFORMANCE_METRICS:
        value = metrics.get(name)
        if value is None or not math.isfinite(value) or not 0 <= value <= 100:
            continue
        if name not in ranges or ranges[name][1] <= ranges[name][0]:
            continue
        low, high = ranges[name]
        normalised.append(min(1.0, max(0.0, (as_fraction(value) - low) / (high - low))))
    if not normalised:
        return None
    # The harmonic mean of anything with a zero in it is zero.
    if min(normalised) == 0:
        return 0.0
    return len(normalised) / sum(1 / x for x in normalised)


def _positive(value: float | None) -> float | None:
    if value is None or not math.isfinite(value) or value <= 0:
        return None
    return float(value)


def label_values(
    emissions_g: float | None,
    size_bytes: float | None = None,
    dataset_size: float | None = None,
    downloads: float | None = None,
    performance: float | None = None,
) -> dict[str, float]:
    """The efficiency label's metric values, by LABEL_METRICS name; unusable inputs are left out.

    One definition for the build (the boundaries) and for efficiency.label (the card), so that
    both sides of a comparison are on the same scale. Empty when emissions are not positive.
    """
    emissions = _positive(emissions_g)
    if emissions is None:
        return {}
    values = {"emissions": emissions}
    size = _positive(size_bytes)
    if size is not None:
        values["size_efficiency"] = size / emissions
    dataset = _positive(dataset_size)
    if dataset is not None:
        values["dataset_efficiency"] = dataset / emissions
    if downloads is not None and math.isfinite(downloads) and downloads >= 0:
        values["downloads"] = float(downloads)
    if performance is not None and math.isfinite(performance) and 0 <= performance <= 1:
        values["performance"] = performance
    return values
