"""The plausibility estimator: hardware and duration parsing, grid lookups, arithmetic, and
its accuracy against published training emissions (tests/data/reference_emissions.csv)."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest

from carbonlint.estimate import (
    Hardware,
    default_pue,
    estimate,
    estimate_from_energy,
    grid_intensity,
    implied_intensity,
    duration_in_text,
    parse_duration_hours,
    parse_hardware,
)

REFERENCE = Path(__file__).parent / "data" / "reference_emissions.csv"


def summary(text: str) -> list[tuple[int, str, str, float]]:
    return [(h.count, h.matched, h.kind, h.watts_each) for h in parse_hardware(text)]


# --------------------------------------------------------------------------- hardware


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A family or a memory size without a form factor: the highest-rated variant.
        ("8 x A100 80GB", [(8, "a100 80gb sxm", "gpu", 400.0)]),
        ("384 A100 80GB GPUs", [(384, "a100 80gb sxm", "gpu", 400.0)]),
        ("A100", [(1, "a100 80gb sxm", "gpu", 400.0)]),
        ("8xA100", [(8, "a100 80gb sxm", "gpu", 400.0)]),
        ("A100 x 8", [(8, "a100 80gb sxm", "gpu", 400.0)]),
        ("NVIDIA A100 40GB", [(1, "a100 40gb pcie", "gpu", 250.0)]),
        ("A100 80GB PCIe", [(1, "a100 80gb pcie", "gpu", 300.0)]),
        ("A100-SXM4-40GB", [(1, "a100 80gb sxm", "gpu", 400.0)]),  # memory tolerated
        ("NVIDIA A100 80GB (HPE Apollo 6500 Gen10 Plus)", [(1, "a100 80gb sxm", "gpu", 400.0)]),
        ("NVIDIA DGX A100 with 8 GPUs", [(8, "a100 80gb sxm", "gpu", 400.0)]),
        ("H100-80GB", [(1, "h100 sxm", "gpu", 700.0)]),
        ("H100 NVL", [(1, "h100 nvl", "gpu", 400.0)]),
        # TPUs: slice names count TensorCores, two per chip.
        ("1 TPU v3-8 VM", [(4, "tpu v3", "tpu", 220.0)]),
        ("1 TPUv3-8", [(4, "tpu v3", "tpu", 220.0)]),
        ("TTPU v3-256", [(128, "tpu v3", "tpu", 220.0)]),
        ("Google Cloud TPU v4-16", [(8, "tpu v4", "tpu", 170.0)]),
        ("TPUv4 pod (64 chips)", [(64, "tpu v4", "tpu", 170.0)]),
        ("2 x TPU v3-8", [(8, "tpu v3", "tpu", 220.0)]),
        ("8 TPUs v3", [(8, "tpu v3", "tpu", 220.0)]),
        ("1 TPU v2", [(1, "tpu v2", "tpu", 280.0)]),
        ("TPUv3-8 for about 180 hours or 7.5 days", [(4, "tpu v3", "tpu", 220.0)]),
        # Consumer and workstation cards.
        ("NVIDIA GeForce RTX 3090", [(1, "rtx 3090", "gpu", 350.0)]),
        ("2 RTX 3090", [(2, "rtx 3090", "gpu", 350.0)]),
        ("2x A6000", [(2, "rtx a6000", "gpu", 300.0)]),
        ("RTX 2080 Ti.", [(1, "rtx 2080 ti", "gpu", 250.0)]),
        ("RTX 2080", [(1, "rtx 2080", "gpu", 215.0)]),
        ("GTX 1080", [(1, "1080", "gpu", 180.0)]),
        ("GTX 1080 Ti", [(1, "1080 ti", "gpu", 250.0)]),
        ("Titan X", [(1, "titan x", "gpu", 250.0)]),
        ("Titan Xp", [(1, "titan xp", "gpu", 250.0)]),
        ("Titan V", [(1, "titan v", "gpu", 250.0)]),
        # Data-centre cards.
        ("8 v100 16GB", [(8, "v100 16gb sxm", "gpu", 300.0)]),
        ("** 8 16GB V100", [(8, "v100 16gb sxm", "gpu", 300.0)]),
        ("V100 x64", [(64, "v100", "gpu", 300.0)]),
        ("Tesla V100-SXM2 GPU", [(1, "v100 16gb sxm", "gpu", 300.0)]),
        ("Tesla V100-PCIE-16GB", [(1, "v100 16gb pcie", "gpu", 250.0)]),
        ("V100S", [(1, "v100s", "gpu", 250.0)]),
        ("4 x NVIDIA Tesla T4", [(4, "t4", "gpu", 70.0)]),
        ("1 T4, Google Colab", [(1, "t4", "gpu", 70.0)]),
        ("1 Tesla P100", [(1, "p100 sxm", "gpu", 300.0)]),  # the family's highest variant
        ("Tesla P100-PCIE-16GB", [(1, "p100 pcie", "gpu", 250.0)]),
        ("P100 x8", [(8, "p100 sxm", "gpu", 300.0)]),
        ("P100 for about 1.5 hours", [(1, "p100 sxm", "gpu", 300.0)]),
        # Vendor datasheets: older, newer and less common devices.
        ("GTX 580", [(1, "580", "gpu", 244.0)]),
        ("Tesla K40", [(1, "k40", "gpu", 235.0)]),
        ("NVIDIA Tesla K40c", [(1, "k40c", "gpu", 245.0)]),
        ("4 x A10", [(4, "a10", "gpu", 150.0)]),
        ("1  RTX 3060", [(1, "rtx 3060", "gpu", 170.0)]),
        ("RTX 2080 Super", [(1, "rtx 2080 super", "gpu", 250.0)]),
        ("H100 PCIe", [(1, "h100 pcie", "gpu", 350.0)]),
        ("AMD MI250X", [(1, "instinct mi250x", "gpu", 560.0)]),
        ("Quadro RTX 6000", [(1, "rtx 6000", "gpu", 260.0)]),  # not the RTX 6000 Ada
        # Names written without spaces, plurals, counts in words or inside the text.
        ("RTX2080Ti", [(1, "rtx 2080 ti", "gpu", 250.0)]),
        ("GTX1080Ti", [(1, "1080 ti", "gpu", 250.0)]),
        ("8 A100s", [(8, "a100 80gb sxm", "gpu", 400.0)]),
        ("two V100", [(2, "v100", "gpu", 300.0)]),
        ("GPU: 2 x RTX 4090", [(2, "rtx 4090", "gpu", 450.0)]),
        ("3090 GPU", [(1, "rtx 3090", "gpu", 350.0)]),  # the number is the model
        ("L4", [(1, "l4", "gpu", 72.0)]),
        ("L40S", [(1, "l40s", "gpu", 350.0)]),
        ("A10G", [(1, "a10g", "gpu", 150.0)]),
        # CPUs (CodeCarbon's table) and mixed lists.
        ("Intel Xeon Gold 6248", [(1, "xeon gold 6248", "cpu", 150.0)]),
        ("Intel(R) Xeon(R) Gold 6248R CPU @ 3.00GHz", [(1, "xeon gold 6248r", "cpu", 205.0)]),
        ("Intel Core i7-8700K", [(1, "core i7 8700k", "cpu", 95.0)]),
        ("AMD EPYC 7763", [(1, "epyc 7763", "cpu", 280.0)]),
        ("Apple M1", [(1, "apple m1", "cpu", 10.0)]),
        (
            "8 x A100 + 2 x AMD EPYC 7763",
            [(8, "a100 80gb sxm", "gpu", 400.0), (2, "epyc 7763", "cpu", 280.0)],
        ),
    ],
)
def test_parse_hardware(text: str, expected: list[tuple[int, str, str, float]]) -> None:
    assert summary(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Not Specified",
        "Google Colab",
        "Titan",  # Titan V, X, Xp or RTX?
        "0 x A100",
        "trained for 8000 steps",
        "Jean Zay supercomputer",
    ],
)
def test_parse_hardware_never_guesses(text: str) -> None:
    assert parse_hardware(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # (count, kind, count given, low W, high W): a kind alone is a wide band, never a model.
        ("GPU", [(1, "gpu", False, 70.0, 1000.0)]),
        ("a GPU", [(1, "gpu", False, 70.0, 1000.0)]),
        ("GPU RTX", [(1, "gpu", False, 70.0, 1000.0)]),
        ("8 GPUs", [(8, "gpu", True, 70.0, 1000.0)]),
        ("cpu", [(1, "cpu", False, 15.0, 400.0)]),
        ("Intel(R) Xeon(R) CPU @ 2.20GHz", [(1, "cpu", False, 15.0, 400.0)]),  # a clock speed
        ("Xeon 2.2", [(1, "cpu", False, 15.0, 400.0)]),
        ("xeon 8 cores", [(1, "cpu", False, 15.0, 400.0)]),  # cores are not CPUs
        ("TPU", [(1, "tpu", False, 100.0, 300.0)]),
        ("TPU v5e", [(1, "tpu", False, 100.0, 300.0)]),  # no published power for v5e
        ("TPU v5e-8", [(4, "tpu", True, 100.0, 300.0)]),
        # One machine named by its parts is one device of each kind, not three.
        (
            "Apple Mac Studio 2022 || M1 Max/32GB RAM/10C CPU(8+2)/24C GPU",
            [(1, "cpu", False, 15.0, 400.0), (1, "gpu", False, 70.0, 1000.0)],
        ),
    ],
)
def test_a_kind_alone_is_a_wide_band(text: str, expected: list[tuple[Any, ...]]) -> None:
    found = parse_hardware(text)
    assert [(h.count, h.kind, h.count_given, h.watts_low, h.watts_high) for h in found] == expected
    assert all(h.kind_only and h.matched == f"any {h.kind}" for h in found)


@pytest.mark.parametrize(
    ("text", "given"),
    [("A100", False), ("1 x A100", True), ("8xA100", True), ("TPU v3", False),
     ("TPU v3-8", True), ("TPU v3 pod", False), ("NVIDIA Tesla T4", False), ("T4 x 2", True)],
)
def test_a_count_is_never_assumed(text: str, given: bool) -> None:
    assert [h.count_given for h in parse_hardware(text)] == [given]


def test_without_a_count_the_estimate_is_a_lower_bound() -> None:
    result = estimate(parse_hardware("A100"), 10, "Germany")
    assert result.low == result.grams and result.high == float("inf")
    assert not result.exact
    assert result.assumptions == (
        "the card does not say how many A100 SXM4 80 GB devices: one is assumed, so the "
        "estimate is a lower bound",
    )
    counted = estimate(parse_hardware("2 x A100"), 10, "Germany")
    assert counted.exact and counted.low == counted.high == counted.grams


def test_a_kind_alone_bands_the_estimate() -> None:
    result = estimate(parse_hardware("1 x GPU"), 10, "France", pue=1.0)
    grid = grid_intensity("France").g_per_kwh
    assert result.low == pytest.approx(70 * 10 / 1000 * grid)
    assert result.high == pytest.approx(1000 * 10 / 1000 * grid)
    assert "1 x GPU of unknown model (70 W)" in result.low_arithmetic
    assert result.assumptions == (
        "the GPU model is not named, so its power is taken as 70 W at the least",)


@pytest.mark.parametrize(
    ("text", "hours"),
    [("TPUv3-8 for about 180 hours", 180.0), ("8 x V100, 90 minutes", 1.5),
     ("1 x A100 (36h)", 36.0), ("A100 for 2 days", 48.0), ("8 x A100", None),
     ("A100 for 10 hours, then 5 hours on a T4", None), ("1000 GPU hours on A100", None),
     ("H100 80GB", None)],
)
def test_duration_inside_a_hardware_string(text: str, hours: float | None) -> None:
    assert duration_in_text(text) == hours


@pytest.mark.parametrize(
    "text",
    [
        "1 x A100 " + "1" * 20_000 + " " * 20_000 + "40GB",
        "tpu" + " " * 20_000 + "x",
        "x 5" + " " * 20_000 + "a",
        "8" * 20_000 + "x",
        " " * 20_000 + "+",
        "3" * 20_000 + " " * 20_000 + "ghz",
    ],
)
def test_hardware_parsing_is_linear_time(text: str) -> None:
    import time

    start = time.perf_counter()
    parse_hardware(text)
    duration_in_text(text)
    parse_duration_hours(text)
    assert time.perf_counter() - start < 0.5


def test_hardware_total_watts() -> None:
    (a100,) = parse_hardware("8 x A100")
    assert a100.watts == 3200.0
    assert a100.name == "A100 SXM4 80 GB"


# --------------------------------------------------------------------------- durations


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("36", 36.0),
        ("36.5", 36.5),
        ("36 hours", 36.0),
        ("about 36h", 36.0),
        ("2 days", 48.0),
        ("1.5h", 1.5),
        ("1,5 h", 1.5),
        ("90 minutes", 1.5),
        ("3h 20m", 3 + 20 / 60),
        ("2 days 4 hours", 52.0),
        ("2 days, 4 hours and 30 minutes", 52.5),
        ("1 week", 168.0),
        ("7200 s", 2.0),
        ("1:30:00", 1.5),
        ("1:30", 1.5),
        ("1,082,990 hours", 1_082_990.0),
        ("180 hours or 7.5 days", 180.0),  # the first expression
        ("0", 0.0),
    ],
)
def test_parse_duration(text: str, hours: float) -> None:
    assert parse_duration_hours(text) == pytest.approx(hours)


@pytest.mark.parametrize("text", ["", "abc", "36 GPU hours", "2 months", "a while", "-"])
def test_parse_duration_unknown(text: str) -> None:
    assert parse_duration_hours(text) is None


# --------------------------------------------------------------------------- grid


@pytest.mark.parametrize(
    ("location", "zone"),
    [
        # ISO alpha-2, alpha-3, English names and aliases, any case when alone.
        ("FR", "FR"),
        ("fra", "FR"),
        ("France", "FR"),
        ("USA", "US"),
        ("US", "US"),
        ("U.S.", "US"),
        ("United States", "US"),
        ("United States of America", "US"),
        ("UK", "GB"),
        ("GBR", "GB"),
        ("England", "GB"),
        ("Germany", "DE"),
        ("DEU", "DE"),
        ("South Korea", "KR"),
        ("Korea", "KR"),
        ("North Korea", "KP"),
        ("Czech Republic", "CZ"),
        ("Russian Federation", "RU"),
        ("Georgia", "GE"),
        ("Namibia", "NA"),
        # Free text: the most specific place it names.
        ("Jean Zay (IDRIS), Orsay, France", "FR"),
        ("trained in France", "FR"),
        ("Trained IN France", "FR"),
        ("Microsoft Azure (US)", "US"),
        ("US (avg)", "US"),
        ("Google Taiwan", "TW"),
        ("Montreal, Canada", "CA"),
        # Sub-national zones.
        ("California", "US-CA"),
        ("US-CA", "US-CA"),
        ("CA, USA", "US-CA"),
        ("Georgia, USA", "US-GA"),
        ("Iowa", "US-IA"),
        ("New York, NY", "US-NY"),
        ("Washington", "US-WA"),
        ("Washington DC", "US-DC"),
        ("Quebec", "CA-QC"),
        ("Québec, Canada", "CA-QC"),
        ("CA-QC", "CA-QC"),
        ("ON, Canada", "CA-ON"),
        ("Manitoba", "CA-MT"),
        ("CA-MB", "CA-MT"),
        ("New South Wales", "AU-NSW"),
        ("SE3", "SE3"),
        # Cloud regions, each provider's naming.
        ("us-east-1", "aws:us-east-1"),
        ("AWS eu-west-3", "aws:eu-west-3"),
        ("US East (N. Virginia)", "aws:us-east-1"),
        ("europe-west4", "gcp:europe-west4"),
        ("us-central1", "gcp:us-central1"),
        ("me-central1", "gcp:me-central1"),  # misspelt me-cenrtal1 in the source
        ("GCP europe-west4 (Netherlands)", "gcp:europe-west4"),
        ("westeurope", "azure:westeurope"),
        ("West Europe", "azure:westeurope"),
        ("Azure West Europe", "azure:westeurope"),
        ("East US", "azure:eastus"),
        ("eastus", "azure:eastus"),
        ("Germany West Central", "azure:germanywestcentral"),
        ("world", "WORLD"),
    ],
)
def test_grid_zone(location: str, zone: str) -> None:
    match = grid_intensity(location)
    assert match.zone == zone
    assert not match.fallback
    assert 0 <= match.g_per_kwh < 1400
    assert match.source


@pytest.mark.parametrize(
    "location",
    [None, "", "NA", "N/A", "unknown", "Not Specified", "Meta", "Meta RSC", "South America"],
)
def test_grid_fallback(location: str | None) -> None:
    match = grid_intensity(location)
    assert match.fallback
    assert match.zone == "WORLD"
    assert match.g_per_kwh == 475.0
    assert "IEA" in match.source


def test_grid_values_come_from_the_documented_sources() -> None:
    france = grid_intensity("France")
    assert france.g_per_kwh == pytest.approx(56.039)
    assert "OWID" in france.source and "2023" in france.source
    assert grid_intensity("Poland").g_per_kwh > 10 * france.g_per_kwh
    assert grid_intensity("us-east-1").g_per_kwh == pytest.approx(367.8)  # eGRID via impact
    assert grid_intensity("europe-west4").g_per_kwh == pytest.approx(236.0)  # Google
    # Azure regions take their country's or state's value through Green Algorithms' map.
    assert grid_intensity("westeurope").g_per_kwh == grid_intensity("Netherlands").g_per_kwh
    assert grid_intensity("East US").g_per_kwh == grid_intensity("Virginia").g_per_kwh
    assert "Green Algorithms" in grid_intensity("westeurope").source
    assert grid_intensity("Quebec").g_per_kwh < grid_intensity("Alberta").g_per_kwh


# --------------------------------------------------------------------------- PUE and estimates


def test_default_pue() -> None:
    assert default_pue("us-central1") == pytest.approx(1.11)  # the data centre's own
    assert default_pue("us-east-1") == pytest.approx(1.2)  # AWS default
    assert default_pue("westeurope") == pytest.approx(1.12)  # Azure default
    assert default_pue("Google Taiwan") == pytest.approx(1.12)  # provider named in free text
    assert default_pue("France") == pytest.approx(1.56)  # industry average
    assert default_pue(None) == pytest.approx(1.56)


def test_estimate_arithmetic() -> None:
    hardware = parse_hardware("8 x A100 80GB")
    result = estimate(hardware, 36, "France", pue=1.1)
    assert result.watts == 3200.0
    assert result.hours == 36
    assert result.pue == 1.1
    assert result.kwh == pytest.approx(3.2 * 36 * 1.1)
    assert result.grams == pytest.approx(3.2 * 36 * 1.1 * 56.039)
    assert result.grid.zone == "FR"
    assert result.arithmetic == (
        "8 x A100 SXM4 80 GB (400 W) x 36 h x PUE 1.10 x 56.04 g/kWh "
        "(France; OWID/Ember via CodeCarbon 2023) = 126.7 kWh, 7.1 kg"
    )


def test_estimate_sums_devices_and_uses_default_pue() -> None:
    hardware = parse_hardware("8 x A100 + 2 x AMD EPYC 7763")
    result = estimate(hardware, 10, "us-central1")
    assert result.watts == 8 * 400 + 2 * 280
    assert result.pue == pytest.approx(1.11)
    assert result.grams == pytest.approx(3.76 * 10 * 1.11 * 430)
    assert result.arithmetic.startswith("(8 x A100 SXM4 80 GB (400 W) + 2 x AMD EPYC 7763 (280 W))")


def test_estimate_unknown_location_falls_back() -> None:
    result = estimate([Hardware(1, "T4", "gpu", 70.0, "t4")], 1000, None)
    assert result.grid.fallback
    assert result.grams == pytest.approx(70 * 1000 / 1000 * 1.56 * 475)


def test_estimate_rejects_nonsense() -> None:
    with pytest.raises(ValueError):
        estimate([], 10, "France")
    with pytest.raises(ValueError):
        estimate(parse_hardware("T4"), -1, "France")


def test_estimate_from_energy() -> None:
    result = estimate_from_energy(12.5, "Germany")
    assert result.kwh == 12.5
    assert result.pue == 1.0
    assert result.grams == pytest.approx(12.5 * 380.95)
    assert result.arithmetic.endswith("= 4.76 kg")
    with pytest.raises(ValueError):
        estimate_from_energy(-1, "Germany")


def test_implied_intensity() -> None:
    assert implied_intensity(24_690_000, 433_196) == pytest.approx(57, abs=0.1)  # BLOOM
    with pytest.raises(ValueError):
        implied_intensity(10, 0)


# --------------------------------------------------------------------------- reference runs


def reference_rows() -> list[dict[str, str]]:
    with REFERENCE.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


@pytest.mark.parametrize("row", reference_rows(), ids=lambda r: r["model"])
def test_reference_run_within_factor_of_ten(row: dict[str, str]) -> None:
    """Accelerator-hours on one device equal N devices for the wall-clock time."""
    parsed = parse_hardware(row["hardware"])
    assert parsed, row["hardware"]
    device = parsed[0]._replace(count=1)
    pue = float(row["pue"]) if row["pue"] else None
    result = estimate([device], float(row["accelerator_hours"]), row["location"], pue)
    published = float(row["emissions_tco2eq"]) * 1e6
    assert 0.1 < result.grams / published < 10, result.arithmetic


def test_reference_rows_are_present() -> None:
    assert len(reference_rows()) >= 20


# --------------------------------------------------------------------------- tables


@pytest.mark.parametrize("name", ["grid_intensity.json", "hardware_power.json", "cpu_power.json"])
def test_table_metadata(name: str) -> None:
    table = json.loads((files("carbonlint") / "data" / name).read_text(encoding="utf-8"))
    assert table["format"] == 1
    assert table["generated_by"] == "scripts/build_tables.py"
    for source in table["sources"].values():
        assert source["name"] and source["licence"] and source["citation"]
        # Green Algorithms data-v3.1 (Electricity Maps, ODbL) must never be shipped.
        assert "electricitymap" not in json.dumps(source).lower()


def test_grid_table_fallback_is_documented() -> None:
    table = json.loads((files("carbonlint") / "data" / "grid_intensity.json").read_text("utf-8"))
    world = table["zones"][table["fallback"]]
    assert world["g"] == 475.0
    assert world["source"] in table["sources"]


def test_import_is_lazy() -> None:
    code = (
        "import sys, carbonlint.estimate as e;"
        "assert 'json' not in sys.modules, 'json imported';"
        "assert e._table.cache_info().currsize == 0, 'tables loaded'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# --------------------------------------------------------------------------- countries


def test_every_zone_has_a_country() -> None:
    table = json.loads((files("carbonlint") / "data" / "grid_intensity.json").read_text("utf-8"))
    countries = {z for z, row in table["zones"].items() if row["kind"] == "country"}
    for zone, row in table["zones"].items():
        if row["kind"] == "world":
            assert "country" not in row, zone
            continue
        country = row.get("country", "")
        assert len(country) == 2 and country.isupper() and country.isalpha(), zone
        assert country in countries, zone  # comparable with a card that names the country
        if row["kind"] == "country":
            assert country == zone


@pytest.mark.parametrize(
    ("location", "country"),
    [
        ("us-east-1", "US"),
        ("East US", "US"),
        ("europe-west4", "NL"),
        ("westeurope", "NL"),
        ("eu-west-1", "IE"),
        ("Virginia, USA", "US"),
        ("Orsay, France", "FR"),
        ("Quebec", "CA"),
        ("France", "FR"),
        ("SE3", "SE"),
        # Hong Kong is HK everywhere, though the sources file some of it under China.
        ("Hong Kong", "HK"),
        ("asia-east2", "HK"),
        ("ap-east-1", "HK"),
        ("eastasia", "HK"),
    ],
)
def test_grid_country(location: str, country: str) -> None:
    assert grid_intensity(location).country == country


@pytest.mark.parametrize("location", [None, "", "unknown", "Meta RSC", "world"])
def test_grid_country_unknown(location: str | None) -> None:
    assert grid_intensity(location).country == ""


def test_same_country_comparison() -> None:
    assert grid_intensity("Virginia, USA").country == grid_intensity("East US").country
    assert grid_intensity("France").country != grid_intensity("us-east-1").country


@pytest.mark.parametrize("front_matter, body, loaded", [
    ("co2_eq_emissions: 1500", "# Model\n\nA text classifier.\n", False),
    ("co2_eq_emissions:\n  emissions: 1500\n  source: CodeCarbon", "# Model\n\nTrained on data.\n",
     False),
    ("co2_eq_emissions:\n  emissions: 1500\n  hardware_used: 1 x T4\n  hours_used: 2",
     "# Model\n", True),
    ("co2_eq_emissions: 1500", "# Model\n\nTrained on 8 A100 GPUs for 12 hours.\n", True),
])
def test_a_card_with_nothing_to_estimate_never_loads_the_estimator(
        tmp_path: Path, front_matter: str, body: str, loaded: bool) -> None:
    # The start-up path of a pre-commit run (issue 14): carbonlint.estimate, its tables and
    # their parsing cost nothing to a card that names neither hardware nor energy.
    card = tmp_path / "README.md"
    card.write_text(f"---\n{front_matter}\n---\n{body}", encoding="utf-8")
    code = ("import sys; from carbonlint.cli import main; code = main(['check', sys.argv[1]]); "
            "sys.stdout.write(repr('carbonlint.estimate' in sys.modules)); sys.exit(0)")
    result = subprocess.run([sys.executable, "-c", code, str(card)], capture_output=True,
                            text=True, check=True)
    assert result.stdout.strip().endswith(repr(loaded)), result.stdout


def test_the_estimate_and_the_prose_reader_share_one_body(monkeypatch: pytest.MonkeyPatch) -> None:
    """The body is split, blanked and lower-cased once per card, for both of its readers."""
    from carbonlint.card import parse_card
    from carbonlint.checker import check_card
    from carbonlint.config import Config
    from carbonlint.prose import body as body_module

    made = []
    original = body_module.Body.__init__

    def counting(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        made.append(args)
        original(self, *args, **kwargs)

    monkeypatch.setattr(body_module.Body, "__init__", counting)
    card = parse_card("---\nco2_eq_emissions:\n  emissions: 1200\n  hardware_used: 8 x A100\n---\n"
                      "# Model\n\nTraining time: 36 hours on 8 A100 GPUs.\n\n"
                      "```\nhours = 3  # code is blanked\n```\n", "README.md")
    report = check_card(card, Config(show_estimate=True))
    assert report.estimate_g is not None  # the estimate read the text's hours
    assert len(made) == 1


@pytest.mark.parametrize("other_break", ["\x0c", "\u2028", "\x85"])
def test_a_form_feed_above_the_hours_line_does_not_move_it(other_break: str) -> None:
    """Lines are counted as positions count them (CRLF, CR, LF): a form feed or U+2028 in the
    text above "Hours used" must not make the estimate read another line."""
    from carbonlint.card import parse_card
    from carbonlint.checker import check_card
    from carbonlint.config import Config

    text = ("---\nco2_eq_emissions:\n  emissions: 1200\n  hardware_used: 8 x A100\n---\n"
            "# Model\n\nPage one{}page two.\n\n## Environmental Impact\n\n"
            "- **Hardware Type:** 8 x A100\n- **Hours used:** 36\n- **Compute Region:** us-east-1\n")
    plain = check_card(parse_card(text.format(" "), "README.md"), Config())
    odd = check_card(parse_card(text.format(other_break), "README.md"), Config())
    assert plain.estimate_g is not None
    assert odd.estimate_g == plain.estimate_g
