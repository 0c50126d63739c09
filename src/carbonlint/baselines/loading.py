"""Loading a baseline file: its typed view (groups, label boundaries) and the shipped one, read
once per process. On the start-up path of ``carbonlint check``: standard library only."""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from carbonlint.baselines.vocabulary import FORMAT
from carbonlint.record import Record

if TYPE_CHECKING:
    from pathlib import Path


# ---------------------------------------------------------------------------------------------
# Loading.


class GroupStats(Record):
    key: str
    description: str
    n: int
    quantiles_g: Mapping[str, float]  # "p1" ... "p99"; empty when n == 0
    log10_median: float | None
    log10_mad: float | None

    @property
    def median_g(self) -> float | None:
        return self.quantiles_g.get("p50")


class MetricBoundaries(Record):
    name: str
    better: str  # "lower" | "higher"
    percentiles: tuple[int, ...]
    boundaries: tuple[float, ...]  # ascending, one per percentile; empty when n == 0
    n: int
    unit: str


class Baseline(Record):
    generated: str | None
    source: Mapping[str, Any]
    groups: Mapping[str, GroupStats]
    label_metrics: Mapping[str, MetricBoundaries]
    performance_ranges: Mapping[str, tuple[float, float]]
    raw: Mapping[str, Any]  # the whole file, for format_summary and callers that want more


def _group_from(key: str, entry: Mapping[str, Any]) -> GroupStats:
    return GroupStats(
        key=key,
        description=str(entry["description"]),
        n=int(entry["n"]),
        quantiles_g=dict(entry["quantiles_g"] or {}),
        log10_median=entry["log10_median"],
        log10_mad=entry["log10_mad"],
    )


def _metric_from(name: str, entry: Mapping[str, Any]) -> MetricBoundaries:
    if entry["better"] not in {"lower", "higher"}:
        raise ValueError(f"label metric {name}: 'better' must be 'lower' or 'higher'")
    return MetricBoundaries(
        name=name,
        better=entry["better"],
        percentiles=tuple(entry["percentiles"]),
        boundaries=tuple(entry["boundaries"] or ()),
        n=int(entry["n"]),
        unit=str(entry["unit"]),
    )


def from_dict(data: Any, origin: str = "baseline") -> Baseline:
    """A :class:`Baseline` from a parsed file; ValueError names what is wrong."""
    if not isinstance(data, dict):
        raise ValueError(f"{origin}: not a carbonlint baseline (expected a JSON object)")
    if data.get("format") != FORMAT:
        raise ValueError(
            f"{origin}: baseline format {data.get('format')!r} is not supported "
            f"(this carbonlint reads format {FORMAT}); rebuild it with "
            "'carbonlint baselines build'"
        )
    try:
        label = data["label"]
        return Baseline(
            generated=data.get("generated"),
            source=data["source"],
            groups={key: _group_from(key, entry) for key, entry in data["groups"].items()},
            label_metrics={
                name: _metric_from(name, entry) for name, entry in label["metrics"].items()
            },
            performance_ranges={
                name: (float(r["min"]), float(r["max"]))
                for name, r in label["performance_ranges"].items()
            },
            raw=data,
        )
    except (KeyError, TypeError, AttributeError) as error:
        raise ValueError(f"{origin}: malformed baseline ({type(error).__name__} {error})") from None


@lru_cache(maxsize=1)
def _shipped() -> Baseline:
    from carbonlint.resources import read_text

    return from_dict(json.loads(read_text("data", "baseline.json")), "shipped baseline")


def load(path: str | Path | None = None) -> Baseline:
    """The baseline at ``path``, or the one shipped in the package (read once, then cached)."""
    if path is None:
        return _shipped()
    return _load_file(str(path))


@lru_cache(maxsize=8)
def _load_file(path: str) -> Baseline:
    """A baseline file, read once per process (every card of a run asks for it)."""
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except json.JSONDecodeError as error:
        raise ValueError(f"{path}: not JSON ({error})") from None
    return from_dict(data, path)
