"""Numbers written with units, as people put them into ``co2_eq_emissions``.

``"1.2 kg"``, ``"0.21 in grams of CO2"``, ``"12.5 kgCO2eq"``, ``"1,200 g"``, ``"24.7 tonnes"``:
the Hub wants grams as a number, so each of these is a finding with the value in grams.
"""

from __future__ import annotations

import functools
import math
import re

from carbonlint.record import Record


# Grams per unit. "t"/"ton"/"tonne" are metric tonnes: model cards quoting short tons are not known.
GRAMS_PER_UNIT = {
    "mg": 1e-3,
    "g": 1.0,
    "gram": 1.0,
    "kg": 1e3,
    "kilogram": 1e3,
    "t": 1e6,
    "ton": 1e6,
    "tonne": 1e6,
    "metric ton": 1e6,
    "kt": 1e9,
}

_NUMBER = r"(?P<number>[-+]?(?:\d{1,3}(?:[,\u202f ]\d{3})+|\d+)(?:\.\d+)?(?:[eE][-+]?\d+)?|[-+]?\.\d+)"
_UNIT = (
    r"(?P<unit>mg|kg|kilo ?grams?|g|grams?|kt|t|metric tons?|tonnes?|tons?)"
)
# number, optional "in"/"of", unit, then optional "CO2", "CO2eq", "of CO2", "CO₂e"...; nothing else.
_QUANTITY = (
    rf"^\s*~?\s*{_NUMBER}\s*(?:in\s+)?{_UNIT}\.?\s*(?:of\s+)?(?:co2|co₂)?(?:[-_ ]?eq?(?:uivalent)?)?\.?\s*$"
)
_PLAIN_NUMBER = rf"^\s*{_NUMBER}\s*$"


@functools.lru_cache(maxsize=None)
def _pattern(source: str) -> re.Pattern[str]:
    """Compiled on first use: most cards never write a number as text."""
    return re.compile(source, re.IGNORECASE)


class Quantity(Record):
    grams: float
    number: float
    unit: str  # normalised: "g", "kg", "t", ... ; "" for a bare number


def _unit_key(unit: str) -> str:
    unit = unit.lower().replace(" ", "")
    if unit.startswith("kilo"):
        return "kg"
    if unit.startswith("gram"):
        return "g"
    if unit.startswith("metricton") or unit.startswith("tonne") or unit.startswith("ton"):
        return "t"
    return unit


def _number(text: str) -> float:
    return float(re.sub(r"[,\u202f ]", "", text))


def parse_quantity(text: str) -> Quantity | None:
    """The grams a string means, or None if it is not a number with a mass unit."""
    plain = _pattern(_PLAIN_NUMBER).match(text)
    if plain:
        number = _number(plain.group("number"))
        return Quantity(number, number, "")
    match = _pattern(_QUANTITY).match(text)
    if not match:
        return None
    number = _number(match.group("number"))
    unit = _unit_key(match.group("unit"))
    return Quantity(number * GRAMS_PER_UNIT[unit], number, unit)


def finite_number(value: object) -> float | None:
    """A YAML value as a float when it is a real, finite number (not a boolean, NaN or inf)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    return None


def format_grams(grams: float) -> str:
    """A gram figure as YAML reads it back: no exponent, no float noise (0.30000000000000004)."""
    rounded = float(f"{grams:.12g}")
    if rounded.is_integer() and abs(rounded) < 1e18:
        return str(int(rounded))
    text = repr(rounded)
    return f"{rounded:.20f}".rstrip("0") if "e" in text else text


def as_written(grams: float) -> str:
    """The card's number in full, with thousands separators: 1,480,000 stays 1,480,000 (not
    rounded to 1,500,000), 0.02794 stays 0.02794."""
    text = format_grams(grams)
    whole, dot, fraction = text.partition(".")
    if whole.lstrip("-").isdigit():
        return f"{int(whole):,}" + dot + fraction
    return text


# The extension keys' units (CodeCarbon's): hours, kWh, GB. A value written with its unit
# ("504 hours", "12.3 kWh") is the number in that unit; another unit of the same quantity is
# converted when the factor is exact. Milli- or mega-watt-hours written "mwh" are not told apart.
_EXTENSION_UNITS: dict[str, dict[str, float]] = {
    "hours_used": {
        "h": 1.0, "hr": 1.0, "hrs": 1.0, "hour": 1.0, "hours": 1.0,
        "min": 1 / 60, "mins": 1 / 60, "minute": 1 / 60, "minutes": 1 / 60,
        "s": 1 / 3600, "sec": 1 / 3600, "secs": 1 / 3600, "second": 1 / 3600, "seconds": 1 / 3600,
        "d": 24.0, "day": 24.0, "days": 24.0,
        "gpu hours": 1.0, "gpu-hours": 1.0, "gpu hour": 1.0,
    },
    "energy_consumed": {"kwh": 1.0, "wh": 1e-3, "gwh": 1e6, "kilowatt hours": 1.0,
                        "kilowatt-hours": 1.0, "kilowatt hour": 1.0},
    "ram_total_size": {"gb": 1.0, "gib": 1.0},
}
_EXTENSION_UNIT_NAMES = {"hours_used": "hours", "energy_consumed": "kWh", "ram_total_size": "GB"}
_WITH_UNIT = r"^\s*~?\s*(?P<number>(?:\d+(?:\.\d*)?|\.\d+))\s*(?P<unit>[a-z][a-z -]*?)\.?\s*$"


class ExtensionValue(Record):
    value: float  # in the key's own unit
    number: float  # as written
    unit: str  # as written
    unit_name: str  # the key's unit: "hours", "kWh", "GB"


def extension_unit(key: str) -> str | None:
    """The unit an extension key holds its number in ("hours", "kWh", "GB"), if it has one."""
    return _EXTENSION_UNIT_NAMES.get(key)


def parse_extension_value(key: str, text: str) -> ExtensionValue | None:
    """``"504 hours"`` for hours_used as 504.0; None unless the text is one number and a unit
    of the key's quantity ("3 GPUs", "1,200 h" with its ambiguous comma, "8 mWh" stay None)."""
    units = _EXTENSION_UNITS.get(key)
    if units is None:
        return None
    match = _pattern(_WITH_UNIT).match(text)
    if not match:
        return None
    unit = " ".join(match.group("unit").lower().split())
    factor = units.get(unit)
    if factor is None:
        return None
    number = float(match.group("number"))
    value = float(f"{number * factor:.12g}")
    return ExtensionValue(value, number, " ".join(match.group("unit").split()),
                          _EXTENSION_UNIT_NAMES[key])
