"""Cards that state their emissions in their text: CL211/CL212, the fix that moves the figure
into the metadata, and the metadata / text / nowhere counts in every output.

The cards (tests/cards/text_emissions/, written for these tests in the forms real cards use) are
named after their model's folder, since which table row is "the card's own" depends on it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hub_server import FakeHub, FakeModel

from carbonlint.card import parse_card
from carbonlint.checker import Context, check_paths
from carbonlint.config import Config
from carbonlint.fix import FixOptions, fix_text
from carbonlint.prose import extract
from carbonlint.stated import text_emissions

CARDS = Path(__file__).parent / "cards" / "text_emissions"

# card -> (class, emissions stated, text figure in grams or None, [(code, line)])
EXPECTED = {
    # The Hub template with the long label: the figure, and the hardware line (CL207).
    "Nimbus-Diffusion-v2/README.md": ("context", "text", 1_260_000.0,
                                      [("CL207", 23), ("CL211", 27)]),
    # A plain MODEL_CARD.md (no front matter) with an HTML table: the row of its own model,
    # location-based (the market-based 0 t is left aside).
    "Orca-7B/MODEL_CARD.md": ("unknown", "text", 310_000_000.0, [("CL211", 29)]),
    # The same card for the family: only a total, so ambiguous.
    "orca-family/MODEL_CARD.md": ("unknown", "text", None, [("CL212", 49)]),
    # "In aggregate, training all 6 models ... 41.2 tCO2eq": a total; GPT-3's 552 t is not read.
    "Quill-Code/MODEL_CARD.md": ("unknown", "text", None, [("CL212", 7)]),
    # A sentence about this model's training; BERT's 652 kg "for comparison" is not it.
    "tiny-sentiment/README.md": ("unknown", "text", 420.0, [("CL211", 13)]),
    # Only other things' footprints: nothing is the card's.
    "compare-only/README.md": ("unknown", "none", None, []),
    # A Markdown table of one model.
    "zephyr-mini/README.md": ("unknown", "text", 410_000.0, [("CL211", 9)]),
    # A plain "Carbon Emitted:" bullet, "7t CO2eq", in a card without front matter.
    "granite-lite/README.md": ("unknown", "text", 7_000_000.0, [("CL211", 13)]),
    # A fine-tune: the base model's copied training list is not its hardware, "GPU" is no
    # answer, and "NaN" is a placeholder.
    "pixel-ponies/README.md": ("unknown", "none", None, [("CL208", 26)]),
    # A fine-tune that copies its base model's block under the base model's label: that figure
    # and that hardware are the base model's, and the lists outside the section too (issue
    # 13's fAIrytale case; real cards derived from the Stable Diffusion card do this).
    "lumen-storybook/README.md": ("unknown", "text", None, [("CL212", 34)]),
    # A draft card: "Not measured, GPU expected" names no hardware (the card stays 'unknown'),
    # and "Not measured", "Not recorded" are the template left unfilled.
    "shell-guard/model_card.md": ("unknown", "none", None, [("CL208", 26)]),
    # "**Hardware:**" and "**Training Time:**" head lists, they are not empty fields; "CPU or
    # GPU (varies by user)" is no hardware.
    "story-lora/MODEL_CARD.md": ("unknown", "none", None, []),
    # "not including the fine-tuning": the section's hardware and hours are the base model's.
    "distil-qa-squad/README.md": ("unknown", "none", None, [("CL208", 24)]),
    # Two blocks under "### ... Estimated Emissions" headings: the sibling model's unfilled
    # block is neither this card's unfilled section (CL208) nor stale text (CL308), though
    # both names share a word (as DALL·E Mini's card gives DALL·E Mega's block).
    "sketchy-mini/README.md": ("awareness", "metadata", None, []),
    # "GPU Power" is no hardware; an empty "Cloud Provider:" is unfilled like the others.
    "gpu-only/README.md": ("unknown", "none", None, [("CL208", 10)]),
    # Metadata and the template's long-label figure fourfold apart.
    "fourfold/README.md": ("awareness", "metadata", None,
                           [("CL202", 3), ("CL204", 3), ("CL301", 4)]),
    # CodeCarbon's kilograms labelled grams: 0.0457 "g" for 0.134 kWh is 0.34 g/kWh.
    "st-codecarbon-slip/README.md": ("context", "text", 0.0457,
                                     [("CL211", 17), ("CL313", 17), ("CL207", 22)]),
    # 35 kWh in six minutes on one desktop GPU.
    "energy-impossible/README.md": ("context", "text", 12_000.0,
                                    [("CL207", 11), ("CL405", 13), ("CL211", 14)]),
    # "2.3 tons" for 5.1 kWh: kilograms.
    "tons-that-are-kg/README.md": ("unknown", "text", 2_300_000.0, [("CL211", 11), ("CL313", 11)]),
    # An energy under "Carbon Emitted" is not emissions.
    "kwh-as-emissions/README.md": ("context", "none", None, [("CL207", 9), ("CL312", 11)]),
}


def report_for(name: str):
    (report,) = check_paths([str(CARDS / name)], Config())
    return report


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_class_state_figure_and_exact_findings(name: str) -> None:
    reporting_class, state, grams, findings = EXPECTED[name]
    report = report_for(name)
    assert report.error is None
    assert report.reporting_class == reporting_class
    assert report.emissions_stated == state
    assert [(f.code, f.line) for f in report.findings] == findings
    if state == "text":
        assert report.text_emissions is not None
        assert report.text_emissions["emissions_g"] == grams
        assert report.text_emissions["ambiguous"] is (grams is None)
    else:
        assert report.text_emissions is None


def test_every_card_has_an_expectation() -> None:
    found = sorted(str(p.relative_to(CARDS)) for p in CARDS.glob("*/*.md"))
    assert found == sorted(EXPECTED)


def test_template_figure_message_names_figure_place_and_block() -> None:
    (_, finding) = report_for("Nimbus-Diffusion-v2/README.md").findings
    assert finding.message == (
        "the card's text states its training emissions, 'Carbon Emitted: 1260 kg CO2 eq' on "
        "line 27: 1,260,000 g; co2_eq_emissions is not set, so the Hub's filters and studies that "
        "read the metadata miss it")
    assert finding.suggestion == (
        "add 'co2_eq_emissions: {emissions: 1260000, source: \"the card's text (Carbon "
        "Emitted)\"}' to the front matter (carbonlint fix --unsafe-fixes writes it)")
    assert str(finding.severity) == "warning"
    assert finding.fix is not None and finding.fix.unsafe


def test_location_based_figure_is_taken_and_said() -> None:
    (finding,) = report_for("Orca-7B/MODEL_CARD.md").findings
    assert finding.message == (
        "the card's text states its training emissions, '310 t' in the table's row 'Orca 7B' on "
        "line 29: 310,000,000 g (the location-based figure; the market-based 0 tons CO2eq on line "
        "7 nets out purchased certificates and is left aside); co2_eq_emissions is not set, so "
        "the Hub's filters and studies that read the metadata miss it")
    assert report_for("Orca-7B/MODEL_CARD.md").text_emissions["basis"] == "location-based"


def test_family_total_is_ambiguous_and_lists_the_rows() -> None:
    (finding,) = report_for("orca-family/MODEL_CARD.md").findings
    assert str(finding.severity) == "info"
    assert finding.fix is None
    assert finding.message == (
        "the text gives a total for several models, not this model's own figure: '1,170 t' in "
        "the table's row 'Total' on line 49 (1,170,000,000 g); '310 t' in the table's row "
        "'Orca 7B' on line 29 (310,000,000 g); '860 t' in the table's row 'Orca 34B' on line 39 "
        "(860,000,000 g); co2_eq_emissions is not set")


def test_aggregate_sentence_is_not_the_models_own() -> None:
    (finding,) = report_for("Quill-Code/MODEL_CARD.md").findings
    assert "'41.2 tCO2eq' on line 7 (41,200,000 g)" in finding.message
    assert "552" not in finding.message


def _facts(body: str):
    return extract(body)


@pytest.mark.parametrize("body", [
    "For comparison, GPT-3 emitted 552 tCO2eq during its training.",
    "Training BERT is equivalent to a trans-American flight: 652 kg CO2eq.",
    "Our model emits far less than the 284 t CO2eq of a large transformer trained with NAS.",
    "Inference on a laptop emits about 0.2 g CO2eq per 1000 requests.",
    "The base model was trained with 24.7 tonnes of CO2eq emitted.",
    "Training all 12 models of the family in aggregate emitted 65.3 tCO2eq.",
    "The total market-based greenhouse gas emissions for training were 0 tons CO2eq.",
])
def test_free_prose_about_something_else_is_not_the_cards(body: str) -> None:
    stated = text_emissions(_facts(body), ["my-model"])
    assert stated is None or stated.fact is None


@pytest.mark.parametrize(("body", "grams"), [
    ("Training this model emitted 3.2 kg CO2 eq. in total.", 3200.0),
    ("Estimated total location-based greenhouse gas emissions were **1,999 tons** CO2eq for "
     "training.", 1_999_000_000.0),
    ("Pretraining took 3 days. Estimated total emissions were **2.5** tons CO2eq.", 2_500_000.0),
    ("## Environmental Impact\n\nWe emitted 850 g CO2eq.\n", 850.0),
    ("- **Carbon Emitted (in kg CO2eq):** 12.5\n", 12_500.0),
    ("- Carbon Emitted: 7t CO2eq\n", 7_000_000.0),
])
def test_the_cards_own_figure_in_the_forms_cards_use(body: str, grams: float) -> None:
    stated = text_emissions(_facts(body), ["my-model"])
    assert stated is not None and stated.fact is not None
    assert float(stated.fact.value) == pytest.approx(grams)


def test_a_table_row_is_chosen_by_the_models_name() -> None:
    body = (
        "| Model | Time (GPU hours) | Carbon Emitted(tCO<sub>2</sub>eq) |\n"
        "|---|---|---|\n"
        "| Acme 7B | 184320 | 31.22 |\n"
        "| Acme 13B | 368640 | 62.44 |\n"
        "| Total | 552960 | 93.66 |\n"
    )
    facts = _facts(body)
    own = text_emissions(facts, ["Acme-13B-chat-hf"])
    assert own is not None and own.fact is not None and own.fact.value == pytest.approx(62_440_000)
    assert own.fact.field == "Acme 13B"
    family = text_emissions(facts, ["acme"])
    assert family is not None and family.fact is None
    # A header whose unit is an intensity gives nothing.
    intensity = "| Model | Carbon Intensity (kg CO2e/kWh) |\n|---|---|\n| Acme 7B | 0.656 |\n"
    assert text_emissions(_facts(intensity), ["Acme-7B"]) is None


def test_sentence_and_own_row_that_disagree_are_ambiguous() -> None:
    body = (
        "Estimated total emissions were 11,390 tons CO2eq for training.\n\n"
        "| | Training Emissions (metric tons CO2eq) |\n| :--- | :---: |\n| Acme 70B | 12.9 |\n"
    )
    stated = text_emissions(_facts(body), ["Acme-70B"])
    assert stated is not None and stated.fact is None
    assert stated.why == "the text gives different figures"


# -- hardware and hours of the card's own run ----------------------------------------------------


def _context(text: str, path: str = "some-model/README.md") -> Context:
    return Context(parse_card(text, path), Config())


def test_non_answers_do_not_lift_a_card_to_context() -> None:
    for value in ("GPU", "GPU Power", "1 x GPU", "Nvidia"):
        context = _context(f"# m\n\n## Environmental Impact\n\n- **Hardware Type:** {value}\n")
        assert context.hardware is None, value
        assert context.grade.reporting_class == "unknown"
    context = _context("# m\n\n## Environmental Impact\n\n- **Hardware Type:** 1 x T4\n")
    assert context.grade.reporting_class == "context"


def test_deployment_hardware_is_not_the_training_run() -> None:
    text = ("# m\n\n### Deploying Requirements\n\n- **GPU Model**: 1 x A100 80GB\n\n"
            "## Training\n\nThe model was trained for 3 hours.\n")
    context = _context(text)
    assert context.hardware is None
    assert [f.code for f in report_of(text)] == []


def test_fine_tune_does_not_take_the_base_models_training_list() -> None:
    text = ("---\nbase_model: acme/big-diffusion\n---\n# m\n\n## Training\n\n"
            "- **Hardware:** 32 x 8 x A100 GPUs\n- **Hours used:** 150000\n")
    context = _context(text)
    assert context.hardware is None
    assert context.estimate is None
    # The same lines in a card that is not a fine-tune are its own.
    assert _context(text.replace("base_model: acme/big-diffusion", "license: mit")).hardware == (
        "32 x 8 x A100 GPUs")


def test_inference_laptop_does_not_feed_the_estimate() -> None:
    text = ("---\nco2_eq_emissions:\n  emissions: 120\n---\n# m\n\n"
            "The model was trained for 2 hours. It runs on a laptop with 1 x RTX 3090 at 40 "
            "tokens/s.\n")
    assert _context(text).estimate is None
    own = text.replace("It runs on a laptop with 1 x RTX 3090 at 40 tokens/s.",
                       "We trained on 1 x RTX 3090.")
    assert _context(own).estimate is not None


def report_of(text: str):
    from carbonlint.checker import check_card

    return check_card(parse_card(text, "some-model/README.md"), Config()).findings


# -- fix: the block from the text ----------------------------------------------------------------


def test_fix_writes_the_block_only_with_unsafe_fixes_and_keeps_every_other_byte() -> None:
    original = (CARDS / "Nimbus-Diffusion-v2/README.md").read_text(encoding="utf-8")
    path = "Nimbus-Diffusion-v2/README.md"
    same, applied, _, _ = fix_text(original, path, Config(), FixOptions())
    assert same == original and not applied
    fixed, applied, report, _ = fix_text(original, path, Config(), FixOptions(unsafe=True))
    assert applied == {"CL211": 1}
    block = ("co2_eq_emissions:\n  emissions: 1260000\n"
             "  source: the card's text (Carbon Emitted)\n")
    assert fixed == original.replace("- text-to-image\n---\n", "- text-to-image\n" + block + "---\n")
    assert report.emissions_stated == "metadata"
    assert report.emissions_g == 1_260_000
    assert "CL211" not in [f.code for f in report.findings]
    assert "CL301" not in [f.code for f in report.findings]  # the text and the block agree


def test_fix_gives_a_card_without_front_matter_one() -> None:
    original = (CARDS / "granite-lite/README.md").read_text(encoding="utf-8")
    fixed, applied, report, _ = fix_text(original, "granite-lite/README.md", Config(),
                                         FixOptions(unsafe=True))
    assert applied == {"CL211": 1}
    assert fixed == ("---\nco2_eq_emissions:\n  emissions: 7000000\n"
                     "  source: the card's text (Carbon Emitted)\n---\n" + original)
    assert report.emissions_g == 7_000_000


def test_fix_keeps_crlf_line_endings() -> None:
    original = ("---\r\nlicense: mit\r\n---\r\n\r\n# crlf-card\r\n\r\n## Environmental Impact\r\n"
                "\r\n- **Hardware Type:** 1 x T4\r\n- **Hours used:** 2\r\n"
                "- **Carbon Emitted:** 0.061 kg CO2eq\r\n")
    fixed, applied, _, _ = fix_text(original, "crlf-card/README.md", Config(), FixOptions(unsafe=True))
    assert applied == {"CL211": 1}
    assert fixed == original.replace(
        "license: mit\r\n", "license: mit\r\nco2_eq_emissions:\r\n  emissions: 61\r\n"
        "  source: the card's text (Carbon Emitted)\r\n")


def test_ambiguous_figure_is_never_written() -> None:
    original = (CARDS / "orca-family/MODEL_CARD.md").read_text(encoding="utf-8")
    fixed, applied, _, _ = fix_text(original, "orca-family/MODEL_CARD.md", Config(),
                                    FixOptions(unsafe=True))
    assert fixed == original and not applied


def test_fix_command_writes_the_file(tmp_path: Path) -> None:
    card = tmp_path / "tiny-sentiment" / "README.md"
    card.parent.mkdir()
    shutil.copy(CARDS / "tiny-sentiment/README.md", card)
    before = card.read_bytes()
    result = subprocess.run([sys.executable, "-m", "carbonlint", "fix", "--unsafe-fixes", str(card)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    after = card.read_bytes()
    assert after == before.replace(b"pipeline_tag: text-classification\n",
                                   b"pipeline_tag: text-classification\nco2_eq_emissions:\n"
                                   b"  emissions: 420\n  source: the card's text\n")


# -- counted as the study would ------------------------------------------------------------------


def _cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "carbonlint", *args], capture_output=True,
                          text=True, check=False, cwd=cwd)


def test_json_gives_the_state_per_card_and_the_shares_in_the_summary() -> None:
    result = _cli("check", "-f", "json", str(CARDS))
    document = json.loads(result.stdout)
    assert document["summary"]["emissions_stated"] == {"metadata": 2, "text": 11, "none": 7}
    states = {Path(f["path"]).parent.name: f["emissions_stated"] for f in document["files"]}
    assert states["fourfold"] == "metadata" and states["Orca-7B"] == "text"
    assert states["compare-only"] == "none"
    orca = next(f for f in document["files"] if Path(f["path"]).parent.name == "Orca-7B")
    assert orca["reporting_class"] == "unknown"  # the class stays on the metadata
    assert orca["text_emissions"] == {"emissions_g": 310_000_000.0, "ambiguous": False,
                                      "line": 29, "text": "310", "basis": "location-based"}


def test_text_and_markdown_show_the_state_beside_the_class() -> None:
    text = _cli("check", str(CARDS)).stdout.splitlines()
    assert (f"{CARDS / 'zephyr-mini/README.md'}: reporting class unknown (no emissions and no "
            "hardware reported); emissions stated in the text only") in text
    assert text[-1] == ("0 errors, 14 warnings, 12 infos in 20 cards; emissions stated in metadata "
                        "by 2, in the text only by 11, nowhere by 7.")
    markdown = _cli("check", "-f", "markdown", str(CARDS)).stdout
    assert "emissions stated in metadata by 2, in the text only by 11, nowhere by 7" in markdown
    assert "| unknown | in the text only |" in markdown
    sarif = json.loads(_cli("check", "-f", "sarif", str(CARDS)).stdout)
    summary = sarif["runs"][0]["invocations"][0]["properties"]["summary"]
    assert summary["emissions_stated"] == {"metadata": 2, "text": 11, "none": 7}


def test_hub_counts_the_cards_that_report_in_their_text(tmp_path: Path) -> None:
    text_card = (CARDS / "Nimbus-Diffusion-v2/README.md").read_bytes()
    metadata_card = b"---\nco2_eq_emissions: 12.5\n---\n# m\n"
    silent = b"---\nlicense: mit\n---\n# A model that says nothing about emissions\n"
    models = [FakeModel(id="acme/nimbus", readme=text_card),
              FakeModel(id="acme/measured", readme=metadata_card),
              FakeModel(id="acme/silent", readme=silent)]
    from test_hub import lint_json

    with FakeHub(models) as hub:
        _, document = lint_json(hub, tmp_path, "acme/nimbus", "acme/measured", "acme/silent")
    assert document["summary"]["emissions_stated"] == {"metadata": 1, "text": 1, "none": 1}
    states = {f["path"]: f["emissions_stated"] for f in document["files"]}
    assert states == {"hf://acme/nimbus": "text", "hf://acme/measured": "metadata",
                      "hf://acme/silent": "none"}


def test_unit_slip_messages_and_no_fix_for_a_suspect_figure() -> None:
    findings = {f.code: f for f in report_for("st-codecarbon-slip/README.md").findings}
    assert findings["CL313"].message == (
        "the text's emissions 'Carbon Emitted: 0.0457' on line 17 look like a unit slip: for "
        "0.134 kWh (the text's 'Energy Consumed: 0.134 kWh' on line 16) it is 0.341 g CO2e per "
        "kWh, which no grid has; read as kilograms it is 341 g per kWh")
    assert findings["CL211"].fix is None
    assert findings["CL211"].suggestion.startswith("correct the unit first (CL313), then add")
    (tons,) = [f for f in report_for("tons-that-are-kg/README.md").findings if f.code == "CL313"]
    assert tons.message.endswith("read as kilograms it is 451 g per kWh")


def test_energy_beyond_what_the_hardware_can_draw() -> None:
    (finding,) = [f for f in report_for("energy-impossible/README.md").findings if f.code == "CL405"]
    assert finding.message == (
        "the text's 'Energy Consumed: 35 kWh' on line 13 is 35 kWh, but 1 x RTX 3090 (350 W) for "
        "0.1 h can draw at most about 0.14 kWh (rated power x hours x 4)")
    # The metadata's energy_consumed is judged the same way.
    text = ("---\nco2_eq_emissions:\n  emissions: 15400\n  energy_consumed: 35\n"
            "  hardware_used: 1 x P100\n  hours_used: 2\n---\n# m\n")
    assert [(f.code, f.line) for f in report_of(text) if f.code == "CL405"] == [("CL405", 4)]
    plausible = text.replace("energy_consumed: 35", "energy_consumed: 0.35")
    assert [f.code for f in report_of(plausible) if f.code == "CL405"] == []


def test_energy_under_an_emissions_label_is_not_emissions() -> None:
    (finding,) = [f for f in report_for("kwh-as-emissions/README.md").findings if f.code == "CL312"]
    assert finding.message == ("the text's 'Carbon Emitted: 0.21 kWh' on line 11 is an energy, "
                               "not a mass of CO2")


def test_a_label_naming_the_cards_own_model_keeps_its_figure() -> None:
    """Labels are compared word by word with the card's names, spelling aside: a card filed as
    "wuerstchen-prior" owns the block labelled "Würstchen v2"; the same block in a card of
    another name is another model's."""
    body = (
        "## Environmental Impact\n\n"
        "**Würstchen v2** **Estimated Emissions**\n\n"
        "- **Hardware Type:** A100 PCIe 40GB\n"
        "- **Hours used:** 24602\n"
        "- **Carbon Emitted:** 2275.68 kg CO2 eq.\n"
    )
    prose = extract(body)
    own = text_emissions(prose, ["wuerstchen-prior"])
    assert own is not None and own.fact is not None and float(own.fact.value) == 2_275_680.0
    other = text_emissions(prose, ["lantern-sketch", "Lantern Sketch LoRA"])
    # A sibling sharing the family name is still another model: every word must be the card's
    # (versions are not words: "v2" and "v3" tell nothing apart).
    sibling = extract(body.replace("Würstchen v2", "Würstchen Mega"))
    assert text_emissions(sibling, ["wuerstchen-mini"]).fact is None
    assert text_emissions(sibling, ["wuerstchen-mega"]).fact is not None
    assert other is not None and other.fact is None
    assert "'Würstchen v2'" in other.why
    # Without a name to compare with, nothing is taken away.
    unnamed = text_emissions(prose, [])
    assert unnamed is not None and unnamed.fact is not None


def test_messages_quote_the_label_the_card_wrote(tmp_path: Path) -> None:
    card = tmp_path / "tiny-pretrain" / "README.md"
    card.parent.mkdir()
    card.write_text(
        "---\nco2_eq_emissions:\n  emissions: 89730\n  hardware_used: NVIDIA A100-SXM4-80GB\n---\n\n"
        "# Tiny Pretrain\n\n## Details\n\n- **GPU:** 8 NVIDIA A100-SXM4-80GB\n"
        "- **Training time**: ~ 44 hours\n- **Emissions:** 89.73 KgCO2 (Germany)\n",
        encoding="utf-8",
    )
    (report,) = check_paths([str(card)], Config())
    messages = {f.code: f.message for f in report.findings}
    assert "'GPU: 8 NVIDIA A100-SXM4-80GB'" in messages["CL305"]
    assert "GPU Model" not in messages["CL305"]
