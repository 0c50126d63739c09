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
import sys
from dataclasses import dataclass, field
from collections.abc import Mapping
from itertools import accumulate, islice
from typing import Any, Iterator

import yaml

from carbonlint.findings import Problem, Span
from carbonlint.loader import Loader as _Loader  # PyYAML's safe loader, C where available
from carbonlint.loader import remembered_tag

# The Hub's own expression (huggingface_hub/repocard.py), so we agree on where metadata starts and
# ends. huggingface_hub applies it to text read with universal newlines (every CR became LF);
# allowing a lone CR after the closing '---' gives the same match on the untranslated text, whose
# offsets we need for positions.
FRONT_MATTER = re.compile(r"^(\s*---(?:\r\n|\r|\n))([\S\s]*?)((?:\r\n|\r|\n)---[ \t]*(\r\n|\r|\n|$))")
_OPENING = re.compile(r"^\s*---[ \t]*(?:\r\n|\r|\n)")
# FRONT_MATTER in two steps, with the same result (tests/test_card.py): the opening at the start,
# then the first closing line after it. The lazy ``[\S\s]*?`` tries the closing pattern after
# every character of the metadata; a search for the closing pattern skips from line break to
# line break in C (about a tenth of the time on the benchmark corpus).
_OPEN_LINE = re.compile(r"\s*---(?:\r\n|\r|\n)")
_CLOSING_LINE = re.compile(r"(?:\r\n|\r|\n)---[ \t]*(?:\r\n|\r|\n|$)")


def front_matter_bounds(text: str) -> tuple[int, int, int] | None:
    """Where ``FRONT_MATTER``'s metadata group starts and ends, and where its match ends (the
    body's start); None where it does not match."""
    opened = _OPEN_LINE.match(text)
    if opened is None:
        return None
    start = opened.end()
    closed = _CLOSING_LINE.search(text, start)
    if closed is None and text.endswith("\r\n", 0, start):
        # The regex backtracks to an opening that ends at the "\r" of its "\r\n": the
        # metadata is then empty, closed by a line that starts with that "\n".
        start -= 1
        closed = _CLOSING_LINE.match(text, start)
    if closed is None:
        return None
    return start, closed.start(), closed.end()


_LINE_BREAK = re.compile(r"\r\n|\r|\n")

CO2_KEY = "co2_eq_emissions"

# Limits that keep hostile input from eating the machine (docs/limits.md). Each is far beyond any
# real card: the largest Hub cards are a few hundred kilobytes (long widget texts, big model-index
# blocks, an inlined image), their metadata a few thousand values. Every check of a card up to
# these limits costs time and memory linear in its size: under a second and 200 MB.
MAX_CARD_BYTES = 10_000_000  # a larger file is reported and not read
MAX_FRONT_MATTER_CHARS = 1_000_000
MAX_DEPTH = 200  # nesting deeper than this is not metadata, and would overflow the recursion stack
# Values in the front matter. Composing costs ~1 us and ~0.4 kB a value, so the count is bounded
# before libyaml composes anything (see _value_bound); aliases are counted each time they are
# reached, which also stops alias bombs.
MAX_NODES = 50_000


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
    internal_error: bool = False  # unreadable because of a bug in carbonlint, not in the file
    template: bool = False  # the front matter is a Jinja template (CL007), not metadata
    hub_info: Any = None  # carbonlint.hub.HubInfo: what the Hub says (downloads, size), for `hub`
    _line_starts: list[int] | None = None
    _scanned: int = 0  # the line table covers text[:_scanned]
    _lines: list[str] | None = None

    def lines(self) -> list[str]:
        """The text's lines without their breaks, numbered as :meth:`position` numbers them
        (line ``n`` is ``lines()[n - 1]``). Not ``str.splitlines``, which also breaks at form
        feeds, ``\x1c``-``\x1e``, NEL and U+2028/2029 and would put a line after one of them
        under another number. As ``splitlines``, no empty line after a final break."""
        if self._lines is None:
            text = self.text
            lines = _LINE_BREAK.split(text) if "\r" in text else text.split("\n")
            if lines[-1] == "":
                lines.pop()
            self._lines = lines
        return self._lines

    # -- positions ---------------------------------------------------------------------------

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset of ``text``.

        Lines are separated by CRLF, CR or LF (what editors and GitHub count); columns count
        characters (code points).
        """
        starts = self._line_starts
        if starts is None:
            starts = self._line_starts = [0]
        if offset >= self._scanned:
            self._scan_lines(offset)
        index = bisect.bisect_right(starts, offset) - 1
        return index + 1, offset - starts[index] + 1

    def _scan_lines(self, offset: int) -> None:
        """Extend the table of line starts past ``offset`` (doubling), not over the whole text:
        positions are asked for the front matter and the start of the body, and a large card's
        table would cost more than everything else."""
        text, start = self.text, self._scanned
        end = min(len(text), max(offset + 1, 2 * start, 65536))
        if end < len(text) and text[end - 1] == "\r":
            end += 1  # never split a CRLF between two scans
        assert self._line_starts is not None
        segment = text[start:end]
        if "\r" in segment:
            self._line_starts.extend(m.end() for m in _LINE_BREAK.finditer(text, start, end))
        else:  # the common case, at C speed: each line's start is the running sum of lengths + 1
            lengths = map((1).__add__, map(len, segment.split("\n")[:-1]))
            self._line_starts.extend(islice(accumulate(lengths, initial=start), 1, None))
        self._scanned = end if end < len(text) else len(text) + 1

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

    @property
    def co2_list_mapping(self) -> dict[Any, Any] | None:
        """The mapping a co2_eq_emissions written as a list means (``- emissions: 1.2`` and
        the keys below it, or one key per dash), when its items are mappings and no key repeats;
        else None. The Hub reads no emissions from the list: this is what the author meant."""
        co2 = self.co2
        if not isinstance(co2, list) or not co2 or not all(isinstance(i, dict) for i in co2):
            return None
        merged: dict[Any, Any] = {}
        for item in co2:
            for key, value in item.items():
                if key in merged:
                    return None
                merged[key] = value
        return merged

    def entry(self, *path: Any) -> tuple[yaml.Node | None, yaml.Node | None]:
        """(key node, value node) at a path of keys and indexes; the Hub keeps the last duplicate.

        A key below co2_eq_emissions written as a list of mappings is found in its items
        (see :attr:`co2_list_mapping`), so that findings about those keys point at them."""
        key_node: yaml.Node | None = None
        node = self.root
        for index, step in enumerate(path):
            if (index == 1 and path[0] == CO2_KEY and isinstance(node, yaml.SequenceNode)
                    and not isinstance(step, int)):
                node = _mapping_of_items(node)
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


def _mapping_of_items(node: yaml.SequenceNode) -> yaml.MappingNode:
    """The pairs of a list's mapping items, as one mapping node (for navigation only)."""
    pairs = [pair for item in node.value if isinstance(item, yaml.MappingNode) for pair in item.value]
    return yaml.MappingNode(_MAP, pairs, node.start_mark, node.end_mark)


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
    try:
        return _parse_card(text, path)
    except Exception as exc:  # noqa: BLE001 - one card must never stop a run
        card = Card(path=path, text=text)
        card.unreadable = (f"internal error while reading the card: {exc!r}; please report it "
                           "with this card")
        card.internal_error = True
        return card


def _parse_card(text: str, path: str) -> Card:
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
    bounds = front_matter_bounds(text)
    if bounds is None:
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
    start, end, body_start = bounds
    card.front_matter = text[start:end]
    card.yaml_offset = start
    card.body_offset = body_start
    card.body = text[body_start:]
    _parse_front_matter(card)
    return card


def _parse_front_matter(card: Card) -> None:
    source = card.front_matter or ""
    from carbonlint.templates import template_tag

    tag = template_tag(source)
    if tag is not None:
        card.template = True
        line, column = card.position(card.yaml_offset + tag.offset)
        shown = tag.text if len(tag.text) <= 60 else tag.text[:57] + "..."
        card.problems.append(
            Problem(
                "CL007",
                f"the front matter is a template ({shown!r} on line {line}), not metadata: "
                "carbonlint checks the cards made from it, not the template",
                span=Span(line, column, line, column + len(tag.text)),
            )
        )
        return
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
    if _value_bound(source) > MAX_NODES:
        card.problems.append(_too_many(card.start_span()))
        return
    try:
        # The bound is at most twice the length: a short front matter needs no counting.
        if (2 * len(source) > _SAFE_COMPOSE_DEPTH and _nesting_bound(source) > _SAFE_COMPOSE_DEPTH
                and _event_depth(source) > MAX_DEPTH):
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
    except RecursionError:
        # Only the pure-Python composer recurses: deeper than the interpreter's stack is too deep.
        card.problems.append(_too_deep(card.start_span()))
        return
    except yaml.YAMLError as exc:
        if _NESTING_ERROR in str(exc):
            # libyaml 0.2.6 and later (PyYAML 6.0.3+ wheels) refuse 1,000 levels themselves: the
            # same finding as our own limit, whichever PyYAML/libyaml is installed.
            card.problems.append(_too_deep(card.start_span()))
        elif isinstance(exc, yaml.MarkedYAMLError):
            card.problems.append(_yaml_error(card, exc))
        else:
            card.problems.append(Problem("CL001", f"the front matter is not valid YAML: {exc}",
                                         span=card.start_span()))
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


def _too_many(span: Span) -> Problem:
    return Problem("CL005", f"the front matter holds more than {MAX_NODES:,} values; it was not "
                   "parsed", span=span)


_NESTING_ERROR = "exceeded maximum nesting depth"
# Every YAML value (node) starts at a line, after a flow separator or an indicator, so these
# characters bound the number of nodes from above, in one pass of str.count each (C speed).
_NODE_STARTS = ("\n", ",", ":", "-", "[", "{", "?", "*", "!")


def _value_bound(source: str) -> int:
    """An upper bound on the number of values libyaml would compose, without composing."""
    if len(source) <= MAX_NODES:  # at least one character a value
        return len(source)
    return sum(source.count(c) for c in _NODE_STARTS)


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
        if node.tag != (_MAP if isinstance(node, yaml.MappingNode) else _SEQ):
            # A collection under another tag (!!set, !!omap), or the wrong one (`!!map []`).
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


class HugeNumber(float):
    """An integer too large for a float: it reads as infinity, and prints as the card wrote it.

    PyYAML builds ``1`` followed by 400 zeros as a Python int, which no float arithmetic takes
    (OverflowError), and refuses one of more than 4,300 digits (Python's integer-string limit).
    No quantity in a card is that large, so carbonlint reads it as the infinity it is for any
    computation: the value checks (CL104) report it like ``.inf``, with the card's own digits.
    """

    text: str

    def __new__(cls, text: str) -> HugeNumber:
        negative = text.lstrip().startswith("-")
        number = super().__new__(cls, "-inf" if negative else "inf")
        number.text = text
        return number

    def __str__(self) -> str:
        digits = self.text.strip()
        if len(digits) > 24:
            digits = f"{digits[:8]}...{digits[-4:]} ({len(digits):,} characters)"
        return digits

    __repr__ = __str__


# Past this many characters an integer cannot fit a float (1.8e308 has 309 digits, underscores
# and a sign add a few): it is not even parsed, which would cost quadratic time.
_LONGEST_INT_TEXT = 330


def fits_float(integer_text: str) -> bool:
    """False when an integer's text is too long to be within float range (not parsed at all)."""
    return len(integer_text) <= _LONGEST_INT_TEXT


class Constructor(yaml.constructor.SafeConstructor):
    """PyYAML's safe constructor, with integers beyond float range built as :class:`HugeNumber`."""

    def construct_yaml_int(self, node: yaml.ScalarNode) -> Any:  # type: ignore[override]
        text = str(node.value)
        if not fits_float(text):
            return HugeNumber(text)
        value = super().construct_yaml_int(node)
        return bounded_int(text, value) if isinstance(value, int) else value


def bounded_int(text: str, value: int) -> Any:
    """``value``, or a :class:`HugeNumber` of ``text`` when it is beyond float range (where
    every later ``float()`` of it would raise OverflowError)."""
    return value if abs(value) <= sys.float_info.max else HugeNumber(text)


Constructor.add_constructor("tag:yaml.org,2002:int", Constructor.construct_yaml_int)

_scalar_builder: Constructor | None = None


# Plain scalars that the resolver tagged from their own text (42, 1.5, true, null) always build,
# except dates (2023-02-30 matches the pattern): they need not be built to be checked, which
# saves most of the walk on a large front matter. Keyed by first character, as PyYAML's table.
_ALWAYS_BUILD = frozenset({"tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
                           "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null"})


def _resolved_from_text(node: yaml.Node) -> bool:
    if node.tag not in _ALWAYS_BUILD or not isinstance(node, yaml.ScalarNode) or node.style:
        return False
    value = node.value
    if remembered_tag(value) == node.tag:
        return True  # the tag composing gave this text (carbonlint.loader)
    resolvers = yaml.resolver.Resolver.yaml_implicit_resolvers.get(value[:1] if value else "", ())
    return any(tag == node.tag and pattern.match(value) for tag, pattern in resolvers)


def _constructible(card: Card, node: yaml.Node) -> Problem | None:
    """Build one node now, as safe_load would, and report what it refuses."""
    global _scalar_builder
    if _resolved_from_text(node):
        return None
    if _scalar_builder is None:
        _scalar_builder = Constructor()
    try:
        if isinstance(node, yaml.ScalarNode):
            # Scalars need no second pass: one shared constructor, its memo cleared each time.
            try:
                # deep: the constructors of !!map, !!set, !!omap... are generators whose
                # error comes only when they are run to the end.
                _scalar_builder.construct_object(node, deep=True)
            finally:
                _scalar_builder.constructed_objects.clear()
                _scalar_builder.recursive_objects.clear()
        else:
            Constructor().construct_document(node)
    except yaml.MarkedYAMLError as exc:
        return _yaml_error(card, exc, node)
    except Exception as exc:  # noqa: BLE001 - PyYAML's constructors raise anything on odd input
        # e.g. an impossible date (2023-02-30), an explicit !!int that is not a number, or a
        # tag on the wrong kind of value: `!!timestamp x` (AttributeError), `!!bool 1500`
        # (KeyError) fail inside PyYAML. safe_load (and so the Hub) refuses such a card too.
        value = node.value if isinstance(node, yaml.ScalarNode) else None
        what = f"the value {value!r}" if value is not None else "this value"
        tag = node.tag.replace("tag:yaml.org,2002:", "!!")
        reason = str(exc) if isinstance(exc, (ValueError, OverflowError)) and str(exc) else (
            f"it is not a valid {tag}")
        return Problem("CL001", f"the front matter is not valid YAML for the Hub: {what} cannot "
                       f"be read ({reason})", span=card.span(node))
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
    pairs = node.value
    try:
        if all(k.tag == _STR for k, _ in pairs) and len({k.value for k, _ in pairs}) == len(pairs):
            return  # distinct string keys (nearly every mapping): none repeats
    except TypeError:  # a collection tagged !!str as a key: the walk below says what it is
        pass
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
        value = self._values[key] = Constructor().construct_document(node)
        return value

    def __iter__(self) -> Iterator[Any]:
        return iter(self._nodes)

    def __len__(self) -> int:
        return len(self._nodes)

    def __contains__(self, key: object) -> bool:
        return key in self._nodes

    def get(self, key: Any, default: Any = None) -> Any:  # Mapping.get goes through exceptions
        return self[key] if key in self._nodes else default

    def node(self, key: Any) -> yaml.Node | None:
        """The YAML node of a top-level key, for readers that need a little of a large value."""
        return self._nodes.get(key)

    def __repr__(self) -> str:
        return f"Metadata({dict(self)!r})"


def _lazy_metadata(root: yaml.Node) -> Any:
    """A :class:`Metadata` for a mapping root; anything else (or a top-level merge) built whole."""
    if not isinstance(root, yaml.MappingNode) or any(k.tag == _MERGE for k, _ in root.value):
        return Constructor().construct_document(root)
    nodes: dict[Any, yaml.Node] = {}
    for key_node, value_node in root.value:
        key = key_node.value if key_node.tag == _STR else _scalar_key(key_node)
        nodes[key] = value_node  # as PyYAML's dict: first place, last value
    return Metadata(nodes)


def read_card(path: str, display_path: str | None = None) -> Card:
    """Read and parse a card from disk; I/O and decoding problems become problems, not errors.

    Only regular files are read (a FIFO would block forever, a link to /dev/zero never end), and
    only up to :data:`MAX_CARD_BYTES`: the file is opened without blocking and checked on the
    open descriptor, so it cannot be swapped between the check and the read.
    """
    shown = display_path or path
    try:
        raw = read_limited(path)
    except CardTooLarge as exc:
        card = Card(path=shown)
        card.unreadable = str(exc)
        return card
    except OSError as exc:
        card = Card(path=shown)
        card.unreadable = f"cannot read the file: {exc.strerror or exc}"
        return card
    return parse_bytes(raw, shown)


class CardTooLarge(OSError):
    """A file carbonlint will not read: not a regular file, or over the size limit."""


def read_limited(path: str, limit: int = MAX_CARD_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; CardTooLarge otherwise."""
    import os
    import stat

    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    flags |= getattr(os, "O_BINARY", 0)
    descriptor = os.open(path, flags)
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise CardTooLarge(f"not a regular file ({_file_kind(status.st_mode)}); it was not read")
        if status.st_size > limit:
            raise CardTooLarge(f"the file is {status.st_size:,} bytes, over carbonlint's limit of "
                               f"{limit:,} for a model card; it was not read")
        chunks, total = [], 0
        while True:  # the size may have changed since fstat: never read past the limit
            chunk = os.read(descriptor, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise CardTooLarge(f"the file is over carbonlint's limit of {limit:,} bytes for "
                                   "a model card; it was not read")
        return b"".join(chunks)
    finally:
        os.close(descriptor)


def _file_kind(mode: int) -> str:
    import stat

    for test, name in ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                       (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "not a regular file"


def parse_bytes(raw: bytes, path: str) -> Card:
    """A card from bytes; never raises (a bug in the reader is a problem on this card)."""
    try:
        return _parse_bytes(raw, path)
    except Exception as exc:  # noqa: BLE001 - one card must never stop a run
        card = Card(path=path)
        card.unreadable = (f"internal error while reading the card: {exc!r}; please report it "
                           "with this card")
        card.internal_error = True
        return card


def _parse_bytes(raw: bytes, path: str) -> Card:
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
