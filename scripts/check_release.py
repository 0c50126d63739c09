"""Build carbonlint's sdist and wheel and check them as a release needs (RELEASING.md, step 3).

    python scripts/check_release.py [--outdir DIR] [--tag vX.Y.Z] [--no-install]

1. the version in ``src/carbonlint/__init__.py`` has a ``## X.Y.Z`` section in CHANGELOG.md
   (a ``.devN`` version needs none);
2. ``python -m build`` makes the sdist and the wheel (without build isolation when hatchling is
   installed, so that nothing is downloaded);
3. ``twine check --strict`` accepts both (metadata, the README rendering as the long description);
4. the wheel carries the schemas, the data tables and the baseline; the sdist the sources, tests
   and the Action;
5. unless ``--no-install``: the wheel installed into a fresh virtual environment (its
   dependencies from the index pip is configured with) prints the version for
   ``carbonlint --version`` and lints ``examples/README.md`` (exit 1: that card has an error);
6. with ``--tag``: the tag exists, names ``HEAD``, and is ``v`` + the version.

Exit 0 when everything holds; otherwise every failure is printed and the exit code is 1.
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def version() -> str:
    text = (ROOT / "src" / "carbonlint" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__ = "([^"]+)"', text, re.MULTILINE)
    if not match:
        raise SystemExit("no __version__ in src/carbonlint/__init__.py")
    return match.group(1)


def changelog_versions(text: str) -> list[str]:
    """The released versions CHANGELOG.md has sections for, newest first."""
    return re.findall(r"^## (\d+\.\d+\.\d+\S*) - \d{4}-\d{2}-\d{2}\s*$", text, re.MULTILINE)


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), cwd=cwd, capture_output=True, text=True, check=False)


def build(outdir: Path, failures: list[str]) -> tuple[Path | None, Path | None]:
    # With hatchling at hand, build in this environment: nothing is downloaded.
    isolation = ["--no-isolation"] if importlib.util.find_spec("hatchling") else []
    result = run(sys.executable, "-m", "build", "--sdist", "--wheel", "--outdir", str(outdir),
                 *isolation, ".")
    if result.returncode != 0:
        failures.append(f"python -m build failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
        return None, None
    sdists = sorted(outdir.glob("carbonlint-*.tar.gz"))
    wheels = sorted(outdir.glob("carbonlint-*.whl"))
    if len(sdists) != 1 or len(wheels) != 1:
        failures.append(f"expected one sdist and one wheel in {outdir}, found {sdists + wheels}")
        return None, None
    return sdists[0], wheels[0]


def check_contents(sdist: Path, wheel: Path, expected: str, failures: list[str]) -> None:
    if f"carbonlint-{expected}" not in wheel.name or f"carbonlint-{expected}.tar.gz" != sdist.name:
        failures.append(f"file names do not carry the version {expected}: {sdist.name}, {wheel.name}")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        metadata = next((n for n in names if n.endswith(".dist-info/METADATA")), None)
        if metadata is None or f"\nVersion: {expected}\n" not in archive.read(metadata).decode():
            failures.append(f"the wheel's METADATA does not say Version: {expected}")
    for needed in ("carbonlint/cli.py", "carbonlint/schemas/co2_eq_emissions.schema.json",
                   "carbonlint/data/PROVENANCE.md"):
        if needed not in names:
            failures.append(f"the wheel lacks {needed}")
    if not any(n.startswith("carbonlint/data/") and "baseline" in n for n in names):
        failures.append("the wheel lacks the shipped baseline (carbonlint/data/*baseline*)")
    with tarfile.open(sdist) as archive:
        members = {m.name.split("/", 1)[1] for m in archive.getmembers() if "/" in m.name}
    for needed in ("src/carbonlint/cli.py", "schemas/co2_eq_emissions.schema.json", "action.yml",
                   ".pre-commit-hooks.yaml", "README.md", "pyproject.toml"):
        if needed not in members:
            failures.append(f"the sdist lacks {needed}")


def check_installed(wheel: Path, expected: str, scratch: Path, failures: list[str]) -> None:
    venv = scratch / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    bin_dir = venv / ("Scripts" if sys.platform == "win32" else "bin")
    result = run(str(bin_dir / "python"), "-m", "pip", "install", "--quiet", str(wheel))
    if result.returncode != 0:
        failures.append(f"pip install of the wheel failed:\n{result.stderr[-2000:]}")
        return
    result = run(str(bin_dir / "carbonlint"), "--version")
    if result.stdout != f"carbonlint {expected}\n":
        failures.append(f"carbonlint --version printed {result.stdout!r}, not 'carbonlint {expected}'")
    result = run(str(bin_dir / "carbonlint"), "check", "examples/README.md")
    if result.returncode != 1 or "CL106" not in result.stdout:
        failures.append(f"the installed wheel did not lint examples/README.md as expected "
                        f"(exit {result.returncode}):\n{result.stdout[-1000:]}{result.stderr[-1000:]}")


def check_tag(tag: str, expected: str, failures: list[str]) -> None:
    if tag != f"v{expected}":
        failures.append(f"tag {tag} does not match the version {expected} (want v{expected})")
    named = run("git", "rev-parse", f"{tag}^{{commit}}")
    head = run("git", "rev-parse", "HEAD")
    if named.returncode != 0:
        failures.append(f"no tag {tag} in this repository")
    elif named.stdout != head.stdout:
        failures.append(f"tag {tag} names {named.stdout.strip()}, not HEAD {head.stdout.strip()}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--outdir", type=Path, help="keep the distributions here (default: a "
                        "temporary folder)")
    parser.add_argument("--tag", help="also check this tag (vX.Y.Z) names HEAD")
    parser.add_argument("--no-install", action="store_true",
                        help="skip installing the wheel into a fresh virtual environment")
    args = parser.parse_args()
    expected = version()
    failures: list[str] = []
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    if ".dev" not in expected and expected not in changelog_versions(changelog):
        failures.append(f"CHANGELOG.md has no '## {expected} - YYYY-MM-DD' section")
    with tempfile.TemporaryDirectory(prefix="carbonlint-release-") as folder:
        scratch = Path(folder)
        outdir = args.outdir or scratch / "dist"
        outdir.mkdir(parents=True, exist_ok=True)
        for old in [*outdir.glob("carbonlint-*.tar.gz"), *outdir.glob("carbonlint-*.whl")]:
            old.unlink()
        sdist, wheel = build(outdir, failures)
        if sdist is not None and wheel is not None:
            result = run(sys.executable, "-m", "twine", "check", "--strict", str(sdist), str(wheel))
            if result.returncode != 0:
                failures.append(f"twine check --strict failed:\n{result.stdout}{result.stderr}")
            check_contents(sdist, wheel, expected, failures)
            if not args.no_install:
                check_installed(wheel, expected, scratch, failures)
        if args.tag:
            check_tag(args.tag, expected, failures)
        for failure in failures:
            print(f"FAIL: {failure}", file=sys.stderr)
        if not failures:
            print(f"carbonlint {expected}: sdist and wheel built and checked"
                  + (f" in {outdir}" if args.outdir else ""))
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
