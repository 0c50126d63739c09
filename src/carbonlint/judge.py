"""How carbonlint judges a number: the inputs of the physical estimate and of the efficiency
label, gathered from the card (metadata first, then the text) and its repository folder.

Each function returns None rather than guess when an input is missing.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Mapping

from carbonlint.record import Record
from carbonlint.units import finite_number

if TYPE_CHECKING:
    from carbonlint.baselines import Baseline
    from carbonlint.checker import Context
    from carbonlint.efficiency import Outlier
    from carbonlint.estimate import Estimate

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


def estimate_for(context: Context) -> Estimate | None:
    """The physical estimate from the card, or None when it does not give enough: the card's
    energy x the grid when it gives energy_consumed, else hardware x hours x PUE x grid, from
    the inputs :mod:`carbonlint.estimate_inputs` gathers (the same that ``carbonlint estimate``
    shows). A device without its count makes it a lower bound (estimate.Estimate.low)."""
    result: Estimate | None = context.estimate_inputs.estimate()
    return result


def own_hours(context: Context) -> float | None:
    """The training run's wall-clock hours as the estimate reads them (only statements about
    the card's own run)."""
    hours: float | None = context.estimate_inputs.hours_value()
    return hours


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
    from carbonlint.estimate import estimate

    inputs = context.estimate_inputs
    devices = inputs.parsed_hardware()
    if grams <= 0 or not devices:
        return False
    location = str(inputs.location.value) if inputs.location.given else None
    hour = estimate(devices, 1.0, location)  # grams an hour: hour.low to hour.high
    if hour.low <= 0:
        return False
    longest = grams / hour.low
    shortest = grams / hour.high if hour.high < float("inf") else 0.0
    return longest >= MIN_RUN_HOURS and shortest <= MAX_RUN_HOURS


class Doubt(Record):
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
