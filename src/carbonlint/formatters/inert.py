"""Card text made inert, for every output format, in one place.

A model card is written by anyone, and its text (keys, values, file and folder names) reaches
every report carbonlint prints. What a consumer of a report could act on, and so what card text
must never carry into one:

* a workflow command. The GitHub Actions runner reads every line of a step's output: a line
  that starts with ``::`` after any leading white space (the runner trims spaces, tabs and other
  Unicode white space) is a command (``::add-mask::``, ``::error::``, ``::stop-commands::``), and
  the older ``##[name]`` syntax counts anywhere in a line. Lines end at LF, CR or CRLF.
* a terminal control: C0 controls (ESC starts a colour or cursor sequence, CR rewrites a line,
  TAB hides white space), DEL, and the C1 controls U+0080-U+009F (U+009B is a one-character
  ESC ``[``, and U+0085 is a line break to some readers); U+2028/U+2029 break lines elsewhere.
* a bidi control, which reorders how the text reads ("Trojan Source"): U+061C, U+200E, U+200F,
  U+202A-U+202E, U+2066-U+2069.
* markup: in Markdown (the step summary, a pull-request comment) HTML, links, images, code,
  tables, @mentions and the addresses GitHub turns into links by itself (``https://...``,
  ``www....``, e-mail addresses); in a SARIF message, the ``[text](target)`` link syntax.

Each format has one function here, and the formatters call only these:

* :func:`visible` for line-oriented text (``text`` and ``github``): each unsafe character is
  shown as an escape (``\\x1b``, ``\\u202e``) and ``##[`` loses its meaning;
  :func:`line_start` for the field a line begins with (a path).
* :func:`json_dumps` for JSON written to stdout or a file (``json``, ``sarif``, ``gitlab``):
  the same characters as JSON escapes (``\\u001b``), so a JSON reader gets the card's text
  back exactly while the bytes printed stay inert.
* :func:`markdown` for Markdown, :func:`sarif_message` for SARIF message text.
"""

from __future__ import annotations

import json
import re
from typing import Any

# Every code point that must never reach an output raw (see the module docstring).
UNSAFE = frozenset([
    *range(0x00, 0x20), 0x7F, *range(0x80, 0xA0),  # C0, DEL, C1
    0x2028, 0x2029,  # line and paragraph separators
    0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A),  # bidi controls
])

_VISIBLE = {code: f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" for code in UNSAFE}
# json.dumps already escapes C0 inside strings; the line breaks of its indentation must stay.
_JSON = {code: f"\\u{code:04x}" for code in UNSAFE if code >= 0x20}
# The runner's legacy command syntax, looked for anywhere in a line.
LEGACY_COMMAND = "##["


def visible(text: str, *, keep: str = "") -> str:
    """``text`` with every unsafe character shown as an escape and ``##[`` defused.

    ``keep``: characters left as they are because the caller escapes them in its own way
    (the github format turns CR and LF into ``%0D``/``%0A``, which the runner decodes).
    """
    table = _VISIBLE if not keep else {c: e for c, e in _VISIBLE.items() if chr(c) not in keep}
    return text.translate(table).replace(LEGACY_COMMAND, "#\\#[")


# A path may begin a line only with a character that cannot be white space or a colon.
_SAFE_LINE_START = re.compile(r"[\w./~-]")


def line_start(path: str) -> str:
    """``visible(path)``, prefixed with ``./`` unless its first character is plainly safe.

    A line of text output starts with the card's path; a path starting with spaces, a tab (shown
    as ``\\x09``, but other Unicode white space stays as it is) or ``::`` could otherwise make
    the line a workflow command after the runner trims it.
    """
    shown = visible(path)
    return shown if _SAFE_LINE_START.match(shown) else "./" + shown


def json_dumps(value: Any, *, indent: int | None = None) -> str:
    """``json.dumps`` (UTF-8 text kept readable) with every unsafe character as a JSON escape.

    The escapes only ever fall inside JSON strings (JSON's own syntax is ASCII and never holds
    ``##``), so the document means exactly the same to a JSON reader. No line of the result can
    start with ``::``: every line begins with indentation and a quote or a bracket.
    """
    return json_inert(json.dumps(value, indent=indent, ensure_ascii=False))


def json_inert(text: str) -> str:
    """JSON text (as json.dumps writes it, ``ensure_ascii=False``) with the same escapes as
    :func:`json_dumps`, for writers that build the text themselves (indented_json)."""
    return text.translate(_JSON).replace(LEGACY_COMMAND, "##\\u005b")


# --- Markdown ---------------------------------------------------------------------------------

# Backslash-escaped: what could open emphasis, code, links, images, tables, strikethrough, math
# or a heading. '<', '>' and '&' become entities, so no HTML tag or entity from a card survives.
_MARKDOWN_SPECIAL = "\\`*_[]{}()#!|~$"
ZERO_WIDTH_SPACE = "\u200b"
_MARKDOWN = str.maketrans({
    **{char: "\\" + char for char in _MARKDOWN_SPECIAL},
    "<": "&lt;", ">": "&gt;", "&": "&amp;",
    # '@' as an entity ends the text run the autolinker scans for an e-mail address (cmark-gfm
    # and linkify-it each look within one run), and the zero-width space after it keeps
    # "@someone" from notifying them in a PR comment (mentions are found after entities are
    # decoded).
    "@": "&#64;" + ZERO_WIDTH_SPACE,
    # Line breaks would end a table row; the rest are unsafe anywhere. All become spaces.
    **{chr(code): " " for code in UNSAFE},
})
# GitHub (cmark-gfm's autolink extension) links "www.", "http://", "https://" and "ftp://" text
# by itself. A zero-width space inside "www." and between the two slashes breaks each of them,
# and reads the same; other schemes ("hf://org/model", a card's path on the Hub) stay as they are.
_AUTOLINK = re.compile(r"(?i)(?<=www)\.|(?:(?<=http:/)|(?<=https:/)|(?<=ftp:/))(?=/)")


def markdown(text: str, limit: int | None = None) -> str:
    """Card-controlled ``text`` as inline Markdown that renders as exactly that text (with
    zero-width spaces where a link or a mention would start), cut to ``limit`` characters."""
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    text = _AUTOLINK.sub(lambda m: ZERO_WIDTH_SPACE + m.group(0), text)
    return text.translate(_MARKDOWN)


# --- SARIF ------------------------------------------------------------------------------------


def sarif_message(text: str) -> str:
    """Plain-text SARIF ``message.text``: brackets (and the backslash) escaped as SARIF 2.1.0
    §3.11.6 asks, so that no ``[text](target)`` from a card becomes an embedded link."""
    return re.sub(r"([\\\[\]])", r"\\\1", text)
