"""Building a baseline file (the JSON-ready dict) from model records, and reading Castaño et
al.'s CSV into records. Not on the check path: imported when a baseline is built."""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from carbonlint.baselines.groups import fair_keys
from carbonlint.baselines.scoring import (
    _median,
    _sig,
    as_fraction,
    label_values,
    normalised_performance,
    percentile,
)
from carbonlint.baselines.vocabulary import (
    CITATION,
    COMBINED_GROUPS,
    DOMAINS,
    FORMAT,
    GROUPS,
    LABEL_METRICS,
    PERFORMANCE_METRICS,
    QUANTILES,
    UPSTREAM,
    ModelRecord,
    normalise_training_type,
    size_bucket,
)

if TYPE_CHECKING:
    from pathlib import Path

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def _group_stats(emissions: list[float], description: str) -> dict[str, Any]:
    values = sorted(emissions)
    stats: dict[str, Any] = {"description": description, "n": len(values)}
    if not values:
        stats.update(log10_mad=None, log10_median=None, quantiles_g=None)
        return stats
    logs = [math.log10(v) for v in values]
    log_median = _median(logs)
    stats.update(
        quantiles_g={f"p{p}": _sig(percentile(values, p)) for p in QUANTILES},
        log10_median=_sig(log_median),
        log10_mad=_sig(_median(abs(x - log_median) for x in logs)),
    )
    return stats


def _distribution(values: list[float], unit: str) -> dict[str, Any]:
    ordered = sorted(values)
    return {
        "n": len(ordered),
        "unit": unit,
        "quantiles": (
            {f"p{p}": _sig(percentile(ordered, p)) for p in QUANTILES} if ordered else None
        ),
    }


# ---------------------------------------------------------------------------------------------
# Building.


def _drop_reason(record: ModelRecord) -> str | None:
    if not record.model_id:
        return "missing model id"
    if not math.isfinite(record.emissions_g):
        return "emissions not a finite number"
    if record.emissions_g < 0:
        return "negative emissions"
    if record.emissions_g == 0:
        # Zero is not a measurement; the paper drops these rows too, log10 could not take it.
        return "zero emissions"
    return None


def _clean(
    records: Iterable[ModelRecord], dropped: Counter[str]
) -> tuple[list[ModelRecord], int]:
    """Valid records, first occurrence of each model id; counts the rest in ``dropped``."""
    kept: list[ModelRecord] = []
    seen: set[str] = set()
    read = 0
    for record in records:
        read += 1
        reason = _drop_reason(record)
        if reason is None and record.model_id in seen:
            reason = "duplicate model id"
        if reason is not None:
            dropped[reason] += 1
            continue
        seen.add(record.model_id)
        kept.append(record)
    return kept, read


def _peer_groups(records: list[ModelRecord]) -> dict[str, dict[str, Any]]:
    described = {**GROUPS, **COMBINED_GROUPS}
    members: dict[str, list[float]] = {key: [] for key in described}
    for record in records:
        kind = normalise_training_type(record.training_type) or "unknown"
        keys = ["all", f"training_type:{kind}"]
        if record.domain in DOMAINS:
            keys.append(f"domain:{record.domain}")
        bucket = size_bucket(record.size_bytes)
        if bucket:
            keys.append(f"size:{bucket}")
        if record.autotrain is not None:
            keys.append("autotrain:yes" if record.autotrain else "autotrain:no")
            keys += [  # the one-dimensional "autotrain:yes" is already in
                key for key in fair_keys(
                    autotrain=record.autotrain,
                    training_type=None if kind == "unknown" else kind,
                    size_bytes=record.size_bytes,
                    domain=record.domain,
                )
                if key in COMBINED_GROUPS
            ]
        for key in keys:
            members[key].append(record.emissions_g)
    return {key: _group_stats(values, described[key]) for key, values in members.items()}


def _performance_ranges(records: list[ModelRecord]) -> dict[str, tuple[float, float]]:
    seen: dict[str, list[float]] = {name: [] for name in PERFORMANCE_METRICS}
    for record in records:
        for name, value in (record.performance or {}).items():
            if name in seen and math.isfinite(value) and 0 <= value <= 100:
                seen[name].append(as_fraction(value))
    return {name: (min(values), max(values)) for name, values in seen.items() if values}


def _label_section(records: list[ModelRecord]) -> dict[str, Any]:
    ranges = _performance_ranges(records)
    columns: dict[str, list[float]] = {name: [] for name in LABEL_METRICS}
    for record in records:
        score = normalised_performance(record.performance or {}, ranges)
        values = label_values(
            record.emissions_g, record.size_bytes, record.dataset_size, record.downloads, score
        )
        for name, value in values.items():
            columns[name].append(value)
    metrics = {}
    for name, (better, cut_points, unit) in LABEL_METRICS.items():
        values = sorted(columns[name])
        metrics[name] = {
            "better": better,
            "boundaries": [_sig(percentile(values, p)) for p in cut_points] if values else None,
            "n": len(values),
            "percentiles": list(cut_points),
            "unit": unit,
        }
    return {
        "metrics": metrics,
        "performance_ranges": {
            name: {"max": _sig(high), "min": _sig(low)} for name, (low, high) in ranges.items()
        },
    }


def _coverage(records: list[ModelRecord]) -> dict[str, int]:
    return {
        "autotrain": sum(r.autotrain is not None for r in records),
        "created_at": sum(r.created_at is not None for r in records),
        "dataset_size": sum(bool(r.dataset_size) for r in records),
        "domain": sum(r.domain in DOMAINS for r in records),
        "downloads": sum(r.downloads is not None for r in records),
        "performance": sum(bool(r.performance) for r in records),
        "size_bytes": sum(bool(r.size_bytes) for r in records),
        "training_type": sum(normalise_training_type(r.training_type) is not None for r in records),
    }


def build_from_records(
    records: Iterable[ModelRecord],
    source: Mapping[str, Any],
    *,
    rejected: Mapping[str, int] | None = None,
) -> dict[str, Any]:
    """Build a baseline (the JSON-ready dict) from model records.

    Invalid records (non-finite, negative or zero emissions, no id) and repeated model ids
    (the first is kept) are dropped and counted. ``rejected`` counts, by reason, the rows the
    caller's reader could not turn into records at all; they join the build statistics.
    ``source`` is stored as given; its optional "date" is the snapshot date, otherwise the
    latest ``created_at`` stands in, so that a rebuild of the same data is byte-identical.
    """
    dropped: Counter[str] = Counter(rejected or {})
    kept, read = _clean(records, dropped)
    if not kept:
        raise ValueError("no usable model records: nothing to build a baseline from")
    per_byte = [r.emissions_g / r.size_bytes for r in kept if r.size_bytes]
    dates = sorted(r.created_at for r in kept if r.created_at)
    return {
        "format": FORMAT,
        "generated": source.get("date") or (dates[-1] if dates else None),
        "source": dict(source),
        "data": {
            "created_first": dates[0] if dates else None,
            "created_last": dates[-1] if dates else None,
            "models": len(kept),
        },
        "build": {
            "dropped": dict(sorted(dropped.items())),
            "rows_kept": len(kept),
            "rows_read": read + sum((rejected or {}).values()),
        },
        "coverage": _coverage(kept),
        "quantile_method": "linear interpolation between order statistics (Hyndman-Fan type 7)",
        "groups": _peer_groups(kept),
        "emissions_per_byte": _distribution(per_byte, "g/byte"),
        "label": _label_section(kept),
    }


# ---------------------------------------------------------------------------------------------
# The Castaño et al. CSV (HFCO2.csv).

_REQUIRED_COLUMNS = ("modelId", "co2_eq_emissions")
_CSV_DOMAINS = {
    "NLP": "nlp",
    "Computer Vision": "cv",
    "Audio": "audio",
    "Multimodal": "multimodal",
    "Tabular": "tabular",
}
_PERFORMANCE_ITEM = re.compile(r"'(\w+)'\s*:\s*([^,}]+)")


class _Malformed(Exception):
    """A CSV row that cannot become a record; the message is the reason counted."""


def _csv_number(row: Mapping[str, str], column: str) -> float | None:
    text = (row.get(column) or "").strip()
    if not text or text.lower() == "nan":
        return None
    try:
        value = float(text)
    except ValueError:
        raise _Malformed(f"{column} not a number") from None
    if not math.isfinite(value) or value < 0:
        raise _Malformed(f"{column} negative or infinite")
    return value


def _csv_bool(row: Mapping[str, str], column: str) -> bool | None:
    text = (row.get(column) or "").strip().lower()
    if not text:
        return None
    if text in {"true", "1", "1.0", "yes"}:
        return True
    if text in {"false", "0", "0.0", "no"}:
        return False
    raise _Malformed(f"{column} not a boolean")


def _csv_domain(row: Mapping[str, str]) -> str | None:
    domain = _CSV_DOMAINS.get((row.get("domain") or "").strip())
    # AutoTrain's tabular models carry no task tag, so the data leaves them "Not Specified";
    # their weights are scikit-learn pipelines saved with joblib, which gives them away.
    if domain is None and "joblib" in (row.get("library_name") or ""):
        return "tabular"
    return domain


def _csv_performance(row: Mapping[str, str]) -> dict[str, float] | None:
    # The column is a Python dict repr with bare nan, which json and ast.literal_eval refuse.
    metrics = {}
    for name, text in _PERFORMANCE_ITEM.findall(row.get("performance_metrics") or ""):
        try:
            value = float(text)
        except ValueError:
            raise _Malformed("performance_metrics not numbers") from None
        if math.isfinite(value):
            metrics[name] = value
    return metrics or None


def _csv_record(row: Mapping[str, str]) -> ModelRecord:
    emissions_text = (row.get("co2_eq_emissions") or "").strip()
    try:
        emissions = float(emissions_text)
    except ValueError:
        raise _Malformed("emissions not a number") from None
    created = (row.get("created_at") or "").strip()
    if created and not _DATE.match(created):
        raise _Malformed("created_at not a date")
    downloads = _csv_number(row, "downloads")
    return ModelRecord(
        model_id=(row.get("modelId") or "").strip(),
        emissions_g=emissions,
        domain=_csv_domain(row),
        training_type=normalise_training_type(row.get("training_type")),
        autotrain=_csv_bool(row, "auto"),
        size_bytes=_csv_number(row, "size") or None,  # a 0-byte model means "not found"
        dataset_size=_csv_number(row, "datasets_size") or None,
        downloads=None if downloads is None else int(downloads),
        performance=_csv_performance(row),
        created_at=created[:10] or None,
    )


def build_from_csv(path: str | Path) -> dict[str, Any]:
    """Build a baseline from Castaño et al.'s HFCO2.csv (or a CSV with its columns).

    Only modelId and co2_eq_emissions are required; absent optional columns read as unknown.
    Rows whose numbers do not parse are dropped and counted by reason.
    """
    # Kept off the module's import path: loading a baseline must stay cheap.
    import csv
    import hashlib

    from pathlib import Path  # only for building and explicit files: not on the check path

    path = Path(path)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValueError(f"{path}: not UTF-8 text ({error})") from None
    reader = csv.DictReader(text.splitlines())
    missing = [c for c in _REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ValueError(f"{path}: missing column(s) {', '.join(missing)}")

    records: list[ModelRecord] = []
    rejected: Counter[str] = Counter()
    for row in reader:
        try:
            records.append(_csv_record(row))
        except _Malformed as reason:
            rejected[str(reason)] += 1
    source = {
        "citation": CITATION,
        "file": path.name,
        "kind": "csv",
        "sha256": hashlib.sha256(raw).hexdigest(),
        "upstream": UPSTREAM,
    }
    return build_from_records(records, source, rejected=rejected)


def dumps(baseline: Mapping[str, Any]) -> str:
    """The canonical text of a baseline file: sorted keys, two-space indent, final newline."""
    return json.dumps(baseline, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
