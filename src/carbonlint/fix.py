"""``carbonlint fix``: apply the edits the rules attach to their findings, and fill
``co2_eq_emissions`` from CodeCarbon's ``emissions.csv``.

Precise text edits, not a round-trip YAML library. The card is the author's file: its other
keys, comments, quoting, indentation, key order, line endings (LF, CRLF, CR), byte order mark and
Markdown body must come out byte for byte as they went in. ruamel.yaml re-emits every block it
loads: it normalises indentation and line breaks, re-wraps long widget texts, may re-quote scalars
and move comments, and it reads YAML 1.2 where the Hub reads 1.1. carbonlint already knows the
exact file offset of every node, so each fix is "replace these characters with those", which
cannot touch anything else. Edits are applied bottom-up (later offsets first, so earlier ones stay
valid), never overlapping; then the card is parsed and checked again, until no fix is left
(bounded). After every round the result is parsed again and compared with the card before it:
it must still parse, gain no parse problem, and every top-level key but ``co2_eq_emissions`` must
hold the same value. An edit that fails this is not written.

Each fix stays inside the top-level entry its finding is about (``co2_eq_emissions``, or for
CL112 the misspelled key that becomes it); a fix pointing elsewhere is dropped.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from typing import TYPE_CHECKING, Any, Iterable, Iterator

import yaml

from carbonlint.card import CO2_KEY, Card, Metadata, parse_card
from carbonlint.findings import CardReport, Finding, Fix, Span
from carbonlint.record import Record

if TYPE_CHECKING:
    from carbonlint.config import Config

MAX_ROUNDS = 10
# Fixes that change the card's form rather than correct it are applied only when asked for
# (code: the option that asks; FixOptions.mapping_form is the only one so far).
OPT_IN = {"CL205": "--mapping-form"}
# Parse problems after which the card is left alone: carbonlint does not know its structure.
UNREADABLE = frozenset({"CL001", "CL002", "CL004", "CL005", "CL006"})
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_BOM = b"\xef\xbb\xbf"


class FixError(Exception):
    """The card cannot take the edit (its message says why); the file is left as it was."""


class FixOptions(Record):
    unsafe: bool = False  # also apply fixes marked unsafe (--unsafe-fixes)
    mapping_form: bool = False  # also rewrite the number-only form as a mapping (--mapping-form)

    def allows(self, finding: Finding) -> bool:
        fix = finding.fix
        if fix is None or (fix.unsafe and not self.unsafe):
            return False
        return finding.code not in OPT_IN or self.mapping_form


class Edit(Record):
    """Replace ``text[start:end]`` (character offsets of the card's text) with ``replacement``."""

    start: int
    end: int
    replacement: str


class Outcome:
    """What ``fix`` did to one file. (A plain class: the rules import this module during
    ``check`` to build their fixes, and a dataclass costs a millisecond to create.)"""

    def __init__(self, path: str, before: bytes, after: bytes, report: CardReport,
                 applied: Counter[str] | None = None, held_back: Counter[str] | None = None,
                 note: str | None = None) -> None:
        self.path = path
        self.before = before
        self.after = after
        self.report = report  # the card as it is after fixing
        self.applied = applied if applied is not None else Counter()  # fixes applied, by code
        self.held_back = held_back if held_back is not None else Counter()  # left, by option
        self.note = note  # why something asked for was not done
        self.remark: str | None = None  # why an optional fill (--estimate) was not made

    @property
    def changed(self) -> bool:
        return self.before != self.after


# -- building fixes (called by the rules) --------------------------------------------------------


def offsets(card: Card, node: yaml.Node) -> tuple[int, int]:
    """Character offsets of a node in the card's text, trailing white space trimmed (as
    :meth:`Card.span`)."""
    start = card.yaml_offset + node.start_mark.index
    end = card.yaml_offset + node.end_mark.index
    while end > start and card.text[end - 1] in " \t\r\n":
        end -= 1
    return start, end


def span_of(card: Card, start: int, end: int) -> Span:
    line, column = card.position(start)
    end_line, end_column = card.position(end)
    return Span(line, column, end_line, end_column)


def replace_node(card: Card, node: yaml.Node, replacement: str, description: str, *,
                 unsafe: bool = False) -> Fix:
    """A fix that replaces one node (quotes included) with ``replacement``."""
    return Fix(card.span(node), replacement, description, unsafe)


def emissions_number_fix(context: Any, number: str, *, unsafe: bool = False) -> Fix | None:
    """The emissions rewritten as ``number`` when the card gives them as a plain number (a text
    value is CL106's to fix first)."""
    _, _, node = context.emissions_place()
    if node is None or node.tag not in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float"):
        return None
    return replace_node(context.card, node, number, f"write {number}", unsafe=unsafe)


def in_node_style(node: yaml.Node, text: str) -> str:
    """``text`` as a scalar in the node's quoting: quoted stays quoted, plain stays plain."""
    style = getattr(node, "style", None)
    if style == "'":
        return "'" + text.replace("'", "''") + "'"
    if style == '"':
        return _double_quoted(text)
    return yaml_scalar(text)


def _double_quoted(text: str) -> str:
    """A JSON string is a valid YAML double-quoted scalar."""
    import json

    return json.dumps(text, ensure_ascii=False)


def yaml_scalar(value: Any, *, flow: bool = False) -> str:
    """A value as a YAML scalar that PyYAML (1.1) and YAML 1.2 parsers read back the same."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        from carbonlint.units import format_grams

        return format_grams(float(value))
    text = str(value)
    return text if _plain_is_safe(text, flow=flow) else _double_quoted(text)


def _plain_is_safe(text: str, *, flow: bool) -> bool:
    if not text or text != text.strip() or _LINE_BREAK.search(text) or "\t" in text:
        return False
    if text[0] in "-?:,[]{}#&*!|>'\"%@`" or ": " in text or " #" in text or text.endswith(":"):
        return False
    if flow and any(c in text for c in ",[]{}"):
        return False
    from carbonlint.loader import Loader
    from carbonlint.yaml12 import resolve_core

    try:  # read back as carbonlint reads cards (libyaml's parser where PyYAML has it)
        read = yaml.load(text, Loader=Loader)  # noqa: S506 - Loader is PyYAML's safe loader
    except yaml.YAMLError:
        return False
    return read == text and resolve_core(text) == text


def sequence_to_mapping(card: Card, node: yaml.SequenceNode) -> str | None:
    """The replacement for a list of mappings with distinct keys: the same entries as one mapping.

    Block lists lose their dashes (the entries keep their lines, comments and values); a flow
    list ``[{a: 1}, {b: 2}]`` becomes ``{a: 1, b: 2}``. None when the list is not that simple.
    """
    items = node.value
    if not items or not all(isinstance(i, yaml.MappingNode) and i.value for i in items):
        return None
    keys = [pair[0] for i in items for pair in i.value]
    if not all(isinstance(k, yaml.ScalarNode) for k in keys) or len({k.value for k in keys}) < len(keys):
        return None  # two entries with one key would become a duplicate key
    start, end = offsets(card, node)
    text = card.text
    if node.flow_style:
        source = text[start:end]
        if "#" in source or _LINE_BREAK.search(source):
            return None
        inner = []
        for item in items:
            a, b = offsets(card, item)
            piece = text[a:b].strip()
            if piece.startswith("{") and piece.endswith("}"):
                piece = piece[1:-1].strip()
            inner.append(piece)
        return "{" + ", ".join(inner) + "}"
    if any(i.flow_style for i in items):
        return None  # "- {a: 1}" lines without their dashes would not be one mapping
    key_node, _ = card.entry(CO2_KEY)
    parent_column = key_node.start_mark.column if key_node is not None else 0
    edits = []
    for item in items:
        content = card.yaml_offset + item.start_mark.index
        dash = content
        while dash > start and text[dash - 1] in " \t":
            dash -= 1
        dash -= 1
        if dash < start or text[dash] != "-":
            return None
        edits.append((dash, content))
    dash_column = card.position(edits[0][0])[1] - 1
    # Keys move to the dash's column; when that is the parent key's column (a list written flush
    # under its key) they stay where they are, padded, so that they remain inside the parent.
    pad = 0 if dash_column > parent_column else 2
    several = any(len(i.value) > 1 for i in items)
    out, last = [], start
    for dash, content in edits:
        if several:
            # An item's later keys are aligned under its first: the dash becomes a space, so
            # that every key keeps its column ("- emissions: 1" over "  source: x").
            out += [text[last:dash], " " * (content - dash)]
        else:
            out += [text[last:dash], " " * pad]
        last = content
    out.append(text[last:end])
    return "".join(out)


def indent_unit(card: Card) -> int:
    """How far the card indents a nested mapping (2 unless it shows otherwise)."""
    if isinstance(card.root, yaml.MappingNode):
        for key, value in card.root.value:
            if isinstance(value, yaml.MappingNode) and not value.flow_style and value.value:
                step = value.value[0][0].start_mark.column - key.start_mark.column
                if step > 0:
                    return step
    return 2


def newline(text: str, offset: int = 0) -> str:
    """The line break used at ``offset`` (else the file's first, else LF)."""
    found = _LINE_BREAK.search(text, offset) or _LINE_BREAK.search(text)
    return found.group(0) if found else "\n"


def scalar_to_mapping(card: Card) -> tuple[Span, str] | None:
    """(span, replacement) that turn ``co2_eq_emissions: 12.5`` into the mapping form with the
    same number; the span starts after the key's colon, so no space is left behind it."""
    key_node, value_node = card.entry(CO2_KEY)
    if key_node is None or not isinstance(value_node, yaml.ScalarNode) or value_node.style in ("|", ">"):
        return None
    start, end = offsets(card, value_node)
    value = card.text[start:end]
    if not value or _LINE_BREAK.search(value):
        return None
    if isinstance(card.root, yaml.MappingNode) and card.root.flow_style:
        return span_of(card, start, end), "{emissions: " + value + "}"
    if value_node.start_mark.line != key_node.start_mark.line:
        # The value already sits indented on its own line: it only gets its key.
        return span_of(card, start, end), f"emissions: {value}"
    gap = start
    while gap > 0 and card.text[gap - 1] in " \t":
        gap -= 1
    indent = " " * (key_node.start_mark.column + indent_unit(card))
    return span_of(card, gap, end), f"{newline(card.text, start)}{indent}emissions: {value}"


# -- applying fixes ------------------------------------------------------------------------------


def _line_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in _LINE_BREAK.finditer(text)]


def _offset(starts: list[int], line: int, column: int) -> int:
    return starts[line - 1] + column - 1


def _entry_bounds(card: Card, name: Any) -> tuple[int, int] | None:
    """Offsets of a top-level entry, from its key to the end of its value."""
    if not isinstance(card.root, yaml.MappingNode):
        return None
    found = None
    for key, value in card.root.value:
        if isinstance(key, yaml.ScalarNode) and key.value == name:
            found = (key, value)  # the Hub keeps the last duplicate
    if found is None:
        return None
    return card.yaml_offset + found[0].start_mark.index, card.yaml_offset + found[1].end_mark.index


def _entry_of(finding: Finding) -> str | None:
    key = finding.key
    if key is None:
        return None
    if key == CO2_KEY or key.startswith(CO2_KEY + "."):
        return CO2_KEY
    return key  # CL112: the misspelled top-level key itself


def edits_for(card: Card, findings: Iterable[Finding]) -> list[tuple[Finding, Edit]]:
    """The findings' fixes as character edits, each confined to its finding's top-level entry."""
    starts = _line_starts(card.text)
    chosen = []
    for finding in findings:
        fix = finding.fix
        name = _entry_of(finding)
        bounds = _entry_bounds(card, name) if fix is not None and name is not None else None
        if fix is None:
            continue
        span = fix.span
        start = _offset(starts, span.line, span.column)
        end = _offset(starts, span.end_line, span.end_column)
        if bounds is None:
            if name == CO2_KEY and start == end and _new_entry_place(card, start):
                chosen.append((finding, Edit(start, end, fix.replacement)))  # the key, added
            continue
        if bounds[0] <= start <= end <= bounds[1]:
            chosen.append((finding, Edit(start, end, fix.replacement)))
    return chosen


def _new_entry_place(card: Card, offset: int) -> bool:
    """Whether an insertion at ``offset`` adds a new top-level key: inside the front matter, or
    a new front matter at the very top of a card that has none."""
    if card.has_co2:
        return False
    if card.front_matter is None:
        return offset == 0
    return card.yaml_offset <= offset <= card.yaml_offset + len(card.front_matter)


def apply_edits(text: str, edits: Iterable[Edit]) -> tuple[str, list[Edit]]:
    """Apply the edits that do not overlap one taken before them; bottom-up, so that every
    offset stays valid. Insertions at one point land in the order given. Returns the new text
    and the edits applied."""
    taken: list[Edit] = []
    for edit in edits:
        if all(edit.end <= t.start or edit.start >= t.end or _touch(edit, t) for t in taken):
            taken.append(edit)
    order = sorted(range(len(taken)), key=lambda i: (taken[i].start, taken[i].end, i), reverse=True)
    for index in order:
        edit = taken[index]
        text = text[: edit.start] + edit.replacement + text[edit.end :]
    return text, taken


def _touch(a: Edit, b: Edit) -> bool:
    """Two insertions at one point do not overlap (nor does one inside nothing)."""
    return a.start == a.end == b.start == b.end


def verify(before: Card, after: Card | str, *, renamed: Iterable[Any] = ()) -> str | None:
    """Why ``after`` (a card or its text) is not a safe result of editing ``before`` (None when
    it is). ``renamed``: top-level keys a fix renamed into co2_eq_emissions (CL112)."""
    if isinstance(after, str):
        after = parse_card(after, before.path)
    new_problems = {p.code for p in after.problems} - {p.code for p in before.problems}
    if new_problems or not isinstance(after.root, yaml.MappingNode):
        reasons = ", ".join(sorted(new_problems)) or "no metadata mapping"
        return f"the edited metadata would not read back ({reasons})"
    gone = set(renamed)
    mine = [k for k in before.metadata if k != CO2_KEY and k not in gone]
    theirs = [k for k in after.metadata if k != CO2_KEY]
    if set(mine) != set(theirs):
        return "the edit would change which keys the metadata has"
    by_nodes = _comparable_by_nodes(before, after)
    for key in mine:
        if by_nodes and same_tree(before.metadata.node(key), after.metadata.node(key)):
            continue  # the same nodes build the same value: nothing needs building
        # repr: NaN equals itself, and nested values compare in order.
        if repr(before.metadata[key]) != repr(after.metadata[key]):
            return f"the edit would change the value of '{key}'"
    return None


def _comparable_by_nodes(before: Card, after: Card) -> bool:
    """Whether top-level values can be compared by their composed nodes: both metadata are built
    key by key from nodes, and neither front matter has an alias (a shared or recursive node)."""
    return (isinstance(before.metadata, Metadata) and isinstance(after.metadata, Metadata)
            and "*" not in (before.front_matter or "") and "*" not in (after.front_matter or ""))


def same_tree(a: yaml.Node | None, b: yaml.Node | None) -> bool:
    """Whether two alias-free node trees are equal in kind, tag and scalar text, in order.

    PyYAML's safe constructor builds a value from exactly these (a scalar's quoting style has
    already chosen its tag), so equal trees build equal values. Unequal trees may still build
    equal values (``1.0`` and ``1.00``): callers compare the values then.
    """
    if a is None or b is None:
        return False
    stack = [(a, b)]
    while stack:
        x, y = stack.pop()
        if x.__class__ is not y.__class__ or x.tag != y.tag:
            return False
        if isinstance(x, yaml.ScalarNode):
            if x.value != y.value:
                return False
        elif len(x.value) != len(y.value):
            return False
        elif isinstance(x, yaml.MappingNode):
            for (key_x, value_x), (key_y, value_y) in zip(x.value, y.value):
                stack.append((key_x, key_y))
                stack.append((value_x, value_y))
        else:
            stack.extend(zip(x.value, y.value))
    return True


def common_prefix_length(a: str, b: str) -> int:
    """How many characters ``a`` and ``b`` share at their start (slices compare in C: a card
    of 100,000 characters costs ~17 comparisons, not 100,000 steps of Python)."""
    low, high = 0, min(len(a), len(b))
    while low < high:  # a[:low] == b[:low]; they differ at or before index ``high``
        middle = (low + high + 1) // 2
        if a[low:middle] == b[low:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _parse_failed(card: Card) -> bool:
    return any(p.code in UNREADABLE for p in card.problems)


def fix_text(text: str, path: str, config: Config, options: FixOptions = FixOptions()
             ) -> tuple[str, Counter[str], CardReport, str | None]:
    """Fix ``text`` (a card without byte order mark) until no allowed fix is left.

    Returns the new text, the fixes applied by code, the report of the new text, and why fixing
    stopped early (None when it did not).
    """
    from carbonlint.checker import check_card

    applied: Counter[str] = Counter()
    card = parse_card(text, path)
    report = check_card(card, config)
    note = None
    for _ in range(MAX_ROUNDS):
        if _parse_failed(card) or report.error is not None:
            break
        wanted = [f for f in report.findings if options.allows(f)]
        chosen = edits_for(card, wanted)
        if not chosen:
            break
        new_text, taken = apply_edits(card.text, (edit for _, edit in chosen))
        if new_text == card.text:
            break
        used = [finding for finding, edit in chosen if edit in taken]
        after = parse_card(new_text, path)
        problem = verify(card, after, renamed=[f.key for f in used if f.code == "CL112"])
        if problem is not None:
            note = f"not fixed: {problem}"
            break
        applied.update(f.code for f in used)
        card = after
        report = check_card(card, config)
    return card.text, applied, report, note


def held_back(report: CardReport, options: FixOptions) -> Counter[str]:
    """Fixes the report offers that these options do not apply, by the option that would."""
    counts: Counter[str] = Counter()
    for finding in report.findings:
        if finding.fix is None or options.allows(finding):
            continue
        counts["--unsafe-fixes" if finding.fix.unsafe else OPT_IN.get(finding.code, "")] += 1
    return counts


# -- files ---------------------------------------------------------------------------------------


def _decode(raw: bytes) -> tuple[bytes, str] | None:
    """(byte order mark, text) of a card, or None when it is not UTF-8."""
    head = _BOM if raw.startswith(_BOM) else b""
    try:
        return head, raw[len(head):].decode("utf-8")
    except UnicodeDecodeError:
        return None


def fix_file(path: str, config: Config, options: FixOptions = FixOptions(), *,
             codecarbon: dict[str, Any] | None = None, write: bool = True,
             estimate: bool = False) -> Outcome:
    """Fix one card (and fill it from CodeCarbon's values, or with ``estimate`` from the physical
    estimate); write it back only if it changed."""
    from carbonlint.card import parse_bytes
    from carbonlint.checker import check_card

    from carbonlint.fix_write import WriteRefused, read_card, write_fixed

    try:
        state = read_card(path)
        raw = state.data
    except OSError as exc:
        report = CardReport(path=path, error=f"cannot read the file: {exc.strerror or exc}",
                            reporting_reason="the card could not be read")
        return Outcome(path, b"", b"", report)
    decoded = _decode(raw)
    if decoded is None:  # not UTF-8: carbonlint cannot know what it would rewrite
        return Outcome(path, raw, raw, check_card(parse_bytes(raw, path), config))
    head, text = decoded
    card = parse_card(text, path)
    lead = text[: len(text) - len(card.text)]  # a second BOM parse_card dropped, kept as it was
    base, note = card.text, None
    if codecarbon is not None:
        try:
            base = fill_from_codecarbon(card, codecarbon)
        except FixError as exc:
            note = f"not filled from CodeCarbon: {exc}"
    estimated, remark = False, None
    if estimate and note is None:
        from carbonlint.estimate_fix import NoEstimate, fill_from_estimate

        try:
            filled = fill_from_estimate(card if base == card.text else parse_card(base, path), config)
            estimated, base = filled != base, filled
        except NoEstimate as exc:
            remark = f"no estimate written: {exc}"  # nothing the author asked for went wrong
        except FixError as exc:
            note = f"not filled from the estimate: {exc}"
    fixed, applied, report, stopped = fix_text(base, path, config, options)
    outcome = Outcome(path, raw, head + (lead + fixed).encode("utf-8"), report, applied,
                      held_back(report, options), note or stopped)
    outcome.remark = remark
    if codecarbon is not None and note is None and base != card.text and not estimated:
        outcome.applied["codecarbon"] += 1
    if estimated:
        outcome.applied["estimate"] += 1
    if write and outcome.changed:
        try:
            write_fixed(path, state, outcome.after)
        except WriteRefused as exc:
            # Nothing was written: the card is reported as it is on disk, its findings unfixed.
            outcome.note = f"not fixed: {exc}"
            outcome.after = raw
            outcome.applied.clear()
            outcome.report = check_card(parse_bytes(raw, path), config)
            outcome.held_back = held_back(outcome.report, options)
    return outcome


def unified_diff(path: str, before: str, after: str) -> str:
    """A unified diff of the card (``patch -p0`` applies it); line breaks as in the file."""
    import difflib

    def lines(text: str) -> list[str]:
        return re.findall(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$", text)

    out = []
    for line in difflib.unified_diff(lines(before), lines(after), fromfile=path, tofile=path):
        out.append(line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n")
    return "".join(out)


# -- CodeCarbon ----------------------------------------------------------------------------------


def _lines(values: dict[str, Any], indent: str, nl: str) -> str:
    return nl.join(f"{indent}{key}: {yaml_scalar(value)}" for key, value in values.items())


_EMPTY_FRONT_MATTER = re.compile(r"^(\s*---)(\r\n|\r|\n)---[ \t]*(?:\r\n|\r|\n|$)")


def fill_from_codecarbon(card: Card, values: dict[str, Any]) -> str:
    """The card's text with ``co2_eq_emissions`` holding ``values`` (CodeCarbon's figures).

    Keys the file gives replace the card's; the card's other keys (training_type, ...) stay, with
    their comments. A card without the key gets it at the end of its front matter; a card without
    front matter gets one.
    """
    text = card.text
    nl = newline(text)
    block = f"{CO2_KEY}:{nl}{_lines(values, '  ', nl)}"
    empty = _EMPTY_FRONT_MATTER.match(text) if card.front_matter is None else None
    if empty:  # "---\n---": the Hub reads no metadata, but the author meant an empty block
        at = empty.end(2)
        return text[:at] + block + empty.group(2) + text[at:]
    unreadable = next((p for p in card.problems if p.code in UNREADABLE), None)
    if unreadable is not None:
        raise FixError(f"{unreadable.message} ({unreadable.code}); fix that first")
    if card.front_matter is None:
        return f"---{nl}{block}{nl}---{nl}{text}"
    problem = "no way to write the block"
    for edits in _codecarbon_edits(card, values):
        new_text, _ = apply_edits(text, edits)
        after = parse_card(new_text, card.path)  # read once for both questions
        problem = verify(card, after) or _written(after, values)
        if problem is None:
            return new_text
    raise FixError(problem)


def _written(after: Card, values: dict[str, Any]) -> str | None:
    co2 = after.co2
    if not isinstance(co2, dict) or any(co2.get(k) != v for k, v in values.items()):
        return "the values would not read back as written"
    return None


def _codecarbon_edits(card: Card, values: dict[str, Any]) -> Iterator[list[Edit]]:
    """The ways to write the block, best first (each is verified; the first that holds wins)."""
    text = card.text
    root = card.root
    end_of_yaml = card.yaml_offset + len(card.front_matter or "")
    if root is None:  # empty, or only comments
        nl = newline(text)
        if not (card.front_matter or "").strip():
            after = nl if card.front_matter else ""
            yield [Edit(card.yaml_offset, card.yaml_offset, _new_entry(card, values, 0) + after)]
        else:
            yield [Edit(end_of_yaml, end_of_yaml, nl + _new_entry(card, values, 0))]
        return
    if not isinstance(root, yaml.MappingNode) or root.flow_style:
        raise FixError("the front matter is not a block mapping (key: value lines)")
    key_node, value_node = card.entry(CO2_KEY)
    if key_node is None or value_node is None:
        first = root.value[0][0].start_mark if root.value else None
        column = first.column if first else 0
        nl = newline(text, card.yaml_offset)
        entry = _new_entry(card, values, column)
        # At the end of the front matter; if that would change the last key (a block scalar at the
        # very end reads differently once a line follows it), before the first key.
        yield [Edit(end_of_yaml, end_of_yaml, nl + entry)]
        if first is not None:
            at = card.yaml_offset + first.index - first.column
            yield [Edit(at, at, entry + nl)]
        return
    if isinstance(value_node, yaml.MappingNode) and value_node.flow_style:
        yield _into_flow_mapping(card, value_node, values)
        return
    if isinstance(value_node, yaml.MappingNode) and value_node.value:
        yield _into_block_mapping(card, value_node, values)
        return
    # A number, a list, nothing: the whole value becomes the mapping.
    key_end = card.yaml_offset + key_node.end_mark.index
    colon = text.index(":", key_end)
    value_end = max(_content_end(card, value_node), colon + 1)
    nl = newline(text, key_end)
    lines = _lines(values, " " * (key_node.start_mark.column + indent_unit(card)), nl)
    if value_node.start_mark.line == key_node.start_mark.line:
        # "co2_eq_emissions: 12.5  # from AutoTrain": the comment stays on the key's line.
        line_end = _LINE_BREAK.search(text, value_end)
        at = line_end.start() if line_end else len(text)
        yield [Edit(colon + 1, value_end, ""), Edit(at, at, nl + lines)]
    else:
        yield [Edit(colon, value_end, f":{nl}{lines}")]


def _new_entry(card: Card, values: dict[str, Any], column: int) -> str:
    nl = newline(card.text, card.yaml_offset)
    indent = " " * (column + indent_unit(card))
    return f"{' ' * column}{CO2_KEY}:{nl}{_lines(values, indent, nl)}"


def _content_end(card: Card, node: yaml.Node) -> int:
    """Where a value's own characters end: a block collection's last scalar, not the comments
    and blank lines PyYAML counts into it."""
    while isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and not node.flow_style and node.value:
        last = node.value[-1]
        node = last[1] if isinstance(last, tuple) else last
    return offsets(card, node)[1]


def _replace_value(card: Card, key: yaml.Node, value: yaml.Node, new: Any, *, flow: bool) -> Edit:
    start, end = offsets(card, value)
    scalar = yaml_scalar(new, flow=flow)
    if start == end:  # "key:" with nothing: the value goes after the colon
        return Edit(start, end, f" {scalar}")
    if isinstance(value, (yaml.MappingNode, yaml.SequenceNode)) and not value.flow_style or (
            getattr(value, "style", None) in ("|", ">")):
        # A block value (on the following lines) is replaced from the key's colon on.
        colon = card.text.index(":", card.yaml_offset + key.end_mark.index)
        return Edit(colon, _content_end(card, value), f": {scalar}")
    return Edit(start, end, scalar)


def _into_block_mapping(card: Card, mapping: yaml.MappingNode, values: dict[str, Any]) -> list[Edit]:
    existing = {k.value: (k, v) for k, v in mapping.value if isinstance(k, yaml.ScalarNode)}
    edits = [_replace_value(card, *existing[name], value, flow=False)
             for name, value in values.items() if name in existing]
    missing = {name: value for name, value in values.items() if name not in existing}
    if missing:
        # After the last entry's line (its comment stays on it), at the entries' column.
        end = _content_end(card, mapping)
        line_end = _LINE_BREAK.search(card.text, end)
        at = line_end.start() if line_end else len(card.text)
        at = min(at, card.yaml_offset + len(card.front_matter or ""))
        nl = newline(card.text, end)
        indent = " " * mapping.value[0][0].start_mark.column
        edits.append(Edit(at, at, nl + _lines(missing, indent, nl)))
    return edits


def _into_flow_mapping(card: Card, mapping: yaml.MappingNode, values: dict[str, Any]) -> list[Edit]:
    existing = {k.value: (k, v) for k, v in mapping.value if isinstance(k, yaml.ScalarNode)}
    edits = [_replace_value(card, *existing[name], value, flow=True)
             for name, value in values.items() if name in existing]
    missing = [f"{name}: {yaml_scalar(value, flow=True)}" for name, value in values.items()
               if name not in existing]
    if missing:
        _, end = offsets(card, mapping)
        brace = end - 1
        if card.text[brace] != "}":
            raise FixError("co2_eq_emissions is a flow mapping carbonlint cannot extend")
        inside = card.text[card.yaml_offset + mapping.start_mark.index + 1: brace]
        joined = ", ".join(missing)
        if inside.strip():
            # After the last entry, before any space that precedes the brace.
            at = brace - (len(inside) - len(inside.rstrip()))
            edits.append(Edit(at, at, ", " + joined))
        else:
            edits.append(Edit(brace, brace, joined))
    return edits


def iter_outcomes(paths: Iterable[str], config: Config, options: FixOptions, *,
                  codecarbon: dict[str, Any] | None = None, write: bool = True,
                  estimate: bool = False) -> Iterator[Outcome]:
    """Fix each card the paths name (directories searched as by ``check``)."""
    from carbonlint.checker import expand_paths

    for path in expand_paths(paths, config):
        if not os.path.exists(path):
            report = CardReport(path=path, error="no such file",
                                reporting_reason="the card could not be read")
            yield Outcome(path, b"", b"", report)
            continue
        yield fix_file(path, config, options, codecarbon=codecarbon, write=write, estimate=estimate)


def insertion_fix(card: Card, values: dict[str, Any], description: str, *,
                  unsafe: bool = False) -> Fix | None:
    """A fix that adds ``co2_eq_emissions`` holding ``values`` to a card that has none: one
    insertion (in the front matter, or a new front matter at the top), everything else kept
    byte for byte. None when the block cannot be written as a single insertion."""
    if card.has_co2:
        return None
    try:
        new_text = fill_from_codecarbon(card, values)
    except FixError:
        return None
    text = card.text
    if len(new_text) <= len(text):
        return None
    start = common_prefix_length(text, new_text)
    size = len(new_text) - len(text)
    if new_text[start + size :] != text[start:]:
        return None
    piece = new_text[start : start + size]
    # The same insertion can often be placed a line break earlier or later; place it where
    # the new key belongs, inside the front matter (before its closing line).
    limit = card.yaml_offset + len(card.front_matter) if card.front_matter is not None else 0
    while start > limit and text[start - 1] == piece[-1]:
        piece = piece[-1] + piece[:-1]
        start -= 1
    return Fix(span_of(card, start, start), piece, description, unsafe)
