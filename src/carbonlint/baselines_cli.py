"""``carbonlint baselines``: build and show the Hub baseline files that efficiency checks use."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from carbonlint import baselines as bl


class BaselineError(click.ClickException):
    """A clear message, no traceback; exit code 2 as interface.md wants for usage errors."""

    exit_code = 2


@click.group("baselines")
def baselines() -> None:
    """Build and inspect Hub baselines (emission distributions and label boundaries)."""


def _counts(data: dict[str, Any]) -> str:
    build = data["build"]
    dropped = ", ".join(f"{reason}: {count:,}" for reason, count in build["dropped"].items())
    return (
        f"kept {build['rows_kept']:,} of {build['rows_read']:,} rows"
        + (f" (dropped {dropped})" if dropped else "")
    )


@baselines.command("build")
@click.option(
    "--from-csv",
    "csv_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A CSV with the columns of Castaño et al.'s HFCO2.csv.",
)
@click.option(
    "--from-hub",
    is_flag=True,
    help="Collect the models that report co2_eq_emissions from the Hugging Face Hub.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    default=Path("carbonlint-baseline.json"),
    show_default=True,
    help="Where to write the baseline; '-' for stdout.",
)
def build(csv_path: Path | None, from_hub: bool, output: Path) -> None:
    """Build a baseline file from a CSV (or, later, from the Hub).

    To refresh the one shipped in the package, from a checkout:
    carbonlint baselines build --from-csv ../shared/data/castano2023/HFCO2.csv
    --output src/carbonlint/data/baseline.json
    """
    if csv_path and from_hub:
        raise click.UsageError("give either --from-csv or --from-hub, not both")
    if from_hub:
        raise click.UsageError("--from-hub is not implemented yet: see issue 6")
    if csv_path is None:
        raise click.UsageError("give --from-csv FILE")
    try:
        data = bl.build_from_csv(csv_path)
    except (OSError, ValueError) as error:
        raise BaselineError(f"cannot build a baseline: {error}") from None
    text = bl.dumps(data)
    to_stdout = str(output) == "-"
    if to_stdout:
        click.echo(text, nl=False)
    else:
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as error:
            raise BaselineError(f"cannot write {output}: {error.strerror or error}") from None
    click.echo(f"{_counts(data)}; wrote {'stdout' if to_stdout else output}", err=True)


@baselines.command("show")
@click.option(
    "--baseline",
    "baseline_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A baseline file (default: the one shipped in the package).",
)
def show(baseline_path: Path | None) -> None:
    """Print a baseline's counts, dates, quantiles per group and label boundaries."""
    try:
        baseline = bl.load(baseline_path)
    except (OSError, ValueError) as error:
        raise BaselineError(f"cannot read the baseline: {error}") from None
    click.echo(bl.format_summary(baseline))
