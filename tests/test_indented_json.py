"""The reports' JSON writer: byte for byte what json.dumps(indent=2, ensure_ascii=False) writes."""

from __future__ import annotations

import json
import math
import random
from typing import Any

import pytest

from carbonlint.formatters.indented_json import dumps

STRINGS = ["", "plain", 'quote " and \\ backslash', "tab\tnew\nline\r", "\x00\x1f\x7f", "é ü 中文 🌍",
           "\u2028\u2029", "</script>", "\ud800 lone surrogate"]
NUMBERS = [0, -1, 2**70, 0.1, 1e-300, 1e300, -0.0, 12.5, math.inf, -math.inf, math.nan, True, False]


def _tree(rng: random.Random, depth: int) -> Any:
    kind = rng.random()
    if depth <= 0 or kind < 0.4:
        return rng.choice([*STRINGS, *NUMBERS, None])
    if kind < 0.7:
        return {rng.choice(STRINGS) + str(i): _tree(rng, depth - 1) for i in range(rng.randint(0, 4))}
    items = [_tree(rng, depth - 1) for _ in range(rng.randint(0, 4))]
    return tuple(items) if rng.random() < 0.2 else items


@pytest.mark.parametrize("seed", range(300))
def test_same_text_as_json_dumps(seed: int) -> None:
    rng = random.Random(seed)
    value = _tree(rng, 5)
    margin = rng.choice(["", "    ", "        "])
    expected = json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n" + margin)
    assert dumps(value, margin) == expected


@pytest.mark.parametrize("value", [{1: "int key"}, {"a": {None: 1}}, [{"x": {1.5: 2}}], {"s": {1, 2}}])
def test_unusual_values_are_left_to_json(value: Any) -> None:
    try:
        expected = json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n  ")
    except TypeError:
        with pytest.raises(TypeError):
            dumps(value, "  ")
        return
    assert dumps(value, "  ") == expected
