"""How long installing carbonlint takes, with and without huggingface_hub, cold and warm cache.

The question (issue 15): should ``huggingface_hub`` (needed by ``carbonlint hub`` and
``baselines build --from-hub`` only) be an extra, so that the pre-commit hook and the Action,
which run ``check``, install less? And what does a warm pip cache (the Action's cache) save?

Each case makes a fresh virtual environment and times ``pip install`` of this checkout, as the
Action and pre-commit do (pre-commit installs the repository with pip the same way):

* ``with-hub``: ``pip install .`` with the dependencies as they are (the core set includes
  huggingface_hub, unless it has been moved to the ``hub`` extra);
* ``with-hub`` when it is an extra: ``pip install '.[hub]'``;
* ``check-only``: what ``pip install .`` costs without huggingface_hub: the package without
  dependencies, then the core set minus huggingface_hub and its own;

each cold (``--no-cache-dir``) and warm (a cache filled by a first run). Run from the repository:

    python bench/install_time.py [--repeat 3]

Figures depend on the machine and the index (this workplace installs from a local mirror, so
downloads are cheap here and a hosted runner pays more for them); read them side by side.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHECK_DEPENDENCIES = ["pyyaml>=6.0", "jsonschema>=4.18", "click>=8.1"]


def _pip(venv: Path, *args: str, cache: Path | None) -> None:
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    cache_args = ["--cache-dir", str(cache)] if cache is not None else ["--no-cache-dir"]
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                    *cache_args, *args], check=True, cwd=ROOT)


def _hub_is_an_extra() -> bool:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    head, _, extras = text.partition("[project.optional-dependencies]")
    return "huggingface_hub" not in head.split("dependencies = [", 1)[1].split("]", 1)[0]


def install(case: str, scratch: Path, cache: Path | None) -> float:
    venv = scratch / f"venv-{case}"
    shutil.rmtree(venv, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    start = time.perf_counter()
    if case == "with-hub":
        _pip(venv, ".[hub]" if _hub_is_an_extra() else ".", cache=cache)
    else:
        _pip(venv, "--no-deps", ".", cache=cache)
        _pip(venv, *CHECK_DEPENDENCIES, 'tomli>=1.1; python_version < "3.11"', cache=cache)
    elapsed = time.perf_counter() - start
    site = subprocess.run([str(venv / "bin" / "python"), "-c",
                           "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    size = sum(f.stat().st_size for f in Path(site).rglob("*") if f.is_file())
    print(f"  {case:<10} {'warm' if cache else 'cold'}: {elapsed:6.2f} s, "
          f"site-packages {size / 1e6:6.1f} MB", flush=True)
    shutil.rmtree(venv, ignore_errors=True)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    results: dict[tuple[str, str], list[float]] = {}
    with tempfile.TemporaryDirectory(prefix="carbonlint-install-") as folder:
        scratch = Path(folder)
        cache = scratch / "pip-cache"
        for case in ("with-hub", "check-only"):
            install(case, scratch, cache)  # fills the cache for the warm runs
        for _ in range(args.repeat):
            for case in ("with-hub", "check-only"):
                results.setdefault((case, "cold"), []).append(install(case, scratch, None))
                results.setdefault((case, "warm"), []).append(install(case, scratch, cache))
    print("median of", args.repeat)
    for (case, kind), times in sorted(results.items()):
        print(f"  {case:<10} {kind}: {statistics.median(times):6.2f} s "
              f"(min {min(times):.2f}, max {max(times):.2f})")


if __name__ == "__main__":
    main()
