"""Emissions figures in tables: Markdown (``| Llama 3 8B | 1.3M | 700 | 390 |``) and HTML
(``<tr><td>Llama 3 8B</td>...<td>390</td></tr>``).

A column is an emissions column when its header names carbon, CO2, emissions or greenhouse
gases and gives a mass unit ("Carbon Emitted (tCO2eq)", "Training Location-Based Greenhouse Gas
Emissions (tons CO2eq)"); a header without a unit gives nothing (the number alone cannot be
converted). Each numeric cell of such a column becomes a fact: ``source`` is ``"table"``,
``field`` the row's label (its first cell: "Llama 3 8B", "Total"), and ``scope`` says ``table``,
``total`` for a total row, and ``market`` or ``location`` as the header does. Which row is the
card's own model is for :mod:`carbonlint.stated` to decide.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Iterator

from carbonlint.prose.body import Body
from carbonlint.prose.model import Fact
from carbonlint.prose.patterns import regexes
from carbonlint.prose.units import SCALE, normalised_unit, parsed_number
from carbonlint.record import Record

_TAG = re.compile(r"<[^<>\n]{0,200}>")
_EMISSIONS_HEADER = re.compile(r"carbon|co2|emission|greenhouse|ghg|footprint")
# "(tCO2eq)", "(tons CO2eq)", "(metric tons CO2eq)", "(kg CO2)", "(in grams)", "tCO2eq".
_HEADER_UNIT = re.compile(
    r"(?<![a-z])(?P<unit>metric\s+tonnes?|metric\s+tons?|tonnes?|tons?|t|kilograms?|kg|grams?|g"
    r"|lbs?|pounds?)\s*(?:of\s+)?(?=co2|\)|$)"
)
# "Carbon Intensity (kg CO2e/KWh)", "g CO2 per kWh": a rate, not an amount.
_RATE_HEADER = re.compile(r"intensity|/|\bper\b|\bfactor\b")
_TOTAL_ROW = re.compile(r"(?:total|sum|overall|all\s+models|aggregate)\b")
_SEPARATOR = re.compile(r"[ \t]*\|?[ \t]*:?-{2,}:?[ \t]*(?:\|[ \t]*:?-{2,}:?[ \t]*)*\|?[ \t]*")
# Markup a number cell may wear: "**390**", "~12.9", "≈ 12.9".
_CELL_MARKUP = " \t*_~\u2248"


class _Cell(Record):
    start: int  # offsets in body.text
    end: int


@cache
def _html_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    table = re.compile(r"<table\b.*?(?:</table>|\Z)", re.S)
    row = re.compile(r"<tr\b[^>]*>(.*?)(?=<tr\b|</table>|\Z)", re.S)
    cell = re.compile(r"<t[dh]\b[^>]*>(.*?)(?=<t[dh]\b|</tr>|\Z)", re.S)
    return table, row, cell


def table_facts(body: Body) -> list[Fact]:
    """Every emissions figure of every table in the body."""
    folded = body.folded
    facts: list[Fact] = []
    if "|" in folded and "--" in folded:
        for rows in _markdown_tables(body):
            facts += _facts_of(body, rows)
    if "<td" in folded or "<th" in folded:
        for rows in _html_tables(body):
            facts += _facts_of(body, rows)
    return facts


def _markdown_tables(body: Body) -> Iterator[list[list[_Cell]]]:
    lines = body.text.split("\n")
    starts = body.starts
    index = 1
    while index < len(lines):
        line = lines[index]
        # A separator row holds only "|", ":", "-" and blanks: tested with str methods first.
        if "-" in line and "|" in line and not line.strip(" \t|:-") and "|" in lines[index - 1] \
                and _SEPARATOR.fullmatch(line):
            rows = [_markdown_cells(lines[index - 1], starts[index - 1])]
            index += 1
            while index < len(lines) and "|" in lines[index] and lines[index].strip():
                rows.append(_markdown_cells(lines[index], starts[index]))
                index += 1
            yield rows
        index += 1


def _markdown_cells(line: str, offset: int) -> list[_Cell]:
    stripped = line.strip()
    first = line.index(stripped[0]) if stripped else 0
    begin = first + 1 if stripped.startswith("|") else first
    last = first + len(stripped)
    finish = last - 1 if stripped.endswith("|") and last - 1 >= begin else last
    cells = []
    position = begin
    # "\|" is a pipe inside a cell, not a border.
    for match in re.finditer(r"(?<!\\)\|", line[begin:finish]):
        cells.append(_Cell(offset + position, offset + begin + match.start()))
        position = begin + match.end()
    cells.append(_Cell(offset + position, offset + finish))
    return cells


def _html_tables(body: Body) -> Iterator[list[list[_Cell]]]:
    table, row, cell = _html_patterns()
    folded = body.folded
    for found in table.finditer(folded):
        rows = []
        for row_match in row.finditer(folded, found.start(), found.end()):
            rows.append([_Cell(c.start(1), c.end(1))
                         for c in cell.finditer(folded, row_match.start(1), row_match.end(1))])
        if rows:
            yield rows


def _plain(body: Body, cell: _Cell) -> str:
    """A cell's text without tags, markup or surrounding blanks, lower case."""
    text = _TAG.sub(" ", body.folded[cell.start : cell.end])
    text = text.replace("co\u2082", "co2").replace("\\", "")
    return " ".join(text.replace("*", " ").replace("_", " ").split())


def _header_unit(header: str) -> str | None:
    if not _EMISSIONS_HEADER.search(header.replace(" ", "")) or _RATE_HEADER.search(header):
        return None
    # "tCO<sub>2</sub>eq" reads "tco 2 eq" once the tags are gone.
    compact = re.sub(r"co\s*2", "co2", header)
    match = None
    for match in _HEADER_UNIT.finditer(compact):
        pass  # the last unit of the header is the column's ("Emissions (tons CO2eq)")
    if match is None:
        return None
    unit = normalised_unit(match["unit"])
    return unit if unit is not None and SCALE[unit][0] == "emissions_g" else None


def _facts_of(body: Body, rows: list[list[_Cell]]) -> list[Fact]:
    header_index = None
    columns: dict[int, tuple[str, frozenset[str]]] = {}
    for index, row in enumerate(rows[:3]):  # the header is the first row, or just under a title
        for column, cell in enumerate(row):
            header = _plain(body, cell)
            unit = _header_unit(header)
            if unit is not None and column > 0:
                basis = {tag for tag in ("market", "location") if f"{tag}-based" in header
                         or f"{tag} based" in header}
                columns[column] = (unit, frozenset(basis))
        if columns:
            header_index = index
            break
    if header_index is None:
        return []
    facts = []
    for row in rows[header_index + 1 :]:
        if len(row) < 2:
            continue
        label = _plain(body, row[0])
        raw_label = " ".join(_TAG.sub(" ", body.text[row[0].start : row[0].end])
                             .replace("*", " ").split())
        if not label:
            continue
        tags = {"table"} | ({"total"} if _TOTAL_ROW.match(label) else set())
        for column, (unit, basis) in columns.items():
            if column < len(row):
                fact = _cell_fact(body, row[column], unit, raw_label, frozenset(tags | basis))
                if fact is not None:
                    facts.append(fact)
    return facts


def _cell_fact(body: Body, cell: _Cell, unit: str, label: str, tags: frozenset[str]) -> Fact | None:
    """The cell's figure, when the cell holds one number and nothing else (markup aside)."""
    folded = body.folded
    text = _TAG.sub(lambda m: " " * len(m.group()), folded[cell.start : cell.end])
    content = text.strip(_CELL_MARKUP + "\n")
    if not content or not content[0].isdigit():
        return None
    at = cell.start + text.index(content)
    number = regexes().num.match(folded, at)
    if number is None or text[number.end() - cell.start :].strip(_CELL_MARKUP + "\n"):
        return None
    if "\n" in folded[number.start() : number.end()]:
        return None
    parsed = parsed_number(number)
    if parsed is None:
        return None
    mantissa, exponent, decimals = parsed
    _, power, ratio = SCALE[unit]
    value = float(f"{mantissa}e{exponent + power}") * ratio
    written, span = body.located(number.start(), number.end())
    return Fact("emissions_g", value, written, unit, decimals, "table", label, span, tags)
