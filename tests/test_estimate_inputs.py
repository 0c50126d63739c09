"""The estimate reads its inputs where real cards write them (issue 11): device counts in the
text, hours inside hardware_used or on a "Time:" line, devices known by their kind alone, and
never a count or a unit that the card did not give. Every card here is written for the test."""

from __future__ import annotations

from carbonlint.card import parse_card
from carbonlint.checker import Context
from carbonlint.config import Config
from conftest import card_text, codes, lint

PLAUSIBILITY = {"select": ("CL4",)}


def context(front_matter: str, body: str = "# Model\n") -> Context:
    return Context(parse_card(card_text(front_matter, body), "README.md"), Config())


PRETRAINING = """
language: en
tags: [causal-lm]
co2_eq_emissions:
  emissions: {grams}
  source: estimated from GPU power draw and the cluster's grid factor
  training_type: pre-training
  geographical_location: Iowa, USA
  hardware_used: NVIDIA A100 80GB
"""
PRETRAINING_BODY = """# tiny-lm-410m

## Training

The model was pre-trained from scratch on 300B tokens. It was trained on 16 NVIDIA A100 80GB
GPUs with a global batch of 1,024 sequences; pre-training took 72 hours in total.
"""


def test_the_count_in_the_text_joins_the_metadata_device() -> None:
    found = context(PRETRAINING.format(grams=240000), PRETRAINING_BODY).estimate
    assert found.exact and found.hours == 72.0
    assert found.arithmetic.startswith("16 x A100 SXM4 80 GB (400 W) x 72 h x PUE 1.56")
    # 240 kg for 16 A100s over three days is right: one assumed device made it "far" before.
    assert codes(lint(PRETRAINING.format(grams=240000), PRETRAINING_BODY, **PLAUSIBILITY)) == []


def test_without_a_count_only_the_unit_slip_may_fire() -> None:
    body = "# tiny-lm-410m\n\nPre-training took 72 hours on our A100 cluster.\n"
    found = context(PRETRAINING.format(grams=240000), body).estimate
    assert not found.exact and found.high == float("inf")
    # Right for sixteen devices, sixteen times the one-device lower bound: nothing to say.
    assert codes(lint(PRETRAINING.format(grams=240000), body, **PLAUSIBILITY)) == []
    # The kilogram figure of a one-device run is still a thousandfold below the lower bound.
    (finding,) = lint(PRETRAINING.format(grams=13.2), body, **PLAUSIBILITY).findings
    assert finding.code == "CL401"
    assert finding.message == (
        "co2_eq_emissions.emissions is 13.2 g, 1,000 times less than the least the card's "
        "hardware and hours give, 1 x A100 SXM4 80 GB (400 W) x 72 h x PUE 1.56 x 293.9 g/kWh "
        "(Iowa, United States; Green Algorithms v3.0 2020) = 44.93 kWh, 13.2 kg (the card does "
        "not say how many A100 SXM4 80 GB devices: one is assumed, so the estimate is a lower "
        "bound): about a thousand, a kilogram figure in the grams field?"
    )


TPU_CARD = """
co2_eq_emissions:
  emissions: {grams}
  source: ML CO2 Impact calculator
  training_type: pre-training
  geographical_location: us-central1
  hardware_used: TPUv3-8 for about 180 hours
"""


def test_hours_inside_hardware_used() -> None:
    found = context(TPU_CARD.format(grams=75600)).estimate
    assert found.exact and found.hours == 180.0 and found.watts == 4 * 220.0
    assert codes(lint(TPU_CARD.format(grams=75600), **PLAUSIBILITY)) == []
    (finding,) = lint(TPU_CARD.format(grams="75.60"), **PLAUSIBILITY).findings
    assert finding.code == "CL401"
    assert finding.message.startswith(  # the number as the card wrote it: 75.60
        "co2_eq_emissions.emissions is 75.60 g, 1,000 times less than the estimate 4 x TPU v3 "
        "(220 W) x 180 h x PUE 1.11 x 430")
    assert finding.message.endswith("= 175.8 kWh, 75.6 kg: about a thousand, a kilogram figure "
                                    "in the grams field?")


TIME_LINE_CARD = """
license: apache-2.0
co2_eq_emissions:
  emissions: {grams}
  geographical_location: europe-west4
"""
TIME_LINE_BODY = """# t5-small-ft-cnn

## Training procedure

- Framework: JAX/Flax
- Time: 44.0 hours on Google Cloud TPU v4-16
- Steps: 200k
"""


def test_a_time_line_gives_hours_and_hardware() -> None:
    found = context(TIME_LINE_CARD.format(grams=3600), TIME_LINE_BODY).estimate
    assert found.exact and found.hours == 44.0
    assert found.arithmetic.startswith("8 x TPU v4 (170 W) x 44 h x PUE 1.09")
    assert codes(lint(TIME_LINE_CARD.format(grams=3600), TIME_LINE_BODY, **PLAUSIBILITY)) == []
    assert codes(lint(TIME_LINE_CARD.format(grams=3.6), TIME_LINE_BODY, **PLAUSIBILITY)) == [
        "CL401"]


def test_seconds_are_never_hours() -> None:
    card = """
co2_eq_emissions:
  emissions: 3.1
  hardware_used: 1 x Tesla T4
  training_time: 107.9
  geographical_location: Germany
"""
    assert context(card).estimate is None  # no hours: nothing to judge by
    report = lint(card, select=("CL4", "CL107"))
    (finding,) = report.findings
    assert finding.code == "CL107"
    assert finding.message.endswith(
        "'hours_used' is in hours, and 'training_time' does not say its unit")
    assert finding.suggestion == (
        "give the value in hours as 'hours_used' (convert it if it is not in hours)")
    assert finding.fix is None
    # Written with its unit, hours_used is read in that unit.
    minutes = card.replace("training_time: 107.9", "hours_used: 90 minutes")
    assert context(minutes).estimate.hours == 1.5


KIND_ONLY = """
co2_eq_emissions:
  emissions: {grams}
  source: codecarbon
  training_type: fine-tuning
  geographical_location: Germany
  hardware_used: {hardware}
  hours_used: 2
"""


def test_a_gpu_known_by_its_kind_catches_only_the_thousandfold_slip() -> None:
    # 1 x GPU of 70-1,000 W for 2 h in Germany: 83 g at the least.
    assert codes(lint(KIND_ONLY.format(grams=357, hardware="1 x GPU"), **PLAUSIBILITY)) == []
    # Ten times low is not judged: the model could be a 70 W T4 and the grid greener.
    assert codes(lint(KIND_ONLY.format(grams=35.7, hardware="1 x GPU"), **PLAUSIBILITY)) == []
    (finding,) = lint(KIND_ONLY.format(grams=0.357, hardware="a GPU"), **PLAUSIBILITY).findings
    assert finding.code == "CL401"
    assert "233 times less than the least the card's hardware and hours give, 1 x GPU of " \
        "unknown model (70 W) x 2 h" in finding.message
    assert "the GPU model is not named, so its power is taken as 70 W at the least" in \
        finding.message
    assert finding.message.endswith("a kilogram figure in the grams field (a factor of 1,000)?")


def test_names_the_tables_did_not_know() -> None:
    for hardware in ("GTX 580", "Tesla K40", "1 x RTX2080Ti", "GPU RTX", "Intel Xeon CPU"):
        assert context(KIND_ONLY.format(grams=300, hardware=hardware)).estimate is not None, \
            hardware


META_STYLE = """
license: other
co2_eq_emissions:
  emissions: {grams}
  source: estimated from GPU hours, peak power and the US average grid
  training_type: pre-training
  geographical_location: USA
  hardware_used: A100-80GB
"""
META_BODY = """# llama-like-7b

## Hardware and Software

**Training Factors** Custom training libraries on a research cluster.

**Carbon Footprint** Pretraining used a cumulative 184,320 GPU hours of computation on
hardware of type A100-80GB (TDP of 400 W).
"""


def test_device_hours_stand_for_count_times_hours() -> None:
    found = context(META_STYLE.format(grams=31220000), META_BODY).estimate
    assert found.exact and found.hours == 184320.0 and found.watts == 400.0
    assert codes(lint(META_STYLE.format(grams=31220000), META_BODY, **PLAUSIBILITY)) == []
    assert codes(lint(META_STYLE.format(grams=31220), META_BODY, **PLAUSIBILITY)) == ["CL401"]
    # Two different device-hour figures: no guess.
    twice = META_BODY + "\nFine-tuning used another 3,072 GPU hours.\n"
    assert context(META_STYLE.format(grams=31220000), twice).estimate is None


def test_hours_beside_the_counted_devices_in_a_sentence() -> None:
    card = """
co2_eq_emissions:
  emissions: {grams}
  training_type: pre-training
  geographical_location: France
  hardware_used: NVIDIA A100 80GB
"""
    body = "# m\n\nThe model was trained on 64 NVIDIA A100 80GB GPUs for 310 hours.\n"
    found = context(card.format(grams=640000), body).estimate
    assert found.exact and found.hours == 310.0 and found.watts == 64 * 400.0
    assert codes(lint(card.format(grams=640000), body, **PLAUSIBILITY)) == []
    assert codes(lint(card.format(grams=640), body, **PLAUSIBILITY)) == ["CL401"]
