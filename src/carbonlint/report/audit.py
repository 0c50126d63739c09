"""What the HTML report shows, computed from CardReports: counts, distributions, pairs.

Plain Python (no plotting), so that the numbers are testable on their own and the charts and
tables are drawn from one place.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from carbonlint.grade import CLASSES
from carbonlint.record import Record

if TYPE_CHECKING:
    from carbonlint.baselines import Baseline
    from carbonlint.findings import CardReport

LETTERS = "ABCDE"
SEVERITIES = ("error", "warning", "info")
# The 10x band of CL402 (plausibility-factor) and the 1000x unit slip of CL401.
PLAUSIBLE_FACTOR = 10.0
SLIP_FACTOR = 1000.0


class RuleCount(Record):
    code: str
    error: int
    warning: int
    info: int

    @property
    def total(self) -> int:
        return self.error + self.warning + self.info


class PeerPoint(Record):
    name: str
    group: str
    emissions_g: float


class PlausibilityPoint(Record):
    name: str
    reported_g: float
    estimate_g: float

    @property
    def ratio(self) -> float:
        return self.reported_g / self.estimate_g

    @property
    def verdict(self) -> str:
        """within 10x / near a 1000x slip / far: the same cut points as CL401 and CL402."""
        ratio = self.ratio
        if 1 / PLAUSIBLE_FACTOR <= ratio <= PLAUSIBLE_FACTOR:
            return "within 10x"
        for slip in (SLIP_FACTOR, 1 / SLIP_FACTOR):
            if slip / PLAUSIBLE_FACTOR <= ratio <= slip * PLAUSIBLE_FACTOR:
                return "about 1000x (unit slip?)"
        return "beyond 10x"


class Quarter(Record):
    quarter: str  # "2022-Q3"
    models: int
    reporting: int
    median_g: float | None

    @property
    def share(self) -> float:
        return self.reporting / self.models if self.models else 0.0


@dataclass
class Audit:
    """Everything the page draws, from one pass over the reports."""

    reports: list[CardReport]
    cards: int = 0
    unreadable: int = 0
    reporting: int = 0
    classes: dict[str, int] = field(default_factory=dict)
    labels: dict[str, int] = field(default_factory=dict)
    rules: list[RuleCount] = field(default_factory=list)
    severities: dict[str, int] = field(default_factory=dict)
    peers: list[PeerPoint] = field(default_factory=list)
    plausibility: list[PlausibilityPoint] = field(default_factory=list)
    quarters: list[Quarter] = field(default_factory=list)
    dated: int = 0

    @property
    def share_reporting(self) -> float:
        readable = self.cards - self.unreadable
        return self.reporting / readable if readable else 0.0


def display_name(path: str) -> str:
    return path.removeprefix("hf://")


def quarter_of(date: str | None) -> str | None:
    """"2022-08-14" -> "2022-Q3"; None for anything that is not a date."""
    if not date or len(date) < 7 or not date[:4].isdigit() or not date[5:7].isdigit():
        return None
    month = int(date[5:7])
    if not 1 <= month <= 12:
        return None
    return f"{date[:4]}-Q{(month - 1) // 3 + 1}"


def median(values: Sequence[float]) -> float | None:
    ordered = sorted(values)
    if not ordered:
        return None
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def _positive(value: float | None) -> bool:
    return value is not None and math.isfinite(value) and value > 0


def build_audit(reports: Iterable[CardReport], baseline: Baseline) -> Audit:
    audit = Audit(reports=list(reports))
    classes: Counter[str] = Counter()
    labels: Counter[str] = Counter()
    by_rule: dict[str, Counter[str]] = {}
    severities: Counter[str] = Counter()
    by_quarter: dict[str, list[float | None]] = {}
    for report in audit.reports:
        audit.cards += 1
        if report.error is not None:
            audit.unreadable += 1
            continue
        classes[report.reporting_class] += 1
        grams = report.emissions_g
        if grams is not None:
            audit.reporting += 1
        label = (report.efficiency or {}).get("label")
        if isinstance(label, str) and len(label) == 1 and label in LETTERS:
            labels[label] += 1
        for finding in report.findings:
            severity = str(finding.severity)
            by_rule.setdefault(finding.code, Counter())[severity] += 1
            severities[severity] += 1
        group = (report.efficiency or {}).get("peer_group")
        if _positive(grams) and group in baseline.groups:
            audit.peers.append(PeerPoint(display_name(report.path), group, grams))  # type: ignore[arg-type]
        if _positive(grams) and _positive(report.estimate_g):
            audit.plausibility.append(
                PlausibilityPoint(display_name(report.path), grams, report.estimate_g))  # type: ignore[arg-type]
        quarter = quarter_of(report.created_at)
        if quarter is not None:
            audit.dated += 1
            by_quarter.setdefault(quarter, []).append(grams)
    audit.classes = {name: classes.get(name, 0) for name in CLASSES}
    audit.labels = {letter: labels.get(letter, 0) for letter in LETTERS}
    audit.severities = {name: severities.get(name, 0) for name in SEVERITIES}
    audit.rules = sorted(
        (RuleCount(code, c["error"], c["warning"], c["info"]) for code, c in by_rule.items()),
        key=lambda r: (-r.error, -r.total, r.code))
    audit.quarters = [
        Quarter(q, len(values), sum(v is not None for v in values),
                median([v for v in values if v is not None and math.isfinite(v)]))
        for q, values in sorted(by_quarter.items())
    ]
    return audit
