"""Plausibility (CL4xx) and efficiency (CL5xx) on realistic cards, and the efficiency label."""

from __future__ import annotations

from pathlib import Path

import pytest

from carbonlint.checker import check_paths
from carbonlint.config import Config
from conftest import codes, lint

PLAUSIBILITY = {"select": ("CL4",)}


def test_estimate_agrees_with_a_realistic_run() -> None:
    # 8 V100 (300 W) x 36 h x PUE x us-east-1 grid: tens of kilograms; 150 kg is within 10x.
    report = lint("""
        co2_eq_emissions:
          emissions: 150300
          hardware_used: 8 x V100
          hours_used: 36
          geographical_location: us-east-1
        """, **PLAUSIBILITY)
    assert codes(report) == []


def test_kilograms_in_grams_without_text_is_caught_by_physics() -> None:
    report = lint("""
        co2_eq_emissions:
          emissions: 150.3
          hardware_used: 8 x V100
          hours_used: 36
          geographical_location: us-east-1
        """, **PLAUSIBILITY)
    (finding,) = report.findings
    assert finding.code == "CL401"
    assert "254 times less than the estimate 8 x" in finding.message
    # 254 is not "about a thousand": the message says what a slip would be instead.
    assert finding.message.endswith(": a kilogram figure in the grams field (a factor of 1,000)?")
    assert "V100" in finding.message and "36 h" in finding.message and "us-east-1" in finding.message
    assert finding.suggestion == "if it is kilograms, write 150300"


def test_far_from_estimate_respects_the_configured_factor() -> None:
    card = """
        co2_eq_emissions:
          emissions: 2000000
          hardware_used: 1 x T4
          hours_used: 2
          geographical_location: Germany
        """
    (finding,) = lint(card, **PLAUSIBILITY).findings
    assert finding.code == "CL402" and "times more than the estimate" in finding.message
    assert codes(lint(card, plausibility_factor=100_000.0, **PLAUSIBILITY)) == []


def test_missing_inputs_mean_silence() -> None:
    assert codes(lint("co2_eq_emissions:\n  emissions: 3\n  hardware_used: 8 x A100", **PLAUSIBILITY)) == []
    assert codes(lint("co2_eq_emissions:\n  emissions: 3\n  hours_used: 100", **PLAUSIBILITY)) == []
    assert codes(lint("co2_eq_emissions:\n  emissions: 3\n  hardware_used: a big computer\n"
                      "  hours_used: 100", **PLAUSIBILITY)) == []


def test_hours_and_hardware_from_the_text_feed_the_estimate() -> None:
    body = "# M\n\n## Environmental Impact\n\n- **Hardware Type:** 8 x V100\n- **Hours used:** 36\n"
    report = lint("co2_eq_emissions: 150.3", body=body, **PLAUSIBILITY)
    assert codes(report) == ["CL401"]


def test_world_average_is_said_when_no_location() -> None:
    report = lint("co2_eq_emissions:\n  emissions: 0.05\n  hardware_used: 8 x V100\n  hours_used: 36",
                  **PLAUSIBILITY)
    (finding,) = report.findings
    assert "no location given: world average" in finding.message


def test_zero_for_a_real_run_gives_the_estimate() -> None:
    report = lint("co2_eq_emissions:\n  emissions: 0\n  hardware_used: 1 x T4\n  hours_used: 3",
                  select=("CL3", "CL4"))
    (finding,) = report.findings
    assert finding.code == "CL403"  # CL303 defers to it
    # One rounding: the estimate is said once, as its arithmetic ends.
    assert finding.message == (
        "co2_eq_emissions.emissions is 0, but the card's hardware and hours give about "
        "1 x NVIDIA Tesla T4 (70 W) x 3 h x PUE 1.56 x 475 g/kWh (World average; IEA 2019 world "
        "average) = 0.3276 kWh, 156 g (no location given: world average)")


@pytest.mark.parametrize(("grams", "kwh", "expected"),
                         [(13.2, 0.0347, []), (0.0132, 0.0347, ["CL404"]), (5e6, 1.0, ["CL404"])])
def test_implied_grid_intensity(grams: float, kwh: float, expected: list[str]) -> None:
    report = lint(f"co2_eq_emissions:\n  emissions: {grams}\n  energy_consumed: {kwh}",
                  select=("CL404",))
    assert codes(report) == expected


def test_reference_footprints_are_plausible() -> None:
    """BLOOM as its card reports it: 384 A100 80GB for ~118 days in France (1.08M GPU hours)."""
    report = lint("""
        co2_eq_emissions:
          emissions: 24700000
          hardware_used: 1 x A100 80GB
          hours_used: 1082990
          geographical_location: France
        """, **PLAUSIBILITY)
    assert codes(report) == []


# -- efficiency -----------------------------------------------------------------------------------

AUTOTRAIN_CV = "tags: [autotrain, vision]\npipeline_tag: image-classification\n"


def test_outlier_in_its_peer_group() -> None:
    report = lint(AUTOTRAIN_CV + "co2_eq_emissions: 9_312_400", select=("CL5",))
    (finding,) = report.findings
    assert finding.code == "CL501"
    # The number in full as the card gives it, not rounded to 9,300,000.
    assert finding.message == ("above the 99th percentile of 179 AutoTrain computer-vision "
                               "models: 1.2 g median, this card 9,312,400 g")


def test_no_peer_group_without_domain_or_size() -> None:
    assert codes(lint("co2_eq_emissions: 93000000", select=("CL5",))) == []


def test_outlier_threshold_is_configurable() -> None:
    text = AUTOTRAIN_CV + "co2_eq_emissions: 9300000"
    assert codes(lint(text, outlier_z=50.0, select=("CL5",))) == []


PRETRAINING_LM = """
language: en
pipeline_tag: text-generation
co2_eq_emissions:
  emissions: 1480000
  source: own measurement with the cluster's power meters
  training_type: pre-training
  geographical_location: Virginia, USA
  hardware_used: 32 x A100 40GB
"""


def test_a_pre_training_run_is_not_judged_by_autotrain_fine_tunes() -> None:
    # 1.48 t for a 410M-parameter pre-training run: 300,000 times the NLP median (mostly
    # AutoTrain fine-tunes), but pre-training runs outside AutoTrain are too few to compare.
    assert codes(lint(PRETRAINING_LM, select=("CL5",))) == []
    body = "# lm-410m\n\nPre-training used 3,800 kWh on 32 A100 GPUs over 5 days.\n"
    assert codes(lint(PRETRAINING_LM, body=body, select=("CL4", "CL5"))) == []


FINE_TUNE = """
pipeline_tag: text-classification
co2_eq_emissions:
  emissions: {grams}
  source: codecarbon
  training_type: fine-tuning
  geographical_location: Netherlands
  hardware_used: 1 x RTX 3090
  hours_used: {hours}
"""


def test_physics_overrules_the_peer_group() -> None:
    # 12,400 g for 80 hours on an RTX 3090 is what physics says: after `fix` corrected the
    # kilogram slip (12.4), no "check the unit" comes back from the peers.
    assert codes(lint(FINE_TUNE.format(grams=12400, hours=80), select=("CL4", "CL5"))) == []
    # Without hardware and hours there is no physics, and a non-AutoTrain fine-tune has its
    # fair group.
    no_hours = FINE_TUNE.format(grams=12400, hours=80).replace("  hours_used: 80\n", "").replace(
        "  hardware_used: 1 x RTX 3090\n", "")
    (finding,) = lint(no_hours, select=("CL5",)).findings
    assert finding.message == ("above the 95th percentile of 68 non-AutoTrain fine-tunes: "
                               "17 g median, this card 12,400 g")
    # With the card's own energy figure (12,400 g / 39 kWh = 318 g/kWh), physics judges: no
    # outlier.
    energy = no_hours.replace("  source: codecarbon\n", "  source: codecarbon\n  energy_consumed: 39\n")
    assert codes(lint(energy, select=("CL5",))) == []


def test_hardware_without_hours_keeps_peers_out_of_a_plausible_run() -> None:
    card = FINE_TUNE.format(grams=11904.7, hours=80).replace("  hours_used: 80\n", "")
    # 11.9 kg is some 300 hours on the card's RTX 3090: a long run, not a slip.
    assert codes(lint(card, select=("CL5",))) == []
    # 0.0119 g is a second of it: a kilogram figure in the grams field, the peers may say so.
    (finding,) = lint(card.replace("11904.7", "0.0119"), select=("CL5",)).findings
    assert finding.code == "CL501" and finding.message.startswith("below the 1st percentile")


def test_efficiency_label_in_the_report(tmp_path: Path) -> None:
    folder = tmp_path / "model"
    folder.mkdir()
    (folder / "README.md").write_text(
        "---\npipeline_tag: text-classification\nco2_eq_emissions:\n  emissions: 2.5\n"
        "  training_type: fine-tuning\nmodel-index:\n- name: m\n"
        "  results:\n  - task: {type: text-classification}\n    metrics:\n"
        "    - {type: accuracy, value: 0.97}\n---\n"
    )
    (folder / "model.safetensors").write_bytes(b"\0" * 4096)
    (report,) = check_paths([str(folder / "README.md")], Config())
    efficiency = report.efficiency
    assert efficiency is not None and efficiency["label"] in "ABCDE"
    assert set(efficiency["used"]) == {"emissions", "size_efficiency", "performance"}
    assert efficiency["metrics"]["emissions"]["rating"] == "C"  # 2.5 g: between p40 and p60
    assert efficiency["peer_group"] == "autotrain:no+training_type:fine-tuning"


def test_no_label_without_emissions() -> None:
    assert lint("license: mit").efficiency is None
    assert lint("co2_eq_emissions: TBD").efficiency is None


def test_a_unit_written_out_rules_out_the_slip() -> None:
    report = lint("co2_eq_emissions:\n  emissions: '150 g'\n  hardware_used: 8 x V100\n"
                  "  hours_used: 36\n  geographical_location: us-east-1", select=("CL4",))
    (finding,) = report.findings
    assert finding.code == "CL402" and finding.fix is None


def test_number_only_suggestion_writes_grams() -> None:
    (finding,) = [f for f in lint("co2_eq_emissions: '2.3 kg'").findings if f.code == "CL205"]
    assert "emissions: 2300" in finding.suggestion
