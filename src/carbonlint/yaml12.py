"""Where YAML 1.1 (PyYAML, and so huggingface_hub) and YAML 1.2 read a plain scalar differently.

PyYAML implements YAML 1.1: ``24_700_000`` is an integer, ``yes`` a boolean, ``1:30`` the
sexagesimal 90, ``010`` octal 8, while ``1e3`` (no dot) and ``1.5e3`` (unsigned exponent) are
text. YAML 1.2 parsers (JavaScript's, Go's, Rust's...) read each of them the other way. A
card whose number depends on the parser is a card whose emissions differ between tools.
"""

from __future__ import annotations

import math
import re
from typing import Any

import yaml

# The YAML 1.2 core schema's resolution of plain scalars.
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_INT10 = re.compile(r"^[-+]?[0-9]+$")
_INT8 = re.compile(r"^0o[0-7]+$")
_INT16 = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_INF = re.compile(r"^[-+]?\.(?:inf|Inf|INF)$")
_NAN = re.compile(r"^\.(?:nan|NaN|NAN)$")


def resolve_core(text: str) -> Any:
    """The value a YAML 1.2 (core schema) parser gives a plain scalar."""
    if _NULL.match(text):
        return None
    if _BOOL.match(text):
        return text.lower() == "true"
    for pattern, skip, base in ((_INT10, 0, 10), (_INT8, 2, 8), (_INT16, 2, 16)):
        if pattern.match(text):
            return _integer(text, skip, base)
    if _FLOAT.match(text):
        return float(text)
    if _INF.match(text):
        return -math.inf if text.startswith("-") else math.inf
    if _NAN.match(text):
        return math.nan
    return text


def _integer(text: str, skip: int, base: int) -> Any:
    """As PyYAML's side (carbonlint.card.Constructor): past float range, an infinite HugeNumber."""
    from carbonlint.card import HugeNumber, bounded_int, fits_float

    if not fits_float(text):
        return HugeNumber(text)
    return bounded_int(text, int(text[skip:], base))


_constructor: yaml.constructor.SafeConstructor | None = None


def _pyyaml_value(node: yaml.ScalarNode) -> Any:
    """What PyYAML's safe loader (YAML 1.1) builds from the node."""
    global _constructor
    if _constructor is None:
        from carbonlint.card import Constructor

        _constructor = Constructor()
    try:
        return _constructor.construct_object(node)
    finally:
        # The constructor memoises every node it built; clear it, or each card's nodes stay alive.
        _constructor.constructed_objects.clear()


def _same(a: Any, b: Any) -> bool:
    if type(a) is not type(b):
        if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool) \
                and not isinstance(b, bool):
            return a == b
        return False
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return bool(a == b)


def reads_differently(node: yaml.Node) -> tuple[Any, Any] | None:
    """(YAML 1.1 value, YAML 1.2 value) for a plain scalar the two read differently, else None."""
    # Plain style is None for PyYAML's Python loader and '' for its C loader.
    if not isinstance(node, yaml.ScalarNode) or node.style:
        return None  # quoted or block scalars are text in both
    if node.tag not in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
                        "tag:yaml.org,2002:bool", "tag:yaml.org,2002:str",
                        "tag:yaml.org,2002:null"):
        return None  # timestamps and explicit tags: not a question of numbers
    old = _pyyaml_value(node)
    new = resolve_core(node.value)
    return None if _same(old, new) else (old, new)
