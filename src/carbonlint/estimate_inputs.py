"""The inputs of the physical estimate, each with where it came from.

``carbonlint estimate`` and ``carbonlint fix --estimate`` show an author a number computed from
their own card, so every input says its origin: the command line, the metadata
(``co2_eq_emissions.hardware_used``), or a line of the card's text ("Hardware Type:" on line 14).
Precedence: the command line, then the metadata, then a structured line of the text (the Hub
template's fields), then free prose only when it states one value. Nothing is guessed: an input
no source gives stays missing, and the estimate says which.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple

from carbonlint.units import finite_number

if TYPE_CHECKING:
    from carbonlint.checker import Context
    from carbonlint.estimate import Estimate, Hardware


class Input(NamedTuple):
    value: Any  # the text (hardware, location, provider) or the number (hours, PUE); None: missing
    origin: str  # "command line (--hours)", "metadata (co2_eq_emissions.hours_used)", ...

    @property
    def given(self) -> bool:
        return self.value is not None


MISSING = Input(None, "not given")


class Inputs(NamedTuple):
    hardware: Input
    hours: Input
    location: Input
    pue: Input
    provider: Input  # a cloud provider the text names (it decides the default PUE)

    def parsed_hardware(self) -> list[Hardware]:
        from carbonlint.estimate import parse_hardware

        return parse_hardware(str(self.hardware.value)) if self.hardware.given else []

    def hours_value(self) -> float | None:
        return _hours(self.hours.value)

    def missing(self) -> list[str]:
        """What the estimate still needs, in words."""
        needs = []
        if not self.hardware.given:
            needs.append("the hardware (--hardware, or hardware_used in co2_eq_emissions)")
        elif not self.parsed_hardware():
            needs.append(f"hardware carbonlint knows ({self.hardware.value!r} names no device "
                         "in its tables)")
        hours = self.hours_value()
        if not self.hours.given:
            needs.append("the training time (--hours, or hours_used in co2_eq_emissions)")
        elif hours is None or hours <= 0:
            needs.append(f"a training time in hours ({self.hours.value!r} is not one)")
        return needs

    def estimate(self) -> Estimate | None:
        """The training estimate, or None while :meth:`missing` names something."""
        from carbonlint.estimate import default_pue, estimate, grid_intensity

        hardware, hours = self.parsed_hardware(), self.hours_value()
        if not hardware or hours is None or hours <= 0:
            return None
        location = str(self.location.value) if self.location.given else None
        pue = finite_number(self.pue.value) if self.pue.given else None
        if pue is None and self.provider.given:
            # A provider the text names decides the PUE when the location alone does not.
            grid = grid_intensity(location)
            pue = default_pue(f"{location or ''} {self.provider.value}", grid)
        return estimate(hardware, hours, location, pue)

    def pue_origin(self, result: Estimate) -> str:
        """Where the PUE the estimate used comes from."""
        if self.pue.given:
            return self.pue.origin
        return pue_source(result, str(self.provider.value) if self.provider.given else "")


# How a cloud provider is named in text (as the estimator reads them for the PUE).
_PROVIDER_WORDS = {"amazon": "aws", "google": "gcp", "microsoft": "azure", "ovh": "ovhcloud",
                   "oci": "oracle"}


def pue_source(result: Estimate, provider: str = "") -> str:
    """Why the estimator chose this PUE (data centre, cloud provider, industry average)."""
    table = data_table("hardware_power.json")["pue"]
    zone = result.grid.zone
    if zone in table["datacentres"]:
        return f"the data centre's own ({zone}; Green Algorithms v3.0 / ML CO2 Impact)"
    words = set(provider.lower().replace("-", " ").split())
    if ":" in zone:
        words.add(zone.split(":")[0])
    names = {key: {key} | {w for w, k in _PROVIDER_WORDS.items() if k == key}
             for key in table["providers"]}
    for key, value in table["providers"].items():
        if names[key] & words and abs(value - result.pue) < 1e-9:
            return f"{key.upper() if len(key) <= 4 else key}'s default (Green Algorithms v3.0)"
    if abs(table["default"]["value"] - result.pue) < 1e-9:
        return "industry average (Uptime Institute 2024, via Green Algorithms v3.0)"
    return "cloud provider default (Green Algorithms v3.0)"


@lru_cache(maxsize=None)
def data_table(name: str) -> dict[str, Any]:
    """One of the estimator's shipped tables (read once; the same files estimate.py reads)."""
    import json

    from carbonlint.resources import read_text

    table: dict[str, Any] = json.loads(read_text("data", name))
    return table


def _hours(value: Any) -> float | None:
    if isinstance(value, str):
        from carbonlint.estimate import parse_duration_hours

        return parse_duration_hours(value)
    return finite_number(value)


def _line(fact: Any) -> str:
    label = f" ({fact.field})" if fact.field else ""
    return f"text, line {fact.span.line}{label}"


def _from_text(context: Context, kind: str) -> Input:
    """A structured line first; free prose only when it says one thing."""
    facts = context.prose.of(kind)
    if kind in ("hardware", "hours"):
        # Only the card's own training run: not the inference machine, not the base model's
        # list copied into a fine-tune's card (issue 13; see Context.own_run).
        facts = [f for f in facts if context.own_run(f)]
    structured = [f for f in facts if f.source != "free-text"]
    if kind == "hardware":
        # Only accelerator lines: "CPU Model" and "RAM Size" are the host, not the trainer;
        # "GPU" alone names no device. The environmental section's line comes first.
        own = context.prose_hardware
        structured = [own] if own is not None else []
    chosen = structured[0] if structured else (facts[0] if len(facts) == 1 else None)
    if chosen is None or (kind == "hours" and isinstance(chosen.value, str)):
        return MISSING
    from carbonlint.placeholders import is_placeholder

    if is_placeholder(chosen.value):  # "Compute Region: Unknown" gives no location
        return MISSING
    if kind == "hours" and chosen.field is not None:
        # A template line says the whole duration ("2hr 56mins", "2 hours and 56 minutes");
        # the line's value is read again with the estimator's own duration parser, which also
        # refuses GPU-hours and "2+ hrs for training, 15+ for preprocessing".
        written = _line_value(context.card.text, chosen.span.line)
        hours = _hours(written)
        if hours is not None and hours > 0:
            return Input(hours, _line(chosen))
        # Kept as written, so that the output says why it is not a duration.
        return Input(written, _line(chosen)) if written else MISSING
    return Input(chosen.value, _line(chosen))


def _line_value(text: str, line: int) -> str:
    """What follows the label on a "- **Hours used:** 2hr 56mins" line of the card."""
    lines = text.splitlines()
    if not 0 < line <= len(lines):
        return ""
    _, _, value = lines[line - 1].partition(":")
    return value.strip().strip("*").strip()


def _metadata(co2: Any, key: str) -> Input:
    from carbonlint.placeholders import is_placeholder

    value = co2.get(key) if isinstance(co2, dict) else None
    if value is None or isinstance(value, bool) or is_placeholder(value):
        return MISSING
    if isinstance(value, str) and not value.strip():
        return MISSING
    return Input(value, f"metadata (co2_eq_emissions.{key})")


def from_context(context: Context, *, overrides: dict[str, Any] | None = None) -> Inputs:
    """The inputs a card gives, the command line's ``overrides`` (hardware, hours, location, pue)
    laid over them."""
    co2 = context.card.co2
    found = {}
    for name, key in (("hardware", "hardware_used"), ("hours", "hours_used"),
                      ("location", "geographical_location")):
        meta = _metadata(co2, key)
        if name == "hours" and meta.given and _hours(meta.value) is None:
            meta = MISSING  # "TBD": the text may still say
        found[name] = meta if meta.given else _from_text(context, name)
    provider = _from_text(context, "cloud_provider")
    inputs = Inputs(found["hardware"], found["hours"], found["location"], MISSING, provider)
    return with_overrides(inputs, overrides or {})


def from_options(overrides: dict[str, Any]) -> Inputs:
    return with_overrides(Inputs(MISSING, MISSING, MISSING, MISSING, MISSING), overrides)


def with_overrides(inputs: Inputs, overrides: dict[str, Any]) -> Inputs:
    from carbonlint.placeholders import is_placeholder

    changes = {name: Input(value, f"command line (--{name})")
               for name, value in overrides.items() if value is not None}
    if "location" in changes and is_placeholder(changes["location"].value):
        changes["location"] = Input(None, "command line (--location, a placeholder)")
    return inputs._replace(**changes)
