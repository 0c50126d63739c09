"""The ``carbonlint`` command line: click parses options, everything else is called.

Exit codes (interface.md): 0 clean, 1 an error finding / an unreadable card / a card below
--min-class, 2 usage, configuration or internal error. Only ``click`` is imported at start-up;
each command imports what it needs, so ``carbonlint check`` never loads huggingface_hub or a
formatter it does not use.
"""

from __future__ import annotations

import os
import sys
from typing import Any, Sequence, TextIO

import click

from carbonlint import __version__

CLASSES = ("unknown", "context", "basic", "awareness", "optimization", "certified")
FORMAT_CHOICES = ("text", "json", "github", "sarif", "markdown", "gitlab", "auto")
FAIL_ON = ("error", "warning", "info", "never")  # as carbonlint.config.FAIL_ON (not imported: start-up)


class UsageFailure(click.ClickException):
    """A configuration or usage problem: message on stderr, exit code 2."""

    exit_code = 2

    def show(self, file: Any = None) -> None:
        click.echo(f"carbonlint: error: {self.format_message()}", err=True)


class LazyGroup(click.Group):
    """A group whose heavier subcommands are imported only when they are invoked (or listed)."""

    lazy_commands = {
        "baselines": "carbonlint.baselines_cli:baselines",
        "estimate": "carbonlint.estimate_cli:estimate",
        "fix": "carbonlint.fix_cli:fix",
        "hub": "carbonlint.hub_cli:hub",
        "label": "carbonlint.label_cli:label",
        "report": "carbonlint.report_cli:report",
    }

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *self.lazy_commands])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = self.lazy_commands.get(cmd_name)
        if target is None:
            return super().get_command(ctx, cmd_name)
        import importlib

        module_name, _, attribute = target.partition(":")
        command: click.Command = getattr(importlib.import_module(module_name), attribute)
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="carbonlint",
                      message="%(prog)s %(version)s")
def cli() -> None:
    """Lint the CO2 emissions reported in Hugging Face model cards."""


def lint_options(function: Any) -> Any:
    """Options every linting command (check, hub, fix) takes; see interface.md."""
    codes = {"metavar": "CODES", "multiple": True}
    options = [
        click.option("-f", "--format", "output_format", type=click.Choice(FORMAT_CHOICES),
                     default=None, help="Output format (default: text, or the config's)."),
        click.option("-o", "--output", type=click.Path(dir_okay=False),
                     help="Write the report to FILE instead of stdout."),
        click.option("--select", **codes, help="Rule codes or prefixes to check, comma-separated; "
                     "starts the selection afresh (the configuration's select and ignore no "
                     "longer apply)."),
        click.option("--extend-select", **codes, help="Rule codes or prefixes to check as well."),
        click.option("--ignore", **codes, help="Rule codes or prefixes to skip (added to the "
                     "configuration's)."),
        click.option("--extend-ignore", **codes, help="The same as --ignore (as in ruff)."),
        click.option("--per-file-ignores", metavar="PATTERN:CODES", multiple=True,
                     help="Replace the configuration's per-file-ignores, e.g. 'legacy/*:CL2,CL3'."),
        click.option("--extend-per-file-ignores", metavar="PATTERN:CODES", multiple=True,
                     help="Add to the configuration's per-file-ignores."),
        click.option("--fail-on", type=click.Choice(FAIL_ON), default=None,
                     help="Exit 1 on a finding of this severity or worse (default: error; "
                     "never: findings do not fail the run)."),
        click.option("--min-class", type=click.Choice(CLASSES),
                     help="Fail (exit 1) when a card's reporting class is below CLASS."),
        click.option("--require-emissions/--no-require-emissions", default=None,
                     help="A card without co2_eq_emissions is an error."),
        click.option("--plausibility-factor", type=click.FloatRange(min=1, min_open=True),
                     metavar="X", help="CL402: how many times off the physical estimate is too "
                     "far (default 10)."),
        click.option("--outlier-z", type=click.FloatRange(min=0, min_open=True), metavar="Z",
                     help="CL501: robust z-score beyond which a card is an outlier among its "
                     "peers (default 3.5)."),
        click.option("--config", "config_file", type=click.Path(dir_okay=False),
                     help="A TOML configuration file (default: .carbonlint.toml, else "
                     "[tool.carbonlint] in the nearest pyproject.toml)."),
        click.option("--baseline", type=click.Path(dir_okay=False),
                     help="Hub baseline file to compare against (default: the shipped one)."),
        click.option("--codecarbon", type=click.Path(dir_okay=False),
                     help="CodeCarbon's emissions.csv: compare the cards with it (CL310, CL311)."),
        click.option("--statistics", is_flag=True,
                     help="Print how many findings each rule has, instead of the findings "
                     "(text or json)."),
        click.option("--show-estimate", "--verbose", "show_estimate", is_flag=True,
                     help="Show, for every card, the physical estimate, the peer group and the "
                     "efficiency label's inputs, even when nothing is wrong."),
        click.option("--color", type=click.Choice(("auto", "always", "never")), default="auto",
                     show_default=True, help="Colour the text output (auto: on a terminal, "
                     "unless NO_COLOR is set)."),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def require_huggingface_hub(command: str) -> None:
    """``hub`` and ``baselines build --from-hub`` need huggingface_hub, an optional dependency
    (the ``hub`` extra): without it, a usage error that says how to get it, not a traceback."""
    try:
        import huggingface_hub  # noqa: F401
    except ImportError:
        raise UsageFailure(f"{command} needs huggingface_hub, which is not installed: install "
                           "carbonlint with its 'hub' extra (carbonlint[hub]), or pip install "
                           "huggingface_hub") from None


def search_options(function: Any) -> Any:
    """Options of the commands that search directories for cards (check, fix)."""
    options = [
        click.option("--include", "include", multiple=True, metavar="GLOBS",
                     help="File names a directory search checks (comma-separated, repeatable; "
                     "replaces README.md, *model_card*.md, *modelcard*.md)."),
        click.option("--exclude", "exclude", multiple=True, metavar="GLOBS",
                     help="Files and folders never checked (replaces the default: hidden and "
                     "tool folders)."),
        click.option("--extend-exclude", "extend_exclude", multiple=True, metavar="GLOBS",
                     help="Files and folders never checked, added to --exclude."),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def _globs(given: tuple[str, ...] | None, option: str) -> tuple[str, ...] | None:
    """``--exclude a,b --exclude c`` as ("a", "b", "c"); None when the option is not given."""
    if not given:
        return None
    from carbonlint import config

    patterns = [p for value in given for p in value.split(",")]
    return config.globs(patterns, lambda m: config.ConfigError(f"{option}: {m}"))


def build_config(*, config_file: str | None, select: Sequence[str] | None = (),
                 extend_select: Sequence[str] | None = (), ignore: Sequence[str] | None = (),
                 extend_ignore: Sequence[str] | None = (), per_file_ignores: Sequence[str] = (),
                 extend_per_file_ignores: Sequence[str] = (), min_class: str | None = None,
                 require_emissions: bool | None = None, baseline: str | None = None,
                 output_format: str | None = None, codecarbon: str | None = None,
                 fail_on: str | None = None, plausibility_factor: float | None = None,
                 outlier_z: float | None = None, show_estimate: bool = False,
                 statistics: bool = False, include: tuple[str, ...] | None = None,
                 exclude: tuple[str, ...] | None = None,
                 extend_exclude: tuple[str, ...] | None = None) -> Any:
    """The configuration file's settings with the command line's laid over them.

    Rule selection is layered (carbonlint.selection): the command line's select, extend-select
    and ignore are one more layer over the file's. Every other option replaces the file's value.
    """
    from carbonlint import config
    from carbonlint.selection import RuleSelection

    # Callers outside click (report, label) pass None for "not given".
    select, extend_select, ignore, extend_ignore = (
        () if v is None else ((v,) if isinstance(v, str) else v)
        for v in (select, extend_select, ignore, extend_ignore))
    per_file_ignores = per_file_ignores or ()
    extend_per_file_ignores = extend_per_file_ignores or ()
    try:
        base = config.load(config_file)
        layer = RuleSelection(
            select=config.parse_code_list(select, "--select") if select else None,
            extend_select=config.parse_code_list(extend_select, "--extend-select"),
            ignore=(*config.parse_code_list(ignore, "--ignore"),
                    *config.parse_code_list(extend_ignore, "--extend-ignore")),
        )
        file_ignores = base.per_file_ignores
        if per_file_ignores:
            file_ignores = config.parse_file_ignores(per_file_ignores, "--per-file-ignores")
        if extend_per_file_ignores:
            file_ignores = config.merge_file_ignores(file_ignores, config.parse_file_ignores(
                extend_per_file_ignores, "--extend-per-file-ignores"))
        cfg = base.with_options(
            include=_globs(include, "--include"),
            exclude=_globs(exclude, "--exclude"),
            extend_exclude=_globs(extend_exclude, "--extend-exclude"),
            cli_selections=(layer,) if layer != RuleSelection() else None,
            per_file_ignores=file_ignores,
            min_class=min_class,
            require_emissions=require_emissions,
            baseline=baseline,
            format=output_format,
            codecarbon=codecarbon,
            fail_on=fail_on,
            plausibility_factor=plausibility_factor,
            outlier_z=outlier_z,
            show_estimate=show_estimate or None,
            statistics=statistics or None,
        )
    except config.ConfigError as exc:
        raise UsageFailure(str(exc)) from None
    if statistics and resolve_format(cfg.format) not in ("text", "json"):
        raise UsageFailure(f"--statistics prints text or json, not {cfg.format}")
    if cfg.codecarbon:  # a file that is not CodeCarbon's is a usage error, not a finding per card
        from carbonlint.rules.codecarbon import CodeCarbonError, read_runs

        try:
            read_runs(cfg.codecarbon)
        except CodeCarbonError as exc:
            raise UsageFailure(f"--codecarbon: {exc}") from None
    if cfg.baseline:  # likewise a baseline that cannot be read: say so once, not per card
        from carbonlint.baselines import load

        try:
            load(cfg.baseline)
        except (OSError, ValueError) as exc:
            where = "--baseline" if baseline else f"{cfg.source}: baseline"
            raise UsageFailure(f"{where}: cannot read the baseline {cfg.baseline}: {exc}") from None
    return cfg


def resolve_format(name: str) -> str:
    if name == "auto":
        return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    return name


def use_color(choice: str, stream: TextIO) -> bool:
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):  # https://no-color.org: any non-empty value
        return False
    return hasattr(stream, "isatty") and stream.isatty()


def exit_code(summary: Any, *, fail_on: str, crashed: bool) -> int:
    """0, 1 or 2 after a run (interface.md); ``fail_on`` is the lowest severity that fails."""
    if crashed:
        return 2
    if fail_on == "never":
        return 0
    failing = bool(summary.errors or summary.unreadable or summary.below_min_class)
    if fail_on in ("warning", "info"):
        failing |= bool(summary.warnings)
    if fail_on == "info":
        failing |= bool(summary.infos)
    return 1 if failing else 0


def run_reports(reports: Any, cfg: Any, *, output: str | None, color: str) -> int:
    """Feed reports to the chosen reporter and return the exit code."""
    from carbonlint.formatters import REPORTER_BY_NAME, Summary, reporter_for
    from carbonlint.grade import rank

    name = resolve_format(cfg.format)
    if name not in REPORTER_BY_NAME:
        raise UsageFailure(f"--format {name}: this output format is not available in this version")
    import contextlib

    from carbonlint.output_file import ReportFileError, open_report

    # -o: never through a symbolic link; a missing or unwritable folder is a usage error.
    try:
        with open_report(output) if output else contextlib.nullcontext(sys.stdout) as stream:
            colored = bool(not output and use_color(color, stream))
            if cfg.statistics:
                from carbonlint.formatters.statistics import StatisticsReporter

                reporter: Any = StatisticsReporter(stream, json_output=name == "json",
                                                   color=colored)
            else:
                reporter = reporter_for(name, stream, color=colored)
            summary = Summary()
            crashed = False
            for report in reports:
                below = cfg.min_class is not None and report.error is None and report.graded and (
                    rank(report.reporting_class) < rank(cfg.min_class))
                report.below_min_class = below
                summary.add(report, below_min_class=below)
                crashed |= report.internal_error
                reporter.report(report)
            reporter.close(summary)
    except ReportFileError as exc:
        raise UsageFailure(f"--output {exc}") from None
    return exit_code(summary, fail_on=cfg.fail_on, crashed=crashed)


STDIN = "-"


def check_inputs(paths: tuple[str, ...], stdin_filename: str | None) -> tuple[str, ...]:
    """The paths to lint, or a usage error: a path that does not exist is exit 2 (as in ruff and
    yamllint), and so is standard input mixed with files."""
    if stdin_filename is not None and not paths:
        return (STDIN,)
    if STDIN in paths:
        if len(paths) > 1:
            raise UsageFailure("'-' (standard input) cannot be mixed with other paths")
        return paths
    if stdin_filename is not None:
        raise UsageFailure("--stdin-filename only applies when the card comes from standard input "
                           "('-')")
    missing = [p for p in paths if not os.path.lexists(p)]
    if len(missing) == 1:
        raise UsageFailure(f"{missing[0]}: no such file or directory")
    if missing:
        more = f" and {len(missing) - 10} more" if len(missing) > 10 else ""
        raise UsageFailure(f"no such files or directories: {', '.join(missing[:10])}{more}")
    return paths or ("README.md",)


def stdin_reports(cfg: Any, display_path: str) -> Any:
    """The card on standard input, linted as if it were ``display_path``."""
    from carbonlint.card import parse_bytes
    from carbonlint.checker import check_card

    raw = sys.stdin.buffer.read()
    yield check_card(parse_bytes(raw, display_path), cfg)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--stdin-filename", metavar="PATH",
              help="With '-': the card's path, for the report, per-file-ignores and the weights "
              "beside it.")
@lint_options
@search_options
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, metavar="N",
              help="Worker processes for many cards (default: the CPUs available; 1: none). "
              "A handful of cards is always checked in one process.")
def check(paths: tuple[str, ...], stdin_filename: str | None, output: str | None, color: str,
          jobs: int | None, **options: Any) -> None:
    """Lint model cards (README.md and *model_card*.md; directories are searched; '-' reads
    standard input)."""
    from carbonlint.discovery import Tally

    cfg = build_config(**options)
    paths = check_inputs(paths, stdin_filename)
    tally = Tally()
    if paths == (STDIN,):
        reports = stdin_reports(cfg, stdin_filename or STDIN)
    else:
        from carbonlint import progress
        from carbonlint.checker import check_paths
        from carbonlint.pool import default_jobs

        reports = check_paths(paths, cfg, jobs=jobs or default_jobs(), tally=tally)
        if progress.wanted(output):
            reports = progress.counted(reports)
    code = run_reports(reports, cfg, output=output, color=color)
    for note in tally.notes(cfg.include):
        click.echo(f"carbonlint: {note}", err=True)
    sys.exit(code)


@cli.command()
@click.option("-f", "--format", "output_format", type=click.Choice(("text", "json", "markdown")),
              default="text", help="markdown: the full documentation of every rule (docs/rules.md).")
def rules(output_format: str) -> None:
    """List every rule: code, category, default severity, summary."""
    from carbonlint.rules import all_rules, rules_markdown

    table = all_rules().values()
    if output_format == "markdown":
        click.echo(rules_markdown(), nl=False)
        return
    if output_format == "json":
        import json

        click.echo(json.dumps([
            {"code": r.code, "name": r.name, "category": str(r.category),
             "severity": str(r.severity), "fixable": r.fixable, "summary": r.summary}
            for r in table], indent=2))
        return
    width = max(len(r.name) for r in table)
    for r in table:
        click.echo(f"{r.code}  {r.name:<{width}} {str(r.category):<13} {str(r.severity):<8} {r.summary}")


@cli.command()
@click.argument("code")
def explain(code: str) -> None:
    """Show a rule's documentation, with a failing and a passing example."""
    from carbonlint.rules import all_rules, get

    found = get(code)
    if found is None:
        import difflib

        prefixed = [c for c in all_rules() if c.startswith(code.strip().upper())]
        if prefixed and code.strip():
            raise UsageFailure(f"{code!r} is a prefix of {len(prefixed)} rules ({', '.join(prefixed[:6])}"
                               f"{', ...' if len(prefixed) > 6 else ''}); explain takes one code")
        close = difflib.get_close_matches(code.upper(), list(all_rules()), n=3)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        raise UsageFailure(f"no rule {code!r}{hint}; 'carbonlint rules' lists them")
    click.echo(found.documentation(), nl=False)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit code instead of raising SystemExit (pre-commit style)."""
    from carbonlint.hook_args import rewrite

    arguments = rewrite(list(argv) if argv is not None else sys.argv[1:], cli)
    try:
        cli.main(args=arguments, prog_name="carbonlint", standalone_mode=False)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    except click.exceptions.Abort:
        click.echo("carbonlint: aborted", err=True)
        return 2
    except click.ClickException as exc:
        exc.show()
        return 2 if isinstance(exc, click.UsageError) else exc.exit_code
    except BrokenPipeError:
        # `carbonlint check | head`: the reader left; say nothing more.
        sys.stderr.close()
        return 1
    except Exception as exc:  # noqa: BLE001 - never a traceback for the user
        if os.environ.get("CARBONLINT_DEBUG"):
            raise
        click.echo(f"carbonlint: internal error: {exc!r} (set CARBONLINT_DEBUG=1 for a "
                   "traceback, and please report it)", err=True)
        return 2
    return 0
