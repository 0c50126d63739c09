"""The lowest-versions CI run (.ci/run) tests what pyproject.toml promises."""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


def _floors() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = [*project["dependencies"], *project["optional-dependencies"]["test"]]
    floors = {}
    for requirement in requirements:
        if ";" in requirement and "python_version < '3.11'" in requirement:
            continue  # tomli: not installed on the Python CI runs
        match = re.fullmatch(r"([A-Za-z0-9_.-]+)\s*>=\s*([0-9][0-9.]*)", requirement.split(";")[0].strip())
        assert match, f"no lower bound in {requirement!r}: every dependency needs one"
        floors[re.sub(r"[-_.]+", "-", match[1].lower())] = match[2]
    return floors


def test_every_floor_is_pinned_in_the_lowest_constraints() -> None:
    pinned = {}
    for line in (ROOT / ".ci" / "constraints-lowest.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, version = line.split("==")
            pinned[re.sub(r"[-_.]+", "-", name.lower())] = version
    for name, floor in _floors().items():
        assert name in pinned, f"{name} has a floor ({floor}) that .ci/constraints-lowest.txt does not pin"
        assert _release(pinned[name]) == _release(floor), (name, pinned[name], floor)


def _release(version: str) -> tuple[int, ...]:
    """ "6.0" and "6.0.0" are the same release; "10.0" is not "1.0". """
    parts = [int(p) for p in version.split(".")]
    while len(parts) > 1 and parts[-1] == 0:
        parts.pop()
    return tuple(parts)
