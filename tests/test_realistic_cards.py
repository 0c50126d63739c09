"""Realistic cards of every producer: the class and the exact findings (code, line) of each.

The cards are in tests/cards/realistic/. Zero false alarms on ordinary cards is part of the job:
AutoTrain's rounded body line, "1.71 KgCO2" next to emissions: 1710, BLOOM's 24_700_000 next to
"24.7 tonnes" and a Sentence-Transformers card's "0.013 kg" next to 13.2 g raise no consistency
finding.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from carbonlint.checker import check_paths
from carbonlint.config import Config

CARDS = Path(__file__).parent / "cards" / "realistic"

EXPECTED = {
    # Generated cards: one note for what AutoTrain does not record (CL209), not four findings.
    "autotrain_scalar.md": ("basic", 3.7679548759427006, [("CL209", 11), ("CL205", 11)]),
    "autotrain_mapping.md": ("basic", 0.02110143527189543, [("CL209", 8)]),
    "sentence_transformers.md": ("awareness", 13.2, [("CL202", 8)]),
    "hand_written_complete.md": ("optimization", 1710.0, []),
    "bloom.md": ("awareness", 24_700_000.0, [("CL111", 4)]),
    "kg_in_grams.md": ("awareness", 5.6, [("CL302", 4)]),
    # The wrong location also puts the estimate 20 times below the number (CL402).
    "location_contradiction.md": ("awareness", 150_300.0, [("CL402", 3), ("CL304", 6)]),
    "template_unfilled.md": ("unknown", None, [("CL208", 14)]),
    "zero.md": ("awareness", 0.0, [("CL303", 3)]),
}


def report_for(name: str):
    (report,) = check_paths([str(CARDS / name)], Config())
    return report


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_class_and_exact_findings(name: str) -> None:
    reporting_class, grams, findings = EXPECTED[name]
    report = report_for(name)
    assert report.error is None
    assert report.reporting_class == reporting_class
    assert report.emissions_g == (pytest.approx(grams) if grams is not None else None)
    assert [(f.code, f.line) for f in report.findings] == findings


def test_every_realistic_card_has_an_expectation() -> None:
    assert sorted(p.name for p in CARDS.glob("*.md")) == sorted(EXPECTED)


def test_kilograms_in_the_grams_field_gives_the_corrected_value() -> None:
    (finding,) = report_for("kg_in_grams.md").findings
    assert finding.message == (
        "co2_eq_emissions.emissions is 5.6 g, but the text on line 13 says '5.6 KgCO2' (5600 g): "
        "the kilogram figure is in the grams field"
    )
    assert finding.suggestion == "write 5600"
    assert str(finding.severity) == "error"


def test_location_contradiction_names_both_places() -> None:
    (finding,) = [f for f in report_for("location_contradiction.md").findings if f.code == "CL304"]
    assert "geographical_location 'France'" in finding.message
    assert "us-east-1" in finding.message and "line 15" in finding.message


def test_zero_lists_the_evidence() -> None:
    (finding,) = report_for("zero.md").findings
    assert "source: codecarbon" in finding.message
    assert "hardware: 1 x NVIDIA Tesla T4" in finding.message


def test_template_placeholders_listed() -> None:
    (finding,) = report_for("template_unfilled.md").findings
    assert "Hardware Type, Hours used, Cloud Provider, Compute Region, Carbon Emitted" in finding.message
