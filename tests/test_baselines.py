"""Baseline build, file format, loading, peer groups and the ``baselines`` CLI."""

from __future__ import annotations

import json
import math
import statistics
from pathlib import Path

import pytest
from conftest import cli_runner

from carbonlint import baselines as bl
from carbonlint.baselines_cli import baselines as baselines_cli

FIXTURE = Path(__file__).parent / "data" / "castano_small.csv"
# ../shared beside the repository: the source of the shipped baseline, when it is there.
CASTANO_CSV = Path(__file__).resolve().parents[2] / "shared/data/castano2023/HFCO2.csv"
SHIPPED = Path(__file__).resolve().parents[1] / "src/carbonlint/data/baseline.json"


@pytest.fixture(scope="module")
def built() -> dict:
    return bl.build_from_csv(FIXTURE)


# --- building from the fixture --------------------------------------------------------------


def test_build_counts_duplicates_and_malformed_rows(built: dict) -> None:
    assert built["build"] == {
        "rows_read": 18,
        "rows_kept": 10,
        "dropped": {
            "created_at not a date": 1,
            "duplicate model id": 1,
            "emissions not a finite number": 1,
            "emissions not a number": 2,  # "12 kg" and an empty cell
            "negative emissions": 1,
            "size not a number": 1,
            "zero emissions": 1,
        },
    }


def test_duplicate_keeps_the_first_row(built: dict) -> None:
    # The second m01 reports 99 g; had it been kept, p99 of "all" would exceed 10.
    assert built["groups"]["all"]["quantiles_g"]["p99"] == pytest.approx(9.91)


def test_quantiles_on_known_numbers(built: dict) -> None:
    # The kept emissions are 1, 2, ..., 10 g: linear interpolation gives these exactly.
    quantiles = built["groups"]["all"]["quantiles_g"]
    expected = {"p1": 1.09, "p5": 1.45, "p10": 1.9, "p25": 3.25, "p50": 5.5,
                "p75": 7.75, "p90": 9.1, "p95": 9.55, "p99": 9.91}
    assert quantiles == pytest.approx(expected)
    logs = [math.log10(v) for v in range(1, 11)]
    median = statistics.median(logs)
    mad = statistics.median(abs(x - median) for x in logs)
    assert built["groups"]["all"]["log10_median"] == pytest.approx(median, rel=1e-5)
    assert built["groups"]["all"]["log10_mad"] == pytest.approx(mad, rel=1e-5)


def test_groups_follow_the_documented_mapping(built: dict) -> None:
    groups = built["groups"]
    assert list(groups) == list(bl.GROUPS) + list(bl.COMBINED_GROUPS)
    sizes = {key: group["n"] for key, group in groups.items() if key in bl.GROUPS}
    assert sizes == {
        "all": 10,
        "domain:nlp": 4,
        "domain:cv": 3,
        "domain:audio": 0,
        "domain:multimodal": 1,
        "domain:tabular": 1,  # "Not Specified" with a joblib library
        "training_type:pre-training": 1,
        "training_type:fine-tuning": 3,
        "training_type:unknown": 6,
        "autotrain:yes": 7,  # "True" and "1"
        "autotrain:no": 3,
        "size:<100MB": 1,
        "size:100MB-1GB": 4,
        "size:1GB-10GB": 2,
        "size:>=10GB": 1,
    }
    assert groups["domain:audio"]["quantiles_g"] is None
    assert groups["domain:cv"]["quantiles_g"]["p50"] == 6.0


def test_label_boundaries_and_ranges(built: dict) -> None:
    metrics = built["label"]["metrics"]
    assert metrics["emissions"]["boundaries"] == pytest.approx([2.8, 4.6, 6.4, 8.2])
    assert metrics["emissions"]["better"] == "lower"
    # Downloads 0, 1, 2, 3, 5, 7, 8, 10, 100, 1000 at Castaño et al.'s p60/85/94/96.
    assert metrics["downloads"]["percentiles"] == [60, 85, 94, 96]
    assert metrics["downloads"]["boundaries"] == pytest.approx([7.4, 68.5, 514, 676])
    assert metrics["size_efficiency"]["n"] == 8
    assert metrics["dataset_efficiency"]["n"] == 3
    ranges = built["label"]["performance_ranges"]
    assert ranges["accuracy"] == {"min": 0.5, "max": 1.0}
    assert ranges["rouge1"] == {"min": 0.45, "max": 0.45}  # 45.0 read as a percentage


def test_data_dates_and_generated_come_from_the_data(built: dict) -> None:
    assert built["data"] == {"created_first": "2021-01-01", "created_last": "2022-06-30",
                             "models": 10}
    assert built["generated"] == "2022-06-30"
    assert built["format"] == 1
    assert built["source"]["citation"].startswith("J. Castaño, S. Martínez-Fernández")
    assert built["source"]["file"] == "castano_small.csv"
    assert len(built["source"]["sha256"]) == 64


def test_emissions_per_byte(built: dict) -> None:
    per_byte = built["emissions_per_byte"]
    assert per_byte["n"] == 8 and per_byte["unit"] == "g/byte"
    assert per_byte["quantiles"]["p1"] > 0


def test_build_is_deterministic() -> None:
    first = bl.dumps(bl.build_from_csv(FIXTURE))
    second = bl.dumps(bl.build_from_csv(FIXTURE))
    assert first == second
    assert first.endswith("}\n")
    assert json.loads(first)["build"]["rows_kept"] == 10


def test_no_rows_are_shipped(built: dict) -> None:
    assert "m01" not in bl.dumps(built)


def test_missing_columns_is_a_value_error(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("name,grams\na,1\n", encoding="utf-8")
    with pytest.raises(ValueError, match="missing column"):
        bl.build_from_csv(path)


# --- building from records ------------------------------------------------------------------


def test_build_from_records_merges_rejected_counts_and_source_date() -> None:
    records = [
        bl.ModelRecord("a/x", 2.0, domain="nlp"),
        bl.ModelRecord("a/x", 3.0),
        bl.ModelRecord("a/y", float("inf")),
        bl.ModelRecord("", 1.0),
        bl.ModelRecord("a/z", 4.0, created_at="2024-01-01"),
    ]
    data = bl.build_from_records(records, {"kind": "hub", "date": "2025-02-03"},
                                 rejected={"unreadable card": 2})
    assert data["generated"] == "2025-02-03"
    assert data["build"] == {
        "rows_read": 7,
        "rows_kept": 2,
        "dropped": {"duplicate model id": 1, "emissions not a finite number": 1,
                    "missing model id": 1, "unreadable card": 2},
    }
    assert data["source"] == {"kind": "hub", "date": "2025-02-03"}


def test_build_from_no_usable_records_fails() -> None:
    with pytest.raises(ValueError, match="no usable"):
        bl.build_from_records([bl.ModelRecord("a", 0.0)], {"kind": "test"})


# --- helpers --------------------------------------------------------------------------------


def test_percentile_matches_linear_interpolation() -> None:
    assert bl.percentile([1.0], 99) == 1.0
    assert bl.percentile([0.0, 10.0], 25) == 2.5
    with pytest.raises(ValueError):
        bl.percentile([], 50)


@pytest.mark.parametrize(
    ("size", "bucket"),
    [(99_999_999, "<100MB"), (1e8, "100MB-1GB"), (9.99e9, "1GB-10GB"), (1e10, ">=10GB"),
     (0, None), (None, None), (float("nan"), None)],
)
def test_size_bucket_edges(size: float | None, bucket: str | None) -> None:
    assert bl.size_bucket(size) == bucket


@pytest.mark.parametrize(
    ("text", "key"),
    [("Computer Vision", "cv"), ("NLP", "nlp"), ("image-classification", "cv"),
     ("text-to-image", "multimodal"), ("tabular-regression", "tabular"),
     ("Not Specified", None), ("reinforcement-learning", None), (None, None)],
)
def test_normalise_domain(text: str | None, key: str | None) -> None:
    assert bl.normalise_domain(text) == key


@pytest.mark.parametrize(
    ("text", "kind"),
    [("pretraining", "pre-training"), ("Pre-training", "pre-training"),
     ("fine_tuning", "fine-tuning"), ("Not Specified", None), ("", None)],
)
def test_normalise_training_type(text: str, kind: str | None) -> None:
    assert bl.normalise_training_type(text) == kind


def test_normalised_performance() -> None:
    ranges = {"accuracy": (0.5, 1.0), "f1": (0.6, 0.8), "rouge1": (0.4, 0.4)}
    assert bl.normalised_performance({"accuracy": 0.75}, ranges) == pytest.approx(0.5)
    assert bl.normalised_performance({"accuracy": 75.0}, ranges) == pytest.approx(0.5)
    # harmonic mean of 0.8 and 1.0
    assert bl.normalised_performance({"accuracy": 0.9, "f1": 0.8}, ranges) == pytest.approx(
        2 / (1 / 0.8 + 1)
    )
    assert bl.normalised_performance({"accuracy": 0.5, "f1": 0.8}, ranges) == 0.0
    assert bl.normalised_performance({"f1": 0.99}, ranges) == 1.0  # clamped
    assert bl.normalised_performance({"rouge1": 0.4}, ranges) is None  # no spread
    assert bl.normalised_performance({}, ranges) is None


def test_format_grams() -> None:
    assert [bl.format_grams(v) for v in (1.17172, 9300, 149200, 0.02794, 5.0)] == [
        "1.2", "9,300", "150,000", "0.028", "5"
    ]


# --- loading --------------------------------------------------------------------------------


def test_shipped_baseline_loads_with_the_documented_groups() -> None:
    baseline = bl.load()
    assert set(baseline.groups) == set(bl.GROUPS) | set(bl.COMBINED_GROUPS)
    assert set(baseline.label_metrics) == set(bl.LABEL_METRICS)
    # The fair groups CL501 compares with: AutoTrain by size and domain; outside AutoTrain,
    # fine-tuning runs are enough to compare, pre-training runs are not.
    fair = {key: group.n for key, group in baseline.groups.items() if key in bl.COMBINED_GROUPS}
    assert fair["autotrain:yes+domain:cv"] == 179
    assert fair["autotrain:yes+size:100MB-1GB"] == 755
    assert fair["autotrain:no+training_type:fine-tuning"] == 68
    assert fair["autotrain:no+training_type:pre-training"] == 21 < bl.MIN_PEERS
    assert baseline.groups["all"].n == 1414
    assert baseline.groups["domain:cv"].n == 188
    assert baseline.generated == "2023-04-05"
    assert baseline.source["file"] == "HFCO2.csv"
    assert "ESEM 2023" in baseline.source["citation"]
    for group in baseline.groups.values():
        if group.n:
            values = [group.quantiles_g[f"p{p}"] for p in bl.QUANTILES]
            assert values == sorted(values)
    assert bl.load() is baseline  # cached


@pytest.mark.skipif(not CASTANO_CSV.exists(), reason="../shared/data is not beside the repo")
def test_shipped_baseline_is_a_fresh_build_of_hfco2() -> None:
    assert bl.dumps(bl.build_from_csv(CASTANO_CSV)) == SHIPPED.read_text(encoding="utf-8")


def test_load_round_trips_a_built_file(tmp_path: Path, built: dict) -> None:
    path = tmp_path / "b.json"
    path.write_text(bl.dumps(built), encoding="utf-8")
    baseline = bl.load(path)
    assert baseline.groups["all"].median_g == 5.5
    assert baseline.label_metrics["emissions"].boundaries == pytest.approx((2.8, 4.6, 6.4, 8.2))
    assert baseline.performance_ranges["f1"] == (0.6, 0.8)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"format": 2}', "format 2 is not supported"),
        ('{"groups": {}}', "format None is not supported"),
        ("[1, 2]", "expected a JSON object"),
        ("{not json", "not JSON"),
        ('{"format": 1, "source": {}}', "malformed baseline"),
    ],
)
def test_load_rejects_bad_files(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        bl.load(path)


# --- peer groups ----------------------------------------------------------------------------


def test_group_for_prefers_training_type_then_domain() -> None:
    baseline = bl.load()
    assert bl.group_for(baseline, training_type="fine-tuning", domain="cv") == (
        "training_type:fine-tuning"
    )
    assert bl.group_for(baseline, domain="image-classification") == "domain:cv"
    assert bl.group_for(baseline, size_bytes=5e8, autotrain=True) == "size:100MB-1GB"
    assert bl.group_for(baseline, autotrain=False) == "autotrain:no"
    assert bl.group_for(baseline) == "all"


def test_group_for_falls_back_from_small_groups() -> None:
    baseline = bl.load()
    # 24 pre-training runs and 1 audio model: too few to judge by.
    assert baseline.groups["training_type:pre-training"].n < bl.MIN_PEERS
    assert bl.group_for(baseline, training_type="pre-training", domain="nlp") == "domain:nlp"
    assert bl.group_for(baseline, domain="audio") == "all"
    assert bl.group_for(baseline, domain="audio", min_n=1) == "domain:audio"


def test_format_summary_is_human_readable() -> None:
    text = bl.format_summary(bl.load())
    assert "generated 2023-04-05" in text
    assert "1,414 kept of 1,419 rows read" in text
    assert "duplicate model id 4" in text
    assert "2019-10-03 to 2023-04-05" in text
    cv_line = next(line for line in text.splitlines() if line.strip().startswith("domain:cv"))
    assert cv_line.split()[1] == "188" and "1.2" in cv_line
    assert "A < 0.305 <= B" in text


# --- CLI ------------------------------------------------------------------------------------


def test_cli_build_writes_file_and_reports_counts(tmp_path: Path, monkeypatch) -> None:
    runner = cli_runner()
    monkeypatch.chdir(tmp_path)  # the default output is in the working directory
    result = runner.invoke(baselines_cli, ["build", "--from-csv", str(FIXTURE)])
    assert result.exit_code == 0, result.output
    written = (tmp_path / "carbonlint-baseline.json").read_text(encoding="utf-8")
    assert json.loads(written)["build"]["rows_kept"] == 10
    assert "kept 10 of 18 rows" in result.stderr
    assert "duplicate model id: 1" in result.stderr
    assert result.stdout == ""


def test_cli_build_is_byte_identical_twice(tmp_path: Path) -> None:
    runner = cli_runner()
    outputs = [tmp_path / "one.json", tmp_path / "two.json"]
    for output in outputs:
        result = runner.invoke(
            baselines_cli, ["build", "--from-csv", str(FIXTURE), "--output", str(output)]
        )
        assert result.exit_code == 0, result.output
    assert outputs[0].read_bytes() == outputs[1].read_bytes()


def test_cli_build_to_stdout() -> None:
    result = cli_runner().invoke(baselines_cli, ["build", "--from-csv", str(FIXTURE), "-o", "-"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["format"] == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["build"], "give --from-csv FILE"),
        (["build", "--from-hub", "--from-csv", str(FIXTURE)], "not both"),
        (["build", "--from-csv", "no-such.csv"], "does not exist"),
    ],
)
def test_cli_build_usage_errors(args: list[str], message: str) -> None:
    result = cli_runner().invoke(baselines_cli, args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output + result.stderr


def test_cli_build_bad_csv_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    result = cli_runner().invoke(baselines_cli, ["build", "--from-csv", str(path)])
    assert result.exit_code == 2
    assert "missing column(s) modelId, co2_eq_emissions" in result.stderr
    assert isinstance(result.exception, SystemExit)


def test_cli_show_default_and_file(tmp_path: Path, built: dict) -> None:
    result = cli_runner().invoke(baselines_cli, ["show"])
    assert result.exit_code == 0
    assert "domain:cv" in result.stdout and "1,414" in result.stdout
    path = tmp_path / "b.json"
    path.write_text(bl.dumps(built), encoding="utf-8")
    result = cli_runner().invoke(baselines_cli, ["show", "--baseline", str(path)])
    assert result.exit_code == 0
    assert "10 kept of 18 rows read" in result.stdout


def test_cli_show_bad_file(tmp_path: Path) -> None:
    path = tmp_path / "b.json"
    path.write_text('{"format": 9}', encoding="utf-8")
    result = cli_runner().invoke(baselines_cli, ["show", "--baseline", str(path)])
    assert result.exit_code == 2
    assert "format 9 is not supported" in result.stderr
    result = cli_runner().invoke(baselines_cli, ["show", "--baseline", str(tmp_path / "none")])
    assert result.exit_code == 2
    assert "cannot read the baseline" in result.stderr


def test_fair_peer_groups_compare_like_with_like() -> None:
    baseline = bl.load()
    one_gb = 2e9
    # AutoTrain: by size, then domain, then all AutoTrain models.
    assert bl.peer_key(baseline, autotrain=True, training_type=None, size_bytes=one_gb,
                       domain="text-classification") == "autotrain:yes+size:1GB-10GB"
    assert bl.peer_key(baseline, autotrain=True, training_type=None,
                       domain="image-classification") == "autotrain:yes+domain:cv"
    assert bl.peer_key(baseline, autotrain=True, training_type=None) == "autotrain:yes"
    # Outside AutoTrain: only with runs of the same training type, of a size with enough peers.
    assert bl.peer_key(baseline, autotrain=False, training_type="fine-tuning",
                       size_bytes=one_gb) == "autotrain:no+training_type:fine-tuning+size:1GB-10GB"
    assert bl.peer_key(baseline, autotrain=False, training_type="fine-tuning",
                       size_bytes=3e10) == "autotrain:no+training_type:fine-tuning"
    # No training type, or too few pre-training runs: no fair group, never a wider one.
    assert bl.peer_key(baseline, autotrain=False, training_type=None, size_bytes=one_gb,
                       domain="text-generation") is None
    assert bl.peer_key(baseline, autotrain=False, training_type="pretraining",
                       size_bytes=one_gb) is None
    assert bl.peer_key(baseline, autotrain=None, training_type="fine-tuning") is None
