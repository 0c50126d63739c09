"""The JSON Schemas in ``schemas/``, validated with ``jsonschema``.

``jsonschema`` takes about 140 ms to import (referencing, attrs, the bundled meta-schemas), three
times the rest of carbonlint's start-up, and a pre-commit hook pays start-up on every commit. Most
cards that report emissions are valid, so :func:`errors` first asks :func:`quick_valid`, a small
interpreter of the handful of keywords our schema uses. It never guesses: for any keyword it does
not know it answers ``None``; only a definite ``True`` skips ``jsonschema``. Anything else goes to
``jsonschema``, which alone produces the error messages. A property test checks that the two never
disagree.
"""

from __future__ import annotations

import functools
import math
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jsonschema

CO2_SCHEMA = "co2_eq_emissions.schema.json"

# Keywords that only annotate: they never make an instance invalid.
_ANNOTATIONS = frozenset(
    {"$schema", "$id", "$comment", "title", "description", "examples", "default", "$defs"}
)


def schema_path(name: str = CO2_SCHEMA) -> str:
    """Where a schema lives: inside the installed package, or ``schemas/`` of a source checkout."""
    from carbonlint.resources import path_of

    return path_of("schemas", name)


@functools.lru_cache(maxsize=None)
def load(name: str = CO2_SCHEMA) -> dict[str, Any]:
    import json

    from carbonlint.resources import read_text

    schema: dict[str, Any] = json.loads(read_text("schemas", name))
    return schema


@functools.lru_cache(maxsize=None)
def validator(name: str = CO2_SCHEMA) -> jsonschema.protocols.Validator:
    import jsonschema

    schema = load(name)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def errors(instance: Any, name: str = CO2_SCHEMA) -> list[jsonschema.ValidationError]:
    """Every validation error of ``instance``, in document order; [] when it is valid."""
    if quick_valid(load(name), instance, load(name)) is True:
        return []
    found = list(validator(name).iter_errors(instance))
    return sorted(found, key=lambda e: [str(p) for p in e.absolute_path])


def quick_valid(schema: Any, instance: Any, root: dict[str, Any]) -> bool | None:
    """True or False where certain under JSON Schema semantics, None where not sure."""
    if schema is True:
        return True
    if schema is False:
        return False
    if not isinstance(schema, dict):
        return None
    verdict: bool | None = True
    for keyword, value in schema.items():
        if keyword in _ANNOTATIONS:
            continue
        check = _KEYWORDS.get(keyword)
        if check is None:
            return None
        result = check(value, instance, schema, root)
        if result is False:
            return False
        if result is None:
            verdict = None
    return verdict


def _is_type(instance: Any, name: str) -> bool | None:
    if name == "number":
        return isinstance(instance, (int, float)) and not isinstance(instance, bool)
    if name == "integer":
        if isinstance(instance, bool):
            return False
        if isinstance(instance, int):
            return True
        return isinstance(instance, float) and math.isfinite(instance) and instance.is_integer()
    simple = {"string": str, "object": dict, "array": list, "boolean": bool}
    if name in simple:
        return isinstance(instance, simple[name])
    if name == "null":
        return instance is None
    return None


def _type(value: Any, instance: Any, schema: dict[str, Any], root: dict[str, Any]) -> bool | None:
    names = value if isinstance(value, list) else [value]
    results = [_is_type(instance, n) for n in names]
    if any(r is True for r in results):
        return True
    return None if any(r is None for r in results) else False


def _minimum(value: Any, instance: Any, schema: dict[str, Any], root: dict[str, Any]) -> bool | None:
    if not _is_type(instance, "number"):
        return True
    return not instance < value  # as jsonschema: NaN is not "less than", so it passes


def _required(value: Any, instance: Any, schema: dict[str, Any], root: dict[str, Any]) -> bool | None:
    return not isinstance(instance, dict) or all(k in instance for k in value)


def _properties(value: Any, instance: Any, schema: dict[str, Any], root: dict[str, Any]) -> bool | None:
    if not isinstance(instance, dict):
        return True
    verdict: bool | None = True
    for key, subschema in value.items():
        if key in instance:
            result = quick_valid(subschema, instance[key], root)
            if result is False:
                return False
            if result is None:
                verdict = None
    return verdict


def _if(value: Any, instance: Any, schema: dict[str, Any], root: dict[str, Any]) -> bool | None:
    condition = quick_valid(value, instance, root)
    if condition is None:
        return None
    branch = schema.get("then" if condition else "else", True)
    return quick_valid(branch, instance, root)


def _branch(value: Any, instance: Any, schema: dict[str, Any], root: dict[str, Any]) -> bool | None:
    return True  # "then"/"else" are applied by "if"; alone they do nothing


def _ref(value: Any, instance: Any, schema: dict[str, Any], root: dict[str, Any]) -> bool | None:
    if not isinstance(value, str) or not value.startswith("#/"):
        return None
    target: Any = root
    for part in value[2:].split("/"):
        if not isinstance(target, dict) or part not in target:
            return None
        target = target[part]
    return quick_valid(target, instance, root)


_KEYWORDS = {
    "type": _type,
    "minimum": _minimum,
    "required": _required,
    "properties": _properties,
    "if": _if,
    "then": _branch,
    "else": _branch,
    "$ref": _ref,
}
