"""The inputs of the physical estimate, each with where it came from: the one gatherer.

``carbonlint estimate``, ``carbonlint fix --estimate`` and CL220 show an author a number computed
from their own card; ``carbonlint check`` judges the card's number against the same estimate
(CL401-CL403 through Context.estimate, CL405, CL420, ``--show-estimate``). All of them read
:func:`from_context`, so the command and the check cannot disagree about a card.

Every input says its origin: the command line, the metadata (``co2_eq_emissions.hardware_used``),
or a line of the card's text ("Hardware Type:" on line 14). Precedence: the command line, then the
metadata, then a structured line of the text (the Hub template's fields), then what free prose
and "Time:" lines say about the card's own run when they say one thing. Nothing is guessed: an
input no source gives stays missing, and the estimate says which; a device without its count
makes the estimate a lower bound.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

from carbonlint.record import Record
from carbonlint.units import finite_number

if TYPE_CHECKING:
    from carbonlint.card import Card
    from carbonlint.checker import Context
    from carbonlint.estimate import Estimate, Hardware


class Input(Record):
    value: Any  # the text (hardware, location, provider) or the number (hours, PUE); None: missing
    origin: str  # "command line (--hours)", "metadata (co2_eq_emissions.hours_used)", ...

    @property
    def given(self) -> bool:
        return self.value is not None


MISSING = Input(None, "not given")


class Inputs(Record):
    hardware: Input
    hours: Input
    location: Input
    pue: Input
    provider: Input  # a cloud provider the text names (it decides the default PUE)
    # The text that gives a device named without its count its count ("trained on 16 NVIDIA
    # A100"); the hardware's own text otherwise.
    count: Input = MISSING
    # Every device's hours together ("184,320 GPU hours"): with one device type, the estimate
    # needs neither the count nor the wall-clock hours.
    device_hours: Input = MISSING
    energy: Input = MISSING  # energy_consumed, kWh: the estimate is then the energy x the grid

    def parsed_hardware(self) -> list[Hardware]:
        """The devices, with the count the text gives them where the hardware has none."""
        if not self.hardware.given:
            return []
        from carbonlint.estimate import parse_hardware
        from carbonlint.estimate_text import count_for

        devices = parse_hardware(str(self.hardware.value))
        if not self.count.given:
            return devices
        stated = [(h, None) for h in parse_hardware(str(self.count.value))]
        counted = []
        for device in devices:
            found = count_for(device, stated)
            counted.append(device if found is None
                           else device._replace(count=found[0].count, count_given=True))
        return counted

    def hours_value(self) -> float | None:
        return _hours(self.hours.value)

    def uses_device_hours(self) -> bool:
        """Device-hours stand for the count and the hours together where one device type is
        named and either is missing (one device for that many hours)."""
        if not self.device_hours.given:
            return False
        hardware = self.parsed_hardware()
        return len(hardware) == 1 and (self.hours_value() is None or not hardware[0].count_given)

    def run(self) -> tuple[list[Hardware], float | None]:
        """The devices and the hours the energy is worked out from."""
        if self.uses_device_hours():
            device = self.parsed_hardware()[0]
            return [device._replace(count=1, count_given=True)], float(self.device_hours.value)
        return self.parsed_hardware(), self.hours_value()

    def described(self) -> dict[str, dict[str, Any]]:
        """Every input as ``{"value", "origin"}`` (the JSON of ``carbonlint estimate`` and of
        ``check --show-estimate``)."""
        return {name: {"value": getattr(self, name).value, "origin": getattr(self, name).origin}
                for name in self._fields}

    def from_energy(self) -> bool:
        """The estimate is the card's energy x the grid (energy_consumed, measured)."""
        kwh = finite_number(self.energy.value) if self.energy.given else None
        return kwh is not None and kwh > 0

    def missing(self) -> list[str]:
        """What the estimate still needs, in words."""
        if self.from_energy():
            return []
        needs = []
        if not self.hardware.given:
            needs.append("the hardware (hardware_used in co2_eq_emissions, a 'Hardware Type:' "
                         "line, or --hardware)")
        elif not self.parsed_hardware():
            needs.append(f"hardware carbonlint knows ({self.hardware.value!r} names no device "
                         "in its tables)")
        hardware, hours = self.run()
        if hardware and hours is not None and hours > 0:
            return needs
        if not self.hours.given:
            needs.append("the training time (hours_used in co2_eq_emissions, the hours in the "
                         "text, or --hours)")
        elif hours is None or hours <= 0:
            needs.append(f"a training time in hours ({self.hours.value!r} is not one)")
        return needs

    def estimate(self) -> Estimate | None:
        """The training estimate, or None while :meth:`missing` names something."""
        location = str(self.location.value) if self.location.given else None
        if self.from_energy():
            from carbonlint.estimate import estimate_from_energy

            return estimate_from_energy(float(self.energy.value), location)
        hardware, hours = self.run()
        if not hardware or hours is None or hours <= 0:
            return None
        from carbonlint.estimate import default_pue, estimate, grid_intensity

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
        if result.watts <= 0:
            return "none: a measured energy (CodeCarbon's figure) already holds the overhead it counts"
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
        written = _line_value(context.card, chosen.span.line)
        from carbonlint.estimate_text import DEVICE_HOURS_LABEL

        if DEVICE_HOURS_LABEL.search(_line_label(context.card, chosen.span.line)):
            # "Training time (GPU hours): 3,072": device-hours, read as such (device_hours).
            return Input(f"{written} (device-hours)", _line(chosen))
        hours = _hours(written)
        if hours is not None and hours > 0:
            return Input(hours, _line(chosen))
        # Kept as written, so that the output says why it is not a duration.
        return Input(written, _line(chosen)) if written else MISSING
    return Input(chosen.value, _line(chosen))


def _line_label(card: Card, line: int) -> str:
    """The label of a "- **Hours used:** 2hr 56mins" line of the card ("- **Hours used")."""
    lines = card.lines()
    return lines[line - 1].partition(":")[0] if 0 < line <= len(lines) else ""


def _line_value(card: Card, line: int) -> str:
    """What follows the label on a "- **Hours used:** 2hr 56mins" line of the card."""
    lines = card.lines()
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


def _hardware(context: Context, co2: Any, named: list[tuple[str, str]]) -> Input:
    """The metadata's hardware, else the text's structured line, else the one device that
    free prose and "Time:" lines name (however often, however spelt)."""
    meta = _metadata(co2, "hardware_used")
    if meta.given:
        return meta
    own = context.prose_hardware
    if own is not None:
        return Input(str(own.value), _line(own))
    if not named:
        return MISSING
    from carbonlint.estimate import parse_hardware

    naming = [(text, where) for text, where in named if parse_hardware(text)]
    devices = {tuple(parse_hardware(text)) for text, _ in naming}
    return Input(*naming[0]) if len(devices) == 1 else MISSING


def _count(hardware: Input, named: list[tuple[str, str]]) -> Input:
    """The text that gives each device named without its count the one count the text states
    for its family; MISSING when there is none to give."""
    if not hardware.given:
        return MISSING
    from carbonlint.estimate import parse_hardware
    from carbonlint.estimate_text import count_for

    stated = [(h, (text, where)) for text, where in named for h in parse_hardware(text)]
    picked: list[tuple[str, str]] = []
    for device in parse_hardware(str(hardware.value)):
        found = count_for(device, stated)
        if found is not None and found[1] not in picked:
            picked.append(found[1])
    if not picked:
        return MISSING
    return Input("; ".join(text for text, _ in picked), ", ".join(where for _, where in picked))


def _hours_input(context: Context, co2: Any, hardware: Input, times: list[Any],
                 own_free: list[Any]) -> Input:
    """hours_used (with its unit, if written), else the text's (a structured line first), else
    a duration inside the hardware string ("TPUv3-8 for about 180 hours"), else the one
    duration of the "Time:" lines, else the one written beside the devices ("trained on 384
    A100 GPUs for 2,820 hours"). A value that is no duration is kept to say why."""
    from carbonlint.estimate_text import durations_beside

    unreadable = MISSING
    for found in (_metadata(co2, "hours_used"), _from_text(context, "hours")):
        hours = _hours(found.value) if found.given else None
        if hours is not None and hours > 0:
            return found
        if found.given and not unreadable.given and found.origin.startswith("text"):
            unreadable = found  # "184,320 GPU hours" on the Hours line: said if nothing else
    if hardware.given and isinstance(hardware.value, str):
        from carbonlint.estimate import duration_in_text

        hours = duration_in_text(hardware.value)
        if hours is not None and hours > 0:
            return Input(hours, hardware.origin)
    if len({t.hours for t in times}) == 1:
        return Input(times[0].hours, f"text, line {times[0].line} (Time:)")
    beside = durations_beside(context, own_free)
    if len(beside) == 1:
        hours, fact = next(iter(beside.items()))
        return Input(hours, _line(fact))
    return unreadable


def _device_hours(context: Context, body: Any) -> Input:
    from carbonlint.estimate_text import device_hours

    found = device_hours(context, body)
    return MISSING if found is None else Input(found.value, f"text, line {found.line} "
                                                            f"({found.text!r})")


def _energy(co2: Any) -> Input:
    value = co2.get("energy_consumed") if isinstance(co2, dict) else None
    kwh = finite_number(value) if not isinstance(value, bool) else None
    if kwh is None or kwh <= 0:
        return MISSING
    return Input(kwh, "metadata (co2_eq_emissions.energy_consumed, kWh)")


def from_context(context: Context, *, overrides: dict[str, Any] | None = None) -> Inputs:
    """The inputs a card gives, the command line's ``overrides`` (hardware, hours, location, pue)
    laid over them."""
    from carbonlint.estimate_text import body_of, time_lines

    co2 = context.card.co2
    body = body_of(context)  # read once for the "Time:" lines and the device-hours
    meta = _metadata(co2, "geographical_location")
    location = meta if meta.given else _from_text(context, "location")
    provider = _from_text(context, "cloud_provider")
    times = time_lines(context, body)
    # Free prose about the card's own run (not the base model's, not the inference machine:
    # Context.own_run), and "Time: ... on <hardware>" lines, with where each stands.
    own_free = [f for f in context.prose.of("hardware")
                if f.source == "free-text" and context.own_run(f)]
    named = [(str(f.value), _line(f)) for f in own_free]
    named += [(t.hardware, f"text, line {t.line} (Time:)") for t in times if t.hardware]
    hardware = _hardware(context, co2, named)
    inputs = Inputs(hardware, _hours_input(context, co2, hardware, times, own_free), location,
                    MISSING, provider, _count(hardware, named), _device_hours(context, body),
                    _energy(co2))
    return with_overrides(inputs, overrides or {})


def from_options(overrides: dict[str, Any]) -> Inputs:
    return with_overrides(Inputs(MISSING, MISSING, MISSING, MISSING, MISSING), overrides)


def with_overrides(inputs: Inputs, overrides: dict[str, Any]) -> Inputs:
    from carbonlint.placeholders import is_placeholder

    changes = {name: Input(value, f"command line (--{name})")
               for name, value in overrides.items() if value is not None}
    if "location" in changes and is_placeholder(changes["location"].value):
        changes["location"] = Input(None, "command line (--location, a placeholder)")
    if "hardware" in changes or "hours" in changes:
        # The run the options describe: the card's count, device-hours and energy are about
        # another one.
        changes["energy"] = MISSING
        changes["device_hours"] = MISSING
        if "hardware" in changes:
            changes["count"] = MISSING
    return inputs._replace(**changes)
