"""Output formats: snapshots of every format, and the properties each integration relies on.

The snapshots run the CLI in-process (``carbonlint.cli.main``) from ``tests/fixtures`` over the
fixture cards (a clean AutoTrain card, one with several findings, a binary one) and a card that
cannot be read at all (a dangling symbolic link: a path that does not exist is a usage error on the
command line, so the unreadable card is one found in a directory). ``CARBONLINT_UPDATE_SNAPSHOTS=1``
rewrites them; review the diff.
"""

from __future__ import annotations

import io
import json
import os
import re
from pathlib import Path

import pytest

from carbonlint import __version__
from carbonlint.cli import main
from carbonlint.findings import CardReport, Category, Finding, Severity, Span
from carbonlint.formatters import REPORTER_BY_NAME, Summary, reporter_for
from carbonlint.rules import all_rules

TESTS = Path(__file__).resolve().parent
FIXTURES = TESTS / "fixtures"
SNAPSHOTS = TESTS / "snapshots"
SARIF_SCHEMA = FIXTURES / "sarif-schema-2.1.0.json"
FORMATS = {"text": "txt", "json": "json", "github": "txt", "sarif": "sarif.json",
           "markdown": "md", "gitlab": "json"}
CHECK_ARGS = ["cards"]
# Variables that change what the formatters write (paths are relative to these roots).
CI_VARIABLES = ("GITHUB_WORKSPACE", "GITHUB_ACTIONS", "CI_PROJECT_DIR", "NO_COLOR", "CARBONLINT_DEBUG")


@pytest.fixture
def in_fixtures(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    import shutil

    for name in CI_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    shutil.copytree(FIXTURES / "cards", tmp_path / "cards")
    (tmp_path / "cards" / "missing").mkdir()
    (tmp_path / "cards" / "missing" / "README.md").symlink_to(tmp_path / "nowhere" / "README.md")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(list(args))
    return code, capsys.readouterr().out


def normalise(text: str) -> str:
    return text.replace(f'"{__version__}"', '"<VERSION>"')


def render(name: str, cards: list[CardReport], summary: Summary | None = None) -> str:
    stream = io.StringIO()
    reporter = reporter_for(name, stream, color=False)
    total = Summary()
    for card in cards:
        total.add(card, below_min_class=False)
        reporter.report(card)
    reporter.close(summary or total)
    return stream.getvalue()


def finding(code: str = "CL107", severity: Severity = Severity.WARNING, message: str = "m",
            span: Span | None = Span(3, 3, 3, 9), key: str | None = "co2_eq_emissions.x",
            suggestion: str | None = None) -> Finding:
    return Finding(code=code, category=Category.SCHEMA, severity=severity, message=message,
                   span=span, key=key, suggestion=suggestion)


# -- snapshots ----------------------------------------------------------------------------------


def test_every_format_is_registered() -> None:
    assert set(FORMATS) == set(REPORTER_BY_NAME)


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_snapshot(name: str, in_fixtures: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run_cli(capsys, "check", "--format", name, *CHECK_ARGS)
    assert code == 1  # the fixtures hold error findings and an unreadable card
    out = normalise(out)
    snapshot = SNAPSHOTS / f"check.{name}.{FORMATS[name]}"
    if os.environ.get("CARBONLINT_UPDATE_SNAPSHOTS") == "1":
        SNAPSHOTS.mkdir(exist_ok=True)
        snapshot.write_text(out, encoding="utf-8", newline="")
    assert snapshot.is_file(), f"no snapshot {snapshot.name}: run with CARBONLINT_UPDATE_SNAPSHOTS=1"
    assert out == snapshot.read_text(encoding="utf-8")


def test_snapshots_cover_each_kind_of_card(in_fixtures: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The fixtures are what the snapshots claim: clean, several findings, binary, missing."""
    _, out = run_cli(capsys, "check", "--format", "json", *CHECK_ARGS)
    files = {Path(f["path"]).parent.name: f for f in json.loads(out)["files"]}
    assert files["autotrain-clean"]["findings"] == [] and files["autotrain-clean"]["error"] is None
    assert files["autotrain-clean"]["reporting_class"] == "awareness"
    assert {f["severity"] for f in files["several-errors"]["findings"]} == {"error", "warning"}
    assert [f["code"] for f in files["binary"]["findings"]] == ["CL004"]
    assert files["missing"]["error"] == "no such file"


@pytest.mark.parametrize("name", ["json", "sarif", "gitlab"])
def test_machine_formats_are_json(name: str, in_fixtures: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out = run_cli(capsys, "check", "--format", name, *CHECK_ARGS)
    json.loads(out)


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_no_cards_is_still_a_valid_report(name: str, in_fixtures: Path) -> None:
    out = render(name, [])
    if name in ("json", "sarif", "gitlab"):
        json.loads(out)
    if name == "github":
        assert out == ""


# -- github -------------------------------------------------------------------------------------


def test_github_columns_become_inclusive_and_vanish_over_several_lines() -> None:
    one_line = CardReport(path="README.md", findings=[finding(span=Span(5, 14, 5, 22))])
    assert ",col=14,endColumn=21," in render("github", [one_line])
    several = CardReport(path="README.md", findings=[finding(span=Span(5, 3, 7, 2))])
    out = render("github", [several])
    assert "line=5,endLine=7," in out and "col=" not in out and "endColumn=" not in out
    empty = CardReport(path="README.md", findings=[finding(span=Span(5, 3, 5, 3))])
    assert ",col=3,endColumn=3," in render("github", [empty])  # never before col


def test_github_title_names_the_rule() -> None:
    out = render("github", [CardReport(path="README.md", findings=[finding(code="CL107")])])
    assert f",title=carbonlint CL107 ({all_rules()['CL107'].name})::" in out


def test_github_paths_are_relative_to_the_workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    workspace = tmp_path / "repo"
    (workspace / "models").mkdir(parents=True)
    monkeypatch.setenv("GITHUB_WORKSPACE", str(workspace))
    monkeypatch.chdir(workspace / "models")
    outside = tmp_path / "elsewhere" / "README.md"
    cards = [CardReport(path="README.md", findings=[finding()]),
             CardReport(path=str(workspace / "a" / "README.md"), findings=[finding()]),
             CardReport(path=str(outside), findings=[finding()]),
             CardReport(path="hf://org/model", findings=[finding()])]
    files = re.findall(r"file=([^,]*),", render("github", cards))
    assert files == ["models/README.md", "a/README.md", str(outside).replace(":", "%3A"),
                     "hf%3A//org/model"]


def test_github_paths_default_to_the_working_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    monkeypatch.chdir(tmp_path)
    out = render("github", [CardReport(path=str(tmp_path / "m" / "README.md"), findings=[finding()])])
    assert "file=m/README.md," in out


def _kinds(out: str) -> list[str]:
    return [line.split(" ", 1)[0].split("::")[1] for line in out.splitlines()]


def test_github_caps_each_kind_at_ten_errors_first_and_says_what_was_left_out() -> None:
    findings = ([finding(severity=Severity.INFO, message=f"i{n}") for n in range(15)]
                + [finding(severity=Severity.WARNING, message=f"w{n}") for n in range(12)]
                + [finding(severity=Severity.ERROR, message=f"e{n}") for n in range(24)])
    cards = [CardReport(path="README.md", findings=findings), CardReport(path="gone.md", error="no such file")]
    out = render("github", cards)
    kinds = _kinds(out)
    # 10 errors (the unreadable card is an error too), 10 warnings, 9 notices + the closing one:
    # GitHub shows at most 10 of each kind per step.
    assert kinds == ["error"] * 10 + ["warning"] * 10 + ["notice"] * 10
    assert "::e0" in out.splitlines()[0] and "::w0" in out.splitlines()[10]
    last = out.splitlines()[-1]
    assert last.startswith("::notice title=carbonlint (more findings)::")
    # 25 errors - 10, 12 warnings - 10, 15 notices - 9.
    assert "23 more findings not shown as annotations (15 errors, 2 warnings, 6 notices)" in last
    assert "step summary" in last and "SARIF" in last and "carbonlint check" in last


def test_github_shows_ten_notices_when_nothing_is_left_out() -> None:
    cards = [CardReport(path="README.md", findings=[
        finding(severity=Severity.INFO, message=f"i{n}") for n in range(10)])]
    assert _kinds(render("github", cards)) == ["notice"] * 10


def test_github_unreadable_card_is_an_error_on_the_file() -> None:
    out = render("github", [CardReport(path="x/README.md", error="cannot read the file: Permission denied")])
    assert out == ("::error file=x/README.md,title=carbonlint (unreadable card)::cannot lint this "
                   "card: cannot read the file: Permission denied\n")


def test_github_auto_format_under_actions(in_fixtures: Path, capsys: pytest.CaptureFixture[str],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    _, auto = run_cli(capsys, "check", "--format", "auto", *CHECK_ARGS)
    _, github = run_cli(capsys, "check", "--format", "github", *CHECK_ARGS)
    assert auto == github and auto.startswith("::error ")


# -- sarif --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sarif_validator():  # type: ignore[no-untyped-def]
    import jsonschema

    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


def sarif_of(capsys: pytest.CaptureFixture[str], *paths: str) -> dict:
    _, out = run_cli(capsys, "check", "--format", "sarif", *paths)
    return json.loads(out)


def test_sarif_validates_against_the_schema(in_fixtures: Path, capsys: pytest.CaptureFixture[str],
                                             sarif_validator) -> None:  # type: ignore[no-untyped-def]
    log = sarif_of(capsys, *CHECK_ARGS)
    errors = sorted(sarif_validator.iter_errors(log), key=str)
    assert not errors, errors[0]
    # The validator does look: a broken log fails.
    del log["runs"][0]["tool"]["driver"]["name"]
    assert not sarif_validator.is_valid(log)


def test_sarif_describes_every_rule(in_fixtures: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = sarif_of(capsys, *CHECK_ARGS)["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "carbonlint" and driver["version"] == __version__
    assert driver["informationUri"].startswith("https://")
    registered = all_rules()
    assert [r["id"] for r in driver["rules"]] == list(registered)
    for descriptor in driver["rules"]:
        rule = registered[descriptor["id"]]
        assert descriptor["shortDescription"]["text"] == rule.summary
        assert descriptor["helpUri"] == (
            "https://github.com/carbonlint/carbonlint/blob/main/docs/rules.md#" + rule.code.lower())
        assert descriptor["help"]["text"] == rule.documentation()
        assert rule.failing.strip() in descriptor["help"]["markdown"]
        assert rule.passing.strip() in descriptor["help"]["markdown"]
        assert descriptor["defaultConfiguration"]["level"] == {
            "error": "error", "warning": "warning", "info": "note"}[str(rule.severity)]
        assert descriptor["properties"]["tags"] == [str(rule.category)]
    for result in run["results"]:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]


def test_sarif_results_locations_and_notifications(in_fixtures: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = sarif_of(capsys, *CHECK_ARGS)["runs"][0]
    by_rule = {r["ruleId"]: r for r in run["results"]}
    location = by_rule["CL106"]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "cards/several-errors/README.md", "uriBaseId": "%SRCROOT%"}
    # SARIF's endColumn is exclusive, like carbonlint's spans: passed through unchanged.
    assert location["region"] == {"startLine": 5, "startColumn": 14, "endLine": 5, "endColumn": 22}
    assert by_rule["CL106"]["level"] == "error" and by_rule["CL107"]["level"] == "warning"
    invocation = run["invocations"][0]
    assert invocation["executionSuccessful"] is True
    [notification] = invocation["toolExecutionNotifications"]
    assert notification["level"] == "error" and "no such file" in notification["message"]["text"]
    assert notification["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "cards/missing/README.md"


def test_sarif_fingerprints_are_stable_when_lines_move(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    for name in CI_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".carbonlint.toml").write_text("")
    card = (FIXTURES / "cards" / "several-errors" / "README.md").read_text(encoding="utf-8")
    (tmp_path / "README.md").write_text(card, encoding="utf-8")

    def prints() -> list[tuple[str, str, int]]:
        results = sarif_of(capsys, "README.md")["runs"][0]["results"]
        return [(r["ruleId"], r["partialFingerprints"]["carbonlint/v1"],
                 r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in results]

    before = prints()
    assert before == prints()  # deterministic
    (tmp_path / "README.md").write_text(card.replace("license: mit\n", "license: mit\ntags: [a, b]\n"),
                                        encoding="utf-8")
    after = prints()
    assert [line + 1 for _, _, line in before] == [line for _, _, line in after]
    assert [fp for _, fp, _ in before] == [fp for _, fp, _ in after]
    assert len({fp for _, fp, _ in before}) == len(before)


def test_sarif_fingerprints_are_unique_for_identical_findings() -> None:
    card = CardReport(path="README.md", findings=[finding(span=Span(n, 1, n, 2)) for n in (3, 4, 5)])
    results = json.loads(render("sarif", [card]))["runs"][0]["results"]
    prints = [r["partialFingerprints"]["carbonlint/v1"] for r in results]
    assert len(set(prints)) == 3 and len({p.rsplit(":", 1)[0] for p in prints}) == 1


def test_sarif_uris_for_awkward_and_outside_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   sarif_validator) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path / "repo"))
    monkeypatch.chdir(tmp_path)
    cards = [CardReport(path="repo/a:b,c d#e/README.md", findings=[finding()]),
             CardReport(path=str(tmp_path / "other" / "README.md"), findings=[finding()]),
             CardReport(path="hf://org/model", findings=[finding(span=None)])]
    log = json.loads(render("sarif", cards))
    assert sarif_validator.is_valid(log)
    locations = [r["locations"][0]["physicalLocation"] for r in log["runs"][0]["results"]]
    assert locations[0]["artifactLocation"] == {"uri": "a%3Ab%2Cc%20d%23e/README.md", "uriBaseId": "%SRCROOT%"}
    assert locations[1]["artifactLocation"] == {"uri": (tmp_path / "other" / "README.md").as_uri()}
    assert locations[2] == {"artifactLocation": {"uri": "hf://org/model"}, "region": {"startLine": 1}}


def test_sarif_levels_follow_configured_severity() -> None:
    cards = [CardReport(path="README.md", findings=[finding(severity=s) for s in Severity])]
    results = json.loads(render("sarif", cards))["runs"][0]["results"]
    assert [r["level"] for r in results] == ["note", "warning", "error"]


# -- gitlab -------------------------------------------------------------------------------------


def test_gitlab_code_quality_shape(in_fixtures: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out = run_cli(capsys, "check", "--format", "json", *CHECK_ARGS)
    report = json.loads(out)
    _, out = run_cli(capsys, "check", "--format", "gitlab", *CHECK_ARGS)
    issues = json.loads(out)
    # One issue per finding, and one for the missing card.
    assert len(issues) == sum(len(f["findings"]) for f in report["files"]) + 1
    for issue in issues:
        assert isinstance(issue["description"], str) and issue["description"]
        assert isinstance(issue["check_name"], str) and issue["check_name"]
        assert re.fullmatch(r"[0-9a-f]{64}:\d+", issue["fingerprint"])
        assert issue["severity"] in ("info", "minor", "major", "critical", "blocker")
        assert not issue["location"]["path"].startswith(("/", "./"))
        lines = issue["location"]["lines"]
        assert isinstance(lines["begin"], int) and lines["begin"] >= 1 and lines["end"] >= lines["begin"]
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    by_check = {i["check_name"]: i for i in issues}
    assert by_check["CL106"]["severity"] == "major" and by_check["CL109"]["severity"] == "minor"
    assert by_check["carbonlint/unreadable-card"]["severity"] == "critical"
    assert by_check["CL106"]["location"] == {"path": "cards/several-errors/README.md",
                                             "lines": {"begin": 5, "end": 5}}


def test_gitlab_paths_relative_to_the_project_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI_PROJECT_DIR", str(tmp_path))
    monkeypatch.chdir(tmp_path.parent)
    card = CardReport(path=str(tmp_path / "models" / "README.md"), findings=[finding()])
    assert json.loads(render("gitlab", [card]))[0]["location"]["path"] == "models/README.md"


def test_gitlab_fingerprints_ignore_positions() -> None:
    moved = [CardReport(path="README.md", findings=[finding(span=Span(n, 1, n, 2))]) for n in (3, 30)]
    first, second = (json.loads(render("gitlab", [card]))[0]["fingerprint"] for card in moved)
    assert first == second
    other = CardReport(path="README.md", findings=[finding(message="another")])
    assert json.loads(render("gitlab", [other]))[0]["fingerprint"] != first


# -- markdown -----------------------------------------------------------------------------------


def _table_rows(out: str) -> list[str]:
    return [line for line in out.splitlines() if line.startswith("| ") and not line.startswith("| Card ")
            and not line.startswith("| ---")]


def test_markdown_rows_and_legend(in_fixtures: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out = run_cli(capsys, "check", "--format", "json", *CHECK_ARGS)
    efficiency = next(f["efficiency"] for f in json.loads(out)["files"] if "autotrain" in f["path"])
    label = (efficiency or {}).get("label") or "—"
    _, out = run_cli(capsys, "check", "--format", "markdown", *CHECK_ARGS)
    rows = _table_rows(out)
    assert len(rows) == 4
    clean = next(r for r in rows if "autotrain" in r)
    assert clean.split(" | ")[1:] == ["awareness", "2.51", label, "0", "0", "0 |"]
    assert "could not be read" in next(r for r in rows if "missing" in r)
    findings = [line.split("**")[1] for line in out.splitlines() if line.startswith("- **")]
    # Errors first: the binary card's, the several-errors card's and the missing card.
    assert findings[:3] == ["error"] * 3 and set(findings[3:]) == {"warning"}
    assert "`unknown` < `context` < `basic` < `awareness` < `optimization` < `certified`" in out


def test_markdown_stays_within_githubs_step_summary_limit() -> None:
    # 20,000 cards with long paths and long messages: far more than 1 MiB if written out whole.
    cards = []
    for n in range(20_000):
        findings = [finding(severity=Severity.ERROR if n % 7 == 0 else Severity.WARNING,
                            message="<&|>" * 150)] if n % 3 else []
        cards.append(CardReport(path=f"models/{'&' * 150}{n:05d}/README.md", reporting_class="basic",
                                emissions_g=float(n), findings=findings))
    out = render("markdown", cards)
    assert len(out.encode("utf-8")) < 1024 * 1024
    rows = _table_rows(out)
    left_out = int(re.search(r"_(\d+) more cards left out", out).group(1))
    assert len(rows) + left_out == 20_000 and len(rows) > 100
    # The rows kept are the cards with errors.
    assert all(row.split(" | ")[4] == "1" for row in rows)
    assert re.search(r"_\d+ more findings not listed", out)


def test_markdown_keeps_all_rows_when_they_fit() -> None:
    cards = [CardReport(path=f"m{n}/README.md") for n in range(50)]
    out = render("markdown", cards)
    assert len(_table_rows(out)) == 50 and "left out" not in out
    # In the order the cards came.
    assert [row.split(" | ")[0] for row in _table_rows(out)] == [f"| m{n}/README.md" for n in range(50)]
