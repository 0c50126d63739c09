"""Which files `check DIR` reads: include/exclude/extend-exclude, and what it says it skipped."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from carbonlint.config import ConfigError, from_mapping
from carbonlint.discovery import Tally, find_cards

CARD = """---
license: mit
co2_eq_emissions:
  emissions: 12.5
  source: CodeCarbon
  training_type: fine-tuning
  geographical_location: Ireland
  hardware_used: 1 x T4
---
# m
"""


def paths_in(out: str) -> list[str]:
    return [card["path"].replace(os.sep, "/") for card in json.loads(out)["files"]]


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository of cards: a folder of <model>.md cards, a docs folder, a hidden folder."""
    files = {
        "README.md": CARD,
        "cards/bert-tiny-sst2.md": CARD,
        "cards/roberta-base-imdb.md": CARD,
        "cards/NOTES.txt": "not markdown",
        "docs/README.md": "# How to use these models\n",
        "docs/guide.md": "# Guide\n",
        "models/t5/Model_Card.md": CARD,
        ".github/README.md": "# ci\n",
        "node_modules/pkg/README.md": "# pkg\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_default_search_finds_readme_and_model_cards_and_counts_the_rest(tree: Path) -> None:
    tally = Tally()
    found = list(find_cards(["."], tally=tally))
    assert found == [os.path.join(".", "README.md"), os.path.join(".", "docs", "README.md"),
                     os.path.join(".", "models", "t5", "Model_Card.md")]
    assert tally.skipped_markdown == {".": 3} and tally.cards == {".": 3}


def test_include_exclude_and_extend_exclude(tree: Path) -> None:
    found = list(find_cards(["."], include=("*.md",), exclude=(".*", "node_modules", "docs")))
    assert [p.replace(os.sep, "/") for p in found] == [
        "./README.md", "./cards/bert-tiny-sst2.md", "./cards/roberta-base-imdb.md",
        "./models/t5/Model_Card.md"]
    # A path pattern is relative to the root (the configuration file's folder).
    found = list(find_cards(["."], exclude=("docs/**",), root=str(tree)))
    assert "./docs/README.md" not in [p.replace(os.sep, "/") for p in found]


def test_an_excluded_file_named_explicitly_is_not_checked_and_said_so(tree: Path) -> None:
    tally = Tally()
    assert list(find_cards(["docs/README.md", "README.md"], exclude=("docs/**",),
                           root=str(tree), tally=tally)) == ["README.md"]
    assert tally.notes(("README.md",)) == ["docs/README.md matches an exclude pattern; not checked"]


def test_check_warns_when_a_folder_holds_no_card(run, tree: Path) -> None:
    code, out, err = run("check", "cards")
    assert code == 0
    assert out == "0 errors, 0 warnings, 0 infos in 0 cards.\n"
    assert err == ("carbonlint: warning: cards holds no model card (README.md, *model_card*.md, "
                   "*modelcard*.md); 2 Markdown files skipped: --include '*.md' checks them\n")
    code, out, err = run("check", "-f", "json", "--include", "*.md", "cards")
    assert code == 0 and err == ""
    assert paths_in(out) == ["cards/bert-tiny-sst2.md", "cards/roberta-base-imdb.md"]


def test_check_says_how_many_markdown_files_it_skipped(run, tree: Path) -> None:
    code, out, err = run("check", "-f", "json", ".")
    assert paths_in(out) == ["./README.md", "./docs/README.md", "./models/t5/Model_Card.md"]
    assert err == ("carbonlint: 3 Markdown files in . skipped (not README.md, *model_card*.md, "
                   "*modelcard*.md); --include '*.md' checks them\n")


def test_configuration_keys(tree: Path, run) -> None:
    (tree / ".carbonlint.toml").write_text(
        'include = ["*.md"]\nextend-exclude = ["docs", "README.md"]\nmin-class = "awareness"\n',
        encoding="utf-8")
    code, out, err = run("check", "-f", "json", ".")
    assert code == 0, out
    assert paths_in(out) == [
        "./cards/bert-tiny-sst2.md", "./cards/roberta-base-imdb.md", "./models/t5/Model_Card.md"]
    assert err == ""


@pytest.mark.parametrize("table, message", [
    ({"include": "*.md"}, None),
    ({"exclude": ["docs", ""]}, "exclude: must not hold an empty pattern"),
    ({"extend-exclude": [3]}, "extend-exclude: must be a list of strings"),
])
def test_configuration_values_are_validated(table: dict, message: str | None) -> None:
    if message is None:
        assert from_mapping(table).include == ("*.md",)
        return
    with pytest.raises(ConfigError, match=message):
        from_mapping(table)
