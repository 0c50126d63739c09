"""The reader: every fact of a body, structured lines first, and its environmental section."""

from __future__ import annotations

from carbonlint.findings import Span
from carbonlint.prose.body import Body
from carbonlint.prose.fields import template_facts
from carbonlint.prose.free_text import free_text_facts
from carbonlint.prose.model import ProseFacts
from carbonlint.prose.patterns import regexes
from carbonlint.prose.statements import no_training_facts, places_after_figures, training_type_facts


def _environmental_heading(body: Body) -> Span | None:
    """The first ATX heading about environmental impact, carbon or emissions."""
    rx = regexes()
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
    parsed = Body(body, first_line)
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
    facts = sorted(fields + free + said,
                   key=lambda fact: (fact.span.line, fact.span.column, fact.kind))
    return ProseFacts(tuple(facts), _environmental_heading(parsed))


def _overlap(a: Span, b: Span) -> bool:
    """Whether two spans on the same line share a character."""
    return a.column < b.end_column and b.column < a.end_column
