"""Habits users bring from ruff, yamllint and check-jsonschema: standard input, usage errors for
paths and output folders, --fail-on, --statistics, --show-estimate, the judging thresholds as
flags, progress on a terminal only."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from carbonlint import progress

# A careful card: every field, a plausible number (1.18x the estimate), inside its peer group.
CAREFUL = """---
license: apache-2.0
pipeline_tag: text-classification
co2_eq_emissions:
  emissions: 2100
  source: CodeCarbon
  training_type: fine-tuning
  geographical_location: Frankfurt, Germany
  hardware_used: 1 x A100 40GB
  hours_used: 12
---
# sentiment-de

Fine-tuned on German product reviews.
"""
# A fine-tune that gives no hardware: only its peers can judge its number (1.5 kg, some 90 times
# the median of non-AutoTrain fine-tunes: inside at the default z, an outlier at z 2).
PEERLESS = """---
license: mit
co2_eq_emissions:
  emissions: 1500
  source: CodeCarbon
  training_type: fine-tuning
  geographical_location: Ireland
---
# reviews-classifier

Fine-tuned on 2 million customer reviews.
"""
# Warnings only: the hardware is missing (CL201) and the training type is misspelled (CL109).
WARNINGS = ("---\nco2_eq_emissions:\n  emissions: 12.5\n  source: CodeCarbon\n"
            "  training_type: finetuning\n  geographical_location: Germany\n---\n# Model\n")
ERROR = "---\nco2_eq_emissions:\n  emissions: '1.2 kg'\n---\n# Model\n"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".git").mkdir()
    for name, text in (("careful", CAREFUL), ("warnings", WARNINGS), ("error", ERROR),
                       ("peerless", PEERLESS)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "README.md").write_text(text)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return tmp_path


def with_stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


# -- standard input ------------------------------------------------------------------------------


def test_stdin_with_a_filename_for_positions_and_per_file_ignores(run, repo: Path, monkeypatch) -> None:
    with_stdin(monkeypatch, ERROR.encode())
    code, out, _ = run("check", "-", "--stdin-filename", "models/x/README.md")
    assert code == 1
    assert "\nmodels/x/README.md:3:14: CL106 [error]" in out
    (repo / ".carbonlint.toml").write_text('[per-file-ignores]\n"models/**/README.md" = ["CL106"]\n')
    with_stdin(monkeypatch, ERROR.encode())
    code, out, _ = run("check", "-", "--stdin-filename", "models/x/README.md")
    assert code == 0 and "CL106" not in out
    with_stdin(monkeypatch, ERROR.encode())
    code, out, _ = run("check", "-")  # no filename: shown as "-", and not ignored
    assert code == 1 and "\n-:3:14: CL106" in out


def test_stdin_filename_alone_reads_stdin_and_json_works(run, repo: Path, monkeypatch) -> None:
    with_stdin(monkeypatch, CAREFUL.encode())
    code, out, _ = run("check", "--stdin-filename", "README.md", "-f", "json")
    assert code == 0
    (card,) = json.loads(out)["files"]
    assert card["path"] == "README.md" and card["reporting_class"] == "awareness"


def test_stdin_bytes_that_are_not_utf8_are_a_finding(run, repo: Path, monkeypatch) -> None:
    with_stdin(monkeypatch, b"---\nco2_eq_emissions: 5\n---\n\xff\xfe\n")
    code, out, _ = run("check", "-")
    assert code == 1 and "CL004" in out


@pytest.mark.parametrize(("argv", "message"), [
    (("-", "careful/README.md"), "'-' (standard input) cannot be mixed with other paths"),
    (("--stdin-filename", "x.md", "careful/README.md"), "--stdin-filename only applies"),
])
def test_stdin_misuse_is_a_usage_error(run, repo: Path, argv: tuple[str, ...], message: str) -> None:
    code, out, err = run("check", *argv)
    assert (code, out) == (2, "") and message in err


# -- paths and output ----------------------------------------------------------------------------


def test_a_directory_without_cards_says_so(run, repo: Path) -> None:
    (repo / "docs").mkdir()
    (repo / "docs" / "notes.md").write_text(ERROR)
    code, out, err = run("check", "docs", "careful")
    assert code == 0 and "careful/README.md: reporting class" in out
    # The note comes from the directory search (carbonlint.discovery, issue 12's skipped-file count).
    assert "docs" in err and "careful" not in err


def test_output_into_a_missing_folder_is_a_usage_error(run, repo: Path) -> None:
    code, out, err = run("check", "-o", "reports/x.json", "careful/README.md")
    assert (code, out) == (2, "")
    assert err.startswith("carbonlint: error: --output ") and "reports" in err
    assert not (repo / "reports").exists()
    (repo / "reports").mkdir()
    assert run("check", "-o", "reports/x.json", "careful/README.md")[0] == 0
    assert "awareness" in (repo / "reports" / "x.json").read_text()


def test_output_onto_a_directory_is_a_usage_error(run, repo: Path) -> None:
    code, _, err = run("check", "-o", "careful", "careful/README.md")
    assert code == 2 and "'careful' is a directory" in err


# -- --fail-on -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("fail_on", "card", "code"), [
    ("error", "warnings", 0), ("warning", "warnings", 1), ("info", "warnings", 1),
    ("never", "warnings", 0), ("error", "error", 1), ("never", "error", 0),
    ("warning", "careful", 0), ("info", "careful", 0),
])
def test_fail_on(run, repo: Path, fail_on: str, card: str, code: int) -> None:
    assert run("check", "--fail-on", fail_on, f"{card}/README.md")[0] == code


def test_fail_on_info_counts_infos(run, repo: Path) -> None:
    # Only CL203 (source missing, an info) is left once the warnings are ignored.
    (repo / "info").mkdir()
    (repo / "info" / "README.md").write_text(
        "---\nco2_eq_emissions:\n  emissions: 12.5\n  hardware_used: 1 x T4\n"
        "  training_type: fine-tuning\n  geographical_location: Germany\n---\n# Model\n")
    code, out, _ = run("check", "--fail-on", "info", "info/README.md")
    assert "[info]" in out and "[warning]" not in out and "[error]" not in out and code == 1
    assert run("check", "--fail-on", "warning", "info/README.md")[0] == 0


def test_fail_on_in_the_configuration_and_overridden(run, repo: Path) -> None:
    (repo / ".carbonlint.toml").write_text('fail-on = "warning"\n')
    assert run("check", "warnings/README.md")[0] == 1
    assert run("check", "--fail-on", "error", "warnings/README.md")[0] == 0


def test_fail_on_never_still_fails_on_usage_errors(run, repo: Path) -> None:
    assert run("check", "--fail-on", "never", "nope.md")[0] == 2


def test_fail_on_never_below_min_class(run, repo: Path) -> None:
    assert run("check", "--min-class", "certified", "careful/README.md")[0] == 1
    assert run("check", "--fail-on", "never", "--min-class", "certified", "careful/README.md")[0] == 0


# -- --statistics --------------------------------------------------------------------------------


def test_statistics_text(run, repo: Path) -> None:
    code, out, _ = run("check", "--statistics", "careful", "warnings", "error")
    assert code == 1
    lines = out.splitlines()
    assert lines[-1] == "7 findings (1 error, 4 warnings, 2 infos) in 3 cards."
    rows = [re.fullmatch(r" *(\d+)  (CL\d{3})  (\[.\]) (\S+) \((\w+)\)", line).groups()
            for line in lines[:-1]]
    by_code = {row[1]: row for row in rows}
    assert by_code["CL201"] == ("2", "CL201", "[ ]", "hardware-missing", "warning")
    assert by_code["CL106"] == ("1", "CL106", "[*]", "number-as-string", "error")
    assert [int(row[0]) for row in rows] == sorted((int(row[0]) for row in rows), reverse=True)
    assert sum(int(row[0]) for row in rows) == 7


def test_statistics_json_and_unreadable_cards(run, repo: Path) -> None:
    (repo / "gone").mkdir()
    (repo / "gone" / "README.md").symlink_to(repo / "nowhere.md")
    code, out, _ = run("check", "--statistics", "-f", "json", "error", "gone")
    rows = json.loads(out)
    assert code == 1
    assert {"code": "CL106", "name": "number-as-string", "severity": "error", "count": 1,
            "fixable_count": 1} in rows
    assert rows[-1] == {"code": None, "name": "unreadable-card", "severity": "error", "count": 1,
                        "fixable_count": 0}


def test_statistics_only_in_text_or_json(run, repo: Path) -> None:
    code, _, err = run("check", "--statistics", "-f", "sarif", "careful")
    assert code == 2 and "--statistics prints text or json, not sarif" in err


# -- --show-estimate -----------------------------------------------------------------------------


def test_show_estimate_on_a_passing_card(run, repo: Path) -> None:
    code, out, _ = run("check", "--show-estimate", "careful/README.md")
    assert code == 0
    lines = out.splitlines()
    # The inputs, each with its origin, as `carbonlint estimate` shows them.
    assert lines[1] == ("careful/README.md:   estimate inputs: hardware 1 x A100 40GB [metadata "
                        "(co2_eq_emissions.hardware_used)]; hours 12 [metadata "
                        "(co2_eq_emissions.hours_used)]; location Frankfurt, Germany [metadata "
                        "(co2_eq_emissions.geographical_location)]")
    del lines[1]
    assert lines[1].startswith("careful/README.md:   estimate: 1 x NVIDIA A100 40GB")
    assert "the card's 2,100 g is 1.18x above it (within the plausibility factor 10)" in lines[1]
    # Its fair group (non-AutoTrain fine-tunes), and why CL501 does not weigh in: physics does.
    assert lines[2].startswith("careful/README.md:   peers: 68 non-AutoTrain fine-tunes, median 17.00 g; "
                               "this card z = +2.82 (not judged by peers: the card's hardware, hours or energy")
    # Emissions alone: the ratings, no letter, and why.
    assert lines[3].startswith("careful/README.md:   efficiency: no letter (nothing relates the "
                               "emissions to what the run produced")
    assert "emissions E (weight 1)" in lines[3]
    assert run("check", "--verbose", "careful/README.md")[1] == out  # the same switch


def test_show_estimate_says_what_is_lacking(run, repo: Path) -> None:
    (repo / "untyped").mkdir()
    (repo / "untyped" / "README.md").write_text(WARNINGS.replace("  training_type: finetuning\n", ""))
    _, out, _ = run("check", "--show-estimate", "--select", "CL1", "untyped/README.md")
    assert "estimate: none, the card does not give the hardware" in out
    assert "peers: no peer group, the card does not give its training type" in out


def test_show_estimate_in_json_follows_the_thresholds(run, repo: Path) -> None:
    _, out, _ = run("check", "--show-estimate", "--outlier-z", "2", "--plausibility-factor", "1.1",
                    "-f", "json", "careful/README.md", "peerless/README.md")
    careful, peerless = json.loads(out)["files"]
    judging = careful["judging"]
    assert judging["estimate"]["ratio"] == pytest.approx(1.178, abs=0.001)
    assert judging["estimate"]["plausibility_factor"] == 1.1
    assert judging["peers"]["z"] == pytest.approx(2.82) and judging["peers"]["outlier_z"] == 2
    assert judging["peers"]["judged_by_physics"] is True
    # Beyond z 2, but the estimate judges the number: CL402 (1.18x > 1.1), never CL501.
    assert {f["code"] for f in careful["findings"]} == {"CL402"}
    assert peerless["judging"]["estimate"]["available"] is False
    assert peerless["judging"]["peers"]["judged_by_physics"] is False
    assert peerless["judging"]["peers"]["z"] == pytest.approx(2.62, abs=0.01)
    assert "CL501" in {f["code"] for f in peerless["findings"]}
    _, out, _ = run("check", "-f", "json", "careful/README.md")
    assert "judging" not in json.loads(out)["files"][0]  # only when asked


# -- thresholds as flags -------------------------------------------------------------------------


def test_threshold_flags_replace_the_configuration(run, repo: Path) -> None:
    (repo / ".carbonlint.toml").write_text('outlier-z = 2.0\n')
    _, out, _ = run("check", "peerless/README.md")
    assert "CL501" in out
    _, out, _ = run("check", "--outlier-z", "3.5", "peerless/README.md")
    assert "CL501" not in out
    assert run("check", "--plausibility-factor", "1", "careful/README.md")[0] == 2  # must be > 1


# -- progress ------------------------------------------------------------------------------------


class FakeTerminal(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


@pytest.mark.parametrize(("stderr_tty", "stdout_tty", "output", "shown"), [
    (True, False, None, True),  # reports piped or redirected: a count on the terminal
    (True, True, "report.json", True),  # reports into a file
    (True, True, None, False),  # the reports scroll on the terminal: they are the progress
    (False, False, None, False),  # CI, pre-commit, a log: never
])
def test_progress_only_for_a_person_at_a_terminal(stderr_tty: bool, stdout_tty: bool,
                                                  output: str | None, shown: bool) -> None:
    assert progress.wanted(output, FakeTerminal(stderr_tty), FakeTerminal(stdout_tty)) is shown


def test_progress_starts_late_redraws_rarely_and_erases_itself() -> None:
    ticks = iter([n / 10 for n in range(40)])
    stream = FakeTerminal(True)
    items = list(progress.counted(range(39), stream=stream, clock=lambda: next(ticks)))
    assert items == list(range(39))
    text = stream.getvalue()
    draws = text.split("\r")[1:-1]
    assert draws[0].startswith("carbonlint: 10 cards checked")  # first at 1.0 s, not before
    assert 13 <= len(draws) <= 15  # about every 0.2 s after that, not at every card
    assert text.endswith("\r\x1b[K")  # erased at the end


def test_progress_is_silent_for_short_runs() -> None:
    stream = FakeTerminal(True)
    assert list(progress.counted(range(5), stream=stream)) == list(range(5))
    assert stream.getvalue() == ""


# -- markdown: the fix for the PR reader, escaped no more than needed ----------------------------


def test_markdown_keeps_help_lines_and_renders_card_text_literally() -> None:
    from markdown_it import MarkdownIt

    from carbonlint.findings import CardReport, Category, Finding, Severity, Span
    from carbonlint.formatters import Summary, reporter_for

    message = ("co2_eq_emissions is 12400 g (12.4 kg); _x_ *y* [a](b) ![i](c) ~~s~~ $m$ `c` "
               "<b>&amp; #1 {k} a__b snake_case_ @me \\ |")
    suggestion = "write 12.4 (kg) in co2_eq_emissions.emissions_"
    stream = io.StringIO()
    reporter = reporter_for("markdown", stream, color=False)
    card = CardReport(path="m/README.md", findings=[Finding(
        code="CL106", category=Category.SCHEMA, severity=Severity.ERROR, message=message,
        span=Span(3, 14, 3, 20), key="co2_eq_emissions", suggestion=suggestion)])
    reporter.report(card)
    summary = Summary()
    summary.add(card, below_min_class=False)
    reporter.close(summary)
    out = stream.getvalue()
    assert "help: " in out
    tokens = MarkdownIt("commonmark").enable(["table", "strikethrough"]).parse(out)
    inline = [t for t in tokens if t.type == "inline"]
    texts = ["".join(c.content for c in t.children or [] if c.type == "text").replace("@\u200b", "@")
             for t in inline]
    assert any(text.endswith(message) for text in texts)
    assert f"help: {suggestion}" in texts
    # No emphasis, strikethrough, link, image, HTML or code from the card: only carbonlint's bold.
    card_tokens = [c for t in inline if message[:10] in t.content for c in t.children or []]
    assert {c.type for c in card_tokens} <= {"text", "strong_open", "strong_close", "softbreak"}


# -- huggingface_hub is the 'hub' extra ------------------------------------------------------------


@pytest.mark.parametrize(("argv", "command"), [
    (["hub", "acme/model"], "carbonlint hub"),
    (["baselines", "build", "--from-hub", "-o", "-"], "baselines build --from-hub"),
])
def test_hub_commands_without_huggingface_hub_say_how_to_get_it(argv: list[str], command: str,
                                                                tmp_path: Path) -> None:
    # A Python where huggingface_hub cannot be imported, as after `pip install carbonlint`.
    script = ("import sys; sys.modules['huggingface_hub'] = None; from carbonlint.cli import main; "
              f"sys.exit(main({argv!r}))")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            cwd=tmp_path, check=False)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == (f"carbonlint: error: {command} needs huggingface_hub, which is not "
                             "installed: install carbonlint with its 'hub' extra (carbonlint[hub]), "
                             "or pip install huggingface_hub\n")


def test_check_runs_without_huggingface_hub(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text(CAREFUL)
    script = ("import sys; sys.modules['huggingface_hub'] = None; from carbonlint.cli import main; "
              "sys.exit(main(['check', '--show-estimate', 'README.md']))")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            cwd=tmp_path, check=False)
    assert result.returncode == 0 and "reporting class awareness" in result.stdout, result.stderr


def test_huggingface_hub_is_an_extra_not_a_dependency() -> None:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]

    project = tomllib.loads((Path(__file__).resolve().parent.parent / "pyproject.toml").read_text())
    assert not any(d.startswith("huggingface_hub") for d in project["project"]["dependencies"])
    assert project["project"]["optional-dependencies"]["hub"] == ["huggingface_hub>=1.0"]


def test_show_estimate_gives_the_cards_number_as_written(run, tmp_path: Path) -> None:
    # 12.5 g and 1,480,000 g, not "12.50 g" or a rounded "1,500,000 g".
    for written, shown in (("12.5", "12.5"), ("1480000", "1,480,000")):
        card = tmp_path / written / "README.md"
        card.parent.mkdir()
        card.write_text("---\nco2_eq_emissions:\n  emissions: " + written + "\n  source: CodeCarbon\n"
                        "  hardware_used: 1 x A100 40GB\n  hours_used: 2\n"
                        "  geographical_location: Germany\n---\n# m\n", encoding="utf-8")
        _, out, _ = run("check", "--show-estimate", str(card))
        assert f"the card's {shown} g is " in out, out
