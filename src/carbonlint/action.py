"""The GitHub Action's driver: ``python -m carbonlint.action`` (see action.yml).

It runs ``carbonlint check`` once, in-process, with ``--format json --output FILE``, then derives
everything else from that one report through the formatters: annotations (``github``) on stdout,
the step summary (``markdown``) appended to ``$GITHUB_STEP_SUMMARY``, SARIF if asked for, and the
step outputs in ``$GITHUB_OUTPUT``. Inputs arrive as environment variables (action.yml maps each
``inputs.*`` through ``env:``), so no input is ever pasted into a shell script.

Everything this prints on stdout is a workflow command with escaped data. That matters because
the runner also executes the old ``##[command]`` syntax found *anywhere* in a plain log line, and
paths, messages and configuration errors come from the repository being linted (a pull request).
So the CLI's own stderr is captured and re-emitted as one escaped ``::error``.

Exit status: 2 when carbonlint itself could not run (usage, configuration, internal error);
otherwise per ``fail-on``: ``error`` (default) fails on an error finding, an unreadable card or a
card below ``min-class``; ``warning`` also on warnings; ``info`` also on infos; ``never`` does not
fail on findings (the same levels as ``carbonlint check --fail-on``).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shlex
import sys
import tempfile
import uuid
from typing import Iterator, Mapping, TextIO

from carbonlint.findings import CardReport
from carbonlint.formatters import Summary, reporter_for

FAIL_ON = ("error", "warning", "info", "never")  # as `carbonlint check --fail-on`
CLASSES = ("unknown", "context", "basic", "awareness", "optimization", "certified")


class InputError(Exception):
    """An input the action cannot use: reported as an annotation, exit status 2."""


# -- reading the JSON report back -------------------------------------------------------------


def load_report(path: str) -> tuple[list[CardReport], Summary]:
    """The cards and totals of a ``--format json`` report (interface.md, ``"version": 1``): the
    cards as ``carbonlint report --from-json`` reads them, so both read one format one way."""
    from carbonlint.report.from_json import read_reports

    cards = read_reports(path)
    with open(path, encoding="utf-8") as handle:
        totals = json.load(handle).get("summary", {})
    summary = Summary(**{name: int(totals.get(name, 0)) for name in (
        "files", "errors", "warnings", "infos", "unreadable", "below_min_class")})
    stated = totals.get("emissions_stated") or {}
    summary.stated_metadata = int(stated.get("metadata", 0))
    summary.stated_text = int(stated.get("text", 0))
    summary.stated_nowhere = int(stated.get("none", 0))
    return cards, summary


def render(name: str, cards: list[CardReport], summary: Summary, stream: TextIO) -> None:
    reporter = reporter_for(name, stream, color=False)
    for card in cards:
        reporter.report(card)
    reporter.close(summary)


# -- inputs and outputs -------------------------------------------------------------------------


def _flag(env: Mapping[str, str], name: str, default: bool) -> bool:
    value = env.get(name, "").strip().lower()
    if not value:
        return default
    if value in ("true", "false"):
        return value == "true"
    raise InputError(f"{_input_name(name)} must be 'true' or 'false', not {value!r}")


def _input_name(variable: str) -> str:
    return variable.removeprefix("INPUT_").lower().replace("_", "-")


def check_arguments(env: Mapping[str, str], report: str) -> list[str] | None:
    """The ``carbonlint check`` command line for these inputs; None when there is nothing to lint."""
    try:
        paths = shlex.split(env.get("INPUT_PATHS", "."))
        extra = shlex.split(env.get("INPUT_ARGS", ""))
    except ValueError as exc:  # an unclosed quote
        raise InputError(f"cannot split paths or args: {exc}") from None
    if not paths:
        return None
    arguments = ["check", *extra]
    min_class = env.get("INPUT_MIN_CLASS", "").strip()
    if min_class:
        if min_class not in CLASSES:
            raise InputError(f"min-class must be one of {', '.join(CLASSES)}, not {min_class!r}")
        arguments += ["--min-class", min_class]
    config = env.get("INPUT_CONFIG", "").strip()
    if config:
        arguments += ["--config", config]
    if _flag(env, "INPUT_REQUIRE_EMISSIONS", False):
        arguments.append("--require-emissions")
    # Last, so that nothing in 'args' can change where the report goes.
    arguments += ["--format", "json", "--output", report, "--", *paths]
    return arguments


def write_outputs(path: str, outputs: Mapping[str, str]) -> None:
    """Append to ``$GITHUB_OUTPUT`` in the heredoc form, which is safe for any value."""
    with open(path, "a", encoding="utf-8") as handle:
        for name, value in outputs.items():
            delimiter = f"ghadelimiter_{uuid.uuid4()}"
            handle.write(f"{name}<<{delimiter}\n{value}\n{delimiter}\n")


def lowest_class(cards: list[CardReport]) -> str:
    ranks = [CLASSES.index(c.reporting_class) for c in cards
             if c.error is None and c.reporting_class in CLASSES]
    return CLASSES[min(ranks)] if ranks else ""


def annotate(kind: str, message: str) -> None:
    from carbonlint.formatters.github import command

    print(command(kind, message, title="carbonlint"), flush=True)


@contextlib.contextmanager
def _captured_stderr() -> Iterator[io.StringIO]:
    buffer = io.StringIO()
    with contextlib.redirect_stderr(buffer):
        yield buffer


# -- the run ------------------------------------------------------------------------------------


def run(env: Mapping[str, str]) -> int:
    from carbonlint.cli import main as cli_main

    fail_on = env.get("INPUT_FAIL_ON", "").strip().lower() or "error"
    if fail_on not in FAIL_ON:
        raise InputError(f"fail-on must be one of {', '.join(FAIL_ON)}, not {fail_on!r}")
    want_summary = _flag(env, "INPUT_SUMMARY", True)
    sarif_file = env.get("INPUT_SARIF_FILE", "").strip()

    scratch = tempfile.mkdtemp(prefix="carbonlint-", dir=env.get("RUNNER_TEMP") or None)
    report = os.path.join(scratch, "report.json")
    arguments = check_arguments(env, report)
    if arguments is None:
        annotate("notice", "no paths to lint (the 'paths' input is empty)")
        cards, summary = [], Summary()
        code = 0
    else:
        with _captured_stderr() as stderr:
            code = cli_main(arguments)
        said = stderr.getvalue().strip()
        if said:
            annotate("error" if code == 2 else "warning", said)
        if not os.path.isfile(report):
            if not said:
                annotate("error", f"carbonlint could not run (exit status {code})")
            return 2
        cards, summary = load_report(report)

    render("github", cards, summary, sys.stdout)
    sys.stdout.flush()
    if sarif_file:
        # The path lies in the checked-out pull request, which may have committed a symbolic
        # link there or on the way to it: never written through one (carbonlint.output_file).
        from carbonlint.output_file import ReportFileError, open_report

        try:
            with open_report(sarif_file, inside=env.get("GITHUB_WORKSPACE") or os.getcwd()) as handle:
                render("sarif", cards, summary, handle)
        except ReportFileError as exc:
            annotate("error", f"sarif-file: cannot write the SARIF report: {exc}")
            sarif_file = ""
            code = 2
    report_file = env.get("INPUT_REPORT_FILE", "").strip()
    if report_file and arguments is not None and not write_html_report(report_file, cards, env):
        code = 2
    step_summary = env.get("GITHUB_STEP_SUMMARY")
    if want_summary and step_summary:
        with open(step_summary, "a", encoding="utf-8") as handle:
            render("markdown", cards, summary, handle)
    output_file = env.get("GITHUB_OUTPUT")
    if output_file:
        write_outputs(output_file, {
            "reporting-class": lowest_class(cards),
            "findings": str(summary.errors + summary.warnings + summary.infos),
            "errors": str(summary.errors + summary.unreadable),
            "sarif-file": sarif_file,
        })

    if code == 2:
        return 2
    if fail_on == "never":
        return 0
    if fail_on in ("warning", "info") and summary.warnings:
        return 1
    if fail_on == "info" and summary.infos:
        return 1
    return code


def write_html_report(path: str, cards: list[CardReport], env: Mapping[str, str]) -> bool:
    """The HTML audit of the cards just linted (``report-file``), drawn from the same reports as
    the annotations, so it shows exactly their findings; False (after an error annotation) when
    it cannot be written. Like the SARIF file, never written through a symbolic link inside the
    workspace."""
    from carbonlint.output_file import ReportFileError, open_report
    from carbonlint.report.build import MissingExtra, build_html

    try:
        page = build_html(cards, _baseline(env), title="carbonlint: CO2 reporting audit",
                          source=f"From {env.get('INPUT_PATHS', '.').strip()}")
        with open_report(path, inside=env.get("GITHUB_WORKSPACE") or os.getcwd()) as handle:
            handle.write(page)
    except (MissingExtra, ReportFileError) as exc:
        annotate("error", f"report-file: cannot write the HTML report: {exc}")
        return False
    return True


def _baseline(env: Mapping[str, str]):  # -> carbonlint.baselines.Baseline
    """The baseline the lint compared against (the lint has already read it without error)."""
    from carbonlint.baselines import load
    from carbonlint.cli import build_config

    config = env.get("INPUT_CONFIG", "").strip() or None
    cfg = build_config(config_file=config, select=None, ignore=None, min_class=None,
                       require_emissions=None, baseline=baseline_argument(env), output_format=None)
    return load(cfg.baseline)


def baseline_argument(env: Mapping[str, str]) -> str | None:
    """``--baseline`` among the ``args`` input, read by the check command's own parser (so
    ``--baseline=FILE``, repeated options and option values that look like it read as the lint
    read them); None when it is not given."""
    from carbonlint.cli import check

    context = check.make_context("check", shlex.split(env.get("INPUT_ARGS", "")),
                                 resilient_parsing=True)
    return context.params.get("baseline")


def main() -> int:
    try:
        return run(os.environ)
    except InputError as exc:
        annotate("error", f"invalid input: {exc}")
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
