"""The baseline's vocabulary: format, citation, peer-group keys, domains, size buckets, label
metrics, and the normalisers that map a card's or a dataset's words onto them."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

from carbonlint.record import Record


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


# Short size phrases for the fair groups: their descriptions follow a count in messages ("68
# non-AutoTrain fine-tunes of 100 MB-1 GB") and must fit one line of the 440-px label.
_SIZE_PHRASES: dict[str, str] = {
    "<100MB": "under 100 MB",
    "100MB-1GB": "of 100 MB-1 GB",
    "1GB-10GB": "of 1-10 GB",
    ">=10GB": "of 10 GB or more",
}
_OUTSIDE_AUTOTRAIN: dict[str, str] = {
    "pre-training": "non-AutoTrain pre-training runs",
    "fine-tuning": "non-AutoTrain fine-tunes",
}


def _combined_groups() -> dict[str, str]:
    groups: dict[str, str] = {}
    for key, _, _, text in SIZE_BUCKETS:
        groups[combined_key("autotrain:yes", f"size:{key}")] = f"AutoTrain {text}"
    for key, text in DOMAINS.items():
        groups[combined_key("autotrain:yes", f"domain:{key}")] = f"AutoTrain {text}"
    for kind, runs in _OUTSIDE_AUTOTRAIN.items():
        groups[combined_key("autotrain:no", f"training_type:{kind}")] = runs
        for key, _, _, _ in SIZE_BUCKETS:
            groups[combined_key("autotrain:no", f"training_type:{kind}", f"size:{key}")] = (
                f"{runs} {_SIZE_PHRASES[key]}"
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


class ModelRecord(Record):
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
