"""Hostile input: every case is a finding on that card, never a traceback, and the run goes on."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carbonlint.card import parse_card
from conftest import codes, lint_bytes, lint_text

BILLION_LAUGHS = "---\n" + "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]\n" for i in range(1, 10)
) + "co2_eq_emissions: *a9\n---\n"


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("invalid yaml", "---\nco2_eq_emissions: [1, 2\nlicense: mit\n---\n", "CL001"),
        ("tab indentation", "---\nco2_eq_emissions:\n\temissions: 1\n---\n", "CL001"),
        ("python tag", "---\nco2_eq_emissions: !!python/object/apply:os.system [ls]\n---\n", "CL001"),
        ("list front matter", "---\n- co2_eq_emissions: 1\n---\n", "CL002"),
        ("scalar front matter", "---\njust text\n---\n", "CL002"),
        ("alias bomb", BILLION_LAUGHS, "CL005"),
        ("recursive alias", "---\nco2_eq_emissions: &a [*a]\n---\n", "CL005"),
        ("deep flow nesting", "---\na: " + "[" * 200_000 + "]" * 200_000 + "\n---\n", "CL005"),
        ("deep block nesting", "---\n" + "- " * 100_000 + "x\n---\n", "CL005"),
        ("moderately deep", "---\na: " + "[" * 300 + "]" * 300 + "\n---\n", "CL005"),
        ("unclosed", "---\nco2_eq_emissions: 1\n", "CL006"),
        ("nul bytes", "---\nco2_eq_emissions: 1\n---\n\x00\x01", "CL004"),
    ],
)
def test_hostile_text_gives_a_finding(name: str, text: str, expected: str) -> None:
    report = lint_text(text)
    assert expected in codes(report), (name, report.findings)
    assert report.error is None


def test_alias_bomb_is_refused_quickly() -> None:
    import time

    start = time.perf_counter()
    lint_text(BILLION_LAUGHS)
    # Not a benchmark: a walk of the expanded tree would take minutes, the memoised one ms.
    assert time.perf_counter() - start < 5


def test_ordinary_aliases_are_fine() -> None:
    report = lint_text("---\nx: &hw 8 x A100\nco2_eq_emissions:\n  emissions: 5\n  hardware_used: *hw\n---\n",
                       select=("CL0", "CL1"))
    assert codes(report) == []
    assert report.reporting_class == "awareness"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("---\nco2_eq_emissions:\n  geographical_location: Qu\xe9bec\n---\n".encode("latin-1"), "not UTF-8"),
        ("---\nco2_eq_emissions: 1\n---\n".encode("utf-16"), "UTF-16"),
        (bytes(range(256)) * 4, "binary data"),
    ],
)
def test_undecodable_bytes(raw: bytes, message: str) -> None:
    report = lint_bytes(raw)
    (finding,) = report.findings
    assert finding.code == "CL004" and message in finding.message


def test_latin1_position_points_at_the_bad_byte() -> None:
    raw = "---\nco2_eq_emissions:\n  geographical_location: Qu\xe9bec\n---\n".encode("latin-1")
    (finding,) = lint_bytes(raw).findings
    assert (finding.line, finding.column) == (3, 28)


def test_empty_file() -> None:
    report = lint_bytes(b"")
    assert report.findings == [] and report.reporting_class == "unknown"


def test_empty_front_matter() -> None:
    report = lint_text("---\n\n---\n# body\n")
    assert report.findings == [] and report.reporting_class == "unknown"


def test_fifty_megabyte_card(tmp_path) -> None:
    from carbonlint.checker import check_paths
    from carbonlint.config import Config

    path = tmp_path / "README.md"
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("---\nco2_eq_emissions: -5\n---\n")
        line = "Lorem ipsum dolor sit amet, 5.6 kg of text that is not a report. " * 8 + "\n"
        handle.write(line * (50_000_000 // len(line) + 1))
    assert os.path.getsize(path) > 50_000_000
    (report,) = check_paths([str(path)], Config())
    assert codes(report) == ["CL103"]


def test_huge_front_matter_is_refused() -> None:
    text = "---\nwidget: '" + "x" * 10_000_001 + "'\nco2_eq_emissions: 1\n---\n"
    assert codes(lint_text(text)) == ["CL005"]


def test_one_bad_file_does_not_stop_the_run(tmp_path) -> None:
    from carbonlint.checker import check_paths
    from carbonlint.config import Config

    (tmp_path / "a.md").write_bytes(b"\xff\xfe\x00garbage")
    (tmp_path / "b.md").write_text("---\nco2_eq_emissions: 12\n---\n")
    reports = list(check_paths([str(tmp_path / "a.md"), str(tmp_path / "missing.md"),
                                str(tmp_path / "b.md")], Config(select=("CL0", "CL1"))))
    assert [codes(r) for r in reports] == [["CL004"], [], []]
    assert reports[1].error == "no such file"
    assert reports[2].emissions_g == 12


# -- property-based ------------------------------------------------------------------------------

yaml_ish = st.text(
    alphabet=st.sampled_from(list("abc:-[]{}&*!|>'\"#\n\t ,.?%@`0129eE_+~\r\u2028\x85é")), max_size=200
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(front=yaml_ish, body=st.text(max_size=50))
def test_reader_and_checker_never_raise(front: str, body: str) -> None:
    text = "---\n" + front + "\n---\n" + body
    card = parse_card(text)
    for problem in card.problems:
        assert problem.span is None or 1 <= problem.span.line <= text.count("\n") + text.count("\r") + 2
    report = lint_text(text)
    assert report.error is None


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(st.sampled_from(["emissions", "source", "hardware_used", "training_type",
                                       "geographical_location", "energy_consumed", "hours_used",
                                       "on_cloud", "x"]), children, max_size=4),
    max_leaves=10,
)


@settings(max_examples=300, deadline=None)
@given(value=json_values)
def test_any_co2_value_is_checked_without_crashing(value: object) -> None:
    import yaml

    text = "---\n" + yaml.safe_dump({"co2_eq_emissions": value}) + "---\n"
    report = lint_text(text)
    assert report.error is None
    for finding in report.findings:
        assert finding.span is not None, finding


# Bodies built from the pieces the prose reader looks for, in any order and mix.
body_text = st.lists(
    st.sampled_from(list("0123456789.,: -*#`~<>!\n\r\tkgtCOco2₂eqWhMh xA100V TPUv3-8")
                    + ["kg", "CO2", "tonnes", "kWh", "hours", "trained for", "emitted",
                       "Hardware Type:", "Carbon Emitted:", "Compute Region:", "GPU Model",
                       "[More Information Needed]", "<!--", "-->", "```", "us-east-1",
                       "France", "\u2028", "é"]),
    max_size=120,
).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=body_text, value=st.sampled_from(["0", "5.6", "1200", "-1", "'1.2 kg'", "TBD", ".nan"]),
       extra=st.sampled_from(["", "\n  hardware_used: 8 x A100", "\n  hours_used: 36",
                              "\n  energy_consumed: 0.03", "\n  geographical_location: France"]))
def test_every_rule_survives_any_body(body: str, value: str, extra: str) -> None:
    text = f"---\npipeline_tag: text-classification\nco2_eq_emissions:\n  emissions: {value}{extra}\n---\n{body}"
    report = lint_text(text)
    assert report.error is None, report.error
    lines = text.count("\n") + text.count("\r") + 2
    for finding in report.findings:
        assert finding.span is None or 1 <= finding.span.line <= lines
