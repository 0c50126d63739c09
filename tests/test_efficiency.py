"""The efficiency label (Castaño et al.'s method with the square-root fix) and outliers."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pytest

from carbonlint import baselines as bl
from carbonlint import efficiency as ef
from carbonlint.efficiency import EfficiencyInputs

FIXTURE = Path(__file__).parent / "data" / "castano_small.csv"
CASTANO_CSV = Path(__file__).resolve().parents[2] / "shared/data/castano2023/HFCO2.csv"
DISTILGPT2_G = 149200.0  # the reference model of Castaño et al.'s index


@pytest.fixture(scope="module")
def small() -> bl.Baseline:
    """Built from the fixture: emissions 1, 2, ..., 10 g, so boundaries 2.8/4.6/6.4/8.2."""
    return bl.from_dict(bl.build_from_csv(FIXTURE))


def handmade(
    *,
    groups: dict[str, bl.GroupStats] | None = None,
    empty: tuple[str, ...] = (),
) -> bl.Baseline:
    """Boundaries 1/2/3/4 for every metric (0.2/0.4/0.6/0.8 for performance)."""
    metrics = {}
    for name, (better, percentiles, unit) in bl.LABEL_METRICS.items():
        edges = (0.2, 0.4, 0.6, 0.8) if name == "performance" else (1.0, 2.0, 3.0, 4.0)
        metrics[name] = bl.MetricBoundaries(
            name, better, percentiles, () if name in empty else edges, 10, unit
        )
    return bl.Baseline(
        generated=None, source={}, groups=groups or {}, label_metrics=metrics,
        performance_ranges={}, raw={},
    )


def castano_emissions_rating(value: float, emissions: list[float]) -> str:
    """Their code: index = ref / x, boundaries are percentiles of sqrt(index), applied to index."""
    roots = sorted(math.sqrt(DISTILGPT2_G / x) for x in emissions)
    edges = [bl.percentile(roots, p) for p in (80, 60, 40, 20)]
    index = DISTILGPT2_G / value
    return next((letter for letter, edge in zip("ABCD", edges) if index > edge), "E")


# --- rating one metric ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "letter"), [(0.5, "A"), (1.0, "B"), (1.5, "B"), (3.99, "D"), (4.0, "E"), (99, "E")]
)
def test_rate_lower_is_better(value: float, letter: str) -> None:
    assert ef.rate(value, handmade().label_metrics["emissions"]) == letter


@pytest.mark.parametrize(
    ("value", "letter"), [(4.5, "A"), (4.0, "B"), (2.5, "C"), (1.5, "D"), (1.0, "E"), (0, "E")]
)
def test_rate_higher_is_better(value: float, letter: str) -> None:
    assert ef.rate(value, handmade().label_metrics["downloads"]) == letter


# --- the label ------------------------------------------------------------------------------


def test_emissions_only_card(small: bl.Baseline) -> None:
    # Emissions alone rate the size of the run, not its efficiency: no letter, the reason said.
    result = ef.label(EfficiencyInputs(emissions_g=5.0), small)
    assert result == {
        "label": None,
        "score": None,
        "reason": ef.EMISSIONS_ONLY,
        "metrics": {"emissions": {"value": 5.0, "rating": "C", "weight": 1.0}},
        "used": ["emissions"],
        "missing": ["size_efficiency", "dataset_efficiency", "downloads", "performance"],
    }
    with_downloads = ef.label(EfficiencyInputs(emissions_g=5.0, downloads=10), small)
    assert with_downloads is not None and with_downloads["label"] is None
    sized = ef.label(EfficiencyInputs(emissions_g=5.0, size_bytes=4e8), small)
    assert sized is not None and sized["label"] in "ABCDE" and "reason" not in sized


def test_missing_metrics_renormalise_the_weights(small: bl.Baseline) -> None:
    result = ef.label(EfficiencyInputs(emissions_g=1.0, downloads=0), small)
    assert result is not None
    assert result["used"] == ["emissions", "downloads"]
    weights = {name: m["weight"] for name, m in result["metrics"].items()}
    assert weights == {"emissions": pytest.approx(0.35 / 0.6, abs=1e-4),
                       "downloads": pytest.approx(0.25 / 0.6, abs=1e-4)}
    # A (1) for 1 g, E (5) for no downloads; but nothing relates the grams to the model: no
    # letter (see test_emissions_only_card).
    assert result["metrics"]["emissions"]["rating"] == "A"
    assert result["metrics"]["downloads"]["rating"] == "E"
    assert result["label"] is None


def test_all_five_metrics_and_half_rounds_towards_e() -> None:
    inputs = EfficiencyInputs(
        emissions_g=3.5,  # D
        size_bytes=3.5 * 2.5,  # 2.5 bytes/g: C
        dataset_size=3.5 * 1.5,  # 1.5 bytes/g: D
        downloads=2,  # D
        performance=0.7,  # B
    )
    result = ef.label(inputs, handmade())
    assert result is not None
    assert [result["metrics"][name]["rating"] for name in ef.WEIGHTS] == list("DCDDB")
    assert result["missing"] == []
    # 0.35*4 + 0.1*3 + 0.1*4 + 0.25*4 + 0.2*2 = 3.5: D. The original's round-half-even on its
    # 0-4 scale (2.5 -> 2) would say C.
    assert result["score"] == 3.5
    assert result["label"] == "D"


def test_float_noise_does_not_decide_the_letter() -> None:
    # E, A, D with weights 0.35, 0.25, 0.2 sum to 3.4999999999999996 in floating point.
    inputs = EfficiencyInputs(emissions_g=5.0, downloads=10, performance=0.3)
    result = ef.label(inputs, handmade())
    assert result is not None
    assert [m["rating"] for m in result["metrics"].values()] == ["E", "A", "D"]
    assert result["score"] == 3.5
    assert result["label"] == "D"


def test_boundary_value_takes_the_worse_rating(small: bl.Baseline) -> None:
    assert ef.label(EfficiencyInputs(2.8), small)["metrics"]["emissions"]["rating"] == "B"
    assert ef.label(EfficiencyInputs(2.79), small)["metrics"]["emissions"]["rating"] == "A"


@pytest.mark.parametrize("emissions", [None, 0.0, -1.0, float("nan"), float("inf")])
def test_no_label_without_positive_emissions(emissions: float | None) -> None:
    assert ef.label(EfficiencyInputs(emissions, downloads=10), handmade()) is None


def test_unusable_inputs_and_empty_boundaries_count_as_missing() -> None:
    inputs = EfficiencyInputs(2.0, size_bytes=0, dataset_size=10.0, downloads=-1,
                              performance=1.5)
    result = ef.label(inputs, handmade(empty=("dataset_efficiency",)))
    assert result is not None
    assert result["used"] == ["emissions"]


def test_square_root_fix(small: bl.Baseline) -> None:
    emissions = [float(v) for v in range(1, 11)]
    # Castaño et al.'s code rates every one of these models A on emissions ...
    assert {castano_emissions_rating(v, emissions) for v in emissions} == {"A"}
    # ... while on one scale the 9 g model, worse than 80% of its peers, is E.
    assert castano_emissions_rating(9.0, emissions) == "A"
    assert ef.rate(9.0, small.label_metrics["emissions"]) == "E"
    assert [ef.rate(v, small.label_metrics["emissions"]) for v in emissions] == list(
        "AABBCCDDEE"
    )


@pytest.mark.skipif(not CASTANO_CSV.exists(), reason="../shared/data is not beside the repo")
def test_square_root_fix_on_the_castano_data() -> None:
    with CASTANO_CSV.open(encoding="utf-8") as handle:
        emissions = [float(r["co2_eq_emissions"]) for r in csv.DictReader(handle)]
    emissions = [v for v in emissions if v > 0]
    buggy_a = sum(castano_emissions_rating(v, emissions) == "A" for v in emissions)
    fixed = bl.load().label_metrics["emissions"]
    fixed_a = sum(ef.rate(v, fixed) == "A" for v in emissions)
    assert buggy_a / len(emissions) > 0.9
    assert 0.15 < fixed_a / len(emissions) < 0.25
    # 100 g: A under the original, E (above the 80th percentile, 28 g) here.
    assert castano_emissions_rating(100.0, emissions) == "A"
    assert ef.rate(100.0, fixed) == "E"


def test_performance_score_uses_the_baseline_ranges(small: bl.Baseline) -> None:
    # accuracy ranged 0.5-1.0 and f1 0.6-0.8 in the fixture.
    assert ef.performance_score({"accuracy": 0.75}, small) == pytest.approx(0.5)
    assert ef.performance_score({"accuracy": 75}, small) == pytest.approx(0.5)
    assert ef.performance_score({"accuracy": 1.0, "f1": 0.7}, small) == pytest.approx(2 / 3)
    assert ef.performance_score({"loss": 0.1}, small) is None


def test_label_with_the_shipped_baseline() -> None:
    baseline = bl.load()
    performance = ef.performance_score({"accuracy": 0.93, "f1": 0.9}, baseline)
    result = ef.label(
        EfficiencyInputs(3.5, size_bytes=4.4e8, downloads=100, performance=performance),
        baseline,
    )
    assert result is not None
    assert result["missing"] == ["dataset_efficiency"]
    assert sum(m["weight"] for m in result["metrics"].values()) == pytest.approx(1, abs=1e-3)
    assert result["label"] in "ABCDE" and 1 <= result["score"] <= 5


# --- outliers -------------------------------------------------------------------------------


def at_z(group: bl.GroupStats, z: float) -> float:
    """The emissions whose robust z-score in ``group`` is ``z``."""
    spread = max(group.log10_mad, ef.MIN_LOG10_MAD)
    return 10 ** (group.log10_median + z * spread / bl.MAD_TO_SIGMA)


def test_outlier_message() -> None:
    found = ef.outlier(9300, "domain:cv", bl.load())
    assert found is not None
    assert found.message == (
        "above the 99th percentile of 188 computer-vision models: 1.2 g median, this card 9,300 g"
    )
    assert found.direction == "high" and found.percentile == 99 and found.n == 188
    assert found.z > 3.5
    assert found.median_g == pytest.approx(1.17, abs=0.01)


def test_outlier_threshold() -> None:
    baseline = bl.load()
    cv = baseline.groups["domain:cv"]
    assert ef.outlier(1.2, "domain:cv", baseline) is None
    assert ef.outlier(at_z(cv, 3.4), "domain:cv", baseline) is None
    found = ef.outlier(at_z(cv, 3.6), "domain:cv", baseline)
    assert found is not None and found.z == pytest.approx(3.6, abs=0.01)
    assert ef.outlier(at_z(cv, 3.6), "domain:cv", baseline, z_threshold=3.7) is None


def test_low_outlier() -> None:
    baseline = bl.load()
    cv = baseline.groups["domain:cv"]
    found = ef.outlier(at_z(cv, -4), "domain:cv", baseline)
    assert found is not None and found.direction == "low"
    assert found.message.startswith("below the 1st percentile of 188 computer-vision models")


def test_percentile_statement_names_the_most_extreme_quantile_passed() -> None:
    quantiles = {"p1": 0.1, "p5": 0.2, "p10": 0.3, "p25": 0.5, "p50": 1.0, "p75": 2.0,
                 "p90": 3.0, "p95": 5.0, "p99": 20.0}
    quantiles["p99"] = 2000.0
    group = bl.GroupStats("g", "test models", 100, quantiles, 0.0, 0.1)
    # A spread below MIN_LOG10_MAD counts as that minimum: 10 g is not far from 1 g.
    assert ef.outlier(10.0, "g", handmade(groups={"g": group})) is None
    found = ef.outlier(1234.5, "g", handmade(groups={"g": group}))
    assert found is not None
    assert found.percentile == 95
    assert found.message == (
        "above the 95th percentile of 100 test models: 1 g median, this card 1,234.5 g"
    )


def test_no_outlier_without_enough_peers_or_spread() -> None:
    baseline = bl.load()
    assert baseline.groups["domain:multimodal"].n < bl.MIN_PEERS
    assert ef.outlier(1e9, "domain:multimodal", baseline) is None
    assert ef.outlier(1e9, "domain:multimodal", baseline, min_n=5) is not None
    flat = bl.GroupStats("flat", "same models", 50, {"p50": 1.0}, 0.0, 0.0)
    assert ef.outlier(1e6, "flat", handmade(groups={"flat": flat})) is None


@pytest.mark.parametrize("emissions", [0.0, -5.0, float("nan")])
def test_no_outlier_for_non_positive_emissions(emissions: float) -> None:
    assert ef.outlier(emissions, "all", bl.load()) is None


def test_unknown_group_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown baseline group 'domain:rl'"):
        ef.outlier(1.0, "domain:rl", bl.load())
