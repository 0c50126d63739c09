"""``carbonlint estimate``: the number, each factor with its source, the band, the block to paste,
the inputs' origins on a card, and ``--lifecycle``.

Expected numbers are computed here from the published factors (400 W A100 SXM, AWS PUE 1.2,
ML CO2 Impact's us-east-1 367.8 g/kWh), not copied from the output.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
import yaml

from carbonlint.card import parse_card
from carbonlint.schema import errors as schema_errors

CARD = textwrap.dedent("""\
    ---
    license: apache-2.0
    pipeline_tag: text-classification
    ---

    # roberta-base-finetuned-claims

    A RoBERTa-base classifier fine-tuned on a corpus of insurance claims.

    ## Environmental Impact

    Carbon emissions can be estimated using the Machine Learning Impact calculator.

    - **Hardware Type:** 4 x NVIDIA V100 32GB
    - **Hours used:** 12
    - **Cloud Provider:** Google Cloud
    - **Compute Region:** europe-west4
    - **Carbon Emitted:** [More Information Needed]
    """)


def test_options_give_every_factor_and_its_source(run) -> None:
    code, out, err = run("estimate", "--hardware", "8 x A100 80GB", "--hours", "36",
                         "--location", "us-east-1")
    assert code == 0, err
    grams = 8 * 400 * 36 / 1000 * 1.2 * 367.8
    assert f"estimate: {grams / 1000:.3g} kg CO2eq" in out
    assert "8 x A100 SXM4 80 GB, 400 W each [ML CO2 Impact (TDP)]" in out
    assert "PUE:      1.20 [AWS's default" in out
    assert "367.8 g CO2eq/kWh" in out and "zone aws:us-east-1" in out
    assert "band:" in out
    # Every input says it came from the command line.
    assert out.count("[command line (--") == 3


def test_json_block_reads_back_and_passes_the_schema(run) -> None:
    code, out, _ = run("estimate", "--hardware", "8 x A100 80GB", "--hours", "36 hours",
                       "--location", "us-east-1", "-f", "json")
    assert code == 0
    report = json.loads(out)
    grams = 8 * 400 * 36 / 1000 * 1.2 * 367.8
    assert report["estimate_g"] == pytest.approx(grams)
    low, high = report["band_g"]
    assert low < grams < high
    # power 0.5-1.1 x, PUE 1.08-1.56 of 1.2, grid +-20 %: the band is the product.
    assert low == pytest.approx(grams * 0.5 * 1.08 / 1.2 * 0.8)
    assert high == pytest.approx(grams * 1.1 * 1.56 / 1.2 * 1.2)
    grid = report["factors"]["grid"]
    assert (grid["zone"], grid["fallback"]) == ("aws:us-east-1", False)
    block = yaml.safe_load(report["block"])["co2_eq_emissions"]
    assert block == report["co2_eq_emissions"]
    assert block["emissions"] == float(f"{grams:.3g}")
    assert "estimate, not a measurement" in block["source"]
    assert "8 x A100 SXM4 80 GB (400 W) x 36 h x PUE 1.20" in block["source"]
    assert block["hardware_used"] == "8 x A100 80GB" and block["hours_used"] == 36
    assert schema_errors(block) == []


def test_no_location_uses_the_world_average_and_widens_the_band(run) -> None:
    code, out, _ = run("estimate", "--hardware", "1 x T4", "--hours", "10", "-f", "json")
    report = json.loads(out)
    assert code == 0 and report["factors"]["grid"]["fallback"] is True
    assert "geographical_location" not in report["co2_eq_emissions"]
    assert "world average, no location given" in report["co2_eq_emissions"]["source"]
    low, high = report["band_g"]
    assert high / low > 10  # 10th to 90th percentile of countries, not +-20 %


def test_card_inputs_say_where_they_came_from(tmp_path: Path, run) -> None:
    card = tmp_path / "README.md"
    card.write_text(CARD)
    code, out, err = run("estimate", str(card), "-f", "json")
    assert code == 0, err
    [report] = json.loads(out)
    inputs = report["inputs"]
    lines = CARD.splitlines()
    hardware_line = next(i for i, l in enumerate(lines, 1) if "Hardware Type" in l)
    assert inputs["hardware"] == {"value": "4 x NVIDIA V100 32GB",
                                  "origin": f"text, line {hardware_line} (Hardware Type)"}
    assert inputs["hours"]["origin"].endswith("(Hours used)")
    assert inputs["location"]["value"] == "europe-west4"
    assert report["factors"]["grid"]["zone"] == "gcp:europe-west4"
    assert report["factors"]["pue"]["source"].startswith("the data centre's own")


def test_metadata_comes_before_the_text_and_options_before_both(tmp_path: Path, run) -> None:
    card = tmp_path / "README.md"
    card.write_text(CARD.replace("pipeline_tag: text-classification\n",
                                 "co2_eq_emissions:\n  hardware_used: 2 x A100 40GB PCIe\n"))
    [report] = json.loads(run("estimate", str(card), "-f", "json")[1])
    assert report["inputs"]["hardware"]["origin"] == "metadata (co2_eq_emissions.hardware_used)"
    assert report["factors"]["devices"][0]["watts_each"] == 250
    [report] = json.loads(run("estimate", str(card), "--hours", "3", "--location", "France",
                              "-f", "json")[1])
    assert report["inputs"]["hours"] == {"value": "3", "origin": "command line (--hours)"}
    assert report["factors"]["grid"]["zone"] == "FR"


def test_a_card_without_inputs_says_what_is_missing(tmp_path: Path, run) -> None:
    card = tmp_path / "README.md"
    card.write_text("---\nlicense: mit\n---\n# A model\n\nTrained on one GPU.\n")
    code, out, _ = run("estimate", str(card))
    assert code == 1
    assert "no estimate: missing the hardware" in out and "the training time" in out


def test_unknown_hardware_is_named(run) -> None:
    code, out, _ = run("estimate", "--hardware", "2 x Frobnicator 9000", "--hours", "5")
    assert code == 1 and "'2 x Frobnicator 9000' names no device" in out


@pytest.mark.parametrize("argv", [
    ("estimate",),
    ("estimate", "--hardware", "1 x T4"),
    ("estimate", "--hardware", "1 x T4", "--hours", "200 GPU hours"),
    ("estimate", "--hardware", "1 x T4", "--hours", "3", "--pue", "0"),
    ("estimate", "--hardware", "1 x T4", "--hours", "3", "--deploy-hardware", "1 x T4"),
    ("estimate", "no/such/README.md"),
])
def test_usage_errors_are_exit_2_without_traceback(run, argv: tuple[str, ...]) -> None:
    code, out, err = run(*argv)
    assert code == 2 and "Traceback" not in out + err


def test_lifecycle_states_each_phase_and_its_assumptions(run) -> None:
    code, out, _ = run("estimate", "--hardware", "384 x A100 80GB", "--hours", "2820.3",
                       "--location", "France", "--pue", "1.2", "--lifecycle",
                       "--deploy-hardware", "16 x A100 40GB", "--deploy-location", "us-central1",
                       "--requests-per-day", "12820", "-f", "json")
    assert code == 0
    life = json.loads(out)["lifecycle"]
    phases = {p["name"]: p for p in life["phases"]}
    assert set(phases) == {"training", "embodied", "idle", "deployment"}
    # BLOOM's own inputs give back its published phases (11.2 t embodied, 14.6 t idle).
    assert phases["embodied"]["grams"] == pytest.approx(11.2e6, rel=0.02)
    assert phases["idle"]["grams"] / 1e6 == pytest.approx(14.6 * 56.039 / 57, rel=0.02)
    assert all(p["assumptions"] for p in phases.values())
    per_day = phases["deployment"]["grams"]
    assert phases["deployment"]["per_1000_requests_g"] == pytest.approx(per_day / 12.82)
    keys = life["keys"]
    card = parse_card("---\n" + yaml.safe_dump({"co2_eq_emissions": {"emissions": 1, **keys}})
                      + "---\n", "README.md")
    assert schema_errors(card.co2) == []


def test_lifecycle_text_lists_the_keys_to_paste(run) -> None:
    code, out, _ = run("estimate", "--hardware", "1 x T4", "--hours", "10", "--location",
                       "Germany", "--lifecycle")
    assert code == 0
    assert "embodied:" in out and "assumes:" in out
    assert "not estimated: deployment: give --deploy-hardware" in out
    assert "  embodied_emissions: " in out and "  idle_source: " in out


def test_estimate_is_listed_and_lazy(run) -> None:
    import subprocess
    import sys

    assert "estimate" in run("--help")[1]
    probe = ("import sys, carbonlint.cli; print(any(m.startswith('carbonlint.estimate') "
             "for m in sys.modules))")
    assert subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True).stdout.strip() == "False"


def test_lifecycle_keys_are_known_to_the_schema_and_the_unknown_key_rule(run, tmp_path: Path) -> None:
    from carbonlint.lifecycle import KEYS
    from carbonlint.rules.values import LIFECYCLE_KEYS
    from carbonlint.schema import load

    assert set(KEYS) == set(LIFECYCLE_KEYS)
    properties = load()["$defs"]["report"]["properties"]
    assert set(KEYS) <= set(properties)
    card = tmp_path / "README.md"
    card.write_text(textwrap.dedent("""\
        ---
        co2_eq_emissions:
          emissions: 24700000
          source: Luccioni et al. 2022
          training_type: pre-training
          geographical_location: France
          hardware_used: 384 x A100 80GB
          embodied_emissions: 11200000
          embodied_source: Luccioni et al. 2022, Table 3
          idle_emissions: 14600000
          idle_source: Luccioni et al. 2022, Table 3
          deployment_emissions_per_day: 19000
          deployment_source: Luccioni et al. 2022, Sec. 4.4
        ---
        # A model
        """))
    code, out, _ = run("check", str(card), "--select", "CL1", "-f", "json")
    assert code == 0 and json.loads(out)["files"][0]["findings"] == []


@pytest.mark.parametrize("value, code", [("-5", "CL103"), ('"a lot"', "CL102"), ("[1, 2]", "CL102")])
def test_lifecycle_figures_must_be_grams(run, tmp_path: Path, value: str, code: str) -> None:
    card = tmp_path / "README.md"
    card.write_text(f"---\nco2_eq_emissions:\n  emissions: 100\n  idle_emissions: {value}\n---\n")
    findings = json.loads(run("check", str(card), "--select", "CL1", "-f", "json")[1])["files"][0]["findings"]
    assert [(f["code"], f["key"]) for f in findings] == [(code, "co2_eq_emissions.idle_emissions")]


@pytest.mark.parametrize("written, hours", [
    ("2hr 56mins", 2 + 56 / 60), ("2 hours and 56 minutes", 2 + 56 / 60), ("1.5 days", 36.0),
    ("214 hrs ", 214.0),
])
def test_template_hours_line_is_read_whole(tmp_path: Path, run, written: str, hours: float) -> None:
    card = tmp_path / "README.md"
    card.write_text(CARD.replace("- **Hours used:** 12", f"- **Hours used:** {written}"))
    [report] = json.loads(run("estimate", str(card), "-f", "json")[1])
    assert report["factors"]["hours"] == pytest.approx(hours)


def test_hours_that_are_not_wall_clock_are_refused_and_named(tmp_path: Path, run) -> None:
    written = "2+ hrs for training, 15+ for preprocessing"
    card = tmp_path / "README.md"
    card.write_text(CARD.replace("- **Hours used:** 12", f"- **Hours used:** {written}"))
    code, out, _ = run("estimate", str(card))
    assert code == 1 and f"missing a training time in hours ({written!r} is not one)" in out


def test_device_hours_on_the_hours_line_are_every_devices_hours(tmp_path: Path, run) -> None:
    # Never wall-clock hours (4 x 230,400 h would be four times too much): one V100 for
    # 230,400 hours is what the line says.
    card = tmp_path / "README.md"
    card.write_text(CARD.replace("- **Hours used:** 12", "- **Hours used:** 230,400 GPU-hours"))
    code, out, _ = run("estimate", str(card), "-f", "json")
    (report,) = json.loads(out)
    assert code == 0 and report["factors"]["device_hours"] is True
    assert report["factors"]["hours"] == 230400 and report["factors"]["devices"][0]["count"] == 1
    assert report["inputs"]["device_hours"]["origin"].startswith("text, line 15")
    assert "hours_used" not in report["co2_eq_emissions"]


def test_an_unknown_place_is_named_not_called_missing(run) -> None:
    code, out, _ = run("estimate", "--hardware", "1 x T4", "--hours", "3", "--location",
                       "Atlantis", "-f", "json")
    report = json.loads(out)
    assert report["factors"]["grid"]["fallback"] is True
    assert "'Atlantis' is not in carbonlint's tables" in report["co2_eq_emissions"]["source"]
    assert report["co2_eq_emissions"]["geographical_location"] == "Atlantis"


def test_a_directory_and_a_reported_number(tmp_path: Path, run) -> None:
    (tmp_path / "plain").mkdir()
    (tmp_path / "plain" / "README.md").write_text(CARD)
    (tmp_path / "reported").mkdir()
    (tmp_path / "reported" / "README.md").write_text(
        "---\nco2_eq_emissions:\n  emissions: 90000\n  hardware_used: 1 x T4\n  hours_used: 3\n"
        "  geographical_location: France\n---\n# M\n")
    code, out, _ = run("estimate", str(tmp_path), "-f", "json")
    plain, reported = json.loads(out)
    assert code == 0 and plain["reported_g"] is None and reported["reported_g"] == 90000
    text = run("estimate", str(tmp_path / "reported"))[1]
    ratio = 90000 / reported["estimate_g"]
    assert f"reported: 90 kg on the card, {ratio:.2f} times this estimate, outside the band" in text
    assert "the card reports its own number: keep it if measured" in text
    assert run("estimate", str(tmp_path / "plain" / "nothing"))[0] == 2


def test_lifecycle_takes_the_cards_deployment_keys(tmp_path: Path, run) -> None:
    card = tmp_path / "README.md"
    card.write_text("---\nco2_eq_emissions:\n  emissions: 1500\n  hardware_used: 1 x T4\n"
                    "  hours_used: 3\n  geographical_location: France\n"
                    "  deployment_hardware: 2 x L4\n  deployment_requests_per_day: 4000\n"
                    "---\n# M\n")
    [report] = json.loads(run("estimate", str(card), "--lifecycle", "-f", "json")[1])
    phases = {p["name"]: p for p in report["lifecycle"]["phases"]}
    assert "2 x L4 (72 W)" in phases["deployment"]["arithmetic"]
    assert phases["deployment"]["per_1000_requests_g"] == pytest.approx(phases["deployment"]["grams"] / 4)
    # An option still wins over the card.
    [report] = json.loads(run("estimate", str(card), "--lifecycle", "--deploy-hardware", "1 x T4",
                              "-f", "json")[1])
    assert "1 x NVIDIA Tesla T4" in report["lifecycle"]["phases"][-1]["arithmetic"]


def test_placeholder_location_is_no_location(tmp_path: Path, run) -> None:
    card = tmp_path / "README.md"
    card.write_text(CARD.replace("europe-west4", "Unknown"))
    [report] = json.loads(run("estimate", str(card), "-f", "json")[1])
    assert report["inputs"]["location"]["value"] is None
    assert "world average, no location given" in report["co2_eq_emissions"]["source"]
    assert "geographical_location" not in report["co2_eq_emissions"]


def test_the_pasted_block_and_lifecycle_keys_pass_the_checks(tmp_path: Path, run) -> None:
    out = run("estimate", "--hardware", "8 x A100 80GB", "--hours", "36", "--location",
              "us-east-1", "--lifecycle", "--deploy-hardware", "1 x A10G",
              "--requests-per-day", "20000", "-f", "json")[1]
    report = json.loads(out)
    co2 = {**report["co2_eq_emissions"], **report["lifecycle"]["keys"]}
    card = tmp_path / "README.md"
    card.write_text("---\n" + yaml.safe_dump({"co2_eq_emissions": co2}, sort_keys=False)
                    + "---\n# M\n")
    files = json.loads(run("check", str(card), "-f", "json")[1])["files"]
    found = {f["code"] for f in files[0]["findings"]}
    assert not found & {"CL107", "CL220", "CL221", "CL401", "CL402", "CL420", "CL421", "CL422",
                        "CL423"}, found
    assert files[0]["lifecycle"]["phases"] == ["training", "embodied", "idle", "deployment"]
