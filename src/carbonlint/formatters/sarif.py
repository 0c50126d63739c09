"""``--format sarif``: SARIF 2.1.0, as github/codeql-action/upload-sarif and other viewers read it.

One run. ``tool.driver.rules`` lists every registered rule (whether or not it fired, so that code
scanning can show the documentation of any alert), each with its documentation and examples.
Results point at files relative to the repository root (``uriBaseId`` ``%SRCROOT%``; the root is
``$GITHUB_WORKSPACE``, else the working directory); a file outside it gets an absolute ``file:``
URI. ``originalUriBaseIds`` is left out on purpose: it would put the runner's absolute path into
every log, and code scanning resolves ``%SRCROOT%`` to the checkout by itself.

Regions use carbonlint's spans unchanged: 1-based lines and columns, ``endColumn`` exclusive, as
SARIF defines it (§3.30.8); columns count code points (``columnKind``). A finding without a span
points at line 1, the top of the card: code scanning needs a ``startLine`` to place an alert.

``partialFingerprints`` lets code scanning follow an alert across runs while lines move: a hash of
the rule, the file, the metadata key and the message, without any position; the n-th identical
finding in a file gets ``:n`` so that fingerprints stay unique.

Card text is inert (:mod:`carbonlint.formatters.inert`): message texts escape ``[``, ``]`` and
``\\`` so that viewers render no link from a card, and control and bidi characters are JSON escapes.

Results are written as cards arrive; only the notifications about unreadable cards are kept until
the end.
"""

from __future__ import annotations

import hashlib
import json
import os
import textwrap
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import quote

from carbonlint import __version__
from carbonlint.findings import CardReport, Finding, Severity
from carbonlint.formatters import Summary
from carbonlint.formatters.inert import json_dumps, json_inert, sarif_message
from carbonlint.formatters.github import repo_root
from carbonlint.formatters.indented_json import dumps

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INFORMATION_URI = "https://github.com/carbonlint/carbonlint"
RULE_DOCS_URI = "https://github.com/carbonlint/carbonlint/blob/main/docs/rules.md#"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "carbonlint/v1"

LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def artifact_location(path: str, root: str) -> dict[str, str]:
    """A SARIF artifactLocation: relative to %SRCROOT% inside the root, else an absolute URI."""
    if "://" in path:  # hf://org/model and the like: already a URI
        return {"uri": path}
    absolute = os.path.abspath(path)
    try:
        inside = os.path.commonpath([absolute, root]) == root
    except ValueError:  # another drive on Windows
        inside = False
    if inside:
        relative = os.path.relpath(absolute, root).replace(os.sep, "/")
        # A relative reference: percent-encode everything but '/', so that a ':' in a file name
        # cannot turn it into a scheme, nor '#' or '?' into a fragment or query.
        return {"uri": quote(relative, safe="/"), "uriBaseId": SRCROOT}
    return {"uri": Path(absolute).as_uri()}


def fingerprint(*parts: str | None) -> str:
    joined = "\x1f".join(part or "" for part in parts)
    return hashlib.sha256(joined.encode("utf-8", "surrogatepass")).hexdigest()


def _fence(text: str) -> str:
    """A Markdown code fence longer than any run of backticks in ``text``."""
    longest = run = 0
    for char in text:
        run = run + 1 if char == "`" else 0
        longest = max(longest, run)
    return "`" * max(3, longest + 1)


def rule_help_markdown(rule: Any) -> str:
    failing, passing = rule.failing.strip("\n"), rule.passing.strip("\n")
    fail_fence, pass_fence = _fence(failing), _fence(passing)
    return "\n".join([
        f"**{rule.code} ({rule.name})**: {rule.summary}",
        "",
        rule.explanation.strip(),
        "",
        f"Category: `{rule.category}`. Default severity: `{rule.severity}`.",
        "",
        "Fails:",
        "",
        f"{fail_fence}markdown",
        failing,
        fail_fence,
        "",
        "Passes:",
        "",
        f"{pass_fence}markdown",
        passing,
        pass_fence,
        "",
    ])


def rule_descriptor(rule: Any) -> dict[str, Any]:
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": " ".join(rule.explanation.split())},
        "help": {"text": rule.documentation(), "markdown": rule_help_markdown(rule)},
        "helpUri": RULE_DOCS_URI + rule.code.lower(),
        "defaultConfiguration": {"level": LEVEL[rule.severity]},
        "properties": {"tags": [str(rule.category)]},
    }


def region(finding: Finding) -> dict[str, int]:
    span = finding.span
    if span is None:
        return {"startLine": 1}
    return {"startLine": span.line, "startColumn": span.column,
            "endLine": span.end_line, "endColumn": span.end_column}


class SarifReporter:
    def __init__(self, stream: TextIO, *, color: bool = False) -> None:
        from carbonlint.rules import all_rules

        self.stream = stream
        self.root = repo_root()
        rules = list(all_rules().values())
        self.rule_index = {rule.code: index for index, rule in enumerate(rules)}
        self.notifications: list[dict[str, Any]] = []
        self.crashed = False
        self.count = 0
        driver = {
            "name": "carbonlint",
            "version": __version__,
            "semanticVersion": __version__,
            "informationUri": INFORMATION_URI,
            "rules": [rule_descriptor(rule) for rule in rules],
        }
        head = json_dumps({"tool": {"driver": driver}, "columnKind": "unicodeCodePoints"},
                          indent=2)
        # Everything of the run but its results and invocations; those follow as cards arrive.
        self.stream.write('{\n  "$schema": ' + json.dumps(SCHEMA_URI) + ',\n  "version": "2.1.0",\n'
                          '  "runs": [\n    ' + textwrap.indent(head[:-2], "    ").lstrip()
                          + ',\n      "results": [')

    def _result(self, card: CardReport, finding: Finding, location: dict[str, str],
                seen: dict[str, int]) -> dict[str, Any]:
        text = finding.message + (f"\nhelp: {finding.suggestion}" if finding.suggestion else "")
        base = fingerprint(finding.code, location["uri"], finding.key, finding.message)
        seen[base] = seen.get(base, 0) + 1
        result: dict[str, Any] = {"ruleId": finding.code}
        if finding.code in self.rule_index:
            result["ruleIndex"] = self.rule_index[finding.code]
        result.update({
            "level": LEVEL[finding.severity],
            "message": {"text": sarif_message(text)},
            "locations": [{"physicalLocation": {"artifactLocation": location,
                                                "region": region(finding)}}],
            "partialFingerprints": {FINGERPRINT_KEY: f"{base}:{seen[base]}"},
            "properties": {"category": str(finding.category)},
        })
        if finding.key is not None:
            result["properties"]["key"] = finding.key
        return result

    def report(self, card: CardReport) -> None:
        location = artifact_location(card.path, self.root)
        if card.error is not None:
            self.crashed |= card.internal_error
            self.notifications.append({
                "level": "error",
                "message": {"text": sarif_message(f"{card.path}: cannot lint this card: {card.error}")},
                "locations": [{"physicalLocation": {"artifactLocation": location}}],
                "descriptor": {"id": "internal-error" if card.internal_error else "unreadable-card"},
            })
        seen: dict[str, int] = {}
        for finding in card.findings:
            text = json_inert(dumps(self._result(card, finding, location, seen), "        "))
            self.stream.write(("," if self.count else "") + "\n        " + text)
            self.count += 1

    def close(self, summary: Summary) -> None:
        invocation: dict[str, Any] = {"executionSuccessful": not self.crashed}
        if self.notifications:
            invocation["toolExecutionNotifications"] = self.notifications
        invocation["properties"] = {"summary": {
            "files": summary.files, "errors": summary.errors, "warnings": summary.warnings,
            "infos": summary.infos, "unreadable": summary.unreadable,
            "below_min_class": summary.below_min_class,
            "emissions_stated": summary.emissions_stated()}}
        tail = json_dumps([invocation], indent=2).replace("\n", "\n      ")
        self.stream.write(("\n      " if self.count else "") + '],\n      "invocations": '
                          + tail + "\n    }\n  ]\n}\n")
