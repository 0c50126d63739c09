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


def test_a_card_over_the_size_limit_is_reported_and_not_read(tmp_path) -> None:
    from carbonlint.card import MAX_CARD_BYTES
    from carbonlint.checker import check_paths
    from carbonlint.config import Config

    path = tmp_path / "README.md"
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("---\nco2_eq_emissions: -5\n---\n")
        line = "Lorem ipsum dolor sit amet, 5.6 kg of text that is not a report. " * 8 + "\n"
        handle.write(line * (MAX_CARD_BYTES // len(line) + 1))
    (report,) = check_paths([str(path)], Config())
    assert report.findings == [] and not report.internal_error
    assert report.error is not None and "over carbonlint's limit of 10,000,000" in report.error


def test_a_card_just_under_the_size_limit_is_checked(tmp_path) -> None:
    from carbonlint.card import MAX_CARD_BYTES
    from carbonlint.checker import check_paths
    from carbonlint.config import Config

    path = tmp_path / "README.md"
    line = "Lorem ipsum dolor sit amet, 5.6 kg of text that is not a report. " * 8 + "\n"
    path.write_text("---\nco2_eq_emissions: -5\n---\n" + line * (MAX_CARD_BYTES // len(line) - 1))
    (report,) = check_paths([str(path)], Config())
    assert codes(report) == ["CL103"] and report.error is None


def test_huge_front_matter_is_refused() -> None:
    text = "---\nwidget: '" + "x" * 1_000_001 + "'\nco2_eq_emissions: 1\n---\n"
    assert codes(lint_text(text)) == ["CL005"]


@pytest.mark.parametrize("values", [
    "a: [" + "1," * 60_000 + "1]",                           # a flow list
    "".join(f"k{i}: {i}\n" for i in range(30_000)),           # keys
    "a:\n" + "- x\n" * 60_000,                               # a block list
])
def test_too_many_values_are_refused_before_they_are_composed(values: str) -> None:
    report = lint_text("---\n" + values + "\nco2_eq_emissions: 1\n---\n")
    assert codes(report) == ["CL005"]
    assert "more than 50,000 values" in report.findings[0].message


def test_a_large_but_ordinary_front_matter_is_read() -> None:
    widget = "".join(f"- text: 'Example {i}: a sentence, with commas - and dashes.'\n" for i in range(2000))
    report = lint_text("---\nwidget:\n" + widget + "co2_eq_emissions: 5\n---\n", select=("CL0",))
    assert codes(report) == [] and report.emissions_g == 5


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


# -- one card never stops the others (issue 10) --------------------------------------------------

WRONG_TAGS = ["!!timestamp x", "!!bool 1500", "!!set a", "!!map a", "!!seq a", "!!omap a",
              "!!int x", "!!float abc", "!!binary a", "!!timestamp 2023-02-30"]


def _placed(value: str) -> list[str]:
    return [
        f"x: {value}",
        f"co2_eq_emissions:\n  emissions: {value}",
        f"co2_eq_emissions: {value}",
        "model-index:\n- name: m\n  results:\n  - task: {type: text-classification}\n"
        f"    metrics:\n    - type: accuracy\n      value: {value}",
    ]


@pytest.mark.parametrize("text", [t for v in WRONG_TAGS for t in _placed(v)])
def test_a_value_its_tag_cannot_build_is_cl001(text: str) -> None:
    report = lint_text("---\n" + text + "\n---\n")
    assert codes(report) == ["CL001"], report.findings
    assert report.error is None
    assert "please report" not in report.findings[0].message


BIG = "1" + "0" * 400


@pytest.mark.parametrize("text", [
    f"co2_eq_emissions: {BIG}",
    f"co2_eq_emissions: -{BIG}",
    f"co2_eq_emissions:\n  emissions: 5\n  hours_used: {BIG}\n  hardware_used: 8 x A100",
    f"co2_eq_emissions:\n  emissions: {'9' * 5000}",
    f"co2_eq_emissions:\n  emissions: {BIG}\n  energy_consumed: {BIG}",
])
def test_integers_beyond_float_range_are_infinite_values(text: str) -> None:
    report = lint_text("---\n" + text + "\n---\n")
    assert report.error is None
    cl104 = [f for f in report.findings if f.code == "CL104"]
    assert cl104, report.findings
    assert "characters)" in cl104[0].message  # the card's digits, shortened, not "inf"


@pytest.mark.parametrize("text", [
    "model-index:\n- name: m\n  results:\n  - task: {type: text-classification}\n"
    f"    metrics:\n    - type: accuracy\n      value: {BIG}\nco2_eq_emissions: 5",
    "co2_eq_emissions:\n  emissions: 5e-324\n  hardware_used: 1 x A100\n  hours_used: 10",
    "co2_eq_emissions:\n  emissions: 5.0e-324\n  hardware_used: 1 x A100\n  hours_used: 10",
    f"co2_eq_emissions:\n  emissions: 5\n  hardware_used: {'9' * 4400} x A100\n  hours_used: 10",
    f"co2_eq_emissions:\n  emissions: 5\n  hardware_used: {'9' * 399} x A100\n  hours_used: 10",
    "co2_eq_emissions:\n  emissions: 1.0e+308\n  hardware_used: 8 x A100\n  hours_used: 1.0e+308",
])
def test_extreme_numbers_are_judged_without_an_internal_error(text: str) -> None:
    report = lint_text("---\npipeline_tag: text-classification\n" + text + "\n---\n")
    assert report.error is None and not report.internal_error


def test_every_card_is_reported_when_some_are_hostile(tmp_path, run) -> None:
    import json

    bodies = [f"x: {v}" for v in WRONG_TAGS] + [f"co2_eq_emissions: {BIG}", "co2_eq_emissions: 12"]
    paths = []
    for index, body in enumerate(bodies):
        folder = tmp_path / f"m{index:02d}"
        folder.mkdir()
        (folder / "README.md").write_text("---\n" + body + "\n---\n")
        paths.append(str(folder / "README.md"))
    code, out, err = run("check", "--format", "json", str(tmp_path))
    assert code == 1 and err == ""
    files = json.loads(out)["files"]
    assert [f["path"] for f in files] == paths
    assert all(f["error"] is None for f in files)
    assert files[-1]["emissions_g"] == 12


def test_a_bug_in_one_check_keeps_the_other_findings(monkeypatch) -> None:
    from carbonlint import rules

    def explode(context):
        raise RuntimeError("boom")
        yield  # pragma: no cover - makes this a generator, as every check is

    # Every check that can report CL2xx breaks; the value checks (CL1xx) still run.
    patched = [c._replace(function=explode) if any(code.startswith("CL2") for code in c.codes) else c
               for c in rules.all_checks()]
    monkeypatch.setattr("carbonlint.checker.all_checks", lambda: patched)
    report = lint_text("---\nco2_eq_emissions: -5\n---\n")
    assert codes(report) == ["CL103"]
    assert report.internal_error and "boom" in report.error and "please report" in report.error


def test_a_bug_while_grading_is_an_error_on_that_card(monkeypatch) -> None:
    def explode(*args, **kwargs):
        raise RuntimeError("grader bug")

    monkeypatch.setattr("carbonlint.checker.grade", explode)
    report = lint_text("---\nco2_eq_emissions: 5\n---\n")
    assert report.internal_error and "grader bug" in report.error


# -- files that are not cards -----------------------------------------------------------------------


def test_a_fifo_is_reported_not_waited_for(tmp_path) -> None:
    from carbonlint.checker import check_paths
    from carbonlint.config import Config

    os.mkfifo(tmp_path / "README.md")
    (report,) = check_paths([str(tmp_path)], Config())  # found by the directory walk too
    assert report.error == "not a regular file (a FIFO); it was not read"


def test_a_link_to_a_device_is_reported_not_read(tmp_path) -> None:
    from carbonlint.checker import check_paths
    from carbonlint.config import Config

    os.symlink("/dev/zero", tmp_path / "README.md")
    (report,) = check_paths([str(tmp_path / "README.md")], Config())
    assert report.error == "not a regular file (a character device); it was not read"


# -- nesting, whatever libyaml is installed -----------------------------------------------------------


@pytest.fixture(params=["CSafeLoader", "SafeLoader"])
def loader(request, monkeypatch):
    import yaml

    from carbonlint import card

    if not hasattr(yaml, request.param):
        pytest.fail(f"PyYAML has no {request.param}")
    monkeypatch.setattr(card, "_Loader", getattr(yaml, request.param))
    return request.param


@pytest.mark.parametrize("depth", [201, 999, 1000, 1500, 4999, 6000, 200_000])
@pytest.mark.parametrize("style", ["flow", "block"])
def test_nesting_beyond_the_limit_is_cl005_with_either_loader(loader, depth: int, style: str) -> None:
    if style == "flow":
        yaml_text = "a: " + "[" * depth + "]" * depth
    else:
        yaml_text = "a:\n" + "".join("  " * i + "- \n" for i in range(min(depth, 3000))) + "  " * 3000 + "x"
    report = lint_text("---\n" + yaml_text + "\n---\n")
    assert codes(report) == ["CL005"], (loader, report.findings)


def test_nesting_within_the_limit_is_read(loader) -> None:
    report = lint_text("---\na: " + "[" * 150 + "]" * 150 + "\nco2_eq_emissions: 5\n---\n")
    assert report.emissions_g == 5 and "CL005" not in codes(report)


# -- nothing superlinear ------------------------------------------------------------------------------


@pytest.mark.parametrize("hardware", ["1 x A100 " + "9" * 20_000, "'1 x A100" + " " * 20_000 + "40GB'",
                                      "'" + " " * 20_000 + "x'", "'" + "1 " * 10_000 + "'"])
def test_long_hardware_names_take_linear_time(within, hardware: str) -> None:
    with within(8):
        report = lint_text(f"---\nco2_eq_emissions:\n  emissions: 5\n  hardware_used: {hardware}\n"
                           "  hours_used: 3\n---\n")
    assert report.error is None


@pytest.mark.parametrize("line", ["- **Hardware Type:** 1 x A100 " + "9" * 20_000,
                                  "- **Hardware Type:** 1 x A100" + " " * 20_000 + "40GB",
                                  "- **Hours used:** " + "9" * 20_000])
def test_long_lines_in_the_text_take_linear_time(within, line: str) -> None:
    with within(8):
        report = lint_text("---\nco2_eq_emissions: 5\n---\n" + line + "\n")
    assert report.error is None


def test_many_suppression_comments_take_linear_time(within) -> None:
    with within(8):
        report = lint_text("---\n" + "# carbonlint: ignore[CL103]\n" * 20_000 + "co2_eq_emissions: -5\n---\n")
    assert "CL103" not in codes(report) and "CL104" not in codes(report)
