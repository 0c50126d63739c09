"""``carbonlint report``: one self-contained HTML audit of many cards.

Kept light: ``carbonlint --help`` imports this module for the command's summary; matplotlib and
huggingface_hub are imported only when the command runs.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from carbonlint.cli import UsageFailure

DEFAULT_OUTPUT = "carbonlint-report.html"


@click.command("report")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--from-json", "from_json", type=click.Path(dir_okay=False), metavar="FILE",
              help="Read the reports of 'carbonlint check/hub -f json' instead of linting.")
@click.option("--from-csv", "from_csv", type=click.Path(dir_okay=False), metavar="FILE",
              help="Castaño et al.'s HFCO2.csv (or a CSV with its columns): the study's figures, "
              "reproduced, with where they differ from the paper.")
@click.option("--from-hub", "from_hub", is_flag=True,
              help="Lint cards on the Hub (with --author, --search, --filter, MODEL_IDs as PATHS).")
@click.option("--author", metavar="ORG", help="With --from-hub: the models of this user or organisation.")
@click.option("--search", metavar="TEXT", help="With --from-hub: the models whose id contains TEXT.")
@click.option("--filter", "filters", metavar="TAG", multiple=True, help="With --from-hub: only models with this tag.")
@click.option("--limit", type=click.IntRange(min=1), metavar="N", help="With --from-hub: at most N listed models.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=10.0, show_default=True,
              metavar="SECONDS", help="With --from-hub: give up on a request after SECONDS.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=DEFAULT_OUTPUT,
              show_default=True, help="The HTML file to write.")
@click.option("--title", help="The page's title.")
@click.option("--select", metavar="CODES", help="Comma-separated rule codes or prefixes to check.")
@click.option("--ignore", metavar="CODES", help="Comma-separated rule codes or prefixes to skip.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), help="A TOML configuration file.")
@click.option("--baseline", type=click.Path(dir_okay=False),
              help="Hub baseline file to compare against (default: the shipped one).")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
def report(paths: tuple[str, ...], from_json: str | None, from_csv: str | None, from_hub: bool,
           author: str | None, search: str | None, filters: tuple[str, ...], limit: int | None,
           timeout: float, output: str, title: str | None, select: str | None, ignore: str | None,
           config_file: str | None, baseline: str | None, quiet: bool) -> None:
    """Write one self-contained HTML audit of model cards (charts, a sortable table, the rules).

    Cards come from PATHS (as check), from the Hub (--from-hub), from a JSON report
    (--from-json) or from Castaño et al.'s data (--from-csv). Needs the report extra:
    pip install 'carbonlint[report]'. Exit 0 when the file is written, 2 on a usage error;
    findings do not change the exit code (use check for a gate).
    """
    sources = [bool(from_json), bool(from_csv), from_hub]
    if sum(sources) > 1:
        raise UsageFailure("give one of --from-json, --from-csv, --from-hub")
    if (from_json or from_csv) and paths:
        raise UsageFailure("PATHS cannot be combined with --from-json or --from-csv")
    if (author or search or filters or limit) and not from_hub:
        raise UsageFailure("--author, --search, --filter and --limit go with --from-hub")
    from carbonlint.report.build import MissingExtra, build_html, require_matplotlib, write_atomically

    try:
        require_matplotlib()
    except MissingExtra as error:
        raise UsageFailure(str(error)) from None
    from carbonlint.cli import build_config

    cfg = build_config(config_file=config_file, select=select, ignore=ignore, min_class=None,
                       require_emissions=None, baseline=baseline, output_format=None)
    from carbonlint.baselines import load

    base = load(cfg.baseline)
    extra: list[tuple[str, str, str]] = []
    share_known = True
    if from_json:
        from carbonlint.report.from_json import BadReportFile, read_reports

        try:
            reports = read_reports(from_json)
        except BadReportFile as error:
            raise UsageFailure(f"--from-json: {error}") from None
        source = f"From the JSON report {from_json}"
    elif from_csv:
        from carbonlint.report.study import BadStudyFile, study

        try:
            result = study(from_csv, base)
        except BadStudyFile as error:
            raise UsageFailure(f"--from-csv: {error}") from None
        reports, extra = result.reports, [("study", "The study, reproduced", result.section_html)]
        source = result.source
        share_known = False  # the data holds only the models that report
        title = title or "Castaño et al. (ESEM 2023), reproduced by carbonlint"
    elif from_hub:
        reports = _from_hub(paths, author, search, filters, limit, timeout, cfg, quiet)
        what = ", ".join(filter(None, [f"author {author}" if author else "", f"search {search!r}" if search else "",
                                       *(f"tag {t}" for t in filters), *paths]))
        source = f"From the Hugging Face Hub ({what})"
    else:
        from carbonlint.checker import check_paths

        reports = list(check_paths(paths or ("README.md",), cfg))
        source = f"From {', '.join(paths or ('README.md',))}"
    page = build_html(reports, base, title=title or "carbonlint: CO2 reporting audit", source=source,
                      extra_sections=extra, share_known=share_known)
    try:
        write_atomically(output, page)
    except OSError as error:
        raise UsageFailure(f"cannot write {output}: {error.strerror or error}") from None
    if not quiet:
        size = len(page.encode("utf-8"))
        click.echo(f"wrote {output} ({len(reports):,} cards, {size / 1024:,.0f} KiB)", err=True)
    sys.exit(0)


def _from_hub(model_ids: tuple[str, ...], author: str | None, search: str | None,
              filters: tuple[str, ...], limit: int | None, timeout: float, cfg: Any,
              quiet: bool) -> list[Any]:
    if not model_ids and not (author or search or filters):
        raise UsageFailure("--from-hub needs MODEL_IDs, --author, --search or --filter")
    from carbonlint.hub import HubClient, ListingQuery, hub_reports
    from carbonlint.hub_cli import DEFAULT_WORKERS, progress_wanted, with_progress

    if quiet:
        from huggingface_hub.utils import logging as hf_logging

        hf_logging.set_verbosity_error()
    query = ListingQuery(author=author, search=search, filters=filters, limit=limit)
    client = HubClient(timeout=timeout)
    reports = hub_reports(client, model_ids=model_ids, query=query, revision=None,
                          workers=DEFAULT_WORKERS, config=cfg)
    total = (len(set(model_ids)) + limit) if limit else None
    return list(with_progress(reports, total=total, shown=progress_wanted(quiet, "file"), unit="card"))
