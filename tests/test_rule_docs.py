"""Every rule is documented, and its documented examples do what the documentation says."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from carbonlint.findings import Category, Severity
from carbonlint.rules import all_rules
from conftest import codes, lint_bytes

RULES = all_rules()
# Examples that need a configuration to show their rule (documented in each rule's text).
EXAMPLE_CONFIG = {"CL200": {"require_emissions": True}, "CL210": {"min_class": "awareness"}}
# CL310/CL311 compare with a CodeCarbon file: the one their documentation describes.
_CODECARBON = {"codecarbon": str(Path(__file__).resolve().parent / "data" / "codecarbon" / "v2.csv")}
EXAMPLE_CONFIG.update({"CL310": _CODECARBON, "CL311": _CODECARBON})


def example_bytes(example: str) -> bytes:
    """An example as file content; a literal \\xNN in an example stands for that raw byte."""
    text = textwrap.dedent(example).strip("\n") + "\n"
    text = re.sub(r"\s+\(saved as [^)]*\)", "", text)
    return re.sub(rb"\\x([0-9a-f]{2})", lambda m: bytes([int(m.group(1), 16)]), text.encode("utf-8"))


def test_codes_are_stable_and_grouped_by_category() -> None:
    first_digit = {Category.PARSE: "0", Category.SCHEMA: "1", Category.REPORTING: "2",
                   Category.CONSISTENCY: "3", Category.PLAUSIBILITY: "4", Category.EFFICIENCY: "5"}
    names = set()
    for code, rule in RULES.items():
        assert re.fullmatch(r"CL\d{3}", code)
        assert code[2] == first_digit[rule.category], code
        assert isinstance(rule.severity, Severity)
        assert rule.name not in names
        names.add(rule.name)


@pytest.mark.parametrize("code", sorted(RULES))
def test_rule_has_documentation(code: str) -> None:
    rule = RULES[code]
    assert rule.summary.endswith(".") and len(rule.summary) < 110
    assert len(rule.explanation.split()) >= 15
    doc = rule.documentation()
    assert doc.startswith(f"{code} ({rule.name})")
    assert "Fails:" in doc and "Passes:" in doc


@pytest.mark.parametrize("code", sorted(RULES))
def test_failing_example_fails_with_this_rule(code: str) -> None:
    report = lint_bytes(example_bytes(RULES[code].failing), **EXAMPLE_CONFIG.get(code, {}))
    assert code in codes(report), report.findings


@pytest.mark.parametrize("code", sorted(RULES))
def test_passing_example_fixes_the_rule(code: str) -> None:
    """The corrected card no longer triggers the rule, and has no error at all; other rules
    may still suggest more (a passing example for CL101 need not also fill every field)."""
    report = lint_bytes(example_bytes(RULES[code].passing), **EXAMPLE_CONFIG.get(code, {}))
    assert code not in codes(report), report.findings
    assert [f for f in report.findings if str(f.severity) == "error"] == []


def test_explain_prints_the_documentation(run) -> None:
    code, out, _ = run("explain", "cl106")
    assert code == 0
    assert out == RULES["CL106"].documentation()


def test_explain_unknown_code(run) -> None:
    code, out, err = run("explain", "CL19")
    assert code == 2 and out == ""
    assert "no rule 'CL19'" in err and "did you mean" in err


def test_explain_a_prefix(run) -> None:
    code, out, err = run("explain", "CL10")
    assert code == 2 and out == ""
    assert "'CL10' is a prefix of" in err and "CL101" in err


def test_rules_lists_every_rule(run) -> None:
    code, out, _ = run("rules")
    assert code == 0
    listed = [line.split()[0] for line in out.splitlines()]
    assert listed == list(RULES)


def test_rules_json(run) -> None:
    import json

    code, out, _ = run("rules", "--format", "json")
    data = json.loads(out)
    assert [r["code"] for r in data] == list(RULES)
    assert {"code", "name", "category", "severity", "fixable", "summary"} <= set(data[0])


def test_docs_rules_md_is_generated_from_the_registry(run) -> None:
    from pathlib import Path

    code, out, _ = run("rules", "--format", "markdown")
    page = Path(__file__).resolve().parents[1] / "docs" / "rules.md"
    assert code == 0
    assert page.read_text(encoding="utf-8") == out, "regenerate: carbonlint rules --format markdown > docs/rules.md"
    for rule in RULES.values():
        assert f"## {rule.code}" in out
