"""Compiled regular expressions kept between runs (carbonlint.regex_cache): every pattern served
from the file is the one `re` compiles, a damaged or foreign file is never used, and the command's
output does not depend on the file."""

from __future__ import annotations

import marshal
import os
import re
import subprocess
import sys
import zlib
from pathlib import Path

import _sre
import pytest

from carbonlint import regex_cache
from carbonlint.regex_cache import RegexCache

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"

CARD = """\
---
license: apache-2.0
co2_eq_emissions:
  emissions: 1500
  source: CodeCarbon
  training_type: fine-tuning
  geographical_location: Frankfurt, Germany
  hardware_used: 2 x NVIDIA A100 40GB
  hours_used: 3
---
# Model

## Environmental Impact
- **Hardware Type:** 2 x A100 40GB
- **Hours used:** 3
- **Carbon Emitted:** 1.5 kg CO2eq
"""

SAMPLES = [
    r"(?P<num>[0-9]+)(?:\.(?P<frac>[0-9]+))?[ \t]*(?P<unit>kg|g|t)\b",
    r"(?i)\bemissions?\b",
    r"^\s*#{1,6}\s+(?P<title>.*)$",
    r"[\u00a0\u202f ]{0,2}co\u2082",
    r"(a|b)+?c(?=d)(?<!x)",
]


def _run(tmp_path: Path, *argv: str, **env: str) -> subprocess.CompletedProcess[str]:
    """The installed command's path (``python -m carbonlint``), its bytecode and pattern file
    under ``tmp_path`` (PYTHONPYCACHEPREFIX), writing allowed."""
    environ = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    environ.update(PYTHONPYCACHEPREFIX=str(tmp_path / "pycache"), **env)
    return subprocess.run([sys.executable, "-m", "carbonlint", *argv], capture_output=True,
                          text=True, env=environ, cwd=tmp_path, check=False)


def _pattern_file(tmp_path: Path) -> Path | None:
    found = list((tmp_path / "pycache").rglob("regex_cache.*.patterns"))
    assert len(found) <= 1, found
    return found[0] if found else None


def _entries(path: Path) -> dict[tuple[str, int], tuple]:
    key, checksum, payload = marshal.loads(path.read_bytes())
    assert key == regex_cache.interpreter_key() and zlib.crc32(payload) == checksum
    return marshal.loads(payload)


def _fresh(pattern: str, flags: int) -> re.Pattern[str]:
    """What `re` compiles, bypassing both caches."""
    return regex_cache._re_compiler.compile(pattern, flags) if regex_cache._installed is None \
        else regex_cache._installed.original(pattern, flags)


@pytest.fixture
def card(tmp_path: Path) -> Path:
    path = tmp_path / "README.md"
    path.write_text(CARD, encoding="utf-8")
    return path


def test_the_command_writes_the_file_then_serves_every_pattern_from_it(tmp_path: Path,
                                                                         card: Path) -> None:
    first = _run(tmp_path, "check", "--format", "json", "README.md", str(EXAMPLES))
    path = _pattern_file(tmp_path)
    assert path is not None, first.stderr
    entries = _entries(path)
    # The text readers', PyYAML's and click's patterns: far more than a handful.
    assert len(entries) > 60
    for (pattern, flags), entry in entries.items():
        built = _sre.compile(pattern, *entry)
        expected = _fresh(pattern, flags)
        assert built == expected, pattern  # same flags, same compiled code
        assert (built.groupindex, built.groups) == (expected.groupindex, expected.groups)

    written = path.read_bytes()
    second = _run(tmp_path, "check", "--format", "json", "README.md", str(EXAMPLES))
    off = _run(tmp_path, "check", "--format", "json", "README.md", str(EXAMPLES),
               CARBONLINT_REGEX_CACHE="0")
    assert first.returncode == second.returncode == off.returncode == 1  # examples hold errors
    assert first.stdout == second.stdout == off.stdout and first.stdout.startswith("{")
    assert path.read_bytes() == written  # nothing new was compiled: nothing rewritten


def test_turned_off_it_reads_and_writes_nothing(tmp_path: Path, card: Path) -> None:
    result = _run(tmp_path, "check", "README.md", CARBONLINT_REGEX_CACHE="0")
    assert result.returncode == 0, result.stderr
    assert _pattern_file(tmp_path) is None


def test_no_file_where_python_writes_no_bytecode(tmp_path: Path, card: Path) -> None:
    result = _run(tmp_path, "check", "README.md", PYTHONDONTWRITEBYTECODE="1")
    assert result.returncode == 0, result.stderr
    assert _pattern_file(tmp_path) is None


def _saved(tmp_path: Path, patterns: list[str]) -> Path:
    path = tmp_path / "saved.patterns"
    cache = RegexCache(path)
    for pattern in patterns:
        cache.compile(pattern, 0)
    assert cache.save()
    return path


def _refuse_compiling(cache: RegexCache) -> None:
    def refuse(pattern: object, flags: int = 0) -> None:
        raise AssertionError(f"compiled {pattern!r} instead of reading it")

    cache.original = refuse


def test_a_saved_pattern_is_read_not_compiled(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    path = _saved(tmp_path, SAMPLES)
    cache = RegexCache(path)
    _refuse_compiling(cache)
    for pattern in SAMPLES:
        assert cache.compile(pattern, 0) == _fresh(pattern, 0)
    assert cache.compile(SAMPLES[0], 0).match("12.5 kg").group("num", "frac", "unit") == (
        "12", "5", "kg")


@pytest.mark.parametrize("damage", ["bytes", "truncated", "checksum", "foreign", "entry", "shape"])
def test_a_damaged_or_foreign_file_is_not_used(tmp_path: Path, monkeypatch, damage: str) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    path = _saved(tmp_path, SAMPLES)
    key, checksum, payload = marshal.loads(path.read_bytes())
    entries = marshal.loads(payload)
    if damage == "bytes":
        path.write_bytes(os.urandom(4096))
    elif damage == "truncated":
        path.write_bytes(path.read_bytes()[:-100])
    elif damage == "checksum":  # one code word changed, the checksum left: a damaged disk
        pattern_key = next(iter(entries))
        entry = list(entries[pattern_key])
        entry[1] = [7] * len(entry[1])
        entries[pattern_key] = tuple(entry)
        path.write_bytes(marshal.dumps((key, checksum, marshal.dumps(entries))))
    elif damage == "foreign":  # another interpreter's file
        path.write_bytes(marshal.dumps(({**key, "version": "2.7.18"}, checksum, payload)))
    elif damage == "entry":  # a well-formed file whose entry does not build
        entries[next(iter(entries))] = (0, "not code", 0, {}, ())
        payload = marshal.dumps(entries)
        path.write_bytes(marshal.dumps((key, zlib.crc32(payload), payload)))
    else:
        path.write_bytes(marshal.dumps(["a", "list"]))
    cache = RegexCache(path)
    if damage != "entry":
        assert cache.entries == {}
    for pattern in SAMPLES:
        assert cache.compile(pattern, 0) == _fresh(pattern, 0)
    assert cache.save()  # and the next save replaces it with a sound file
    assert set(_entries(path)) >= {(p, 0) for p in SAMPLES}


def test_the_file_is_bounded(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    monkeypatch.setattr(regex_cache, "MAX_ENTRIES", 50)
    path = tmp_path / "bounded.patterns"
    for start in (0, 40, 80):
        cache = RegexCache(path)
        for n in range(start, start + 40):
            cache.compile(f"word{n}|other{n}", 0)
        cache.save()
        assert 0 < len(_entries(path)) <= 50


def test_no_error_where_the_file_cannot_be_written(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    (tmp_path / "a-file").write_text("not a folder")
    cache = RegexCache(tmp_path / "a-file" / "x.patterns")
    assert cache.compile(SAMPLES[1], 0) == _fresh(SAMPLES[1], 0)
    assert cache.save() is False
    assert list(tmp_path.iterdir()) == [tmp_path / "a-file"]


def test_what_is_not_a_text_pattern_goes_to_re(tmp_path: Path) -> None:
    cache = RegexCache(tmp_path / "x.patterns")
    assert cache.compile(rb"\d+", 0).match(b"42").group() == b"42"
    with pytest.raises(re.error):
        cache.compile("(unclosed", 0)
    # re.DEBUG prints the compiled code: never served from, nor kept in, the file.
    assert cache.compile("debug[0-9]", re.DEBUG).match("debug7")
    assert list(cache.compiled_here) == []


def test_install_routes_re_and_uninstall_gives_it_back(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("CARBONLINT_REGEX_CACHE", raising=False)
    original = regex_cache._re_compiler.compile
    regex_cache.uninstall()
    try:
        cache = regex_cache.install(tmp_path / "x.patterns")
        assert cache is not None and regex_cache._re_compiler.compile == cache.compile
        pattern = "installed-[0-9]+-" + os.urandom(4).hex()
        assert re.compile(pattern).match("installed-12-" + pattern[-8:])
        assert (pattern, 0) in cache.compiled_here
    finally:
        regex_cache.uninstall()
    assert regex_cache._re_compiler.compile == original
    monkeypatch.setenv("CARBONLINT_REGEX_CACHE", "0")
    assert regex_cache.install(tmp_path / "y.patterns") is None
    assert regex_cache._re_compiler.compile == original


def test_a_sound_file_is_not_rewritten_for_a_pattern_or_two(tmp_path: Path, monkeypatch) -> None:
    # Some patterns differ on every run (tokenize's, built from a set): they must not make
    # every run rewrite the file.
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    path = _saved(tmp_path, SAMPLES)
    written = path.read_bytes()
    cache = RegexCache(path)
    for n in range(regex_cache.MIN_NEW_TO_REWRITE - 1):
        cache.compile(f"once{n}", 0)
    assert cache.save() is False and path.read_bytes() == written
    cache.compile("one-more", 0)
    assert cache.save() is True
    assert ("once0", 0) in _entries(path) and (SAMPLES[0], 0) in _entries(path)


@pytest.mark.parametrize("prefix", [None, "pycache-prefix"])
def test_the_file_is_where_python_puts_this_module_bytecode(tmp_path: Path, monkeypatch,
                                                            prefix: str | None) -> None:
    import importlib.util

    monkeypatch.setattr(sys, "pycache_prefix", str(tmp_path / prefix) if prefix else None)
    bytecode = Path(importlib.util.cache_from_source(regex_cache.__file__))
    assert Path(regex_cache.default_path()) == bytecode.with_suffix(".patterns")


def test_card_text_never_reaches_the_file(tmp_path: Path) -> None:
    # Patterns are carbonlint's and its libraries': no card's words are compiled into one, so
    # checking other cards neither grows nor rewrites the file (nor stores what a card says).
    (tmp_path / "README.md").write_text(CARD, encoding="utf-8")
    assert _run(tmp_path, "check", "README.md").returncode == 0
    path = _pattern_file(tmp_path)
    assert path is not None
    written = path.read_bytes()
    for n, word in enumerate(["zyxwvu-secret", "Qqqq (8 x H100) emitted 3 t", "ünïcödé 12,5 kg"]):
        folder = tmp_path / f"model{n}"
        folder.mkdir()
        (folder / "README.md").write_text(
            CARD.replace("2 x A100 40GB", word).replace("Frankfurt", word), encoding="utf-8")
        _run(tmp_path, "check", str(folder))
    assert path.read_bytes() == written
    assert b"zyxwvu" not in written and b"Qqqq" not in written
