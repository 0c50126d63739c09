"""One gatherer of the estimate's inputs: ``carbonlint estimate`` and ``carbonlint check
--show-estimate`` read the same inputs from a card and give the same figure, wherever the card
writes them (a count in the prose, device-hours, a "Time:" line, the environmental section of a
fine-tune whose text also quotes its base model's run, an energy figure). Every card here is
written for the test."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from carbonlint.card import parse_card
from carbonlint.checker import Context
from carbonlint.config import Config
from carbonlint.estimate import estimate, parse_hardware
from conftest import card_text, codes, lint

# A pre-training run: the metadata names the device, the prose its count and the duration.
COUNT_IN_PROSE = card_text("""
    language: en
    license: apache-2.0
    co2_eq_emissions:
      emissions: 240000
      source: estimated from the cluster's metered power and the grid factor
      training_type: pre-training
      geographical_location: Iowa, USA
      hardware_used: NVIDIA A100 80GB
    """, """# tiny-lm-410m

## Training

The model was pre-trained from scratch on 300B tokens. It was trained on 16 NVIDIA A100 80GB
GPUs with a global batch of 1,024 sequences; pre-training took 72 hours in total.
""")

# A fine-tune whose card quotes its base model's run, then gives its own in the environmental
# section: only the latter is this card's.
FINE_TUNE_OF_A_BIG_BASE = card_text("""
    license: llama2
    base_model: meta-llama/Llama-2-7b-hf
    pipeline_tag: text-generation
    co2_eq_emissions:
      emissions: 620
      source: CodeCarbon
      training_type: fine-tuning
    """, """# llama-2-7b-support-chat

A LoRA fine-tune of Llama 2 7B on 40,000 support conversations.

## Base model

The base model was pretrained on 2 trillion tokens on NVIDIA A100 80GB GPUs: 184,320 GPU hours
in total, according to its card.

## Environmental Impact

- **Hardware Type:** 1 x RTX 4090
- **Hours used:** 3.5
- **Cloud Provider:** none (a workstation in the office)
- **Compute Region:** Germany
- **Carbon Emitted:** 620 g (CodeCarbon)
""")

ENERGY_FIGURE = card_text("""
    license: mit
    co2_eq_emissions:
      emissions: 1800
      source: CodeCarbon
      training_type: fine-tuning
      geographical_location: Netherlands
      hardware_used: 2 x RTX 3090
      hours_used: 9
      energy_consumed: 5.2
    """, "# bert-ner-nl\n\nFine-tuned on 30,000 Dutch news sentences.\n")

TIME_LINE = card_text("""
    license: apache-2.0
    co2_eq_emissions:
      emissions: 6300000
      source: estimated from TPU hours
      training_type: pre-training
      geographical_location: us-central1
    """, """# t5-base-legal

Pre-trained on 120 GB of court decisions.

Time: 44.0 hours on Google Cloud TPU v4-16
""")

# The same run, its device-hours written the ways real cards write them.
DEVICE_HOURS_FRONT = """
    license: cc-by-4.0
    co2_eq_emissions:
      emissions: 390000
      source: ML CO2 Impact calculator
      training_type: pre-training
      geographical_location: France
      hardware_used: A100 SXM4 40GB
    """
DEVICE_HOURS_SPELLINGS = [
    ("We pre-trained the model for 3,072 GPU hours on the Jean Zay cluster.\n", 3072.0),
    ("- **GPU hours:** 3072\n", 3072.0),
    ("Training time (GPU hours): 3,072\n", 3072.0),
    ("Pre-training took about 3.1k GPU-hours.\n", 3100.0),
    ("Pre-training used 3072 A100 GPU hours in total.\n", 3072.0),
]


def write(tmp_path: Path, text: str) -> str:
    folder = tmp_path / "model"
    folder.mkdir(exist_ok=True)
    (folder / "README.md").write_text(text, encoding="utf-8")
    return str(folder / "README.md")


def both(run, path: str) -> tuple[dict, dict]:
    """``carbonlint estimate -f json`` and ``check --show-estimate -f json``'s judging estimate."""
    _, out, err = run("estimate", "-f", "json", path)
    (estimated,) = json.loads(out)
    _, out, err = run("check", "--show-estimate", "-f", "json", "--select", "CL4", path)
    (checked,) = json.loads(out)["files"]
    return estimated, checked["judging"]["estimate"]


def assert_same(estimated: dict, judged: dict) -> None:
    assert estimated["inputs"] == judged["inputs"]
    if estimated["estimate_g"] is None:
        assert judged["available"] is False
    else:
        assert judged["available"] is True
        assert judged["grams"] == pytest.approx(estimated["estimate_g"], abs=1e-3)
        assert judged["arithmetic"] == estimated["arithmetic"]
        assert judged["exact"] == estimated["exact"]


def test_a_count_in_the_prose(run, tmp_path: Path) -> None:
    estimated, judged = both(run, write(tmp_path, COUNT_IN_PROSE))
    assert_same(estimated, judged)
    inputs = estimated["inputs"]
    assert inputs["hardware"] == {"value": "NVIDIA A100 80GB",
                                  "origin": "metadata (co2_eq_emissions.hardware_used)"}
    assert inputs["count"]["value"].startswith("16") and inputs["count"]["origin"] == "text, line 15"
    assert inputs["hours"]["value"] == 72.0 and inputs["hours"]["origin"] == "text, line 16"
    assert estimated["exact"] and estimated["factors"]["devices"][0]["count"] == 16
    # The block to paste writes the count the estimate used.
    assert estimated["co2_eq_emissions"]["hardware_used"].startswith("16 x ")


@pytest.mark.parametrize("sentence,device_hours", DEVICE_HOURS_SPELLINGS,
                         ids=["prose", "bold-field", "parenthesised", "k-suffix", "model-named"])
def test_device_hours_spellings(run, tmp_path: Path, sentence: str, device_hours: float) -> None:
    text = card_text(DEVICE_HOURS_FRONT, "# flaubert-small\n\n" + sentence)
    estimated, judged = both(run, write(tmp_path, text))
    assert_same(estimated, judged)
    assert estimated["inputs"]["device_hours"]["value"] == device_hours
    # A label that counts device-hours gives no wall-clock hours.
    assert estimated["inputs"]["hours"]["value"] in (None, "3,072 (device-hours)")
    assert estimated["factors"]["device_hours"] is True
    expected = estimate([parse_hardware("1 x A100 SXM4 40GB")[0]], device_hours, "France")
    assert estimated["estimate_g"] == pytest.approx(expected.grams)
    # Device-hours are no wall-clock hours: the block leaves hours_used out.
    assert "hours_used" not in estimated["co2_eq_emissions"]
    assert "device-hours" in estimated["co2_eq_emissions"]["source"]


def test_a_fine_tune_takes_its_own_run_not_its_base_models(run, tmp_path: Path) -> None:
    estimated, judged = both(run, write(tmp_path, FINE_TUNE_OF_A_BIG_BASE))
    assert_same(estimated, judged)
    inputs = estimated["inputs"]
    assert inputs["hardware"]["value"] == "1 x RTX 4090"
    assert inputs["hours"]["value"] == 3.5
    # The base model's 184,320 GPU hours are quoted, not this run's.
    assert inputs["device_hours"]["value"] is None
    assert estimated["factors"]["devices"][0]["count"] == 1
    assert estimated["factors"]["hours"] == 3.5
    # The card's 620 g against 1 x RTX 4090 for 3.5 h in Germany: nothing to say.
    assert codes(lint_card(FINE_TUNE_OF_A_BIG_BASE)) == []


def test_device_hours_in_a_fine_tunes_own_section_count(run, tmp_path: Path) -> None:
    text = FINE_TUNE_OF_A_BIG_BASE.replace("- **Hours used:** 3.5\n", "- **GPU hours:** 14\n").replace(
        "1 x RTX 4090", "RTX 4090")
    estimated, judged = both(run, write(tmp_path, text))
    assert_same(estimated, judged)
    assert estimated["inputs"]["device_hours"]["value"] == 14.0


def test_a_time_line(run, tmp_path: Path) -> None:
    estimated, judged = both(run, write(tmp_path, TIME_LINE))
    assert_same(estimated, judged)
    inputs = estimated["inputs"]
    assert inputs["hardware"] == {"value": "TPU v4-16", "origin": "text, line 13"}
    assert inputs["hours"] == {"value": 44.0, "origin": "text, line 13 (Time:)"}


def test_an_energy_figure(run, tmp_path: Path) -> None:
    estimated, judged = both(run, write(tmp_path, ENERGY_FIGURE))
    assert_same(estimated, judged)
    assert estimated["inputs"]["energy"]["value"] == 5.2
    assert estimated["factors"]["energy_kwh"]["value"] == 5.2 and estimated["factors"]["devices"] == []
    _, out, _ = run("estimate", write(tmp_path, ENERGY_FIGURE))
    assert "energy:   5.2 kWh [metadata (co2_eq_emissions.energy_consumed, kWh)]" in out
    assert "hours_used" not in out.split("co2_eq_emissions block")[1]


def test_the_options_describe_another_run(run, tmp_path: Path) -> None:
    # --hardware and --hours replace the card's run: its energy figure and the prose's count no
    # longer apply.
    _, out, _ = run("estimate", "-f", "json", "--hardware", "4 x V100", "--hours", "10",
                    write(tmp_path, ENERGY_FIGURE))
    (estimated,) = json.loads(out)
    assert estimated["inputs"]["energy"]["value"] is None
    assert estimated["factors"]["devices"][0]["count"] == 4


def test_a_lower_bound_has_no_block_to_paste(run, tmp_path: Path) -> None:
    text = COUNT_IN_PROSE.replace("It was trained on 16 NVIDIA A100 80GB\nGPUs", "It was trained on "
                                  "NVIDIA A100 80GB\nGPUs")
    estimated, judged = both(run, write(tmp_path, text))
    assert_same(estimated, judged)
    assert estimated["exact"] is False and estimated["band_g"][1] is None
    assert estimated["co2_eq_emissions"] is None and estimated["block"] is None
    _, out, _ = run("estimate", write(tmp_path, text))
    assert ", a lower bound" in out and "no co2_eq_emissions block" in out


def test_show_estimate_prints_the_inputs_with_their_origins(run, tmp_path: Path) -> None:
    path = write(tmp_path, COUNT_IN_PROSE)
    _, out, _ = run("check", "--show-estimate", "--select", "CL4", path)
    line = next(x for x in out.splitlines() if "estimate inputs:" in x)
    assert "hardware NVIDIA A100 80GB [metadata (co2_eq_emissions.hardware_used)]" in line
    assert "hours 72 [text, line 16]" in line


def lint_card(text: str):
    from conftest import lint_text

    return lint_text(text, select=("CL4",))


def test_the_context_caches_one_gatherer() -> None:
    context = Context(parse_card(COUNT_IN_PROSE, "README.md"), Config())
    assert context.estimate_inputs is context.estimate_inputs
    assert context.estimate.grams == context.estimate_inputs.estimate().grams


def test_a_long_body_of_figures_is_read_in_bounded_time() -> None:
    import time

    body = ("## Environmental Impact\n\n" + "Pre-training used 3,072 GPU hours. Time: 4 hours on 8 x A100.\n" * 6000
            + "Pre-training used 1,024 GPU hours.\n" * 2000)
    text = card_text(DEVICE_HOURS_FRONT, "# flaubert-small\n\n" + body)
    started = time.perf_counter()
    inputs = Context(parse_card(text, "README.md"), Config()).estimate_inputs
    assert time.perf_counter() - started < 5  # about 1 s; the quadratic reading took 15
    assert inputs.device_hours.value is None  # two different figures: no guess
