"""The reporting-practice ladder: every class reachable, each rung needing the one below."""

from __future__ import annotations

import pytest

from carbonlint.grade import CLASSES, grade, rank, understood_grams
from conftest import lint


@pytest.mark.parametrize(
    ("front_matter", "expected"),
    [
        ("license: mit", "unknown"),
        ("co2_eq_emissions:\n  emissions: TBD\n  hardware_used: 8 x A100", "context"),
        ("co2_eq_emissions: 12", "basic"),
        ("co2_eq_emissions:\n  emissions: 0\n  hardware_used: 1 x T4", "awareness"),
        ("tags: [distilled]\nco2_eq_emissions:\n  emissions: 12\n  hardware_used: 1 x T4", "optimization"),
        ("tags: [pruned, EcoCard]\nco2_eq_emissions:\n  emissions: 12\n  hardware_used: 1 x T4", "certified"),
        # A certification without hardware is still only basic: the ladder is climbed in order.
        ("tags: [pruned, EcoCard]\nco2_eq_emissions: 12", "basic"),
        ("tags: [EcoCard]\nco2_eq_emissions:\n  emissions: 12\n  hardware_used: 1 x T4", "awareness"),
    ],
)
def test_ladder(front_matter: str, expected: str) -> None:
    assert lint(front_matter).reporting_class == expected


def test_tags_are_configurable() -> None:
    text = "tags: [low-power, green-cert]\nco2_eq_emissions:\n  emissions: 1\n  hardware_used: 1 x T4"
    assert lint(text).reporting_class == "awareness"
    report = lint(text, optimization_tags=("low-power",), certification_tags=("green-cert",))
    assert report.reporting_class == "certified"


@pytest.mark.parametrize(("tag", "expected"), [("quantized", "optimization"), ("gptq", "optimization"),
                                               ("Distillation", "optimization"), ("gguf", "awareness")])
def test_default_optimisation_tags(tag: str, expected: str) -> None:
    text = f"tags: [{tag}]\nco2_eq_emissions:\n  emissions: 1\n  hardware_used: 1 x T4"
    assert lint(text).reporting_class == expected


def test_reason_and_next_step() -> None:
    g = grade({}, emissions_g=12.0, hardware=None)
    assert g.reporting_class == "basic"
    assert g.reason == "emissions reported (12 g), hardware not"
    assert g.next_step == "add hardware_used to reach 'awareness'"
    assert grade({"tags": ["pruned", "ecocard"]}, emissions_g=1.0, hardware="T4").next_step is None


@pytest.mark.parametrize(
    ("co2", "grams"),
    [(5, 5.0), ({"emissions": 2.5}, 2.5), ("1.2 kg", 1200.0), ({"emissions": "TBD"}, None),
     ([5], None), (True, None), (-1, None), (float("nan"), None), ({"emissions": None}, None)],
)
def test_understood_grams(co2: object, grams: float | None) -> None:
    assert understood_grams(co2) == grams


def test_ranks_are_ordered() -> None:
    assert [rank(c) for c in CLASSES] == list(range(6))


def test_text_hardware_counts_but_cpu_and_ram_lines_do_not() -> None:
    gpu = "# M\n\n### Training Hardware\n- **GPU Model**: 1 x NVIDIA GeForce RTX 3090\n"
    assert lint("co2_eq_emissions: 5", body=gpu).reporting_class == "awareness"
    cpu_ram = "# M\n\n### Training Hardware\n- **CPU Model**: Intel i7\n- **RAM Size**: 31.78 GB\n"
    assert lint("co2_eq_emissions: 5", body=cpu_ram).reporting_class == "basic"
    template = "# M\n\n## Environmental Impact\n\n- **Hardware Type:** [More Information Needed]\n"
    assert lint("co2_eq_emissions: 5", body=template).reporting_class == "basic"
