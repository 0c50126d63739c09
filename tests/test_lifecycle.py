"""The life-cycle extension keys: completeness note, the checks' limits and their silences, and
BLOOM's published phases reproduced from BLOOM's published inputs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from carbonlint import lifecycle
from carbonlint.estimate import estimate, parse_hardware
from conftest import codes, lint_bytes


def card(co2_lines: str) -> bytes:
    return ("---\nlicense: mit\nco2_eq_emissions:\n" + co2_lines + "---\n# Model\n").encode()


@pytest.mark.parametrize("co2, phases, note", [
    (1200, ["training"], "life cycle: training only (embodied, idle, deployment not reported)"),
    ({"emissions": 1, "idle_emissions": 2}, ["training", "idle"],
     "life cycle: training, idle reported; embodied, deployment not"),
    ({"emissions": 1, "embodied_emissions": 1, "idle_emissions": 1,
      "deployment_emissions_per_1000_requests": 3}, ["training", "embodied", "idle", "deployment"],
     "life cycle: training, embodied, idle and deployment reported"),
    ({"hardware_used": "1 x T4"}, [], None),
    (None, [], None),
])
def test_completeness(co2: object, phases: list[str], note: str | None) -> None:
    assert lifecycle.phases_reported(co2) == phases
    assert lifecycle.completeness_note(co2) == note


def test_note_in_json_for_every_reporting_card_and_in_text_beyond_training(tmp_path: Path, run) -> None:
    plain, full = tmp_path / "a" / "README.md", tmp_path / "b" / "README.md"
    for path in (plain, full):
        path.parent.mkdir()
    plain.write_bytes(card("  emissions: 1500\n"))
    full.write_bytes(card("  emissions: 1500\n  idle_emissions: 800\n  idle_source: meter\n"))
    files = json.loads(run("check", str(tmp_path), "-f", "json")[1])["files"]
    assert [f["lifecycle"]["phases"] for f in files] == [["training"], ["training", "idle"]]
    out = run("check", str(tmp_path))[1]
    assert "life cycle: training, idle reported" in out and "training only" not in out


def test_embodied_is_judged_only_with_hardware_and_hours() -> None:
    far = "  emissions: 52000\n  embodied_emissions: 3000000\n  embodied_source: x\n"
    assert "CL420" not in codes(lint_bytes(card(far)))
    assert "CL420" in codes(lint_bytes(card(far + "  hardware_used: 8 x A100\n  hours_used: 36\n")))
    # 8 x 36 device-hours x 10.35 g = 2,981 g: 10x either way is the edge.
    near = "  emissions: 52000\n  embodied_emissions: 29000\n  embodied_source: x\n"
    assert "CL420" not in codes(lint_bytes(card(near + "  hardware_used: 8 x A100\n  hours_used: 36\n")))


def test_idle_limit_is_bloom_share_times_the_factor() -> None:
    limit = lifecycle.idle_ratio() * 10  # 5.9 times the training emissions
    below = f"  emissions: 1000\n  idle_emissions: {1000 * limit * 0.99:.0f}\n  idle_source: x\n"
    above = f"  emissions: 1000\n  idle_emissions: {1000 * limit * 1.01:.0f}\n  idle_source: x\n"
    assert "CL421" not in codes(lint_bytes(card(below)))
    assert "CL421" in codes(lint_bytes(card(above)))


def test_deployment_needs_its_hardware() -> None:
    tiny = "  emissions: 1500\n  deployment_emissions_per_day: 1\n  deployment_source: x\n"
    assert "CL422" not in codes(lint_bytes(card(tiny)))
    assert "CL422" in codes(lint_bytes(card(tiny + "  deployment_hardware: 8 x A100 80GB\n")))
    # More than the devices at full power all day, times the factor, is flagged too.
    huge = "  emissions: 1500\n  deployment_emissions_per_day: 9000000\n  deployment_source: x\n"
    assert "CL422" in codes(lint_bytes(card(huge + "  deployment_hardware: 1 x T4\n")))


def test_one_source_finding_for_both_deployment_figures() -> None:
    report = lint_bytes(card("  emissions: 1500\n  source: CodeCarbon\n"
                             "  deployment_emissions_per_day: 19000\n"
                             "  deployment_emissions_per_1000_requests: 1480\n"))
    assert [f.key for f in report.findings if f.code == "CL221"] == [
        "co2_eq_emissions.deployment_source"]


def test_bloom_phases_from_bloom_inputs() -> None:
    """BLOOM's inputs (384 A100, 1,082,990 GPU-hours, the paper's 57 g/kWh, no PUE) give back
    its published embodied 11.2 t and idle 14.6 t within 1 %."""
    hardware = parse_hardware("384 x A100 80GB")
    hours = 1_082_990 / 384
    embodied = lifecycle.embodied(hardware, hours)
    assert embodied is not None and embodied.grams / 1e6 == pytest.approx(11.2, rel=0.01)
    training = estimate(hardware, hours, "France", pue=1.0)
    idle = lifecycle.idle(training)
    assert idle is not None
    assert idle.kwh == pytest.approx(256_646, rel=0.001)
    assert idle.kwh * 57 / 1e6 == pytest.approx(14.6, rel=0.01)


def test_bloom_deployment_from_its_inputs() -> None:
    # GCP's 16-GPU A2 machines carry A100 SXM4 40GB boards (400 W): the load derived from
    # BLOOM's 914 kWh in 18 days gives that energy back for a day.
    day = lifecycle.deployment_per_day(parse_hardware("16 x A100 SXM4 40GB"), "us-central1",
                                       pue=1.0)
    assert day.kwh == pytest.approx(914 / 18, rel=0.001)
    assert day.grams == pytest.approx(914 / 18 * 430.0, rel=0.001)  # the table's us-central1
