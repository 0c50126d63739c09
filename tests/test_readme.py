"""The documentation shows what carbonlint prints: every ``console`` block of README.md and
docs/*.md that shows a ``carbonlint check``/``explain``/``rules`` command followed by its output
is run from the repository root, and its output must be the one shown, to the character."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
BLOCK = re.compile(r"^```console\n(.*?)^```", re.S | re.M)
RUNNABLE = ("check", "explain", "rules")


def shown_runs() -> list[tuple[str, str, str]]:
    """(document, command, output shown) for every command shown with its output."""
    runs = []
    for document in DOCUMENTS:
        for block in BLOCK.findall(document.read_text(encoding="utf-8")):
            # A block holds one or more "$ command" lines, each followed by its output.
            for chunk in re.split(r"^(?=\$ )", block, flags=re.M):
                if not chunk.startswith("$ "):
                    continue
                command, _, output = chunk[2:].partition("\n")
                words = shlex.split(command, comments=True)
                if output and len(words) > 1 and words[0] == "carbonlint" and words[1] in RUNNABLE:
                    runs.append((document.relative_to(ROOT).as_posix(), command, output))
    return runs


def test_the_readme_shows_a_run() -> None:
    assert any(document == "README.md" for document, _, _ in shown_runs())


@pytest.mark.parametrize(("document", "command", "output"), shown_runs(),
                         ids=lambda value: value if isinstance(value, str) and value.startswith(("README", "docs")) else "")
def test_shown_output_is_what_carbonlint_prints(document: str, command: str, output: str, run,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    _, printed, _ = run(*shlex.split(command, comments=True)[1:])
    assert printed == output, f"{document}: the output shown for `{command}` is not what it prints"
