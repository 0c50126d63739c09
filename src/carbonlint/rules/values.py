"""Value rules (CL1xx beyond the schema): what the Hub tolerates but authors get wrong.

Misspelled keys, training types off the documented two, YAML 1.1 readings, NaN and infinity:
each passes the schema (or the Hub ignores it) and each loses or distorts the report.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import TYPE_CHECKING, Any, Iterator

import yaml

from carbonlint.card import CO2_KEY
from carbonlint.findings import Category, Problem, Severity
from carbonlint.rules import check, rule
from carbonlint.units import format_grams
from carbonlint.yaml12 import reads_differently

if TYPE_CHECKING:
    from carbonlint.checker import Context

S, E, W = Category.SCHEMA, Severity.ERROR, Severity.WARNING

SPEC_KEYS = ("emissions", "source", "training_type", "geographical_location", "hardware_used")
# Written by Sentence-Transformers and SetFit from CodeCarbon's tracker; the Hub ignores them,
# carbonlint's plausibility checks read them.
EXTENSION_KEYS = ("energy_consumed", "hours_used", "on_cloud", "cpu_model", "ram_total_size")
# carbonlint's life-cycle keys (docs/lifecycle.md; carbonlint.lifecycle.KEYS, kept equal by a test).
LIFECYCLE_KEYS = (
    "embodied_emissions", "embodied_source", "idle_emissions", "idle_source",
    "deployment_emissions_per_day", "deployment_emissions_per_1000_requests", "deployment_source",
    "deployment_hardware", "deployment_location", "deployment_requests_per_day",
)
KNOWN_KEYS = SPEC_KEYS + EXTENSION_KEYS + LIFECYCLE_KEYS
TRAINING_TYPES = ("pre-training", "fine-tuning")

# Words people use for a spec key that no spelling distance would find.
_SYNONYMS = {
    "emission": "emissions", "co2": "emissions", "co2_eq": "emissions", "value": "emissions",
    "grams": "emissions", "emissions_g": "emissions", "co2_emissions": "emissions",
    "hardware": "hardware_used", "gpu": "hardware_used", "gpus": "hardware_used",
    "gpu_model": "hardware_used", "hardware_type": "hardware_used",
    "location": "geographical_location", "region": "geographical_location",
    "country": "geographical_location", "compute_region": "geographical_location",
    "geo_location": "geographical_location", "geographic_location": "geographical_location",
    "training": "training_type", "type": "training_type",
    "energy": "energy_consumed", "energy_kwh": "energy_consumed",
    "hours": "hours_used", "duration": "hours_used", "training_time": "hours_used",
}
_TRAINING_TYPE_SPELLINGS = {
    "pretraining": "pre-training", "pre training": "pre-training", "pre-train": "pre-training",
    "pretrain": "pre-training", "pre_training": "pre-training",
    "finetuning": "fine-tuning", "fine tuning": "fine-tuning", "fine-tune": "fine-tuning",
    "finetune": "fine-tuning", "fine_tuning": "fine-tuning", "fine-tuned": "fine-tuning",
    "finetuned": "fine-tuning",
}

rule(
    "CL104", "non-finite-value", S, E,
    "A value is NaN or infinite.",
    """
    YAML reads .nan and .inf as floating-point numbers, so the schema's type check passes, but
    neither is an amount of CO2: a logging tool that failed wrote them. Measure again, or remove
    co2_eq_emissions until the number is known.
    """,
    failing="""
    ---
    co2_eq_emissions:
      emissions: .nan
    ---
    """,
    passing="""
    ---
    co2_eq_emissions:
      emissions: 312.7
    ---
    """,
)

rule(
    "CL107", "unknown-key", S, Severity.WARNING,
    "co2_eq_emissions has a key the spec does not define (often a misspelling).",
    """
    The spec defines emissions, source, training_type, geographical_location and hardware_used.
    carbonlint also accepts the keys Sentence-Transformers and SetFit write from CodeCarbon:
    energy_consumed (kWh), hours_used, on_cloud, cpu_model and ram_total_size (GB). Any other key
    is ignored by the Hub: when it is a misspelling of a known key (geographic_location,
    "hardware used"), the information is lost. The finding names the key meant, and carbonlint
    fix renames the key when the meant one is not given too and the name leaves no doubt about
    the unit (co2, value, energy or duration could be kilograms, joules or seconds: not renamed).
    """,
    failing="""
    ---
    co2_eq_emissions:
      emissions: 150
      geographic_location: Frankfurt, Germany
    ---
    """,
    passing="""
    ---
    co2_eq_emissions:
      emissions: 150
      geographical_location: Frankfurt, Germany
    ---
    """,
    fixable=True,
)

rule(
    "CL109", "training-type-off-spec", S, W,
    "training_type is not one of the documented values 'pre-training' and 'fine-tuning'.",
    """
    The spec documents two training types. Spelling variants (pretraining, finetuning,
    Fine-Tuning) split the Hub's statistics; placeholders (unknown, N/A) say nothing and are
    better left out. The finding names the documented spelling where one is meant.
    """,
    failing="""
    ---
    co2_eq_emissions:
      emissions: 150
      training_type: finetuning
    ---
    """,
    passing="""
    ---
    co2_eq_emissions:
      emissions: 150
      training_type: fine-tuning
    ---
    """,
    fixable=True,
)

rule(
    "CL111", "yaml-version-dependent", S, W,
    "A plain value is read differently by YAML 1.1 (PyYAML, huggingface_hub) and YAML 1.2.",
    """
    PyYAML implements YAML 1.1, where 24_700_000 is a number, yes/no/on/off are booleans, 1:30 is
    90 and 010 is 8, while 1e3 and 1.5e3 are text (1.1 wants a dot and a signed exponent:
    1.5e+3). YAML 1.2 parsers, used by most other languages and tools, read each the other way.
    Write the plain digits (24700000, 1500) so that every tool reads the same number. carbonlint
    fix removes the underscores; 010 (8 or 10?) and 1:30 (90 or an hour and a half?) are left to
    the author.
    """,
    failing="""
    ---
    co2_eq_emissions:
      emissions: 24_700_000
    ---
    """,
    passing="""
    ---
    co2_eq_emissions:
      emissions: 24700000
    ---
    """,
    fixable=True,
)

rule(
    "CL112", "co2-key-misspelled", S, E,
    "A top-level key looks like a misspelling of co2_eq_emissions.",
    """
    The Hub only reads emissions from the top-level key co2_eq_emissions. A card that reports
    them under co2_eq_emission, co2-eq-emissions or CO2_eq_emissions reports nothing. carbonlint
    fix renames a misspelling when co2_eq_emissions is not given too (another name, such as
    carbon_emissions, is left to the author).
    """,
    failing="""
    ---
    co2_eq_emission: 150
    ---
    """,
    passing="""
    ---
    co2_eq_emissions: 150
    ---
    """,
    fixable=True,
)


# Names whose unit is anybody's guess (kg or g, J or kWh, s or h): renaming them into a spec key
# would give the number a unit it may not have.
_UNIT_UNCERTAIN = frozenset({"co2", "co2_eq", "value", "co2_emissions", "energy", "duration",
                             "training_time"})


_UNIT_OF = {"hours_used": "hours", "emissions": "grams", "energy_consumed": "kWh"}


def _normalise(key: str) -> str:
    return key.strip().lower().replace(" ", "_").replace("-", "_")


def meant_key(key: str) -> str | None:
    """The known key a misspelled one most likely means, or None."""
    norm = _normalise(key)
    if norm in KNOWN_KEYS:
        return norm
    if norm in _SYNONYMS:
        return _SYNONYMS[norm]
    import difflib  # only for keys that are not known: most cards never get here

    close = difflib.get_close_matches(norm, KNOWN_KEYS, n=1, cutoff=0.8)
    return close[0] if close else None


def canonical_training_type(value: str) -> str | None:
    """The documented spelling meant by ``value``, or None when it means neither."""
    norm = " ".join(value.strip().lower().split())
    if norm in TRAINING_TYPES:
        return norm
    return _TRAINING_TYPE_SPELLINGS.get(norm) or _TRAINING_TYPE_SPELLINGS.get(norm.replace("-", ""))


@check("CL104")
def non_finite(context: Context) -> Iterator[Problem]:
    card = context.card
    for path, value in _numbers(context.co2_fields if context.co2_fields is not None else card.co2):
        if isinstance(value, float) and not math.isfinite(value):
            key = ".".join([CO2_KEY, *map(str, path)])
            yield Problem(
                "CL104", f"{key} is {value} ({'not a number' if math.isnan(value) else 'infinite'})",
                span=card.span_of(CO2_KEY, *path), key=key,
                suggestion="write the measured number, or remove co2_eq_emissions until it is known",
            )


def _numbers(co2: Any) -> Iterator[tuple[tuple[Any, ...], Any]]:
    if isinstance(co2, dict):
        for key, value in co2.items():
            yield (key,), value
    else:
        yield (), co2


@check("CL107")
def unknown_keys(context: Context) -> Iterator[Problem]:
    card = context.card
    co2 = context.co2_fields
    if co2 is None:
        return
    unknown = [k for k in co2 if k not in KNOWN_KEYS]
    meanings = Counter(meant_key(str(k)) for k in unknown)
    for key in co2:
        if key in KNOWN_KEYS:
            continue
        shown = f"{CO2_KEY}.{key}"
        meant = meant_key(str(key))
        fix = None
        if meant is not None and meant in co2:
            message = f"unknown key '{key}' in {CO2_KEY}; '{meant}' is given too, so this one is ignored"
            suggestion = f"remove '{key}'"
        elif meant is not None:
            message = f"unknown key '{key}' in {CO2_KEY}: did you mean '{meant}'? The Hub ignores '{key}'"
            suggestion = f"rename '{key}' to '{meant}'"
            if isinstance(key, str) and _normalise(key) in _UNIT_UNCERTAIN and meant in _UNIT_OF:
                # training_time: 107.9 is often seconds; renamed as it is, it would be hours.
                unit = _UNIT_OF[meant]
                message += f"; '{meant}' is in {unit}, and '{key}' does not say its unit"
                suggestion = f"give the value in {unit} as '{meant}' (convert it if it is not in {unit})"
            # Two keys meaning the same one would both become it: a duplicate. Leave those.
            if isinstance(key, str) and _normalise(key) not in _UNIT_UNCERTAIN and meanings[meant] == 1:
                key_node, _ = card.entry(CO2_KEY, key)
                if key_node is not None:
                    from carbonlint.fix import replace_node

                    fix = replace_node(card, key_node, meant, suggestion)
        else:
            message = (f"unknown key '{key}' in {CO2_KEY}; the Hub ignores it (known keys: "
                       f"{', '.join(SPEC_KEYS)}; extensions: {', '.join(EXTENSION_KEYS)})")
            suggestion = None
        yield Problem("CL107", message, span=card.span_of(CO2_KEY, key, key=True), key=shown,
                      suggestion=suggestion, fix=fix)


@check("CL109")
def training_type(context: Context) -> Iterator[Problem]:
    card = context.card
    co2 = context.co2_fields
    if co2 is None or not isinstance(co2.get("training_type"), str):
        return
    value = co2["training_type"]
    if value in TRAINING_TYPES:
        return
    key = f"{CO2_KEY}.training_type"
    meant = canonical_training_type(value)
    fix = None
    if meant is not None:
        message = f"training_type {value!r} is not the documented spelling: write '{meant}'"
        suggestion = f"write '{meant}'"
        _, node = card.entry(CO2_KEY, "training_type")
        if node is not None:
            from carbonlint.fix import in_node_style, replace_node

            fix = replace_node(card, node, in_node_style(node, meant), suggestion)
    else:
        message = (f"training_type {value!r} is neither 'pre-training' nor 'fine-tuning'; leave "
                   "the key out when the type is not known")
        suggestion = "write 'pre-training' or 'fine-tuning', or remove the key"
    yield Problem("CL109", message, span=card.span_of(CO2_KEY, "training_type"), key=key,
                  suggestion=suggestion, fix=fix)


@check("CL111")
def yaml_version(context: Context) -> Iterator[Problem]:
    card = context.card
    if not card.has_co2:
        return
    _, node = card.entry(CO2_KEY)
    nodes: list[tuple[str, yaml.Node]] = [(CO2_KEY, node)] if node is not None else []
    if isinstance(node, yaml.SequenceNode):  # a list of mappings (CL108): the keys of its items
        pairs = [p for item in node.value if isinstance(item, yaml.MappingNode) for p in item.value]
        nodes = [(f"{CO2_KEY}.{k.value}", v) for k, v in pairs if isinstance(k, yaml.ScalarNode)]
    if isinstance(node, yaml.MappingNode):
        nodes = [(f"{CO2_KEY}.{k.value}", v) for k, v in node.value if isinstance(k, yaml.ScalarNode)]
    # A value the schema rejects already has a finding that names the YAML reading.
    rejected = {".".join([CO2_KEY, *map(str, e.absolute_path)]) for e in context.schema_errors}
    for key, value_node in nodes:
        if key in rejected:
            continue
        readings = reads_differently(value_node)
        if readings is None:
            continue
        old, new = readings
        number = next((r for r in (old, new) if _is_number(r)), None)
        fix = f"write {format_grams(number)}" if number is not None and math.isfinite(number) else \
            f"quote it: '{value_node.value}'"
        yield Problem(
            "CL111",
            f"{key}: {value_node.value} is {_reading(old)} for PyYAML (YAML 1.1, which "
            f"huggingface_hub uses) but {_reading(new)} for YAML 1.2 parsers",
            span=card.span(value_node), key=key, suggestion=fix,
            fix=_digits_fix(card, value_node, old),
        )


def _digits_fix(card: Any, node: yaml.ScalarNode, old: Any) -> Any:
    """Write 24_700_000 as 24700000: the same digits, which both YAML versions read as the number
    PyYAML (and so the Hub) read. Anything else (010, 1:30) is a guess, and is not fixed."""
    from carbonlint.yaml12 import resolve_core

    digits = node.value.replace("_", "")
    if digits == node.value or not _is_number(old) or not math.isfinite(old):
        return None
    try:
        both = yaml.safe_load(digits), resolve_core(digits)
    except yaml.YAMLError:
        return None
    if not all(_is_number(r) and r == old for r in both):
        return None
    from carbonlint.fix import replace_node

    return replace_node(card, node, digits, f"write {digits}")


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _reading(value: Any) -> str:
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if _is_number(value):
        return f"the number {format_grams(value) if math.isfinite(value) else value}"
    return f"the text {value!r}"


@check("CL112")
def co2_key_misspelled(context: Context) -> Iterator[Problem]:
    card = context.card
    found: list[Problem] = []
    candidates: list[str] = []
    for key in card.metadata:
        if not isinstance(key, str) or key == CO2_KEY:
            continue
        norm = _normalise(key)
        # Cheap filter first: only keys that mention CO2 or carbon can be this misspelling.
        if not any(part in norm for part in ("co2", "carbon", "emission")):
            continue
        import difflib

        misspelled = norm == CO2_KEY or difflib.SequenceMatcher(None, norm, CO2_KEY).ratio() >= 0.85
        if misspelled or norm in ("co2_emissions", "co2_eq", "carbon_emissions", "co2eq_emissions"):
            also = " (co2_eq_emissions is given too, so this one is ignored)" if card.has_co2 else ""
            suggestion = "remove it" if card.has_co2 else f"rename '{key}' to 'co2_eq_emissions'"
            fix = None
            if misspelled and not card.has_co2:
                candidates.append(key)
                key_node, _ = card.entry(key)
                if key_node is not None:
                    from carbonlint.fix import replace_node

                    fix = replace_node(card, key_node, CO2_KEY, suggestion)
            found.append(Problem(
                "CL112",
                f"'{key}' is not read by the Hub: the key is 'co2_eq_emissions'{also}",
                span=card.span_of(key, key=True), key=key, suggestion=suggestion, fix=fix,
            ))
    for problem in found:
        # Two misspellings would both become co2_eq_emissions: which one is meant is a guess.
        yield problem if len(candidates) < 2 else problem._replace(fix=None)
