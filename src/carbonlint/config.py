"""Configuration: ``.carbonlint.toml`` or ``[tool.carbonlint]`` in pyproject.toml, then CLI flags.

Discovery walks up from the working directory: in each directory a ``.carbonlint.toml`` wins,
else a ``pyproject.toml`` with a ``[tool.carbonlint]`` table; the walk stops at the first hit or at
a repository root (a directory with ``.git``). Every option given on the command line replaces
the file's value for that option.

Keys (kebab-case, as in pyproject.toml tools):

    select = ["CL1", "CL2"]           # codes or prefixes; "ALL" for every rule (default)
    ignore = ["CL107"]
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
"""

from __future__ import annotations

import os
from typing import Any, Iterable, NamedTuple

from carbonlint.discovery import DEFAULT_EXCLUDE, DEFAULT_INCLUDE
from carbonlint.findings import Severity
from carbonlint.grade import CLASSES, DEFAULT_CERTIFICATION_TAGS, DEFAULT_OPTIMIZATION_TAGS

FORMATS = ("text", "json", "github", "sarif", "markdown", "gitlab", "auto")


class ConfigError(Exception):
    """A configuration problem: the CLI prints it and exits 2."""


class Config(NamedTuple):
    """Immutable; the dict defaults are shared and never mutated."""

    select: tuple[str, ...] = ("ALL",)
    ignore: tuple[str, ...] = ()
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
    source: str | None = None  # the file this came from, for messages
    root: str | None = None  # the directory per-file-ignores patterns are relative to

    def with_options(self, **options: Any) -> Config:
        """This config with the CLI's options laid over it (None means "not given")."""
        given = {k: v for k, v in options.items() if v is not None}
        return self._replace(**given)

    # -- rule selection ------------------------------------------------------------------------

    def enabled(self, code: str, path: str | None = None) -> bool:
        """Selected and not ignored, the longest matching prefix deciding (ties: ignored)."""
        ignore = self.ignore + (self._file_ignores(path) if path else ())
        chosen = _longest(code, self.select)
        dropped = _longest(code, ignore)
        if chosen < 0:
            return False
        return dropped < chosen

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


def _longest(code: str, prefixes: Iterable[str]) -> int:
    return max((_match_length(code, p) for p in prefixes), default=-1)


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
        "select", "ignore", "severity", "per-file-ignores", "min-class", "require-emissions",
        "baseline", "format", "optimization-tags", "certification-tags",
        "plausibility-factor", "outlier-z", "codecarbon", "include", "exclude", "extend-exclude",
    }
    values: dict[str, Any] = {"source": source, "root": root}
    for key, value in table.items():
        if key not in known:
            hint = _closest(key, known)
            raise fail(key, "unknown key" + (f" (did you mean '{hint}'?)" if hint else ""))
        if key in ("select", "ignore"):
            values[key] = tuple(_codes(value, lambda m, k=key: fail(k, m)))
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
        elif key == "per-file-ignores":
            if not isinstance(value, dict):
                raise fail(key, "must be a table of glob patterns to lists of codes")
            values["per_file_ignores"] = {
                pattern: tuple(_codes(codes, lambda m, k=f"per-file-ignores.{pattern}": fail(k, m)))
                for pattern, codes in value.items()
            }
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


def parse_code_list(text: str, option: str) -> tuple[str, ...]:
    """``--select CL1,CL107`` to a tuple; a bad code is a ConfigError naming the option."""
    codes = tuple(c.strip().upper() for c in text.split(",") if c.strip())

    def fail(message: str) -> ConfigError:
        return ConfigError(f"{option}: {message}")

    check_codes(codes, fail)
    return codes


def _closest(key: str, known: Iterable[str]) -> str | None:
    import difflib

    match = difflib.get_close_matches(key, sorted(known), n=1, cutoff=0.6)
    return match[0] if match else None
