"""Hub baselines: what the models on the Hugging Face Hub report, as distributions.

A baseline file holds statistics, never rows: quantiles of the reported training emissions (grams
CO2eq) per peer group, the median and MAD of log10 emissions for robust z-scores, and the A-E
boundaries of the efficiency label's metrics. The shipped file is built from Castaño et al.'s
data (ESEM 2023), whose upstream repository has no licence: derived statistics with a citation
are all that the package carries. docs/efficiency.md describes every field.

Loading is on the start-up path of ``carbonlint check``, so this module imports only light parts
of the standard library; the builders import what they need when called.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

if TYPE_CHECKING:
    from pathlib import Path

FORMAT = 1

CITATION = (
    "J. Castaño, S. Martínez-Fernández, X. Franch, J. Bogner: \"Exploring the Carbon Footprint "
    "of Hugging Face's ML Models: A Repository Mining Study\", ESEM 2023, "
    "doi:10.1109/ESEM56168.2023.10304801, arXiv:2305.11164"
)
UPSTREAM = "https://github.com/GAISSA-UPC/ML-EnergyLabel"

# Percentiles stored for every group, as "p1" ... "p99".
QUANTILES: tuple[int, ...] = (1, 5, 10, 25, 50, 75, 90, 95, 99)

# Below this many models a group's quantiles say little: group_for() and outlier() fall back.
MIN_PEERS = 30

# 1 / Phi^-1(0.75): scales the MAD to a standard deviation (Iglewicz and Hoaglin's modified z).
MAD_TO_SIGMA = 0.6745

DOMAINS: dict[str, str] = {
    "nlp": "NLP models",
    "cv": "computer-vision models",
    "audio": "audio models",
    "multimodal": "multimodal models",
    "tabular": "tabular models",
}
TRAINING_TYPES: dict[str, str] = {
    "pre-training": "pre-training runs",
    "fine-tuning": "fine-tuning runs",
    "unknown": "models of unstated training type",
}
# Model file size in bytes, [low, high). fp32 weights take 4 bytes a parameter, so the edges are
# about 25M, 250M and 2.5B parameters.
SIZE_BUCKETS: tuple[tuple[str, float, float, str], ...] = (
    ("<100MB", 0.0, 1e8, "models under 100 MB"),
    ("100MB-1GB", 1e8, 1e9, "models of 100 MB to 1 GB"),
    ("1GB-10GB", 1e9, 1e10, "models of 1 to 10 GB"),
    (">=10GB", 1e10, math.inf, "models of 10 GB or more"),
)

# Every peer group a baseline holds, in display order: key -> description for messages.
GROUPS: dict[str, str] = {
    "all": "reporting models",
    **{f"domain:{key}": text for key, text in DOMAINS.items()},
    **{f"training_type:{key}": text for key, text in TRAINING_TYPES.items()},
    "autotrain:yes": "AutoTrain models",
    "autotrain:no": "models not trained with AutoTrain",
    **{f"size:{key}": text for key, _, _, text in SIZE_BUCKETS},
}

# Fair peer groups: the same kind of run. AutoTrain fine-tunes (about nine in ten of the models
# that report emissions) are compared with AutoTrain fine-tunes, of a similar size or domain;
# any other run with runs of its own training type, of a similar size. A card whose fair group
# is missing or smaller than MIN_PEERS is not compared at all (peer_key() returns None).
def combined_key(*parts: str) -> str:
    return "+".join(parts)


def _combined_groups() -> dict[str, str]:
    groups: dict[str, str] = {}
    for key, _, _, text in SIZE_BUCKETS:
        groups[combined_key("autotrain:yes", f"size:{key}")] = f"AutoTrain {text}"
    for key, text in DOMAINS.items():
        groups[combined_key("autotrain:yes", f"domain:{key}")] = f"AutoTrain {text}"
    for kind in ("pre-training", "fine-tuning"):
        runs = TRAINING_TYPES[kind]
        groups[combined_key("autotrain:no", f"training_type:{kind}")] = f"{runs} outside AutoTrain"
        for key, _, _, text in SIZE_BUCKETS:
            groups[combined_key("autotrain:no", f"training_type:{kind}", f"size:{key}")] = (
                f"{runs} outside AutoTrain ({text.replace('models ', '')})"
            )
    return groups


COMBINED_GROUPS: dict[str, str] = _combined_groups()

# The efficiency label's metrics: which direction is better and the percentiles that split
# A-E. Downloads keep Castaño et al.'s uneven cut points (E is the bottom 60%): over a quarter of
# the models have fewer than 3 downloads, so quintiles would split ties of near-zero counts.
LABEL_METRICS: dict[str, tuple[str, tuple[int, ...], str]] = {
    "emissions": ("lower", (20, 40, 60, 80), "g"),
    "size_efficiency": ("higher", (20, 40, 60, 80), "bytes/g"),
    "dataset_efficiency": ("higher", (20, 40, 60, 80), "bytes/g"),
    "downloads": ("higher", (60, 85, 94, 96), "downloads"),
    "performance": ("higher", (20, 40, 60, 80), "score 0-1"),
}
PERFORMANCE_METRICS: tuple[str, ...] = ("accuracy", "f1", "rouge1", "rougeL")

_DOMAIN_ALIASES: dict[str, str] = {
    "nlp": "nlp",
    "natural language processing": "nlp",
    "text": "nlp",
    "cv": "cv",
    "computer vision": "cv",
    "computer-vision": "cv",
    "vision": "cv",
    "audio": "audio",
    "speech": "audio",
    "multimodal": "multimodal",
    "multi-modal": "multimodal",
    "tabular": "tabular",
}
# Hub pipeline tags, mapped as Castaño et al.'s tags_to_domain does where it lists them
# (feature-extraction counts as multimodal there), so that a card meets the peers it was
# grouped with.
PIPELINE_TAG_DOMAINS: dict[str, str] = {
    **dict.fromkeys(
        (
            "text-classification", "token-classification", "table-question-answering",
            "question-answering", "zero-shot-classification", "translation", "summarization",
            "conversational", "text-generation", "text2text-generation", "fill-mask",
            "sentence-similarity", "text-ranking",
        ),
        "nlp",
    ),
    **dict.fromkeys(
        (
            "image-classification", "object-detection", "image-segmentation", "image-to-image",
            "unconditional-image-generation", "video-classification", "depth-estimation",
            "zero-shot-image-classification", "zero-shot-object-detection", "mask-generation",
            "image-feature-extraction", "keypoint-detection",
        ),
        "cv",
    ),
    **dict.fromkeys(
        (
            "automatic-speech-recognition", "audio-classification", "audio-to-audio",
            "text-to-speech", "text-to-audio", "voice-activity-detection",
        ),
        "audio",
    ),
    **dict.fromkeys(
        (
            "feature-extraction", "text-to-image", "image-to-text", "visual-question-answering",
            "document-question-answering", "image-text-to-text", "text-to-video",
            "any-to-any", "video-text-to-text",
        ),
        "multimodal",
    ),
    **dict.fromkeys(
        ("tabular-classification", "tabular-regression", "time-series-forecasting"), "tabular"
    ),
}

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
T = TypeVar("T")


# ---------------------------------------------------------------------------------------------
# Records: what a builder reads, from a CSV or from the Hub.


class ModelRecord(NamedTuple):
    """One model that reported emissions. ``None`` means the source did not say."""

    model_id: str
    emissions_g: float
    domain: str | None = None  # a DOMAINS key
    training_type: str | None = None  # "pre-training" | "fine-tuning"; None is unknown
    autotrain: bool | None = None
    size_bytes: float | None = None  # the model's weight file
    dataset_size: float | None = None  # bytes, summed over the card's datasets
    downloads: int | None = None
    performance: Mapping[str, float] | None = None  # raw accuracy/f1/rouge1/rougeL
    created_at: str | None = None  # YYYY-MM-DD


def normalise_domain(value: str | None) -> str | None:
    """A DOMAINS key for a domain name ("Computer Vision", "nlp") or a Hub pipeline tag."""
    if not value:
        return None
    text = value.strip().lower()
    return _DOMAIN_ALIASES.get(text) or PIPELINE_TAG_DOMAINS.get(text)


def normalise_training_type(value: str | None) -> str | None:
    """"pre-training", "fine-tuning", or None when the text names neither."""
    if not value:
        return None
    text = re.sub(r"[\s_-]", "", value.strip().lower())
    if text in {"pretraining", "pretrained", "pretrain"}:
        return "pre-training"
    if text in {"finetuning", "finetuned", "finetune"}:
        return "fine-tuning"
    return None


def size_bucket(size_bytes: float | None) -> str | None:
    """The SIZE_BUCKETS key for a model file size, or None when the size is unknown."""
    if size_bytes is None or not math.isfinite(size_bytes) or size_bytes <= 0:
        return None
    return next(key for key, low, high, _ in SIZE_BUCKETS if low <= size_bytes < high)


# ---------------------------------------------------------------------------------------------
# Statistics helpers.


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


# ---------------------------------------------------------------------------------------------
# Loading.


class GroupStats(NamedTuple):
    key: str
    description: str
    n: int
    quantiles_g: Mapping[str, float]  # "p1" ... "p99"; empty when n == 0
    log10_median: float | None
    log10_mad: float | None

    @property
    def median_g(self) -> float | None:
        return self.quantiles_g.get("p50")


class MetricBoundaries(NamedTuple):
    name: str
    better: str  # "lower" | "higher"
    percentiles: tuple[int, ...]
    boundaries: tuple[float, ...]  # ascending, one per percentile; empty when n == 0
    n: int
    unit: str


class Baseline(NamedTuple):
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


# ---------------------------------------------------------------------------------------------
# Peer groups.


def group_for(
    baseline: Baseline,
    *,
    domain: str | None = None,
    training_type: str | None = None,
    autotrain: bool | None = None,
    size_bytes: float | None = None,
    min_n: int = MIN_PEERS,
) -> str:
    """The key of the most telling peer group with at least ``min_n`` models.

    Groups are one-dimensional, so one is chosen, in this order: training type (pre-training
    and fine-tuning differ by orders of magnitude), domain, model size, AutoTrain, then "all".
    ``domain`` may be a domain name or a Hub pipeline tag.
    """
    candidates = []
    kind = normalise_training_type(training_type)
    if kind:
        candidates.append(f"training_type:{kind}")
    area = normalise_domain(domain)
    if area:
        candidates.append(f"domain:{area}")
    bucket = size_bucket(size_bytes)
    if bucket:
        candidates.append(f"size:{bucket}")
    if autotrain is not None:
        candidates.append("autotrain:yes" if autotrain else "autotrain:no")
    for key in candidates:
        group = baseline.groups.get(key)
        if group is not None and group.n >= min_n:
            return key
    return "all"


def fair_keys(
    *,
    autotrain: bool | None,
    training_type: str | None,
    size_bytes: float | None = None,
    domain: str | None = None,
) -> list[str]:
    """The fair peer groups of a run, most specific first (see COMBINED_GROUPS).

    An AutoTrain run: AutoTrain runs of its size, then of its domain, then all of them. Any
    other run: runs of its training type outside AutoTrain, of its size, then of any size.
    Without knowing whether it is AutoTrain, or (outside AutoTrain) its training type, a run
    has no fair group: a pre-training run and a ten-minute fine-tune differ a thousandfold.
    """
    bucket = size_bucket(size_bytes)
    if autotrain:
        area = normalise_domain(domain)
        keys = [combined_key("autotrain:yes", f"size:{bucket}")] if bucket else []
        if area:
            keys.append(combined_key("autotrain:yes", f"domain:{area}"))
        return keys + ["autotrain:yes"]
    kind = normalise_training_type(training_type)
    if autotrain is None or kind is None:
        return []
    base = combined_key("autotrain:no", f"training_type:{kind}")
    return ([combined_key(base, f"size:{bucket}")] if bucket else []) + [base]


def peer_key(
    baseline: Baseline,
    *,
    autotrain: bool | None,
    training_type: str | None,
    size_bytes: float | None = None,
    domain: str | None = None,
    min_n: int = MIN_PEERS,
) -> str | None:
    """The most specific fair peer group with at least ``min_n`` models, or None.

    None, not a wider group, when no fair group is large enough: comparing a pre-training run
    with the Hub's AutoTrain fine-tunes would call every careful report an outlier.
    """
    for key in fair_keys(autotrain=autotrain, training_type=training_type,
                         size_bytes=size_bytes, domain=domain):
        group = baseline.groups.get(key)
        if group is not None and group.n >= min_n:
            return key
    return None


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
