"""The findings data model: what every check produces and every formatter reads.

A check yields :class:`Problem` objects (where and what, no severity); the pipeline turns them
into :class:`Finding` objects by looking up the rule's category and the configured severity.
Formatters only ever see :class:`CardReport` lists.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

from carbonlint.record import Record


class Severity(enum.IntEnum):
    """Ordered so that ``max()`` gives the worst severity."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    def __str__(self) -> str:  # "error", as in the JSON output
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise ValueError(
                f"unknown severity {text!r} (expected one of: error, warning, info)"
            ) from None


class Category(str, enum.Enum):
    PARSE = "parse"
    SCHEMA = "schema"
    REPORTING = "reporting"
    CONSISTENCY = "consistency"
    PLAUSIBILITY = "plausibility"
    EFFICIENCY = "efficiency"

    def __str__(self) -> str:
        return self.value


# The immutable value types are named tuples (carbonlint.record.Record) rather than frozen
# dataclasses: creating a frozen dataclass costs ~1 ms at import, a typing.NamedTuple about as
# much in a fresh interpreter, a Record ~0.3 ms, and every pre-commit run pays it.


class Span(Record):
    """A region of the file: 1-based lines and columns; ``end_column`` is exclusive."""

    line: int
    column: int
    end_line: int
    end_column: int


class Fix(Record):
    """A mechanical edit: replace ``span`` of the file with ``replacement``.

    ``unsafe`` marks an edit that is probably right but not certain (a unit slip inferred from
    the physical estimate alone); ``carbonlint fix`` applies it only with ``--unsafe-fixes``.
    """

    span: Span
    replacement: str
    description: str
    unsafe: bool = False


class Problem(Record):
    """What a rule yields: a code, a message and where; severity comes from configuration."""

    code: str
    message: str
    span: Span | None = None
    key: str | None = None
    suggestion: str | None = None
    fix: Fix | None = None


class Finding(Record):
    code: str
    category: Category
    severity: Severity
    message: str
    span: Span | None = None
    key: str | None = None
    suggestion: str | None = None
    fix: Fix | None = None

    @property
    def line(self) -> int | None:
        return self.span.line if self.span else None

    @property
    def column(self) -> int | None:
        return self.span.column if self.span else None

    @property
    def end_line(self) -> int | None:
        return self.span.end_line if self.span else None

    @property
    def end_column(self) -> int | None:
        return self.span.end_column if self.span else None

    def sort_key(self) -> tuple[int, int, str]:
        return (self.line or 0, self.column or 0, self.code)


@dataclass
class CardReport:
    """Everything carbonlint concluded about one model card."""

    path: str
    reporting_class: str = "unknown"
    reporting_reason: str = ""
    next_step: str | None = None
    emissions_g: float | None = None
    efficiency: dict[str, Any] | None = None
    error: str | None = None
    findings: list[Finding] = field(default_factory=list)
    # Which of the spec's five fields the card fills (issue: report them).
    fields_present: list[str] = field(default_factory=list)
    # The life-cycle phases the card reports (training, embodied, idle, deployment) and the
    # completeness note given beside the reporting class (docs/lifecycle.md); None: no emissions.
    lifecycle_phases: list[str] = field(default_factory=list)
    lifecycle_note: str | None = None
    # The physical estimate in grams, when the plausibility checks made one (for the HTML report).
    estimate_g: float | None = None
    created_at: str | None = None  # YYYY-MM-DD, where the Hub (or a data set) says
    below_min_class: bool = False  # set by the run, which knows --min-class
    # Where the card states its emissions: "metadata", "text" (only) or "none" (None: unread).
    emissions_stated: str | None = None
    # The text's own figure when only the text states it (see carbonlint.stated).
    text_emissions: dict[str, Any] | None = None
    internal_error: bool = False  # a bug in carbonlint, not in the card: exit code 2
    graded: bool = True  # False for a template (CL007): no class, never below --min-class
    # --show-estimate: the estimate, peer group and label inputs (carbonlint.judging_details).
    judging: dict[str, Any] | None = None

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)

    @property
    def worst(self) -> Severity | None:
        return max((f.severity for f in self.findings), default=None)
