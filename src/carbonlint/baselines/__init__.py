"""Hub baselines: what the models on the Hugging Face Hub report, as distributions.

A baseline file holds statistics, never rows: quantiles of the reported training emissions (grams
CO2eq) per peer group, the median and MAD of log10 emissions for robust z-scores, and the A-E
boundaries of the efficiency label's metrics. The shipped file is built from Castaño et al.'s
data (ESEM 2023), whose upstream repository has no licence: derived statistics with a citation
are all that the package carries. docs/efficiency.md describes every field.

Loading is on the start-up path of ``carbonlint check``, so this module imports only light parts
of the standard library; the builders import what they need when called.

The package is split along its ideas: ``vocabulary`` (keys, domains, buckets, normalisers),
``scoring`` (percentiles, label values), ``loading`` (the typed view, the shipped file),
``groups`` (peer groups), ``build`` (records to a file, the CSV reader) and ``summary`` (the text
of ``baselines show``). Every public name is importable from ``carbonlint.baselines`` as before;
the builder and the summary are imported only when first used.
"""

from __future__ import annotations

from typing import Any

from carbonlint.baselines.groups import fair_keys, group_for, peer_key
from carbonlint.baselines.loading import (
    Baseline,
    GroupStats,
    MetricBoundaries,
    from_dict,
    load,
)
from carbonlint.baselines.scoring import (
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
    MAD_TO_SIGMA,
    MIN_PEERS,
    PERFORMANCE_METRICS,
    PIPELINE_TAG_DOMAINS,
    QUANTILES,
    SIZE_BUCKETS,
    TRAINING_TYPES,
    UPSTREAM,
    ModelRecord,
    combined_key,
    normalise_domain,
    normalise_training_type,
    size_bucket,
)

# Imported on first use: building and summarising are not on the check path.
_LAZY = {
    "build_from_records": "build",
    "build_from_csv": "build",
    "dumps": "build",
    "format_summary": "summary",
    "format_grams": "summary",
}

__all__ = [
    "CITATION", "COMBINED_GROUPS", "DOMAINS", "FORMAT", "GROUPS", "LABEL_METRICS",
    "MAD_TO_SIGMA", "MIN_PEERS", "PERFORMANCE_METRICS", "PIPELINE_TAG_DOMAINS", "QUANTILES",
    "SIZE_BUCKETS", "TRAINING_TYPES", "UPSTREAM", "Baseline", "GroupStats", "MetricBoundaries",
    "ModelRecord", "as_fraction", "combined_key", "fair_keys", "from_dict", "group_for",
    "label_values", "load", "normalise_domain", "normalise_training_type",
    "normalised_performance", "peer_key", "percentile", "size_bucket", *_LAZY,
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'carbonlint.baselines' has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(f"carbonlint.baselines.{module}"), name)
