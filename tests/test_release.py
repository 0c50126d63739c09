"""Releases a user can pin (RELEASING.md): tags, versions, the changelog and the documented pins
agree, and the sdist and wheel build and pass ``twine check``."""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import carbonlint

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from check_release import changelog_versions  # noqa: E402

PINNED_FILES = ("README.md", "docs/integrations.md", ".pre-commit-hooks.yaml")
PIN = re.compile(r"(?:\brev: |carbonlint/carbonlint@|carbonlint@)(v\d+\.\d+\.\d+)\b")


def git(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)


def tags() -> list[str]:
    if shutil.which("git") is None or git("rev-parse", "--git-dir").returncode != 0:
        pytest.skip("not a git checkout")
    return [t for t in git("tag", "--list", "v*").stdout.split() if t]


def _parts(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", version.split(".dev")[0]))


def test_version_and_changelog_agree(run) -> None:
    version = carbonlint.__version__
    released = changelog_versions((ROOT / "CHANGELOG.md").read_text(encoding="utf-8"))
    assert released, "CHANGELOG.md has no released version"
    if ".dev" in version:  # after a release: the next version, above the last one
        assert _parts(version) > _parts(released[0])
    else:
        assert version == released[0]
    assert run("--version")[1] == f"carbonlint {version}\n"


def test_every_tag_names_a_commit_of_its_version() -> None:
    for tag in tags():
        source = git("show", f"{tag}:src/carbonlint/__init__.py").stdout
        assert f'__version__ = "{tag[1:]}"' in source, tag
        changelog = git("show", f"{tag}:CHANGELOG.md").stdout
        assert tag[1:] in changelog_versions(changelog), tag


def test_documented_pins_are_releases() -> None:
    """What the documentation tells users to pin exists: a tag, or the release being made."""
    existing = set(tags())
    released = {f"v{v}" for v in changelog_versions((ROOT / "CHANGELOG.md").read_text("utf-8"))}
    pins = {pin for name in PINNED_FILES for pin in PIN.findall((ROOT / name).read_text("utf-8"))}
    assert pins, "the documentation shows no pinned version"
    for pin in pins:
        if not existing:
            # A clone without tags (a shallow CI checkout): the changelog is what says that a
            # version was released, and a pin may not name one above the running version.
            assert pin in released and _parts(pin[1:]) <= _parts(carbonlint.__version__), pin
            continue
        assert pin in existing or (pin in released and pin == f"v{carbonlint.__version__}"), pin
    assert not re.search(r"pip install carbonlint\b(?!\[)", (ROOT / "README.md").read_text("utf-8")), (
        "carbonlint is not on PyPI: the README must not tell users to pip install it from there")


@pytest.mark.skipif(not all(importlib.util.find_spec(m) for m in ("build", "twine", "hatchling")),
                    reason="the test extra brings build, twine and hatchling")
def test_sdist_and_wheel_build_and_pass_twine_check(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "check_release.py"), "--no-install",
         "--outdir", str(tmp_path)], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        f"carbonlint-{carbonlint.__version__}-py3-none-any.whl",
        f"carbonlint-{carbonlint.__version__}.tar.gz"]
