"""``--format github``: workflow commands that GitHub Actions turns into pull-request annotations.

One line per finding::

    ::error file=models/bert/README.md,line=5,endLine=5,col=14,endColumn=21,title=carbonlint CL106 (number-as-string)::message

Everything on such a line that comes from a card (the message, the file name) is escaped the way
the runner unescapes it (``actions/toolkit`` ``issueCommand``; the runner's ``ActionCommand``), so a
card cannot end the line early and smuggle in a command of its own (``::add-mask::``,
``::stop-commands::``...): data ``%`` -> ``%25``, CR -> ``%0D``, LF -> ``%0A``; property values
additionally ``:`` -> ``%3A`` and ``,`` -> ``%2C``. Before that, terminal and bidi controls are
shown as escapes (:func:`carbonlint.formatters.inert.visible`): the raw log shows them too. A
path holding such a character is therefore shown escaped, and its annotation is not attached to
the file (no real card is named that way).

GitHub shows at most 10 errors, 10 warnings and 10 notices per step, and drops the rest without a
word. So this reporter keeps the first 10 of each kind (errors printed first, as they matter most),
and when anything was held back it ends with one notice saying how many and where to see them all.
Only those 30 annotations are kept in memory, however many cards a run checks.

Columns: the docs do not say whether ``endColumn`` is inclusive (github/docs#40038 was closed
unanswered). The toolkit documents that ``endColumn`` "defaults to startColumn", i.e. an annotation
with only ``col`` covers that one character, which makes the end inclusive; carbonlint's spans end
exclusively, so one is taken off. The runner drops ``col``/``endColumn`` when ``line`` and
``endLine`` differ, so they are left out for spans over several lines.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass, field
from typing import Callable, TextIO

from carbonlint.findings import CardReport, Finding, Severity
from carbonlint.formatters import Summary
from carbonlint.formatters.inert import visible

# GitHub's per-step limits for each kind of annotation.
MAX_PER_KIND = 10

_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """The message part of a workflow command (after the second ``::``).

    Terminal and bidi controls and ``##[`` are first made visible (:mod:`inert`); CR and LF are
    kept for the runner to decode, as the annotation may span lines.
    """
    text = visible(text, keep="\r\n")
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A property value (``file=...``, ``title=...``): also ``:`` and ``,``, which delimit them."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def repo_root(variable: str = "GITHUB_WORKSPACE") -> str:
    """The repository root that annotation paths are relative to: ``$variable``, else the cwd."""
    return os.path.abspath(os.environ.get(variable) or os.getcwd())


def repo_relative(path: str, root: str) -> str:
    """``path`` relative to ``root`` with ``/`` separators; as given when it lies outside it.

    URIs such as ``hf://org/model`` (cards read from the Hub) are not files and stay as they are.
    """
    if "://" in path:
        return path
    absolute = os.path.abspath(path)
    try:
        inside = os.path.commonpath([absolute, root]) == root
    except ValueError:  # another drive on Windows
        inside = False
    if not inside:
        return path
    return os.path.relpath(absolute, root).replace(os.sep, "/")


@functools.lru_cache(maxsize=None)
def rule_title(code: str) -> str:
    from carbonlint.rules import get

    rule = get(code)
    return f"carbonlint {code} ({rule.name})" if rule else f"carbonlint {code}"


def command(kind: str, message: str, **properties: str | int | None) -> str:
    """One workflow command line; properties whose value is None are left out."""
    given = ",".join(f"{name}={escape_property(str(value))}"
                     for name, value in properties.items() if value is not None)
    return f"::{kind}{' ' + given if given else ''}::{escape_data(message)}"


def finding_command(path: str, finding: Finding) -> str:
    message = finding.message
    if finding.suggestion:
        message += f"\nhelp: {finding.suggestion}"
    span = finding.span
    line = end_line = col = end_col = None
    if span is not None:
        line, end_line = span.line, span.end_line
        if span.line == span.end_line:
            col, end_col = span.column, max(span.column, span.end_column - 1)
    return command(_COMMAND[finding.severity], message, file=path, line=line, endLine=end_line,
                   col=col, endColumn=end_col, title=rule_title(finding.code))


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


@dataclass
class _Kind:
    shown: list[str] = field(default_factory=list)
    hidden: int = 0

    def add(self, make_line: Callable[[], str]) -> None:
        """Keep the line while there is room; past the cap only count it (never format it)."""
        if len(self.shown) < MAX_PER_KIND:
            self.shown.append(make_line())
        else:
            self.hidden += 1


class GithubReporter:
    def __init__(self, stream: TextIO, *, color: bool = False) -> None:
        self.stream = stream
        self.root = repo_root()
        self.kinds = {severity: _Kind() for severity in Severity}

    def report(self, card: CardReport) -> None:
        path = repo_relative(card.path, self.root)
        error = card.error
        if error is not None:
            self.kinds[Severity.ERROR].add(lambda: command(
                "error", f"cannot lint this card: {error}", file=path,
                title="carbonlint (unreadable card)"))
        for finding in card.findings:
            self.kinds[finding.severity].add(lambda f=finding: finding_command(path, f))

    def close(self, summary: Summary) -> None:
        errors, warnings, infos = (self.kinds[s] for s in
                                   (Severity.ERROR, Severity.WARNING, Severity.INFO))
        hidden = errors.hidden + warnings.hidden + infos.hidden
        # The closing notice is itself a notice: with 10 info findings shown it would be the
        # 11th and GitHub would drop it, so it takes the place of the last one.
        if hidden and len(infos.shown) == MAX_PER_KIND:
            infos.shown.pop()
            infos.hidden += 1
            hidden += 1
        lines = errors.shown + warnings.shown + infos.shown
        if hidden:
            parts = [_plural(count, word) for count, word in (
                (errors.hidden, "error"), (warnings.hidden, "warning"), (infos.hidden, "notice"))
                if count]
            lines.append(command(
                "notice",
                f"carbonlint: {_plural(hidden, 'more finding')} not shown as "
                f"annotations ({', '.join(parts)}): GitHub shows only {MAX_PER_KIND} of each kind "
                "per step. See them all in the job's step summary, in the code scanning alerts "
                "when SARIF is uploaded, or run 'carbonlint check' locally.",
                title="carbonlint (more findings)"))
        if lines:
            self.stream.write("\n".join(lines) + "\n")
