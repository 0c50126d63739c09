"""Output formats: a name -> reporter table behind ``--format``.

A reporter receives each :class:`~carbonlint.findings.CardReport` as soon as it is ready (so
that text output streams and memory stays flat over thousands of cards), then the run's
:class:`Summary`. Reporter modules are imported only when their format is asked for.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, TextIO

if TYPE_CHECKING:
    from carbonlint.findings import CardReport

# name -> "module:class"; keep in step with FORMATS in carbonlint.config and ../interface.md.
REPORTER_BY_NAME = {
    "text": "carbonlint.formatters.text:TextReporter",
    "json": "carbonlint.formatters.json:JsonReporter",
    "github": "carbonlint.formatters.github:GithubReporter",
    "sarif": "carbonlint.formatters.sarif:SarifReporter",
    "markdown": "carbonlint.formatters.markdown:MarkdownReporter",
    "gitlab": "carbonlint.formatters.gitlab:GitlabReporter",
}


@dataclass
class Summary:
    files: int = 0
    errors: int = 0
    warnings: int = 0
    infos: int = 0
    unreadable: int = 0  # cards with an ``error``
    below_min_class: int = 0
    # Where the cards state their emissions (carbonlint.stated): the share the study sees
    # (metadata), the share it cannot see (text only), and the rest.
    stated_metadata: int = 0
    stated_text: int = 0
    stated_nowhere: int = 0

    def add(self, report: CardReport, *, below_min_class: bool) -> None:
        from carbonlint.findings import Severity

        self.files += 1
        self.errors += report.count(Severity.ERROR)
        self.warnings += report.count(Severity.WARNING)
        self.infos += report.count(Severity.INFO)
        self.unreadable += report.error is not None
        self.below_min_class += below_min_class
        if report.error is None:
            self.stated_metadata += report.emissions_stated == "metadata"
            self.stated_text += report.emissions_stated == "text"
            self.stated_nowhere += report.emissions_stated == "none"

    def emissions_stated(self) -> dict[str, int]:
        """The JSON form: {"metadata": n, "text": n, "none": n}."""
        return {"metadata": self.stated_metadata, "text": self.stated_text,
                "none": self.stated_nowhere}

    def stated_line(self) -> str:
        """"emissions stated in metadata by 2, in the text only by 10, nowhere by 48"."""
        return (f"emissions stated in metadata by {self.stated_metadata}, in the text only by "
                f"{self.stated_text}, nowhere by {self.stated_nowhere}")


class Reporter(Protocol):
    def __init__(self, stream: TextIO, *, color: bool = False) -> None: ...

    def report(self, card: CardReport) -> None: ...

    def close(self, summary: Summary) -> None: ...


def reporter_for(name: str, stream: TextIO, *, color: bool) -> Reporter:
    module_name, _, class_name = REPORTER_BY_NAME[name].partition(":")
    cls = getattr(importlib.import_module(module_name), class_name)
    reporter: Reporter = cls(stream, color=color)
    return reporter
