"""``carbonlint report --from-json``: CardReports back from ``carbonlint check -f json``."""

from __future__ import annotations

import json
import math
from typing import Any

from carbonlint.findings import CardReport, Category, Finding, Severity, Span


class BadReportFile(ValueError):
    """The file is not a carbonlint JSON report; the message says why."""


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if math.isfinite(value) else None


def _finding(entry: Any, where: str) -> Finding:
    if not isinstance(entry, dict) or not isinstance(entry.get("code"), str):
        raise BadReportFile(f"{where}: a finding without a code")
    try:
        category = Category(entry.get("category"))
        severity = Severity.parse(str(entry.get("severity")))
    except ValueError as error:
        raise BadReportFile(f"{where}: {error}") from None
    positions = [entry.get(k) for k in ("line", "column", "end_line", "end_column")]
    span = Span(*positions) if all(isinstance(p, int) for p in positions) else None
    return Finding(code=entry["code"], category=category, severity=severity,
                   message=str(entry.get("message", "")), span=span,
                   key=entry.get("key") if isinstance(entry.get("key"), str) else None,
                   suggestion=entry.get("suggestion") if isinstance(entry.get("suggestion"), str) else None)


def _report(entry: Any, index: int) -> CardReport:
    where = f"files[{index}]"
    if not isinstance(entry, dict) or not isinstance(entry.get("path"), str):
        raise BadReportFile(f"{where}: not a card report (no path)")
    findings = entry.get("findings") or []
    if not isinstance(findings, list):
        raise BadReportFile(f"{where}: findings is not a list")
    efficiency = entry.get("efficiency")
    created = entry.get("created_at")
    stated = entry.get("emissions_stated")
    text_emissions = entry.get("text_emissions")
    return CardReport(
        path=entry["path"],
        reporting_class=str(entry.get("reporting_class") or "unknown"),
        reporting_reason=str(entry.get("reporting_reason") or ""),
        next_step=entry.get("next_step") if isinstance(entry.get("next_step"), str) else None,
        emissions_g=_number(entry.get("emissions_g")),
        efficiency=efficiency if isinstance(efficiency, dict) else None,
        error=entry.get("error") if isinstance(entry.get("error"), str) else None,
        findings=[_finding(f, f"{where}.findings[{i}]") for i, f in enumerate(findings)],
        fields_present=[f for f in entry.get("fields_present") or [] if isinstance(f, str)],
        estimate_g=_number(entry.get("estimate_g")),
        created_at=created if isinstance(created, str) else None,
        emissions_stated=stated if isinstance(stated, str) else None,
        text_emissions=text_emissions if isinstance(text_emissions, dict) else None,
    )


def read_reports(path: str) -> list[CardReport]:
    try:
        with open(path, encoding="utf-8") as stream:
            data = json.load(stream)
    except OSError as error:
        raise BadReportFile(f"cannot read {path}: {error.strerror or error}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise BadReportFile(f"{path} is not JSON ({error})") from None
    if not isinstance(data, dict) or data.get("version") != 1 or not isinstance(data.get("files"), list):
        raise BadReportFile(f"{path} is not a carbonlint JSON report (carbonlint check -f json, "
                            "\"version\": 1)")
    from carbonlint.grade import CLASSES

    reports = [_report(entry, i) for i, entry in enumerate(data["files"])]
    for index, report in enumerate(reports):
        if report.reporting_class not in CLASSES:
            raise BadReportFile(f"files[{index}]: unknown reporting class {report.reporting_class!r}")
    return reports
