"""What the Hub knows about a model that a card does not say: downloads, weights, tags."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from huggingface_hub import ModelInfo

from carbonlint.record import Record

# Bits per parameter of the safetensors dtypes the Hub counts (its "parameters" by dtype).
DTYPE_BITS: dict[str, int] = {
    **dict.fromkeys(("F64", "I64", "U64", "C64"), 64),
    **dict.fromkeys(("F32", "I32", "U32"), 32),
    **dict.fromkeys(("F16", "BF16", "I16", "U16"), 16),
    **dict.fromkeys(("F8_E4M3", "F8_E5M2", "F8_E8M0", "I8", "U8", "BOOL"), 8),
    **dict.fromkeys(("F6_E2M3", "F6_E3M2"), 6),
    **dict.fromkeys(("F4", "I4", "U4"), 4),
}


class HubInfo(Record):
    """What only the Hub knows about a model; ``judge`` reads it from ``Card.hub_info``."""

    model_id: str
    downloads: int | None = None  # last 30 days
    size_bytes: float | None = None  # the weights, from the safetensors parameter counts
    pipeline_tag: str | None = None  # the card's, or what the Hub inferred from the library
    tags: tuple[str, ...] = ()
    library_name: str | None = None
    created_at: str | None = None  # YYYY-MM-DD


def weights_bytes(parameters: Mapping[str, Any] | None) -> float | None:
    """Size of the weights from parameter counts per dtype; None when a dtype is unknown."""
    if not parameters:
        return None
    bits = 0
    for dtype, count in parameters.items():
        width = DTYPE_BITS.get(str(dtype).upper())
        if width is None or not isinstance(count, int) or isinstance(count, bool) or count < 0:
            return None  # a guess would bias the size bucket; unknown is honest
        bits += width * count
    return bits / 8 or None


def hub_info_from(model: ModelInfo) -> HubInfo:
    safetensors = getattr(model, "safetensors", None)
    created = getattr(model, "created_at", None)
    downloads = getattr(model, "downloads", None)
    return HubInfo(
        model_id=model.id,
        downloads=downloads if isinstance(downloads, int) and not isinstance(downloads, bool) else None,
        size_bytes=weights_bytes(getattr(safetensors, "parameters", None)),
        pipeline_tag=model.pipeline_tag if isinstance(model.pipeline_tag, str) else None,
        tags=tuple(t for t in (model.tags or ()) if isinstance(t, str)),
        library_name=model.library_name if isinstance(model.library_name, str) else None,
        created_at=created.date().isoformat() if created is not None else None,
    )


def model_from_item(item: Any) -> ModelInfo | None:
    """huggingface_hub's ModelInfo for one listing entry, or None when the entry is malformed.

    cardData is left out: ModelInfo would turn it into a ModelCardData, which drops a
    model-index it finds invalid (and logs a warning for each); readers take it raw instead.
    """
    if not isinstance(item, dict) or not isinstance(item.get("id"), str):
        return None
    try:
        return ModelInfo(**{k: v for k, v in item.items() if k not in ("cardData", "card_data")})
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
