from __future__ import annotations

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
