"""``carbonlint fix``: rewrite the ``co2_eq_emissions`` block of model cards, safely.

Exit codes as ``check`` (interface.md), computed on the cards as they are after fixing: 0 clean,
1 an error finding left (or an unreadable card, a card below --min-class, a card that could not
be filled from CodeCarbon), 2 usage errors (a CSV that is not CodeCarbon's). With ``--diff``
nothing is written and, as ``ruff check --diff``, the exit code says whether anything would
change: 0 nothing, 1 something (remaining findings do not count; run ``check`` for those).
"""

from __future__ import annotations

import sys
from collections import Counter
from typing import Any, Iterator

import click

from carbonlint.cli import UsageFailure, build_config, lint_options, run_reports, search_options
from carbonlint.formatters.inert import line_start, visible


def _shown(path: str) -> str:
    """A card's path at the start of a line on stderr, which a CI runner reads for workflow
    commands as it reads stdout: inert (carbonlint.formatters.inert)."""
    return line_start(path)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 'es' if word.endswith('x') else 's'}"


def _what(applied: Counter[str]) -> str:
    parts = []
    for code, count in sorted(applied.items()):
        name = {"codecarbon": "filled from CodeCarbon",
                "estimate": "filled from the estimate"}.get(code, code)
        parts.append(name if count == 1 else f"{name} x{count}")
    return ", ".join(parts)


class Tally:
    """What the run did, for the closing lines on stderr."""

    def __init__(self) -> None:
        self.fixed = 0
        self.cards = 0
        self.failed = False
        self.held_back: Counter[str] = Counter()

    def add(self, outcome: Any, *, verb: str) -> None:
        fixes = sum(outcome.applied.values())
        if outcome.changed:
            self.cards += 1
            self.fixed += fixes
            # The class the card reaches after the fixes (the report is of the fixed card).
            click.echo(f"{_shown(outcome.path)}: {verb} {_plural(fixes, 'fix')} "
                       f"({_what(outcome.applied)}); reporting class "
                       f"'{outcome.report.reporting_class}'", err=True)
        if getattr(outcome, "remark", None) is not None:
            click.echo(f"{_shown(outcome.path)}: {visible(outcome.remark)}", err=True)
        if outcome.note is not None:
            self.failed = True
            click.echo(f"{_shown(outcome.path)}: {visible(outcome.note)}", err=True)
        self.held_back.update(outcome.held_back)
        # CL220's fill is no edit of a finding (it adds the block): counted here, not by fix.py.
        if any(f.code == "CL220" for f in outcome.report.findings):
            self.held_back["--estimate"] += 1

    def close(self, *, verb: str) -> None:
        if self.fixed or self.cards:
            click.echo(f"{verb.capitalize()} {_plural(self.fixed, 'fix')} in "
                       f"{_plural(self.cards, 'card')}.", err=True)
        else:
            click.echo("Nothing to fix.", err=True)
        for option, count in sorted(self.held_back.items()):
            click.echo(f"{_plural(count, 'more fix')} available with {option}.", err=True)


@click.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--diff", is_flag=True,
              help="Print a unified diff of what would change, and write nothing (exit 1 if "
              "anything would change).")
@click.option("--unsafe-fixes", is_flag=True,
              help="Also apply fixes that are likely but not certain (CL401: a unit slip only the "
              "physical estimate suggests).")
@click.option("--mapping-form", is_flag=True,
              help="Also rewrite 'co2_eq_emissions: <number>' as the mapping form (CL205).")
@click.option("--from-codecarbon", "codecarbon_csv", type=click.Path(dir_okay=False),
              metavar="FILE", help="Fill co2_eq_emissions from CodeCarbon's emissions.csv.")
@click.option("--estimate", is_flag=True,
              help="Write co2_eq_emissions from the physical estimate (hardware x hours x PUE x "
              "grid) on cards that give hardware and hours but no emissions; never over a "
              "reported number. The source says it is an estimate.")
@click.option("--runs", type=click.Choice(("sum", "last")), default=None,
              help="With --from-codecarbon and several runs in the file: add them up (default; "
              "every run spent energy on the model) or take the last.")
@lint_options
@search_options
def fix(paths: tuple[str, ...], diff: bool, unsafe_fixes: bool, mapping_form: bool,
        codecarbon_csv: str | None, estimate: bool, runs: str | None, output: str | None,
        color: str, **options: Any) -> None:
    """Fix the co2_eq_emissions metadata of model cards; nothing else in the file changes."""
    from carbonlint.fix import FixOptions, iter_outcomes, unified_diff

    if runs is not None and codecarbon_csv is None:
        raise UsageFailure("--runs only applies with --from-codecarbon")
    cfg = build_config(**options)
    values = _codecarbon_values(codecarbon_csv, runs or "sum") if codecarbon_csv else None
    fix_options = FixOptions(unsafe=unsafe_fixes, mapping_form=mapping_form)
    outcomes = iter_outcomes(paths or ("README.md",), cfg, fix_options, codecarbon=values,
                             write=not diff, estimate=estimate)
    tally = Tally()
    if diff:
        changed = False
        for outcome in outcomes:
            tally.add(outcome, verb="would apply")
            # Without a report on stdout, say here why a card was left alone.
            report = outcome.report
            if report.error is not None:
                tally.failed = True
                click.echo(f"{_shown(outcome.path)}: error: {visible(report.error)}", err=True)
            for finding in report.findings:
                if str(finding.category) == "parse" and str(finding.severity) == "error":
                    tally.failed = True
                    click.echo(f"{_shown(outcome.path)}:{finding.line}:{finding.column}: "
                               f"{finding.code} {visible(finding.message)} (left untouched)",
                               err=True)
            if outcome.changed:
                changed = True
                click.echo(unified_diff(outcome.path, _text(outcome.before), _text(outcome.after)),
                           nl=False)
        tally.close(verb="would apply")
        sys.exit(1 if changed or tally.failed else 0)

    def reports() -> Iterator[Any]:
        for outcome in outcomes:
            tally.add(outcome, verb="applied")
            yield outcome.report

    code = run_reports(reports(), cfg, output=output, color=color)
    tally.close(verb="applied")
    sys.exit(max(code, 1) if tally.failed and code == 0 else code)


def _text(data: bytes) -> str:
    return data.decode("utf-8-sig", errors="replace")


def _codecarbon_values(path: str, runs: str) -> dict[str, Any]:
    from carbonlint.rules.codecarbon import CodeCarbonError, card_values, read_runs

    try:
        return card_values(read_runs(path), runs)
    except CodeCarbonError as exc:
        raise UsageFailure(f"--from-codecarbon: {exc}") from None
