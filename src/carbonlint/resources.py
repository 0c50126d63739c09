"""Files shipped inside the package (schemas/, data/), found without importlib.resources.

``importlib.resources`` costs ~12 ms to import, on every pre-commit run. An installed wheel
(and an editable install) keeps the files next to the modules, so a path relative to this file
finds them; only a zipped installation needs importlib.resources, and gets it.
"""

from __future__ import annotations

import os

_HERE = os.path.dirname(os.path.abspath(__file__))
# A source checkout keeps schemas/ at the repository root, beside src/ (the wheel copies it in).
_CHECKOUT = os.path.dirname(os.path.dirname(_HERE))


def read_text(*parts: str) -> str:
    """The text of a packaged file, e.g. ``read_text("data", "baseline.json")``."""
    for root in (_HERE, _CHECKOUT):
        path = os.path.join(root, *parts)
        if os.path.isfile(path):
            with open(path, encoding="utf-8") as handle:
                return handle.read()
    from importlib.resources import files

    resource = files("carbonlint")
    for part in parts:  # one segment at a time: Python 3.10's Traversable.joinpath takes one
        resource = resource / part
    if resource.is_file():
        return resource.read_text(encoding="utf-8")
    raise FileNotFoundError(f"carbonlint's {'/'.join(parts)} is missing from the installation")


def path_of(*parts: str) -> str:
    """Where a packaged file is on disk (for messages and tests)."""
    for root in (_HERE, _CHECKOUT):
        path = os.path.join(root, *parts)
        if os.path.isfile(path):
            return path
    raise FileNotFoundError(f"carbonlint's {'/'.join(parts)} is not a file on disk")
