"""Fuzzing properties (issue 10): no card, however built, escapes as an exception, an internal
error, a broken machine-readable report or a hang.

The longer mutation fuzzer is bench/fuzz.py; every crasher it (or anyone) finds is kept in
tests/fuzz_regressions/ and replayed here.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import time_limit

from carbonlint.config import Config

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from fuzz import run_one  # noqa: E402 - the fuzzer's own check of one input

REGRESSIONS = Path(__file__).parent / "fuzz_regressions"


def assert_survives(data: bytes) -> None:
    """The whole pipeline on one card (bench/fuzz.py's run_one): read, every rule, every format."""
    with time_limit(20):
        failure = run_one(data, Config())
    assert failure is None, failure


FUZZ = settings(max_examples=80, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@FUZZ
@given(data=st.binary(max_size=2000))
def test_any_bytes(data: bytes) -> None:
    assert_survives(data)


@FUZZ
@given(data=st.binary(max_size=1000))
def test_any_bytes_as_front_matter(data: bytes) -> None:
    assert_survives(b"---\n" + data + b"\n---\n# Model\n")


SCALARS = st.one_of(
    st.sampled_from(["1" + "0" * 400, "9" * 4400, "5e-324", "1.0e+308", ".inf", "-.inf", ".nan",
                     "0x1F", "0o17", "1_000", "1:30:00", "2023-02-30", "2023-01-01", "~", "yes",
                     "'1.2 kg'", "8 x A100", "'1 x A100 " + "9" * 3000 + "'", "TPUv3-8", "us-east-1",
                     "\"\\u202e\\x1b[31m::warning::x\"", "'[a](https://e.x)'", "''", "-5", "0"]),
    st.integers().map(str),
    st.floats(allow_nan=False).map(repr),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20).map(json.dumps),
)
TAGS = st.sampled_from(["", "", "", "!!timestamp ", "!!bool ", "!!int ", "!!float ", "!!set ",
                        "!!map ", "!!seq ", "!!omap ", "!!str ", "!!null ", "!!binary ", "!!pairs "])
KEYS = st.sampled_from(["emissions", "source", "training_type", "geographical_location",
                        "hardware_used", "hours_used", "energy_consumed", "on_cloud", "x", "value",
                        "type", "name"])


@st.composite
def yaml_values(draw, depth: int = 0) -> str:
    """A YAML value in flow style, with any tag in front of any node."""
    kind = draw(st.integers(0, 2 if depth < 3 else 0))
    tag = draw(TAGS)
    if kind == 0:
        return tag + draw(SCALARS)
    if kind == 1:
        items = [draw(yaml_values(depth + 1)) for _ in range(draw(st.integers(0, 3)))]
        return tag + "[" + ", ".join(items) + "]"
    pairs = [f"{draw(KEYS)}: {draw(yaml_values(depth + 1))}" for _ in range(draw(st.integers(0, 3)))]
    return tag + "{" + ", ".join(pairs) + "}"


@FUZZ
@given(co2=yaml_values(), metric=yaml_values(), extra=yaml_values())
def test_any_yaml_in_the_places_carbonlint_reads(co2: str, metric: str, extra: str) -> None:
    text = ("---\npipeline_tag: text-classification\n"
            f"co2_eq_emissions: {co2}\n"
            "model-index:\n- name: m\n  results:\n  - task: {type: text-classification}\n"
            f"    metrics:\n    - type: accuracy\n      value: {metric}\n"
            f"x: {extra}\n---\n# Model\n")
    assert_survives(text.encode("utf-8", "surrogatepass"))


BODY_PIECES = st.sampled_from(
    ["Hardware Type:", "Hours used:", "Carbon Emitted:", "Compute Region:", "Cloud Provider:",
     "kg CO2", "tCO2eq", "kWh", "g of CO2", " 8 x A100", " TPUv3-8", " GPU", " hours", " days",
     "trained for ", "emitted ", "<td>", "</td>", "| --- |", "|", "```\n", "<!--", "-->", "\n",
     "- **", "**", ": ", "9" * 500, " " * 500, "1,000", "1.5", "0", "-", "\u202e", "\x1b[2J",
     "::error::x", "[x](https://e.x)", "(Forthcoming.)", "More information needed", "NaN"])


@FUZZ
@given(pieces=st.lists(st.one_of(BODY_PIECES, st.text(max_size=8)), max_size=80),
       co2=st.sampled_from(["5", "0", "'12 kg'", "{emissions: 5, hardware_used: 8 x A100, hours_used: 3}"]))
def test_any_body(pieces: list[str], co2: str) -> None:
    text = f"---\nco2_eq_emissions: {co2}\n---\n" + "".join(pieces)
    assert_survives(text.encode("utf-8", "surrogatepass"))


@pytest.mark.parametrize("path", sorted(REGRESSIONS.glob("*.md")), ids=lambda p: p.name)
def test_every_kept_crasher(path: Path) -> None:
    assert_survives(path.read_bytes())


def test_the_crasher_folder_is_not_empty() -> None:
    # The replay above must have something to replay: an empty folder would pass silently.
    assert len(list(REGRESSIONS.glob("*.md"))) >= 10


def test_an_org_run_on_the_hub_survives_every_kept_crasher(tmp_path: Path) -> None:
    """`carbonlint hub --author` through the real huggingface_hub client against the local Hub:
    one bad card (or odd Hub metadata) never ends the run; every model is reported."""
    import os
    import subprocess
    import sys

    from hub_server import FakeHub, FakeModel

    cards = sorted(REGRESSIONS.glob("*.md"))
    models = [FakeModel(id=f"acme/m{i:02d}", readme=p.read_bytes()) for i, p in enumerate(cards)]
    odd = {"parameters": {"F32": "many"}, "total": -1}  # metadata no Hub should send
    models.append(FakeModel(id="acme/odd-info", readme=b"---\nco2_eq_emissions: 5\n---\n", safetensors=odd))
    models.append(FakeModel(id="acme/good", readme=b"---\nco2_eq_emissions: 12\n---\n# Model\n"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "HUGGINGFACE_"))}
    with FakeHub(models) as hub:
        env.update(HF_ENDPOINT=hub.url, HF_HOME=str(tmp_path / "hf"), HF_HUB_DISABLE_TELEMETRY="1")
        done = subprocess.run([sys.executable, "-m", "carbonlint", "hub", "-f", "json", "--quiet",
                               "--author", "acme"], env=env, cwd=tmp_path, capture_output=True,
                              text=True, timeout=300, check=False)
    assert "Traceback" not in done.stderr, done.stderr
    document = json.loads(done.stdout)
    reported = {f["path"] for f in document["files"]}
    assert reported == {f"hf://{m.id}" for m in models}
    assert not any(f["error"] and "internal error" in f["error"] for f in document["files"]), [
        f["error"] for f in document["files"] if f["error"]]
    assert done.returncode == 1  # the crashers' findings are errors; not 2: nothing crashed
