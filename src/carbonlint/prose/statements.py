"""What the text says about the run itself: was the model fine-tuned, pre-trained, or not
trained at all; and the place written in a parenthesis after an emissions figure.

Precision first, as everywhere in the reader: only phrasings that say it of *this* model count.
"This model is a fine-tuned version of bert-base" (the Trainer's own sentence), "this model was
fine-tuned on", a description opening "A fine-tuned ResNet50 ...", "this model was trained from
scratch"; not "can be fine-tuned on downstream tasks", "X is a fine-tuned version of this
model", "A fine-tuned version of this model is available" nor "the models fine-tuned from it". A negated statement ("was
not fine-tuned", "No training or fine-tuning is performed") is never evidence of training: it
is read as the run it describes, none.
"""

from __future__ import annotations

import re
from functools import cache

from carbonlint.prose.body import Body, finditer_in_lines, fold
from carbonlint.prose.model import Fact

_TUNED = r"fine[- ]?tuned"
_SUBJECT = r"(?:this|our|the present)[ \t]+(?:model|checkpoint|network)|it"


@cache
def _training_type() -> re.Pattern[str]:
    return re.compile(
        # "this model is a fine-tuned version of", "it is an instruction fine-tuned variant of",
        # "this model was fine-tuned": said of this model, not of "GPT-2-med is a fine-tuned
        # version of this model" in a list of related models
        rf"\b(?:(?P<ft>(?:{_SUBJECT})[ \t]+(?:is|was|has[ \t]+been)[ \t]+(?:an?[ \t]+)?"
        rf"(?:[a-z]+[ \t]+)??{_TUNED}(?:[ \t]+(?:version|variant|checkpoint)[ \t]+of)?)"
        # a description that opens with it: "A fine-tuned ResNet50 model trained to classify",
        # not "A fine-tuned version of this model is available"
        rf"|(?m:^[ \t]*(?P<ft3>an?[ \t]+{_TUNED}(?![ \t]+(?:version|variant|checkpoint|model)\b)))"
        # the Trainer's "This model was trained from scratch on the None dataset."
        rf"|(?P<pt>(?:{_SUBJECT})[ \t]+(?:is|was|has[ \t]+been)[ \t]+(?:pre-?)?trained[ \t]+from[ \t]+scratch))\b"
        # and the word after, so that the statement reads whole: "... version of [bert-base]"
        r"(?:[ \t]+\[?[a-z0-9][\w./-]{0,60}\]?)?"
    )


# One of these is in every match of _nothing_trained (its three alternatives, in order).
_NEGATION_WORDS = ("no", "n't", "free")


@cache
def _nothing_trained() -> re.Pattern[str]:
    return re.compile(
        # "No training or fine-tuning is performed", "no fine-tuning was done"
        r"\bno[ \t]+(?:additional[ \t]+|further[ \t]+|model[ \t]+)?(?:training|fine[- ]?tuning|re-?training)"
        r"(?:[ \t]+(?:or|and|/)[ \t]+(?:training|fine[- ]?tuning))?[ \t]+"
        r"(?:is|was|were|has[ \t]+been|took[ \t]+place|happened|(?:is|was)[ \t]+(?:performed|done|involved|needed|required))\b"
        # "was not trained", "has not been fine-tuned", "wasn't fine-tuned"
        r"|\b(?:(?:is|was|were)(?:[ \t]+not|n't)|(?:has|have)[ \t]+not[ \t]+been|(?:has|have)n't[ \t]+been)"
        r"[ \t]+(?:trained|fine[- ]?tuned|retrained)\b"
        # "was not trained on medical data" says what the data was, not that nothing ran
        r"(?![ \t]+(?:on|with|for|to|using|in|by|beyond)\b)"
        r"|\btraining[- ]free\b"
    )


def training_type_facts(body: Body) -> list[Fact]:
    """Sentences that say this model was fine-tuned, or trained from scratch (pre-training)."""
    folded = body.folded
    if "tuned" not in folded and "scratch" not in folded:
        return []
    facts = []
    # Each statement lies within a line and holds "tuned" (fine-tuned) or "scratch".
    lines = body.lines_holding("tuned", "scratch")
    for match in finditer_in_lines(_training_type(), folded, lines):
        value = "pre-training" if match["pt"] else "fine-tuning"
        text, span = body.located(match.start(), match.end())
        facts.append(Fact("training_type", value, text, None, None, "free-text", None, span))
    return facts


def no_training_facts(body: Body) -> list[Fact]:
    """Statements that nothing was trained ("No training or fine-tuning is performed")."""
    folded = body.folded
    if "train" not in folded and "tun" not in folded:
        return []
    facts = []
    # Each statement lies within a line and holds "train" or "tun" (fine-tuning); and "no"
    # ("no training", "not trained"), "n't" ("wasn't fine-tuned") or "free" ("training-free").
    lines = body.lines_holding("train", "tun", and_one_of=_NEGATION_WORDS)
    for match in finditer_in_lines(_nothing_trained(), folded, lines):
        text, span = body.located(match.start(), match.end())
        facts.append(Fact("no_training", text, text, None, None, "free-text", None, span))
    return facts


def says_nothing_was_trained(text: str) -> bool:
    """Whether a short text (a metadata value such as ``source``) says no training ran."""
    return _nothing_trained().search(fold(text)) is not None


@cache
def _parenthesis() -> re.Pattern[str]:
    return re.compile(r"[ \t]*[*_]*[ \t]*\((?P<place>[^()\n]{2,60})\)")


def places_after_figures(body: Body, figures: list[Fact]) -> list[Fact]:
    """"Emissions: 0.15 KgCO2 (Singapore)": the parenthesis right after an emissions figure, as
    a location statement (source "after-figure"). Whether it names a place, and whether its
    figure is this run's, is for the rule to decide."""
    facts = []
    for figure in figures:
        index = figure.span.line - body.first_line
        if not 0 <= index < len(body.starts):
            continue
        end = body.starts[index] + figure.span.end_column - 1
        match = _parenthesis().match(body.text, end)
        if match is None:
            continue
        text, span = body.located(match.start("place"), match.end("place"))
        place = text.strip(" \t*_")
        if place and not any(c.isdigit() for c in place[:1]):
            facts.append(Fact("location", place, text, None, None, "after-figure", None, span))
    return facts
