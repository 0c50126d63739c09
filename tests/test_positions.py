"""Card.position: the line table is built in pieces (doubling), at C speed where a piece has no
carriage return; every offset gets the line and column a plain count gives."""

from __future__ import annotations

import random
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carbonlint.card import Card


def _expected(text: str, offset: int) -> tuple[int, int]:
    """Counted directly: the line breaks before ``offset`` (CRLF, CR or LF)."""
    before = text[:offset]
    line = len(re.findall(r"\r\n|\r|\n", before))
    if before.endswith("\r") and text[offset:offset + 1] == "\n":
        line -= 1  # between the two characters of a CRLF: still on the line the CR ends
    last = max(before.rfind("\n"), before.rfind("\r"))
    if before.endswith("\r") and text[offset:offset + 1] == "\n":
        last = max(before[:-1].rfind("\n"), before[:-1].rfind("\r"))
    return line + 1, offset - (last + 1) + 1


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.text(alphabet="ab é", max_size=30),
                          st.sampled_from(("\n", "\n", "\r\n", "\r", ""))), max_size=40),
       st.lists(st.integers(min_value=0, max_value=2000), min_size=1, max_size=12))
def test_every_offset_gets_its_line_and_column(pieces: list[tuple[str, str]],
                                               offsets: list[int]) -> None:
    text = "".join(words + newline for words, newline in pieces)
    card = Card(path="README.md", text=text)
    for offset in offsets:
        offset = min(offset, len(text))
        assert card.position(offset) == _expected(text, offset)


@pytest.mark.parametrize("carriage_returns", ["none", "late", "at a boundary"])
def test_large_texts_scanned_in_pieces(carriage_returns: str) -> None:
    rng = random.Random(7)
    lines = ["x" * rng.randint(0, 120) for _ in range(6000)]  # ~360 kB: several pieces
    text = "\n".join(lines)
    if carriage_returns == "late":
        text = text[:300_000] + "\r\n" + text[300_000:].replace("\n", "\r", 50)
    elif carriage_returns == "at a boundary":
        text = text[:65535] + "\r\n" + text[65535:]
    card = Card(path="README.md", text=text)
    # Offsets asked in increasing and then decreasing order, as the checks do.
    offsets = sorted(rng.randrange(len(text) + 1) for _ in range(300))
    for offset in offsets + offsets[::-1] + [0, 65535, 65536, 65537, len(text)]:
        assert card.position(offset) == _expected(text, offset)
