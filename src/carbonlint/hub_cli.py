"""``carbonlint hub``: lint model cards straight from the Hugging Face Hub.

Kept light: ``carbonlint --help`` imports this module to show the command's summary, so
huggingface_hub (and carbonlint.hub, which needs it) are imported only when the command runs.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

import click

from carbonlint.cli import UsageFailure, lint_options

DEFAULT_WORKERS = 16  # requests in flight; the Hub's rate limits, not threads, bound a long run
DEFAULT_TIMEOUT = 10.0

T = TypeVar("T")


def progress_wanted(quiet: bool, output: str | None) -> bool:
    """A bar on stderr only for a person watching a terminal, and only when the reports do not
    scroll past on that same terminal (they are the progress then, and would break the bar)."""
    return not quiet and sys.stderr.isatty() and (output is not None or not sys.stdout.isatty())


def with_progress(items: Iterable[T], *, total: int | None, shown: bool, unit: str) -> Iterator[T]:
    """``items``, counted on a tqdm bar on stderr when ``shown``."""
    if not shown:
        yield from items
        return
    from tqdm import tqdm  # a dependency of huggingface_hub

    with tqdm(total=total, unit=unit, file=sys.stderr, dynamic_ncols=True, leave=False) as bar:
        for item in items:
            bar.update(1)
            yield item


@click.command("hub")
@click.argument("model_ids", nargs=-1, metavar="[MODEL_ID]...")
@click.option("--author", metavar="ORG", help="Lint the models of this user or organisation.")
@click.option("--search", metavar="TEXT", help="Lint the models whose id contains TEXT.")
@click.option("--filter", "filters", metavar="TAG", multiple=True,
              help="Only models with this tag (repeat for several; e.g. co2_eq_emissions).")
@click.option("--limit", type=click.IntRange(min=1), metavar="N",
              help="Lint at most N models of the listing.")
@click.option("--revision", metavar="REV", help="Branch, tag or commit of the cards (default: main).")
@click.option("--workers", type=click.IntRange(1, 64), default=DEFAULT_WORKERS, show_default=True,
              help="Cards fetched at once.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=DEFAULT_TIMEOUT,
              show_default=True, metavar="SECONDS", help="Give up on a request after SECONDS.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar, no rate-limit notices.")
@lint_options
def hub(model_ids: tuple[str, ...], author: str | None, search: str | None,
        filters: tuple[str, ...], limit: int | None, revision: str | None, workers: int,
        timeout: float, quiet: bool, output: str | None, color: str, **options: Any) -> None:
    """Lint model cards on the Hugging Face Hub (the named models, then a listing's).

    Examples: carbonlint hub google-bert/bert-base-uncased;
    carbonlint hub --author autotrain --filter co2_eq_emissions --limit 500 -f json.
    HF_TOKEN (for gated and private models) and HF_ENDPOINT are honoured.
    """
    from carbonlint.cli import build_config, require_huggingface_hub, run_reports

    if not model_ids and not (author or search or filters):
        raise UsageFailure("name models (MODEL_ID...), or list them with --author, --search or "
                           "--filter")
    require_huggingface_hub("carbonlint hub")
    cfg = build_config(**options)
    from carbonlint.hub import HubClient, ListingQuery, hub_reports

    if quiet:
        from huggingface_hub.utils import logging as hf_logging

        hf_logging.set_verbosity_error()
    query = ListingQuery(author=author, search=search, filters=filters, limit=limit)
    client = HubClient(timeout=timeout, on_pause=None if quiet else _announce_pause)
    reports = hub_reports(client, model_ids=model_ids, query=query, revision=revision,
                          workers=workers, config=cfg)
    named = len(set(model_ids))
    total = (named + limit if limit else None) if query.wanted() else named
    shown = progress_wanted(quiet, output)
    code = run_reports(with_progress(reports, total=total, shown=shown, unit="card"), cfg,
                       output=output, color=color)
    sys.exit(code)


def _announce_pause(seconds: float) -> None:
    """A long silence deserves a word: the whole run is waiting for the Hub's rate limit."""
    click.echo(f"carbonlint: the Hub is rate-limiting (HTTP 429); every request waits "
               f"{seconds:,.0f} s (HF_TOKEN raises the limits)", err=True)
