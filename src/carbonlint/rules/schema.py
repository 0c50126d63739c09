"""Schema rules (CL1xx, from one ``jsonschema`` pass): ``co2_eq_emissions`` breaks the Hub's spec.

``schemas/co2_eq_emissions.schema.json`` is the specification. Each validation error becomes one
finding at the position of the offending value, under the code that says what is wrong in a
person's words: a string with a unit gets the value in grams, a boolean gets "YAML read yes as
true", and so on. Rules that the schema cannot express (unknown keys, training_type values,
YAML 1.1 readings, NaN) are in :mod:`carbonlint.rules.values`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterator

from carbonlint.card import CO2_KEY
from carbonlint.findings import Category, Problem, Severity
from carbonlint.rules import check, rule
from carbonlint.units import extension_unit, format_grams, parse_extension_value, parse_quantity
from carbonlint.yaml12 import reads_differently

if TYPE_CHECKING:
    from carbonlint.checker import Context

S, E = Category.SCHEMA, Severity.ERROR

rule(
    "CL101", "emissions-missing", S, E,
    "The co2_eq_emissions mapping has no 'emissions' key.",
    """
    In its mapping form, co2_eq_emissions must hold the number of grams under 'emissions'; the
    other keys only describe it. Without it the Hub shows no emissions for the model.
    """,
    failing="""
    ---
    co2_eq_emissions:
      source: CodeCarbon
      hardware_used: 1 x A100
    ---
    """,
    passing="""
    ---
    co2_eq_emissions:
      emissions: 512.3
      source: CodeCarbon
      hardware_used: 1 x A100
    ---
    """,
)

rule(
    "CL102", "not-a-number", S, E,
    "An emissions value (or a numeric extension key) is not a number.",
    """
    co2_eq_emissions (or its 'emissions' key) must be a number of grams; so must the extension
    keys energy_consumed (kWh), hours_used and ram_total_size (GB). Empty values, placeholders
    such as TBD, lists and mappings are not numbers, and the Hub cannot show them. An extension
    key written with its unit ("hours_used: 504 hours", "energy_consumed: 850 Wh") gets the
    number in the key's unit (504; 0.85), and carbonlint fix writes it.
    """,
    failing="""
    ---
    co2_eq_emissions:
      emissions: TBD
    ---
    """,
    passing="""
    ---
    co2_eq_emissions:
      emissions: 1520.4
    ---
    """,    fixable=True,
)

rule(
    "CL103", "negative-value", S, E,
    "An emissions, energy or duration value is negative.",
    """
    Training cannot emit a negative amount of CO2, consume negative energy or last negative
    hours. A minus sign is usually a typo, or a "net" figure after offsets, which the spec does not
    cover: report gross emissions and describe offsets in the card's text.
    """,
    failing="""
    ---
    co2_eq_emissions: -150
    ---
    """,
    passing="""
    ---
    co2_eq_emissions: 150
    ---
    """,
)

rule(
    "CL105", "boolean-value", S, E,
    "A value is a boolean where a number or text is expected.",
    """
    PyYAML (YAML 1.1) reads the plain words yes, no, on, off, true and false as booleans. In
    co2_eq_emissions only on_cloud is a boolean: anywhere else the word was meant as text, or a
    number is missing. Quote the text ('no') or write the number.
    """,
    failing="""
    ---
    co2_eq_emissions:
      emissions: 80.2
      hardware_used: no
    ---
    """,
    passing="""
    ---
    co2_eq_emissions:
      emissions: 80.2
      hardware_used: 'no'
    ---
    """,
)

rule(
    "CL106", "number-as-string", S, E,
    "An emissions value is written as text, often with a unit; the spec wants grams as a number.",
    """
    The Hub reads "1.2 kg" or "0.21 in grams of CO2" as text, not as an amount: the emissions do
    not show and tools that read the metadata skip the model. Write the number of grams, without
    quotes or unit: "1.2 kg" is 1200, "24.7 tonnes" is 24700000. carbonlint fix writes it, except
    for a figure with a comma ("1,200 g"), which is 1.2 in some languages and 1200 in others,
    and except when the number itself looks wrong: when the card's hardware and hours, its
    energy_consumed or its text contradict it ("0.21 in grams of CO2" for 1.5 hours on a P100,
    a calculator's kilograms), respelling it would lock in the wrong amount. The message then
    says why, and where a unit slip explains the gap the corrected number is offered as an
    unsafe fix (carbonlint fix --unsafe-fixes).
    """,
    failing="""
    ---
    co2_eq_emissions:
      emissions: "1.2 kg"
    ---
    """,
    passing="""
    ---
    co2_eq_emissions:
      emissions: 1200
    ---
    """,
    fixable=True,
)

rule(
    "CL108", "list-not-mapping", S, E,
    "co2_eq_emissions is a list; the spec wants a number or a mapping.",
    """
    A list of one-key entries (``- emissions: 12``), or one dash before the whole mapping, looks
    like a mapping but is a sequence: the Hub finds no 'emissions' key in it. Remove the dashes.
    carbonlint fix does, when every entry is a mapping and no key repeats. What the entries hold
    is checked in the same run (a unit in the number, a misspelled key), so that one reading
    shows every problem.
    """,
    failing="""
    ---
    co2_eq_emissions:
      - emissions: 12.5
      - source: CodeCarbon
    ---
    """,
    passing="""
    ---
    co2_eq_emissions:
      emissions: 12.5
      source: CodeCarbon
    ---
    """,
    fixable=True,
)

rule(
    "CL110", "not-a-string", S, E,
    "A descriptive key (source, training_type, geographical_location, hardware_used) is not text.",
    """
    The spec's descriptive keys are strings. A list of hardware, a mapping of locations or a bare
    number is not shown by the Hub and not read by tools: join the items into one string
    ("8 x A100, 2 x AMD EPYC 7763").
    """,
    failing="""
    ---
    co2_eq_emissions:
      emissions: 1500
      hardware_used:
        - 8 x A100
    ---
    """,
    passing="""
    ---
    co2_eq_emissions:
      emissions: 1500
      hardware_used: 8 x A100
    ---
    """,
)


def _describe(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, str):
        return f"the text {value!r}"
    return f"a {type(value).__name__} ({value})"


def _where(path: tuple[Any, ...]) -> str:
    return ".".join([CO2_KEY, *map(str, path)])


@check("CL101", "CL102", "CL103", "CL105", "CL106", "CL108", "CL110")
def schema_errors(context: Context) -> Iterator[Problem]:
    card = context.card
    for error in context.schema_errors:
        path = tuple(error.absolute_path)
        key = _where(path)
        span = card.span_of(CO2_KEY, *path) or card.span_of(CO2_KEY, key=True)
        value = error.instance
        if error.validator == "required":
            yield Problem(
                "CL101",
                "co2_eq_emissions has no 'emissions' key: the number of grams is missing",
                span=card.span_of(CO2_KEY, key=True), key=f"{CO2_KEY}.emissions",
                suggestion="add 'emissions: <grams of CO2>' to the mapping",
            )
        elif error.validator == "minimum":
            yield Problem(
                "CL103", f"{key} is negative ({value}); it must be 0 or more",
                span=span, key=key, suggestion=f"write {format_grams(abs(value))} if the sign is a typo",
            )
        elif error.validator == "type":
            expected = error.validator_value
            problem = _type_problem(context, path, key, span, value, expected)
            if problem is not None:
                yield problem
        else:  # a keyword a future schema adds: still a finding, in jsonschema's words
            yield Problem("CL102", f"{key}: {error.message}", span=span, key=key)


def _type_problem(context: Context, path: tuple[Any, ...], key: str, span: Any, value: Any,
                  expected: str) -> Problem | None:
    card = context.card
    if isinstance(value, bool):
        _, node = card.entry(CO2_KEY, *path)
        written = node.value if node is not None and hasattr(node, "value") else str(value)
        wanted = "a number" if expected == "number" else "text"
        return Problem(
            "CL105",
            f"{key} is the boolean {str(value).lower()} (YAML reads '{written}' that way), not "
            f"{wanted}",
            span=span, key=key,
            suggestion=f"quote it: '{written}'" if expected == "string" else "write the number",
        )
    if expected == "number":
        if isinstance(value, list) and not path:
            return Problem(
                "CL108",
                "co2_eq_emissions is a list; write a mapping (without the dashes) or a number",
                span=span, key=key, suggestion=_list_suggestion(value), fix=_list_fix(context),
            )
        if isinstance(value, str):
            _, node = card.entry(CO2_KEY, *path)
            readings = reads_differently(node) if node is not None else None
            if readings is not None and isinstance(readings[1], (int, float)):
                number = format_grams(readings[1])
                return Problem(
                    "CL106",
                    f"{key}: {value} is text for PyYAML (YAML 1.1, used by huggingface_hub), "
                    "which wants a dot and a signed exponent (1.0e+3); YAML 1.2 reads a number",
                    span=span, key=key, suggestion=f"write {number}",
                    fix=_number_fix(context, node, number),
                )
            quantity = parse_quantity(value)
            if (len(path) == 1 and extension_unit(str(path[0])) is not None
                    and (quantity is None or quantity.unit)):
                # "504 hours": a unit of the key's own quantity (a plain "12" is CL106 below).
                return _extension_text(context, key, span, node, str(path[0]), value)
            if quantity is not None:
                unit = f" {quantity.unit}" if quantity.unit else ""
                grams = format_grams(quantity.grams)
                # A unit is only grams in the emissions fields; a comma may be a decimal comma.
                certain = (not quantity.unit or path in ((), ("emissions",))) and "," not in value
                converted = (f" ({format_grams(quantity.number)}{unit} is {grams} g)"
                             if quantity.unit not in ("", "g") else "")
                suggestion = (f"write {grams}" if "," not in value else
                              f"write {grams} (or the decimal number, if the comma is a decimal comma)")
                fix = _number_fix(context, node, grams) if certain else None
                doubt = _doubt(context, path, quantity.grams)
                if doubt is not None:
                    # Respelling a number that another rule calls wrong would lock it in: no
                    # safe fix; the corrected reading only as an unsafe one, and only when the
                    # evidence points at a unit slip.
                    converted += f"; but {doubt.reason}"
                    fix, suggestion = None, "check the number before writing it as grams"
                    if doubt.corrected_g is not None and node is not None:
                        corrected = format_grams(doubt.corrected_g)
                        reading = "kilograms" if doubt.corrected_g > quantity.grams else "milligrams"
                        suggestion = f"if the figure is {reading}, write {corrected}"
                        from carbonlint.fix import replace_node

                        fix = replace_node(context.card, node, corrected, f"write {corrected}",
                                           unsafe=True)
                return Problem(
                    "CL106",
                    f"{key} is the text {value!r}, not a number: the spec wants grams{converted}",
                    span=span, key=key, suggestion=suggestion, fix=fix,
                )
        what = "grams of CO2" if not path or path == ("emissions",) else "a number"
        return Problem(
            "CL102", f"{key} is {_describe(value)}, not a number ({what})", span=span, key=key,
            suggestion="write the number of grams, or remove co2_eq_emissions until it is known"
            if what == "grams of CO2" else None,
        )
    if expected == "string":
        return Problem(
            "CL110", f"{key} is {_describe(value)}; the spec wants text", span=span, key=key,
            suggestion="join the items into one string" if isinstance(value, list) else None,
        )
    return Problem("CL102", f"{key} is {_describe(value)}, not {expected}", span=span, key=key)


def _extension_text(context: Context, key: str, span: Any, node: Any, name: str,
                    value: str) -> Problem:
    """An extension key written with its unit ("hours_used: 504 hours"): the number it means."""
    unit_name = extension_unit(name)
    reading = parse_extension_value(name, value)
    if reading is None:
        return Problem("CL102", f"{key} is the text {value!r}, not a number (of {unit_name})",
                       span=span, key=key,
                       suggestion=f"write the number of {unit_name}, without a unit")
    number = format_grams(reading.value)
    converted = ("" if reading.value == reading.number else
                 f"; {format_grams(reading.number)} {reading.unit} is {number} {unit_name}")
    return Problem(
        "CL102",
        f"{key} is the text {value!r}, not a number: the key holds {unit_name} as a plain "
        f"number{converted}",
        span=span, key=key, suggestion=f"write {number}", fix=_number_fix(context, node, number),
    )


def _doubt(context: Context, path: tuple[Any, ...], grams: float) -> Any:
    """Evidence that the emissions number is wrong (judge.number_doubted); None elsewhere."""
    if path not in ((), ("emissions",)):
        return None
    from carbonlint.judge import number_doubted

    return number_doubted(context, grams)


def _number_fix(context: Context, node: Any, number: str) -> Any:
    """The fix that writes a text value as the plain number it means."""
    from carbonlint.fix import replace_node

    if node is None or not isinstance(number, str):
        return None
    return replace_node(context.card, node, number, f"write {number}")


def _list_fix(context: Context) -> Any:
    """The fix that removes the dashes of a list of mappings."""
    from carbonlint.fix import sequence_to_mapping

    _, node = context.card.entry(CO2_KEY)
    replacement = sequence_to_mapping(context.card, node) if node is not None else None
    if replacement is None:
        return None
    from carbonlint.fix import replace_node

    return replace_node(context.card, node, replacement, "write the entries as one mapping")


def _list_suggestion(value: list[Any]) -> str | None:
    if not value or not all(isinstance(item, dict) and item for item in value):
        return None
    keys = [key for item in value for key in item]
    if len(set(map(str, keys))) < len(keys):
        return None  # a key repeats: which entry is meant is the author's call
    return "remove the dash: the entries are one mapping" if len(value) == 1 else \
        "remove the dashes: the entries are one mapping"
