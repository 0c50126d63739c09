"""File names that look like options, through the pre-commit hooks (issue 10, "Files and
credentials"): unit tests of the split, then the real pre-commit with a user's ``args:``."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from carbonlint.cli import cli, main
from carbonlint.hook_args import MARKER, rewrite
from git_support import git, pre_commit

BAD_CARD = "---\nco2_eq_emissions: '1.2 kg'\n---\n# Planted model\n"
VICTIM = "---\nco2_eq_emissions:\n  emissions: 1200\n---\n# The victim's own card\n"


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in ("--output=x/README.md", "-ox/README.md", "x/README.md", "models/a/README.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(BAD_CARD if name != "x/README.md" else VICTIM)
    (tmp_path / ".carbonlint.toml").write_text("")
    return tmp_path


@pytest.mark.parametrize("user, expected", [
    ([], ["--"]),
    (["--select", "CL1"], ["--select", "CL1", "--"]),
    (["--select=CL1", "-fjson"], ["--select=CL1", "-fjson", "--"]),
    # The user's last value names an existing file: it goes back to its option.
    (["--config", ".carbonlint.toml"], ["--config", ".carbonlint.toml", "--"]),
    (["-f", "json", "--config", ".carbonlint.toml"], ["-f", "json", "--config", ".carbonlint.toml", "--"]),
    # A flag before the files takes nothing back.
    (["--require-emissions"], ["--require-emissions", "--"]),
    # A path the user adds is a path either way.
    (["models/a/README.md"], ["--", "models/a/README.md"]),
    (["--", "models/a/README.md"], ["--", "models/a/README.md"]),
])
def test_split_keeps_user_arguments_and_ends_options_before_the_files(
        tree: Path, user: list[str], expected: list[str]) -> None:
    files = ["--output=x/README.md", "-ox/README.md", "models/a/README.md"]
    for command in ("check", "fix"):
        assert rewrite([command, MARKER, *user, *files], cli) == [command, *expected, *files]


def test_without_the_marker_argv_is_untouched(tree: Path) -> None:
    argv = ["check", "--output=x/README.md", "models/a/README.md"]
    assert rewrite(list(argv), cli) == argv
    assert rewrite(["hub", MARKER, "x"], cli) == ["hub", MARKER, "x"]


@pytest.mark.parametrize("command", ["check", "fix"])
def test_a_file_named_like_an_option_is_linted_not_obeyed(
        tree: Path, command: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = main([command, MARKER, "-f", "json", "--output=x/README.md", "-ox/README.md"])
    out = capsys.readouterr().out
    assert (tree / "x" / "README.md").read_text() == VICTIM
    paths = [card["path"] for card in json.loads(out)["files"]]
    assert paths == ["--output=x/README.md", "-ox/README.md"]
    if command == "check":
        assert code == 1  # CL106 on each planted card
    else:  # fix rewrote the planted cards themselves, and nothing is left to report
        assert code == 0
        assert (tree / "-ox" / "README.md").read_text() == BAD_CARD.replace("'1.2 kg'", "1200")


pytestmark_git = pytest.mark.skipif(shutil.which("git") is None, reason="pre-commit needs git")


@pytestmark_git
def test_pre_commit_run_with_user_args_never_reads_a_file_name_as_an_option(
        tmp_path: Path, precommit_env: dict[str, str], hook_repo: Path) -> None:
    """A user's real configuration (rev: the hook repository's commit) with ``args:`` whose
    last value names an existing file, in a repository where a pull request planted folders
    named ``--output=x`` and ``-ox``."""
    project = tmp_path / "project"
    project.mkdir()
    git("init", "-q", cwd=project, env=precommit_env)
    for name in ("--output=x/README.md", "-ox/README.md", "x/README.md"):
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(BAD_CARD if name != "x/README.md" else VICTIM)
    # The configuration the user passes in args asks for JSON: proof that their args still work.
    (project / "lint.toml").write_text('format = "json"\n')
    rev = git("rev-parse", "HEAD", cwd=hook_repo, env=precommit_env).strip()
    (project / ".pre-commit-config.yaml").write_text(json.dumps({"repos": [{
        "repo": str(hook_repo), "rev": rev, "hooks": [
            {"id": "carbonlint", "args": ["--select", "CL106", "--config", "lint.toml"]},
            {"id": "carbonlint-fix", "args": ["--config", "lint.toml"]},
        ]}]}))
    git("add", "-A", cwd=project, env=precommit_env)

    result = pre_commit("run", "--all-files", "--verbose", cwd=project, env=precommit_env)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert (project / "x" / "README.md").read_text() == VICTIM, output
    assert not (project / "x" / "README.md.orig").exists()
    # The check hook linted the planted cards, in JSON, with only the selected rule.
    start = output.index('{\n  "version": 1')
    report, _ = json.JSONDecoder().raw_decode(output[start:])
    assert sorted(card["path"] for card in report["files"]) == [
        "--output=x/README.md", "-ox/README.md", "x/README.md"]
    assert {f["code"] for card in report["files"] for f in card["findings"]} == {"CL106"}
    # The fix hook fixed the planted cards themselves, nothing else.
    assert (project / "--output=x" / "README.md").read_text() == BAD_CARD.replace("'1.2 kg'", "1200")
