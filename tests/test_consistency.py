"""Metadata against the card's text: tolerances, unit slips, and staying quiet when unsure."""

from __future__ import annotations

import pytest

from conftest import codes, lint

SELECT = {"select": ("CL3",)}


@pytest.mark.parametrize(
    ("metadata", "text"),
    [
        ("3.7679548759427006", "- CO2 Emissions (in grams): 3.7680"),  # AutoTrain's rounding
        ("1710", "It emitted 1.71 KgCO2."),
        ("24_700_000", "BLOOM emitted 24.7 tonnes of CO2eq."),
        ("13.2", "- **Carbon Emitted**: 0.013 kg of CO2"),
        ("1200", "About 1.2 kg CO2eq were emitted."),
        ("4475000", "Training emitted 4,475 KgCO2 (Germany)."),
    ],
)
def test_agreeing_figures_are_quiet(metadata: str, text: str) -> None:
    assert codes(lint(f"co2_eq_emissions: {metadata}", body=f"# M\n\n{text}\n", **SELECT)) == []


@pytest.mark.parametrize(
    ("metadata", "text", "corrected"),
    [
        ("5.6", "Training emitted 5.6 KgCO2.", "5600"),
        ("24.7", "Training emitted 24.7 tonnes of CO2eq.", "24700000"),
        ("12.5", "- **Carbon Emitted:** 12.5 kg CO2eq", "12500"),
    ],
)
def test_unit_slips(metadata: str, text: str, corrected: str) -> None:
    report = lint(f"co2_eq_emissions: {metadata}", body=f"# M\n\n{text}\n", **SELECT)
    (finding,) = report.findings
    assert finding.code == "CL302" and finding.suggestion == f"write {corrected}"
    assert finding.line == 2  # at the metadata value


def test_structured_mismatch() -> None:
    report = lint("co2_eq_emissions: 1250", body="# M\n\n- CO2 Emissions (in grams): 893.2000\n", **SELECT)
    (finding,) = report.findings
    assert finding.code == "CL301"
    assert finding.message == ("co2_eq_emissions is 1250 g, but the text on line 6 says "
                               "'CO2 Emissions: 893.2000' (893.2 g)")


def test_several_free_text_figures_are_not_compared() -> None:
    body = "# M\n\nWe emitted 40 kg of CO2, far less than GPT-3 (552 tonnes of CO2eq).\n"
    assert codes(lint("co2_eq_emissions: 12", body=body, **SELECT)) == []


def test_free_text_is_not_compared_beyond_the_unit_slip() -> None:
    body = "# M\n\nFor comparison, BERT pre-training emitted 652 kg of CO2.\n"
    assert codes(lint("co2_eq_emissions: 80", body=body, **SELECT)) == []
    body = "# M\n\nTraining emitted 40 kg of CO2eq.\n"  # the slip: 40 written for 40 kg
    assert codes(lint("co2_eq_emissions: 40", body=body, **SELECT)) == ["CL302"]


def test_figures_in_code_blocks_do_not_count() -> None:
    body = "# M\n\n```\nemitted 5.6 KgCO2\n```\n<!-- emitted 5.6 KgCO2 -->\n"
    assert codes(lint("co2_eq_emissions: 5.6", body=body, **SELECT)) == []


def test_zero_without_evidence_is_not_questioned() -> None:
    assert codes(lint("co2_eq_emissions: 0", **SELECT)) == []
    assert codes(lint("co2_eq_emissions: 0", body="# M\n\nTrained for 36 hours.\n", **SELECT)) == ["CL303"]


def test_hardware_mismatch_and_match_by_family() -> None:
    body = "# M\n\n- **Hardware Type:** 8 x A100 80GB\n"
    assert codes(lint("co2_eq_emissions:\n  emissions: 5\n  hardware_used: 8 x V100", body=body,
                      **SELECT)) == ["CL305"]
    assert codes(lint("co2_eq_emissions:\n  emissions: 5\n  hardware_used: 1 x A100 40GB PCIe",
                      body=body, **SELECT)) == []


def test_location_same_country_is_quiet() -> None:
    body = "# M\n\n- **Compute Region:** Germany\n"
    assert codes(lint("co2_eq_emissions:\n  emissions: 5\n  geographical_location: Frankfurt, Germany",
                      body=body, **SELECT)) == []
    assert codes(lint("co2_eq_emissions:\n  emissions: 5\n  geographical_location: France",
                      body=body, **SELECT)) == ["CL304"]


def test_training_type_mismatch() -> None:
    body = "# M\n\n- **Training type:** fine-tuning\n"
    assert codes(lint("co2_eq_emissions:\n  emissions: 5\n  training_type: pretraining",
                      body=body, **SELECT)) == ["CL306"]


def test_no_unit_slip_asserted_beyond_what_the_hardware_can_emit() -> None:
    """One A100 for two hours emits some hundreds of grams: "12.5 kg" in the text is no
    kilogram figure to write into the grams field, whatever the metadata's 12.5 is."""
    metadata = ("co2_eq_emissions:\n  emissions: 12.5\n  source: CodeCarbon\n"
                "  training_type: fine-tuning\n  hardware_used: 1 x NVIDIA A100 40GB")
    body = ("# Review Sentiment BERT\n\n## Environmental Impact\n\n"
            "- **Carbon Emissions:** 12.5 kg CO2eq\n- **Hardware:** 1 x NVIDIA A100 40GB\n"
            "- **Training Time:** 2 hours\n")
    report = lint(metadata, body=body, **SELECT)
    (finding,) = report.findings
    assert finding.code == "CL301" and finding.fix is None
    assert "'Carbon Emissions: 12.5 kg CO2eq' (12500 g)" in finding.message
    assert "hardware and hours give about" in finding.message and "fits neither" in finding.message
    # Without the hours there is no estimate to doubt the slip with: CL302 and its fix.
    body = "# Review Sentiment BERT\n\n- **Carbon Emissions:** 12.5 kg CO2eq\n"
    (finding,) = lint(metadata, body=body, **SELECT).findings
    assert finding.code == "CL302" and finding.suggestion == "write 12500"
