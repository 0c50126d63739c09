"""Blanking fenced and indented code, inline code and HTML comments, keeping every column."""

from __future__ import annotations

from carbonlint.prose.patterns import regexes

_LIST_INITIALS = frozenset("-*+0123456789")


def needs_masking(text: str) -> bool:
    """Whether ``text`` has any code, comment or indented line: many bodies have none."""
    marks = ("`", "~~~", "<!--", "\n ", "\n\t")
    return any(mark in text for mark in marks) or text.startswith((" ", "\t"))


def _blank(line: str) -> str:
    return " " * len(line)


def _width(text: str) -> int:
    """Columns taken by ``text`` at the start of a line, tabs stopping at multiples of 4."""
    if "\t" not in text:
        return len(text)
    width = 0
    for char in text:
        width += 4 - width % 4 if char == "\t" else 1
    return width


def _fence_opened(line: str) -> str | None:
    """The fence run if ``line`` opens a fenced code block.

    Any indentation counts (fences inside list items are indented), and so do blockquotes:
    it is better to skip a little prose than to read a code block.
    """
    if not line.lstrip(" \t>").startswith(("```", "~~~")):
        return None
    match = regexes().fence_open.match(line)
    if match is None or (match["fence"][0] == "`" and "`" in match["info"]):
        return None  # "```x``` " is inline code, not a fence
    return match["fence"]


def _fence_closed(line: str, fence: str) -> bool:
    if fence[0] not in line:
        return False
    match = regexes().fence_close.fullmatch(line)
    return match is not None and match["fence"][0] == fence[0] and len(match["fence"]) >= len(fence)


def _inline_ranges(line: str, pos: int) -> tuple[list[tuple[int, int]], bool]:
    """Inline code spans and HTML comments in ``line`` from ``pos``; and whether a comment is
    left open at the end of the line.

    A code span ends at the next run of as many backticks (CommonMark); a run without a partner
    is literal. Spans are read within one line only. Closing runs are looked up through one
    pointer per run length, so a line full of backticks stays linear.
    """
    if "`" not in line and "<!--" not in line:
        return [], False
    rx = regexes()
    runs: dict[int, list[int]] = {}
    for run in rx.backticks.finditer(line):
        runs.setdefault(run.end() - run.start(), []).append(run.start())
    next_run = dict.fromkeys(runs, 0)
    ranges: list[tuple[int, int]] = []
    while (token := rx.inline_token.search(line, pos)) is not None:
        start = token.start()
        if token.group() == "<!--":
            end = _comment_end(line, start + 4)
            if end < 0:
                ranges.append((start, len(line)))
                return ranges, True
            ranges.append((start, end))
            pos = end
            continue
        length = token.end() - start
        starts = runs[length]
        index = next_run[length]
        while index < len(starts) and starts[index] < token.end():
            index += 1
        next_run[length] = index
        if index < len(starts):
            pos = starts[index] + length
            ranges.append((start, pos))
        else:
            pos = token.end()
    return ranges, False


def _comment_end(line: str, pos: int) -> int:
    """End offset of an HTML comment whose body starts at ``pos``; -1 if not on this line."""
    if line.startswith(">", pos):  # "<!-->" is a complete (empty) comment
        return pos + 1
    if line.startswith("->", pos):  # so is "<!--->"
        return pos + 2
    end = line.find("-->", pos)
    return end + 3 if end >= 0 else -1


def _blank_ranges(line: str, ranges: list[tuple[int, int]]) -> str:
    if not ranges:
        return line
    pieces = []
    kept = 0
    for start, end in ranges:
        pieces.append(line[kept:start])
        pieces.append(" " * (end - start))
        kept = end
    pieces.append(line[kept:])
    return "".join(pieces)


def mask(lines: list[str]) -> list[str]:
    """Blank fenced and indented code blocks, inline code and HTML comments, line by line.

    HTML comments may span lines; an unclosed one hides the rest of the body (the author meant
    it hidden). Indented code follows CommonMark's main rule: 4 columns more than the open list
    item's content (if any), after a blank line or a heading, not interrupting a paragraph.
    """
    rx = regexes()
    out: list[str] = []
    fence: str | None = None
    in_comment = False
    code_indent: int | None = None  # set while inside an indented code block
    list_indent: int | None = None  # content column of the last list item, while a list is open
    after_break = True  # start of body, blank line, heading or block end: code may start
    previous_blank = True
    for line in lines:
        if fence is not None:
            out.append(_blank(line))
            if _fence_closed(line, fence):
                fence = None
                after_break = previous_blank = True
            continue
        if in_comment:
            end = line.find("-->")
            if end < 0:
                out.append(_blank(line))
                continue
            ranges, in_comment = _inline_ranges(line, end + 3)
            out.append(_blank_ranges(line, [(0, end + 3), *ranges]))
            after_break = previous_blank = False
            continue
        stripped = line.lstrip(" \t")
        if not stripped:
            out.append(line)  # blank: nothing to hide, and an indented code block goes on
            after_break = previous_blank = True
            continue
        indent = _width(line[: len(line) - len(stripped)]) if stripped is not line else 0
        if code_indent is not None:
            if indent >= code_indent:
                out.append(_blank(line))
                continue
            code_indent = None
        if after_break and indent >= 4 + (list_indent or 0):
            code_indent = 4 + (list_indent or 0)
            out.append(_blank(line))
            continue
        initial = stripped[0]
        opened = _fence_opened(line) if initial in "`~>" else None
        if opened is not None:
            fence = opened
            out.append(_blank(line))
            continue
        heading = initial == "#" and rx.heading_start.match(line) is not None
        item = rx.list_item.match(line) if initial in _LIST_INITIALS else None
        if item is not None:
            list_indent = _width(line[: item.end()]) if item.end() < len(line) else indent + 2
        elif heading or (previous_blank and indent < 2):
            list_indent = None  # a heading, or a paragraph at the margin, ends the list
        if "`" in line or "<!--" in line:
            ranges, in_comment = _inline_ranges(line, 0)
            line = _blank_ranges(line, ranges)
        out.append(line)
        after_break = heading
        previous_blank = False
    return out
