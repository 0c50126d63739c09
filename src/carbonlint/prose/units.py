"""Figures and units: a written number and unit become grams, kWh or hours."""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

from carbonlint.prose.model import Fact

if TYPE_CHECKING:
    from carbonlint.prose.body import Body


_UNIT_NAMES: dict[str, tuple[str, ...]] = {
    "g": ("g", "gram", "grams", "gramme", "grammes"),
    "kg": ("kg", "kgs", "kilogram", "kilograms", "kilogramme", "kilogrammes"),
    "t": ("t", "ton", "tons", "tonne", "tonnes")
    + ("metric ton", "metric tons", "metric tonne", "metric tonnes"),
    "lb": ("lb", "lbs", "pound", "pounds"),
    "Wh": ("wh", "watt hour", "watt hours", "watthour", "watthours"),
    "kWh": ("kwh", "kilowatt hour", "kilowatt hours", "kilowatthour", "kilowatthours"),
    # "mWh" is read as MWh: nobody reports training energy in milliwatt-hours.
    "MWh": ("mwh", "megawatt hour", "megawatt hours", "megawatthour", "megawatthours"),
    "GWh": ("gwh", "gigawatt hour", "gigawatt hours", "gigawatthour", "gigawatthours"),
    "TWh": ("twh", "terawatt hour", "terawatt hours", "terawatthour", "terawatthours"),
    "h": ("h", "hr", "hrs", "hour", "hours"),
    "min": ("min", "mins", "minute", "minutes"),
    "d": ("day", "days"),
    "wk": ("wk", "wks", "week", "weeks"),
}
_UNIT_OF = {name: unit for unit, names in _UNIT_NAMES.items() for name in names}
# What each unit measures, and how to get grams, kWh or hours from it: a power of ten (applied
# to the written number's exponent, so "5.6 kg" is exactly 5600.0, not 5600.000000000001) and a
# ratio for the rest. "t" is the metric tonne; short tons are not told apart.
SCALE: dict[str, tuple[str, int, float]] = {
    "g": ("emissions_g", 0, 1.0),
    "kg": ("emissions_g", 3, 1.0),
    "t": ("emissions_g", 6, 1.0),
    "lb": ("emissions_g", 0, 453.59237),
    "Wh": ("energy_kwh", -3, 1.0),
    "kWh": ("energy_kwh", 0, 1.0),
    "MWh": ("energy_kwh", 3, 1.0),
    "GWh": ("energy_kwh", 6, 1.0),
    "TWh": ("energy_kwh", 9, 1.0),
    "h": ("hours", 0, 1.0),
    "min": ("hours", 0, 1 / 60),
    "d": ("hours", 0, 24.0),
    "wk": ("hours", 0, 168.0),
}
_SEPARATORS = str.maketrans("", "", ", \u00a0\u202f\u2009")
# More digits than any real figure has: not worth converting.
_MAX_DIGITS = 30


def normalised_unit(written: str) -> str | None:
    """The normalised unit for a unit as written ("Kilowatt-hours" -> "kWh")."""
    return _UNIT_OF.get(" ".join(written.lower().replace("-", " ").split()))


def parsed_number(match: re.Match[str]) -> tuple[str, int, int] | None:
    """The number of a ``NUM`` match as (digits, exponent, decimals as written); None if it
    is absurdly long."""
    digits = match["num"].translate(_SEPARATORS)
    fraction = match["frac"] or ""
    if len(digits) + len(fraction) > _MAX_DIGITS:
        return None
    exponent = int(match["exp"] or 0)
    return f"{digits}.{fraction or 0}", exponent, max(0, len(fraction) - exponent)


def quantity_fact(
    body: Body,
    number: re.Match[str],
    stop: int,
    kind: str,
    unit: str | None,
    source: str,
    field: str | None,
) -> Fact | None:
    """A numeric fact from ``number`` to ``stop``; without a unit only for hours."""
    # Only hours may go without a written unit: the "Hours used" field names it.
    implied = unit if unit is not None else ("h" if kind == "hours" else None)
    parsed = parsed_number(number)
    if parsed is None or implied is None or SCALE[implied][0] != kind:
        return None
    mantissa, exponent, decimals = parsed
    _, power, ratio = SCALE[implied]
    value = float(f"{mantissa}e{exponent + power}") * ratio
    if not math.isfinite(value):
        return None
    text, span = body.located(number.start("num"), stop)
    return Fact(kind, value, text, unit, decimals, source, field, span)

