"""``carbonlint fix``: exact results per rule, nothing outside co2_eq_emissions touched, safe writes.

The central promise is byte preservation: the only bytes that change are inside the
``co2_eq_emissions`` entry. The exact-output tests pin what each fix writes; the file tests run the
CLI on real-shaped cards in every line-ending and BOM variant and compare bytes; the property test
generates cards around a broken block and checks that everything before and after it survives.
"""

from __future__ import annotations

import os
import stat
import textwrap
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carbonlint.card import parse_card
from carbonlint.config import Config
from carbonlint.findings import Finding, Fix, Span
from carbonlint.fix import FixOptions, apply_edits, Edit, edits_for, fix_text, unified_diff, verify


def fixed(front_matter: str, body: str = "# Model\n", **options: bool) -> str:
    """The card after fixing, as text (only the front matter is given, dedented)."""
    text = "---\n" + textwrap.dedent(front_matter).strip("\n") + "\n---\n" + body
    out, _, _, _ = fix_text(text, "README.md", Config(), FixOptions(**options))
    return out


def front(front_matter: str, body: str = "# Model\n") -> str:
    return "---\n" + textwrap.dedent(front_matter).strip("\n") + "\n---\n" + body


# -- what each fix writes ----------------------------------------------------------------------

EXACT = [
    # CL106: text with a unit becomes grams; quotes go.
    ('co2_eq_emissions:\n  emissions: "0.21 in grams of CO2"', "co2_eq_emissions:\n  emissions: 0.21"),
    ('co2_eq_emissions:\n  emissions: "1.2 kg"', "co2_eq_emissions:\n  emissions: 1200"),
    ("co2_eq_emissions: '24.7 tonnes'", "co2_eq_emissions: 24700000"),
    ("co2_eq_emissions:\n  emissions: 12.5 kgCO2eq  # hand-written",
     "co2_eq_emissions:\n  emissions: 12500  # hand-written"),
    ('co2_eq_emissions:\n  emissions: "500 mg"', "co2_eq_emissions:\n  emissions: 0.5"),
    ("co2_eq_emissions:\n  emissions: 1.5e3", "co2_eq_emissions:\n  emissions: 1500"),
    ('co2_eq_emissions:\n  emissions: 3\n  hours_used: "12"', "co2_eq_emissions:\n  emissions: 3\n  hours_used: 12"),
    # CL107: the misspelled key takes the spec's name; its value and comment stay.
    ("co2_eq_emissions:\n  emissions: 150\n  geographic_location: Frankfurt, Germany  # DE",
     "co2_eq_emissions:\n  emissions: 150\n  geographical_location: Frankfurt, Germany  # DE"),
    ('co2_eq_emissions:\n  emissions: 150\n  "hardware used": 1 x A100',
     "co2_eq_emissions:\n  emissions: 150\n  hardware_used: 1 x A100"),
    # CL109: the documented spelling, in the value's own quotes.
    ("co2_eq_emissions:\n  emissions: 1\n  training_type: finetuning",
     "co2_eq_emissions:\n  emissions: 1\n  training_type: fine-tuning"),
    ("co2_eq_emissions:\n  emissions: 1\n  training_type: 'Pre Training'",
     "co2_eq_emissions:\n  emissions: 1\n  training_type: 'pre-training'"),
    ('co2_eq_emissions:\n  emissions: 1\n  training_type: "pretraining"',
     'co2_eq_emissions:\n  emissions: 1\n  training_type: "pre-training"'),
    # CL111: underscores go; the digits stay.
    ("co2_eq_emissions:\n  emissions: 24_700_000", "co2_eq_emissions:\n  emissions: 24700000"),
    ("co2_eq_emissions: 1_234.5", "co2_eq_emissions: 1234.5"),
    # CL112: the top-level key is renamed, the block below it untouched.
    ("co2_eq_emission:\n  emissions: 150", "co2_eq_emissions:\n  emissions: 150"),
    ("CO2-eq-emissions: 150", "co2_eq_emissions: 150"),
    # CL108: the dashes go; comments between the entries stay.
    ("co2_eq_emissions:\n  - emissions: 12.5  # measured\n  # from the tracker\n  - source: CodeCarbon",
     "co2_eq_emissions:\n  emissions: 12.5  # measured\n  # from the tracker\n  source: CodeCarbon"),
    ("co2_eq_emissions:\n- emissions: 12.5\n- source: CodeCarbon",
     "co2_eq_emissions:\n  emissions: 12.5\n  source: CodeCarbon"),
    ("co2_eq_emissions: [{emissions: 12.5}, {source: CodeCarbon}]",
     "co2_eq_emissions: {emissions: 12.5, source: CodeCarbon}"),
    # Several at once, over several rounds (the rename first, then what is inside).
    ('co2_eq_emission:\n  - emissions: "1.2 kg"\n  - training_type: finetuning',
     "co2_eq_emissions:\n  emissions: 1200\n  training_type: fine-tuning"),
]


@pytest.mark.parametrize(("before", "after"), EXACT)
def test_fix_writes_exactly(before: str, after: str) -> None:
    assert fixed(before) == front(after)


@pytest.mark.parametrize("before", [
    'co2_eq_emissions:\n  emissions: "1,200 g"',  # 1.2 or 1200: a decimal comma is a guess
    'co2_eq_emissions:\n  emissions: 3\n  hours_used: "3 kg"',  # a mass in the hours field
    "co2_eq_emissions:\n  emissions: 010",  # 8 for YAML 1.1, 10 for 1.2: which was meant?
    "co2_eq_emissions:\n  emissions: 3\n  hours_used: 1:30",  # 90, or an hour and a half?
    "co2_eq_emissions:\n  emissions: 150\n  co2: 12",  # kilograms or grams?
    "co2_eq_emissions:\n  emissions: 150\n  geographic_location: France\n  geographical_location: France",
    "co2_eq_emissions:\n  emissions: 1\n  hardware: A100\n  hardwares_used: A100",  # both mean hardware_used
    "co2_eq_emissions:\n  emissions: 1\n  training_type: unknown",
    "co2_eq_emission: 1\nco2-eq-emissions: 2",  # which of the two is meant?
    "co2_eq_emission: 1\nco2_eq_emissions: 2",  # the right key is there already
    "carbon_emissions: 150",  # another name, not a misspelling
    "co2_eq_emissions:\n  - emissions: 1\n  - emissions: 2",  # would repeat a key
    "co2_eq_emissions:\n  - {emissions: 1}\n  - {source: x}",  # flow entries on block lines
    "co2_eq_emissions: 12.5",  # the short form is valid: the mapping form is opt-in
])
def test_uncertain_cases_are_left_alone(before: str) -> None:
    assert fixed(before) == front(before)


def test_mapping_form_is_opt_in() -> None:
    card = "co2_eq_emissions: 12.5  # AutoTrain"
    assert fixed(card) == front(card)
    assert fixed(card, mapping_form=True) == front("co2_eq_emissions:\n  emissions: 12.5  # AutoTrain")
    assert fixed("co2_eq_emissions:\n    3.7", mapping_form=True) == front("co2_eq_emissions:\n    emissions: 3.7")
    four = "license: mit\nextra:\n    a: 1\nco2_eq_emissions: 12.5"
    assert fixed(four, mapping_form=True) == front(
        "license: mit\nextra:\n    a: 1\nco2_eq_emissions:\n    emissions: 12.5")


def test_kilograms_confirmed_by_the_text_are_fixed() -> None:
    body = "\n# M\n\nFine-tuning emitted 5.6 KgCO2 on one A100.\n"
    card = "co2_eq_emissions:\n  emissions: 5.6\n  source: CodeCarbon"
    assert fixed(card, body) == front("co2_eq_emissions:\n  emissions: 5600\n  source: CodeCarbon", body)


def test_a_slip_only_the_estimate_suggests_needs_unsafe_fixes() -> None:
    card = ("co2_eq_emissions:\n  emissions: 2.1\n  hours_used: 10\n  hardware_used: 1 x A100 40GB\n"
            "  geographical_location: Germany")
    assert fixed(card) == front(card)
    assert fixed(card, unsafe=True) == front(card.replace("emissions: 2.1", "emissions: 2100"))


def test_suppressed_findings_are_not_fixed() -> None:
    card = 'co2_eq_emissions:\n  emissions: "1.2 kg"  # carbonlint: ignore[CL106]'
    assert fixed(card) == front(card)


def test_only_selected_rules_are_fixed() -> None:
    card = 'co2_eq_emissions:\n  emissions: "1.2 kg"\n  training_type: finetuning'
    text = front(card)
    out, applied, _, _ = fix_text(text, "README.md", Config(select=("CL109",)))
    assert out == front('co2_eq_emissions:\n  emissions: "1.2 kg"\n  training_type: fine-tuning')
    assert dict(applied) == {"CL109": 1}


@pytest.mark.parametrize(("before", "_"), EXACT)
def test_fixing_twice_changes_nothing(before: str, _: str) -> None:
    once = fixed(before)
    again, applied, _report, _note = fix_text(once, "README.md", Config())
    assert again == once and not applied


# -- the machinery's guards ----------------------------------------------------------------------


def _finding(code: str, key: str, fix: Fix) -> Finding:
    from carbonlint.findings import Category, Severity

    return Finding(code, Category.SCHEMA, Severity.ERROR, "m", fix.span, key, None, fix)


def test_a_fix_outside_its_entry_is_dropped() -> None:
    card = parse_card(front("license: mit\nco2_eq_emissions: 12"), "README.md")
    # A (buggy) fix for a co2_eq_emissions finding that points at 'license'.
    stray = _finding("CL106", "co2_eq_emissions", Fix(Span(2, 10, 2, 13), "gpl", "x"))
    inside = _finding("CL106", "co2_eq_emissions", Fix(Span(3, 19, 3, 21), "13", "x"))
    assert [edit for _, edit in edits_for(card, [stray, inside])] == [Edit(35, 37, "13")]


def test_overlapping_edits_take_the_first() -> None:
    text, taken = apply_edits("abcdef", [Edit(1, 3, "X"), Edit(2, 4, "Y"), Edit(4, 4, "+"),
                                         Edit(4, 4, "-"), Edit(5, 6, "Z")])
    assert text == "aXd+-eZ"
    assert taken == [Edit(1, 3, "X"), Edit(4, 4, "+"), Edit(4, 4, "-"), Edit(5, 6, "Z")]


@pytest.mark.parametrize(("after", "reason"), [
    ("---\nlicense: mit\nco2_eq_emissions: 1\nlicense: gpl\n---\n", "CL003"),
    ("---\nlicense: gpl\nco2_eq_emissions: 1\n---\n", "value of 'license'"),
    ("---\nco2_eq_emissions: 1\n---\n", "which keys"),
    ("---\nlicense: mit\nco2_eq_emissions: [\n---\n", "CL001"),
])
def test_verify_refuses_results_that_change_anything_else(after: str, reason: str) -> None:
    before = parse_card("---\nlicense: mit\nco2_eq_emissions: 1\n---\n", "README.md")
    problem = verify(before, after)
    assert problem is not None and reason in problem


@pytest.mark.parametrize(("before", "after", "same"), [
    ("a: [1, {b: c}]", "a:\n- 1\n- b: c", True),  # style is not value
    ("a: 1", "a: 1.0", False),  # another text, another tag
    ("a: '1'", "a: 1", False),  # quoted: a string; plain: an int
    ("a: x", "a: 'x'", True),  # both strings
    ("a: {b: 1, c: 2}", "a: {c: 2, b: 1}", False),  # order is part of the value
    ("a: [1, 2]", "a: [1, 2, 3]", False),
    ("a: [1]", "a: {1: null}", False),
    ("a: !!set {x}", "a: {x}", False),  # the tag decides what is built
])
def test_same_tree_compares_what_builds_the_value(before: str, after: str, same: bool) -> None:
    from carbonlint.fix import same_tree

    nodes = [yaml.compose(text).value[0][1] for text in (before, after)]
    assert same_tree(*nodes) is same


def test_verify_by_nodes_agrees_with_building_the_values() -> None:
    """Each way verify can end, with and without the node comparison: the same answer."""
    import random

    from carbonlint import fix

    rng = random.Random(5)
    # Pairs that differ in text but not value (null, ~), in tag but not text ('1', 1), ...
    values = ["1", "1.0", "'1'", "x", "'x'", "[1, 2]", "{b: 1}", ".nan", "2021-01-01", "null", "~",
              "true", "'true'", "!!str 5", "'5'"]
    accepted = refused = 0
    for _ in range(1000):
        keys = rng.sample(["license", "tags", "b", "c"], rng.randint(1, 3))
        old = {key: rng.choice(values) for key in keys}
        new = {key: rng.choice(values) if rng.random() < 0.3 else value
               for key, value in old.items()}
        before = "---\n" + "".join(f"{k}: {v}\n" for k, v in old.items())
        before += "co2_eq_emissions: 1\n---\n"
        after = "---\n" + "".join(f"{k}: {v}\n" for k, v in new.items())
        after += "co2_eq_emissions: 2\n---\n"
        with_nodes = verify(parse_card(before, "README.md"), after)
        original = fix._comparable_by_nodes
        fix._comparable_by_nodes = lambda before, after: False  # type: ignore[assignment]
        try:
            without = verify(parse_card(before, "README.md"), after)
        finally:
            fix._comparable_by_nodes = original
        assert with_nodes == without, (before, after)
        accepted += with_nodes is None
        refused += with_nodes is not None
    assert accepted > 100 and refused > 100  # both answers were given many times


@pytest.mark.parametrize(("a", "b"), [("", ""), ("abc", "abc"), ("abc", "abd"), ("abc", "ab"),
                                      ("x" * 1000 + "a", "x" * 1000 + "b"), ("a", "b")])
def test_common_prefix_length(a: str, b: str) -> None:
    from carbonlint.fix import common_prefix_length

    naive = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    assert common_prefix_length(a, b) == common_prefix_length(b, a) == naive


def test_common_prefix_length_on_random_texts() -> None:
    import random

    from carbonlint.fix import common_prefix_length

    rng = random.Random(3)
    for _ in range(500):
        a = "".join(rng.choice("ab") for _ in range(rng.randint(0, 40)))
        cut = rng.randint(0, len(a))
        b = a[:cut] + "".join(rng.choice("ab") for _ in range(rng.randint(0, 5)))
        naive = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
        assert common_prefix_length(a, b) == naive


def test_a_fix_that_would_break_the_metadata_is_not_applied() -> None:
    from carbonlint.checker import check_card

    text = front('license: mit\nco2_eq_emissions:\n  emissions: "1.2 kg"')
    card = parse_card(text, "README.md")
    report = check_card(card, Config())
    (finding,) = [f for f in report.findings if f.code == "CL106"]
    broken = finding._replace(fix=finding.fix._replace(replacement="1200\nlicense: gpl"))
    new_text, _ = apply_edits(card.text, [e for _, e in edits_for(card, [broken])])
    assert verify(card, new_text) is not None


# -- files and the CLI ---------------------------------------------------------------------------

REAL = """\
---
language:
- en
- fr   # two
license: apache-2.0
tags:
  - text-classification
widget:
  - text: "Ceci est un très long texte — avec des guillemets « français » et un émoji 🌍, répété pour faire une longue ligne de widget qui dépasse largement quatre-vingts colonnes."
    example_title: "Long"
# the emissions, filled in by hand
co2_eq_emission:       # see below
    emissions: "1.2 kg"   # measured with CodeCarbon
    training_type: 'finetuning'
    geographic_location: Paris, France
    hours_used: 1_000
datasets: [imdb, "squad"]
---

# Model — ünïcödé

Some text.
---
Not front matter: a second block after a rule.
---
key: value
---
"""

REAL_FIXED = REAL.replace(
    """co2_eq_emission:       # see below
    emissions: "1.2 kg"   # measured with CodeCarbon
    training_type: 'finetuning'
    geographic_location: Paris, France
    hours_used: 1_000""",
    """co2_eq_emissions:       # see below
    emissions: 1200   # measured with CodeCarbon
    training_type: 'fine-tuning'
    geographical_location: Paris, France
    hours_used: 1000""")


def encode(text: str, newline: str, bom: bool) -> bytes:
    return (b"\xef\xbb\xbf" if bom else b"") + text.replace("\n", newline).encode("utf-8")


@pytest.mark.parametrize("bom", [False, True], ids=["no-bom", "bom"])
@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "cr"])
def test_every_other_byte_is_kept(tmp_path: Path, run, newline: str, bom: bool) -> None:
    card = tmp_path / "README.md"
    card.write_bytes(encode(REAL, newline, bom))
    code, out, err = run("fix", str(card))
    assert card.read_bytes() == encode(REAL_FIXED, newline, bom)
    assert code == 0, out + err  # what is left (hardware, source) is a warning and an info
    assert f"{card}: applied 5 fixes (CL106, CL107, CL109, CL111, CL112)" in err
    assert "Applied 5 fixes in 1 card." in err
    assert "CL201 [warning]" in out  # the report is of the fixed card


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "cr"])
def test_flow_style_and_four_spaces(tmp_path: Path, run, newline: str) -> None:
    before = ('---\nlicense: mit\nco2_eq_emissions: {emissions: "1.2 kg", training_type: finetuning}\n'
              "model-index:\n    - name: x\n---\n# M\n")
    card = tmp_path / "README.md"
    card.write_bytes(before.replace("\n", newline).encode())
    assert run("fix", str(card))[0] == 0
    after = before.replace('{emissions: "1.2 kg", training_type: finetuning}',
                           "{emissions: 1200, training_type: fine-tuning}")
    assert card.read_bytes() == after.replace("\n", newline).encode()


def test_diff_prints_and_writes_nothing(tmp_path: Path, run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("README.md").write_text(front('license: mit\nco2_eq_emissions:\n  emissions: "1.2 kg"\n  hardware_used: 1 x T4'))
    before = Path("README.md").read_bytes()
    code, out, err = run("fix", "--diff", "README.md")
    assert code == 1  # as ruff check --diff: something would change
    assert Path("README.md").read_bytes() == before
    assert out == (
        "--- README.md\n+++ README.md\n@@ -1,7 +1,7 @@\n ---\n license: mit\n co2_eq_emissions:\n"
        '-  emissions: "1.2 kg"\n+  emissions: 1200\n   hardware_used: 1 x T4\n ---\n # Model\n'
    )
    assert "README.md: would apply 1 fix (CL106)" in err
    run("fix", "README.md")
    assert run("fix", "--diff", "README.md")[:2] == (0, "")


def test_diff_keeps_the_files_line_breaks(tmp_path: Path, run) -> None:
    card = tmp_path / "README.md"
    card.write_bytes(b'---\r\nco2_eq_emissions:\r\n  emissions: "1.2 kg"\r\n---\r\n')
    code, out, _ = run("fix", "--diff", str(card))
    assert code == 1 and '-  emissions: "1.2 kg"\r\n+  emissions: 1200\r\n' in out


def test_diff_marks_a_missing_final_line_break() -> None:
    assert unified_diff("a.md", "x\ny", "x\nz").endswith("-y\n\\ No newline at end of file\n+z\n"
                                                         "\\ No newline at end of file\n")


def test_write_keeps_permissions_and_leaves_no_temporary_file(tmp_path: Path, run) -> None:
    card = tmp_path / "README.md"
    card.write_text(front('co2_eq_emissions:\n  emissions: "1.2 kg"'))
    card.chmod(0o640)
    run("fix", str(card))
    assert stat.S_IMODE(card.stat().st_mode) == 0o640
    assert "emissions: 1200" in card.read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["README.md"]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links")
def test_a_symbolic_link_stays_a_link(tmp_path: Path, run) -> None:
    (tmp_path / ".git").mkdir()  # the tree the link stays in (tests/test_fix_write.py: outside it)
    target = tmp_path / "cards" / "model.md"
    target.parent.mkdir()
    target.write_text(front('co2_eq_emissions:\n  emissions: "1.2 kg"'))
    link = tmp_path / "README.md"
    link.symlink_to(target)
    run("fix", str(link))
    assert link.is_symlink() and "emissions: 1200" in target.read_text()


@pytest.mark.parametrize("raw", [
    b"---\nco2_eq_emissions: [\n  emissions: '1.2 kg'\n---\n# M\n",  # not YAML
    b"---\nco2_eq_emissions: '1.2 kg'\n",  # never closed
    b"---\nco2_eq_emissions: '1.2 kg'\nlicense: caf\xe9\n---\n",  # not UTF-8
])
def test_a_card_that_cannot_be_parsed_is_untouched(tmp_path: Path, run, raw: bytes) -> None:
    card = tmp_path / "README.md"
    card.write_bytes(raw)
    code, _, err = run("fix", str(card))
    assert card.read_bytes() == raw
    assert code == 1 and "Nothing to fix." in err


def test_exit_code_counts_what_is_left(tmp_path: Path, run) -> None:
    fixable = tmp_path / "a" / "README.md"
    stuck = tmp_path / "b" / "README.md"
    for path in (fixable, stuck):
        path.parent.mkdir()
    fixable.write_text(front('co2_eq_emissions:\n  emissions: "1.2 kg"\n  hardware_used: 1 x T4'))
    stuck.write_text(front("co2_eq_emissions:\n  emissions: TBD"))
    assert run("fix", str(fixable))[0] == 0
    assert run("fix", str(stuck))[0] == 1  # CL102: no fix can know the number
    code, out, _ = run("fix", "--format", "json", str(tmp_path))
    import json

    files = json.loads(out)["files"]
    assert code == 1 and [f["path"] for f in files] == [str(fixable), str(stuck)]


def test_held_back_fixes_are_announced(tmp_path: Path, run) -> None:
    card = tmp_path / "README.md"
    card.write_text(front("co2_eq_emissions: 12.5\nlicense: mit"))
    code, _, err = run("fix", str(card))
    assert "1 more fix available with --mapping-form." in err
    run("fix", "--mapping-form", str(card))
    assert card.read_text() == front("co2_eq_emissions:\n  emissions: 12.5\nlicense: mit")


def test_no_path_means_readme(tmp_path: Path, run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("README.md").write_text(front("co2_eq_emissions:\n  emissions: 24_700_000"))
    run("fix")
    assert "emissions: 24700000" in Path("README.md").read_text()


def test_fix_is_listed_and_documented(run) -> None:
    code, out, _ = run("fix", "--help")
    assert code == 0 and "--diff" in out and "--from-codecarbon" in out and "--unsafe-fixes" in out


# -- property: nothing outside the block changes -------------------------------------------------

_BROKEN_BLOCKS = [
    'co2_eq_emissions:\n  emissions: "1.2 kg"  # c\n  training_type: finetuning',
    "co2_eq_emission:\n    emissions: 24_700_000\n    geographic_location: France",
    "co2_eq_emissions:\n  - emissions: '0.5 kg'\n  # note\n  - source: CodeCarbon",
    "co2_eq_emissions: {emissions: '3 t', training_type: 'Fine Tuning'}",
    "co2_eq_emissions: 1_500",
    "co2_eq_emissions: 12.5   # AutoTrain",
    "co2_eq_emissions:\n  emissions: 5.6\n  hours_used: '3'",
    "co2_eq_emissions:\n- emissions: 7\n- hardwares_used: 1 x T4",
]
_VALUES = st.sampled_from(["mit", "'quoted: yes'", '"dq # not a comment"', "1.0", "yes", "[a, b]",
                           "{x: 1}", "ünïcödé ✓", "|\n  block\n  text", "\n  - item\n  - item2"])
_KEYS = st.sampled_from(["license", "tags", "language", "widget", "library_name", "datasets",
                         "pipeline_tag", "base_model", "model-index"])


@st.composite
def cards(draw: st.DrawFn) -> tuple[str, str, str]:
    """(text before the block, the block, text after it), line breaks still LF."""
    keys = draw(st.lists(_KEYS, unique=True, max_size=5))
    entries = []
    for key in keys:
        comment = draw(st.sampled_from(["", "  # kept", "   #x"]))
        value = draw(_VALUES)
        entries.append(f"{key}: {value}{comment}" if not value.startswith("|") else f"{key}: {value}")
    split = draw(st.integers(0, len(entries)))
    lead = draw(st.sampled_from(["", "# top comment\n"]))
    before = "---\n" + lead + "".join(e + "\n" for e in entries[:split])
    after = "".join("\n" + e for e in entries[split:]) + "\n---\n" + draw(
        st.sampled_from(["", "# Body\n", "# Body\n---\nnot: metadata\n---\n", "ü\n\n---\n"]))
    return before, draw(st.sampled_from(_BROKEN_BLOCKS)), after


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(card=cards(), newline=st.sampled_from(["\n", "\r\n", "\r"]),
       options=st.builds(FixOptions, st.booleans(), st.booleans()))
def test_fix_never_changes_bytes_outside_the_block(card: tuple[str, str, str], newline: str,
                                                   options: FixOptions) -> None:
    before, block, after = (part.replace("\n", newline) for part in card)
    text = before + block + after
    out, _, _, _ = fix_text(text, "README.md", Config(), options)
    assert out.startswith(before) and out.endswith(after)
    again, applied, _, _ = fix_text(out, "README.md", Config(), options)
    assert again == out and not applied  # idempotent
