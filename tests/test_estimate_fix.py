"""``carbonlint fix --estimate`` and CL220: the estimate written only where it may be, with every
other byte kept, idempotent, and never over a number the author wrote."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
import yaml

from carbonlint.card import parse_card

# A card in the Hub template's shape: hardware and hours in the text, no emissions anywhere.
TEMPLATE_CARD = textwrap.dedent("""\
    ---
    license: apache-2.0  # same as the base model
    language:
    - en
    tags:
    - text-classification
    ---

    # bert-base-cased-support-tickets

    Routes customer support tickets to one of 14 queues.

    ## Environmental Impact

    - **Hardware Type:** 2 x NVIDIA A100 40GB PCIe
    - **Hours used:** 6.5
    - **Cloud Provider:** AWS
    - **Compute Region:** eu-west-1
    """)

# Hardware and hours in the metadata, no emissions: the block is completed, its keys kept.
METADATA_CARD = textwrap.dedent("""\
    ---
    license: mit
    co2_eq_emissions:
      hardware_used: "1 x NVIDIA T4"   # Colab
      hours_used: 3
      geographical_location: Germany
    datasets:
    - imdb
    ---
    # distilbert-imdb
    """)

# 2 x A100 40GB PCIe (250 W) x 6.5 h x AWS PUE 1.2 x eu-west-1 (ML CO2 Impact, 617 g/kWh).
TEMPLATE_GRAMS = 2 * 250 * 6.5 / 1000 * 1.2 * 617


def encode(text: str, newline: str, bom: bool) -> bytes:
    return (b"\xef\xbb\xbf" if bom else b"") + text.replace("\n", newline).encode("utf-8")


@pytest.mark.parametrize("bom", [False, True], ids=["no-bom", "bom"])
@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "cr"])
def test_block_is_added_and_every_other_byte_kept(tmp_path: Path, run, newline: str,
                                                  bom: bool) -> None:
    card = tmp_path / "README.md"
    before = encode(TEMPLATE_CARD, newline, bom)
    card.write_bytes(before)
    code, out, err = run("fix", "--estimate", str(card))
    after = card.read_bytes()
    assert code == 0, out + err
    # Only lines were inserted, right before the closing '---'.
    closing = before.index(f"{newline}---{newline}".encode()) + len(newline)
    inserted = after[closing: len(after) - (len(before) - closing)]
    assert after[:closing] == before[:closing] and after[closing + len(inserted):] == before[closing:]
    lines = inserted.decode().split(newline)
    assert lines[0] == "co2_eq_emissions:" and lines[-1] == ""
    co2 = parse_card(after.decode("utf-8-sig"), "README.md").co2
    assert co2["emissions"] == float(f"{TEMPLATE_GRAMS:.3g}")
    assert co2["hardware_used"] == "2 x NVIDIA A100 40GB PCIe"
    assert co2["geographical_location"] == "eu-west-1" and co2["hours_used"] == 6.5
    assert "estimate, not a measurement" in co2["source"]
    assert f"{card}: applied 1 fix (filled from the estimate); reporting class 'awareness'" in err


def test_idempotent(tmp_path: Path, run) -> None:
    card = tmp_path / "README.md"
    card.write_text(TEMPLATE_CARD)
    run("fix", "--estimate", str(card))
    once = card.read_bytes()
    code, _, err = run("fix", "--estimate", str(card))
    assert card.read_bytes() == once and code == 0
    assert "no estimate written: the card already reports its emissions" in err
    assert run("fix", "--estimate", "--diff", str(card))[:2] == (0, "")


def test_metadata_block_gets_only_what_it_lacks(tmp_path: Path, run) -> None:
    card = tmp_path / "README.md"
    card.write_text(METADATA_CARD)
    assert run("fix", "--estimate", str(card))[0] == 0
    text = card.read_text()
    # The author's spelling and comment stay; emissions and source are added after hours etc.
    assert '  hardware_used: "1 x NVIDIA T4"   # Colab\n' in text
    assert text.count("hardware_used") == 1 and text.count("geographical_location") == 1
    co2 = yaml.safe_load(text.split("---")[1])["co2_eq_emissions"]
    from carbonlint.estimate import grid_intensity

    germany = grid_intensity("Germany").g_per_kwh  # the table's value; PUE: industry average
    assert co2["emissions"] == float(f"{70 * 3 / 1000 * 1.56 * germany:.3g}")
    assert text.endswith("datasets:\n- imdb\n---\n# distilbert-imdb\n")
    assert set(co2) == {"hardware_used", "hours_used", "geographical_location", "emissions", "source"}


def test_diff_shows_it_and_writes_nothing(tmp_path: Path, run) -> None:
    card = tmp_path / "README.md"
    card.write_text(TEMPLATE_CARD)
    code, out, err = run("fix", "--estimate", "--diff", str(card))
    assert code == 1 and card.read_text() == TEMPLATE_CARD
    assert "+co2_eq_emissions:\n+  emissions: " in out
    assert "would apply 1 fix (filled from the estimate); reporting class 'awareness'" in err


def test_only_on_request(tmp_path: Path, run) -> None:
    card = tmp_path / "README.md"
    card.write_text(TEMPLATE_CARD)
    code, _, err = run("fix", "--unsafe-fixes", str(card))
    assert card.read_text() == TEMPLATE_CARD and "Nothing to fix." in err


@pytest.mark.parametrize("front_matter, why", [
    ("co2_eq_emissions: 1520\n", "already reports its emissions"),
    ("co2_eq_emissions:\n  emissions: 15.2\n  hardware_used: 1 x T4\n  hours_used: 3\n",
     "already reports its emissions"),
    ("co2_eq_emissions:\n  emissions: TBD\n  hardware_used: 1 x T4\n  hours_used: 3\n",
     "already reports its emissions"),
    ("co2_eq_emissions:\n  source: CodeCarbon\n  hardware_used: 1 x T4\n  hours_used: 3\n",
     "names a source but no emissions"),
])
def test_never_over_a_reported_number(tmp_path: Path, run, front_matter: str, why: str) -> None:
    card = tmp_path / "README.md"
    text = f"---\nlicense: mit\n{front_matter}---\n# M\n\n- **Hardware Type:** 8 x A100\n- **Hours used:** 100\n"
    card.write_text(text)
    _, _, err = run("fix", "--estimate", str(card))
    assert card.read_text() == text
    assert why in err


def test_not_when_the_text_states_the_emissions(tmp_path: Path, run) -> None:
    card = tmp_path / "README.md"
    text = TEMPLATE_CARD + "- **Carbon Emitted:** 2.4 kg CO2eq\n"
    card.write_text(text)
    _, _, err = run("fix", "--estimate", str(card))
    assert card.read_text() == text and "text states its emissions" in err


def test_card_without_hours_is_left_with_the_reason(tmp_path: Path, run) -> None:
    card = tmp_path / "README.md"
    text = "---\nlicense: mit\n---\n# M\n\n- **Hardware Type:** 1 x T4\n"
    card.write_text(text)
    code, _, err = run("fix", "--estimate", str(card))
    assert card.read_text() == text and code == 0
    assert "does not give the training time" in err


def test_info_finding_gives_the_number(tmp_path: Path, run) -> None:
    card = tmp_path / "README.md"
    card.write_text(TEMPLATE_CARD)
    code, out, _ = run("check", str(card), "-f", "json")
    [finding] = [f for f in json.loads(out)["files"][0]["findings"] if f["code"] == "CL220"]
    assert code == 0 and finding["severity"] == "info"
    assert f"about {TEMPLATE_GRAMS / 1000:.3g} kg ({float(f'{TEMPLATE_GRAMS:.3g}'):g} g)" in finding["message"]
    assert "fix --estimate" in finding["suggestion"]
    # After the fix the offer is gone.
    run("fix", "--estimate", str(card))
    out = run("check", str(card), "-f", "json")[1]
    assert "CL220" not in {f["code"] for f in json.loads(out)["files"][0]["findings"]}


def test_no_finding_for_a_card_that_reports(tmp_path: Path, run) -> None:
    card = tmp_path / "README.md"
    card.write_text("---\nco2_eq_emissions:\n  emissions: 1500\n  hardware_used: 1 x T4\n"
                    "  hours_used: 3\n---\n# M\n")
    out = run("check", str(card), "-f", "json")[1]
    assert "CL220" not in {f["code"] for f in json.loads(out)["files"][0]["findings"]}


@pytest.mark.parametrize("line", ["- **Carbon Emitted:** 13", "Carbon emissions: 0.4 (kg, CodeCarbon)"])
def test_a_figure_in_the_text_without_unit_still_counts_as_stated(tmp_path: Path, run, line: str) -> None:
    card = tmp_path / "README.md"
    text = TEMPLATE_CARD + line + "\n"
    card.write_text(text)
    out = run("check", str(card), "-f", "json")[1]
    assert "CL220" not in {f["code"] for f in json.loads(out)["files"][0]["findings"]}
    _, _, err = run("fix", "--estimate", str(card))
    assert card.read_text() == text and "text states its emissions" in err


def test_a_placeholder_in_the_text_is_not_a_figure(tmp_path: Path, run) -> None:
    card = tmp_path / "README.md"
    card.write_text(TEMPLATE_CARD + "- **Carbon Emitted:** [More Information Needed]\n")
    out = run("check", str(card), "-f", "json")[1]
    assert "CL220" in {f["code"] for f in json.loads(out)["files"][0]["findings"]}


def test_fix_without_the_option_announces_it(tmp_path: Path, run) -> None:
    card = tmp_path / "README.md"
    card.write_text(TEMPLATE_CARD)
    _, _, err = run("fix", str(card))
    assert card.read_text() == TEMPLATE_CARD
    assert "1 more fix available with --estimate." in err


def test_placeholders_in_the_block_are_filled(tmp_path: Path, run) -> None:
    card = tmp_path / "README.md"
    text = TEMPLATE_CARD.replace("tags:\n", 'co2_eq_emissions:\n  hardware_used: "[More Information Needed]"\n'
                                 "  training_type: fine-tuning\ntags:\n")
    card.write_text(text)
    assert run("fix", "--estimate", str(card))[0] == 0
    co2 = parse_card(card.read_text(), "README.md").co2
    assert co2["hardware_used"] == "2 x NVIDIA A100 40GB PCIe"
    assert co2["training_type"] == "fine-tuning"
    assert co2["emissions"] == float(f"{TEMPLATE_GRAMS:.3g}")
    # Nothing outside the block moved.
    assert card.read_text().endswith(text[text.index("tags:\n"):])
