"""The pre-commit hook (.pre-commit-hooks.yaml), with the real pre-commit.

``pre-commit try-repo`` installs the hook from a repository the way a user's ``rev:`` would. It
takes a repository's committed files, plus uncommitted changes to *tracked* files (it builds a
shadow commit for those), but never untracked files. So that the tests see exactly this working
tree, committed or not, they snapshot it (tracked and untracked files that git does not ignore)
into a scratch repository and try that; ``test_try_repo_uses_uncommitted_changes`` checks the
shadow-commit behaviour itself.

PRE_COMMIT_HOME points at a scratch directory shared by the module, so that the user's own cache
is never touched. try-repo itself does not use it: it installs the hook into a temporary store of
its own on every call (pre_commit/commands/try_repo.py), so each try-repo below builds the hook's
environment, pip-installing carbonlint (about 10 s with a warm pip cache).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
MANIFEST = REPO / ".pre-commit-hooks.yaml"
CARDS = Path(__file__).resolve().parent / "fixtures" / "cards"
from git_support import git, pre_commit

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="pre-commit needs git")


def project(root: Path, precommit_env: dict[str, str], cards: dict[str, str]) -> Path:
    """A user's repository with these cards (path -> fixture card) and a Markdown file that is
    not a card (its front matter is broken: the hook must not look at it)."""
    root.mkdir()
    git("init", "-q", cwd=root, env=precommit_env)
    (root / "docs").mkdir()
    (root / "docs" / "notes.md").write_text("---\nco2_eq_emissions: [\n---\n")
    for path, fixture in cards.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(CARDS / fixture / "README.md", root / path)
    git("add", "-A", cwd=root, env=precommit_env)
    return root


def test_manifest_validates(precommit_env: dict[str, str]) -> None:
    result = pre_commit("validate-manifest", str(MANIFEST), cwd=REPO, env=precommit_env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_validate_manifest_does_check(tmp_path: Path, precommit_env: dict[str, str]) -> None:
    """The validation above can fail: a hook without an entry does not pass."""
    broken = yaml.safe_load(MANIFEST.read_text())
    del broken[0]["entry"]
    (tmp_path / "hooks.yaml").write_text(yaml.safe_dump(broken))
    assert pre_commit("validate-manifest", str(tmp_path / "hooks.yaml"), cwd=tmp_path, env=precommit_env).returncode != 0


def test_hook_definition() -> None:
    hook = next(h for h in yaml.safe_load(MANIFEST.read_text()) if h["id"] == "carbonlint")
    assert hook["id"] == "carbonlint" and hook["entry"] == "carbonlint check --from-pre-commit --jobs 1"
    assert hook["language"] == "python" and hook["require_serial"] is False
    from identify.identify import tags_from_filename

    for name in ("README.md", "x.MD", "model_card.md"):
        assert set(hook["types"]) <= tags_from_filename(name)


@pytest.mark.parametrize("path, is_card", [
    ("README.md", True), ("models/bert/README.md", True), ("readme.MD", True),
    ("models/model_card.md", True), ("MODELCARD.md", True), ("docs/my_Model_Card_v2.md", True),
    ("docs/notes.md", False), ("README.rst", False), ("model_card.txt", False),
    ("not_readme.md", False), ("model_cards/notes.md", False), ("README.md.bak", False),
])
def test_files_pattern_matches_what_check_searches(path: str, is_card: bool) -> None:
    from carbonlint.checker import is_model_card

    hook = next(h for h in yaml.safe_load(MANIFEST.read_text()) if h["id"] == "carbonlint")
    assert bool(re.search(hook["files"], path)) is is_card
    assert is_model_card(path.rsplit("/", 1)[-1]) is is_card  # the CLI's directory search agrees


def test_try_repo_passes_on_a_good_card(tmp_path: Path, precommit_env: dict[str, str], hook_repo: Path) -> None:
    root = project(tmp_path / "project", precommit_env, {"models/good/README.md": "autotrain-clean"})
    result = pre_commit("try-repo", str(hook_repo), "carbonlint", "--all-files", cwd=root, env=precommit_env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"carbonlint \(model card CO2 metadata\)\.+Passed", result.stdout)


def test_try_repo_fails_on_a_bad_card(tmp_path: Path, precommit_env: dict[str, str], hook_repo: Path) -> None:
    root = project(tmp_path / "project", precommit_env, {"models/good/README.md": "autotrain-clean",
                                              "models/bad/model_card.md": "several-errors"})
    result = pre_commit("try-repo", str(hook_repo), "carbonlint", "--all-files", cwd=root, env=precommit_env)
    assert result.returncode == 1, result.stdout + result.stderr
    assert re.search(r"carbonlint \(model card CO2 metadata\)\.+Failed", result.stdout)
    assert "models/bad/model_card.md:5:14: CL106 [error]" in result.stdout
    assert "models/good/README.md: reporting class awareness" in result.stdout
    assert "notes.md" not in result.stdout  # not a model card: never passed to the hook


def test_try_repo_uses_uncommitted_changes(tmp_path: Path, precommit_env: dict[str, str], hook_repo: Path) -> None:
    """An edited, uncommitted hook definition is what try-repo runs (through a shadow commit)."""
    edited = tmp_path / "edited-repo"
    shutil.copytree(hook_repo, edited)
    manifest = edited / ".pre-commit-hooks.yaml"
    manifest.write_text(manifest.read_text().replace(
        "name: carbonlint (model card CO2 metadata)", "name: carbonlint (uncommitted edit)"))
    assert git("status", "--porcelain", cwd=edited, env=precommit_env).strip()  # really uncommitted
    root = project(tmp_path / "project", precommit_env, {"models/good/README.md": "autotrain-clean"})
    result = pre_commit("try-repo", str(edited), "carbonlint", "--all-files", cwd=root, env=precommit_env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "carbonlint (uncommitted edit)" in result.stdout
