"""Reading metrics from model-index's nodes gives what reading the built block gives."""

from __future__ import annotations

import random

import pytest

from carbonlint.card import parse_card
from carbonlint.model_index import metrics_from_value, performance_metrics

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
