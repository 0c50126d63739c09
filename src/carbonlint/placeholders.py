"""Values that stand for "not filled in": the Hub template's marker and its cousins."""

from __future__ import annotations

# Compared after lower-casing and stripping brackets, quotes, dots and blanks.
PLACEHOLDERS = frozenset({
    "more information needed", "more info needed", "needs more information", "tbd", "tba",
    "to be determined", "to be added", "todo", "n/a", "na", "none", "null", "unknown", "unk",
    "not specified", "not available", "not known", "unspecified", "?", "??", "-", "--", "xxx",
    "...", "",
})


def is_placeholder(value: object) -> bool:
    if not isinstance(value, str):
        return False
    return value.strip().strip("[](){}<>\"'`*_ .").lower() in PLACEHOLDERS
