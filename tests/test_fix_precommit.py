"""The ``carbonlint-fix`` pre-commit hook, run by the real pre-commit.

``pre-commit try-repo`` installs a hook from a repository the way a user's ``rev:`` would, from
committed files. This working tree (committed or not) is therefore copied into a scratch
repository and committed there first. A user's repository with a fixable card is then run twice:
the first run rewrites the card and fails (pre-commit fails a hook that changed files), the
second finds nothing to do and passes. PRE_COMMIT_HOME is a scratch directory for the session, so
the user's own pre-commit cache is never touched.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from git_support import git, pre_commit

ROOT = Path(__file__).resolve().parent.parent
BAD_CARD = """\
---
license: mit
co2_eq_emission:
  emissions: "1.2 kg"   # from the tracker
  training_type: finetuning
  hardware_used: 1 x T4
  geographical_location: us-east-1
  source: CodeCarbon
---
# My model
"""
FIXED_CARD = BAD_CARD.replace("co2_eq_emission:", "co2_eq_emissions:").replace(
    '"1.2 kg"', "1200").replace("finetuning", "fine-tuning")

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="pre-commit needs git")


def test_the_hook_is_declared_like_the_check_hook() -> None:
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    fix, check = hooks["carbonlint-fix"], hooks["carbonlint"]
    assert fix["entry"] == "carbonlint fix --from-pre-commit" and fix["language"] == "python"
    assert fix["files"] == check["files"] and fix["types"] == check["types"]


def test_try_repo_fixes_then_passes(tmp_path: Path, precommit_env: dict[str, str],
                                    hook_repo: Path) -> None:
    project = tmp_path / "project"
    (project / "models" / "t4").mkdir(parents=True)
    git("init", "-q", cwd=project, env=precommit_env)
    card = project / "models" / "t4" / "README.md"
    card.write_text(BAD_CARD)
    (project / "notes.md").write_text("---\nco2_eq_emission: '1.2 kg'\n---\n")  # not a card
    git("add", "-A", cwd=project, env=precommit_env)

    def try_repo() -> subprocess.CompletedProcess[str]:
        return pre_commit("try-repo", str(hook_repo), "carbonlint-fix", "--all-files",
                          cwd=project, env=precommit_env)

    first = try_repo()
    assert first.returncode == 1, first.stdout + first.stderr
    assert re.search(r"carbonlint fix \(model card CO2 metadata\)\.+Failed", first.stdout)
    assert "files were modified by this hook" in first.stdout
    assert card.read_text() == FIXED_CARD
    assert (project / "notes.md").read_text() == "---\nco2_eq_emission: '1.2 kg'\n---\n"

    git("add", "-A", cwd=project, env=precommit_env)
    second = try_repo()
    assert second.returncode == 0, second.stdout + second.stderr
    assert re.search(r"carbonlint fix \(model card CO2 metadata\)\.+Passed", second.stdout)
    assert card.read_text() == FIXED_CARD
