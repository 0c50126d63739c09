"""CodeCarbon rules (CL310-CL311): the metadata against the ``emissions.csv`` CodeCarbon wrote.

Also the reader of that file, shared with ``carbonlint fix --from-codecarbon``. CodeCarbon appends
one row per tracked run; three layouts are found in model repositories:

* 1.x (2021-2022), 12 columns: timestamp, experiment_id, project_name, duration, emissions,
  energy_consumed, country_name, country_iso_code, region, on_cloud, cloud_provider, cloud_region;
* 2.x, 31 columns (2.2-2.4; 2.8 adds experiment_id, 32): run_id, the power and energy of CPU, GPU
  and RAM, os, python_version, codecarbon_version, cpu_count, cpu_model, gpu_count, gpu_model,
  longitude, latitude, ram_total_size, tracking_mode, pue;
* 3.x, 38 columns: adds cpu/gpu/ram_utilization_percent, ram_used_gb, water_consumed and wue.

Columns are read by name, never by position, so the order within a layout does not matter.
Units: emissions in kg CO2eq, energy in kWh, duration in seconds, RAM in GB. A row is a snapshot
of one run's totals; ``tracker.flush()`` appends intermediate snapshots with the same run id, so a
run counts once, with its last row.
"""

from __future__ import annotations

import math
import os
from typing import TYPE_CHECKING, Any, Iterator

from carbonlint.card import CO2_KEY
from carbonlint.findings import Category, Problem, Severity
from carbonlint.placeholders import is_placeholder
from carbonlint.record import Record
from carbonlint.rules import check, rule
from carbonlint.units import finite_number, format_grams

if TYPE_CHECKING:
    from carbonlint.checker import Context

C = Category.CONSISTENCY

# Every layout has these; a CSV without them is not CodeCarbon's.
REQUIRED_COLUMNS = ("timestamp", "project_name", "duration", "emissions", "energy_consumed")
RUN_MODES = ("sum", "last")
SIGNIFICANT_DIGITS = 4  # CodeCarbon's estimate is not more precise than this
_PROVIDERS = {"aws": "AWS", "gcp": "GCP", "azure": "Azure"}
_MISSING = frozenset({"", "nan", "none", "null", "n/a"})

rule(
    "CL310", "emissions-disagree-with-codecarbon", C, Severity.ERROR,
    "The emissions in the metadata disagree with the CodeCarbon file given with --codecarbon.",
    """
    With --codecarbon emissions.csv (or codecarbon = "emissions.csv" in the configuration) the
    card's emissions are compared with what CodeCarbon measured: the sum of its runs, or its last
    run (either agreeing is enough), converted from kilograms to grams, within 1% or the rounding
    the card was written with. A stale card (trained again, not updated) or the kilogram figure
    in the grams field is an error: the file is the measurement. `carbonlint fix
    --from-codecarbon emissions.csv` writes the file's figures into the card. The examples
    assume a file with one run that emitted 0.0132 kg (13.2 g) in 0.127 hours, using 0.0347 kWh
    on 1 x NVIDIA GeForce RTX 3090 in the Netherlands.
    """,
    failing="""
    ---
    co2_eq_emissions:
      emissions: 0.0132
      source: CodeCarbon
    ---
    """,
    passing="""
    ---
    co2_eq_emissions:
      emissions: 13.2
      source: CodeCarbon
    ---
    """,
)

rule(
    "CL311", "details-disagree-with-codecarbon", C, Severity.WARNING,
    "energy_consumed, hours_used, hardware_used, geographical_location or on_cloud disagree "
    "with CodeCarbon.",
    """
    The CodeCarbon file given with --codecarbon also records the energy (kWh), the duration, the
    devices, the place and whether the run was on a cloud. A card that gives one of them
    differently (another GPU, another country, hours that do not add up) describes another run.
    Devices are compared by model, places by country, numbers within 1% or the card's rounding.
    Keys the card leaves out are not findings here. The examples assume the file of CL310.
    """,
    failing="""
    ---
    co2_eq_emissions:
      emissions: 13.2
      hardware_used: 1 x A100 40GB
      geographical_location: France
    ---
    """,
    passing="""
    ---
    co2_eq_emissions:
      emissions: 13.2
      hardware_used: 1 x NVIDIA GeForce RTX 3090
      geographical_location: Netherlands
    ---
    """,
)


class CodeCarbonError(ValueError):
    """The file cannot be read as CodeCarbon's emissions.csv (the CLI exits 2)."""


class Row(Record):
    """One run of CodeCarbon's file, in its units (kg, kWh, s, GB)."""

    run_id: str
    emissions_kg: float
    energy_kwh: float | None
    duration_s: float | None
    country_name: str | None
    country_iso_code: str | None
    region: str | None
    on_cloud: bool | None
    cloud_provider: str | None
    cloud_region: str | None
    cpu_model: str | None
    gpu_count: float | None
    gpu_model: str | None
    ram_total_size: float | None


class Runs(Record):
    layout: str  # "1.x", "2.x" or "3.x"
    rows: tuple[Row, ...]  # one per run, in the file's order


# -- reading -------------------------------------------------------------------------------------


def _text(value: str | None) -> str | None:
    if value is None or value.strip().lower() in _MISSING:
        return None
    return value.strip()


def _float(value: str | None, column: str, line: int) -> float | None:
    text = _text(value)
    if text is None:
        return None
    try:
        number = float(text)
    except ValueError:
        raise CodeCarbonError(f"line {line}: {column} is {text!r}, not a number") from None
    return number if math.isfinite(number) else None


def _layout(columns: set[str]) -> str:
    if columns & {"water_consumed", "wue", "cpu_utilization_percent"}:
        return "3.x"
    if "codecarbon_version" in columns or "run_id" in columns:
        return "2.x"
    return "1.x"


def _row(record: dict[str, str | None], line: int) -> Row:
    emissions = _float(record.get("emissions"), "emissions", line)
    if emissions is None:
        raise CodeCarbonError(f"line {line}: the emissions column is empty")
    on_cloud = _text(record.get("on_cloud"))
    return Row(
        run_id=_text(record.get("run_id")) or _text(record.get("experiment_id")) or f"line {line}",
        emissions_kg=emissions,
        energy_kwh=_float(record.get("energy_consumed"), "energy_consumed", line),
        duration_s=_float(record.get("duration"), "duration", line),
        country_name=_text(record.get("country_name")),
        country_iso_code=_text(record.get("country_iso_code")),
        region=_text(record.get("region")),
        on_cloud={"Y": True, "N": False}.get((on_cloud or "").upper()),
        cloud_provider=_text(record.get("cloud_provider")),
        cloud_region=_text(record.get("cloud_region")),
        cpu_model=_text(record.get("cpu_model")),
        gpu_count=_float(record.get("gpu_count"), "gpu_count", line),
        gpu_model=_text(record.get("gpu_model")),
        ram_total_size=_float(record.get("ram_total_size"), "ram_total_size", line),
    )


def parse_runs(text: str, name: str = "emissions.csv") -> Runs:
    """Read CodeCarbon's CSV; raise :class:`CodeCarbonError` when it is not one."""
    import csv

    reader = csv.DictReader(text.splitlines())
    columns = {c.strip() for c in reader.fieldnames or () if c}
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing or not columns & {"run_id", "experiment_id"}:
        wanted = ", ".join(missing) if missing else "run_id or experiment_id"
        plural = "s" if len(missing) > 1 else ""
        raise CodeCarbonError(
            f"{name} is not a CodeCarbon emissions.csv: it has no {wanted} column{plural} "
            "(CodeCarbon writes timestamp, project_name, run_id, duration, emissions, "
            "energy_consumed, ...)"
        )
    by_run: dict[str, Row] = {}
    try:
        for index, record in enumerate(reader):
            record = {k.strip(): v for k, v in record.items() if isinstance(k, str)}
            if not any(_text(v) for v in record.values() if isinstance(v, str)):
                continue  # a blank line
            row = _row(record, index + 2)  # line 1 is the header
            by_run.pop(row.run_id, None)  # a later snapshot of the same run replaces it, at the end
            by_run[row.run_id] = row
    except csv.Error as exc:
        raise CodeCarbonError(f"{name}: not valid CSV: {exc}") from None
    if not by_run:
        raise CodeCarbonError(f"{name} has a CodeCarbon header but no runs")
    return Runs(_layout(columns), tuple(by_run.values()))


_cache: dict[tuple[str, int, int], Runs] = {}


def read_runs(path: str) -> Runs:
    """The runs of a CodeCarbon file, read once per file version (a check reads it per card)."""
    try:
        status = os.stat(path)
        key = (os.path.realpath(path), status.st_mtime_ns, status.st_size)
        if key in _cache:
            return _cache[key]
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError as exc:
        raise CodeCarbonError(f"{path}: cannot read the CodeCarbon file: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CodeCarbonError(f"{path} is not a CodeCarbon emissions.csv: it is not UTF-8 text") from None
    runs = _cache[key] = parse_runs(text, path)
    return runs


# -- what the card should say --------------------------------------------------------------------


def significant(value: float, digits: int = SIGNIFICANT_DIGITS) -> float:
    return float(f"{value:.{digits}g}")


def _hardware(row: Row) -> str | None:
    import re

    if row.gpu_model and row.gpu_count:
        # CodeCarbon 2.x+ already writes "1 x NVIDIA A100-SXM4-40GB"; 1.x had no GPU columns.
        if re.match(r"\d+ x ", row.gpu_model):
            return row.gpu_model
        return f"{int(row.gpu_count)} x {row.gpu_model}"
    # No GPU: the run used the CPU. cpu_count counts logical cores, not chips: not a device count.
    return row.gpu_model or row.cpu_model


def _location(row: Row) -> str | None:
    if row.on_cloud and row.cloud_provider and row.cloud_region:
        provider = _PROVIDERS.get(row.cloud_provider.lower(), row.cloud_provider)
        return f"{provider} {row.cloud_region}"
    country = row.country_name or row.country_iso_code
    if country and row.region:
        return f"{row.region}, {country}"
    return country


def card_values(runs: Runs, mode: str = "sum") -> dict[str, Any]:
    """The co2_eq_emissions keys CodeCarbon's file fills, in the card's units and order.

    ``sum``: emissions, energy and hours of every run added up (every run spent energy to make
    the model); ``last``: the last run only. The descriptive keys are the last run's either way.
    """
    if mode not in RUN_MODES:
        raise ValueError(f"runs must be one of {', '.join(RUN_MODES)}, not {mode!r}")
    rows = runs.rows if mode == "sum" else runs.rows[-1:]
    last = rows[-1]
    kg = sum(r.emissions_kg for r in rows)
    energies = [r.energy_kwh for r in rows if r.energy_kwh is not None]
    durations = [r.duration_s for r in rows if r.duration_s is not None]
    values: dict[str, Any] = {
        "emissions": significant(kg * 1000),
        "source": "CodeCarbon",
        "geographical_location": _location(last),
        "hardware_used": _hardware(last),
        "energy_consumed": significant(sum(energies)) if energies else None,
        "hours_used": significant(sum(durations) / 3600) if durations else None,
        "on_cloud": last.on_cloud,
        "cpu_model": last.cpu_model,
        "ram_total_size": significant(last.ram_total_size) if last.ram_total_size else None,
    }
    return {k: v for k, v in values.items() if v is not None}


# -- the checks ----------------------------------------------------------------------------------


def _decimals(context: Context, key: str) -> int | None:
    """Decimal places the card wrote a plain number with (its rounding), or None."""
    path = (key,) if isinstance(context.card.co2, dict) else ()
    _, node = context.card.entry(CO2_KEY, *path)
    text = getattr(node, "value", None)
    if not isinstance(text, str) or "e" in text.lower():
        return None
    return len(text.split(".", 1)[1]) if "." in text else 0


def close_to(card: float, measured: float, decimals: int | None) -> bool:
    """Within 1% of the measurement, or within the rounding the card was written with."""
    tolerance = max(0.01 * abs(measured), 0.5 * 10 ** -decimals if decimals is not None else 0.0)
    return abs(card - measured) <= tolerance + 1e-12


def _readings(context: Context) -> tuple[Runs | None, str | None]:
    path = context.config.codecarbon
    if not path:
        return None, None
    try:
        return read_runs(path), None
    except CodeCarbonError as exc:
        return None, str(exc)


@check("CL310")
def emissions_against_codecarbon(context: Context) -> Iterator[Problem]:
    runs, error = _readings(context)
    card = context.card
    if runs is None and error is None:
        return
    span, key, _ = context.emissions_place()
    span = span or card.start_span()
    if runs is None:
        yield Problem("CL310", f"the emissions were not compared with CodeCarbon: {error}",
                      span=span, key=key)
        return
    grams = context.emissions_g
    if grams is None:
        return  # nothing (readable) reported: CL1xx/CL2xx say so
    measured = [card_values(runs, mode)["emissions"] for mode in RUN_MODES]
    decimals = _decimals(context, "emissions")
    if any(close_to(grams, m, decimals) for m in measured):
        return
    total, last = measured
    runs_text = (f"{format_grams(total)} g over {len(runs.rows)} runs, {format_grams(last)} g in "
                 "the last" if len(runs.rows) > 1 else f"{format_grams(total)} g")
    hint = ""
    if any(close_to(grams * 1000, m, decimals) for m in measured):
        hint = ": the kilogram figure is in the grams field"
    yield Problem(
        "CL310",
        f"{key} is {format_grams(grams)} g, but CodeCarbon measured {runs_text} "
        f"({os.path.basename(str(context.config.codecarbon))}){hint}",
        span=span, key=key,
        suggestion=f"run 'carbonlint fix --from-codecarbon {context.config.codecarbon}'",
    )


def _same_devices(card: str, measured: str) -> bool:
    from carbonlint.rules.consistency import _families

    mine, theirs = _families(card), _families(measured)
    return not mine or not theirs or bool(mine & theirs)


def _same_place(card: str, measured: str) -> bool:
    from carbonlint.estimate import grid_intensity
    from carbonlint.rules.consistency import _place

    mine, theirs = grid_intensity(card), grid_intensity(measured)
    if mine.fallback or theirs.fallback:
        return True  # a place the tables do not know cannot be compared
    return _place(mine) == _place(theirs)


_DETAILS = (
    ("energy_consumed", "kWh"),
    ("hours_used", "h"),
    ("hardware_used", ""),
    ("geographical_location", ""),
    ("on_cloud", ""),
)


@check("CL311")
def details_against_codecarbon(context: Context) -> Iterator[Problem]:
    runs, _ = _readings(context)  # an unreadable file is CL310's finding
    co2 = context.card.co2
    if runs is None or not isinstance(co2, dict):
        return
    measured = [card_values(runs, mode) for mode in RUN_MODES]
    for name, unit in _DETAILS:
        mine = co2.get(name)
        theirs = [m[name] for m in measured if name in m]
        if mine is None or not theirs or is_placeholder(mine):
            continue
        if _agrees(context, name, mine, theirs):
            continue
        shown, suffix = _shown(theirs[0]), f" {unit}" if unit else ""
        yield Problem(
            "CL311",
            f"{name} is {_shown(mine)}{suffix}, but CodeCarbon recorded {shown}{suffix}",
            span=context.card.span_of(CO2_KEY, name), key=f"{CO2_KEY}.{name}",
            suggestion=f"write {shown}, or run 'carbonlint fix --from-codecarbon "
            f"{context.config.codecarbon}'",
        )


def _shown(value: Any) -> str:
    """A value as YAML writes it: false, 0.0347, 1 x A100."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return format_grams(value)
    return str(value)


def _agrees(context: Context, name: str, mine: Any, theirs: list[Any]) -> bool:
    if name in ("energy_consumed", "hours_used"):
        number = finite_number(mine)
        if number is None:
            return True  # not a number: a schema finding, not this one
        decimals = _decimals(context, name)
        return any(close_to(number, t, decimals) for t in theirs)
    if name == "on_cloud":
        return not isinstance(mine, bool) or mine in theirs
    if not isinstance(mine, str):
        return True
    compare = _same_devices if name == "hardware_used" else _same_place
    return any(compare(mine, t) for t in theirs)
