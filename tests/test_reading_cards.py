"""Reading cards as their authors meant them (issue 12): templates, a mapping written as a list,
extension keys written with their unit. Every card here is written for the test, after the
shapes real cards take; each test gives the exact findings expected."""

from __future__ import annotations

from pathlib import Path

from carbonlint.config import Config
from carbonlint.fix import fix_text
from conftest import lint_text


def found(report) -> list[tuple[str, int | None, int | None]]:
    return [(f.code, f.line, f.column) for f in report.findings]


# -- extension keys with their unit --------------------------------------------------------------

SETFIT_HOURS = """\
---
library_name: setfit
tags:
- setfit
- sentence-transformers
co2_eq_emissions:
  emissions: 11904.7
  source: codecarbon
  training_type: fine-tuning
  on_cloud: false
  cpu_model: 13th Gen Intel(R) Core(TM) i7-13700K
  ram_total_size: 31.8
  hours_used: 504 hours
  hardware_used: 1 x NVIDIA GeForce RTX 4090
  geographical_location: Lyon, France
---

# SetFit with BAAI/bge-small-en-v1.5
"""


def test_hours_with_their_unit_get_the_number_and_a_fix() -> None:
    report = lint_text(SETFIT_HOURS)
    assert found(report) == [("CL102", 13, 15)]
    (finding,) = report.findings
    assert finding.message == ("co2_eq_emissions.hours_used is the text '504 hours', not a "
                               "number: the key holds hours as a plain number")
    assert finding.suggestion == "write 504"
    text, applied, after, note = fix_text(SETFIT_HOURS, "README.md", Config())
    assert note is None and dict(applied) == {"CL102": 1}
    assert text == SETFIT_HOURS.replace("hours_used: 504 hours", "hours_used: 504")
    assert found(after) == []


def test_other_units_are_converted_exactly_and_unknown_ones_only_named() -> None:
    card = SETFIT_HOURS.replace("hours_used: 504 hours", "hours_used: 90 minutes").replace(
        "ram_total_size: 31.8", "ram_total_size: 31.8 GB\n  energy_consumed: 850 Wh")
    # Only the value rules: 90 minutes no longer fits the card's 11,904.7 g (CL401 says so).
    report = lint_text(card, select=("CL1",))
    assert [(f.code, f.line, f.suggestion) for f in report.findings] == [
        ("CL102", 12, "write 31.8"), ("CL102", 13, "write 0.85"), ("CL102", 14, "write 1.5")]
    assert "850 Wh is 0.85 kWh" in report.findings[1].message
    # A count of devices is not a duration: named, not guessed, not fixed.
    report = lint_text(SETFIT_HOURS.replace("504 hours", "8 GPUs"))
    (finding,) = report.findings
    assert (finding.code, finding.suggestion, finding.fix) == (
        "CL102", "write the number of hours, without a unit", None)
    # "mWh": milli or mega? Not fixed.
    report = lint_text(SETFIT_HOURS.replace("hours_used: 504 hours", "energy_consumed: 3 mWh"))
    assert [(f.code, f.fix) for f in report.findings] == [("CL102", None)]


# -- co2_eq_emissions written as a list ------------------------------------------------------------

ONE_ITEM_LIST = """\
---
language: en
license: apache-2.0
co2_eq_emissions:
  - emissions: 1.2g CO2
    hardware used: 1 x NVIDIA RTX 3090
    source: CodeCarbon
    training_type: finetuning
---

# distilbert-imdb-sentiment

Fine-tuned on IMDB for two epochs.
"""


def test_a_one_item_list_is_reported_with_what_it_holds_in_one_pass() -> None:
    report = lint_text(ONE_ITEM_LIST)
    assert found(report) == [("CL108", 5, 3), ("CL106", 5, 16), ("CL107", 6, 5), ("CL109", 8, 20)]
    assert report.findings[0].suggestion == "remove the dash: the entries are one mapping"
    assert report.findings[1].suggestion == "write 1.2"
    assert "did you mean 'hardware_used'" in report.findings[2].message
    # The list does not count as reported emissions: the Hub reads none from it.
    assert report.reporting_class == "unknown"


def test_fix_turns_the_one_item_list_into_the_mapping_it_means() -> None:
    text, applied, after, note = fix_text(ONE_ITEM_LIST, "README.md", Config())
    assert note is None
    assert dict(applied) == {"CL108": 1, "CL106": 1, "CL107": 1, "CL109": 1}
    assert text.split("---")[1] == (
        "\nlanguage: en\nlicense: apache-2.0\nco2_eq_emissions:\n"
        "    emissions: 1.2\n    hardware_used: 1 x NVIDIA RTX 3090\n    source: CodeCarbon\n"
        "    training_type: fine-tuning\n")
    assert after.reporting_class == "awareness"
    assert [f.code for f in after.findings] == ["CL202"]


def test_a_list_whose_keys_repeat_is_only_cl108() -> None:
    card = ONE_ITEM_LIST.replace("    source: CodeCarbon\n", "  - emissions: 3.1\n")
    report = lint_text(card)
    assert [f.code for f in report.findings] == ["CL108"]
    assert report.findings[0].fix is None and report.findings[0].suggestion is None


# -- templates -------------------------------------------------------------------------------------

LIBRARY_TEMPLATE = """\
---
# For reference on model card metadata, see the spec: https://github.com/huggingface/hub-docs/blob/main/modelcard.md?plain=1
# Doc / guide: https://huggingface.co/docs/hub/model-cards
{{ card_data }}
---

# Model Card for {{ model_id | default("Model ID", true) }}

## Environmental Impact

- **Hardware Type:** {{ hardware_type | default("[More Information Needed]", true)}}
- **Hours used:** {{ hours_used | default("[More Information Needed]", true)}}
- **Carbon Emitted:** {{ co2_emitted | default("[More Information Needed]", true)}}
"""


def test_a_template_is_said_to_be_one_once_and_nothing_else() -> None:
    report = lint_text(LIBRARY_TEMPLATE, require_emissions=True, min_class="awareness")
    assert found(report) == [("CL007", 4, 1)]
    assert report.findings[0].message == (
        "the front matter is a template ('{{ card_data }}' on line 4), not metadata: carbonlint "
        "checks the cards made from it, not the template")
    assert str(report.findings[0].severity) == "info"
    assert report.graded is False


def test_a_template_never_fails_min_class(run, tmp_path: Path) -> None:
    path = tmp_path / "modelcard_template.md"
    path.write_text(LIBRARY_TEMPLATE, encoding="utf-8")
    code, out, _ = run("check", "--min-class", "awareness", "--require-emissions", str(path))
    assert code == 0
    assert out.splitlines()[-1] == "0 errors, 0 warnings, 1 info in 1 card."


def test_jinja_blocks_and_quoted_values_are_templates_too() -> None:
    card = """\
---
license: "{{ license }}"
tags:
{% for tag in tags %}
- {{ tag }}
{% endfor %}
co2_eq_emissions: "{{ emissions }}"
---
"""
    assert found(lint_text(card)) == [("CL007", 2, 11)]


def test_a_double_brace_inside_a_text_is_not_a_template() -> None:
    card = """\
---
license: mit
widget:
- text: "Answer the question {{question}} using the context."
co2_eq_emissions: 12.5
---
"""
    assert "CL007" not in [f.code for f in lint_text(card).findings]


# -- generated cards and the location in both forms ----------------------------------------------

AUTOTRAIN_MAPPING = """\
---
tags:
- autotrain
- summarization
language:
- en
widget:
- text: "I love AutoTrain 🤗"
datasets:
- acme/autotrain-data-news_summaries
co2_eq_emissions:
  emissions: 41.152874017879256
---

# Model Trained Using AutoTrain

- Problem type: Summarization
- Model ID: 1976866012
- CO2 Emissions (in grams): 41.1529

## Validation Metrics

- Loss: 2.837
- Rouge1: 34.318
"""

AUTONLP_SCALAR = """\
---
tags: autonlp
language: en
widget:
- text: "I love AutoNLP 🤗"
datasets:
- acme/autonlp-data-review-classification
co2_eq_emissions: 1.268309634217171
---

# Model Trained Using AutoNLP

- Problem type: Multi-class Classification
- Model ID: 536415182
- CO2 Emissions (in grams): 1.268309634217171
"""


def test_a_generated_card_gets_one_note_instead_of_four_findings() -> None:
    report = lint_text(AUTOTRAIN_MAPPING)
    assert found(report) == [("CL209", 11, 1)]
    (note,) = report.findings
    assert str(note.severity) == "info"
    assert note.message == (
        "AutoTrain generated this card, and AutoTrain does not record hardware_used, "
        "geographical_location, source and training_type: they are missing (class 'basic')")
    assert note.suggestion == ("add 'source: AutoTrain' (that much is certain); add hardware_used "
                               "and geographical_location only if you know where the job ran")


def test_ignoring_cl209_brings_the_four_rules_back() -> None:
    report = lint_text(AUTOTRAIN_MAPPING, ignore=("CL209",))
    assert found(report) == [("CL201", 11, 1), ("CL202", 11, 1), ("CL203", 11, 1), ("CL204", 11, 1)]


def test_a_generated_card_with_its_source_added_lists_only_what_is_left() -> None:
    card = AUTOTRAIN_MAPPING.replace("  emissions: 41.152874017879256\n",
                                     "  emissions: 41.152874017879256\n  source: AutoTrain\n"
                                     "  training_type: fine-tuning\n")
    (note,) = lint_text(card).findings
    assert note.message.startswith("AutoTrain generated this card, and AutoTrain does not record "
                                   "hardware_used and geographical_location: they are missing")
    assert note.suggestion == ("add hardware_used and geographical_location only if you know "
                               "where the job ran")


def test_the_older_autonlp_bare_number_card() -> None:
    report = lint_text(AUTONLP_SCALAR)
    assert found(report) == [("CL209", 8, 1), ("CL205", 8, 19)]
    assert report.findings[0].message.startswith(
        "AutoNLP generated this card, and AutoNLP does not record hardware_used and "
        "geographical_location")


HAND_WRITTEN_SCALAR = """\
---
license: apache-2.0
library_name: transformers
co2_eq_emissions: 140
---

# bert-small-legal-ner

Fine-tuned from bert-small on 12k annotated contracts.

## Environmental Impact

- **Hardware Type:** 1 x NVIDIA T4
- **Hours used:** 6
- **Cloud Provider:** Google Cloud Platform
- **Compute Region:** europe-west4
- **Carbon Emitted:** 0.14 kg CO2eq
"""


def test_location_is_asked_for_in_the_bare_number_form_too_and_copied_from_the_text() -> None:
    report = lint_text(HAND_WRITTEN_SCALAR)
    assert found(report) == [("CL202", 4, 1), ("CL205", 4, 19), ("CL207", 13, 22)]
    cl202 = report.findings[0]
    assert str(cl202.severity) == "warning"
    assert cl202.message == (
        "geographical_location is missing: co2_eq_emissions is only a number, which cannot say "
        "where the model was trained; the text gives it on line 16 (Compute Region: europe-west4)")
    assert cl202.suggestion == ("write the mapping form (carbonlint fix --mapping-form) and add "
                                "'geographical_location: europe-west4'")
    # The mapping form without the key: the same finding, in the mapping's words.
    mapping = HAND_WRITTEN_SCALAR.replace("co2_eq_emissions: 140",
                                          "co2_eq_emissions:\n  emissions: 140\n  source: ML CO2 Impact"
                                          "\n  training_type: fine-tuning\n  hardware_used: 1 x T4")
    report = lint_text(mapping)
    assert found(report) == [("CL202", 4, 1)]
    assert report.findings[0].message == ("geographical_location is missing from co2_eq_emissions; "
                                          "the text gives it on line 20 (Compute Region: europe-west4)")
