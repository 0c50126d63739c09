"""The human-readable summary of a baseline (``carbonlint baselines show``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from carbonlint.baselines.loading import Baseline, MetricBoundaries
from carbonlint.baselines.vocabulary import FORMAT, GROUPS, LABEL_METRICS

T = TypeVar("T")


# ---------------------------------------------------------------------------------------------
# Human-readable summary.


def format_grams(value: float) -> str:
    """Two significant digits with thousands separators: 0.028, 1.2, 9,300, 150,000."""
    rounded = float(f"{value:.2g}")
    if rounded >= 100:
        return f"{rounded:,.0f}"
    return f"{rounded:g}"


def _describe_build(raw: Mapping[str, Any]) -> str:
    build = raw.get("build", {})
    dropped = build.get("dropped", {})
    reasons = ", ".join(f"{reason} {count:,}" for reason, count in dropped.items()) or "none"
    return (
        f"Models: {build.get('rows_kept', 0):,} kept of {build.get('rows_read', 0):,} rows read; "
        f"dropped: {reasons}"
    )


def _in_order(items: Mapping[str, T], order: Mapping[str, Any]) -> list[tuple[str, T]]:
    """Known keys in their documented order, then any others (a newer file) alphabetically."""
    rank = {key: index for index, key in enumerate(order)}
    return sorted(items.items(), key=lambda item: (rank.get(item[0], len(rank)), item[0]))


def _scale(metric: MetricBoundaries) -> str:
    """"A < 0.3 <= B < 1.8 ..." for lower-is-better, "A > 90 >= B > 50 ..." for higher."""
    if not metric.boundaries:
        return "no data"
    if metric.better == "lower":
        edges, strict, loose = metric.boundaries, "<", "<="
    else:
        edges, strict, loose = tuple(reversed(metric.boundaries)), ">", ">="
    text = "A"
    for edge, letter in zip(edges, "BCDE"):
        text += f" {strict} {edge:.3g} {loose} {letter}"
    return text


def format_summary(baseline: Baseline) -> str:
    """n, dates, quantiles per group and the label boundaries, as plain text."""
    raw = baseline.raw
    source = baseline.source
    data = raw.get("data", {})
    undated = data.get("models", 0) - raw.get("coverage", {}).get("created_at", 0)
    lines = [
        f"carbonlint Hub baseline (format {FORMAT}), generated {baseline.generated or 'unknown'}",
        f"Source: {source.get('file') or source.get('kind', '?')}"
        + (f" (sha256 {source['sha256'][:12]}...)" if source.get("sha256") else ""),
    ]
    if source.get("citation"):
        lines.append(f"Cite: {source['citation']}")
    lines += [
        _describe_build(raw),
        f"Created: {data.get('created_first')} to {data.get('created_last')}"
        f" ({undated:,} without a date)",
        "",
        "Emissions (g CO2eq) by peer group:",
    ]
    shown = (1, 5, 25, 50, 75, 95, 99)
    header = f"  {'group':<28}{'n':>6}" + "".join(f" {'p' + str(p):>11}" for p in shown)
    lines.append(header)
    for key, group in _in_order(baseline.groups, GROUPS):
        cells = "".join(
            f" {format_grams(group.quantiles_g[f'p{p}']) if group.n else '-':>11}" for p in shown
        )
        lines.append(f"  {key:<28}{group.n:>6,}{cells}")
    lines += ["", "Efficiency label boundaries (A is best):"]
    for name, metric in _in_order(baseline.label_metrics, LABEL_METRICS):
        lines.append(
            f"  {name:<20} {metric.unit}, n={metric.n:,}, at "
            f"p{'/'.join(map(str, metric.percentiles))}: {_scale(metric)}"
        )
    return "\n".join(lines)
