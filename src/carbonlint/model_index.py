"""The first value of each performance metric in ``model-index``, read from its YAML nodes.

The efficiency label needs a handful of numbers (accuracy, f1, rouge1, rougeL) from a block that
on generated cards runs to hundreds of lines (every dataset, split, metric name, "verified"
flag). Building the whole block into Python objects cost about a tenth of a 10,000-card run, so
this walks the composed nodes and builds only each metric's ``type`` and ``value``. The answer
is the one :func:`metrics_from_value` gives on the built block (a property test compares them);
where the nodes hold anything this walk does not model (a merge key), it builds the block and
reads that instead.
"""

from __future__ import annotations

from typing import Any, Iterator, Mapping

import yaml

from carbonlint.units import finite_number

from carbonlint.judge import PERFORMANCE_METRICS
_WANTED = {name.lower(): name for name in PERFORMANCE_METRICS}
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
_STR = "tag:yaml.org,2002:str"
_MERGE = "tag:yaml.org,2002:merge"


class _Unmodelled(Exception):
    """Something in the nodes that only PyYAML's constructor should interpret."""


def performance_metrics(metadata: Mapping[str, Any]) -> dict[str, float]:
    """accuracy, f1, rouge1, rougeL from model-index (the first value of each)."""
    node_of = getattr(metadata, "node", None)
    node = node_of("model-index") if node_of is not None else None
    if node is None:
        return metrics_from_value(metadata.get("model-index"))
    try:
        return _metrics_from_node(node)
    except _Unmodelled:
        return metrics_from_value(metadata.get("model-index"))


def first_model_name(metadata: Mapping[str, Any]) -> Any:
    """``model-index[0].name`` as PyYAML builds it, or None where that is not a mapping's key.

    The card's names (:func:`carbonlint.stated.own_names`) need this one scalar; building the
    whole block for it cost about a twentieth of a many-card run. From the nodes, only the
    name's node is built (the tree walk has already made sure every node builds)."""
    node_of = getattr(metadata, "node", None)
    node = node_of("model-index") if node_of is not None else None
    if node is None:
        return _name_from_value(metadata.get("model-index"))
    try:
        first = next(_items(node), None)
        name = _value_of(first, "name")
    except _Unmodelled:
        return _name_from_value(metadata.get("model-index"))
    if name is None:
        return None
    from carbonlint.card import Constructor

    return Constructor().construct_document(name)


def _name_from_value(index: Any) -> Any:
    if isinstance(index, list) and index and isinstance(index[0], dict):
        return index[0].get("name")
    return None


def metrics_from_value(index: Any) -> dict[str, float]:
    """The same, from the built model-index value."""
    found: dict[str, float] = {}
    if not isinstance(index, list):
        return found
    for model in index:
        results = model.get("results") if isinstance(model, dict) else None
        for result in results if isinstance(results, list) else []:
            metrics = result.get("metrics") if isinstance(result, dict) else None
            for metric in metrics if isinstance(metrics, list) else []:
                if isinstance(metric, dict):
                    _note(found, metric.get("type", ""), metric.get("value"))
    return found


def _note(found: dict[str, float], kind: Any, raw: Any) -> None:
    wanted = _WANTED.get(str(kind).replace("-", "").lower())
    value = finite_number(raw)
    if wanted is not None and value is not None and wanted not in found:
        found[wanted] = value


def _metrics_from_node(index: yaml.Node) -> dict[str, float]:
    from carbonlint.card import Constructor  # the one Metadata builds values with

    builder = Constructor()  # construct_document leaves it clean for the next node
    found: dict[str, float] = {}
    for model in _items(index):
        for result in _items(_value_of(model, "results")):
            for metric in _items(_value_of(result, "metrics")):
                if not _is_dict(metric):
                    continue
                kind = _value_of(metric, "type")
                value = _value_of(metric, "value")
                _note(found, builder.construct_document(kind) if kind is not None else "",
                      builder.construct_document(value) if value is not None else None)
    return found


def _is_dict(node: yaml.Node | None) -> bool:
    if isinstance(node, yaml.MappingNode) and node.tag == _MAP:
        if any(key.tag == _MERGE for key, _ in node.value):
            raise _Unmodelled
        return True
    return False


def _items(node: yaml.Node | None) -> Iterator[yaml.Node]:
    """The items of a node PyYAML builds as a list of... anything that can be a dict."""
    if isinstance(node, yaml.SequenceNode) and node.tag == _SEQ:
        yield from node.value
    # !!omap and !!pairs build lists of tuples: nothing in them is a dict.


def _value_of(node: yaml.Node | None, key: str) -> yaml.Node | None:
    """The node of ``key`` in a node PyYAML builds as a dict (the last one wins), else None."""
    if not _is_dict(node):
        return None
    assert isinstance(node, yaml.MappingNode)
    found = None
    for key_node, value_node in node.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.tag == _STR and key_node.value == key:
            found = value_node
    return found

