"""Patterns run only on the lines holding their key words find what they find on the whole body.

The prose reader and the text estimate run a few patterns that match within one line and
cannot match without a key word ("hour", "tun", "scratch", "train"); they now scan only the
lines holding one (``Body.lines_holding``). Over many generated bodies, each pattern's matches
on those lines are compared with its matches on the whole text, and the readers' facts with a
direct definition (the pattern over the whole folded body).
"""

from __future__ import annotations

import random
import re

import pytest

from carbonlint.estimate_text import _DEVICE_HOURS
from carbonlint.prose.body import Body, finditer_in_lines
from carbonlint.prose.model import Fact
from carbonlint.prose.patterns import regexes
from carbonlint.prose.statements import (_NEGATION_WORDS, _nothing_trained, _training_type,
                                         no_training_facts, training_type_facts)

FRAGMENTS = [
    "This model is a fine-tuned version of", "bert-base-uncased", "[distilgpt2]", "It was",
    "fine-tuned", "fine tuned", "finetuned", "trained from scratch", "pre-trained from scratch",
    "this model was trained", "No training or fine-tuning is performed", "no fine-tuning was done",
    "was not trained on medical data", "has not been fine-tuned", "wasn't fine-tuned",
    "training-free", "A fine-tuned ResNet50 model", "a fine-tuned version of this model",
    "184,320 GPU hours", "GPU-Hours: 3,072", "1.3M NVIDIA A100 GPU-hours", "TPU hours): 12k",
    "Training time (GPU hours): 184320", "hour", "HOURS", "Hours", "tun", "TUNED", "Scratch",
    "train", "TRAINING", "not", "NO", "n't", "free", "Training free", "know", "3,072", "1.5", "12", "k", "M", "of", "on", "the", "our checkpoint",
    "trained for", "fine-tuning took", "pretrained over", "Training time:", "training duration was",
    "3 days", "45 minutes", "trained for 3 days", "fine-tuning took 45 minutes",
    "Training time: 36\nhours", "pre-trained over 1 000 hours", "fine-tuned\nfor 2 weeks",
    "about 12 hours", "~2h", "1 000 hours", "1,000 hrs", "İstanbul", "\u212a", "ſ", "é", "**", "_", "-", ",", ".", ":", "(", ")", "|", "#", "> ",
    "```", "<!-- a comment", "-->", "\t", " ", " ", " ", "\n", "\n", "\n", "\r\n", "\n\n",
]


def _body(rng: random.Random) -> str:
    return "".join(rng.choice(FRAGMENTS) + rng.choice(["", " ", " ", "\t", "\n"])
                   for _ in range(rng.randint(0, 120)))


def _matches(found) -> list[tuple]:  # type: ignore[no-untyped-def]
    return [(match.span(), match.groups()) for match in found]


@pytest.mark.parametrize("seed", range(300))
def test_line_scans_find_what_whole_body_scans_find(seed: int) -> None:
    rng = random.Random(seed)
    body = Body(_body(rng), 1 + rng.randint(0, 5))
    for pattern, text, words in (
        (_DEVICE_HOURS, body.text, ("hour",)),
        (_training_type(), body.folded, ("tuned", "scratch")),
        (_nothing_trained(), body.folded, ("train", "tun")),
        (regexes().hours, body.folded, ("train", "tun")),
    ):
        lines = body.lines_holding(*words)
        assert _matches(finditer_in_lines(pattern, text, lines)) == _matches(pattern.finditer(text))
    for pattern, text, words, others in (
        (_nothing_trained(), body.folded, ("train", "tun"), _NEGATION_WORDS),
    ):
        lines = body.lines_holding(*words, and_one_of=others)
        assert _matches(finditer_in_lines(pattern, text, lines)) == _matches(pattern.finditer(text))


@pytest.mark.parametrize("seed", range(300))
def test_statement_facts_are_those_of_the_whole_body(seed: int) -> None:
    rng = random.Random(seed)
    body = Body(_body(rng), 1)

    def whole(pattern, make) -> list[Fact]:  # type: ignore[no-untyped-def]
        facts = []
        for match in pattern.finditer(body.folded):
            text, span = body.located(match.start(), match.end())
            facts.append(make(match, text, span))
        return facts

    assert training_type_facts(body) == whole(_training_type(), lambda m, text, span: Fact(
        "training_type", "pre-training" if m["pt"] else "fine-tuning", text, None, None,
        "free-text", None, span))
    assert no_training_facts(body) == whole(_nothing_trained(), lambda m, text, span: Fact(
        "no_training", text, text, None, None, "free-text", None, span))


def test_lines_holding_each_line_once_in_order_without_its_break() -> None:
    body = Body("GPU hours\nnothing\nhour hour HOUR\nlast hour", 1)
    assert body.lines_holding("hour") == [(0, 9), (18, 32), (33, 42)]
    assert [body.text[start:end] for start, end in body.lines_holding("nothing", "last")] == [
        "nothing", "last hour"]
    assert body.lines_holding("absent") == []
    assert Body("", 1).lines_holding("hour") == []
    assert body.lines_holding("hour", and_one_of=("gpu", "last")) == [(0, 9), (33, 42)]
    assert body.lines_holding("hour", and_one_of=("absent",)) == []


CUE_FRAGMENTS = [
    "market-based", "market based", "marketbased", "Location-based", "location based", "in aggregate",
    "aggregated", "Cumulatively", "combined", "in total for", "all 12 models", "all the models",
    "across all", "across these", "both models", "family of models", "series of  models", "train",
    "pre-train", "Fine-tuning", "finetuned", "fine tun", "market", "location", "total", "models",
    "across", "all", "of", "both", "aggregat", "cumulativ", "retrain", "attune", "-", ".", "\n",
]


CUE_TEXT = CUE_FRAGMENTS + [
    "compared to", "equivalent to", "than", "thank", "vs.", "vs", "e.g.", "cars", "carbon",
    "as much as", "inference", "deployed", "runs on", "on-device", "tokens/s", "base model",
    "the model we fine-tuned", "all of the 3 models", ",", ";", ":", "(", ")", "|", "*", "#", "é",
    "\u2014", "'", '"', "/", "..", "\n\n", "\t",
]


def _whole_body_holds(folded: str, pattern: re.Pattern[str], left: int, right: int) -> bool:
    """The definition: the whole body's first match starting at or after ``left`` ends by
    ``right``."""
    for match in pattern.finditer(folded):
        if match.start() >= left:
            return match.end() <= right
    return False


@pytest.mark.parametrize("seed", range(300))
def test_cue_stretches_answer_as_the_whole_body_does(seed: int) -> None:
    """Cues found in the stretch around a statement (scope._CueIndex) and in the whole body:
    the same answer for every cue and statement, before and after the index falls back to the
    whole body (the stretches it scans add up to the body's length)."""
    from carbonlint.prose import scope

    rng = random.Random(seed)
    folded = "".join(rng.choice(CUE_TEXT) + rng.choice(["", " ", " ", "\n", "-"])
                     for _ in range(rng.randint(0, 60))).lower()
    index = scope._CueIndex(folded)
    patterns = dict(scope._cues())
    for _ in range(40):
        left = rng.randint(0, len(folded))
        right = min(len(folded), left + rng.choice([0, 3, 20, 80, 400]))
        for tag, pattern in patterns.items():
            expected = _whole_body_holds(folded, pattern, left, right)
            assert index.holds(tag, left, right) is expected, (tag, left, right, folded)


@pytest.mark.parametrize("text", [
    "at 40 tokens/s, on-device", "tokens/serving", "e.g. a car's", "gpt-3 vs. bloom",
    "pre-train; fine-tuned", "a round-trip flight (than)", "all 12\tmodels, across both models",
    "market-based, location-based",
    "in contrast; in total for all", "inference: runs on a laptop", "the base model/original model",
])
def test_cue_stretches_on_every_statement_of_short_texts(text: str) -> None:
    """Every window of short texts whose cues hold the characters a barrier must not be."""
    from carbonlint.prose import scope

    folded = text.lower()
    patterns = dict(scope._cues())
    for left in range(len(folded) + 1):
        for right in range(left, len(folded) + 1):
            index = scope._CueIndex(folded)  # fresh: each answer from its own stretch
            for tag, pattern in patterns.items():
                expected = _whole_body_holds(folded, pattern, left, right)
                assert index.holds(tag, left, right) is expected, (tag, left, right)


def test_cue_index_scans_at_most_twice_the_body() -> None:
    """A body asked about many statements scans each cue's stretches up to the body's length,
    then the whole body once."""
    from carbonlint.prose import scope

    folded = ("trained on 8 gpus, compared to a car. " * 200).lower()
    index = scope._CueIndex(folded)
    for left in range(0, len(folded) - 40, 40):
        assert index.holds("comparison", left, left + 40) is _whole_body_holds(
            folded, dict(scope._cues())["comparison"], left, left + 40)
    assert index._scanned["comparison"] <= len(folded)
    assert "comparison" in index._whole  # it fell back to the whole body


def test_every_match_of_a_cue_holds_one_of_its_words() -> None:
    """The words of scope._NEEDS are in every match of their cue, on texts built to match."""
    from carbonlint.prose import scope

    patterns = dict(scope._cues())
    matched = set()
    for fragment in CUE_FRAGMENTS:
        for tag, words in scope._NEEDS.items():
            for match in patterns[tag].finditer(fragment.lower()):
                assert any(word in match.group() for word in words), (tag, match.group())
                matched.add(tag)
    assert matched == set(scope._NEEDS)
