"""The rule registry.

A *rule* is documentation and defaults: a stable code (``CL`` + three digits; the first digit is
the category), a name, a category, a default severity, a one-line summary, a longer explanation,
and a failing and a passing example (both are run by the tests, so the docs cannot drift).

A *check* is a generator over a parsed card that yields :class:`~carbonlint.findings.Problem`
objects for one or more codes. Several codes can come from one check when they share work (one
``jsonschema`` pass yields every schema code). Severity is not the check's business: the pipeline
applies the configured one.

Rule families live in one module each (``parse``, ``schema``, ``reporting``...); importing a
family registers its rules and checks.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, Callable, Iterator, NamedTuple

from carbonlint.findings import Category, Problem, Severity

if TYPE_CHECKING:
    from carbonlint.checker import Context

FAMILIES = ("parse", "schema", "values", "reporting")


class Rule(NamedTuple):
    code: str
    name: str
    category: Category
    severity: Severity
    summary: str
    explanation: str
    failing: str  # a card (or only its front matter) that triggers the rule
    passing: str  # the same card, corrected
    fixable: bool = False

    def documentation(self) -> str:
        """The text of ``carbonlint explain CODE``."""
        lines = [
            f"{self.code} ({self.name})",
            "",
            self.summary,
            "",
            f"Category: {self.category}    Default severity: {self.severity}"
            + ("    Fixable: yes" if self.fixable else ""),
            "",
            self.explanation.strip(),
            "",
            "Fails:",
            "",
            textwrap.indent(self.failing.strip("\n"), "    "),
            "",
            "Passes:",
            "",
            textwrap.indent(self.passing.strip("\n"), "    "),
        ]
        return "\n".join(lines) + "\n"


CheckFunction = Callable[["Context"], Iterator[Problem]]


class Check(NamedTuple):
    function: CheckFunction
    codes: frozenset[str]


_RULES: dict[str, Rule] = {}
_CHECKS: list[Check] = []
_loaded = False


def rule(
    code: str,
    name: str,
    category: Category,
    severity: Severity,
    summary: str,
    explanation: str,
    *,
    failing: str,
    passing: str,
    fixable: bool = False,
) -> Rule:
    """Register a rule's documentation and defaults."""
    if code in _RULES:
        raise ValueError(f"rule code {code} registered twice")
    registered = Rule(
        code, name, category, severity, summary, textwrap.dedent(explanation), textwrap.dedent(failing),
        textwrap.dedent(passing), fixable,
    )
    _RULES[code] = registered
    return registered


def check(*codes: str) -> Callable[[CheckFunction], CheckFunction]:
    """Register a check that yields problems for ``codes`` (it runs when any is selected)."""

    def register(function: CheckFunction) -> CheckFunction:
        _CHECKS.append(Check(function, frozenset(codes)))
        return function

    return register


def _load() -> None:
    global _loaded
    if not _loaded:
        import importlib

        for family in FAMILIES:
            importlib.import_module(f"carbonlint.rules.{family}")
        _loaded = True


def all_rules() -> dict[str, Rule]:
    """Every rule, by code, in code order."""
    _load()
    return dict(sorted(_RULES.items()))


def all_checks() -> list[Check]:
    _load()
    return list(_CHECKS)


def get(code: str) -> Rule | None:
    return all_rules().get(code.strip().upper())
