"""Read the emissions facts a model card states in its Markdown body.

The metadata says one thing; the prose often says another. This module only *reads* the prose:
it returns :class:`Fact` objects with file positions, and the rules decide what a disagreement
means. Four formats are recognised (details and decisions in ``docs/prose.md``):

* the Hub model card template's "Environmental Impact" list (``- **Hours used:** 36``),
* AutoTrain/AutoNLP's ``- CO2 Emissions (in grams): 3.7680``,
* Sentence-Transformers/SetFit's CodeCarbon list (``- **Carbon Emitted**: 0.012 kg of CO2``),
* free prose ("emitted 24.7 tonnes of CO2eq", "433 MWh", "trained for 3 days on 8 A100s").

Free prose is read for precision, not recall: a fact that is not there becomes a false alarm
later, a missed one only a missed check.

Speed, since this runs in a pre-commit hook on every card: code, comments and inline code are
blanked out line by line (keeping every column), the result is lower-cased once, and a few
regexes run over it. Each regex begins with a literal or a character class, so the engine skips
ahead instead of trying every position, and none has nested unbounded repetition, so the work is
linear in the size of the body. The regexes are compiled on first use, not at import.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from functools import cache, cached_property
from itertools import accumulate
from typing import Iterable, NamedTuple

from carbonlint.findings import Span

__all__ = ["Fact", "ProseFacts", "extract"]


class Fact(NamedTuple):
    """One statement found in the body.

    ``kind`` is one of ``emissions_g``, ``energy_kwh``, ``hours``, ``hardware``, ``location``,
    ``cloud_provider``, ``training_type`` or ``placeholder``. ``value`` is grams, kWh or hours
    (converted from the written unit) for the numeric kinds, the text for the others.
    ``span`` covers ``text`` exactly, on one line.
    """

    kind: str
    value: float | str
    text: str
    unit: str | None
    decimals: int | None
    source: str
    field: str | None
    span: Span


class ProseFacts(NamedTuple):
    facts: tuple[Fact, ...]
    # The heading of the card's environmental section, if it has one.
    environmental_section: Span | None = None

    def of(self, kind: str) -> list[Fact]:
        return [fact for fact in self.facts if fact.kind == kind]

    @property
    def has_environmental_section(self) -> bool:
        return self.environmental_section is not None


# --- units -------------------------------------------------------------------------------------

_UNIT_NAMES: dict[str, tuple[str, ...]] = {
    "g": ("g", "gram", "grams", "gramme", "grammes"),
    "kg": ("kg", "kgs", "kilogram", "kilograms", "kilogramme", "kilogrammes"),
    "t": ("t", "ton", "tons", "tonne", "tonnes")
    + ("metric ton", "metric tons", "metric tonne", "metric tonnes"),
    "lb": ("lb", "lbs", "pound", "pounds"),
    "Wh": ("wh", "watt hour", "watt hours", "watthour", "watthours"),
    "kWh": ("kwh", "kilowatt hour", "kilowatt hours", "kilowatthour", "kilowatthours"),
    # "mWh" is read as MWh: nobody reports training energy in milliwatt-hours.
    "MWh": ("mwh", "megawatt hour", "megawatt hours", "megawatthour", "megawatthours"),
    "GWh": ("gwh", "gigawatt hour", "gigawatt hours", "gigawatthour", "gigawatthours"),
    "TWh": ("twh", "terawatt hour", "terawatt hours", "terawatthour", "terawatthours"),
    "h": ("h", "hr", "hrs", "hour", "hours"),
    "min": ("min", "mins", "minute", "minutes"),
    "d": ("day", "days"),
    "wk": ("wk", "wks", "week", "weeks"),
}
_UNIT_OF = {name: unit for unit, names in _UNIT_NAMES.items() for name in names}
# What each unit measures, and how to get grams, kWh or hours from it: a power of ten (applied
# to the written number's exponent, so "5.6 kg" is exactly 5600.0, not 5600.000000000001) and a
# ratio for the rest. "t" is the metric tonne; short tons are not told apart.
_SCALE: dict[str, tuple[str, int, float]] = {
    "g": ("emissions_g", 0, 1.0),
    "kg": ("emissions_g", 3, 1.0),
    "t": ("emissions_g", 6, 1.0),
    "lb": ("emissions_g", 0, 453.59237),
    "Wh": ("energy_kwh", -3, 1.0),
    "kWh": ("energy_kwh", 0, 1.0),
    "MWh": ("energy_kwh", 3, 1.0),
    "GWh": ("energy_kwh", 6, 1.0),
    "TWh": ("energy_kwh", 9, 1.0),
    "h": ("hours", 0, 1.0),
    "min": ("hours", 0, 1 / 60),
    "d": ("hours", 0, 24.0),
    "wk": ("hours", 0, 168.0),
}
_SEPARATORS = str.maketrans("", "", ", \u00a0\u202f\u2009")
# More digits than any real figure has: not worth converting.
_MAX_DIGITS = 30


def _unit(written: str) -> str | None:
    """The normalised unit for a unit as written ("Kilowatt-hours" -> "kWh")."""
    return _UNIT_OF.get(" ".join(written.lower().replace("-", " ").split()))


def _number(match: re.Match[str]) -> tuple[str, int, int] | None:
    """The number of a ``NUM`` match as (digits, exponent, decimals as written); None if it
    is absurdly long."""
    digits = match["num"].translate(_SEPARATORS)
    fraction = match["frac"] or ""
    if len(digits) + len(fraction) > _MAX_DIGITS:
        return None
    exponent = int(match["exp"] or 0)
    return f"{digits}.{fraction or 0}", exponent, max(0, len(fraction) - exponent)


# --- the patterns ------------------------------------------------------------------------------
#
# They all run on lower-cased text, so they are written in lower case and need no IGNORECASE
# (which would stop the engine from skipping ahead to a literal). ASCII: \w and \b stay ASCII.

# Not preceded by a word character, a sign, a separator, a dash or "digit + space": that keeps
# versions (v1.2), ranges (2-3, 10–12), ratios (1/2), model names (A100) and the tail of a number
# out, and makes every run of digits a candidate at most once.
# Thousands separators: "," or a space (also NBSP, narrow NBSP, thin space) before exactly three
# digits. A "." is always the decimal point; "12,5" (decimal comma) is not read at all.
# The lookbehinds come after the first digit so that the pattern starts with [0-9]. The integer
# part is matched inside a lookahead and taken by backreference, which makes it atomic: a long
# run of digits is never backtracked into.
_NUM = (
    r"(?P<num>[0-9](?<![\w.,+/\u2212\u2013\u2014-][0-9])(?<![0-9][ \u00a0\u202f\u2009][0-9])"
    r"(?=(?P<rest>[0-9]{0,2}(?:,[0-9]{3})+(?![0-9])"
    r"|[0-9]{0,2}(?:[ \u00a0\u202f\u2009][0-9]{3})+(?![0-9])"
    r"|[0-9]*))(?P=rest))"
    r"(?:\.(?P<frac>[0-9]+))?"
    r"(?:e(?P<exp>[-+]?[0-9]{1,2}))?"
)
_GAP = r"[ \t\u00a0\u202f]{0,2}"
# A mass unit ends at a non-word character, or runs straight into "CO2" ("kgCO2", "tCO2eq").
_MASS_UNIT = (
    r"(?P<mass>kilogram(?:me)?s?|kgs?|metric[ \t]+ton(?:ne)?s?|ton(?:ne)?s?|t"
    r"|gram(?:me)?s?|g|lbs?|pounds?)(?=co2|co\u2082|\W|$)"
)
_ENERGY_UNIT = r"(?P<energy>[kmgt]?wh|(?:kilo|mega|giga|tera)?watt[ \t-]?hours?)(?!\w)"
_TIME_UNIT = r"(?P<time>hours?|hrs?|h|minutes?|mins?|days?|weeks?|wks?)(?!\w)"
# Every label starts a line, so the pattern starts with the line break (a literal the engine
# can search for); the first line of the body is matched separately, without it. What comes
# before the label (indent, list marker, bold) is taken as one run of characters and checked
# afterwards against _LABEL_PREFIX: optional groups tried on every line cost more.
_LABEL = (
    r"(?P<prefix>[ \t*+_0-9.)-]*)(?P<label>{labels})"
    r"(?:[ \t]*\((?P<hint>[^()\n]{0,40})\))?(?:[ \t]*(?P<close1>\*\*|__))?[ \t]*:"
    r"(?P<close2>[ \t]*(?:\*\*|__))?(?P<value>[^\n]*)"
)
_LABEL_PREFIX = r"[ \t]*(?:(?:[-*+]|[0-9]{1,3}[.)])[ \t]+)?(?:(?P<open>\*\*|__)[ \t]*)?"
_HEADING = r" {0,3}#{1,6}(?:[ \t]+(?P<title>[^\n]*))?(?=\n|$)"

# Canonical field -> what it holds, and the labels (lower case) that name it.
_FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "Carbon Emitted": (
        "emissions_g",
        ("carbon emitted", "carbon emissions", "co2 emitted", "co2eq emissions")
        + ("co2 eq emissions", "emissions", "carbon footprint", "total emissions"),
    ),
    "CO2 Emissions": ("emissions_g", ("co2 emissions",)),
    "Energy Consumed": (
        "energy_kwh",
        ("energy consumed", "energy consumption", "energy used", "total energy"),
    ),
    "Hours used": ("hours", ("hours used", "hours", "training time", "training duration")),
    "Hardware Type": ("hardware", ("hardware type", "hardware", "hardware used")),
    "GPU Model": ("hardware", ("gpu model", "gpu", "gpus")),
    "CPU Model": ("hardware", ("cpu model",)),
    "RAM Size": ("hardware", ("ram size",)),
    "Cloud Provider": ("cloud_provider", ("cloud provider",)),
    "Compute Region": (
        "location",
        ("compute region", "cloud region", "region", "geographical location"),
    ),
    "Training Type": ("training_type", ("training type",)),
}
_FIELD_OF = {label: field for field, (_, labels) in _FIELDS.items() for label in labels}
# Without bold, "Hardware: ..." or "Region: ..." are too common to be the template; only the
# template's own labels count as a field on an unformatted line.
_PLAIN_LABELS = frozenset(
    {field.lower() for field in _FIELDS} | {"carbon emissions", "training time"}
)


class _Regexes:
    """Every compiled pattern, each compiled the first time a card needs it: compiling them all
    costs ~12 ms, and most cards need only some (a card without digits, no quantity pattern)."""

    @cached_property
    def labels(self) -> str:
        return _alternation(_FIELD_OF)

    @cached_property
    def line_break(self) -> re.Pattern[str]:
        return re.compile(r"\r\n|\r|\n")

    @cached_property
    def fence_open(self) -> re.Pattern[str]:
        return re.compile(r"[ \t]*(?:>[ \t]*)*(?P<fence>`{3,}|~{3,})(?P<info>.*)")

    @cached_property
    def fence_close(self) -> re.Pattern[str]:
        return re.compile(r"[ \t]*(?:>[ \t]*)*(?P<fence>`{3,}|~{3,})[ \t]*")

    @cached_property
    def list_item(self) -> re.Pattern[str]:
        return re.compile(r"[ \t]*(?:[-*+]|[0-9]{1,9}[.)])(?:[ \t]+|$)")

    @cached_property
    def heading_start(self) -> re.Pattern[str]:
        return re.compile(r" {0,3}#{1,6}(?:[ \t]|$)")

    @cached_property
    def inline_token(self) -> re.Pattern[str]:
        return re.compile(r"`+|<!--")

    @cached_property
    def backticks(self) -> re.Pattern[str]:
        return re.compile(r"`+")

    @cached_property
    def num(self) -> re.Pattern[str]:
        return _compile(_NUM)

    @cached_property
    def quantity(self) -> re.Pattern[str]:
        # Mass and energy in one pass: both start with a number.
        return _compile(_NUM + _GAP + f"(?:{_MASS_UNIT}|{_ENERGY_UNIT})")

    @cached_property
    def mass_after(self) -> re.Pattern[str]:
        return _compile(_GAP + _MASS_UNIT)

    @cached_property
    def energy_after(self) -> re.Pattern[str]:
        return _compile(_GAP + _ENERGY_UNIT)

    @cached_property
    def time_after(self) -> re.Pattern[str]:
        # In the "Hours used" field, "1000 GPU hours" is still the hours the author means.
        return _compile(_GAP + r"(?:(?:gpu|tpu)[ \t-]?)?" + _TIME_UNIT)

    @cached_property
    def marker(self) -> re.Pattern[str]:
        # "CO2", "CO2eq", "CO2-eq", "CO₂e", "of CO2 equivalent", "carbon dioxide", "carbon".
        return _compile(
                r"[ \t\u00a0]{0,2}(?:of[ \t]+)?(?:co2|co\u2082|carbon[ \t]+dioxide|carbon)"
                r"(?:[ \t]?-?[ \t]?(?:equivalents?|equiv\b\.?|eq\b|e\b))?(?!\w)"
            )

    @cached_property
    def rate(self) -> re.Pattern[str]:
        # "0.4 kg CO2/kWh", "16 tonnes of CO2 per year": an intensity or a rate, not an amount.
        return _compile(
                r"[ \t]*(?:/|per\b|each\b|every\b|annually\b|yearly\b"
                r"|an?[ \t]+(?:year|month|week|day|hour|kwh)\b)"
            )

    @cached_property
    def wordy_tail(self) -> re.Pattern[str]:
        # After a number without a unit: "36 (8 GPUs)" and "**36**" are still 36; "36 x 8",
        # "36 * 8", "36%" or "36 GPUs" are not.
        return _compile(r"[ \t]*(?:[a-z%/\u00d7]|\*[ \t]*[0-9])")

    @cached_property
    def label(self) -> re.Pattern[str]:
        return _compile("\n" + _LABEL.replace("{labels}", self.labels))

    @cached_property
    def first_label(self) -> re.Pattern[str]:
        return _compile(_LABEL.replace("{labels}", self.labels))

    @cached_property
    def label_prefix(self) -> re.Pattern[str]:
        return _compile(_LABEL_PREFIX)

    @cached_property
    def hint(self) -> re.Pattern[str]:
        # "(in grams)", "(kg CO2eq)", "(tCO2e)", "(kWh)", "(hours)".
        return _compile(
                r"[ \t]*(?:in[ \t]+)?(?P<unit>[a-z][a-z \t-]*?)[ \t]*"
                r"(?:(?:of[ \t]+)?(?:co2|co\u2082)(?:[ \t-]?(?:eq|e|equivalents?))?)?[ \t]*"
            )

    @cached_property
    def placeholder(self) -> re.Pattern[str]:
        return _compile(
                r"(?:\[?[ \t]*more[ \t]+info(?:rmation)?[ \t]+needed[ \t]*\]?|tbd|tba|n/?a|unknown"
                r"|not[ \t]+(?:specified|available|known|reported)"
                r"|to[ \t]+be[ \t]+(?:determined|added)|forthcoming|coming[ \t]+soon"
                r"|\?+|-+|\u2014|\.\.\.|\u2026|\{\{.*\}\})\.?"
            )

    @cached_property
    def link(self) -> re.Pattern[str]:
        return re.compile(r"\[([^\[\]\n]*)\]\([^()\n]*\)")

    @cached_property
    def cue(self) -> re.Pattern[str]:
        # Words that make a bare "kg" or "tonnes" an amount of CO2 ("The training emitted
        # 24.7 tonnes", "Carbon emissions: 12 kg").
        return _compile(
                r"\b(?:emi(?:tted|ssions?|ts?|tting)|co2|co\u2082|carbon|footprint|ghg|greenhouse)"
            )

    @cached_property
    def sentence_end(self) -> re.Pattern[str]:
        # On the original case: ". " before a capital ends a sentence, "approx. 5" does not.
        return _compile(r"[!?;]|\.[ \t]+(?=[A-Z])")

    @cached_property
    def hours(self) -> re.Pattern[str]:
        # "trained for 3 days", "fine-tuning took 45 minutes", "Training time: 36 hours".
        # Each branch starts with a letter (the lookbehind comes after it): the engine can
        # skip ahead to t, f or p.
        return _compile(
                r"(?:t(?<!\wt)rain|f(?<!\wf)ine-?tun|p(?<!\wp)re-?train)(?:ed|ing)[ \t]+"
                r"(?:for|in|over|took|lasted|ran[ \t]+for"
                r"|(?:time|duration)[ \t]*(?:was|of|is|:))"
                r"[ \t]+(?:(?:about|approximately|approx\.|roughly|around|over|nearly|almost|~)[ \t]*)?"
                + _NUM + _GAP + _TIME_UNIT
            )

    @cached_property
    def hardware(self) -> re.Pattern[str]:
        # "8 A100s", "8 x A100 80GB", "64 NVIDIA V100 GPUs": a count and a known accelerator.
        return _compile(
                r"[0-9](?<![\w.,+/-][0-9])(?<![0-9][ \t][0-9])[0-9]{0,5}[ \t]*(?:[x\u00d7*][ \t]*)?"
                r"(?:(?:nvidia|amd|google|tesla|geforce)[ \t]+){0,2}"
                r"(?:[ahvpl][0-9]{2,3}[gs]?|a[0-9]{4}|gh200|b200|t4|k80|mi[0-9]{3}x?"
                r"|(?:rtx|gtx)[ \t]?[0-9]{3,4}(?:[ \t]?ti)?|tpu[ \t-]?v[0-9][a-z]?(?:-[0-9]+)?)"
                r"(?:[ \t-]?(?:sxm[0-9]?|pcie|[0-9]{2,3}[ \t]?gb)){0,3}s?"
                r"(?:[ \t]+(?:gpus?|tpus?|accelerators?|chips?|cards?|pods?|slices?))?(?!\w)"
            )

    @cached_property
    def tpu_slice(self) -> re.Pattern[str]:
        # "TPU v3-8": the slice size is the count.
        return _compile(
                r"tpu(?<![\w.,+/-]tpu)[ \t-]?v[0-9][a-z]?-[0-9]+(?:[ \t]+(?:pods?|slices?))?(?!\w)"
            )

    @cached_property
    def heading(self) -> re.Pattern[str]:
        return _compile("\n" + _HEADING)

    @cached_property
    def first_heading(self) -> re.Pattern[str]:
        return _compile(_HEADING)

    @cached_property
    def environmental(self) -> re.Pattern[str]:
        # "Environmental", not "Environment": "## Environment" is usually the software setup.
        return _compile(
                r"\b(?:environmental|carbon|co2|emissions?|footprint|sustainability)\b|co\u2082"
            )


def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.ASCII)


def _alternation(words: Iterable[str]) -> str:
    """A pattern for any of ``words``, grouped by first letter so that the engine tests one
    letter, not every word, where none of them starts; spaces match any run of blanks."""
    by_initial: dict[str, list[str]] = {}
    for word in sorted(words, key=len, reverse=True):
        by_initial.setdefault(word[0], []).append(re.escape(word[1:]).replace(r"\ ", r"[ \t]+"))
    return "|".join(
        f"{initial}(?:{'|'.join(rests)})" for initial, rests in sorted(by_initial.items())
    )


@cache
def _regexes() -> _Regexes:
    return _Regexes()


# --- the body, with code and comments blanked out ----------------------------------------------

# Lower-casing keeps the length of every character but these two: U+0130 (İ) becomes two
# characters, and U+212A (Kelvin sign) becomes an ASCII "k" that would pass for a unit.
_ASCII_LOWER = {code: code + 32 for code in range(ord("A"), ord("Z") + 1)}


def _fold(text: str) -> str:
    """``text`` lower-cased, every offset unchanged."""
    if "\u0130" in text or "\u212a" in text:
        return text.translate(_ASCII_LOWER)
    return text.lower()


class _Body:
    """The body's lines; the same lines blanked and joined with "\\n" (``text``); and that,
    lower-cased (``folded``), for the patterns.

    Blanking replaces characters by spaces, so an offset in ``text`` is a column of a line.
    """

    def __init__(self, body: str, first_line: int) -> None:
        rx = _regexes()
        lines = rx.line_break.split(body) if "\r" in body else body.split("\n")
        text = "\n".join(lines)
        if _needs_masking(text):
            text = "\n".join(_mask(lines))
        self.lines = lines
        self.text = text
        self.folded = _fold(text)
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


_LIST_INITIALS = frozenset("-*+0123456789")


def _needs_masking(text: str) -> bool:
    """Whether ``text`` has any code, comment or indented line: many bodies have none."""
    marks = ("`", "~~~", "<!--", "\n ", "\n\t")
    return any(mark in text for mark in marks) or text.startswith((" ", "\t"))


def _blank(line: str) -> str:
    return " " * len(line)


def _width(text: str) -> int:
    """Columns taken by ``text`` at the start of a line, tabs stopping at multiples of 4."""
    if "\t" not in text:
        return len(text)
    width = 0
    for char in text:
        width += 4 - width % 4 if char == "\t" else 1
    return width


def _fence_opened(line: str) -> str | None:
    """The fence run if ``line`` opens a fenced code block.

    Any indentation counts (fences inside list items are indented), and so do blockquotes:
    it is better to skip a little prose than to read a code block.
    """
    if not line.lstrip(" \t>").startswith(("```", "~~~")):
        return None
    match = _regexes().fence_open.match(line)
    if match is None or (match["fence"][0] == "`" and "`" in match["info"]):
        return None  # "```x``` " is inline code, not a fence
    return match["fence"]


def _fence_closed(line: str, fence: str) -> bool:
    if fence[0] not in line:
        return False
    match = _regexes().fence_close.fullmatch(line)
    return match is not None and match["fence"][0] == fence[0] and len(match["fence"]) >= len(fence)


def _inline_ranges(line: str, pos: int) -> tuple[list[tuple[int, int]], bool]:
    """Inline code spans and HTML comments in ``line`` from ``pos``; and whether a comment is
    left open at the end of the line.

    A code span ends at the next run of as many backticks (CommonMark); a run without a partner
    is literal. Spans are read within one line only. Closing runs are looked up through one
    pointer per run length, so a line full of backticks stays linear.
    """
    if "`" not in line and "<!--" not in line:
        return [], False
    rx = _regexes()
    runs: dict[int, list[int]] = {}
    for run in rx.backticks.finditer(line):
        runs.setdefault(run.end() - run.start(), []).append(run.start())
    next_run = dict.fromkeys(runs, 0)
    ranges: list[tuple[int, int]] = []
    while (token := rx.inline_token.search(line, pos)) is not None:
        start = token.start()
        if token.group() == "<!--":
            end = _comment_end(line, start + 4)
            if end < 0:
                ranges.append((start, len(line)))
                return ranges, True
            ranges.append((start, end))
            pos = end
            continue
        length = token.end() - start
        starts = runs[length]
        index = next_run[length]
        while index < len(starts) and starts[index] < token.end():
            index += 1
        next_run[length] = index
        if index < len(starts):
            pos = starts[index] + length
            ranges.append((start, pos))
        else:
            pos = token.end()
    return ranges, False


def _comment_end(line: str, pos: int) -> int:
    """End offset of an HTML comment whose body starts at ``pos``; -1 if not on this line."""
    if line.startswith(">", pos):  # "<!-->" is a complete (empty) comment
        return pos + 1
    if line.startswith("->", pos):  # so is "<!--->"
        return pos + 2
    end = line.find("-->", pos)
    return end + 3 if end >= 0 else -1


def _blank_ranges(line: str, ranges: list[tuple[int, int]]) -> str:
    if not ranges:
        return line
    pieces = []
    kept = 0
    for start, end in ranges:
        pieces.append(line[kept:start])
        pieces.append(" " * (end - start))
        kept = end
    pieces.append(line[kept:])
    return "".join(pieces)


def _mask(lines: list[str]) -> list[str]:
    """Blank fenced and indented code blocks, inline code and HTML comments, line by line.

    HTML comments may span lines; an unclosed one hides the rest of the body (the author meant
    it hidden). Indented code follows CommonMark's main rule: 4 columns more than the open list
    item's content (if any), after a blank line or a heading, not interrupting a paragraph.
    """
    rx = _regexes()
    out: list[str] = []
    fence: str | None = None
    in_comment = False
    code_indent: int | None = None  # set while inside an indented code block
    list_indent: int | None = None  # content column of the last list item, while a list is open
    after_break = True  # start of body, blank line, heading or block end: code may start
    previous_blank = True
    for line in lines:
        if fence is not None:
            out.append(_blank(line))
            if _fence_closed(line, fence):
                fence = None
                after_break = previous_blank = True
            continue
        if in_comment:
            end = line.find("-->")
            if end < 0:
                out.append(_blank(line))
                continue
            ranges, in_comment = _inline_ranges(line, end + 3)
            out.append(_blank_ranges(line, [(0, end + 3), *ranges]))
            after_break = previous_blank = False
            continue
        stripped = line.lstrip(" \t")
        if not stripped:
            out.append(line)  # blank: nothing to hide, and an indented code block goes on
            after_break = previous_blank = True
            continue
        indent = _width(line[: len(line) - len(stripped)]) if stripped is not line else 0
        if code_indent is not None:
            if indent >= code_indent:
                out.append(_blank(line))
                continue
            code_indent = None
        if after_break and indent >= 4 + (list_indent or 0):
            code_indent = 4 + (list_indent or 0)
            out.append(_blank(line))
            continue
        initial = stripped[0]
        opened = _fence_opened(line) if initial in "`~>" else None
        if opened is not None:
            fence = opened
            out.append(_blank(line))
            continue
        heading = initial == "#" and rx.heading_start.match(line) is not None
        item = rx.list_item.match(line) if initial in _LIST_INITIALS else None
        if item is not None:
            list_indent = _width(line[: item.end()]) if item.end() < len(line) else indent + 2
        elif heading or (previous_blank and indent < 2):
            list_indent = None  # a heading, or a paragraph at the margin, ends the list
        if "`" in line or "<!--" in line:
            ranges, in_comment = _inline_ranges(line, 0)
            line = _blank_ranges(line, ranges)
        out.append(line)
        after_break = heading
        previous_blank = False
    return out


# --- numeric facts -----------------------------------------------------------------------------


def _quantity_fact(
    body: _Body,
    number: re.Match[str],
    stop: int,
    kind: str,
    unit: str | None,
    source: str,
    field: str | None,
) -> Fact | None:
    """A numeric fact from ``number`` to ``stop``; without a unit only for hours."""
    # Only hours may go without a written unit: the "Hours used" field names it.
    implied = unit if unit is not None else ("h" if kind == "hours" else None)
    parsed = _number(number)
    if parsed is None or implied is None or _SCALE[implied][0] != kind:
        return None
    mantissa, exponent, decimals = parsed
    _, power, ratio = _SCALE[implied]
    value = float(f"{mantissa}e{exponent + power}") * ratio
    if not math.isfinite(value):
        return None
    text, span = body.located(number.start("num"), stop)
    return Fact(kind, value, text, unit, decimals, source, field, span)


# --- template lines: "- **Hours used:** 36", "- **Carbon Emitted**: ...", "- CO2 Emissions ..." --


def _template_facts(body: _Body) -> list[Fact]:
    facts: list[Fact] = []
    if ":" not in body.folded:
        return facts  # every field line has its colon; spares compiling the label pattern
    rx = _regexes()
    for match in body.line_starts(rx.label, rx.first_label):
        line_format = _field_line_format(match)
        if line_format is not None:
            fact = _field_fact(body, match, *line_format)
            if fact is not None:
                facts.append(fact)
    return facts


def _field_line_format(match: re.Match[str]) -> tuple[str, int] | None:
    """Which format a label line follows, told by where its bold ends, and where its value
    starts; None if the line is not a field line after all."""
    prefix = _regexes().label_prefix.fullmatch(match["prefix"])
    if prefix is None:
        return None
    opened, close1, close2 = prefix["open"], match["close1"], match["close2"]
    # Unless it closes the label's bold, "**" after the colon is the value's own emphasis.
    value_start = match.start("close2") if close2 is not None else match.start("value")
    label = " ".join(match["label"].split())
    if opened is None:
        if close1 is not None or label not in _PLAIN_LABELS:
            return None
        hint = _hint_unit(match["hint"])
        source = "autotrain" if label == "co2 emissions" and hint == "g" else "free-text"
        return source, value_start
    if close1 == opened:
        return "sentence-transformers", value_start  # "**Carbon Emitted**: ..."
    if close1 is None and close2 is not None and close2.strip(" \t") == opened:
        return "hub-template", match.start("value")  # "**Carbon Emitted:** ..."
    return None


def _hint_unit(hint: str | None) -> str | None:
    if hint is None:
        return None
    match = _regexes().hint.fullmatch(hint)
    return _unit(match["unit"]) if match else None


def _field_fact(body: _Body, match: re.Match[str], source: str, start: int) -> Fact | None:
    field = _FIELD_OF[" ".join(match["label"].split())]
    kind = _FIELDS[field][0]
    end = match.end("value")
    # Blanked comments and code are spaces by now, so this also trims them off the value.
    value = body.text[start:end]
    start += len(value) - len(value.lstrip(" \t"))
    end -= len(value) - len(value.rstrip(" \t"))
    text, span = body.located(start, end)
    cleaned = _clean(text)
    if not cleaned:
        return None
    if _is_placeholder(cleaned):
        return Fact("placeholder", cleaned, text, None, None, source, field, span)
    if kind in ("emissions_g", "energy_kwh", "hours"):
        return _field_quantity(body, start, end, kind, _hint_unit(match["hint"]), source, field)
    return Fact(kind, cleaned, text, None, None, source, field, span)


def _clean(text: str) -> str:
    """A text value without its Markdown: links become their text, emphasis is dropped."""
    if "](" in text:
        text = _regexes().link.sub(r"\1", text)
    return text.strip(" \t*_")


def _is_placeholder(cleaned: str) -> bool:
    """"[More Information Needed]", "TBD", "N/A", "(Forthcoming.)", "{{ hours_used }}"..."""
    return _regexes().placeholder.fullmatch(_fold(cleaned).strip(" \t()*_")) is not None


def _field_quantity(
    body: _Body, start: int, end: int, kind: str, hint: str | None, source: str, field: str
) -> Fact | None:
    """The first number of a field's value, with its unit, or the label's unit hint.

    A number with neither is only accepted for hours (the field's name is the unit).
    """
    rx = _regexes()
    folded = body.folded
    number = rx.num.search(folded, start, end)
    if number is None:
        return None
    if kind == "emissions_g":
        after, group = rx.mass_after, "mass"
    elif kind == "energy_kwh":
        after, group = rx.energy_after, "energy"
    else:
        after, group = rx.time_after, "time"
    unit_match = after.match(folded, number.end(), end)
    if unit_match is not None:
        stop = unit_match.end()
        if kind == "emissions_g":
            marker = rx.marker.match(folded, stop, end)
            stop = marker.end() if marker else stop
        if rx.rate.match(folded, stop, end):
            return None
        return _quantity_fact(body, number, stop, kind, _unit(unit_match[group]), source, field)
    if rx.wordy_tail.match(folded, number.end(), end):
        return None
    if hint is not None and _SCALE[hint][0] == kind:
        return _quantity_fact(body, number, number.end(), kind, hint, source, field)
    return _quantity_fact(body, number, number.end(), kind, None, source, field)


# --- free text ---------------------------------------------------------------------------------

_CUE_WINDOW = 80


def _free_text_facts(body: _Body) -> list[Fact]:
    folded = body.folded
    # Every free-text fact starts with a number; and a pattern is compiled only for a text that
    # holds the words it cannot match without (compiling them all costs ~10 ms a process).
    if not any(digit in folded for digit in "0123456789"):
        return []
    rx = _regexes()
    facts = _free_quantities(body)
    hours = rx.hours.finditer(folded) if "train" in folded or "tun" in folded else ()
    for match in hours:
        if not rx.rate.match(folded, match.end()):
            fact = _quantity_fact(body, match, match.end(), "hours", _unit(match["time"]),
                                  "free-text", None)
            if fact is not None:
                facts.append(fact)
    counted = [(match.start(), match.end()) for match in rx.hardware.finditer(folded)]
    ends = [end for _, end in counted]
    slices = []
    for match in rx.tpu_slice.finditer(folded) if "tpu" in folded else ():
        # "16 TPU v3-8 slices" is already a counted match; a slice inside it is not another.
        index = bisect_right(ends, match.start())
        if index == len(counted) or counted[index][0] >= match.end():
            slices.append((match.start(), match.end()))
    for start, end in counted + slices:
        text, span = body.located(start, end)
        facts.append(Fact("hardware", text, text, None, None, "free-text", None, span))
    return facts


def _free_quantities(body: _Body) -> list[Fact]:
    """Energy ("433 MWh") and emissions: "5.6 KgCO2", "25 tCO2eq", "1.2 kg of CO2"; a bare
    "24.7 tonnes" only after a cue word.

    "g" and "t" need the CO2 marker whatever the context: "8 g" or "5 t" are too easily
    something else. Intensities and rates ("0.4 kgCO2/kWh", "... per year") are not amounts.
    """
    rx = _regexes()
    folded = body.folded
    facts = []
    cues: _CueIndex | None = None
    for match in rx.quantity.finditer(folded):
        stop = match.end()
        if match["energy"] is not None:
            kind, unit = "energy_kwh", match["energy"]
        else:
            kind, unit = "emissions_g", match["mass"]
            marker = rx.marker.match(folded, stop)
            if marker is not None:
                stop = marker.end()
            elif unit in ("g", "t"):
                continue
            else:
                cues = cues or _CueIndex(body)
                if not cues.before(match.start()):
                    continue
        if rx.rate.match(folded, stop):
            continue
        fact = _quantity_fact(body, match, stop, kind, _unit(unit), "free-text", None)
        if fact is not None:
            facts.append(fact)
    return facts


class _CueIndex:
    """Where the cue words and sentence ends are, found in one pass over the body.

    Searching a window before every bare "kg" would cost a regex search per candidate; with
    the positions sorted, each question is two bisections.
    """

    def __init__(self, body: _Body) -> None:
        rx = _regexes()
        self.folded = body.folded
        self.cues = [match.start() for match in rx.cue.finditer(body.folded)]
        self.sentence_ends = [match.end() for match in rx.sentence_end.finditer(body.text)]

    def before(self, start: int) -> bool:
        """Whether a cue word comes shortly before ``start``, in the same line and sentence."""
        index = bisect_left(self.cues, start) - 1
        if index < 0 or self.cues[index] < start - _CUE_WINDOW:
            return False
        cue = self.cues[index]
        end = bisect_right(self.sentence_ends, start) - 1
        if end >= 0 and self.sentence_ends[end] > cue:
            return False
        return "\n" not in self.folded[cue:start]


# --- the environmental section -----------------------------------------------------------------


def _environmental_heading(body: _Body) -> Span | None:
    """The first ATX heading about environmental impact, carbon or emissions."""
    rx = _regexes()
    for match in body.line_starts(rx.heading, rx.first_heading):
        title = match["title"]
        if title and rx.environmental.search(title):
            heading = match.group()
            start = match.start() + len(heading) - len(heading.lstrip("\n "))
            end = match.end() - (len(heading) - len(heading.rstrip(" \t")))
            return body.located(start, end)[1]
    return None


def extract(body: str, first_line: int = 1) -> ProseFacts:
    """The emissions facts stated in a card's Markdown ``body``.

    ``first_line`` is the file line of the body's first line, so that spans are file positions.
    Columns count characters (not bytes) from 1. Lines end at ``\\n``, ``\\r\\n`` or ``\\r``.
    """
    parsed = _Body(body, first_line)
    fields = _template_facts(parsed)
    # A field's value read again as free text ("8 x A100", "0.034 kWh") is the same statement;
    # other figures on a field line ("36 hours on 8 A100s") are statements of their own.
    taken: dict[int, list[Span]] = {}
    for fact in fields:
        taken.setdefault(fact.span.line, []).append(fact.span)
    free = [
        fact
        for fact in _free_text_facts(parsed)
        if not any(_overlap(fact.span, span) for span in taken.get(fact.span.line, ()))
    ]
    facts = sorted(fields + free, key=lambda fact: (fact.span.line, fact.span.column, fact.kind))
    return ProseFacts(tuple(facts), _environmental_heading(parsed))


def _overlap(a: Span, b: Span) -> bool:
    """Whether two spans on the same line share a character."""
    return a.column < b.end_column and b.column < a.end_column
