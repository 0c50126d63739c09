"""carbonlint's YAML loader gives the very nodes PyYAML's safe loader gives: the remembered
implicit tags never differ from what PyYAML's resolver says, however often a text comes back."""

from __future__ import annotations

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from carbonlint import loader
from carbonlint.loader import Loader

# Texts whose tag the resolver decides: every implicit type PyYAML knows, near misses of each,
# and texts that look alike but resolve differently ("1_0" int, "1:0" sexagesimal, "1.0" float).
SCALARS = (
    "42", "-7", "+3", "0x1F", "0o17", "017", "0b101", "1_000", "1:30", "190:20:30",
    "1.5", "-2.5e+3", "1e3", "1.0e+3", ".5", ".inf", "-.Inf", ".NaN", "1.2.3", "6.8523015e+5",
    "true", "True", "FALSE", "yes", "No", "on", "OFF", "y", "n", "null", "Null", "~", "",
    "2023-01-01", "2023-02-30", "2001-12-14t21:59:43.10-05:00", "2023-1-1", "<<", "=",
    "en", "value", "type", "co2_eq_emissions", "13.2 g", "1 x NVIDIA A100", "0.034 kWh", "-",
    "NVIDIA's", "e", "1_", "+", ".", "0", "00", "0.", "-0", "1,000", "12:60",
)


def _shape(node: yaml.Node) -> object:
    """Everything the composer decides about a node: kind, tag, style, value, position."""
    marks = (node.start_mark.index, node.end_mark.index)
    if isinstance(node, yaml.ScalarNode):
        return ("scalar", node.tag, node.style, node.value, marks)
    if isinstance(node, yaml.SequenceNode):
        return ("seq", node.tag, node.flow_style, [_shape(n) for n in node.value], marks)
    return ("map", node.tag, node.flow_style,
            [(_shape(k), _shape(v)) for k, v in node.value], marks)


def _compose(text: str, loader_class: type) -> object:
    composer = loader_class(text)
    try:
        return _shape(composer.get_single_node())
    finally:
        composer.dispose()


# What Loader is built on (libyaml's loader where installed): the C and pure-Python loaders
# differ in a few marks and styles, so each is compared with its own kind.
REFERENCE = yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader


def _document(scalars: list[str], styles: list[str]) -> str:
    lines = []
    for index, (text, style) in enumerate(zip(scalars, styles)):
        shown = {"plain": text, "single": "'" + text.replace("'", "''") + "'",
                 "double": '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'}[style]
        if style == "plain" and (not text or text[0] in "-?:,[]{}#&*!|>'\"%@`" or ": " in text
                                 or text.endswith(":") or " #" in text):
            shown = "'" + text.replace("'", "''") + "'"
        lines.append(f"k{index}: {shown}")
        lines.append(f"l{index}: [{shown if style != 'plain' or ',' not in text else repr(text)}]")
    lines.append("nested:\n  " + "\n  ".join(f"- {{{s or 'empty'}: 1}}" for s in ("a", "true")))
    lines.append("tagged: [!!str 42, !!int '7', !!float 1]")
    return "\n".join(lines) + "\n"


def test_every_implicit_type_gets_pyyamls_tag() -> None:
    text = _document(list(SCALARS), ["plain"] * len(SCALARS))
    assert _compose(text, Loader) == _compose(text, REFERENCE)
    # The second time, from the remembered tags: still the same.
    assert _compose(text, Loader) == _compose(text, REFERENCE)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.one_of(st.sampled_from(SCALARS),
                                    st.text(alphabet="0123456789.:_-+eExoTtrufalsYN ~", max_size=8)),
                          st.sampled_from(("plain", "single", "double"))),
                min_size=1, max_size=12))
def test_generated_documents_compose_alike(items: list[tuple[str, str]]) -> None:
    text = _document([s for s, _ in items], [style for _, style in items])
    try:
        expected = _compose(text, REFERENCE)
    except yaml.YAMLError:
        return  # a text that is not YAML in this layout: nothing to compare
    assert _compose(text, Loader) == expected


def test_memory_is_bounded_and_tags_stay_right_when_emptied(monkeypatch) -> None:
    monkeypatch.setattr(loader, "_MEMO_SIZE", 16)
    monkeypatch.setattr(loader, "_tags", {})
    numbers = [f"{n}.5" for n in range(100)] + [str(n) for n in range(100)] + ["true", "x"]
    text = "\n".join(f"k{i}: {value}" for i, value in enumerate(numbers)) + "\n"
    assert _compose(text, Loader) == _compose(text, REFERENCE)
    assert len(loader._tags) <= 16
