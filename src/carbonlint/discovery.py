"""Which files are cards: the paths given, directories searched, include and exclude globs.

A directory is searched for the files that ``include`` names (by default ``README.md`` and
``*model_card*.md``/``*modelcard*.md``, in any letter case); ``exclude`` (by default hidden and
tool folders) prunes files and folders, ``extend-exclude`` adds to it. Patterns follow
per-file-ignores: one without ``/`` matches a file or folder name, one with ``/`` the path
relative to the configuration file (else to the working directory); ``**/`` may match no folder.
Matching ignores letter case, as card names do (Readme.md, MODEL_CARD.md).

A file named on the command line is checked whatever its name (``include`` only steers the
directory search) unless ``exclude`` matches it: pre-commit and editors pass every file
explicitly, and an excluded card must stay excluded there too.

What was left out is counted (:class:`Tally`), so that a folder of cards named ``<model>.md``
is not skipped in silence.
"""

from __future__ import annotations

import fnmatch
import os
import re
from dataclasses import dataclass, field
from typing import Iterable, Iterator

DEFAULT_INCLUDE = ("README.md", "*model_card*.md", "*modelcard*.md")
DEFAULT_EXCLUDE = (".*", "node_modules", "__pycache__", "venv", "site-packages")


@dataclass
class Tally:
    """What a search left out, for the run's closing notes."""

    # directory given -> Markdown files below it that include did not name
    skipped_markdown: dict[str, int] = field(default_factory=dict)
    # directory given -> cards found below it
    cards: dict[str, int] = field(default_factory=dict)
    excluded: list[str] = field(default_factory=list)  # files named explicitly but excluded

    def notes(self, include: tuple[str, ...]) -> list[str]:
        """One line per thing a user would want to know (stderr, after the report)."""
        patterns = ", ".join(include)
        lines = []
        for folder, found in self.cards.items():
            skipped = self.skipped_markdown.get(folder, 0)
            if found == 0:
                lines.append(
                    f"warning: {folder} holds no model card ({patterns})"
                    + (f"; {_files(skipped)} skipped: --include '*.md' checks them" if skipped else "")
                )
            elif skipped:
                lines.append(f"{_files(skipped)} in {folder} skipped (not {patterns}); "
                             "--include '*.md' checks them")
        for path in self.excluded:
            lines.append(f"{path} matches an exclude pattern; not checked")
        return lines


def _files(count: int) -> str:
    return "1 Markdown file" if count == 1 else f"{count} Markdown files"


class Matcher:
    """Glob patterns relative to ``root`` (a configuration file's folder, or the working one)."""

    def __init__(self, patterns: Iterable[str], root: str | None) -> None:
        self.names = tuple(p.lower() for p in patterns if "/" not in p)
        self.paths = tuple(p.lower().lstrip("/") for p in patterns if "/" in p)
        self.root = os.path.realpath(root or os.getcwd())
        # The name patterns as one expression (what fnmatchcase compiles each to, joined): it is
        # asked of every file and folder of a walk, once instead of once per pattern.
        joined = "|".join(map(fnmatch.translate, self.names))
        self._name = re.compile(joined).match if self.names else None

    def __bool__(self) -> bool:
        return bool(self.names or self.paths)

    def matches(self, path: str) -> bool:
        name = os.path.basename(os.path.normpath(path)).lower()
        if self._name is not None and self._name(name):
            return True
        if not self.paths:
            return False
        relative = os.path.relpath(os.path.realpath(path), self.root).replace(os.sep, "/").lower()
        if relative.startswith("../"):
            return False
        return any(fnmatch.fnmatchcase(relative, p)
                   or ("**/" in p and fnmatch.fnmatchcase(relative, p.replace("**/", "")))
                   for p in self.paths)


def find_cards(paths: Iterable[str], *, include: tuple[str, ...] = DEFAULT_INCLUDE,
               exclude: tuple[str, ...] = DEFAULT_EXCLUDE, root: str | None = None,
               tally: Tally | None = None) -> Iterator[str]:
    """Files as given (unless excluded); directories searched, sorted, for included names."""
    wanted = Matcher(include, root)
    unwanted = Matcher(exclude, root)
    tally = tally if tally is not None else Tally()
    for path in paths:
        if not os.path.isdir(path):
            if unwanted and os.path.exists(path) and unwanted.matches(path):
                tally.excluded.append(path)
                continue
            yield path
            continue
        tally.cards.setdefault(path, 0)
        for folder, dirs, files in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not unwanted.matches(os.path.join(folder, d)))
            for name in sorted(files):
                full = os.path.join(folder, name)
                if unwanted and unwanted.matches(full):
                    continue
                if wanted.matches(full):
                    tally.cards[path] += 1
                    yield full
                elif name.lower().endswith((".md", ".markdown")):
                    tally.skipped_markdown[path] = tally.skipped_markdown.get(path, 0) + 1
