"""The reporting-practice ladder of Castaño et al. (ESEM 2023), every rung reachable.

    unknown       no emissions, no hardware
    context       no emissions, hardware given
    basic         emissions, no hardware
    awareness     emissions and hardware
    optimization  awareness + a tag declaring an energy optimisation
    certified     optimization + a certification tag

Their replication code tests the lower rungs first, so "optimization" and "certified" can never
be assigned; here the ladder is climbed from the bottom and each rung needs the one below.
Emissions count as reported only when carbonlint understood them as grams (see
:func:`understood_grams`).
"""

from __future__ import annotations

import math
from typing import Any

from carbonlint.record import Record

CLASSES = ("unknown", "context", "basic", "awareness", "optimization", "certified")

# Which tags declare an energy optimisation (configurable: optimization-tags). Castaño et al. use
# optimized, pruned and distilled. We add the other names of the same techniques and
# quantisation, which cuts the compute (and so the energy) of every inference by design, and is
# declared on the Hub with these tags. File-format tags (gguf, onnx) are not counted: a format
# does not say that the weights were reduced.
DEFAULT_OPTIMIZATION_TAGS = (
    "optimized", "pruned", "pruning", "distilled", "distillation", "knowledge-distillation",
    "quantized", "quantization", "4-bit", "8-bit", "gptq", "awq",
)
# No energy certification for models exists yet; EcoCard is Castaño et al.'s placeholder tag.
DEFAULT_CERTIFICATION_TAGS = ("EcoCard",)


def rank(name: str) -> int:
    return CLASSES.index(name)


class Grade(Record):
    reporting_class: str
    reason: str
    next_step: str | None


def understood_grams(co2: Any) -> float | None:
    """The emissions in grams as carbonlint understood them, or None.

    A number (not a boolean), finite and not negative; or a string with a mass unit ("1.2 kg"),
    which is a schema error but an unambiguous amount. TBD, lists and the like are not.
    """
    value = co2.get("emissions") if isinstance(co2, dict) else co2
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        grams = float(value)
    elif isinstance(value, str):
        from carbonlint.units import parse_quantity

        quantity = parse_quantity(value)
        if quantity is None:
            return None
        grams = quantity.grams
    else:
        return None
    return grams if math.isfinite(grams) and grams >= 0 else None


def hardware_of(co2: Any) -> str | None:
    if isinstance(co2, dict):
        value = co2.get("hardware_used")
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _tags(metadata: dict[str, Any]) -> set[str]:
    tags = metadata.get("tags")
    if isinstance(tags, str):
        tags = [tags]
    if not isinstance(tags, list):
        return set()
    return {t.strip().lower() for t in tags if isinstance(t, str)}


def grade(metadata: dict[str, Any], *, emissions_g: float | None, hardware: str | None,
          optimization_tags: tuple[str, ...] = DEFAULT_OPTIMIZATION_TAGS,
          certification_tags: tuple[str, ...] = DEFAULT_CERTIFICATION_TAGS) -> Grade:
    tags = _tags(metadata)
    optimized = sorted(t for t in optimization_tags if t.lower() in tags)
    certified = sorted(t for t in certification_tags if t.lower() in tags)
    if emissions_g is None:
        if hardware is None:
            return Grade("unknown", "no emissions and no hardware reported",
                         "report co2_eq_emissions (grams) to reach 'basic'")
        return Grade("context", f"hardware reported ({hardware}), emissions not",
                     "report the emissions in grams to reach 'awareness'")
    amount = f"{emissions_g:,.10g} g"
    if hardware is None:
        return Grade("basic", f"emissions reported ({amount}), hardware not",
                     "add hardware_used to reach 'awareness'")
    if not optimized:
        return Grade("awareness", f"emissions ({amount}) and hardware ({hardware}) reported",
                     "tag an energy optimisation (" + ", ".join(optimization_tags)
                     + ") to reach 'optimization'")
    if not certified:
        return Grade("optimization", f"emissions, hardware and optimisation ({', '.join(optimized)})"
                     " reported", "a certification tag (" + ", ".join(certification_tags)
                     + ") reaches 'certified'")
    return Grade("certified", f"emissions, hardware, optimisation ({', '.join(optimized)}) and "
                 f"certification ({', '.join(certified)}) reported", None)
