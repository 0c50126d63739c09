"""The schema file, its packaging, and the fast path that must agree with jsonschema."""

from __future__ import annotations

import json
import math
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carbonlint import schema

REPO = Path(__file__).resolve().parents[1]


def test_schema_is_valid_2020_12() -> None:
    loaded = schema.load()
    assert loaded["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(loaded)


def test_installed_schema_is_the_repository_schema() -> None:
    """schemas/ is the single source; the package carries an identical copy."""
    import carbonlint

    shipped = Path(schema.schema_path())
    source = REPO / "schemas" / schema.CO2_SCHEMA
    package = Path(carbonlint.__file__).resolve().parent
    # Installed (as in CI): the copy inside the package; from a checkout's src/: schemas/ itself.
    in_checkout = package == REPO / "src" / "carbonlint"
    assert shipped.parent == (REPO / "schemas" if in_checkout else package / "schemas")
    assert json.loads(shipped.read_text()) == json.loads(source.read_text())


def valid(instance: object) -> bool:
    return jsonschema.Draft202012Validator(schema.load()).is_valid(instance)


@pytest.mark.parametrize(
    "instance",
    [0, 12.5, -1, "12", True, None, [], {}, {"emissions": 1}, {"emissions": -1},
     {"emissions": 1, "source": 3}, {"emissions": 1, "on_cloud": "no"}, {"emissions": True},
     {"emissions": 1, "unknown": [1]}, float("nan"), float("inf"), {"emissions": 1, "hours_used": -2}],
)
def test_quick_path_agrees_on_known_cases(instance: object) -> None:
    quick = schema.quick_valid(schema.load(), instance, schema.load())
    assert quick is not None
    assert quick == valid(instance)
    assert (schema.errors(instance) == []) == valid(instance)


leaves = st.none() | st.booleans() | st.integers(-5, 5) | st.floats(allow_nan=True) | st.text(max_size=4)
instances = st.recursive(
    leaves,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(
        st.sampled_from(["emissions", "source", "training_type", "geographical_location",
                         "hardware_used", "energy_consumed", "hours_used", "on_cloud", "cpu_model",
                         "ram_total_size", "other"]), children, max_size=5),
    max_leaves=12,
)


@settings(max_examples=1500, deadline=None)
@given(instances)
def test_quick_path_never_disagrees_with_jsonschema(instance: object) -> None:
    quick = schema.quick_valid(schema.load(), instance, schema.load())
    if quick is not None:
        assert quick == valid(instance)


def test_quick_path_defers_on_unknown_keywords() -> None:
    assert schema.quick_valid({"type": "string", "pattern": "^a"}, "b", {}) is None
    assert schema.quick_valid({"type": "string", "pattern": "^a"}, 3, {}) is False


def test_nan_passes_the_schema_like_jsonschema_says() -> None:
    # NaN is a number and is not "less than" 0: the schema cannot refuse it, CL104 does.
    assert valid(math.nan) and schema.errors(math.nan) == []


def test_validation_does_not_import_jsonschema_for_valid_values() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from carbonlint import schema; "
        "assert schema.errors({'emissions': 5, 'source': 'x'}) == []; "
        "print('jsonschema' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
