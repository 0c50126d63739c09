"""The pre-commit hook on many cards: pre-commit's parallel batches and carbonlint's own pool.

    python bench/precommit_jobs.py [--cards 10,2000] [--rounds 3]

pre-commit splits the files of a hook with ``require_serial: false`` into one batch per CPU and
runs the batches side by side; carbonlint checks a batch of 48 cards or more in a pool of one
worker per CPU. On a large ``pre-commit run --all-files`` the two multiply (two batches of 1,000
cards on two CPUs: two pools, four workers). This times ``pre-commit run``
over corpus cards (bench/corpus.py) for three hook definitions, interleaved (``pre-commit run
--all-files -c CONFIG``, one configuration per definition naming this repository at one commit):

- ``as shipped``: .pre-commit-hooks.yaml as it is (pre-commit's batches side by side, each
  checked with ``--jobs 1``);
- ``pool per batch``: the same without ``--jobs 1`` (a pool inside every batch of 48 cards or more);
- ``require_serial``: one carbonlint process for all the files, with its pool.

Needs git and pre-commit; the hook environments are built once (not timed), from the package
index pip is configured with. The working tree is snapshotted as one commit per variant.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from corpus import make_corpus  # noqa: E402

VARIANTS = {
    "as shipped": lambda text: text,
    # The entry without --jobs 1: a worker pool inside each of pre-commit's batches.
    "pool per batch": lambda text: text.replace("entry: carbonlint check --from-pre-commit --jobs 1",
                                                "entry: carbonlint check --from-pre-commit"),
    # One process for all the files, with its pool.
    "require_serial": lambda text: text.replace(
        "entry: carbonlint check --from-pre-commit --jobs 1",
        "entry: carbonlint check --from-pre-commit").replace("require_serial: false",
                                                            "require_serial: true"),
}


def git(*args: str, cwd: Path, env: dict[str, str]) -> str:
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True,
                          text=True).stdout


def hook_repository(work: Path, env: dict[str, str]) -> dict[str, str]:
    """The working tree as a scratch repository, one commit per variant: name -> commit."""
    repo = work / "carbonlint"
    listed = git("ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=ROOT, env=env)
    for name in sorted(set(filter(None, listed.split("\0")))):
        if (ROOT / name).is_file():
            (repo / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, repo / name)
    git("init", "-q", cwd=repo, env=env)
    shipped = (repo / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    commits = {}
    for name, change in VARIANTS.items():
        changed = change(shipped)
        if name != "as shipped" and changed == shipped:
            raise SystemExit(f"variant {name!r} changed nothing in .pre-commit-hooks.yaml")
        (repo / ".pre-commit-hooks.yaml").write_text(changed, encoding="utf-8")
        git("add", "-A", cwd=repo, env=env)
        git("commit", "-q", "--allow-empty", "-m", name, cwd=repo, env=env)
        commits[name] = git("rev-parse", "HEAD", cwd=repo, env=env).strip()
    return commits


def model_repository(work: Path, cards: int, env: dict[str, str]) -> Path:
    repo = work / f"models-{cards}"
    repo.mkdir()
    make_corpus(repo, cards, seed=2023)
    for path in repo.rglob("*"):  # the sparse weights files beside some cards: not for git
        if path.is_file() and path.suffix != ".md":
            path.unlink()
    git("init", "-q", cwd=repo, env=env)
    git("add", "-A", cwd=repo, env=env)
    git("commit", "-q", "-m", "cards", cwd=repo, env=env)
    return repo


def configuration(work: Path, hooks: Path, name: str, commit: str) -> Path:
    path = work / f"pre-commit-config-{name.replace(' ', '-').strip('-')}.yaml"
    path.write_text(f"repos:\n- repo: {hooks}\n  rev: {commit}\n  hooks:\n  - id: carbonlint\n",
                    encoding="utf-8")
    return path


def run_hook(models: Path, config: Path, env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds (pre-commit and every process it waited for)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(["pre-commit", "run", "--all-files", "-c", str(config)], cwd=models,
                            env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    # 1: findings (the corpus has some); carbonlint's own usage or internal error would be
    # exit 2, which pre-commit reports as 1 too: its output must name no usage error.
    if result.returncode not in (0, 1) or any(
            sign in result.stdout for sign in ("Usage:", "carbonlint: error", "internal error")):
        raise SystemExit(f"pre-commit exited {result.returncode}: {result.stdout[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cards", default="10,2000", help="comma-separated corpus sizes")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if not shutil.which("pre-commit") or not shutil.which("git"):
        raise SystemExit("needs git and pre-commit on PATH")
    work = Path(tempfile.mkdtemp(prefix="precommit-jobs-"))
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTHONPATH", "VIRTUAL_ENV", "GIT_", "PRE_COMMIT"))}
    env.update(GIT_AUTHOR_NAME="bench", GIT_AUTHOR_EMAIL="bench@example.invalid",
               GIT_COMMITTER_NAME="bench", GIT_COMMITTER_EMAIL="bench@example.invalid",
               PRE_COMMIT_HOME=str(work / "pre-commit-home"), NO_COLOR="1")
    commits = hook_repository(work, env)
    sizes = [int(n) for n in args.cards.split(",")]
    models = {n: model_repository(work, n, env) for n in sizes}
    configs = {name: configuration(work, work / "carbonlint", name, commit)
               for name, commit in commits.items()}
    for config in configs.values():  # build each hook environment once, untimed
        run_hook(models[sizes[0]], config, env)
    print(f"pre-commit run --all-files; Python {sys.version.split()[0]}; CPUs available: "
          f"{len(os.sched_getaffinity(0))}; load average at start {os.getloadavg()[0]:.1f}; "
          f"{args.rounds} interleaved rounds, medians [min-max]")
    for n in sizes:
        walls: dict[str, list[float]] = {name: [] for name in commits}
        cpus: dict[str, list[float]] = {name: [] for name in commits}
        for _ in range(args.rounds):
            for name, config in configs.items():
                wall, cpu = run_hook(models[n], config, env)
                walls[name].append(wall)
                cpus[name].append(cpu)
        print(f"{n:6d} cards")
        for name in commits:
            w, c = walls[name], cpus[name]
            print(f"    {name:16} wall {statistics.median(w):7.2f}s [{min(w):.2f}-{max(w):.2f}]"
                  f"   CPU {statistics.median(c):7.2f}s [{min(c):.2f}-{max(c):.2f}]")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
