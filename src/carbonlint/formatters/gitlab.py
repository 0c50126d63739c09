"""``--format gitlab``: a GitLab Code Quality report (``artifacts: reports: codequality``).

A JSON array of issues: ``description``, ``check_name``, ``fingerprint``, ``severity`` (one of
info, minor, major, critical, blocker) and ``location`` (``path`` relative to the project root,
``lines.begin``/``lines.end``). The project root is ``$CI_PROJECT_DIR``, else the working directory.

GitLab matches issues between the merge request's base and head by ``fingerprint``, so it must not
change when unrelated lines move: it hashes the rule, the path, the metadata key and the message
(no line numbers); the n-th identical issue in a file gets ``:n`` so that each stays unique.

Severities: error -> major, warning -> minor, info -> info; a card that could not be read at all
is critical (nothing in it was checked). Written issue by issue, so memory stays flat.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, TextIO

from carbonlint.findings import CardReport, Finding, Severity
from carbonlint.formatters import Summary
from carbonlint.formatters.inert import json_dumps
from carbonlint.formatters.github import repo_relative, repo_root

SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def fingerprint(*parts: str | None) -> str:
    joined = "\x1f".join(part or "" for part in parts)
    return hashlib.sha256(joined.encode("utf-8", "surrogatepass")).hexdigest()


def _lines(finding: Finding) -> dict[str, int]:
    if finding.span is None:
        return {"begin": 1, "end": 1}
    return {"begin": finding.span.line, "end": finding.span.end_line}


class GitlabReporter:
    def __init__(self, stream: TextIO, *, color: bool = False) -> None:
        self.stream = stream
        self.root = repo_root("CI_PROJECT_DIR")
        self.count = 0
        self.stream.write("[")

    def _write(self, issue: dict[str, Any]) -> None:
        self.stream.write(("," if self.count else "") + "\n  " + json_dumps(issue))
        self.count += 1

    def report(self, card: CardReport) -> None:
        path = repo_relative(card.path, self.root)
        seen: dict[str, int] = {}

        def unique(base: str) -> str:
            seen[base] = seen.get(base, 0) + 1
            return f"{base}:{seen[base]}"

        if card.error is not None:
            self._write({
                "description": f"carbonlint cannot lint this card: {card.error}",
                "check_name": "carbonlint/unreadable-card",
                "fingerprint": unique(fingerprint("unreadable", path)),
                "severity": "critical",
                "location": {"path": path, "lines": {"begin": 1, "end": 1}},
                "categories": ["Bug Risk"],
                "type": "issue",
                "engine_name": "carbonlint",
            })
        for finding in card.findings:
            description = f"{finding.code}: {finding.message}"
            if finding.suggestion:
                description += f" (help: {finding.suggestion})"
            self._write({
                "description": description,
                "check_name": finding.code,
                "fingerprint": unique(fingerprint(finding.code, path, finding.key, finding.message)),
                "severity": SEVERITY[finding.severity],
                "location": {"path": path, "lines": _lines(finding)},
                "categories": ["Style"],
                "type": "issue",
                "engine_name": "carbonlint",
            })

    def close(self, summary: Summary) -> None:
        self.stream.write(("\n" if self.count else "") + "]\n")
