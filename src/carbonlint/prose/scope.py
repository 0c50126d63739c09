"""What a free-text figure is about, told by the words of its sentence.

Free prose names other models' footprints ("For comparison, GPT-3 emitted 552 tonnes"), totals
over a family of models ("In aggregate, training all 12 models ..."), the market-based figure
beside the location-based one, and the laptop the model runs on. The reader does not decide
which figure is the card's own; it tags each free-text fact with the cues its sentence holds,
and :mod:`carbonlint.stated` decides. Tags:

* ``training``: a training verb ("trained", "pretraining", "fine-tuning");
* ``comparison``: the figure is compared with something ("for comparison", "equivalent to",
  "than", "a car's lifetime");
* ``aggregate``: a total over several models ("in aggregate", "all 12 models", "cumulative");
* ``market`` / ``location``: the market-based or location-based accounting;
* ``inference``: the figure or device is about using the model ("inference", "runs on",
  "laptop", "deployed");
* ``base``: about the base model ("the base model", "the original model");
* ``environmental``: the fact lies in the card's environmental section.
"""

from __future__ import annotations

import re
from functools import cache

from carbonlint.prose.body import Body

# Each cue as (tag, pattern), run on the lower-cased sentence. Word starts (\b) keep "than"
# out of "thank" and "car" out of "carbon".
_CUES = (
    ("training", r"\b(?:train|pre-?train|fine-?tun|finetun)"),
    ("comparison", r"\b(?:compar\w*|equivalent\s+(?:to|of)|same\s+as|as\s+much\s+as|by\s+contrast"
                   r"|in\s+contrast|versus|vs\b\.?|than\b|e\.g\.|cars?\b|flights?\b|households?\b"
                   r"|lifetime|passengers?\b|round[- ]trips?\b|average\s+(?:person|american|human)"
                   r"|previous(?:ly)?\b|prior\s+work)"),
    ("aggregate", r"\b(?:in\s+aggregate|aggregated?|cumulative(?:ly)?|combined|in\s+total\s+for"
                  r"|all\s+(?:\w+\s+){0,3}models|across\s+(?:all|the|these|both)\b|both\s+models"
                  r"|(?:family|suite|series)\s+of\s+models)"),
    ("market", r"\bmarket[- ]?based"),
    ("location", r"\blocation[- ]?based"),
    ("inference", r"\b(?:inferenc\w*|deploy\w*|serving\b|laptop|macbook|on[- ]device|runs?\s+on"
                  r"|tested\s+on|generation\s+speed|tokens?/s|latency)"),
    ("base", r"\b(?:base\s+model|original\s+model|parent\s+model|upstream\s+model"
             r"|the\s+model\s+we\s+fine-?tuned)"),
)
# A sentence ends at ". " before a capital, or at "!", "?", ";". Lines are the unit otherwise:
# list items and table rows are one statement each.
_SENTENCE_END = re.compile(r"[!?;]|\.\s+(?=[A-Z*_])")


@cache
def _cues() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple((tag, re.compile(pattern, re.ASCII)) for tag, pattern in _CUES)


def sentence_around(body: Body, start: int, end: int) -> tuple[int, int]:
    """Offsets in ``body.text`` of the sentence holding ``start:end``.

    A sentence does not cross a blank line or a list item; a paragraph wrapped over several
    lines is read across its line breaks.
    """
    text = body.text
    begin = text.rfind("\n\n", 0, start)
    begin = 0 if begin < 0 else begin + 2
    finish = text.find("\n\n", end)
    finish = len(text) if finish < 0 else finish
    # A list item or table row starts a statement of its own.
    for marker in ("\n- ", "\n* ", "\n+ ", "\n|", "\n#"):
        at = text.rfind(marker, begin, start)
        if at >= 0:
            begin = max(begin, at + 1)
        at = text.find(marker, end, finish)
        if at >= 0:
            finish = min(finish, at)
    left = begin
    for match in _SENTENCE_END.finditer(text, begin, start):
        left = match.end()
    right = finish
    match = _SENTENCE_END.search(text, end, finish)
    if match is not None:
        right = match.start() + 1
    return left, right


# Cues read in the whole paragraph: "In aggregate, training all 12 models required 400K GPU
# hours. Estimated total emissions were 65.3 tCO2eq." is one statement over two sentences.
_PARAGRAPH_TAGS = frozenset({"training", "aggregate"})


def _paragraph(body: Body, start: int, end: int) -> tuple[int, int]:
    text = body.text
    begin = text.rfind("\n\n", 0, start)
    finish = text.find("\n\n", end)
    return (0 if begin < 0 else begin + 2), (len(text) if finish < 0 else finish)


def cues(body: Body, start: int, end: int) -> frozenset[str]:
    """The tags of the statement around ``start:end`` (offsets of ``body.text``): comparison,
    accounting, inference and base model from its sentence; training and aggregate from its
    paragraph (a list item or table row being a paragraph of its own)."""
    left, right = sentence_around(body, start, end)
    sentence = body.folded[left:right]
    found = {tag for tag, pattern in _cues() if tag not in _PARAGRAPH_TAGS and pattern.search(sentence)}
    para_left, para_right = _paragraph(body, start, end)
    if body.text.startswith(("- ", "* ", "+ ", "|"), left) or body.text.startswith("|", left - 1):
        para_left, para_right = left, right
    paragraph = body.folded[para_left:para_right]
    found |= {tag for tag, pattern in _cues() if tag in _PARAGRAPH_TAGS and pattern.search(paragraph)}
    return frozenset(found)


def heading_tags(title: str) -> frozenset[str]:
    """The tags a section heading gives the hardware and hours under it: ``inference`` for
    "Deploying Requirements" or "Inference" (not for "Training and inference")."""
    folded = title.lower()
    patterns = dict(_cues())
    if patterns["inference"].search(folded) or "requirement" in folded:
        if not patterns["training"].search(folded):
            return frozenset({"inference"})
    return frozenset()
