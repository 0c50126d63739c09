"""``--format markdown``: a summary for ``$GITHUB_STEP_SUMMARY`` or a pull-request comment.

A table with one row per card (path, reporting class, emissions, efficiency label, counts), the
worst findings (errors first), and a legend of the reporting classes. Paths are relative to the
repository root (``$GITHUB_WORKSPACE``, else the working directory), as in the annotations.

Two constraints shape it:

* GitHub refuses a step summary over 1 MiB. Rows and findings are therefore kept within fixed
  byte budgets (and each cell within a length), whatever the number of cards; when rows must go,
  the most interesting ones stay (unreadable cards and errors first) and a line says how many
  were left out. Only what can be shown is kept in memory.
* Everything a card controls (its path, messages, even the efficiency label) is escaped so that it
  renders as the literal text: no HTML (``<img onerror>``), no links or images, no table cells
  broken by ``|`` or a newline, no code spans, no math, no @mentions in a PR comment, and no
  address GitHub would link by itself (``https://``, ``www.``, e-mail): see
  :func:`carbonlint.formatters.inert.markdown`.
"""

from __future__ import annotations

import heapq
import itertools
import math
import re
from dataclasses import dataclass
from typing import TextIO

from carbonlint.findings import CardReport, Severity
from carbonlint.formatters import Summary, inert
from carbonlint.formatters.github import repo_relative, repo_root

CLASSES = ("unknown", "context", "basic", "awareness", "optimization", "certified")
CLASS_MEANING = {
    "unknown": "neither emissions nor hardware",
    "context": "hardware, no emissions",
    "basic": "emissions, no hardware",
    "awareness": "emissions and hardware",
    "optimization": "awareness, and tagged as energy-optimised",
    "certified": "optimization, and a certification tag",
}

MAX_ROWS = 1000
MAX_FINDINGS = 50
ROWS_BUDGET = 600_000  # bytes of table rows
FINDINGS_BUDGET = 200_000  # bytes of the findings list; header and legend are a few hundred more
PATH_CHARS = 160
MESSAGE_CHARS = 400
LABEL_CHARS = 20



def escape(text: str, limit: int) -> str:
    """Card-controlled ``text`` as inline Markdown that renders as exactly that text."""
    return inert.markdown(text, limit)


def _grams(value: float | None) -> str:
    if value is None or not math.isfinite(value):
        return "—"
    if value == 0:
        return "0"
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 1:
        return f"{value:,.2f}"
    return f"{value:.3g}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


@dataclass(order=True)
class _Ranked:
    """A heap entry: ``rank`` decides what is kept (higher is more interesting)."""

    rank: tuple[int, ...]
    text: str
    size: int


def _row(card: CardReport, path: str) -> str:
    if card.error is not None:
        label = "**could not be read**"
        efficiency = "—"
    else:
        label = card.reporting_class if card.reporting_class in CLASSES else escape(
            card.reporting_class, LABEL_CHARS)
        raw = (card.efficiency or {}).get("label")
        efficiency = escape(str(raw), LABEL_CHARS) if raw not in (None, "") else "—"
    emissions = _grams(card.emissions_g)
    if card.emissions_g is None and card.emissions_stated == "text":
        emissions = "in the text only"  # the class stays on the metadata; this is beside it
    cells = [escape(path, PATH_CHARS), label, emissions, efficiency,
             str(card.count(Severity.ERROR)), str(card.count(Severity.WARNING)),
             str(card.count(Severity.INFO))]
    return "| " + " | ".join(cells) + " |\n"


class MarkdownReporter:
    def __init__(self, stream: TextIO, *, color: bool = False) -> None:
        self.stream = stream
        self.order = itertools.count()
        self.rows: list[_Ranked] = []  # a min-heap: the least interesting row is dropped first
        self.rows_size = 0
        self.rows_dropped = 0
        self.findings: list[_Ranked] = []
        self.findings_size = 0
        self.findings_dropped = 0
        self.lowest: str | None = None
        self.root = repo_root()

    @staticmethod
    def _keep(heap: list[_Ranked], entry: _Ranked, size: int, *, count: int, budget: int) -> tuple[int, int]:
        """Push ``entry``; drop the lowest-ranked entries beyond ``count`` or ``budget`` bytes.

        Returns the new total size and how many entries were dropped.
        """
        heapq.heappush(heap, entry)
        size += entry.size
        dropped = 0
        while len(heap) > count or size > budget:
            size -= heapq.heappop(heap).size
            dropped += 1
        return size, dropped

    def report(self, card: CardReport) -> None:
        sequence = next(self.order)
        if card.error is None and card.reporting_class in CLASSES:
            if self.lowest is None or CLASSES.index(card.reporting_class) < CLASSES.index(self.lowest):
                self.lowest = card.reporting_class
        shown_path = repo_relative(card.path, self.root)
        row = _row(card, shown_path)
        rank = (card.error is not None, card.count(Severity.ERROR), card.count(Severity.WARNING),
                card.count(Severity.INFO), -sequence)
        self.rows_size, dropped = self._keep(
            self.rows, _Ranked(rank, f"{sequence:012d}{row}", len(row.encode())), self.rows_size,
            count=MAX_ROWS, budget=ROWS_BUDGET)
        self.rows_dropped += dropped

        path = escape(shown_path, PATH_CHARS)
        items: list[tuple[int, str]] = []
        if card.error is not None:
            items.append((Severity.ERROR, f"- **error** {path}: could not be read: "
                          f"{escape(card.error, MESSAGE_CHARS)}\n"))
        for finding in card.findings:
            where = f"{path}:{finding.line}:{finding.column}" if finding.span else path
            item = (f"- **{finding.severity}** {finding.code} {where}: "
                    f"{escape(finding.message, MESSAGE_CHARS)}\n")
            if finding.suggestion:  # the fix, for the PR reader, as the text output gives it
                item += f"  - help: {escape(finding.suggestion, MESSAGE_CHARS)}\n"
            items.append((finding.severity, item))
        for severity, text in items:
            entry = _Ranked((int(severity), -next(self.order)), text, len(text.encode()))
            self.findings_size, dropped = self._keep(
                self.findings, entry, self.findings_size, count=MAX_FINDINGS, budget=FINDINGS_BUDGET)
            self.findings_dropped += dropped

    def close(self, summary: Summary) -> None:
        write = self.stream.write
        write("## carbonlint: CO₂ reporting in model cards\n\n")
        counts = ", ".join([_plural(summary.errors, "error"), _plural(summary.warnings, "warning"),
                            _plural(summary.infos, "info")])
        line = f"**{_plural(summary.files, 'card')}**: {counts}"
        if summary.unreadable:
            line += f"; {summary.unreadable} could not be read"
        if summary.below_min_class:
            line += f"; {summary.below_min_class} below the required class"
        if summary.files > 1:
            line += f"; {summary.stated_line()}"
        if self.lowest is not None:
            line += f"; lowest reporting class: **{self.lowest}**"
        write(line + ".\n\n")

        if self.rows:
            write("| Card | Class | Emissions (g CO₂eq) | Efficiency | Errors | Warnings | Infos |\n"
                  "| --- | --- | ---: | :---: | ---: | ---: | ---: |\n")
            for entry in sorted(self.rows, key=lambda e: e.text[:12]):
                write(entry.text[12:])
            if self.rows_dropped:
                write(f"\n_{_plural(self.rows_dropped, 'more card')} left out to keep this summary "
                      "within GitHub's size limit (cards with errors are shown first); run "
                      "`carbonlint check` for all of them._\n")
            write("\n")

        if self.findings:
            shown = sorted(self.findings, reverse=True)
            write(f"### Findings ({'worst first' if self.findings_dropped else 'all'})\n\n")
            for entry in shown:
                write(entry.text)
            if self.findings_dropped:
                write(f"\n_{_plural(self.findings_dropped, 'more finding')} not listed; the "
                      "annotations, the SARIF report or `carbonlint check` show every one._\n")
            write("\n")

        write("### Reporting classes, lowest to highest\n\n")
        write(" < ".join(f"`{name}`" for name in CLASSES) + "\n\n")
        for name in CLASSES:
            write(f"- `{name}`: {CLASS_MEANING[name]}\n")
        write("\nThe reporting-practice ladder of Castaño et al. (ESEM 2023); "
              "`carbonlint explain CODE` documents each finding.\n")
