"""The body, with code and comments blanked out, lower-cased, and its line positions."""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate
from typing import Iterator

from carbonlint.findings import Span
from carbonlint.prose.masking import mask, needs_masking
from carbonlint.prose.patterns import regexes

# Lower-casing keeps the length of every character but these two: U+0130 (İ) becomes two
# characters, and U+212A (Kelvin sign) becomes an ASCII "k" that would pass for a unit.
_ASCII_LOWER = {code: code + 32 for code in range(ord("A"), ord("Z") + 1)}


def fold(text: str) -> str:
    """``text`` lower-cased, every offset unchanged."""
    if "\u0130" in text or "\u212a" in text:
        return text.translate(_ASCII_LOWER)
    return text.lower()


class Body:
    """The body's lines; the same lines blanked and joined with "\\n" (``text``); and that,
    lower-cased (``folded``), for the patterns.

    Blanking replaces characters by spaces, so an offset in ``text`` is a column of a line.
    """

    def __init__(self, body: str, first_line: int) -> None:
        rx = regexes()
        lines = rx.line_break.split(body) if "\r" in body else body.split("\n")
        text = "\n".join(lines)
        if needs_masking(text):
            text = "\n".join(mask(lines))
        self.lines = lines
        self.text = text
        self.folded = fold(text)
        self.first_line = first_line
        # Line starts: the running sum of (length + 1), without a Python-level loop.
        self.starts = list(accumulate(map((1).__add__, map(len, lines[:-1])), initial=0))

    def located(self, start: int, end: int) -> tuple[str, Span]:
        """What the card says at ``text[start:end]`` (blanked parts included), and where.

        ``start:end`` never crosses a line: the patterns do not match line breaks."""
        index = bisect_right(self.starts, start) - 1
        column = start - self.starts[index]
        line = self.first_line + index
        text = self.lines[index][column : column + end - start]
        return text, Span(line, column + 1, line, column + 1 + end - start)

    def line_starts(self, anchored: re.Pattern[str], first: re.Pattern[str]) -> list[re.Match[str]]:
        """Matches of a line-start pattern: ``first`` on the first line, then ``anchored``
        (the same pattern after a line break) everywhere else."""
        head = first.match(self.folded)
        rest = list(anchored.finditer(self.folded))
        return [head, *rest] if head is not None else rest


    def lines_holding(self, *words: str, and_one_of: tuple[str, ...] = ()) -> list[tuple[int, int]]:
        """``(start, end)`` in ``text`` of each line whose folded text holds one of ``words``
        (lower-case), and one of ``and_one_of`` when given, in order, each line once, without
        its line break.

        A pattern that matches within a line only, and never without one of ``words``, finds
        the same matches run on these lines (:meth:`finditer_in_lines`) as on the whole body:
        most lines of a long body hold none of them, and are not scanned."""
        folded = self.folded
        starts = self.starts
        found: set[int] = set()
        for word in words:
            at = folded.find(word)
            while at >= 0:
                index = bisect_right(starts, at) - 1
                found.add(index)
                if index + 1 >= len(starts):
                    break
                at = folded.find(word, starts[index + 1])
        size = len(folded)
        lines = [(starts[index], starts[index + 1] - 1 if index + 1 < len(starts) else size)
                 for index in sorted(found)]
        if and_one_of:
            lines = [(start, end) for start, end in lines
                     if any(folded.find(word, start, end) >= 0 for word in and_one_of)]
        return lines


def finditer_in_lines(pattern: re.Pattern[str], text: str,
                      lines: list[tuple[int, int]]) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)`` restricted to ``lines`` (:meth:`Body.lines_holding`): the
    same matches, for a pattern that matches within one line. A match's offsets are those of
    ``text``; lookarounds still see the characters around each line, as on the whole text."""
    for start, end in lines:
        yield from pattern.finditer(text, start, end)
