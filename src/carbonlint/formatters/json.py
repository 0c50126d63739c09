"""``--format json``: one document, as specified in interface.md (``"version": 1``).

Written card by card, so memory stays flat however many cards a run checks.
"""

from __future__ import annotations

import json
import math
from typing import Any, TextIO

from carbonlint import __version__
from carbonlint.findings import CardReport, Finding
from carbonlint.formatters import Summary
from carbonlint.formatters.indented_json import dumps
from carbonlint.formatters.inert import json_inert


def finding_to_dict(finding: Finding) -> dict[str, Any]:
    return {
        "code": finding.code,
        "category": str(finding.category),
        "severity": str(finding.severity),
        "line": finding.line,
        "column": finding.column,
        "end_line": finding.end_line,
        "end_column": finding.end_column,
        "key": finding.key,
        "message": finding.message,
        "suggestion": finding.suggestion,
        "fixable": finding.fix is not None,
    }


def _finite(value: float | None) -> float | None:
    return value if value is None or math.isfinite(value) else None


def card_to_dict(card: CardReport) -> dict[str, Any]:
    emissions = card.emissions_g
    fields = {
        "path": card.path,
        "reporting_class": card.reporting_class,
        "reporting_reason": card.reporting_reason,
        "next_step": card.next_step,
        "fields_present": card.fields_present,
        "emissions_g": _finite(emissions),
        "efficiency": card.efficiency,
        "lifecycle": ({"phases": card.lifecycle_phases, "note": card.lifecycle_note}
                      if card.lifecycle_note is not None else None),
        "estimate_g": _finite(card.estimate_g),
        "created_at": card.created_at,
        "error": card.error,
        "below_min_class": card.below_min_class,
        "emissions_stated": card.emissions_stated,
        "text_emissions": card.text_emissions,
        "findings": [finding_to_dict(f) for f in card.findings],
    }
    if card.judging is not None:  # --show-estimate
        fields["judging"] = card.judging
    return fields


class JsonReporter:
    def __init__(self, stream: TextIO, *, color: bool = False) -> None:
        self.stream = stream
        self.count = 0
        tool = json.dumps({"name": "carbonlint", "version": __version__})
        self.stream.write('{\n  "version": 1,\n  "tool": ' + tool + ',\n  "files": [')

    def report(self, card: CardReport) -> None:
        text = json_inert(dumps(card_to_dict(card), "    "))
        separator = "," if self.count else ""
        self.stream.write(separator + "\n    " + text)
        self.count += 1

    def close(self, summary: Summary) -> None:
        totals = {"files": summary.files, "errors": summary.errors, "warnings": summary.warnings,
                  "infos": summary.infos, "unreadable": summary.unreadable,
                  "below_min_class": summary.below_min_class,
                  "emissions_stated": summary.emissions_stated()}
        self.stream.write(("\n  " if self.count else "") + '],\n  "summary": '
                          + json.dumps(totals) + "\n}\n")
