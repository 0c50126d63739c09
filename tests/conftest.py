from __future__ import annotations

import contextlib
import textwrap
from typing import Any

import pytest

from carbonlint.card import parse_bytes, parse_card
from carbonlint.checker import check_card
from carbonlint.config import Config
from carbonlint.findings import CardReport


def card_text(front_matter: str, body: str = "# Model\n") -> str:
    return "---\n" + textwrap.dedent(front_matter).strip("\n") + "\n---\n" + body


def lint_text(text: str, path: str = "README.md", **config: Any) -> CardReport:
    return check_card(parse_card(text, path), Config(**config))


def lint_bytes(raw: bytes, path: str = "README.md", **config: Any) -> CardReport:
    return check_card(parse_bytes(raw, path), Config(**config))


def lint(front_matter: str, body: str = "# Model\n", **config: Any) -> CardReport:
    return lint_text(card_text(front_matter, body), **config)


def codes(report: CardReport) -> list[str]:
    return [f.code for f in report.findings]


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]):
    """Run the CLI in-process: returns (exit code, stdout, stderr)."""
    from carbonlint.cli import main

    def invoke(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return invoke


@pytest.fixture(scope="session")
def precommit_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """An environment for git and pre-commit that nothing of the caller's leaks into."""
    import os

    from git_support import GIT_IDENTITY

    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTHONPATH", "VIRTUAL_ENV", "GIT_", "PRE_COMMIT"))}
    env.update(GIT_IDENTITY, NO_COLOR="1",
               PRE_COMMIT_HOME=str(tmp_path_factory.mktemp("pre-commit-home")))
    return env


@pytest.fixture(scope="session")
def hook_repo(tmp_path_factory: pytest.TempPathFactory, precommit_env: dict[str, str]):
    """This working tree (untracked files included) as one commit of a scratch repository:
    ``pre-commit try-repo`` sees uncommitted edits of tracked files but never untracked ones."""
    import shutil

    from git_support import REPO, git

    if not (REPO / ".git").exists():
        pytest.fail("not a git checkout: nothing for try-repo to install from")
    snapshot = tmp_path_factory.mktemp("carbonlint-repo")
    listed = git("ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=REPO,
                 env=precommit_env)
    for name in sorted(set(filter(None, listed.split("\0")))):
        if (REPO / name).is_file():  # tracked files deleted in the working tree are left out
            (snapshot / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, snapshot / name)
    for step in (("init", "-q"), ("add", "-A"), ("commit", "-q", "-m", "snapshot")):
        git(*step, cwd=snapshot, env=precommit_env)
    return snapshot


def cli_runner():
    """click's CliRunner with stderr kept apart, on every click pyproject.toml allows: 8.1 mixes
    it into stdout unless told not to, 8.2 and later always keep it apart (and dropped the flag)."""
    import inspect

    from click.testing import CliRunner

    if "mix_stderr" in inspect.signature(CliRunner.__init__).parameters:
        return CliRunner(mix_stderr=False)
    return CliRunner()


@contextlib.contextmanager
def time_limit(seconds: int):
    """Fails a block that runs longer than ``seconds`` (SIGALRM): a guard against hangs and
    quadratic blow-ups, which took 20 to 60 s before they were fixed, not a benchmark
    (bench/limits.py and bench/fuzz.py measure)."""
    import signal

    def expire(signum, frame):
        raise TimeoutError(f"took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture
def within():
    return time_limit
