"""Compiled regular expressions kept between runs of the command, as Python keeps bytecode.

`re` compiles every pattern in pure Python (a parser, then a code generator) and keeps the result
for the life of the process only. One ``carbonlint check`` of one card compiles about a hundred
patterns (the text readers', PyYAML's, click's): 35-50 ms of a ~180 ms run, paid again by every
pre-commit run. The code `re` generates depends only on the pattern, its flags and the
interpreter, so this module keeps it in a file beside this module's bytecode
(``__pycache__/regex_cache.<cache tag>.patterns``, or under ``PYTHONPYCACHEPREFIX``) and builds
each pattern from it with ``_sre.compile``, the constructor `re` itself ends with.

Only the command line installs it (``carbonlint.__main__``), never an ``import carbonlint``: it
replaces, for the rest of the process, the function `re` calls when a pattern is not in its own
cache (``re._compiler.compile``; ``sre_compile.compile`` before Python 3.11). What could go wrong
falls back to `re`'s own compiler:

- the file is keyed on the exact interpreter (``sys.version``, the engine's ``MAGIC`` and code
  size); another interpreter's file is ignored, and replaced at exit;
- an entry is only ever written after the pattern built from it compared equal (``==`` compares
  the flags and the compiled code) to the one `re` compiled in the same process;
- the entries carry a checksum: a damaged file is ignored whole (``_sre.compile`` checks the
  code it is given, but not enough to make any code safe to run), and an entry that does not
  build is dropped;
- nothing is written when bytecode is not (``PYTHONDONTWRITEBYTECODE``), nor where the folder is
  read-only; the file is replaced atomically, and holds at most ``MAX_ENTRIES`` patterns.

``CARBONLINT_REGEX_CACHE=0`` in the environment turns it off (nothing read, nothing written).
"""

from __future__ import annotations

import marshal
import os
import re
import sys
import zlib
from typing import Any, Callable

try:  # Python 3.11 and later
    from re import _compiler as _re_compiler, _parser as _re_parser
except ImportError:  # pragma: no cover - Python 3.10
    import sre_compile as _re_compiler  # type: ignore[no-redef]
    import sre_parse as _re_parser  # type: ignore[no-redef]

import _sre

FORMAT = 1
# Patterns built from text at run time (an --exclude glob) would otherwise grow the file forever.
MAX_ENTRIES = 2048
# A sound file is rewritten only for this many new patterns. Some patterns differ on every run
# (tokenize builds one from a set, whose order changes with the hash seed; jsonschema's error
# path reaches it): one or two new patterns per run must not rewrite the file every time.
MIN_NEW_TO_REWRITE = 8

# _sre.compile's arguments after the pattern: flags, code, groups - 1, groupindex, indexgroup.
Entry = tuple[int, list[int], int, dict[str, int], tuple[Any, ...]]


def interpreter_key() -> dict[str, Any]:
    """What the compiled code depends on, besides the pattern and its flags."""
    return {
        "format": FORMAT,
        "version": sys.version,
        "implementation": sys.implementation.cache_tag,
        "magic": getattr(_sre, "MAGIC", None),
        "codesize": getattr(_sre, "CODESIZE", None),
        "maxunicode": sys.maxunicode,
    }


def default_path() -> str | None:
    """Beside this module's bytecode, where Python would write it (None: Python writes none).

    As ``importlib.util.cache_from_source``, without importing it (nor pathlib: ~10 ms of a
    one-card run, which imports neither otherwise)."""
    tag = sys.implementation.cache_tag
    if tag is None:
        return None
    folder = os.path.dirname(os.path.abspath(__file__))
    name = f"regex_cache.{tag}.patterns"
    if sys.pycache_prefix:  # PYTHONPYCACHEPREFIX: the source folder's mirror under the prefix
        return os.path.join(sys.pycache_prefix, os.path.splitdrive(folder)[1].lstrip(os.sep), name)
    return os.path.join(folder, "__pycache__", name)


class RegexCache:
    """The patterns of one file, and those compiled in this process that it did not hold."""

    def __init__(self, path: str | os.PathLike[str] | None) -> None:
        self.path = os.fspath(path) if path is not None else None
        self.entries: dict[tuple[str, int], Entry] = self._read()
        self.compiled_here: dict[tuple[str, int], Any] = {}
        self.unsound = not self.entries  # absent, damaged, foreign or empty: write what is new
        self.original: Callable[..., Any] = _re_compiler.compile

    def _read(self) -> dict[tuple[str, int], Entry]:
        if self.path is None:
            return {}
        try:
            with open(self.path, "rb") as stream:
                key, checksum, payload = marshal.load(stream)
            if key != interpreter_key() or zlib.crc32(payload) != checksum:
                return {}
            entries = marshal.loads(payload)
        except (OSError, EOFError, ValueError, TypeError):  # absent, damaged or not ours
            return {}
        return entries if type(entries) is dict else {}

    def compile(self, pattern: Any, flags: int = 0) -> Any:
        """``re._compiler.compile``, from the file where it holds the pattern."""
        # re.DEBUG prints the code as it is compiled: such a pattern is never served from the file.
        if type(pattern) is not str or flags & re.DEBUG:
            return self.original(pattern, flags)
        key = (pattern, int(flags))
        entry = self.entries.get(key)
        if entry is not None:
            try:
                return _sre.compile(pattern, *entry)
            except Exception:  # a damaged entry: drop it, compile as re would
                del self.entries[key]
                self.unsound = True
        compiled = self.original(pattern, flags)
        if len(self.compiled_here) < MAX_ENTRIES:
            self.compiled_here[key] = compiled
        return compiled

    def new_entries(self) -> dict[tuple[str, int], Entry]:
        """The entries for the patterns compiled here, each checked against `re`'s own result."""
        made = {}
        for key, compiled in self.compiled_here.items():
            entry = _entry_for(*key)
            if entry is None:
                continue
            try:
                rebuilt = _sre.compile(key[0], *entry)
            except Exception:
                continue
            if rebuilt == compiled and rebuilt.groupindex == compiled.groupindex:
                made[key] = entry
        return made

    def save(self) -> bool:
        """Write the file if this process compiled patterns it did not hold; True if written."""
        if self.path is None or not self.compiled_here or sys.dont_write_bytecode:
            return False
        if not self.unsound and len(self.compiled_here) < MIN_NEW_TO_REWRITE:
            return False
        made = self.new_entries()
        if not made:
            return False
        entries = dict(self.entries) if len(self.entries) + len(made) <= MAX_ENTRIES else {}
        entries.update(made)
        if len(entries) > MAX_ENTRIES:
            entries = dict(list(entries.items())[:MAX_ENTRIES])
        payload = marshal.dumps(entries)
        data = marshal.dumps((interpreter_key(), zlib.crc32(payload), payload))
        temporary = f"{self.path}.{os.getpid()}.tmp"
        try:
            os.makedirs(os.path.dirname(self.path), exist_ok=True)
            with open(temporary, "wb") as stream:
                stream.write(data)
            os.replace(temporary, self.path)
        except OSError:  # a read-only install: run without the file, as Python does
            try:
                os.unlink(temporary)
            except OSError:
                pass
            return False
        return True


def _entry_for(pattern: str, flags: int) -> Entry | None:
    """``_sre.compile``'s arguments for ``pattern``, as ``re._compiler.compile`` computes them."""
    try:
        parsed = _re_parser.parse(pattern, flags)
        code = [int(op) for op in _re_compiler._code(parsed, flags)]
        groupindex = dict(parsed.state.groupdict)
        indexgroup: list[str | None] = [None] * parsed.state.groups
        for name, index in groupindex.items():
            indexgroup[index] = name
        return (int(flags | parsed.state.flags), code, parsed.state.groups - 1, groupindex,
                tuple(indexgroup))
    except Exception:  # an interpreter whose compiler differs: keep no entry
        return None


_installed: RegexCache | None = None


def install(path: str | os.PathLike[str] | None = None) -> RegexCache | None:
    """Route `re`'s compiling through the file for the rest of the process (once); None when
    ``CARBONLINT_REGEX_CACHE=0`` turns it off."""
    global _installed
    if _installed is None and os.environ.get("CARBONLINT_REGEX_CACHE", "").strip() != "0":
        import atexit

        cache = RegexCache(path if path is not None else default_path())
        _re_compiler.compile = cache.compile
        atexit.register(cache.save)
        _installed = cache
    return _installed


def uninstall() -> None:
    """Give `re` its own compiler back (tests)."""
    global _installed
    if _installed is not None:
        import atexit

        _re_compiler.compile = _installed.original
        atexit.unregister(_installed.save)
        _installed = None
