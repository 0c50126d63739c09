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
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    metavar="N",
    help="With --from-hub: stop after N models (those in the checkpoint count).",
)
@click.option(
    "--checkpoint",
    type=click.Path(dir_okay=False, path_type=Path),
    help="With --from-hub: JSON lines of the models seen; an interrupted build resumes from it.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=30.0,
    show_default=True,
    metavar="SECONDS",
    help="With --from-hub: give up on a listing page after SECONDS (retried).",
)
@click.option("-q", "--quiet", is_flag=True, help="With --from-hub: no progress bar.")
def build(
    csv_path: Path | None,
    from_hub: bool,
    output: Path,
    limit: int | None,
    checkpoint: Path | None,
    timeout: float,
    quiet: bool,
) -> None:
    """Build a baseline file from a CSV, or from the models on the Hub that report emissions.

    To refresh the one shipped in the package, from a checkout:
    carbonlint baselines build --from-csv ../shared/data/castano2023/HFCO2.csv
    --output src/carbonlint/data/baseline.json

    From the Hub (HF_ENDPOINT and HF_TOKEN are honoured; Ctrl-C and run again to resume):
    carbonlint baselines build --from-hub --checkpoint hub.jsonl --output hub-baseline.json
    """
    if csv_path and from_hub:
        raise click.UsageError("give either --from-csv or --from-hub, not both")
    if not from_hub and (limit is not None or checkpoint is not None):
        raise click.UsageError("--limit and --checkpoint go with --from-hub")
    if from_hub:
        from carbonlint.cli import require_huggingface_hub

        require_huggingface_hub("baselines build --from-hub")
        data, summary = _build_from_hub(limit, checkpoint, timeout, quiet)
    elif csv_path is None:
        raise click.UsageError("give --from-csv FILE or --from-hub")
    else:
        try:
            data = bl.build_from_csv(csv_path)
        except (OSError, ValueError) as error:
            raise BaselineError(f"cannot build a baseline: {error}") from None
        summary = _counts(data)
    to_stdout = _write(bl.dumps(data), output)
    click.echo(f"{summary}; wrote {'stdout' if to_stdout else output}", err=True)


def _write(text: str, output: Path) -> bool:
    """Write the baseline; True when it went to stdout."""
    if str(output) == "-":
        click.echo(text, nl=False)
        return True
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as error:
        raise BaselineError(f"cannot write {output}: {error.strerror or error}") from None
    return False


def _build_from_hub(
    limit: int | None, checkpoint: Path | None, timeout: float, quiet: bool
) -> tuple[dict[str, Any], str]:
    """Mine the Hub's models tagged co2_eq_emissions; the baseline and a one-line summary."""
    import sys

    from carbonlint import hub

    client = hub.HubClient(timeout=timeout)
    bar = None
    if not quiet and sys.stderr.isatty():
        from tqdm import tqdm  # a dependency of huggingface_hub

        bar = tqdm(total=limit, unit="model", file=sys.stderr, dynamic_ncols=True, leave=False)
    try:
        mining = hub.mine(
            client,
            limit=limit,
            checkpoint=hub.Checkpoint(checkpoint) if checkpoint else None,
            progress=bar.update if bar else lambda n: None,
        )
    except hub.CheckpointError as error:
        raise BaselineError(str(error)) from None
    except KeyboardInterrupt:
        if checkpoint is None:
            raise
        raise BaselineError(f"interrupted; run the same command again to resume from {checkpoint}") from None
    except OSError as error:
        raise BaselineError(f"cannot use the checkpoint: {error.strerror or error}") from None
    except Exception as error:  # noqa: BLE001 - the Hub's failures get a clear message
        reason = client.describe(error, "", None)  # re-raises what is not the Hub's doing
        resume = f"; run again to resume from {checkpoint}" if checkpoint else ""
        raise BaselineError(f"cannot list the models on {client.endpoint}: {reason}{resume}") from None
    finally:
        if bar is not None:
            bar.close()
    try:
        data = bl.build_from_records(mining.records, mining.source(), rejected=mining.rejected)
    except ValueError as error:
        raise BaselineError(f"cannot build a baseline from {client.endpoint}: {error}") from None
    state = "the whole listing" if mining.done else "a partial listing (--limit)"
    return data, f"{_counts(data)} from {mining.listed:,} models listed on {client.endpoint} ({state})"


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
