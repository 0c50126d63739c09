"""The command line contract of interface.md: options, exit codes, JSON, config precedence."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import carbonlint

GOOD = ("---\nco2_eq_emissions:\n  emissions: 12.5\n  hardware_used: 1 x T4\n  source: CodeCarbon\n"
        "  training_type: fine-tuning\n  geographical_location: Germany\n---\n# Model\n")
BAD = "---\nlicense: mit\nco2_eq_emissions:\n  emissions: '1.2 kg'\n  geographic_location: Germany\n---\n"
NONE = "---\nlicense: mit\n---\n# Model\n"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".git").mkdir()  # stops config discovery here
    (tmp_path / "good").mkdir()
    (tmp_path / "good" / "README.md").write_text(GOOD)
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "README.md").write_text(BAD)
    (tmp_path / "none_model_card.md").write_text(NONE)
    (tmp_path / "notes.md").write_text(BAD)  # not a model card name: never searched
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return tmp_path


def test_version(run) -> None:
    code, out, _ = run("--version")
    assert (code, out) == (0, f"carbonlint {carbonlint.__version__}\n")


def test_text_output_and_exit_code(run, repo: Path) -> None:
    code, out, _ = run("check", "bad/README.md")
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == ("bad/README.md:3:1: CL201 [warning] hardware_used is missing: the card "
                        "stays in class 'basic' until it names the hardware that trained the model")
    assert lines[2].startswith("bad/README.md:3:1: CL203 [info] source is missing")
    assert "CL202" not in out  # geographic_location is reported as a misspelling (CL107) instead
    at = lines.index("bad/README.md:4:14: CL106 [error] co2_eq_emissions.emissions is the text "
                     "'1.2 kg', not a number: the spec wants grams (1.2 kg is 1200 g)")
    assert lines[at + 1] == "  help: write 1200"
    assert lines[at + 2].startswith("bad/README.md:5:3: CL107 [warning] unknown key 'geographic_location'")
    assert lines[-2] == ("bad/README.md: reporting class basic (emissions reported (1,200 g), "
                         "hardware not)")  # emissions alone get no efficiency letter
    assert lines[-1] == "1 error, 2 warnings, 2 infos in 1 card."


def test_clean_card_exits_zero(run, repo: Path) -> None:
    code, out, _ = run("check", "good/README.md")
    assert code == 0
    assert out.splitlines() == [
        "good/README.md: reporting class awareness (emissions (12.5 g) and hardware (1 x T4) "
        "reported)",  # emissions alone: no efficiency letter
        "0 errors, 0 warnings, 0 infos in 1 card.",
    ]


def test_directories_are_searched_for_cards(run, repo: Path) -> None:
    code, out, _ = run("check", "-f", "json", ".")
    data = json.loads(out)
    assert [f["path"] for f in data["files"]] == ["./none_model_card.md", "./bad/README.md",
                                                  "./good/README.md"]
    assert code == 1


def test_default_path_is_readme(run, repo: Path) -> None:
    (repo / "README.md").write_text(GOOD)
    code, out, _ = run("check", "-f", "json")
    assert [f["path"] for f in json.loads(out)["files"]] == ["README.md"]


def test_json_matches_the_interface(run, repo: Path) -> None:
    code, out, _ = run("check", "--format", "json", "bad/README.md", "good/README.md")
    data = json.loads(out)
    assert data["version"] == 1
    assert data["tool"] == {"name": "carbonlint", "version": carbonlint.__version__}
    bad, good = data["files"]
    assert {"path", "reporting_class", "emissions_g", "efficiency", "error", "findings"} <= set(bad)
    assert bad["path"] == "bad/README.md" and bad["error"] is None
    assert bad["emissions_g"] == 1200.0 and bad["reporting_class"] == "basic"
    first = next(f for f in bad["findings"] if f["code"] == "CL106")
    assert first == {
        "code": "CL106", "category": "schema", "severity": "error", "line": 4, "column": 14,
        "end_line": 4, "end_column": 22, "key": "co2_eq_emissions.emissions",
        "message": first["message"], "suggestion": "write 1200", "fixable": True,
    }
    assert good["findings"] == [] and good["reporting_class"] == "awareness"
    assert data["summary"] == {"files": 2, "errors": 1, "warnings": 2, "infos": 2,
                               "unreadable": 0, "below_min_class": 0,
                               "emissions_stated": {"metadata": 2, "text": 0, "none": 0}}


def test_output_file(run, repo: Path) -> None:
    code, out, _ = run("check", "-f", "json", "-o", "report.json", "bad/README.md")
    assert code == 1 and out == ""
    assert json.loads((repo / "report.json").read_text())["summary"]["errors"] == 1


def test_min_class(run, repo: Path) -> None:
    code, _, _ = run("check", "--min-class", "basic", "good/README.md")
    assert code == 0
    code, out, _ = run("check", "--min-class", "optimization", "good/README.md")
    assert code == 1 and "CL210" in out
    # Ignoring the finding does not lift the requirement: the exit code still says "below".
    code, out, _ = run("check", "--min-class", "optimization", "--ignore", "CL210", "good/README.md")
    assert code == 1 and "1 below --min-class" in out


def test_require_emissions(run, repo: Path) -> None:
    assert run("check", "none_model_card.md")[0] == 0
    code, out, _ = run("check", "--require-emissions", "none_model_card.md")
    assert code == 1 and "CL200" in out


def test_select_and_ignore_by_prefix(run, repo: Path) -> None:
    code, out, _ = run("check", "--ignore", "CL106", "bad/README.md")
    assert code == 0 and "CL107" in out and "CL106" not in out and "CL201" in out
    code, out, _ = run("check", "--select", "CL10", "--ignore", "CL106", "bad/README.md")
    assert "CL107" in out and "CL106" not in out
    code, out, _ = run("check", "--select", "CL2", "bad/README.md")
    assert code == 0 and "CL1" not in out and "CL201" in out


def test_bad_code_is_a_usage_error(run, repo: Path) -> None:
    code, out, err = run("check", "--ignore", "E501", "bad/README.md")
    assert code == 2 and out == ""
    assert err == "carbonlint: error: --ignore: 'E501' is not a rule code or prefix (see 'carbonlint rules')\n"


def test_unknown_option_is_exit_2(run, repo: Path) -> None:
    assert run("check", "--bogus")[0] == 2
    assert run("check", "--min-class", "excellent")[0] == 2


def test_missing_path_is_a_usage_error(run, repo: Path) -> None:
    # As in ruff and yamllint: a path that does not exist is a mistake in the command, exit 2,
    # said once on stderr before anything is linted.
    code, out, err = run("check", "nope.md", "good/README.md")
    assert (code, out) == (2, "")
    assert err == "carbonlint: error: nope.md: no such file or directory\n"
    code, _, err = run("check", "nope.md", "gone/", "good/README.md")
    assert code == 2 and err == "carbonlint: error: no such files or directories: nope.md, gone/\n"


# -- configuration -------------------------------------------------------------------------------

def test_pyproject_config_and_cli_precedence(run, repo: Path) -> None:
    (repo / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.carbonlint]\nignore = ["CL106"]\n'
        '[tool.carbonlint.severity]\nCL107 = "error"\n'
    )
    code, out, _ = run("check", "bad/README.md")
    assert "CL106" not in out and "CL107 [error]" in out and code == 1
    # Layered as in ruff: the CLI's --ignore adds to the file's, --select starts afresh.
    code, out, _ = run("check", "--ignore", "CL107", "bad/README.md")
    assert "CL106" not in out and "CL107" not in out and code == 0
    code, out, _ = run("check", "--select", "CL106", "bad/README.md")
    assert "CL106 [error]" in out and "CL107" not in out and code == 1


def test_dedicated_config_wins_over_pyproject(run, repo: Path) -> None:
    (repo / "pyproject.toml").write_text('[tool.carbonlint]\nignore = ["CL106"]\n')
    (repo / ".carbonlint.toml").write_text('ignore = ["CL107"]\n')
    _, out, _ = run("check", "bad/README.md")
    assert "CL106" in out and "CL107" not in out


def test_config_is_found_from_a_subdirectory(run, repo: Path, monkeypatch) -> None:
    (repo / ".carbonlint.toml").write_text('min-class = "certified"\n')
    monkeypatch.chdir(repo / "good")
    assert run("check", "README.md")[0] == 1


def test_explicit_config_and_per_file_ignores(run, repo: Path) -> None:
    (repo / "cfg.toml").write_text('[per-file-ignores]\n"bad/*.md" = ["CL1"]\n')
    code, out, _ = run("check", "--config", "cfg.toml", "bad/README.md", "good/README.md")
    assert code == 0 and "CL1" not in out and "CL201" in out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('selct = ["CL1"]\n', "cfg.toml: selct: unknown key (did you mean 'select'?)"),
        ('min-class = "great"\n', "cfg.toml: min-class: must be one of unknown, context, basic"),
        ('[severity]\nCL107 = "fatal"\n', "cfg.toml: severity.CL107: unknown severity 'fatal'"),
        ('ignore = ["XX"]\n', "cfg.toml: ignore: 'XX' is not a rule code or prefix"),
        ('ignore = 3\n', "cfg.toml: ignore: must be a list of strings"),
        ("ignore = [\n", "cfg.toml: not valid TOML"),
    ],
)
def test_bad_config_is_exit_2_naming_file_and_key(run, repo: Path, content: str, message: str) -> None:
    (repo / "cfg.toml").write_text(content)
    code, out, err = run("check", "--config", "cfg.toml", "good/README.md")
    assert code == 2 and out == ""
    assert err.startswith(f"carbonlint: error: {message}")


def test_bad_pyproject_key_is_named_with_its_table(run, repo: Path) -> None:
    (repo / "pyproject.toml").write_text('[tool.carbonlint]\nrequire-emission = true\n')
    code, _, err = run("check", "good/README.md")
    assert code == 2 and "pyproject.toml: tool.carbonlint.require-emission: unknown key" in err


def test_missing_config_file(run, repo: Path) -> None:
    code, _, err = run("check", "--config", "nope.toml", "good/README.md")
    assert code == 2 and "nope.toml: no such configuration file" in err


# -- suppression ---------------------------------------------------------------------------------

def test_inline_suppression(run, repo: Path) -> None:
    (repo / "README.md").write_text(
        "---\nco2_eq_emissions:\n  emissions: '1.2 kg'  # carbonlint: ignore[CL106]\n"
        "  # carbonlint: ignore\n  geographic_location: Germany\n  training_type: finetuning\n---\n"
    )
    code, out, _ = run("check", "--select", "CL1", "README.md")
    assert "CL106" not in out and "CL107" not in out and "CL109" in out
    assert code == 0


def test_inline_suppression_only_covers_listed_codes(run, repo: Path) -> None:
    (repo / "README.md").write_text(
        "---\nco2_eq_emissions:\n  emissions: '1.2 kg'  # carbonlint: ignore[CL107]\n---\n")
    assert "CL106" in run("check", "README.md")[1]


def test_file_level_disable(run, repo: Path) -> None:
    (repo / "README.md").write_text(BAD + "\n<!-- carbonlint: disable-file -->\n")
    code, out, _ = run("check", "README.md")
    assert code == 0 and "CL1" not in out
    (repo / "README.md").write_text(BAD + "\n<!-- carbonlint: disable-file[CL107] -->\n")
    code, out, _ = run("check", "README.md")
    assert code == 1 and "CL106" in out and "CL107" not in out


# -- colour and the real entry point -------------------------------------------------------------

def test_colour_only_when_asked(run, repo: Path) -> None:
    assert "\x1b[" not in run("check", "bad/README.md")[1]  # captured output is not a terminal
    assert "\x1b[31m" in run("check", "--color", "always", "bad/README.md")[1]


def entry(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None):
    exe = Path(sys.executable).with_name("carbonlint")
    command = [str(exe)] if exe.exists() else [sys.executable, "-m", "carbonlint"]
    return subprocess.run(command + list(args), capture_output=True, text=True, env=env, cwd=cwd)


def test_console_script_on_a_pty_honours_no_color(repo: Path) -> None:
    import pty

    exe = Path(sys.executable).with_name("carbonlint")
    command = [str(exe)] if exe.exists() else [sys.executable, "-m", "carbonlint"]

    def on_terminal(env: dict[str, str]) -> str:
        main, secondary = pty.openpty()
        proc = subprocess.Popen(command + ["check", "bad/README.md"], stdout=secondary,
                                stderr=secondary, env=env, cwd=repo)
        os.close(secondary)
        chunks = []
        while True:
            try:
                chunk = os.read(main, 4096)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        proc.wait()
        os.close(main)
        return b"".join(chunks).decode()

    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    assert "\x1b[31m" in on_terminal(env)
    assert "\x1b[" not in on_terminal({**env, "NO_COLOR": "1"})


def test_auto_format_under_github_actions(repo: Path) -> None:
    env = {**os.environ, "GITHUB_ACTIONS": "true"}
    result = entry("check", "-f", "auto", "bad/README.md", env=env, cwd=repo)
    assert result.returncode == 1
    assert result.stdout.startswith("::error ")


def test_no_traceback_for_an_unwritable_output(repo: Path) -> None:
    result = entry("check", "-o", str(repo / "missing-dir" / "x.json"), "bad/README.md", cwd=repo)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr + result.stdout


def test_text_output_cannot_carry_workflow_commands_or_escapes(run, repo: Path) -> None:
    folder = repo / "::error file=x::pwned"
    folder.mkdir()
    (folder / "README.md").write_text(
        '---\nco2_eq_emissions:\n  emissions: 5\n  "x\\n::add-mask::secret\\u001b[2J\\u202e": 1\n---\n'
    )
    code, out, _ = run("check", "::error file=x::pwned/README.md")
    assert code == 0
    for line in out.splitlines():
        assert not line.startswith("::") and "\x1b" not in line and "\u202e" not in line
    assert "./::error file=x::pwned/README.md:4:3: CL107" in out
    assert "x\\x0a::add-mask::secret\\x1b[2J\\u202e" in out


def test_per_file_ignores_match_hub_paths() -> None:
    from carbonlint.config import Config

    config = Config(per_file_ignores={"hf://acme/*": ("CL2",)})
    assert not config.enabled("CL201", "hf://acme/model")
    assert config.enabled("CL201", "hf://other/model")


def test_pyproject_table_pasted_into_dedicated_config(run, repo: Path) -> None:
    (repo / ".carbonlint.toml").write_text('[tool.carbonlint]\nignore = ["CL106"]\n')
    code, out, _ = run("check", "bad/README.md")
    assert code == 0 and "CL106" not in out


@pytest.mark.parametrize(("content", "message"), [
    (None, "No such file"), ('{"format": 1}', "malformed baseline")])
def test_bad_baseline_is_a_usage_error(run, repo: Path, content: str | None, message: str) -> None:
    if content is not None:
        (repo / "b.json").write_text(content)
    code, out, err = run("check", "--baseline", "b.json", "good/README.md")
    assert code == 2 and out == ""
    assert err.startswith("carbonlint: error: --baseline: cannot read the baseline b.json") and message in err


def test_min_class_on_unparseable_card_reports_only_the_parse_error(run, repo: Path) -> None:
    (repo / "README.md").write_text("---\nco2_eq_emissions: [\n---\n")
    code, out, _ = run("check", "--min-class", "basic", "README.md")
    assert code == 1 and "CL001" in out and "CL210" not in out


# -- -o: never through a link; a folder that cannot take the report is a usage error -------------


def _card_dir(tmp_path: Path) -> Path:
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "README.md").write_text("---\nco2_eq_emissions: 1200\n---\n# A model\n")
    return tmp_path / "m"


def test_output_into_a_missing_folder_is_a_usage_error(tmp_path: Path, run) -> None:  # type: ignore[no-untyped-def]
    cards = _card_dir(tmp_path)
    code, out, err = run("check", "-o", str(tmp_path / "no" / "such" / "report.json"), str(cards))
    assert code == 2 and "internal error" not in err
    assert "does not exist" in err and str(tmp_path / "no" / "such") in err


def test_output_into_an_unwritable_folder_is_a_usage_error(tmp_path: Path, run) -> None:  # type: ignore[no-untyped-def]
    cards = _card_dir(tmp_path)
    # /proc refuses new files even to root (the tests may run as root, who ignores chmod).
    code, out, err = run("check", "-o", "/proc/carbonlint-report.json", str(cards))
    assert code == 2 and "internal error" not in err and "cannot write in /proc" in err


def test_output_never_follows_a_link_to_a_file(tmp_path: Path, run) -> None:  # type: ignore[no-untyped-def]
    cards = _card_dir(tmp_path)
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    (tmp_path / "report.txt").symlink_to(victim)
    code, out, err = run("check", "-o", str(tmp_path / "report.txt"), str(cards))
    assert code == 2 and "symbolic link" in err
    assert victim.read_text() == "precious\n" and (tmp_path / "report.txt").is_symlink()


def test_output_replaces_a_file_whole_with_usual_permissions(tmp_path: Path, run) -> None:  # type: ignore[no-untyped-def]
    import os

    cards = _card_dir(tmp_path)
    report = tmp_path / "report.json"
    report.write_text("old " * 10_000)
    code, out, err = run("check", "-f", "json", "-o", str(report), str(cards))
    assert code == 0 and out == ""
    assert json.loads(report.read_text())["summary"]["files"] == 1
    mask = os.umask(0)
    os.umask(mask)
    assert report.stat().st_mode & 0o777 == 0o666 & ~mask
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".carbonlint-")] == []
    # A device is written as it is (there is no file to replace), through a link too.
    assert run("check", "-o", "/dev/null", str(cards))[0] == 0
    (tmp_path / "null").symlink_to("/dev/null")
    assert run("check", "-o", str(tmp_path / "null"), str(cards))[0] == 0
