"""Configuration: ``.carbonlint.toml`` or ``[tool.carbonlint]`` in pyproject.toml, then CLI flags.

Discovery walks up from the working directory: in each directory a ``.carbonlint.toml`` wins,
else a ``pyproject.toml`` with a ``[tool.carbonlint]`` table; the walk stops at the first hit or at
a repository root (a directory with ``.git``). Every option given on the command line replaces
the file's value for that option, except rule selection, which is resolved in layers as ruff
does it (carbonlint.selection).

Keys (kebab-case, as in pyproject.toml tools):

    select = ["CL1", "CL2"]           # codes or prefixes; "ALL" for every rule (default)
    extend-select = ["CL5"]           # added to select
    ignore = ["CL107"]
    extend-ignore = ["CL109"]         # the same as ignore (kept for ruff's users)
    fail-on = "error"                 # error, warning, info or never: what makes exit code 1
    min-class = "basic"
    require-emissions = false
    baseline = "path/to/baseline.json" # relative to the config file
    format = "text"
    optimization-tags = ["optimized", "pruned", "distilled"]  # replaces the default list
    certification-tags = ["EcoCard"]
    plausibility-factor = 10           # CL402
    outlier-z = 3.5                    # CL501
    codecarbon = "emissions.csv"       # CL310/CL311: compare with CodeCarbon's file (relative
                                       # to the config file)
    [severity]                         # [tool.carbonlint.severity] in pyproject.toml
    CL109 = "error"
    CL1 = "warning"                    # prefixes too; the longest matching prefix wins
    [per-file-ignores]
    "legacy/**/README.md" = ["CL2"]

    include = ["*.md"]                 # which files a directory search checks (default: README.md,
                                       # *model_card*.md, *modelcard*.md); see carbonlint.discovery
    exclude = [".*", "node_modules"]   # files and folders never checked (replaces the default)
    extend-exclude = ["docs/**"]       # added to exclude
    [extend-per-file-ignores]          # merged with per-file-ignores
    "drafts/*.md" = ["CL4"]
"""

from __future__ import annotations

import os
from typing import Any, Iterable

from carbonlint.discovery import DEFAULT_EXCLUDE, DEFAULT_INCLUDE
from carbonlint.findings import Severity
from carbonlint.grade import CLASSES, DEFAULT_CERTIFICATION_TAGS, DEFAULT_OPTIMIZATION_TAGS
from carbonlint.record import Record
from carbonlint.selection import RuleSelection, code_matches, resolve

FORMATS = ("text", "json", "github", "sarif", "markdown", "gitlab", "auto")
FAIL_ON = ("error", "warning", "info", "never")


class ConfigError(Exception):
    """A configuration problem: the CLI prints it and exits 2."""


class Config(Record):
    """Immutable; the dict defaults are shared and never mutated."""

    # The configuration file's rule selection (its layer); ``extend-ignore`` is merged into ignore.
    select: tuple[str, ...] = ("ALL",)
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    # The command line's layers, applied after the file's (see carbonlint.selection).
    cli_selections: tuple[RuleSelection, ...] = ()
    severity: dict[str, Severity] = {}  # noqa: RUF012
    per_file_ignores: dict[str, tuple[str, ...]] = {}  # noqa: RUF012
    min_class: str | None = None
    require_emissions: bool = False
    baseline: str | None = None
    format: str = "text"
    optimization_tags: tuple[str, ...] = DEFAULT_OPTIMIZATION_TAGS
    certification_tags: tuple[str, ...] = DEFAULT_CERTIFICATION_TAGS
    plausibility_factor: float = 10.0  # CL402: how far from the physical estimate is too far
    outlier_z: float = 3.5  # CL501: robust z-score of log10 emissions within the peer group
    codecarbon: str | None = None  # CL310/CL311: CodeCarbon's emissions.csv to compare with
    include: tuple[str, ...] = DEFAULT_INCLUDE  # file names (globs) a directory search checks
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE  # files and folders never checked
    extend_exclude: tuple[str, ...] = ()  # added to exclude
    fail_on: str = "error"  # the lowest severity that makes exit code 1 ("never": none does)
    show_estimate: bool = False  # the judging inputs on every report (--show-estimate)
    statistics: bool = False  # counts per code instead of the findings (--statistics)
    source: str | None = None  # the file this came from, for messages
    root: str | None = None  # the directory per-file-ignores patterns are relative to

    def with_options(self, **options: Any) -> Config:
        """This config with the CLI's options laid over it (None means "not given")."""
        given = {k: v for k, v in options.items() if v is not None}
        return self._replace(**given)

    # -- rule selection ------------------------------------------------------------------------

    def selections(self) -> tuple[RuleSelection, ...]:
        """The layers of rule selection, lowest priority first: the file's, then the CLI's."""
        return (RuleSelection(self.select, self.extend_select, self.ignore), *self.cli_selections)

    def selected(self) -> frozenset[str]:
        """The codes that run on every card (before per-file-ignores)."""
        return resolve(self.selections())

    def enabled(self, code: str, path: str | None = None) -> bool:
        """Selected by the layers, and not ignored for ``path`` by per-file-ignores.

        As in ruff, a per-file ignore applies whatever was selected, however specifically.
        """
        if code not in self.selected():
            return False
        return not (path and any(code_matches(code, p) for p in self._file_ignores(path)))

    def severity_of(self, code: str, default: Severity) -> Severity:
        best, severity = -1, default
        for prefix, value in self.severity.items():
            length = _match_length(code, prefix)
            if length > best:
                best, severity = length, value
        return severity

    def _file_ignores(self, path: str) -> tuple[str, ...]:
        if not self.per_file_ignores:
            return ()
        candidates = _relative_forms(path, self.root)
        codes: list[str] = []
        for pattern, ignored in self.per_file_ignores.items():
            if any(_glob_match(candidate, pattern) for candidate in candidates):
                codes.extend(ignored)
        return tuple(codes)


def _match_length(code: str, prefix: str) -> int:
    """How specific ``prefix`` is for ``code``: -1 when it does not match, 0 for ALL."""
    if prefix == "ALL":
        return 0
    return len(prefix) if code.startswith(prefix) else -1


def _posix(path: str) -> str:
    return path.replace(os.sep, "/")


def _relative_forms(path: str, root: str | None) -> list[str]:
    if "://" in path:  # hf://org/model: not a file path, normpath would fold the "//"
        return [path]
    forms = [_posix(os.path.normpath(path))]
    if root is not None:
        relative = os.path.relpath(os.path.abspath(path), root)
        if not relative.startswith(".."):
            forms.append(_posix(relative))
    return forms


def _glob_match(path: str, pattern: str) -> bool:
    import fnmatch

    if "/" not in pattern:
        return fnmatch.fnmatchcase(path.rsplit("/", 1)[-1], pattern)
    # "**/" may match no directory at all, as in ruff and .gitignore.
    return fnmatch.fnmatchcase(path, pattern) or (
        "**/" in pattern and fnmatch.fnmatchcase(path, pattern.replace("**/", ""))
    )


# -- loading -----------------------------------------------------------------------------------


def discover(start: str | None = None) -> str | None:
    """The config file that applies to ``start`` (default: the working directory), if any.

    (os.path rather than pathlib: this runs on every pre-commit call, and pathlib costs ~5 ms.)
    """
    folder = os.path.realpath(start or os.getcwd())
    while True:
        dedicated = os.path.join(folder, ".carbonlint.toml")
        if os.path.isfile(dedicated):
            return dedicated
        pyproject = os.path.join(folder, "pyproject.toml")
        # Only parse pyproject.toml (tomllib costs ~20 ms to import) when it can hold our table.
        if os.path.isfile(pyproject) and "carbonlint" in _read_text(pyproject):
            if _tool_table(pyproject) is not None:
                return pyproject
        parent = os.path.dirname(folder)
        if os.path.exists(os.path.join(folder, ".git")) or parent == folder:
            return None
        folder = parent


def _read_text(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the configuration file: {exc}") from None


def _parse_toml(path: str) -> dict[str, Any]:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    try:
        return tomllib.loads(_read_text(path))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None


def _tool_table(path: str) -> dict[str, Any] | None:
    table = _parse_toml(path).get("tool", {}).get("carbonlint")
    if table is not None and not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.carbonlint] must be a table")
    return table


def load(path: str | None = None) -> Config:
    """Load an explicit config file, or the discovered one, or the defaults."""
    if path is None:
        found = discover()
        if found is None:
            return Config()
        file = found
    else:
        file = path
        if not os.path.isfile(file):
            raise ConfigError(f"{file}: no such configuration file")
    if os.path.basename(file) == "pyproject.toml":
        table = _tool_table(file) or {}
        prefix = "tool.carbonlint."
    else:
        table = _parse_toml(file)
        prefix = ""
        tool = table.get("tool")
        if set(table) == {"tool"} and isinstance(tool, dict) and set(tool) == {"carbonlint"}:
            # The pyproject.toml form pasted into .carbonlint.toml: read it the same way.
            table, prefix = tool["carbonlint"], "tool.carbonlint."
            if not isinstance(table, dict):
                raise ConfigError(f"{file}: [tool.carbonlint] must be a table")
    return from_mapping(table, source=file, root=os.path.dirname(os.path.realpath(file)),
                        prefix=prefix)


def from_mapping(table: dict[str, Any], *, source: str = "<config>", root: str | None = None,
                 prefix: str = "") -> Config:
    """Validate a configuration table; every problem names the file and the key."""

    def fail(key: str, message: str) -> ConfigError:
        return ConfigError(f"{source}: {prefix}{key}: {message}")

    known = {
        "select", "extend-select", "ignore", "extend-ignore", "severity", "per-file-ignores",
        "extend-per-file-ignores", "min-class", "require-emissions", "baseline", "format",
        "optimization-tags", "certification-tags", "plausibility-factor", "outlier-z",
        "codecarbon", "fail-on", "include", "exclude", "extend-exclude",
    }
    values: dict[str, Any] = {"source": source, "root": root}
    for key, value in table.items():
        if key not in known:
            hint = _closest(key, known)
            raise fail(key, "unknown key" + (f" (did you mean '{hint}'?)" if hint else ""))
        if key in ("select", "extend-select"):
            values[key.replace("-", "_")] = tuple(_codes(value, lambda m, k=key: fail(k, m)))
        elif key in ("ignore", "extend-ignore"):
            # One list, as in ruff: extend-ignore only exists for configurations that extend others.
            values["ignore"] = (*values.get("ignore", ()), *_codes(value, lambda m, k=key: fail(k, m)))
        elif key in ("include", "exclude", "extend-exclude"):
            values[key.replace("-", "_")] = globs(value, lambda m, k=key: fail(k, m))
        elif key in ("optimization-tags", "certification-tags"):
            values[key.replace("-", "_")] = tuple(_strings(value, lambda m, k=key: fail(k, m)))
        elif key == "severity":
            if not isinstance(value, dict):
                raise fail(key, "must be a table of rule codes or prefixes to error/warning/info")
            severities: dict[str, Severity] = {}
            for code, level in value.items():
                check_codes([code], lambda m, k=f"severity.{code}": fail(k, m))
                try:
                    severities[code.upper()] = Severity.parse(str(level))
                except ValueError as exc:
                    raise fail(f"severity.{code}", str(exc)) from None
            values["severity"] = severities
        elif key in ("per-file-ignores", "extend-per-file-ignores"):
            if not isinstance(value, dict):
                raise fail(key, "must be a table of glob patterns to lists of codes")
            table_ = {
                pattern: tuple(_codes(codes, lambda m, k=f"{key}.{pattern}": fail(k, m)))
                for pattern, codes in value.items()
            }
            values["per_file_ignores"] = merge_file_ignores(values.get("per_file_ignores", {}), table_)
        elif key == "fail-on":
            if value not in FAIL_ON:
                raise fail(key, f"must be one of {', '.join(FAIL_ON)}, not {value!r}")
            values["fail_on"] = value
        elif key == "min-class":
            if value not in CLASSES:
                raise fail(key, f"must be one of {', '.join(CLASSES)}, not {value!r}")
            values["min_class"] = value
        elif key == "require-emissions":
            if not isinstance(value, bool):
                raise fail(key, "must be true or false")
            values["require_emissions"] = value
        elif key in ("baseline", "codecarbon"):
            if not isinstance(value, str):
                raise fail(key, "must be a path")
            values[key] = value if root is None else os.path.join(root, value)
        elif key in ("plausibility-factor", "outlier-z"):
            minimum = 1.0 if key == "plausibility-factor" else 0.0
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= minimum:
                raise fail(key, f"must be a number above {minimum:g}")
            values[key.replace("-", "_")] = float(value)
        elif key == "format":
            if value not in FORMATS:
                raise fail(key, f"must be one of {', '.join(FORMATS)}, not {value!r}")
            values["format"] = value
    return Config(**values)


def _strings(value: Any, fail: Any) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise fail("must be a list of strings")
    return value


def globs(value: Any, fail: Any) -> tuple[str, ...]:
    """A list of glob patterns (include, exclude): non-empty strings."""
    patterns = _strings(value, fail)
    if any(not p.strip() for p in patterns):
        raise fail("must not hold an empty pattern")
    return tuple(p.strip() for p in patterns)


def _codes(value: Any, fail: Any) -> list[str]:
    codes = [v.strip().upper() for v in _strings(value, fail)]
    check_codes(codes, fail)
    return codes


def check_codes(codes: Iterable[str], fail: Any) -> None:
    """Every code must be ALL or a prefix of at least one known rule code."""
    from carbonlint.rules import all_rules

    known = all_rules()
    for code in codes:
        code = code.strip().upper()
        if code != "ALL" and not any(k.startswith(code) for k in known):
            raise fail(f"{code!r} is not a rule code or prefix (see 'carbonlint rules')")


def parse_code_list(text: str | Iterable[str], option: str) -> tuple[str, ...]:
    """``--select CL1,CL107`` (or the option repeated) to a tuple; a bad code is a ConfigError
    naming the option."""
    texts = [text] if isinstance(text, str) else list(text)
    codes = tuple(c.strip().upper() for t in texts for c in t.split(",") if c.strip())

    def fail(message: str) -> ConfigError:
        return ConfigError(f"{option}: {message}")

    check_codes(codes, fail)
    return codes


def merge_file_ignores(base: dict[str, tuple[str, ...]],
                       more: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """``base`` with ``more``'s patterns added (codes of a pattern in both are joined)."""
    merged = dict(base)
    for pattern, codes in more.items():
        merged[pattern] = (*merged.get(pattern, ()), *codes)
    return merged


def parse_file_ignores(texts: Iterable[str], option: str) -> dict[str, tuple[str, ...]]:
    """``--per-file-ignores 'legacy/*:CL2,CL3'`` (repeatable) to a pattern table.

    As in ruff, each comma-separated item is ``PATTERN:CODE``; an item without a pattern continues
    the previous one, so ``legacy/*:CL2,CL3`` ignores both. The last ``:`` splits, so a pattern may
    hold one itself (``hf://acme/*:CL2``).
    """
    table: dict[str, tuple[str, ...]] = {}

    def fail(message: str) -> ConfigError:
        return ConfigError(f"{option}: {message}")

    for text in texts:
        pattern: str | None = None
        for item in (part.strip() for part in text.split(",")):
            if not item:
                continue
            if ":" in item:
                pattern, _, item = item.rpartition(":")
                pattern = pattern.strip()
                item = item.strip()
            if not pattern:
                raise fail(f"{item!r} has no file pattern: write PATTERN:CODE, e.g. 'legacy/*:CL2'")
            code = item.upper()
            check_codes([code], fail)
            table[pattern] = (*table.get(pattern, ()), code)
    return table


def _closest(key: str, known: Iterable[str]) -> str | None:
    import difflib

    match = difflib.get_close_matches(key, sorted(known), n=1, cutoff=0.6)
    return match[0] if match else None
