"""The front matter reader: the Hub's block detection, positions in the file, duplicates."""

from __future__ import annotations

import pytest

from carbonlint.card import parse_bytes, parse_card
from carbonlint.findings import Span


def test_positions_are_file_positions_including_the_block_offset() -> None:
    text = "\n\n---\nlicense: mit\nco2_eq_emissions:\n  emissions: 12.5\n  source: x\n---\nbody\n"
    card = parse_card(text)
    assert card.data["co2_eq_emissions"] == {"emissions": 12.5, "source": "x"}
    # Leading blank lines are allowed by the Hub's expression; the block starts on line 4.
    assert card.span_of("license") == Span(4, 10, 4, 13)
    assert card.span_of("co2_eq_emissions", key=True) == Span(5, 1, 5, 17)
    assert card.span_of("co2_eq_emissions", "emissions") == Span(6, 14, 6, 18)
    # A block mapping's span stops at its last character, not at the next line.
    assert card.span_of("co2_eq_emissions") == Span(6, 3, 7, 12)
    assert card.body == "body\n"


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_line_endings(newline: str) -> None:
    lines = ["---", "license: mit", "co2_eq_emissions: 5", "---", "# Title", "text"]
    card = parse_card(newline.join(lines))
    assert card.problems == []
    assert card.data == {"license": "mit", "co2_eq_emissions": 5}
    assert card.span_of("co2_eq_emissions") == Span(3, 19, 3, 20)
    assert card.body == newline.join(lines[4:])


def test_byte_order_mark_is_dropped_like_the_hub() -> None:
    card = parse_bytes("\ufeff---\nco2_eq_emissions: 5\n---\n".encode("utf-8"), "README.md")
    assert card.data == {"co2_eq_emissions": 5}
    assert card.span_of("co2_eq_emissions") == Span(2, 19, 2, 20)


def test_columns_count_characters_not_bytes() -> None:
    card = parse_card('---\nlicense: "é€𝄞"\nco2_eq_emissions: 5\n---\n')
    assert card.span_of("license") == Span(2, 10, 2, 15)


@pytest.mark.parametrize(
    "text",
    ["# Just a title\n", "", "text\n---\na: 1\n---\n", "----\na: 1\n----\n"],
)
def test_no_front_matter(text: str) -> None:
    card = parse_card(text)
    assert card.front_matter is None and card.data is None and card.problems == []
    assert card.body == text


def test_closing_line_may_have_trailing_blanks_and_end_the_file() -> None:
    card = parse_card("---\nco2_eq_emissions: 5\n---  ")
    assert card.data == {"co2_eq_emissions": 5}


def test_unclosed_front_matter_is_reported() -> None:
    card = parse_card("---\nco2_eq_emissions: 5\n\n# Model\n")
    assert [p.code for p in card.problems] == ["CL006"]
    assert card.data is None


def test_duplicate_keys_point_at_the_kept_one() -> None:
    card = parse_card("---\nco2_eq_emissions: 1\nlicense: mit\nco2_eq_emissions: 2\n---\n")
    assert card.data["co2_eq_emissions"] == 2  # the Hub keeps the last
    (problem,) = card.problems
    assert problem.code == "CL003"
    assert problem.span == Span(4, 1, 4, 17)
    assert "first on line 2" in problem.message


def test_nested_duplicate_keys() -> None:
    card = parse_card("---\nco2_eq_emissions:\n  emissions: 1\n  emissions: 2\n---\n")
    assert [(p.code, p.key, p.span.line) for p in card.problems] == [
        ("CL003", "co2_eq_emissions.emissions", 4)
    ]


def test_entry_follows_sequences_and_misses_cleanly() -> None:
    card = parse_card("---\nco2_eq_emissions:\n  - emissions: 1\n---\n")
    key, value = card.entry("co2_eq_emissions", 0, "emissions")
    assert key is None or key.value == "emissions"
    assert value is not None and value.value == "1"
    assert card.entry("co2_eq_emissions", 5) == (None, None)
    assert card.entry("nope") == (None, None)


@pytest.mark.parametrize(
    ("front_matter", "line", "column", "words"),
    [
        ("license: mit\ndate: 2023-02-30\nco2_eq_emissions: 5", 3, 7, "day is out of range"),
        ("license: !custom mit\nco2_eq_emissions: 5", 2, 10, "could not determine a constructor"),
        ("widget:\n- {? [a, b] : c}\nco2_eq_emissions: 5", 3, 6, "list or mapping used as a key"),
        ("count: !!int twelve\nco2_eq_emissions: 5", 2, 8, "cannot be read"),
    ],
)
def test_values_the_hub_cannot_build_are_found_in_keys_never_read(
    front_matter: str, line: int, column: int, words: str
) -> None:
    card = parse_card("---\n" + front_matter + "\n---\n")
    (problem,) = card.problems
    assert problem.code == "CL001" and words in problem.message
    assert (problem.span.line, problem.span.column) == (line, column)


def test_metadata_is_built_lazily_but_reads_like_pyyaml() -> None:
    import yaml

    text = "a: 1\nb: [x, {y: 2}]\nc: &c {d: 3}\ne: *c\na: 4\nwhen: 2023-01-02\n"
    card = parse_card("---\n" + text + "---\n")
    assert dict(card.data) == yaml.safe_load(text)
    assert list(card.data) == list(yaml.safe_load(text))  # first place, last value
    assert card.data == yaml.safe_load(text)


def test_top_level_merge_keys() -> None:
    import yaml

    text = "base: &b {license: mit}\n<<: *b\nco2_eq_emissions: 5\n"
    card = parse_card("---\n" + text + "---\n")
    assert card.problems == [] and dict(card.data) == yaml.safe_load(text)


def _front_matter_by_regex(text: str) -> tuple[int, int, int] | None:
    from carbonlint.card import FRONT_MATTER

    match = FRONT_MATTER.search(text)
    return None if match is None else (match.start(2), match.end(2), match.end())


_PIECES = ["---", "--- ", "---\t", "----", "\n", "\r\n", "\r", " ", "\t", "a: 1", "-", "x", "\n\n"]


def test_front_matter_bounds_equal_the_regex_on_random_texts() -> None:
    import random

    from carbonlint.card import front_matter_bounds

    rng = random.Random(11)
    found = 0
    for _ in range(20_000):
        opening = rng.choice(["", "---\n", "---\r\n", "---\r", " \n---\n"])
        text = opening + "".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 12)))
        expected = _front_matter_by_regex(text)
        assert front_matter_bounds(text) == expected, repr(text)
        found += expected is not None
    assert found > 1_000  # many texts had front matter, many had none


@pytest.mark.parametrize("text", [
    "---\nx: 1\n---\nbody", "\n \t---\r\nx: 1\r\n---  \r\nbody", "---\nx\n---", "---\nx\n---\n",
    "---\n---\n", "---\n\n---\n", "--- \nx\n---\n", "---\nx\n----\n---\n", "---\rx\r---\r",
    "text\n---\nx\n---\n", "---\nx\n--- y\n---\t\n", "---\nx\n---\n\n",
])
def test_front_matter_bounds_cases(text: str) -> None:
    from carbonlint.card import front_matter_bounds

    assert front_matter_bounds(text) == _front_matter_by_regex(text)


def test_nesting_bound_is_at_most_twice_the_length() -> None:
    """What lets a front matter shorter than half the safe depth skip the bound."""
    import random

    from carbonlint.card import _nesting_bound

    rng = random.Random(2)
    for _ in range(2_000):
        source = "".join(rng.choice(["[", "{", "- ", "\n", "  ", "a: ", "x", "\r\n"])
                         for _ in range(rng.randint(0, 60)))
        assert _nesting_bound(source) <= 2 * len(source)
    assert _nesting_bound("[" * 3_000) == 6_000  # the bound is reached


def test_a_deep_short_front_matter_is_still_refused() -> None:
    card = parse_card("---\na: " + "[" * 2_400 + "]" * 2_400 + "\n---\n", "README.md")
    assert card.problems  # libyaml's own limit, or carbonlint's: not a crash


def test_lines_are_numbered_as_positions_are() -> None:
    """Card.lines()[n - 1] is the line position() calls n, whatever other breaks it holds."""
    import random

    rng = random.Random(4)
    pieces = ["a", "b c", "\n", "\r\n", "\r", "\x0c", "\x1c", "\x85", "\u2028", "\u2029", "\x0b"]
    for _ in range(2_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 15)))
        card = parse_card(text, "README.md")
        lines = card.lines()
        for offset in range(len(card.text)):
            line, column = card.position(offset)
            if card.text[offset] not in "\r\n":
                assert lines[line - 1][column - 1] == card.text[offset], repr(text)
        plain = text.replace("\x0c", "").replace("\x1c", "").replace("\x85", "")
        plain = plain.replace("\u2028", "").replace("\u2029", "").replace("\x0b", "")
        assert parse_card(plain, "README.md").lines() == plain.splitlines()
