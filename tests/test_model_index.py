"""Reading metrics from model-index's nodes gives what reading the built block gives."""

from __future__ import annotations

import random

import pytest

from carbonlint.card import parse_card
from carbonlint.model_index import first_model_name, metrics_from_value, performance_metrics

SCALARS = ["0.91", "'0.5'", "91", "-0.3", ".nan", ".inf", "null", "true", "'n/a'", "1e-3", "0x1F",
           "2020-01-02", "[0.7]", "{v: 1}", "0.8 # a comment", "~"]
TYPES = ["accuracy", "Accuracy", "f1", "F-1", "rouge1", "rougeL", "rouge-l", "ROUGE-1", "bleu", "wer",
         "'accuracy'", "123", "null", "[accuracy]", "true", "!!str f1"]


def _metric(rng: random.Random, indent: str) -> list[str]:
    if rng.random() < 0.05:
        return [f"{indent}- just a string"]
    lines = []
    keys = ["type", "value", "name", "verified", "args"]
    rng.shuffle(keys)
    for key in keys[: rng.randint(1, 5)]:
        if key == "type":
            lines.append(f"type: {rng.choice(TYPES)}")
        elif key == "value":
            lines.append(f"value: {rng.choice(SCALARS)}")
        else:
            lines.append(f"{key}: {rng.choice(['x', 'false', '{a: 1}'])}")
        if rng.random() < 0.05:  # a key given twice: the last one wins
            lines.append(f"value: {rng.choice(SCALARS)}")
    if rng.random() < 0.04:
        lines.append("<<: {type: f1, value: 0.66}")
    return [f"{indent}- {lines[0]}", *[f"{indent}  {line}" for line in lines[1:]]]


def _model_index(rng: random.Random) -> str:
    shape = rng.random()
    if shape < 0.05:
        return "model-index: just text"
    if shape < 0.08:
        return "model-index: !!omap [a: 1, b: 2]"
    lines = ["model-index:"]
    for m in range(rng.randint(0, 3)):
        lines.append(f"- name: model-{m}")
        if rng.random() < 0.1:
            lines.append("  results: not a list")
            continue
        lines.append("  results:")
        for _ in range(rng.randint(0, 3)):
            lines.append("  - task: {type: text-classification}")
            if rng.random() < 0.1:
                lines.append("    metrics: {type: accuracy, value: 0.9}")
                continue
            lines.append("    metrics:")
            for _ in range(rng.randint(0, 4)):
                lines += _metric(rng, "    ")
        if rng.random() < 0.05:
            lines.append("  results: []  # given twice")
    if rng.random() < 0.1:
        lines.append("- &shared {results: [{metrics: [{type: f1, value: 0.42}]}]}")
        lines.append("- *shared")
    return "\n".join(lines)


@pytest.mark.parametrize("seed", range(400))
def test_nodes_and_built_value_agree(seed: int) -> None:
    rng = random.Random(seed)
    card = parse_card(f"---\nlicense: mit\n{_model_index(rng)}\n---\n# Model\n", "README.md")
    if not card.has_front_matter or card.metadata is None or not hasattr(card.metadata, "get"):
        pytest.skip("not a mapping (a YAML error in the generated text)")
    expected = metrics_from_value(card.metadata.get("model-index"))
    fresh = parse_card(card.text, "README.md")  # nothing built yet
    assert performance_metrics(fresh.metadata) == expected


def test_reads_the_first_value_of_each_metric() -> None:
    card = parse_card("---\nmodel-index:\n- name: m\n  results:\n  - metrics:\n"
                      "    - {type: accuracy, value: 0.9}\n    - {type: Accuracy, value: 0.1}\n"
                      "    - {type: rouge-1, value: '0.4'}\n    - {type: f1, value: .nan}\n"
                      "  - metrics:\n    - {type: f1, value: 0.7}\n---\n", "README.md")
    # A string is not a number (as everywhere else), NaN neither: f1 comes from the second result.
    assert performance_metrics(card.metadata) == {"accuracy": 0.9, "f1": 0.7}


def test_plain_mapping_from_the_hub() -> None:
    metadata = {"model-index": [{"results": [{"metrics": [{"type": "f1", "value": 0.5}]}]}]}
    assert performance_metrics(metadata) == {"f1": 0.5}


NAMES = ["my-model", "'quoted name'", "123", "null", "[a, b]", "{n: 1}", "!!str 5", "true",
         "2021-03-04", "\"Llama 3.1 8B Instruct\"", "~", "0.5"]


def _first_models(rng: random.Random) -> str:
    """A model-index whose first entry's name is any kind of scalar or collection, or missing,
    given twice, merged, aliased, or not in a mapping at all."""
    shape = rng.random()
    if shape < 0.05:
        return "model-index: just text"
    if shape < 0.08:
        return "model-index: !!omap [name: 1, b: 2]"
    if shape < 0.1:
        return "model-index: []"
    if shape < 0.13:
        return "model-index:\n- just a string\n- name: second"
    if shape < 0.16:
        return f"model-index:\n- <<: {{name: {rng.choice(NAMES)}}}\n  results: []"
    if shape < 0.19:
        return f"base: &b {{name: {rng.choice(NAMES)}}}\nmodel-index:\n- *b"
    lines = ["model-index:"]
    for m in range(rng.randint(1, 3)):
        keys = ["name", "results", "extra"]
        rng.shuffle(keys)
        entry = []
        for key in keys[: rng.randint(0, 3)]:
            if key == "name":
                entry.append(f"name: {rng.choice(NAMES)}")
                if rng.random() < 0.1:  # given twice: the last one wins
                    entry.append(f"name: {rng.choice(NAMES)}")
            elif key == "results":
                entry.append("results: [{metrics: [{type: f1, value: 0.5}]}]")
            else:
                entry.append(f"{rng.choice(['Name', 'names', 'model_name'])}: other-{m}")
        if not entry:
            lines.append("- {}")
            continue
        lines.append(f"- {entry[0]}")
        lines += [f"  {line}" for line in entry[1:]]
    return "\n".join(lines)


@pytest.mark.parametrize("seed", range(300))
def test_first_model_name_from_nodes_is_the_built_one(seed: int) -> None:
    rng = random.Random(seed)
    card = parse_card(f"---\nlicense: mit\n{_first_models(rng)}\n---\n# Model\n", "README.md")
    if not card.has_front_matter or card.metadata is None or not hasattr(card.metadata, "get"):
        pytest.skip("not a mapping (a YAML error in the generated text)")
    index = card.metadata.get("model-index")
    expected = (index[0].get("name") if isinstance(index, list) and index
                and isinstance(index[0], dict) else None)
    fresh = parse_card(card.text, "README.md")  # nothing built yet
    got = first_model_name(fresh.metadata)
    assert type(got) is type(expected) and repr(got) == repr(expected)
    again = first_model_name(card.metadata)  # the block already built: the same answer
    assert type(again) is type(expected) and repr(again) == repr(expected)
    if "<<" not in card.text:  # a merge key is left to PyYAML: the block is built for it
        assert "model-index" not in fresh.metadata._values


def test_first_model_name_of_a_plain_mapping() -> None:
    assert first_model_name({"model-index": [{"name": "m", "results": []}]}) == "m"
    assert first_model_name({"model-index": "m"}) is None
    assert first_model_name({}) is None
