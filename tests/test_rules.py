"""Rule behaviour on realistic cards: exact codes, positions, messages and suggestions."""

from __future__ import annotations

import pytest

from carbonlint.findings import Severity, Span
from conftest import codes, lint, lint_text


def only(report, code):
    found = [f for f in report.findings if f.code == code]
    assert len(found) == 1, report.findings
    return found[0]


def test_autotrain_scalar_card_gets_only_reporting_advice() -> None:
    report = lint("""
        tags:
        - autotrain
        - text-classification
        language:
        - en
        widget:
        - text: "I love AutoTrain"
        datasets:
        - acme/autotrain-data-reviews
        co2_eq_emissions: 3.7679548759427006
        """, body="# Model Trained Using AutoTrain\n\n- CO2 Emissions (in grams): 3.7680\n")
    # One note for what AutoTrain does not record (CL209, issue 12), not CL201 and CL202.
    assert codes(report) == ["CL209", "CL205"]
    assert report.emissions_g == pytest.approx(3.7679548759427006)
    assert report.reporting_class == "basic"
    assert report.fields_present == ["emissions"]


def test_sentence_transformers_card_with_extension_keys_is_clean() -> None:
    report = lint("""
        library_name: sentence-transformers
        co2_eq_emissions:
          emissions: 13.2
          energy_consumed: 0.034
          source: codecarbon
          training_type: fine-tuning
          on_cloud: false
          cpu_model: 13th Gen Intel(R) Core(TM) i7-13700K
          ram_total_size: 31.78
          hours_used: 0.11
          hardware_used: 1 x NVIDIA GeForce RTX 3090
        """)
    assert codes(report) == ["CL202"]  # the one spec field it lacks
    assert report.reporting_class == "awareness"
    assert report.fields_present == ["emissions", "source", "training_type", "hardware_used"]


def test_string_with_unit_gives_grams() -> None:
    report = lint("""
        co2_eq_emissions:
          emissions: "0.21 in grams of CO2"
        """)
    finding = only(report, "CL106")
    assert finding.span == Span(3, 14, 3, 36)
    assert finding.suggestion == "write 0.21"
    assert finding.severity is Severity.ERROR
    assert report.emissions_g == pytest.approx(0.21)  # understood, though badly written


@pytest.mark.parametrize(
    ("value", "grams"),
    [("1.2 kg", "1200"), ("24.7 tonnes", "24700000"), ("5.6 KgCO2", "5600"), ("'1,500 g'", "1500"),
     ("'12.5 kg CO2eq'", "12500")],
)
def test_units_are_converted(value: str, grams: str) -> None:
    finding = only(lint(f"co2_eq_emissions: {value}"), "CL106")
    assert finding.suggestion.startswith(f"write {grams}")
    # A comma may be a decimal comma: the suggestion says so, and fix leaves it to the author.
    assert ("decimal comma" in finding.suggestion) == ("," in value)
    assert (finding.fix is None) == ("," in value)


@pytest.mark.parametrize("value", ["TBD", "'[More Information Needed]'", "", "{}", "N/A"])
def test_placeholders_are_not_numbers(value: str) -> None:
    report = lint(f"co2_eq_emissions:\n  emissions: {value}")
    assert report.emissions_g is None
    assert report.reporting_class == "unknown"
    assert codes(report) == ["CL102"]


def test_missing_emissions_points_at_the_key() -> None:
    report = lint("""
        license: mit
        co2_eq_emissions:
          source: CodeCarbon
        """)
    finding = only(report, "CL101")
    assert finding.span == Span(3, 1, 3, 17)
    assert finding.key == "co2_eq_emissions.emissions"


def test_negative_and_non_finite() -> None:
    report = lint("""
        co2_eq_emissions:
          emissions: -3
          energy_consumed: .inf
          hours_used: .nan
        """)
    assert codes(report) == ["CL103", "CL104", "CL104"]
    assert report.emissions_g is None


def test_booleans_name_the_yaml_word() -> None:
    report = lint("""
        co2_eq_emissions:
          emissions: 10
          hardware_used: no
          on_cloud: true
        """)
    finding = only(report, "CL105")
    assert "'no'" in finding.message and finding.key == "co2_eq_emissions.hardware_used"


def test_boolean_emissions() -> None:
    assert codes(lint("co2_eq_emissions: yes")) == ["CL105"]


@pytest.mark.parametrize(
    ("key", "meant"),
    [("geographic_location", "geographical_location"), ("'hardware used'", "hardware_used"),
     ("Emissions", "emissions"), ("location", "geographical_location"), ("gpu", "hardware_used"),
     ("hours", "hours_used")],
)
def test_misspelled_keys(key: str, meant: str) -> None:
    report = lint(f"co2_eq_emissions:\n  {key}: x\n  emissions: 5" if meant != "emissions"
                  else f"co2_eq_emissions:\n  {key}: 5")
    finding = only(report, "CL107")
    assert f"did you mean '{meant}'" in finding.message
    assert finding.span.line == 3


def test_unknown_key_without_a_guess() -> None:
    finding = only(lint("co2_eq_emissions:\n  emissions: 5\n  colour: green"), "CL107")
    assert "did you mean" not in finding.message and finding.suggestion is None


@pytest.mark.parametrize(
    ("value", "meant"),
    [("pretraining", "pre-training"), ("finetuning", "fine-tuning"), ("Fine-Tuning", "fine-tuning"),
     ("fine tuning", "fine-tuning"), ("pre_training", "pre-training")],
)
def test_training_type_spellings(value: str, meant: str) -> None:
    finding = only(lint(f"co2_eq_emissions:\n  emissions: 5\n  training_type: {value}"), "CL109")
    assert finding.suggestion == f"write '{meant}'"


def test_training_type_placeholder() -> None:
    finding = only(lint("co2_eq_emissions:\n  emissions: 5\n  training_type: unknown"), "CL109")
    assert "neither" in finding.message


def test_list_instead_of_mapping() -> None:
    report = lint("""
        co2_eq_emissions:
          - emissions: 5
          - source: AutoTrain
        """)
    finding = only(report, "CL108")
    assert finding.suggestion == "remove the dashes: the entries are one mapping"
    assert report.emissions_g is None


def test_hardware_as_list_is_not_a_string() -> None:
    finding = only(lint("co2_eq_emissions:\n  emissions: 5\n  hardware_used: [A100, A100]"), "CL110")
    assert finding.suggestion == "join the items into one string"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("24_700_000", "write 24700000"), ("'1:30'", None), ("010", "write 8")],
)
def test_yaml_versions(value: str, expected: str | None) -> None:
    report = lint(f"co2_eq_emissions: {value}")
    if expected is None:  # quoted: text for both, so a schema error instead
        assert codes(report) == ["CL102"]
    else:
        assert only(report, "CL111").suggestion == expected


def test_exponent_without_dot_is_text_for_pyyaml() -> None:
    report = lint("co2_eq_emissions:\n  emissions: 1.5e3")
    finding = only(report, "CL106")
    assert "YAML 1.1" in finding.message and finding.suggestion == "write 1500"
    assert "CL111" not in codes(report)  # one finding for one mistake


def test_bloom_card_is_only_warned_about_underscores() -> None:
    report = lint("""
        co2_eq_emissions:
          emissions: 24_700_000
          source: "Estimating the Carbon Footprint of BLOOM, a 176B Parameter Language Model. https://arxiv.org/abs/2211.02001"
          training_type: "pre-training"
          geographical_location: "Orsay, France"
          hardware_used: "384 A100 80GB GPUs"
        """)
    assert codes(report) == ["CL111"]
    assert report.reporting_class == "awareness"
    assert report.emissions_g == 24_700_000


@pytest.mark.parametrize("key", ["co2_eq_emission", "CO2_eq_emissions", "co2-eq-emissions", "co2_emissions"])
def test_misspelled_top_level_key(key: str) -> None:
    report = lint(f"{key}: 5")
    finding = only(report, "CL112")
    assert finding.suggestion == f"rename '{key}' to 'co2_eq_emissions'"
    assert report.reporting_class == "unknown"


def test_unrelated_top_level_keys_are_not_misspellings() -> None:
    assert codes(lint("co2_eq_emissions: 5\nmodel-index: []\nemissions_report: x", select=("CL1",))) == []


def test_require_emissions() -> None:
    assert codes(lint("license: mit")) == []
    report = lint("license: mit", require_emissions=True)
    assert only(report, "CL200").span == Span(1, 1, 1, 4)
    assert codes(lint_text("# no front matter\n", require_emissions=True)) == ["CL200"]
    # A broken front matter is reported once, as a parse error, not also as missing.
    assert codes(lint_text("---\na: [\n---\n", require_emissions=True)) == ["CL001"]


def test_min_class_finding_says_how_to_climb() -> None:
    report = lint("co2_eq_emissions: 5", min_class="awareness")
    finding = only(report, "CL210")
    assert "'basic' is below the required 'awareness'" in finding.message
    assert "hardware_used" in finding.message
    assert "CL210" not in codes(lint("co2_eq_emissions: 5", min_class="basic"))
