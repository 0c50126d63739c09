"""``--format text``: ``path:line:col: CODE [severity] message``, the form editors and CI parse.

Each finding is followed by its suggestion (``help:``), each card by its reporting class, the
run by a count. Colour only when asked for (a terminal without NO_COLOR): the CLI decides.
"""

from __future__ import annotations

from typing import TextIO

from carbonlint.findings import CardReport, Finding, Severity
from carbonlint.formatters import Summary
from carbonlint.formatters.inert import line_start, visible

_COLORS = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.INFO: "36"}

# Card text (keys, values, file names) reaches this output: carbonlint.formatters.inert shows
# control, line-separator and bidi characters escaped, defuses "##[", and makes sure that no
# line (each begins with the path) can start, after white space, with "::".
clean = visible
_clean_path = line_start


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


class TextReporter:
    def __init__(self, stream: TextIO, *, color: bool = False) -> None:
        self.stream = stream
        self.color = color

    def _paint(self, text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.color else text

    def _finding(self, path: str, finding: Finding) -> str:
        where = f"{path}:{finding.line}:{finding.column}:" if finding.span else f"{path}:"
        severity = self._paint(f"[{finding.severity}]", _COLORS[finding.severity])
        line = (f"{self._paint(where, '1')} {self._paint(finding.code, '1')} {severity} "
                f"{clean(finding.message)}")
        if finding.suggestion:
            line += f"\n  {self._paint('help:', '32')} {clean(finding.suggestion)}"
        return line

    def report(self, card: CardReport) -> None:
        path = _clean_path(card.path)
        out = [self._finding(path, f) for f in card.findings]
        if card.error is not None:
            out.append(f"{self._paint(path + ':', '1')} {self._paint('error:', '31')} {clean(card.error)}")
        else:
            grade = (f"{path}: reporting class {self._paint(card.reporting_class, '1')} "
                     f"({clean(card.reporting_reason)})")
            if card.efficiency and card.efficiency.get("label"):
                grade += f"; efficiency {card.efficiency['label']}"
            if len(card.lifecycle_phases) > 1 and card.lifecycle_note:
                grade += f"; {card.lifecycle_note}"  # only cards that report beyond training
            if card.emissions_stated == "text":
                grade += "; emissions stated in the text only"
            out.append(grade)
            if card.judging is not None:  # --show-estimate
                from carbonlint.judging_details import describe

                out.extend(f"{path}:   {clean(line)}" for line in describe(card.judging, card.emissions_g))
            if card.below_min_class and not any(f.code == "CL210" for f in card.findings):
                # CL210 ignored or suppressed: the failure still needs a name.
                out.append(f"{path}: {self._paint('error:', '31')} below --min-class (reporting "
                           f"class {card.reporting_class})")
        self.stream.write("\n".join(out) + "\n")

    def close(self, summary: Summary) -> None:
        problems = [
            _plural(summary.errors, "error"), _plural(summary.warnings, "warning"),
            _plural(summary.infos, "info"),
        ]
        line = f"{', '.join(problems)} in {_plural(summary.files, 'card')}"
        if summary.unreadable:
            line += f"; {summary.unreadable} could not be read"
        if summary.below_min_class:
            line += f"; {summary.below_min_class} below --min-class"
        if summary.files > 1:
            line += f"; {summary.stated_line()}"
        self.stream.write(line + ".\n")
