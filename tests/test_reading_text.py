"""The card's text against its metadata (issue 12): training type in prose, a place after the
figure, CPU models and device counts, this run's figures, stale text, and negation. Cards are
written for the test after the shapes real cards take; each test gives the exact findings."""

from __future__ import annotations

from carbonlint.prose import extract
from conftest import lint_text


def found(report) -> list[tuple[str, int | None]]:
    return [(f.code, f.line) for f in report.findings]


FINE_TUNED_CARD = """\
---
license: apache-2.0
co2_eq_emissions:
  emissions: 150
  source: CodeCarbon
  training_type: pre-training
  geographical_location: Frankfurt, Germany
  hardware_used: 1 x A100 40GB
---

# resnet50-flowers102

This model is a fine-tuned version of [microsoft/resnet-50](https://huggingface.co/microsoft/resnet-50) on the flowers102 dataset.
It achieves an accuracy of 0.94 on the evaluation set.
"""


def test_training_type_in_prose_the_trainers_sentence() -> None:
    report = lint_text(FINE_TUNED_CARD)
    assert found(report) == [("CL306", 6)]
    assert report.findings[0].message == (
        "training_type 'pre-training' disagrees with the text on line 13: 'This model is a "
        "fine-tuned version of [microsoft/resnet-50]' (fine-tuning)")
    assert found(lint_text(FINE_TUNED_CARD.replace("pre-training", "fine-tuning"))) == []


def test_training_type_a_description_that_opens_with_it() -> None:
    card = FINE_TUNED_CARD.replace(
        "This model is a fine-tuned version of [microsoft/resnet-50](https://huggingface.co/"
        "microsoft/resnet-50) on the flowers102 dataset.",
        "A fine-tuned ResNet50 model trained to classify 102 kinds of flowers.")
    assert found(lint_text(card)) == [("CL306", 6)]


def test_training_from_scratch_contradicts_fine_tuning() -> None:
    card = FINE_TUNED_CARD.replace("training_type: pre-training", "training_type: fine-tuning").replace(
        "This model is a fine-tuned version of [microsoft/resnet-50](https://huggingface.co/"
        "microsoft/resnet-50) on the flowers102 dataset.",
        "This model was trained from scratch on the flowers102 dataset.")
    report = lint_text(card)
    assert found(report) == [("CL306", 6)]
    assert report.findings[0].message.endswith("'This model was trained from scratch on' (pre-training)")


def test_what_a_pre_trained_models_card_says_about_fine_tuning_is_no_contradiction() -> None:
    card = FINE_TUNED_CARD.replace(
        "This model is a fine-tuned version of [microsoft/resnet-50](https://huggingface.co/"
        "microsoft/resnet-50) on the flowers102 dataset.",
        "The model can be fine-tuned on downstream tasks; see the fine-tuned versions on the Hub.\n"
        "- A fine-tuned variant for birds is available too.\n"
        "When fine-tuned on CUB-200, it reaches 0.81.\n\n"
        "A fine-tuned version of this model for birds is available at acme/resnet50-birds.\n"
        "acme/resnet50-birds is a fine-tuned version of this model.")
    assert found(lint_text(card)) == []


def test_a_place_in_parentheses_after_this_runs_figure() -> None:
    card = FINE_TUNED_CARD.replace("training_type: pre-training", "training_type: fine-tuning") \
        + "\n## Environmental Impact\n\nEmissions: 0.15 KgCO2 (Singapore)\n"
    report = lint_text(card)
    assert found(report) == [("CL304", 7)]
    assert report.findings[0].message == (
        "geographical_location 'Frankfurt, Germany' (Germany) disagrees with the text on line 18: "
        "'Singapore' (Singapore)")
    # Another figure (not this card's 150 g): its parenthesis is not this run's place.
    other = card.replace("Emissions: 0.15 KgCO2 (Singapore)",
                         "For comparison, GPT-3 emitted 552 tCO2eq (United States).")
    assert found(lint_text(other)) == []
    # A parenthesis that is no place says nothing.
    vague = card.replace("(Singapore)", "(measured with CodeCarbon)")
    assert found(lint_text(vague)) == []


SETFIT_CARD = """\
---
library_name: setfit
co2_eq_emissions:
  emissions: 1.2
  energy_consumed: 0.0042
  source: codecarbon
  training_type: fine-tuning
  on_cloud: false
  cpu_model: Intel(R) Xeon(R) Platinum 8370C CPU @ 2.80GHz
  ram_total_size: 31.1
  hours_used: 0.02
  hardware_used: NVIDIA A100-SXM4-80GB
  geographical_location: Amsterdam, Netherlands
---

# SetFit with sentence-transformers/all-MiniLM-L6-v2

### Environmental Impact
Carbon emissions were measured using [CodeCarbon](https://github.com/mlco2/codecarbon).
- **Energy Consumed**: 0.004 kWh
- **Carbon Emitted**: 0.001 kg of CO2
- **Hours Used**: 0.02 hours

### Training Hardware
- **On Cloud**: No
- **GPU Model**: 1 x NVIDIA A100-SXM4-80GB
- **CPU Model**: Intel(R) Xeon(R) Platinum 8370C CPU @ 2.80GHz
- **RAM Size**: 31.10 GB
"""


def test_a_consistent_setfit_card_is_clean() -> None:
    assert found(lint_text(SETFIT_CARD)) == []


def test_cpu_models_are_compared() -> None:
    card = SETFIT_CARD.replace("- **CPU Model**: Intel(R) Xeon(R) Platinum 8370C CPU @ 2.80GHz",
                               "- **CPU Model**: AMD EPYC 7763 64-Core Processor")
    report = lint_text(card)
    assert found(report) == [("CL305", 9)]
    assert report.findings[0].key == "co2_eq_emissions.cpu_model"
    # The same model at another clock, or without one, is the same CPU.
    same = SETFIT_CARD.replace("Platinum 8370C CPU @ 2.80GHz\n- **RAM", "Platinum 8370C\n- **RAM")
    assert found(lint_text(same)) == []


def test_a_device_count_the_metadata_leaves_out() -> None:
    card = SETFIT_CARD.replace("- **GPU Model**: 1 x NVIDIA A100-SXM4-80GB",
                               "- **GPU Model**: 8 x NVIDIA A100-SXM4-80GB")
    report = lint_text(card)
    assert found(report) == [("CL305", 12)]
    assert report.findings[0].message == (
        "hardware_used 'NVIDIA A100-SXM4-80GB' gives no count, but the text on line 26 says "
        "'GPU Model: 8 x NVIDIA A100-SXM4-80GB': 8 devices, where a reader (and the estimate) "
        "takes one")
    assert report.findings[0].suggestion == "write '8 x NVIDIA A100-SXM4-80GB'"
    # A count in the metadata: no finding about counts (8 vs 1 is not this slip).
    counted = card.replace("hardware_used: NVIDIA A100-SXM4-80GB", "hardware_used: 1 x NVIDIA A100-SXM4-80GB")
    assert found(lint_text(counted)) == []


def test_energy_against_the_text() -> None:
    card = SETFIT_CARD.replace("energy_consumed: 0.0042", "energy_consumed: 4.2")
    report = lint_text(card)
    # The plausibility rules read the slipped energy too (CL401/CL404 then suspect the
    # emissions); what this issue adds is the comparison with the text.
    consistency = [f for f in report.findings if str(f.category) == "consistency"]
    assert [(f.code, f.line) for f in consistency] == [("CL307", 5)]
    assert consistency[0].message == (
        "co2_eq_emissions.energy_consumed is 4.2 kWh, but the text on line 20 says 'Energy "
        "Consumed: 0.004 kWh' (0.004 kWh): a thousand times more, a watt-hour figure in the "
        "kilowatt-hour field?")


FREE_PROSE_CARD = """\
---
license: mit
co2_eq_emissions:
  emissions: 1.5
  source: CodeCarbon
  training_type: fine-tuning
  geographical_location: Montreal, Canada
  hardware_used: 1 x NVIDIA T4
---

# distilroberta-emotion

## Environmental Impact

Training this model emitted 0.23 g of CO2eq on one T4 in Montreal (hydro power).
For comparison, training BERT-base emitted about 652 kg of CO2.
"""


def test_this_runs_figure_in_free_prose_against_the_metadata() -> None:
    report = lint_text(FREE_PROSE_CARD)
    assert found(report) == [("CL301", 4)]
    assert report.findings[0].message == (
        "co2_eq_emissions.emissions is 1.5 g, but the text on line 15 says '0.23 g of CO2eq' (0.23 g)")
    assert found(lint_text(FREE_PROSE_CARD.replace("emissions: 1.5", "emissions: 0.23"))) == []


def test_two_different_figures_for_this_run_are_not_compared() -> None:
    card = FREE_PROSE_CARD.replace(
        "For comparison, training BERT-base emitted about 652 kg of CO2.",
        "We also ran it a second time, which emitted 0.41 g of CO2eq.")
    assert found(lint_text(card)) == []


def test_free_prose_about_other_models_is_still_not_compared() -> None:
    card = FREE_PROSE_CARD.replace(
        "Training this model emitted 0.23 g of CO2eq on one T4 in Montreal (hydro power).\n", "")
    assert found(lint_text(card)) == []


BLOOM_LIKE = """\
---
license: bigscience-bloom-rail-1.0
co2_eq_emissions:
  emissions: 24700000
  source: "Estimating the Carbon Footprint of BLOOM, a 176B Parameter Language Model"
  training_type: pre-training
  geographical_location: Orsay, France
  hardware_used: 384 A100 80GB GPUs
---

# BLOOM

## Environmental Impact

The training supercomputer, Jean Zay, uses mostly nuclear energy.

Estimated carbon emissions:  *(Forthcoming.)*

Estimated electricity usage: *(Forthcoming.)*
"""


def test_stale_forthcoming_text_beside_a_filled_number() -> None:
    report = lint_text(BLOOM_LIKE)
    assert found(report) == [("CL308", 17)]
    assert report.findings[0].message == (
        "the text on line 17 still gives the emissions as '(Forthcoming.)', but co2_eq_emissions "
        "gives 24700000 g")
    assert str(report.findings[0].severity) == "info"


EMPTY_CARBON_FIELD = """\
---
co2_eq_emissions:
  emissions: 1200
  source: CodeCarbon
  training_type: fine-tuning
  geographical_location: Finland
  hardware_used: 1 x A100
---
# A model

## Environmental Impact

- **Hardware Type:** A100
- **Hours used:** 3
- **Carbon Emitted:**
{more}"""


def test_an_empty_carbon_field_beside_a_filled_number() -> None:
    """The field left empty is named so: there is no text to quote."""
    report = lint_text(EMPTY_CARBON_FIELD.format(more=""))
    messages = {f.code: f.message for f in report.findings}
    assert messages["CL308"] == (
        "the text on line 15 still leaves the emissions empty, but co2_eq_emissions gives 1200 g")
    assert messages["CL208"] == (
        "the Environmental Impact section is unfilled: Carbon Emitted still says nothing")


def test_two_unfilled_fields_say_it_in_the_plural() -> None:
    report = lint_text(EMPTY_CARBON_FIELD.format(more="- **Compute Region:** unknown\n"))
    (message,) = [f.message for f in report.findings if f.code == "CL208"]
    assert message == ("the Environmental Impact section is unfilled: Carbon Emitted, Compute "
                       "Region still say nothing, 'unknown'")


NOTHING_TRAINED = """\
---
license: mit
co2_eq_emissions:
  emissions: 0
  source: No training or fine-tuning is performed; the released weights are used as they are
---

# smoldocling-reproduction

We reproduce the paper's evaluation with the pretrained weights. No training or fine-tuning is performed.
"""


def test_a_card_that_trained_nothing_and_reports_zero_is_correct() -> None:
    report = lint_text(NOTHING_TRAINED)
    assert found(report) == []
    assert report.reporting_class == "basic"


def test_a_negation_in_the_text_alone_is_enough_and_is_no_evidence() -> None:
    card = NOTHING_TRAINED.replace(
        "  source: No training or fine-tuning is performed; the released weights are used as they are\n",
        "  source: CodeCarbon\n")
    assert found(lint_text(card)) == []
    # Without the statement, a zero with a measuring tool is questioned as before.
    plain = card.replace(" No training or fine-tuning is performed.", "")
    assert [code for code, _ in found(lint_text(plain))] == ["CL201", "CL202", "CL204", "CL303"]


def test_negations_read() -> None:
    facts = extract("The model was not fine-tuned.\nIt wasn't trained either.\n"
                    "This model was not trained on medical data.\nIt is training-free.\n").of("no_training")
    assert [f.span.line for f in facts] == [1, 2, 4]
