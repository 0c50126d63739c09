"""Numbers written with units, as people put them into ``co2_eq_emissions``.

``"1.2 kg"``, ``"0.21 in grams of CO2"``, ``"12.5 kgCO2eq"``, ``"1,200 g"``, ``"24.7 tonnes"``:
the Hub wants grams as a number, so each of these is a finding with the value in grams.
"""

from __future__ import annotations

import functools
import math
import re
from typing import NamedTuple

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


class Quantity(NamedTuple):
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
