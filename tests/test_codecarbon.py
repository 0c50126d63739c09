"""CodeCarbon's emissions.csv: every layout read, the card filled from it, the card checked against it.

The fixtures (tests/data/codecarbon, see PROVENANCE.md there) are synthetic files in CodeCarbon's
1.x (12 columns), 2.x (31 and 32) and 3.x (38) layouts.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from carbonlint.rules.codecarbon import CodeCarbonError, card_values, parse_runs, read_runs
from conftest import codes, lint

DATA = Path(__file__).resolve().parent / "data" / "codecarbon"
V2_CARD = {  # what v2.csv fills in, in the card's order and units
    "emissions": 13.2, "source": "CodeCarbon",
    "geographical_location": "north brabant, The Netherlands",
    "hardware_used": "1 x NVIDIA GeForce RTX 3090", "energy_consumed": 0.0347, "hours_used": 0.127,
    "on_cloud": False, "cpu_model": "13th Gen Intel(R) Core(TM) i7-13700K", "ram_total_size": 31.78,
}


def card(front_matter: str, body: str = "# Model\n") -> str:
    return "---\n" + textwrap.dedent(front_matter).strip("\n") + "\n---\n" + body


# -- reading -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "layout", "columns", "runs"), [
    ("v1.csv", "1.x", 12, 3), ("v1_cloud.csv", "1.x", 12, 1), ("v2.csv", "2.x", 31, 1),
    ("v2_runs.csv", "2.x", 32, 2), ("v2_cpu.csv", "2.x", 31, 1), ("v3.csv", "3.x", 38, 1),
])
def test_every_layout_is_read(name: str, layout: str, columns: int, runs: int) -> None:
    header = (DATA / name).read_text(encoding="utf-8").splitlines()[0]
    assert len(header.split(",")) == columns
    read = read_runs(str(DATA / name))
    assert read.layout == layout and len(read.rows) == runs


def test_v1_runs_are_added_up() -> None:
    values = card_values(read_runs(str(DATA / "v1.csv")))
    assert values == {"emissions": 11.8, "source": "CodeCarbon",
                      "geographical_location": "île-de-france, France", "energy_consumed": 0.0279,
                      "hours_used": 0.08889, "on_cloud": False}


def test_v1_on_a_cloud() -> None:
    values = card_values(read_runs(str(DATA / "v1_cloud.csv")))
    assert values["geographical_location"] == "GCP us-central1"  # region "nan" is no region
    assert values["on_cloud"] is True and values["emissions"] == 4466.0
    assert "hardware_used" not in values  # 1.x did not record devices


def test_v2_single_run() -> None:
    assert card_values(read_runs(str(DATA / "v2.csv"))) == V2_CARD


def test_a_flushed_run_counts_once_and_runs_add_up() -> None:
    runs = read_runs(str(DATA / "v2_runs.csv"))  # CRLF, 2.8 layout with experiment_id
    total, last = card_values(runs, "sum"), card_values(runs, "last")
    # Run 1 was flushed at 0.05 kg, then ended at 0.1 kg; run 2 emitted 0.2 kg.
    assert (total["emissions"], total["energy_consumed"], total["hours_used"]) == (300.0, 1.14, 3.0)
    assert (last["emissions"], last["energy_consumed"], last["hours_used"]) == (200.0, 0.76, 2.0)
    assert total["hardware_used"] == last["hardware_used"] == "2 x NVIDIA GeForce RTX 3090"


def test_without_a_gpu_the_cpu_is_the_hardware() -> None:
    values = card_values(read_runs(str(DATA / "v2_cpu.csv")))
    assert values["hardware_used"] == "Intel(R) Xeon(R) Platinum 8380 CPU @ 2.30GHz"
    assert values["emissions"] == 0.1538 and values["ram_total_size"] == 1007.0


def test_v3() -> None:
    values = card_values(read_runs(str(DATA / "v3.csv")))
    assert values == {"emissions": 1838.0, "source": "CodeCarbon", "geographical_location": "AWS us-east-1",
                      "hardware_used": "4 x NVIDIA A10G", "energy_consumed": 5.0, "hours_used": 10.0,
                      "on_cloud": True, "cpu_model": "AMD EPYC 7R13 Processor", "ram_total_size": 373.7}


def test_a_gpu_model_without_its_count_gets_it() -> None:
    text = ("timestamp,project_name,run_id,duration,emissions,energy_consumed,gpu_count,gpu_model\n"
            "2024-01-01T00:00:00,p,r1,3600,0.1,0.4,8,NVIDIA H100\n")
    assert card_values(parse_runs(text))["hardware_used"] == "8 x NVIDIA H100"


@pytest.mark.parametrize(("text", "message"), [
    ((DATA / "not_codecarbon.csv").read_text(), "is not a CodeCarbon emissions.csv: it has no timestamp"),
    ("timestamp,project_name,duration,emissions,energy_consumed\n", "it has no run_id or experiment_id column "),
    ("timestamp,project_name,run_id,duration,emissions,energy_consumed\n", "no runs"),
    ("timestamp,project_name,run_id,duration,emissions,energy_consumed\nt,p,r,10,lots,1\n",
     "line 2: emissions is 'lots', not a number"),
    ("timestamp,project_name,run_id,duration,emissions,energy_consumed\nt,p,r,10,,1\n",
     "line 2: the emissions column is empty"),
    ("", "it has no timestamp"),
])
def test_what_is_not_codecarbon_is_refused(text: str, message: str) -> None:
    with pytest.raises(CodeCarbonError, match=message):
        parse_runs(text, "emissions.csv")


def test_unreadable_files_are_refused(tmp_path: Path) -> None:
    with pytest.raises(CodeCarbonError, match="cannot read"):
        read_runs(str(tmp_path / "missing.csv"))
    (tmp_path / "utf16.csv").write_bytes("timestamp,x\n".encode("utf-16"))
    with pytest.raises(CodeCarbonError, match="not UTF-8"):
        read_runs(str(tmp_path / "utf16.csv"))


def test_a_changed_file_is_read_again(tmp_path: Path) -> None:
    path = tmp_path / "emissions.csv"
    path.write_text((DATA / "v2.csv").read_text())
    assert len(read_runs(str(path)).rows) == 1
    path.write_text((DATA / "v1.csv").read_text())
    assert len(read_runs(str(path)).rows) == 3


# -- carbonlint fix --from-codecarbon ----------------------------------------------------------


FILLED = """\
co2_eq_emissions:
  emissions: 13.2
  source: CodeCarbon
  geographical_location: north brabant, The Netherlands
  hardware_used: 1 x NVIDIA GeForce RTX 3090
  energy_consumed: 0.0347
  hours_used: 0.127
  on_cloud: false
  cpu_model: 13th Gen Intel(R) Core(TM) i7-13700K
  ram_total_size: 31.78"""


@pytest.mark.parametrize(("before", "after"), [
    ("# Model\n", f"---\n{FILLED}\n---\n# Model\n"),  # no front matter: one is made
    ("---\nlicense: mit  # MIT\n---\n# Model\n", f"---\nlicense: mit  # MIT\n{FILLED}\n---\n# Model\n"),
    ("---\nlicense: mit\nco2_eq_emissions: 12.5  # AutoTrain\ntags: [a]\n---\n",
     f"---\nlicense: mit\n{FILLED.replace(':', ':  # AutoTrain', 1)}\ntags: [a]\n---\n"),
    # The card's own keys and comments stay; the file's keys replace or join them.
    ("---\nco2_eq_emissions:\n  emissions: 1  # old\n  training_type: fine-tuning  # ours\n"
     "  # our note\nlicense: mit\n---\n",
     "---\nco2_eq_emissions:\n  emissions: 13.2  # old\n  training_type: fine-tuning  # ours\n"
     + "\n".join(FILLED.splitlines()[2:]) + "\n  # our note\nlicense: mit\n---\n"),
])
def test_fill_from_codecarbon(tmp_path: Path, run, before: str, after: str) -> None:
    path = tmp_path / "README.md"
    path.write_text(before, encoding="utf-8")
    code, _, err = run("fix", "--from-codecarbon", str(DATA / "v2.csv"), str(path))
    assert path.read_text(encoding="utf-8") == after
    assert "filled from CodeCarbon" in err
    assert code == 0
    # Again: nothing changes.
    assert run("fix", "--from-codecarbon", str(DATA / "v2.csv"), str(path))[2].endswith("Nothing to fix.\n")
    assert path.read_text(encoding="utf-8") == after


def test_fill_keeps_crlf_bom_and_flow_style(tmp_path: Path, run) -> None:
    path = tmp_path / "README.md"
    before = "\ufeff---\r\nco2_eq_emissions: {emissions: 1, training_type: fine-tuning}\r\n---\r\nbody\r\n"
    path.write_bytes(before.encode("utf-8"))
    run("fix", "--from-codecarbon", str(DATA / "v3.csv"), str(path))
    assert path.read_bytes() == (
        "\ufeff---\r\nco2_eq_emissions: {emissions: 1838, training_type: fine-tuning, source: CodeCarbon, "
        "geographical_location: AWS us-east-1, hardware_used: 4 x NVIDIA A10G, energy_consumed: 5, "
        "hours_used: 10, on_cloud: true, cpu_model: AMD EPYC 7R13 Processor, ram_total_size: 373.7}"
        "\r\n---\r\nbody\r\n").encode("utf-8")


def test_runs_last(tmp_path: Path, run) -> None:
    path = tmp_path / "README.md"
    path.write_text("# M\n")
    run("fix", "--from-codecarbon", str(DATA / "v2_runs.csv"), "--runs", "last", str(path))
    assert "  emissions: 200\n" in path.read_text() and "  hours_used: 2\n" in path.read_text()
    run("fix", "--from-codecarbon", str(DATA / "v2_runs.csv"), str(path))  # the default: sum
    assert "  emissions: 300\n" in path.read_text() and "  hours_used: 3\n" in path.read_text()


def test_fill_then_fix_the_rest(tmp_path: Path, run) -> None:
    path = tmp_path / "README.md"
    path.write_text("---\nco2_eq_emissions:\n  emissions: 1\n  training_type: finetuning\n---\n")
    run("fix", "--from-codecarbon", str(DATA / "v2.csv"), str(path))
    assert "  training_type: fine-tuning\n" in path.read_text()


def test_diff_with_codecarbon_writes_nothing(tmp_path: Path, run) -> None:
    path = tmp_path / "README.md"
    path.write_text("---\nlicense: mit\n---\n")
    code, out, _ = run("fix", "--diff", "--from-codecarbon", str(DATA / "v2.csv"), str(path))
    assert code == 1 and "+co2_eq_emissions:\n+  emissions: 13.2\n" in out
    assert path.read_text() == "---\nlicense: mit\n---\n"


@pytest.mark.parametrize("raw", [
    "---\nlicense: [\n---\n",  # cannot be parsed
    "---\n{license: mit}\n---\n",  # a flow mapping: no line to add
    "---\nlicense: mit\n",  # never closed
])
def test_cards_that_cannot_take_the_block_are_untouched(tmp_path: Path, run, raw: str) -> None:
    path = tmp_path / "README.md"
    path.write_text(raw)
    code, _, err = run("fix", "--from-codecarbon", str(DATA / "v2.csv"), str(path))
    assert path.read_text() == raw
    assert code == 1 and "not filled from CodeCarbon" in err


def test_a_csv_that_is_not_codecarbon_is_a_usage_error(tmp_path: Path, run) -> None:
    path = tmp_path / "README.md"
    path.write_text("# M\n")
    code, out, err = run("fix", "--from-codecarbon", str(DATA / "not_codecarbon.csv"), str(path))
    assert code == 2 and out == "" and "is not a CodeCarbon emissions.csv" in err
    assert path.read_text() == "# M\n"
    assert run("check", "--codecarbon", str(DATA / "not_codecarbon.csv"), str(path))[0] == 2
    assert run("fix", "--runs", "last", str(path))[0] == 2  # --runs needs --from-codecarbon


# -- carbonlint check --codecarbon (CL310, CL311) ----------------------------------------------

V2 = {"codecarbon": str(DATA / "v2.csv"), "select": ("CL31",)}


@pytest.mark.parametrize("emissions", ["13.2", "13.2000", "13.19", "13", "0.0132e+3"])
def test_agreeing_emissions_are_quiet(emissions: str) -> None:
    assert codes(lint(f"co2_eq_emissions: {emissions}", **V2)) == []


def test_sum_or_last_run_both_agree() -> None:
    runs = {"codecarbon": str(DATA / "v2_runs.csv"), "select": ("CL31",)}
    assert codes(lint("co2_eq_emissions: 300", **runs)) == []
    assert codes(lint("co2_eq_emissions: 200", **runs)) == []
    report = lint("co2_eq_emissions: 250", **runs)
    assert [f.message for f in report.findings] == [
        "co2_eq_emissions is 250 g, but CodeCarbon measured 300 g over 2 runs, 200 g in the last "
        "(v2_runs.csv)"]


def test_kilograms_in_the_grams_field() -> None:
    (finding,) = lint("co2_eq_emissions:\n  emissions: 0.0132", **V2).findings
    assert finding.code == "CL310" and str(finding.severity) == "error"
    assert finding.message.endswith("the kilogram figure is in the grams field")
    assert finding.line == 3 and finding.suggestion == f"run 'carbonlint fix --from-codecarbon {DATA / 'v2.csv'}'"


@pytest.mark.parametrize(("line", "message"), [
    ("hardware_used: 1 x A100 40GB", "hardware_used is 1 x A100 40GB, but CodeCarbon recorded 1 x NVIDIA GeForce RTX 3090"),
    ("geographical_location: France", "geographical_location is France, but CodeCarbon recorded north brabant, The Netherlands"),
    ("energy_consumed: 0.5", "energy_consumed is 0.5 kWh, but CodeCarbon recorded 0.0347 kWh"),
    ("hours_used: 12", "hours_used is 12 h, but CodeCarbon recorded 0.127 h"),
    ("on_cloud: true", "on_cloud is true, but CodeCarbon recorded false"),
])
def test_details_that_disagree(line: str, message: str) -> None:
    report = lint(f"co2_eq_emissions:\n  emissions: 13.2\n  {line}", **V2)
    assert [(f.code, f.message) for f in report.findings] == [("CL311", message)]


@pytest.mark.parametrize("line", [
    "hardware_used: 1 x RTX 3090", "geographical_location: Eindhoven, Netherlands",
    "energy_consumed: 0.035", "hours_used: 0.13", "on_cloud: false", "hardware_used: TBD",
    "geographical_location: somewhere unknown",
])
def test_details_that_agree_are_quiet(line: str) -> None:
    assert codes(lint(f"co2_eq_emissions:\n  emissions: 13.2\n  {line}", **V2)) == []


def test_without_a_file_nothing_is_compared() -> None:
    assert codes(lint("co2_eq_emissions: 99999", select=("CL31",))) == []


def test_an_unreadable_file_is_one_finding_when_used_as_a_library(tmp_path: Path) -> None:
    report = lint("co2_eq_emissions: 1", codecarbon=str(tmp_path / "gone.csv"), select=("CL31",))
    assert [f.code for f in report.findings] == ["CL310"]
    assert "not compared with CodeCarbon" in report.findings[0].message


def test_configuration_key(tmp_path: Path, run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".git").mkdir()
    (tmp_path / "logs").mkdir()
    (tmp_path / "logs" / "emissions.csv").write_text((DATA / "v2.csv").read_text())
    (tmp_path / ".carbonlint.toml").write_text('codecarbon = "logs/emissions.csv"\n')
    Path("README.md").write_text(card("co2_eq_emissions:\n  emissions: 0.0132"))
    code, out, _ = run("check", "README.md")
    assert code == 1 and "CL310 [error]" in out
    (tmp_path / ".carbonlint.toml").write_text("codecarbon = 3\n")
    code, _, err = run("check", "README.md")
    assert code == 2 and "codecarbon: must be a path" in err


@pytest.mark.parametrize("name", ["v1.csv", "v1_cloud.csv", "v2.csv", "v2_runs.csv", "v2_cpu.csv", "v3.csv"])
def test_a_filled_card_agrees_with_its_file(tmp_path: Path, run, name: str) -> None:
    path = tmp_path / "README.md"
    path.write_text("---\nlicense: mit\n---\n# M\n")
    run("fix", "--from-codecarbon", str(DATA / name), str(path))
    code, out, _ = run("check", "--codecarbon", str(DATA / name), "--select", "CL31,CL1", str(path))
    assert code == 0 and "CL31" not in out and "CL1" not in out, out
