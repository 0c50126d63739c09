"""``carbonlint label``: the card's energy label as an SVG to commit beside it and show in it."""

from __future__ import annotations

import sys

import click

from carbonlint.cli import UsageFailure

DEFAULT_OUTPUT = "carbonlint-label.svg"


@click.command("label")
@click.argument("path", required=False, default="README.md", type=click.Path())
@click.option("-o", "--output", default=DEFAULT_OUTPUT, show_default=True, type=click.Path(dir_okay=False),
              help="The SVG file to write ('-' for stdout).")
@click.option("--name", help="The model's name on the label (default: the card's path).")
@click.option("--date", metavar="YYYY-MM-DD", help="The date on the label (default: today).")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), help="A TOML configuration file.")
@click.option("--baseline", type=click.Path(dir_okay=False),
              help="Hub baseline file to grade against (default: the shipped one).")
def label(path: str, output: str, name: str | None, date: str | None, config_file: str | None,
          baseline: str | None) -> None:
    """Draw the card's energy label (A-E, reporting class, emissions, peer group) as an SVG.

    Embed it in the card with ![CO2 label](carbonlint-label.svg). Exit 0 when written (a card
    without emissions gets a label that says "not rated"), 1 when the card cannot be read,
    2 on a usage error.
    """
    import datetime as dt

    if date is not None:
        try:
            date = dt.date.fromisoformat(date).isoformat()
        except ValueError:
            raise UsageFailure(f"--date {date!r}: expected YYYY-MM-DD") from None
    from carbonlint.baselines import load
    from carbonlint.checker import check_paths
    from carbonlint.cli import build_config
    from carbonlint.report.build import write_atomically
    from carbonlint.report.label import label_svg

    cfg = build_config(config_file=config_file, select=None, ignore=None, min_class=None,
                       require_emissions=None, baseline=baseline, output_format=None)
    reports = list(check_paths((path,), cfg))
    if len(reports) != 1:
        raise UsageFailure(f"{path}: label takes one card ({len(reports)} found)")
    report = reports[0]
    if report.error is not None:
        click.echo(f"carbonlint: {path}: {report.error}", err=True)
        sys.exit(1)
    svg = label_svg(report, load(cfg.baseline), name=name, date=date)
    if output == "-":
        click.echo(svg, nl=False)
    else:
        try:
            write_atomically(output, svg)
        except OSError as error:
            raise UsageFailure(f"cannot write {output}: {error.strerror or error}") from None
    if report.emissions_g is None:
        click.echo(f"carbonlint: {path} reports no emissions in grams: the label says 'not rated'", err=True)
    elif report.efficiency is not None and report.efficiency.get("label") is None:
        click.echo(f"carbonlint: {path} gives emissions with nothing to relate them to (model size, "
                   "dataset size or a performance metric): the label says 'not rated'", err=True)
    sys.exit(0)
