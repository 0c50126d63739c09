"""Rule selection as ruff resolves it: layers (configuration, then command line), a --select that
starts afresh, the more specific prefix winning within a layer, per-file-ignores after all that.

Three kinds of test: ruff's documented examples, translated to carbonlint's codes; every
combination of the eight settings (four keys in the file, four options on the command line)
through the real TOML loading and option parsing, against an oracle written the way ruff's
resolver is (specificity levels in increasing order, selects then ignores, a layer with select
replacing the set), not the way carbonlint's is; and end-to-end runs of ``carbonlint check``.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from carbonlint.cli import UsageFailure, build_config
from carbonlint.rules import all_rules
from carbonlint.selection import RuleSelection, resolve

ALL = tuple(all_rules())


def ruff_oracle(layers: list[dict[str, list[str]]]) -> set[str]:
    """ruff's resolver (ruff_workspace::configuration::LintConfiguration::as_rule_table), in
    Python: per layer, for each specificity from least to most specific, the selects of that
    specificity switch rules on, then the ignores of that specificity switch them off; a layer
    that has ``select`` replaces the set with its result, otherwise the result is applied on top."""
    def spec(selector: str) -> int:
        return 0 if selector == "ALL" else len(selector)

    def rules(selector: str) -> list[str]:
        return list(ALL) if selector == "ALL" else [c for c in ALL if c.startswith(selector)]

    enabled = set(ALL)
    for layer in layers:
        updates: dict[str, bool] = {}
        selectors = [*layer.get("select", []), *layer.get("extend-select", [])]
        ignores = [*layer.get("ignore", []), *layer.get("extend-ignore", [])]
        for level in sorted({spec(s) for s in selectors + ignores}):
            for selector in (s for s in selectors if spec(s) == level):
                updates.update(dict.fromkeys(rules(selector), True))
            for selector in (s for s in ignores if spec(s) == level):
                updates.update(dict.fromkeys(rules(selector), False))
        if "select" in layer:
            enabled = {rule for rule, on in updates.items() if on}
        else:
            enabled |= {rule for rule, on in updates.items() if on}
            enabled -= {rule for rule, on in updates.items() if not on}
    return enabled


# -- ruff's documented examples ------------------------------------------------------------------


def test_cli_select_starts_afresh() -> None:
    # ruff docs: select = ["E", "F"], ignore = ["F401"]; `--select F401` enforces F401 only.
    file = RuleSelection(select=("CL1", "CL2"), ignore=("CL106",))
    assert resolve((file, RuleSelection(select=("CL106",)))) == {"CL106"}


def test_cli_extend_select_keeps_the_files_ignore() -> None:
    # ruff docs: `--extend-select B` enforces E, F and B, except F401.
    file = RuleSelection(select=("CL1", "CL2"), ignore=("CL106",))
    result = resolve((file, RuleSelection(extend_select=("CL3",))))
    assert "CL106" not in result
    assert {c for c in ALL if c.startswith(("CL1", "CL2", "CL3"))} - {"CL106"} == result


def test_more_specific_prefix_wins_and_ties_go_to_ignore() -> None:
    assert resolve((RuleSelection(select=("ALL",), ignore=("CL1",)),)) == {
        c for c in ALL if not c.startswith("CL1")}
    assert resolve((RuleSelection(select=("CL106",), ignore=("ALL",)),)) == {"CL106"}
    assert resolve((RuleSelection(select=("CL1",), ignore=("CL1",)),)) == set()
    assert resolve((RuleSelection(select=("CL1",), extend_select=("CL106",), ignore=("CL10",)),)) == {
        c for c in ALL if c.startswith("CL1") and not c.startswith("CL10")} | {"CL106"}


def test_a_layer_without_select_adjusts_what_it_inherits() -> None:
    file = RuleSelection(select=("CL2",))
    assert resolve((file, RuleSelection(ignore=("CL201",)))) == {
        c for c in ALL if c.startswith("CL2")} - {"CL201"}
    # A CLI ignore less specific than the file's select still wins: it is a later layer.
    assert resolve((RuleSelection(select=("CL201",)), RuleSelection(ignore=("CL2",)))) == set()


# -- every combination, through the real loading and parsing -------------------------------------

FILE_VALUES = {"select": ["CL1", "CL201"], "extend-select": ["CL3"], "ignore": ["CL10"],
               "extend-ignore": ["CL201", "CL106"]}
CLI_VALUES = {"select": ["CL106,CL2"], "extend-select": ["CL4"], "ignore": ["CL2"],
              "extend-ignore": ["CL3"]}


def _toml(keys: tuple[str, ...]) -> str:
    return "".join(f'{key} = {FILE_VALUES[key]!r}\n'.replace("'", '"') for key in keys)


@pytest.mark.parametrize("file_keys", [combo for n in range(5)
                                       for combo in itertools.combinations(FILE_VALUES, n)],
                         ids=lambda keys: "file:" + ("+".join(keys) or "none"))
def test_every_combination_matches_ruff(file_keys: tuple[str, ...], tmp_path: Path) -> None:
    config_file = tmp_path / "carbonlint.toml"
    config_file.write_text(_toml(file_keys))
    file_layer = {key: FILE_VALUES[key] for key in file_keys}
    for n in range(5):
        for cli_keys in itertools.combinations(CLI_VALUES, n):
            options = {key.replace("-", "_"): tuple(CLI_VALUES[key]) for key in cli_keys}
            cfg = build_config(config_file=str(config_file), **options)
            cli_layer = {key: [c for v in CLI_VALUES[key] for c in v.split(",")] for key in cli_keys}
            expected = ruff_oracle([file_layer, cli_layer])
            assert cfg.selected() == expected, (file_keys, cli_keys)


def test_oracle_and_resolver_agree_on_random_layers() -> None:
    hypothesis = pytest.importorskip("hypothesis")
    from hypothesis import strategies as st

    prefixes = sorted({c[:n] for c in ALL for n in (2, 3, 4, 5)} | {"ALL"})
    selectors = st.lists(st.sampled_from(prefixes), max_size=3)
    layer = st.fixed_dictionaries({}, optional={"select": selectors, "extend-select": selectors,
                                                "ignore": selectors})

    @hypothesis.given(st.lists(layer, max_size=3))
    @hypothesis.settings(max_examples=300, deadline=None)
    def agree(layers: list[dict[str, list[str]]]) -> None:
        resolved = resolve(tuple(
            RuleSelection(tuple(layer["select"]) if "select" in layer else None,
                          tuple(layer.get("extend-select", ())), tuple(layer.get("ignore", ())))
            for layer in layers))
        assert resolved == ruff_oracle(layers)

    agree()


# -- per-file-ignores ----------------------------------------------------------------------------


def test_per_file_ignores_apply_after_selection_even_to_a_full_code(tmp_path: Path) -> None:
    config_file = tmp_path / "c.toml"
    config_file.write_text('select = ["CL201"]\n[per-file-ignores]\n"legacy/*.md" = ["CL2"]\n')
    cfg = build_config(config_file=str(config_file))
    assert cfg.enabled("CL201", "models/README.md")
    assert not cfg.enabled("CL201", "legacy/README.md")
    # ... and after a CLI --select too, as in ruff.
    cfg = build_config(config_file=str(config_file), select=("CL201",))
    assert not cfg.enabled("CL201", "legacy/README.md")


def test_extend_per_file_ignores_in_the_file_and_on_the_command_line(tmp_path: Path) -> None:
    config_file = tmp_path / "c.toml"
    config_file.write_text('[per-file-ignores]\n"a/*.md" = ["CL2"]\n'
                           '[extend-per-file-ignores]\n"a/*.md" = ["CL1"]\n"b/*.md" = ["CL3"]\n')
    cfg = build_config(config_file=str(config_file))
    assert cfg.per_file_ignores == {"a/*.md": ("CL2", "CL1"), "b/*.md": ("CL3",)}
    cfg = build_config(config_file=str(config_file), extend_per_file_ignores=("c/*.md:CL4,CL5",))
    assert cfg.per_file_ignores["c/*.md"] == ("CL4", "CL5") and "a/*.md" in cfg.per_file_ignores
    # --per-file-ignores replaces the file's table; an item without a pattern continues the last.
    cfg = build_config(config_file=str(config_file),
                       per_file_ignores=("hf://acme/*:CL2,CL301", "d/*.md:CL1"))
    assert cfg.per_file_ignores == {"hf://acme/*": ("CL2", "CL301"), "d/*.md": ("CL1",)}
    assert not cfg.enabled("CL201", "hf://acme/model") and cfg.enabled("CL201", "a/x.md")


@pytest.mark.parametrize(("option", "value", "message"), [
    ("per_file_ignores", "CL2", "--per-file-ignores: 'CL2' has no file pattern"),
    ("extend_per_file_ignores", "a/*:E501", "--extend-per-file-ignores: 'E501' is not a rule code"),
    ("extend_select", "XX", "--extend-select: 'XX' is not a rule code"),
    ("extend_ignore", "CL9", "--extend-ignore: 'CL9' is not a rule code"),
])
def test_bad_selection_options_are_usage_errors(option: str, value: str, message: str,
                                                tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    with pytest.raises(UsageFailure, match=message.replace("*", r"\*").replace("(", r"\(")):
        build_config(config_file=None, **{option: (value,)})


@pytest.mark.parametrize(("content", "message"), [
    ('extend-select = ["CL9"]\n', "c.toml: extend-select: 'CL9' is not a rule code"),
    ('extend-ignore = 5\n', "c.toml: extend-ignore: must be a list of strings"),
    ('[extend-per-file-ignores]\n"a" = ["X"]\n', "c.toml: extend-per-file-ignores.a: 'X'"),
    ('fail-on = "sometimes"\n', "c.toml: fail-on: must be one of error, warning, info, never"),
])
def test_bad_selection_keys_name_the_file_and_key(content: str, message: str, tmp_path: Path) -> None:
    (tmp_path / "c.toml").write_text(content)
    with pytest.raises(UsageFailure) as raised:
        build_config(config_file=str(tmp_path / "c.toml"))
    assert message in str(raised.value)


# -- end to end ----------------------------------------------------------------------------------

CARD = ("---\nlicense: mit\nco2_eq_emissions:\n  emissions: '1.2 kg'\n  geographic_location: Germany\n"
        "  training_type: finetuning\n---\n# Model\n")


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / "README.md").write_text(CARD)
    (tmp_path / "legacy").mkdir()
    (tmp_path / "legacy" / "README.md").write_text(CARD)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return tmp_path


def found(out: str) -> set[tuple[str, str]]:
    """(path, code) of each finding line of the text output."""
    pairs = set()
    for line in out.splitlines():
        parts = line.split(": ", 1)[0].split(":")
        rest = line.split(" ")
        if len(parts) == 3 and len(rest) > 1 and rest[1].startswith("CL"):
            pairs.add((parts[0], rest[1]))
    return pairs


def test_the_issue_case_end_to_end(run, repo: Path) -> None:
    (repo / ".carbonlint.toml").write_text('ignore = ["CL106"]\n')
    code, out, _ = run("check", "README.md")
    assert ("README.md", "CL106") not in found(out)
    code, out, _ = run("check", "--select", "CL106", "README.md")
    assert found(out) == {("README.md", "CL106")} and code == 1


def test_layers_end_to_end(run, repo: Path) -> None:
    (repo / ".carbonlint.toml").write_text(
        'select = ["CL1"]\nextend-select = ["CL201"]\nignore = ["CL107"]\n'
        '[per-file-ignores]\n"legacy/*" = ["CL106"]\n')
    _, out, _ = run("check", "README.md", "legacy/README.md")
    assert found(out) == {("README.md", "CL106"), ("README.md", "CL109"), ("README.md", "CL201"),
                          ("legacy/README.md", "CL109"), ("legacy/README.md", "CL201")}
    _, out, _ = run("check", "--extend-select", "CL107", "--ignore", "CL2", "--extend-ignore",
                    "CL109", "README.md")
    assert found(out) == {("README.md", "CL106"), ("README.md", "CL107")}
    _, out, _ = run("check", "--select", "CL109", "--select", "CL201", "--per-file-ignores",
                    "legacy/*:CL201", "README.md", "legacy/README.md")
    assert found(out) == {("README.md", "CL109"), ("README.md", "CL201"), ("legacy/README.md", "CL109")}
