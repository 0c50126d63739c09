"""The GitHub Action's report step: ``python -m carbonlint.report.action_step`` (action.yml).

Runs when the ``report-file`` input is set, before the lint step: writes the HTML report of the
same paths (and configuration) the lint step checks, so that the next step can attach it as an
artifact. A report that cannot be written is an error annotation, not a failed step: the lint
must still run.
Inputs arrive as environment variables, never pasted into a shell; whatever carbonlint says is
re-emitted as one escaped workflow command.
"""

from __future__ import annotations

import contextlib
import io
import os
import shlex
from collections.abc import Mapping


def arguments(env: Mapping[str, str]) -> list[str] | None:
    """The ``carbonlint report`` command line, or None when there is nothing to report on."""
    target = env.get("INPUT_REPORT_FILE", "").strip()
    if not target:
        return None
    paths = shlex.split(env.get("INPUT_PATHS", "."))
    if not paths:
        return None
    command = ["report", "-q", "-o", target]
    config = env.get("INPUT_CONFIG", "").strip()
    if config:
        command += ["--config", config]
    return [*command, "--", *paths]


def run(env: Mapping[str, str]) -> int:
    from carbonlint.action import annotate
    from carbonlint.cli import main

    try:
        command = arguments(env)
    except ValueError as error:  # an unclosed quote in paths
        annotate("error", f"invalid input: cannot split paths: {error}")
        return 2
    if command is None:  # nothing to lint (the step does not run without report-file)
        annotate("notice", "no HTML report: the 'paths' input is empty")
        return 0
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr):
        code = main(command)
    said = stderr.getvalue().strip()
    if code != 0:
        annotate("error", f"the HTML report could not be written: {said or f'exit status {code}'}")
        return 0
    return 0


if __name__ == "__main__":
    raise SystemExit(run(os.environ))
