"""Read a model card: split the front matter as the Hub does, parse it, keep positions.

The Hub (``huggingface_hub.repocard``) finds the metadata with one regular expression: optional
leading white space, ``---`` and a line break, the YAML, a line break, ``---``. We use the same
expression so that carbonlint sees exactly the block the Hub sees, then parse it with PyYAML's safe
loader (the C one where available) while keeping every node, so that a finding can point at the
line and column of the offending key or value in the *file*, not in the YAML block.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from collections.abc import Mapping
from typing import Any, Iterator

import yaml

from carbonlint.findings import Problem, Span

try:  # The C loader is several times faster; fall back to pure Python when libyaml is missing.
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

# The Hub's own expression (huggingface_hub/repocard.py), so we agree on where metadata starts and
# ends. huggingface_hub applies it to text read with universal newlines (every CR became LF);
# allowing a lone CR after the closing '---' gives the same match on the untranslated text, whose
# offsets we need for positions.
FRONT_MATTER = re.compile(r"^(\s*---(?:\r\n|\r|\n))([\S\s]*?)((?:\r\n|\r|\n)---[ \t]*(\r\n|\r|\n|$))")
_OPENING = re.compile(r"^\s*---[ \t]*(?:\r\n|\r|\n)")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")

CO2_KEY = "co2_eq_emissions"

# Limits that keep hostile input from eating the machine. A real card's metadata is at most a few
# hundred kilobytes (long widget texts, big model-index blocks); 10 MB is far beyond any of them.
MAX_FRONT_MATTER_CHARS = 10_000_000
MAX_DEPTH = 200  # nesting deeper than this is not metadata, and would overflow the recursion stack
MAX_NODES = 1_000_000  # also stops alias bombs: aliases are counted each time they are reached


@dataclass
class Card:
    """A model card as carbonlint sees it: text, front matter nodes and values, body."""

    path: str
    text: str = ""
    front_matter: str | None = None  # the YAML block, as in the file
    yaml_offset: int = 0  # character offset of the YAML block in ``text``
    root: yaml.Node | None = None  # the composed front matter
    data: Any = None  # the constructed front matter (a dict for a valid card)
    body: str = ""
    body_offset: int = 0  # character offset of the body in ``text``
    problems: list[Problem] = field(default_factory=list)  # parse-level problems
    unreadable: str | None = None  # why the file could not be read at all
    hub_info: Any = None  # carbonlint.hub.HubInfo: what the Hub says (downloads, size), for `hub`
    _line_starts: list[int] | None = None

    # -- positions ---------------------------------------------------------------------------

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset of ``text``.

        Lines are separated by CRLF, CR or LF (what editors and GitHub count); columns count
        characters (code points).
        """
        if self._line_starts is None:
            self._line_starts = [0] + [m.end() for m in _LINE_BREAK.finditer(self.text)]
        index = bisect.bisect_right(self._line_starts, offset) - 1
        return index + 1, offset - self._line_starts[index] + 1

    def span(self, node: yaml.Node) -> Span:
        """The file span of a YAML node (end exclusive)."""
        line, column = self.position(self.yaml_offset + node.start_mark.index)
        end = node.end_mark.index
        # A block mapping or sequence ends at the start of the next line; stop at the last
        # character of its content so the span does not run into the following key.
        text = self.text
        absolute_end = self.yaml_offset + end
        while absolute_end > self.yaml_offset + node.start_mark.index and text[
            absolute_end - 1
        ] in " \t\r\n":
            absolute_end -= 1
        end_line, end_column = self.position(absolute_end)
        return Span(line, column, end_line, end_column)

    def mark_span(self, mark: Any) -> Span:
        """A one-character span at a PyYAML mark (used for parser errors)."""
        line, column = self.position(self.yaml_offset + min(mark.index, len(self.front_matter or "")))
        return Span(line, column, line, column + 1)

    def start_span(self) -> Span:
        """Where to point when there is no better place: the opening ``---`` or line 1."""
        return Span(1, 1, 1, 4 if self.front_matter is not None else 1)

    # -- navigation --------------------------------------------------------------------------

    @property
    def has_front_matter(self) -> bool:
        return self.front_matter is not None

    @property
    def metadata(self) -> Mapping[str, Any]:
        return self.data if isinstance(self.data, Mapping) else {}

    @property
    def has_co2(self) -> bool:
        return CO2_KEY in self.metadata

    @property
    def co2(self) -> Any:
        # Read by most checks of every card: built once, then kept (the card is not edited).
        try:
            return self._co2
        except AttributeError:
            metadata = self.metadata
            self._co2: Any = metadata[CO2_KEY] if CO2_KEY in metadata else None
            return self._co2

    def entry(self, *path: Any) -> tuple[yaml.Node | None, yaml.Node | None]:
        """(key node, value node) at a path of keys and indexes; the Hub keeps the last duplicate."""
        key_node: yaml.Node | None = None
        node = self.root
        for step in path:
            if isinstance(node, yaml.MappingNode):
                found = None
                for k, v in node.value:
                    if isinstance(k, yaml.ScalarNode) and _scalar_key(k) == step:
                        found = (k, v)
                if found is None:
                    return None, None
                key_node, node = found
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
                if not 0 <= step < len(node.value):
                    return None, None
                key_node, node = None, node.value[step]
            else:
                return None, None
        return key_node, node

    def span_of(self, *path: Any, key: bool = False) -> Span | None:
        """The span of the value (or, with ``key=True``, of the key) at ``path``."""
        key_node, value_node = self.entry(*path)
        node = key_node if key and key_node is not None else value_node
        if node is None:
            return None
        return self.span(node)


def _scalar_key(node: yaml.ScalarNode) -> Any:
    """The key as the constructor would build it, for the common cases (str, int, bool, null)."""
    if node.tag.endswith(":str"):
        return node.value
    if node.tag.endswith(":int"):
        try:
            return int(node.value.replace("_", ""), 0)
        except ValueError:
            return node.value
    if node.tag.endswith(":null"):
        return None
    if node.tag.endswith(":bool"):
        return node.value.lower() in ("yes", "true", "on")
    return node.value


def decode(raw: bytes) -> str:
    """Decode a card as the Hub does (UTF-8, BOM dropped); raise UnicodeDecodeError otherwise."""
    return raw.decode("utf-8-sig")


def parse_card(text: str, path: str = "<string>") -> Card:
    """Split and parse a card's text; parse problems are recorded on the card, never raised."""
    if text.startswith("\ufeff"):  # a BOM is not part of the card (the Hub reads utf-8-sig)
        text = text[1:]
    card = Card(path=path, text=text)
    if "\x00" in text:
        card.problems.append(
            Problem("CL004", "the file contains NUL bytes: it is binary, not a model card",
                    span=Span(1, 1, 1, 1))
        )
        card.body = ""
        return card
    match = FRONT_MATTER.search(text)
    if match is None:
        card.body = text
        opening = _OPENING.match(text)
        if opening:
            # Starts like front matter but never closes: the Hub sees no metadata at all.
            line, column = card.position(opening.start() + opening.group(0).index("---"))
            card.problems.append(
                Problem(
                    "CL006",
                    "the front matter opens with '---' but has no closing '---' line, so the "
                    "Hub reads no metadata from this card",
                    span=Span(line, column, line, column + 3),
                    suggestion="close the metadata block with a line containing only '---'",
                )
            )
        return card
    card.front_matter = match.group(2)
    card.yaml_offset = match.start(2)
    card.body_offset = match.end()
    card.body = text[match.end():]
    _parse_front_matter(card)
    return card


def _parse_front_matter(card: Card) -> None:
    source = card.front_matter or ""
    if len(source) > MAX_FRONT_MATTER_CHARS:
        card.problems.append(
            Problem(
                "CL005",
                f"the front matter is {len(source):,} characters long, over carbonlint's limit "
                f"of {MAX_FRONT_MATTER_CHARS:,}; it was not parsed",
                span=card.start_span(),
            )
        )
        return
    try:
        if _nesting_bound(source) > _SAFE_COMPOSE_DEPTH and _event_depth(source) > MAX_DEPTH:
            card.problems.append(_too_deep(card.start_span()))
            return
        loader = _Loader(source)
        try:
            root = loader.get_single_node()
        finally:
            loader.dispose()
        if root is None:
            return
        trouble = _inspect_tree(card, root, aliases="*" in source)
        if trouble is not None:
            card.problems.append(trouble)
            return
        card.root = root
        card.data = _lazy_metadata(root)
    except yaml.MarkedYAMLError as exc:
        card.problems.append(_yaml_error(card, exc))
        return
    except (yaml.YAMLError, RecursionError) as exc:
        # RecursionError: only the pure-Python loader recurses this deep; report, never crash.
        reason = "it is nested too deeply" if isinstance(exc, RecursionError) else str(exc)
        card.problems.append(
            Problem("CL001", f"the front matter is not valid YAML: {reason}", span=card.start_span())
        )
        return
    if not isinstance(root, yaml.MappingNode):
        kind = "a list" if isinstance(root, yaml.SequenceNode) else "a single value"
        card.problems.append(
            Problem(
                "CL002",
                f"the front matter is {kind}, not a mapping of keys to values; the Hub "
                "rejects such metadata",
                span=card.span(root),
            )
        )


def _yaml_error(card: Card, exc: yaml.MarkedYAMLError, node: yaml.Node | None = None) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    message = "; ".join(part for part in (exc.context, exc.problem) if part)
    source = card.front_matter or ""
    if exc.problem_mark is not None and source[exc.problem_mark.index:exc.problem_mark.index + 1] == "\t":
        message += " (a tab: YAML indents with spaces only)"
    if node is not None:
        span = card.span(node)
    elif mark is not None:
        span = card.mark_span(mark)
    else:
        span = card.start_span()
    return Problem("CL001", f"the front matter is not valid YAML: {message or exc}", span=span)


def _too_deep(span: Span) -> Problem:
    return Problem("CL005", f"the front matter is nested more than {MAX_DEPTH} levels deep; it was "
                   "not parsed", span=span)


# libyaml's composer (PyYAML's C extension) recurses in C once per nesting level and crashes the
# interpreter (SIGSEGV) near 100,000 levels; below this bound it is safe (tested to 10,000).
_SAFE_COMPOSE_DEPTH = 5_000


def _nesting_bound(source: str) -> int:
    """A cheap upper bound on nesting depth: every level costs at least one character of the
    deepest line (indentation, '- ', '? ') or one flow bracket anywhere before it."""
    longest = max(map(len, source.splitlines()), default=0)
    return longest + source.count("[") + source.count("{")


def _event_depth(source: str) -> int:
    """Exact nesting depth from libyaml's event stream: its parser keeps an explicit stack."""
    depth = deepest = 0
    for event in yaml.parse(source, Loader=_Loader):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            deepest = max(deepest, depth)
            if deepest > MAX_DEPTH:
                break
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
    return deepest


# -- the composed tree -------------------------------------------------------------------------

_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"
_COLLECTION = (yaml.MappingNode, yaml.SequenceNode)


def _inspect_tree(card: Card, root: yaml.Node, *, aliases: bool) -> Problem | None:
    """One walk over the composed tree, before anything is built from it.

    It finds duplicate keys, and everything that would make building the values fail (unknown
    tags, impossible dates, unhashable keys), because values are built lazily, key by key, and
    a failure anywhere must still be reported as the Hub would meet it: ``safe_load`` builds all.
    Only collections are pushed on the stack; scalars are looked at where they stand.
    """
    if aliases:
        problem = _measure_graph(card, root)
        if problem is not None:
            return problem
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, str, int]] = [(root, "", 1)]
    while stack:
        node, where, depth = stack.pop()
        if aliases:
            if id(node) in seen:
                continue  # an alias of a collection already walked
            seen.add(id(node))
        elif depth > MAX_DEPTH:
            return _too_deep(card.span(node))
        if node.tag not in (_MAP, _SEQ):
            problem = _constructible(card, node)
            if problem is not None:
                return problem
        if isinstance(node, yaml.MappingNode):
            card.problems.extend(_duplicates_in(card, node, where))
            for key, value in node.value:
                if isinstance(key, _COLLECTION):
                    return Problem("CL001", "the front matter is not valid YAML for the Hub: a "
                                   "list or mapping used as a key cannot be read", span=card.span(key))
                if key.tag != _STR and key.tag != _MERGE:
                    problem = _constructible(card, key)
                    if problem is not None:
                        return problem
                if isinstance(value, _COLLECTION):
                    name = key.value
                    stack.append((value, f"{where}.{name}" if where else name, depth + 1))
                elif value.tag != _STR:
                    problem = _constructible(card, value)
                    if problem is not None:
                        return problem
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                if isinstance(item, _COLLECTION):
                    stack.append((item, f"{where}[{index}]", depth + 1))
                elif item.tag != _STR:
                    problem = _constructible(card, item)
                    if problem is not None:
                        return problem
    return None


_scalar_builder: yaml.constructor.SafeConstructor | None = None


def _constructible(card: Card, node: yaml.Node) -> Problem | None:
    """Build one node now, as safe_load would, and report what it refuses."""
    global _scalar_builder
    if _scalar_builder is None:
        _scalar_builder = yaml.constructor.SafeConstructor()
    try:
        if isinstance(node, yaml.ScalarNode):
            # Scalars need no second pass: one shared constructor, its memo cleared each time.
            try:
                _scalar_builder.construct_object(node)
            finally:
                _scalar_builder.constructed_objects.clear()
                _scalar_builder.recursive_objects.clear()
        else:
            yaml.constructor.SafeConstructor().construct_document(node)
    except yaml.MarkedYAMLError as exc:
        return _yaml_error(card, exc, node)
    except (yaml.YAMLError, ValueError, TypeError, OverflowError) as exc:
        # e.g. an impossible date (2023-02-30) or an explicit !!int that is not a number.
        return Problem("CL001", f"the front matter is not valid YAML for the Hub: the value "
                       f"{getattr(node, 'value', '')!r} cannot be read ({exc})", span=card.span(node))
    return None


def _measure_graph(card: Card, root: yaml.Node) -> Problem | None:
    """Refuse alias bombs and recursive aliases before any value is built.

    An alias is a reference to an already composed node, so a "billion laughs" document composes
    quickly but explodes when its values are built or walked. The expanded size and height are
    computed from the shared nodes, memoised, so this walk stays linear in the composed nodes.
    """
    size: dict[int, int] = {}
    height: dict[int, int] = {}
    visiting: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        ident = id(node)
        kids = _children(node)
        if done:
            size[ident] = 1 + sum(size[id(k)] for k in kids)
            height[ident] = 1 + max((height[id(k)] for k in kids), default=0)
            visiting.discard(ident)
            if size[ident] > MAX_NODES:
                return Problem(
                    "CL005",
                    f"the front matter expands to more than {MAX_NODES:,} values through YAML "
                    "aliases (an alias bomb?); it was not parsed",
                    span=card.span(node),
                )
            if height[ident] > MAX_DEPTH:
                return _too_deep(card.span(node))
            continue
        if ident in size:
            continue
        if ident in visiting:
            return Problem(
                "CL005",
                "the front matter contains a recursive alias (a value that contains itself); "
                "it was not parsed",
                span=card.span(node),
            )
        visiting.add(ident)
        stack.append((node, True))
        stack.extend((kid, False) for kid in kids if id(kid) not in size)
    return None


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _duplicates_in(card: Card, node: yaml.MappingNode, where: str) -> Iterator[Problem]:
    """Keys given twice in one mapping: PyYAML and the Hub keep the last and drop the first."""
    first: dict[Any, yaml.Node] = {}
    for k, _ in node.value:
        if not isinstance(k, yaml.ScalarNode):
            continue
        key = _scalar_key(k)
        try:
            previous = first.get(key)
        except TypeError:  # an unhashable key cannot repeat in a way PyYAML accepts
            continue
        if previous is not None:
            path = f"{where}.{key}" if where else str(key)
            line, _ = card.position(card.yaml_offset + previous.start_mark.index)
            yield Problem(
                "CL003",
                f"the key '{path}' is given twice (first on line {line}); the Hub keeps this "
                "last one and silently drops the first",
                span=card.span(k),
                key=path,
                suggestion="remove one of the two entries",
            )
        first[key] = k


# -- values, built on demand ---------------------------------------------------------------------


class Metadata(Mapping):  # type: ignore[type-arg]
    """The front matter mapping; each top-level value is built from its YAML node on first use.

    Checks read a few keys (co2_eq_emissions, tags, model-index...); building the rest (widget
    texts, long dataset lists) would cost more than composing the whole YAML. Keys and their order
    are those PyYAML gives (the last duplicate wins).
    """

    __slots__ = ("_nodes", "_values")

    def __init__(self, nodes: dict[Any, yaml.Node]) -> None:
        self._nodes = nodes
        self._values: dict[Any, Any] = {}

    def __getitem__(self, key: Any) -> Any:
        try:
            return self._values[key]
        except KeyError:
            node = self._nodes[key]
        value = self._values[key] = yaml.constructor.SafeConstructor().construct_document(node)
        return value

    def __iter__(self) -> Iterator[Any]:
        return iter(self._nodes)

    def __len__(self) -> int:
        return len(self._nodes)

    def __contains__(self, key: object) -> bool:
        return key in self._nodes

    def get(self, key: Any, default: Any = None) -> Any:  # Mapping.get goes through exceptions
        return self[key] if key in self._nodes else default

    def __repr__(self) -> str:
        return f"Metadata({dict(self)!r})"


def _lazy_metadata(root: yaml.Node) -> Any:
    """A :class:`Metadata` for a mapping root; anything else (or a top-level merge) built whole."""
    if not isinstance(root, yaml.MappingNode) or any(k.tag == _MERGE for k, _ in root.value):
        return yaml.constructor.SafeConstructor().construct_document(root)
    nodes: dict[Any, yaml.Node] = {}
    for key_node, value_node in root.value:
        key = key_node.value if key_node.tag == _STR else _scalar_key(key_node)
        nodes[key] = value_node  # as PyYAML's dict: first place, last value
    return Metadata(nodes)


def read_card(path: str, display_path: str | None = None) -> Card:
    """Read and parse a card from disk; I/O and decoding problems become problems, not errors."""
    shown = display_path or path
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError as exc:
        card = Card(path=shown)
        card.unreadable = f"cannot read the file: {exc.strerror or exc}"
        return card
    return parse_bytes(raw, shown)


def parse_bytes(raw: bytes, path: str) -> Card:
    try:
        text = decode(raw)
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        card = Card(path=path)
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            kind = "UTF-16 (it starts with a UTF-16 byte order mark), not UTF-8"
        elif b"\x00" in raw[:8192]:
            kind = "binary data"
        else:
            kind = "not UTF-8"
        card.problems.append(
            Problem(
                "CL004",
                f"the file is {kind} (byte 0x{raw[exc.start]:02x} at offset {exc.start}); the "
                "Hub reads model cards as UTF-8",
                span=Span(line, column, line, column + 1),
                suggestion="save the file as UTF-8",
            )
        )
        return card
    return parse_card(text, path)
