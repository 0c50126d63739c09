"""The reader: every fact of a body, structured lines first, and its environmental section."""

from __future__ import annotations

import re
from bisect import bisect_right

from carbonlint.findings import Span
from carbonlint.prose.body import Body
from carbonlint.prose.fields import template_facts
from carbonlint.prose.free_text import free_text_facts
from carbonlint.prose.model import Fact, ProseFacts
from carbonlint.prose.patterns import regexes
from carbonlint.prose.statements import no_training_facts, places_after_figures, training_type_facts
from carbonlint.prose.scope import about_base_only, heading_tags
from carbonlint.prose.subjects import subject_blocks
from carbonlint.prose.tables import table_facts


def _environmental_section(body: Body, headings: list[re.Match[str]]) -> tuple[Span, int] | None:
    """The first ATX heading about environmental impact, carbon or emissions, and the file
    line where its section ends (the next heading of the same or a higher level; exclusive)."""
    rx = regexes()
    found: tuple[Span, int] | None = None
    end_line = body.first_line + len(body.lines)
    for match in headings:
        heading = match.group()
        level = len(heading.lstrip("\n ")) - len(heading.lstrip("\n ").lstrip("#"))
        if found is not None:
            if level <= found[1]:
                start = match.start() + len(heading) - len(heading.lstrip("\n "))
                end_line = body.located(start, start)[1].line
                break
            continue
        title = match["title"]
        if title and rx.environmental.search(title):
            start = match.start() + len(heading) - len(heading.lstrip("\n "))
            end = match.end() - (len(heading) - len(heading.rstrip(" \t")))
            found = (body.located(start, end)[1], level)
    if found is None:
        return None
    return found[0], end_line


def extract(body: str | Body, first_line: int = 1) -> ProseFacts:
    """The emissions facts stated in a card's Markdown ``body`` (its text, or a :class:`Body`
    made of it, which other readers of the same card may share).

    ``first_line`` is the file line of the body's first line, so that spans are file positions.
    Columns count characters (not bytes) from 1. Lines end at ``\\n``, ``\\r\\n`` or ``\\r``.
    """
    parsed = body if isinstance(body, Body) else Body(body, first_line)
    fields = template_facts(parsed)
    # A field's value read again as free text ("8 x A100", "0.034 kWh") is the same statement;
    # other figures on a field line ("36 hours on 8 A100s") are statements of their own.
    taken: dict[int, list[Span]] = {}
    for fact in fields:
        taken.setdefault(fact.span.line, []).append(fact.span)
    free = [
        fact
        for fact in free_text_facts(parsed)
        if not any(_overlap(fact.span, span) for span in taken.get(fact.span.line, ()))
    ]
    figures = [fact for fact in fields + free if fact.kind == "emissions_g"]
    said = training_type_facts(parsed) + no_training_facts(parsed)
    said += places_after_figures(parsed, figures)
    rx = regexes()
    # The headings, found once: the environmental section and the inference sections need them.
    headings = parsed.line_starts(rx.heading, rx.first_heading) if "#" in parsed.text else []
    facts = _under_headings(parsed, fields + free + said, headings)
    facts.sort(key=lambda fact: (fact.span.line, fact.span.column, fact.kind))
    tables = table_facts(parsed)
    subjects = subject_blocks(parsed)
    section = _environmental_section(parsed, headings)
    if section is None:
        return ProseFacts(tuple(facts), None, tuple(tables), subjects)
    heading, end_line = section
    # "Note that these details are just for training DistilBERT, not including the fine-tuning":
    # the section's figures are the base model's.
    start = parsed.starts[heading.line - parsed.first_line]
    stop = (parsed.starts[end_line - parsed.first_line]
            if end_line - parsed.first_line < len(parsed.starts) else len(parsed.text))
    tags = frozenset({"environmental", "base"}) if about_base_only(parsed.folded[start:stop]) \
        else frozenset({"environmental"})
    return ProseFacts(_in_section(facts, heading.line, end_line, tags), heading,
                      _in_section(tables, heading.line, end_line, tags), subjects)


def _under_headings(body: Body, facts: list[Fact], matches: list[re.Match[str]]) -> list[Fact]:
    """The facts, hardware and hours under an inference or requirements heading tagged so:
    "### Deploying Requirements" then "- **GPU**: NVIDIA V100 or A100" is not the training
    run's hardware."""
    if not matches or not any(fact.kind in ("hardware", "hours") for fact in facts):
        return facts
    headings = []
    for match in matches:
        start = match.start() + len(match.group()) - len(match.group().lstrip("\n "))
        headings.append((body.located(start, start)[1].line, heading_tags(match["title"] or "")))
    if not any(tags for _, tags in headings):
        return facts
    lines = [line for line, _ in headings]
    tagged = []
    for fact in facts:
        index = bisect_right(lines, fact.span.line) - 1
        tags = headings[index][1] if index >= 0 and fact.kind in ("hardware", "hours") else None
        tagged.append(fact._replace(scope=fact.scope | tags) if tags else fact)
    return tagged


def _in_section(facts: list[Fact], first: int, end: int,
                tags: frozenset[str] = frozenset({"environmental"})) -> tuple[Fact, ...]:
    """The facts, those of the environmental section (lines ``first`` to ``end``) tagged so
    (and ``base`` when the section says its figures leave the fine-tuning out)."""
    return tuple(
        fact._replace(scope=fact.scope | tags) if first < fact.span.line < end
        else fact
        for fact in facts
    )


def _overlap(a: Span, b: Span) -> bool:
    """Whether two spans on the same line share a character."""
    return a.column < b.end_column and b.column < a.end_column
