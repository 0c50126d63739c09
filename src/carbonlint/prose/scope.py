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
from bisect import bisect_left
from functools import cache
from weakref import WeakKeyDictionary

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
# How far from a figure its sentence and its paragraph are read. A statement is read in a few
# hundred characters; the bound keeps a body of one endless paragraph holding thousands of
# figures linear (each figure reads a bounded window, not the whole paragraph).
_SENTENCE_REACH = 600
_PARAGRAPH_REACH = 2_000


# Words without which a cue cannot match (every alternative of its pattern holds one of them):
# a body without any is not scanned for that cue. Only cues whose words are rare in cards; the
# scan of each cue (a word boundary tried at every character) costs more than these searches.
_NEEDS = {
    "training": ("train", "tun"),
    "aggregate": ("aggregat", "cumulativ", "combined", "total", "models", "across"),
    "market": ("market",),
    "location": ("location",),
}


@cache
def _cues() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple((tag, re.compile(pattern, re.ASCII)) for tag, pattern in _CUES)


def sentence_around(body: Body, start: int, end: int) -> tuple[int, int]:
    """Offsets in ``body.text`` of the sentence holding ``start:end``.

    A sentence does not cross a blank line or a list item; a paragraph wrapped over several
    lines is read across its line breaks.
    """
    text = body.text
    begin, finish = _paragraph(body, start, end, _SENTENCE_REACH)
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


def _paragraph(body: Body, start: int, end: int, reach: int = _PARAGRAPH_REACH) -> tuple[int, int]:
    """The paragraph around ``start:end``, at most ``reach`` characters on either side."""
    text = body.text
    low = max(0, start - reach)
    high = min(len(text), end + reach)
    begin = text.rfind("\n\n", low, start)
    finish = text.find("\n\n", end, high)
    return (low if begin < 0 else begin + 2), (high if finish < 0 else finish)


# Characters no cue matches or looks at: anything but an ASCII word character or space, ".",
# "/" and "-" (the cues are ASCII patterns of those). No match holds one, and a word boundary
# before one reads the same whether the text goes on or ends there: so a scan of the stretch
# between two of them finds exactly the whole body's matches there (tests/test_line_scans.py).
_BARRIER = re.compile(r"[^\w\s./-]", re.ASCII)
_LOOK_BACK = 64  # characters searched before a statement for a barrier, then four times more
# Bounds that keep a body without barriers, or with thousands of statements, linear: a barrier
# is looked for this far at most on each side, and after this many statements every cue is
# found in the whole body at once.
_REACH = 2_000
_MAX_STRETCHES = 64


class _CueIndex:
    """Where each cue occurs around the statements asked about.

    A card asks about a few statements: the stretch around each (from the barrier before it to
    the one after it) is scanned for a cue the first time it is asked about, and remembered.
    Once the stretches scanned for a cue add up to the body's length, the cue's matches in the
    whole body are found in one pass and asking costs a binary search: a body of thousands of
    figures stays linear (at most twice the one pass per cue)."""

    def __init__(self, folded: str) -> None:
        self.folded = folded
        self._patterns = dict(_cues())
        self._absent = {tag for tag, needs in _NEEDS.items()
                        if not any(word in folded for word in needs)}
        self._bounds: dict[tuple[int, int], tuple[int, int] | None] = {}
        self._stretches: dict[tuple[str, int, int], list[tuple[int, int]]] = {}
        self._scanned: dict[str, int] = {}
        self._whole: dict[str, tuple[list[int], list[int]]] = {}

    def holds(self, tag: str, left: int, right: int) -> bool:
        """Whether a match of ``tag`` lies wholly within ``left:right``: the whole body's first
        match starting at or after ``left`` ends by ``right`` (matches do not overlap, so it
        also ends first)."""
        if tag in self._absent:
            return False
        whole = self._whole.get(tag)
        if whole is None:
            spans = self._stretch_spans(tag, left, right)
            if spans is not None:
                index = bisect_left(spans, (left,))
                return index < len(spans) and spans[index][1] <= right
            spans = [match.span() for match in self._patterns[tag].finditer(self.folded)]
            whole = self._whole[tag] = ([start for start, _ in spans], [end for _, end in spans])
        starts, ends = whole
        index = bisect_left(starts, left)
        return index < len(starts) and ends[index] <= right

    def _stretch_spans(self, tag: str, left: int, right: int) -> list[tuple[int, int]] | None:
        """The matches of ``tag`` in the stretch around ``left:right``; None when there is no
        stretch (see _stretch) or once the stretches scanned for it would outgrow the body."""
        bounds = self._stretch(left, right)
        if bounds is None:
            return None
        start, end = bounds
        key = (tag, start, end)
        spans = self._stretches.get(key)
        if spans is None:
            scanned = self._scanned.get(tag, 0) + end - start
            if scanned > len(self.folded):
                return None
            self._scanned[tag] = scanned
            spans = self._stretches[key] = [
                match.span() for match in self._patterns[tag].finditer(self.folded, start, end)]
        return spans

    def _stretch(self, left: int, right: int) -> tuple[int, int] | None:
        """From just after the last barrier before ``left`` (or the start) to the first barrier
        at or after ``right`` (or the end); None when either is farther than _REACH, or after
        _MAX_STRETCHES statements (the whole body is then cheaper)."""
        key = (left, right)
        if key in self._bounds:
            return self._bounds[key]
        if len(self._bounds) >= _MAX_STRETCHES:
            return None
        end = self._end_after(right)
        start = self._start_before(left) if end is not None else None
        bounds = self._bounds[key] = (start, end) if start is not None and end is not None else None
        return bounds

    def _end_after(self, right: int) -> int | None:
        after = _BARRIER.search(self.folded, right, right + _REACH)
        if after is not None:
            return after.start()
        return len(self.folded) if right + _REACH >= len(self.folded) else None

    def _start_before(self, left: int) -> int | None:
        # No backward search in `re`: look in a short stretch first, then a longer one.
        reach = _LOOK_BACK
        while True:
            low = max(0, left - reach)
            last = None
            for last in _BARRIER.finditer(self.folded, low, left):
                pass
            if last is not None:
                return last.end()
            if low == 0:
                return 0
            if reach >= _REACH:
                return None
            reach = min(4 * reach, _REACH)


_INDEXES: WeakKeyDictionary[Body, _CueIndex] = WeakKeyDictionary()


def _index(body: Body) -> _CueIndex:
    index = _INDEXES.get(body)
    if index is None:
        index = _INDEXES[body] = _CueIndex(body.folded)
    return index


def cues(body: Body, start: int, end: int) -> frozenset[str]:
    """The tags of the statement around ``start:end`` (offsets of ``body.text``): comparison,
    accounting, inference and base model from its sentence; training and aggregate from its
    paragraph (a list item or table row being a paragraph of its own)."""
    index = _index(body)
    left, right = sentence_around(body, start, end)
    found = {tag for tag, _ in _CUES if tag not in _PARAGRAPH_TAGS and index.holds(tag, left, right)}
    para_left, para_right = _paragraph(body, start, end)
    if body.text.startswith(("- ", "* ", "+ ", "|"), left) or body.text.startswith("|", left - 1):
        para_left, para_right = left, right
    found |= {tag for tag in _PARAGRAPH_TAGS if index.holds(tag, para_left, para_right)}
    return frozenset(found)


# A note that the section's figures leave this card's own run out: "Note that these details are
# just for training DistilBERT, not including the fine-tuning with SQuAD." (Hugging Face's own
# cards of fine-tuned checkpoints keep the base model's list with this note.)
# The article matters: "not including the fine-tuning" is this card's own fine-tuning, left
# out; a pre-trained model's "excluding fine-tuning on downstream tasks" is not.
_BASE_ONLY_NOTE = re.compile(
    r"\b(?:not\s+including|excluding|do(?:es)?\s+not\s+include)\s+"
    r"(?:the|this|our)\s+(?:subsequent\s+)?(?:fine-?tun|finetun)"
)


def about_base_only(folded: str) -> bool:
    """Whether a section's text says its figures leave out the fine-tuning this card is for."""
    return _BASE_ONLY_NOTE.search(folded) is not None


def heading_tags(title: str) -> frozenset[str]:
    """The tags a section heading gives the hardware and hours under it: ``inference`` for
    "Deploying Requirements" or "Inference" (not for "Training and inference")."""
    folded = title.lower()
    patterns = dict(_cues())
    if patterns["inference"].search(folded) or "requirement" in folded:
        if not patterns["training"].search(folded):
            return frozenset({"inference"})
    return frozenset()
