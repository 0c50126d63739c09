r"""The regular expressions of the prose reader, compiled on first use.

They all run on lower-cased text, so they are written in lower case and need no IGNORECASE
(which would stop the engine from skipping ahead to a literal). ASCII: \w and \b stay ASCII.
"""

from __future__ import annotations

import re
from functools import cache, cached_property
from typing import Iterable

from carbonlint.prose.vocabulary import FIELD_OF

# Not preceded by a word character, a sign, a separator, a dash or "digit + space": that keeps
# versions (v1.2), ranges (2-3, 10–12), ratios (1/2), model names (A100) and the tail of a number
# out, and makes every run of digits a candidate at most once.
# Thousands separators: "," or a space (also NBSP, narrow NBSP, thin space) before exactly three
# digits. A "." is always the decimal point; "12,5" (decimal comma) is not read at all.
# The lookbehinds come after the first digit so that the pattern starts with [0-9]. The integer
# part is matched inside a lookahead and taken by backreference, which makes it atomic: a long
# run of digits is never backtracked into.
NUM = (
    r"(?P<num>[0-9](?<![\w.,+/\u2212\u2013\u2014-][0-9])(?<![0-9][ \u00a0\u202f\u2009][0-9])"
    r"(?=(?P<rest>[0-9]{0,2}(?:,[0-9]{3})+(?![0-9])"
    r"|[0-9]{0,2}(?:[ \u00a0\u202f\u2009][0-9]{3})+(?![0-9])"
    r"|[0-9]*))(?P=rest))"
    r"(?:\.(?P<frac>[0-9]+))?"
    r"(?:e(?P<exp>[-+]?[0-9]{1,2}))?"
)
GAP = r"[ \t\u00a0\u202f]{0,2}"
# A mass unit ends at a non-word character, or runs straight into "CO2" ("kgCO2", "tCO2eq").
MASS_UNIT = (
    r"(?P<mass>kilogram(?:me)?s?|kgs?|metric[ \t]+ton(?:ne)?s?|ton(?:ne)?s?|t"
    r"|gram(?:me)?s?|g|lbs?|pounds?)(?=co2|co\u2082|\W|$)"
)
ENERGY_UNIT = r"(?P<energy>[kmgt]?wh|(?:kilo|mega|giga|tera)?watt[ \t-]?hours?)(?!\w)"
TIME_UNIT = r"(?P<time>hours?|hrs?|h|minutes?|mins?|days?|weeks?|wks?)(?!\w)"
# Every label starts a line, so the pattern starts with the line break (a literal the engine
# can search for); the first line of the body is matched separately, without it. What comes
# before the label (indent, list marker, bold) is taken as one run of characters and checked
# afterwards against _LABEL_PREFIX: optional groups tried on every line cost more.
_LABEL = (
    r"(?P<prefix>[ \t*+_0-9.)-]*)(?P<label>{labels})"
    r"(?:[ \t]*\((?P<hint>[^()\n]{0,120})\))?(?:[ \t]*(?P<close1>\*\*|__))?[ \t]*:"
    r"(?P<close2>[ \t]*(?:\*\*|__))?(?P<value>[^\n]*)"
)
_LABEL_PREFIX = r"[ \t]*(?:(?:[-*+]|[0-9]{1,3}[.)])[ \t]+)?(?:(?P<open>\*\*|__)[ \t]*)?"
_HEADING = r" {0,3}#{1,6}(?:[ \t]+(?P<title>[^\n]*))?(?=\n|$)"


class _Regexes:
    """Every compiled pattern, each compiled the first time a card needs it: compiling them all
    costs ~12 ms, and most cards need only some (a card without digits, no quantity pattern)."""

    @cached_property
    def labels(self) -> str:
        return _alternation(FIELD_OF)

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
        return _compile(NUM)

    @cached_property
    def quantity(self) -> re.Pattern[str]:
        # Mass and energy in one pass: both start with a number.
        # "**11,390** tons CO2eq": the number's bold may close before its unit.
        return _compile(NUM + r"(?:\*\*|__)?" + GAP + f"(?:{MASS_UNIT}|{ENERGY_UNIT})")

    @cached_property
    def mass_after(self) -> re.Pattern[str]:
        return _compile(GAP + MASS_UNIT)

    @cached_property
    def energy_after(self) -> re.Pattern[str]:
        return _compile(GAP + ENERGY_UNIT)

    @cached_property
    def time_after(self) -> re.Pattern[str]:
        # In the "Hours used" field, "1000 GPU hours" is still the hours the author means.
        return _compile(GAP + r"(?:(?:gpu|tpu)[ \t-]?)?" + TIME_UNIT)

    @cached_property
    def marker(self) -> re.Pattern[str]:
        # "CO2", "CO2eq", "CO2-eq", "CO₂e", "of CO2 equivalent", "carbon dioxide", "carbon".
        return _compile(
                r"(?:\*\*|__)?[ \t\u00a0]{0,2}(?:of[ \t]+)?(?:co2|co\u2082|carbon[ \t]+dioxide|carbon)"
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
                r"|not[ \t]+(?:yet[ \t]+)?(?:specified|available|known|reported|measured|recorded"
                r"|tracked|calculated|estimated)(?:[ \t]+yet)?"
                r"|to[ \t]+be[ \t]+(?:determined|added)|coming[ \t]+soon"
                # "(Forthcoming upon completion of training.)"
                r"|forthcoming(?:[ \t]+(?:upon|after|once|when)[ \t]+[a-z][a-z \t]{0,60})?"
                r"|nan|none|null|\?+|-+|\u2014|\.\.\.|\u2026|\{\{.*\}\})\.?"
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
                + NUM + GAP + TIME_UNIT
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
def regexes() -> _Regexes:
    return _Regexes()
