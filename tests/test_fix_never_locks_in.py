"""A fix never locks in a wrong number (issue 11): when physics, the card's energy figure or its
text say the number itself is wrong, CL106 does not respell it as a safe fix; the corrected
reading is offered as an unsafe fix only where the evidence points at a unit slip."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from conftest import lint

CALCULATOR_OUTPUT = """
license: mit
co2_eq_emissions:
  emissions: "{value}"
  source: ML CO2 Impact calculator
  training_type: fine-tuning
  geographical_location: us-west1
  hardware_used: 1 x Tesla P100
  hours_used: 1.5
"""


def cl106(front_matter: str) -> Any:
    (finding,) = [f for f in lint(front_matter).findings if f.code == "CL106"]
    return finding


def test_a_kilogram_figure_labelled_grams_gets_no_safe_fix() -> None:
    # The calculator said 0.21 kg; the card says "in grams". 1 x P100 (300 W) x 1.5 h x 1.11 x
    # us-west1 is about 47 g: 0.21 g is 224 times too little for the run.
    finding = cl106(CALCULATOR_OUTPUT.format(value="0.21 in grams of CO2"))
    assert finding.message == (
        "co2_eq_emissions.emissions is the text '0.21 in grams of CO2', not a number: the spec "
        "wants grams; but the card's hardware and hours give about 47 g, 224 times more")
    assert finding.suggestion == "if the figure is kilograms, write 210"
    assert finding.fix is not None and finding.fix.unsafe and finding.fix.replacement == "210"


def test_a_right_number_keeps_its_safe_fix() -> None:
    finding = cl106(CALCULATOR_OUTPUT.format(value="47 g"))
    assert finding.suggestion == "write 47"
    assert finding.fix is not None and not finding.fix.unsafe


def test_wrong_by_a_factor_no_slip_explains_gets_no_fix_at_all() -> None:
    # 40,000 times too much: not a unit slip, so no corrected reading either.
    finding = cl106(CALCULATOR_OUTPUT.format(value="1.9 t"))
    assert finding.message.endswith("give about 47 g at the most, 40,466 times less")
    assert finding.suggestion == "check the number before writing it as grams"
    assert finding.fix is None


def test_energy_figure_doubts_the_number() -> None:
    card = """
co2_eq_emissions:
  emissions: "0.0132 g"
  source: codecarbon
  training_type: fine-tuning
  energy_consumed: 0.0347
"""
    finding = cl106(card)
    assert finding.message.endswith(
        "but with energy_consumed 0.0347 kWh it means 0.38 g per kWh, which no grid has")
    assert finding.fix is not None and finding.fix.unsafe and finding.fix.replacement == "13.2"


def test_fix_leaves_the_doubted_number_and_applies_the_rest(tmp_path: Path, run: Any) -> None:
    card = tmp_path / "README.md"
    text = "---" + CALCULATOR_OUTPUT.format(value="0.21 in grams of CO2") + "---\n# m\n"
    card.write_text(text)
    code, _, _ = run("fix", str(card))
    assert "0.21 in grams of CO2" in card.read_text()  # not frozen as 0.21
    code, _, _ = run("fix", "--unsafe-fixes", str(card))
    assert "emissions: 210\n" in card.read_text()
