"""Structured lines: "- **Hours used:** 36", "- **Carbon Emitted**: ...", "- CO2 Emissions ..."."""

from __future__ import annotations

import re

from carbonlint.prose.body import Body, fold
from carbonlint.prose.model import Fact
from carbonlint.prose.patterns import regexes
from carbonlint.prose.units import SCALE, normalised_unit, quantity_fact
from carbonlint.prose.vocabulary import FIELD_OF, FIELDS, PLAIN_LABELS


# The value of the placeholder fact of a field left empty (its text is ""): every fact has a
# value to name it by; messages that quote the text say "empty" instead.
EMPTY_FIELD = "(empty)"


def template_facts(body: Body) -> list[Fact]:
    facts: list[Fact] = []
    if ":" not in body.folded:
        return facts  # every field line has its colon; spares compiling the label pattern
    rx = regexes()
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
    prefix = regexes().label_prefix.fullmatch(match["prefix"])
    if prefix is None:
        return None
    opened, close1, close2 = prefix["open"], match["close1"], match["close2"]
    # Unless it closes the label's bold, "**" after the colon is the value's own emphasis.
    value_start = match.start("close2") if close2 is not None else match.start("value")
    label = " ".join(match["label"].split())
    if opened is None:
        if close1 is not None or label not in PLAIN_LABELS:
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
    match = regexes().hint.fullmatch(hint)
    return normalised_unit(match["unit"]) if match else None


def _field_fact(body: Body, match: re.Match[str], source: str, start: int) -> Fact | None:
    fact = _field_value(body, match, source, start)
    if fact is None:
        return None
    # Quoted as the card writes it: "GPU: 8 NVIDIA A100", not the canonical "GPU Model: ...".
    written, _ = body.located(match.start("label"), match.end("label"))
    return fact._replace(label=" ".join(written.split()))


def _field_value(body: Body, match: re.Match[str], source: str, start: int) -> Fact | None:
    field = FIELD_OF[" ".join(match["label"].split())]
    kind = FIELDS[field][0]
    end = match.end("value")
    # Blanked comments and code are spaces by now, so this also trims them off the value.
    value = body.text[start:end]
    if not value.strip(" \t"):
        # The template's own lists leave a field empty ("- **Hardware Type:**") as often as
        # they leave its placeholder: the same unfilled field. A value hidden in code or a
        # comment is not empty, and a plain "Region:" with nothing after it is more likely a
        # heading-like line than a field.
        written, span = body.located(start, end)
        if source in ("hub-template", "sentence-transformers") and not written.strip(" \t"):
            if _introduces_list(body, span.line):
                return None  # "**Hardware:**" above "- CPU training: ...": a heading, not a field
            return Fact("placeholder", EMPTY_FIELD, "", None, None, source, field,
                        body.located(end, end)[1])
        return None
    start += len(value) - len(value.lstrip(" \t"))
    end -= len(value) - len(value.rstrip(" \t"))
    # The template's long hint after the bold: "**Carbon Emitted:** (Power consumption x Time x
    # Carbon produced based on location of power grid): Unknown". The value is after it.
    hint = _LEADING_HINT.match(body.text, start, end)
    if hint is not None and hint.end() < end:
        start = hint.end()
    text, span = body.located(start, end)
    cleaned = _clean(text)
    if not cleaned:
        return None
    if is_placeholder(cleaned):
        return Fact("placeholder", cleaned, text, None, None, source, field, span)
    if kind in ("emissions_g", "energy_kwh", "hours"):
        return _field_quantity(body, start, end, kind, _hint_unit(match["hint"]), source, field)
    return Fact(kind, cleaned, text, None, None, source, field, span)


_LEADING_HINT = re.compile(r"\([^()\n]{0,160}\)[ \t]*:[ \t]*")


def _introduces_list(body: Body, line: int) -> bool:
    """Whether the label on file ``line`` heads the list that follows it: the next non-blank
    line is a list item, and the label is no item of that same list (it is a line of its own,
    or an item whose sub-list is more indented). The template's empty fields are items among
    items of one list ("- **Hardware Type:**" then "- **Hours used:** 36")."""
    index = line - body.first_line
    label = body.lines[index]
    label_indent = len(label) - len(label.lstrip(" \t"))
    label_is_item = label.lstrip(" \t")[:2] in ("- ", "* ", "+ ")
    for following in body.lines[index + 1 : index + 4]:
        stripped = following.lstrip(" \t")
        if not stripped:
            continue
        if stripped[:2] not in ("- ", "* ", "+ ") and not stripped[:1].isdigit():
            return False
        if not label_is_item:
            return True
        return len(following) - len(stripped) > label_indent
    return False


def _clean(text: str) -> str:
    """A text value without its Markdown: links become their text, emphasis is dropped."""
    if "](" in text:
        text = regexes().link.sub(r"\1", text)
    return text.strip(" \t*_")


def is_placeholder(cleaned: str) -> bool:
    """"[More Information Needed]", "TBD", "N/A", "(Forthcoming.)", "{{ hours_used }}"..."""
    return regexes().placeholder.fullmatch(fold(cleaned).strip(" \t()*_")) is not None


def _field_quantity(
    body: Body, start: int, end: int, kind: str, hint: str | None, source: str, field: str
) -> Fact | None:
    """The first number of a field's value, with its unit, or the label's unit hint.

    A number with neither is only accepted for hours (the field's name is the unit).
    """
    rx = regexes()
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
    if unit_match is None and kind == "emissions_g":
        # "Carbon Emitted: 0.5 kWh": an energy under an emissions label is kept as what it is,
        # an energy (its field says where it was written), for a rule to point out.
        energy = rx.energy_after.match(folded, number.end(), end)
        if energy is not None and not rx.rate.match(folded, energy.end(), end):
            return quantity_fact(body, number, energy.end(), "energy_kwh",
                                 normalised_unit(energy["energy"]), source, field)
    if unit_match is not None:
        stop = unit_match.end()
        if kind == "emissions_g":
            marker = rx.marker.match(folded, stop, end)
            stop = marker.end() if marker else stop
        if rx.rate.match(folded, stop, end):
            return None
        return quantity_fact(body, number, stop, kind, normalised_unit(unit_match[group]), source, field)
    if rx.wordy_tail.match(folded, number.end(), end):
        return None
    if hint is not None and SCALE[hint][0] == kind:
        return quantity_fact(body, number, number.end(), kind, hint, source, field)
    return quantity_fact(body, number, number.end(), kind, None, source, field)

