"""How carbonlint judges a number: the inputs of the physical estimate and of the efficiency
label, gathered from the card (metadata first, then the text) and its repository folder.

Each function returns None rather than guess when an input is missing.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Mapping, NamedTuple

from carbonlint.units import finite_number

if TYPE_CHECKING:
    from carbonlint.baselines import Baseline
    from carbonlint.checker import Context
    from carbonlint.efficiency import Outlier
    from carbonlint.estimate import Estimate, Hardware

PERFORMANCE_METRICS = ("accuracy", "f1", "rouge1", "rougeL")
WEIGHT_FILES = (".safetensors", ".bin", ".h5", ".msgpack", ".onnx", ".gguf", ".pt", ".ckpt")



def _first_fact(context: Context, kind: str) -> Any:
    """A structured line of the text first; free prose only when it says one thing."""
    facts = [f for f in context.prose.of(kind) if not isinstance(f.value, str) or kind == "hardware"]
    if kind in ("hardware", "hours"):
        facts = [f for f in facts if context.own_run(f)]  # not the inference laptop, not the base model
    structured = [f for f in facts if f.source != "free-text"]
    if structured:
        return structured[0]
    return facts[0] if len(facts) == 1 else None


# "Time: 44.0 hours on Google Cloud TPU v4-16", "Training time: 3 days on 8 x V100": a line
# that gives the duration and, after "on", the hardware. Anchored at a line start, each
# repeated class followed by a different character: linear-time.
_TIME_LINE = (
    r"(?im)^[ \t>*_-]*(?:total[ \t]+)?(?:training[ \t]+|compute[ \t]+)?(?:time|duration)"
    r"[ \t*_]*:[ \t*_]*([^\n]*)$"
)


def _time_lines(body: str) -> list[tuple[float, str]]:
    """(hours, hardware text after "on") of each "Time: ... hours on ..." line of the text."""
    import re

    from carbonlint.estimate import duration_in_text, remove_duration

    found = []
    for match in re.finditer(_TIME_LINE, body):
        value = match[1]
        hours = duration_in_text(value)
        if hours is None:
            continue
        rest = remove_duration(value)
        on = re.search(r"(?i)\bon\b", rest)
        found.append((hours, rest[on.end():].strip(" .") if on else ""))
    return found


def _count_from_text(
    device: Hardware, stated: list[Hardware]
) -> Hardware:
    """The device with the count the text gives for its family ("trained on 16 NVIDIA A100"),
    when the text gives one count for it; otherwise unchanged."""
    from carbonlint.estimate import family

    counts = {
        h.count for h in stated
        if h.count_given and h.kind == device.kind and family(h.matched) == family(device.matched)
    }
    if device.count_given or len(counts) != 1:
        return device
    return device._replace(count=counts.pop(), count_given=True)


def estimate_for(context: Context) -> Estimate | None:
    """The physical estimate from the card, or None when it does not give enough.

    The hardware comes from the metadata, else a structured line of the text, else the one
    device free prose names; hours from hours_used, else the text, else a duration written in
    the hardware string itself ("TPUv3-8 for about 180 hours") or on a "Time: ... on ..."
    line. A device without its count takes the count the text gives for it ("trained on 16
    NVIDIA A100"); with none, the estimate stays a lower bound (estimate.Estimate.low).
    """
    from carbonlint.estimate import (
        duration_in_text,
        estimate,
        estimate_from_energy,
        parse_hardware,
    )

    co2 = context.card.co2 if isinstance(context.card.co2, dict) else {}
    location = co2.get("geographical_location")
    if not isinstance(location, str):
        fact = _first_fact(context, "location")
        location = str(fact.value) if fact is not None else None
    kwh = finite_number(co2.get("energy_consumed"))
    if kwh is not None and kwh > 0:
        return estimate_from_energy(kwh, location)
    # Only hardware that describes this card's own training run (not the base model's, not the
    # inference machine): Context.own_run.
    free = [str(f.value) for f in context.prose.of("hardware")
            if f.source == "free-text" and context.own_run(f)]
    time_lines = _time_lines(context.card.body) if "ime" in context.card.body else []
    hardware_text = context.hardware  # the metadata's, else the text's Hardware Type / GPU Model
    if hardware_text is None:
        # One device named, however often and however spelt ("TPU v4-16" in prose and
        # "Google Cloud TPU v4-16" on the Time line); two different ones: no guess.
        named = [t for t in free + [text for _, text in time_lines] if parse_hardware(t)]
        devices = {tuple(parse_hardware(text)) for text in named}
        hardware_text = named[0] if len(devices) == 1 else None
    hardware = parse_hardware(hardware_text) if hardware_text else []
    stated = [h for text in free + [t for _, t in time_lines] for h in parse_hardware(text)]
    hardware = [_count_from_text(device, stated) for device in hardware]
    hours = own_hours(context)
    if hours is None and hardware_text:
        hours = duration_in_text(hardware_text)
    if hours is None and len({h for h, _ in time_lines}) == 1:
        hours = time_lines[0][0]
    if hours is None:
        # "trained on 384 NVIDIA A100 GPUs for 2,820 hours": the duration beside the devices.
        beside = {_duration_on_line(context, fact) for fact in context.prose.of("hardware")
                  if fact.source == "free-text" and context.own_run(fact)} - {None}
        hours = beside.pop() if len(beside) == 1 else None
    device_hours = _device_hours(context.card.body)
    if len(hardware) == 1 and device_hours is not None and (
        hours is None or not hardware[0].count_given
    ):
        # "Training time (GPU hours): 184,320": device-hours count every device, so the
        # estimate is exact without the count (one device for that many hours).
        return estimate([hardware[0]._replace(count=1, count_given=True)], device_hours, location)
    if not hardware or hours is None or hours <= 0:
        return None
    return estimate(hardware, hours, location)


def own_hours(context: Context) -> float | None:
    """The training run's hours: hours_used (with its unit, if written), else the text's (a
    structured line first; only statements about the card's own run)."""
    co2 = context.card.co2 if isinstance(context.card.co2, dict) else {}
    hours = _hours_used(co2.get("hours_used"))
    if hours is None:
        fact = _first_fact(context, "hours")
        hours = finite_number(fact.value) if fact is not None else None
    return hours


# "184,320 GPU hours", "1.3M GPU-hours", "GPU hours: 3,072", "Training time (GPU hours): 184320".
# Linear-time: digits entered at the start of a run only, no two blank runs side by side.
_DEVICE_HOURS = (
    r"(?i)(?:(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)[ \t]*(?:(m|k)[ \t]*)?"
    r"(?:gpu|tpu|accelerator|chip|device)[ \t-]*hours?\b"
    r"|(?:gpu|tpu|accelerator|chip|device)[ \t-]*hours?\)?[ \t*_]*:[ \t*_]*"
    r"(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)[ \t]*(m|k)?\b)"
)


def _device_hours(body: str) -> float | None:
    """Device-hours the text states (one figure, however often repeated), or None."""
    import re

    if "hour" not in body.lower():
        return None
    found = set()
    for match in re.finditer(_DEVICE_HOURS, body):
        number, scale = (match[1], match[2]) if match[1] else (match[3], match[4])
        value = float(number.replace(",", "")) * {"m": 1e6, "k": 1e3}.get((scale or "").lower(), 1)
        found.add(value)
    return found.pop() if len(found) == 1 and min(found) > 0 else None


def _duration_on_line(context: Context, fact: Any) -> float | None:
    """The one duration on the text line where ``fact`` stands, in hours, or None."""
    from carbonlint.estimate import duration_in_text

    lines = context.card.text.splitlines()
    line = fact.span.line - 1
    return duration_in_text(lines[line]) if 0 <= line < len(lines) else None


def _hours_used(value: Any) -> float | None:
    """hours_used as hours: a number, or a text with its unit ("504 hours", "90 minutes")."""
    number = finite_number(value)
    if number is not None or not isinstance(value, str):
        return number
    from carbonlint.estimate import parse_duration_hours

    return parse_duration_hours(value)


def load_baseline(path: str | None) -> Baseline:
    from carbonlint import baselines

    return baselines.load(path)


def _tags(metadata: Mapping[str, Any]) -> list[str]:
    tags = metadata.get("tags")
    tags = [tags] if isinstance(tags, str) else tags
    return [t for t in tags if isinstance(t, str)] if isinstance(tags, list) else []


def is_autotrain(context: Context) -> bool:
    """AutoTrain (or AutoNLP) made the model: its tags say so, as Castaño et al. count it, or
    co2_eq_emissions.source names it."""
    tags = {t.lower() for t in _tags(context.card.metadata)}
    co2 = context.card.co2 if isinstance(context.card.co2, dict) else {}
    source = co2.get("source")
    return bool(tags & {"autotrain", "autonlp"}) or (
        isinstance(source, str) and "autotrain" in source.lower().replace(" ", "")
    )


def training_type_of(context: Context) -> str | None:
    """pre-training or fine-tuning, from co2_eq_emissions.training_type or the text's field."""
    from carbonlint.baselines import normalise_training_type

    co2 = context.card.co2 if isinstance(context.card.co2, dict) else {}
    value = co2.get("training_type")
    if isinstance(value, str) and normalise_training_type(value):
        return normalise_training_type(value)
    fact = _first_fact(context, "training_type")
    return normalise_training_type(str(fact.value)) if fact is not None else None


def peer_group(context: Context, baseline: Baseline) -> str | None:
    """The card's fair peer group (baselines.peer_key), or None when there is none.

    Same kind of run only: AutoTrain with AutoTrain (by size, then domain), anything else with
    runs of its own training type outside AutoTrain (by size). A card that does not say its
    training type, or whose fair group has fewer than MIN_PEERS models, has none.
    """
    from carbonlint.baselines import peer_key

    metadata = context.card.metadata
    pipeline = metadata.get("pipeline_tag")
    if not isinstance(pipeline, str) and context.card.hub_info is not None:
        pipeline = context.card.hub_info.pipeline_tag  # the Hub infers it from the library
    return peer_key(
        baseline,
        autotrain=is_autotrain(context),
        training_type=training_type_of(context),
        size_bytes=weights_size(context),
        domain=pipeline if isinstance(pipeline, str) else None,
    )


def physics_has_spoken(context: Context, grams: float) -> bool:
    """The card gives what physics needs to judge its number: hardware and hours (the
    estimate, CL401-CL403), or its own energy figure (energy_consumed, or a kWh figure in the
    text: CL404). Physics then judges the number, accepting or not, and peers have no say: a
    number the estimate accepts is never "check the unit", and one it rejects has its finding."""
    estimate = context.estimate
    if estimate is not None and estimate.grams > 0:
        return True
    co2 = context.card.co2 if isinstance(context.card.co2, dict) else {}
    energies = [finite_number(co2.get("energy_consumed"))]
    energies += [finite_number(f.value) for f in context.prose.of("energy_kwh")]
    if any(kwh is not None and kwh > 0 for kwh in energies) and grams > 0:
        return True
    return hardware_could_emit(context, grams)


# The run lengths a named device could have run for: a minute to two years. A number that the
# card's hardware emits in a run of such a length may be a short or a long run as well as a
# slip, and peers cannot tell which.
MIN_RUN_HOURS, MAX_RUN_HOURS = 1 / 60, 2 * 365 * 24.0


def hardware_could_emit(context: Context, grams: float) -> bool:
    """The card names its hardware but not its hours, and the number is what that hardware
    emits in a run of a minute to two years (without every device's count, only the shortest
    run is bounded: more devices make any number reachable sooner)."""
    from carbonlint.estimate import estimate, parse_hardware

    if grams <= 0 or context.hardware is None:
        return False
    devices = parse_hardware(context.hardware)
    if not devices:
        return False
    co2 = context.card.co2 if isinstance(context.card.co2, dict) else {}
    location = co2.get("geographical_location")
    if not isinstance(location, str):
        fact = _first_fact(context, "location")
        location = str(fact.value) if fact is not None else None
    hour = estimate(devices, 1.0, location)  # grams an hour: hour.low to hour.high
    if hour.low <= 0:
        return False
    longest = grams / hour.low
    shortest = grams / hour.high if hour.high < float("inf") else 0.0
    return longest >= MIN_RUN_HOURS and shortest <= MAX_RUN_HOURS


class Doubt(NamedTuple):
    """Why the number itself looks wrong, and the number it would be after a unit slip."""

    reason: str  # for messages: "the card's hardware and hours give at least 333 g"
    corrected_g: float | None  # the kilogram (or milligram) reading, when the evidence says so


def number_doubted(context: Context, grams: float) -> Doubt | None:
    """The evidence that ``grams`` is wrong whatever its spelling: the physical estimate
    (CL401/CL402's judgement), the card's own energy figure (CL404's), or the text (CL301).

    A fix that only respells the number must not write it then: ``carbonlint fix`` would lock
    in a number another rule calls wrong.
    """
    from carbonlint.estimate import _mass
    from carbonlint.rules.plausibility import MAX_INTENSITY, MIN_INTENSITY

    if grams <= 0:
        return None
    factor = context.config.plausibility_factor
    estimate = context.estimate
    # An estimate from energy_consumed (watts 0) is judged below, as an intensity.
    if estimate is not None and estimate.grams > 0 and estimate.watts > 0:
        low, high = estimate.low, estimate.high
        at_least = "give about" if estimate.exact else "give at least"
        if grams < low / factor:
            times = low / grams
            corrected = grams * 1000 if 1000 / factor <= times <= 1000 * factor else None
            return Doubt(f"the card's hardware and hours {at_least} {_mass(low)}, "
                         f"{_times(times)} more", corrected)
        if grams > high * factor:
            times = grams / high
            corrected = grams / 1000 if 1000 / factor <= times <= 1000 * factor else None
            return Doubt(f"the card's hardware and hours give about {_mass(high)} at the most, "
                         f"{_times(times)} less", corrected)
    co2 = context.card.co2 if isinstance(context.card.co2, dict) else {}
    kwh = finite_number(co2.get("energy_consumed"))
    if kwh is not None and kwh > 0 and not MIN_INTENSITY <= grams / kwh <= MAX_INTENSITY:
        intensity = grams / kwh
        corrected = grams * 1000 if MIN_INTENSITY <= intensity * 1000 <= MAX_INTENSITY else None
        return Doubt(f"with energy_consumed {kwh:g} kWh it means {intensity:.3g} g per kWh, "
                     "which no grid has", corrected)
    from carbonlint.rules.consistency import emissions_against_text

    if next(emissions_against_text(context), None) is not None:
        return Doubt("the card's text states a different amount", None)
    return None


def _times(times: float) -> str:
    """"224 times"; "far" for a ratio too large to print (a denormal number of grams)."""
    import math

    return f"{times:,.0f} times" if math.isfinite(times) else "immeasurably"


def outlier_for(context: Context) -> Outlier | None:
    grams = context.emissions_g
    if not grams:
        return None
    from carbonlint.efficiency import outlier

    baseline = context.baseline
    group = context.peer_group
    if group is None or physics_has_spoken(context, grams):
        return None
    return outlier(grams, group, baseline, z_threshold=context.config.outlier_z)


def efficiency_for(context: Context) -> dict[str, Any] | None:
    """The A-E label with its sub-ratings, and the peer group; None without emissions."""
    grams = context.emissions_g
    if grams is None or grams <= 0:
        return None
    from carbonlint.efficiency import EfficiencyInputs, label, performance_score

    baseline = context.baseline
    metrics = performance_metrics(context.card.metadata)
    result = label(
        EfficiencyInputs(
            emissions_g=grams,
            size_bytes=weights_size(context),
            downloads=context.card.hub_info.downloads if context.card.hub_info else None,
            performance=performance_score(metrics, baseline) if metrics else None,
        ),
        baseline,
    )
    if result is None:
        return None
    group = context.peer_group
    result["peer_group"] = group
    result["peer_group_n"] = baseline.groups[group].n if group is not None else None
    return result


def weights_size(context: Context) -> float | None:
    """The weights' size: as the Hub counts it for a card fetched by `carbonlint hub`, else from
    the files beside the card."""
    hub = context.card.hub_info
    if hub is not None:
        return hub.size_bytes
    return context.local_weights_size


def model_size_bytes(card_path: str) -> float | None:
    """The weights' size, from the files beside the card (a model repository's README.md)."""
    if os.path.basename(card_path).lower() != "readme.md":
        return None
    folder = os.path.dirname(os.path.abspath(card_path))
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return None
    sizes: dict[str, int] = {}
    for entry in entries:
        suffix = os.path.splitext(entry.name)[1].lower()
        if suffix in WEIGHT_FILES and entry.is_file():
            sizes.setdefault(suffix, 0)
            sizes[suffix] += entry.stat().st_size
    if not sizes:
        return None
    # One format's files are the model; repositories often carry the same weights twice.
    for suffix in WEIGHT_FILES:
        if suffix in sizes:
            return float(sizes[suffix])
    return None


def performance_metrics(metadata: Mapping[str, Any]) -> dict[str, float]:
    """accuracy, f1, rouge1, rougeL from model-index (the first value of each)."""
    from carbonlint.model_index import performance_metrics as from_model_index

    return from_model_index(metadata)
