"""The worker pool (``check --jobs N``): the same report as one process, in order, whatever a card does.

The corpus is bench/corpus.py's: distinct generated cards of every shape the project meets
(valid, invalid, text-only, unparseable, without front matter, with weights beside them).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator

import pytest

from carbonlint import pool, rules
from carbonlint.checker import check_paths, enabled_codes
from carbonlint.config import Config
from carbonlint.findings import Problem

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from corpus import make_corpus  # noqa: E402

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork start method")

FORMATS = ("text", "json", "github", "sarif", "markdown", "gitlab")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    (folder / ".git").mkdir()  # no configuration file of the caller's applies
    make_corpus(folder, 3 * pool.MIN_CARDS_FOR_POOL + 7, seed=14)
    return folder


def _cli(folder: Path, *options: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "carbonlint", "check", *options, "."],
                          cwd=folder, capture_output=True, timeout=300,
                          env={**os.environ, "NO_COLOR": "", "GITHUB_ACTIONS": ""})


def test_corpus_cards_are_distinct(corpus: Path) -> None:
    texts = [p.read_bytes() for p in corpus.rglob("*.md")]
    assert len(texts) == 3 * pool.MIN_CARDS_FOR_POOL + 7
    assert len(set(texts)) == len(texts)


@pytest.mark.parametrize("output_format", FORMATS)
def test_report_is_byte_identical_to_one_process(corpus: Path, output_format: str) -> None:
    one = _cli(corpus, "--jobs", "1", "-f", output_format)
    many = _cli(corpus, "--jobs", "3", "-f", output_format)
    assert one.returncode == 1, one.stderr  # the corpus holds errors
    assert (many.returncode, many.stdout, many.stderr) == (one.returncode, one.stdout, one.stderr)
    assert one.stdout.count(b"model-000") >= 20  # many cards are named (some formats: only with findings)


def test_report_file_is_byte_identical(corpus: Path, tmp_path: Path) -> None:
    one, many = tmp_path / "one.sarif", tmp_path / "many.sarif"
    assert _cli(corpus, "-j", "1", "-f", "sarif", "-o", str(one)).returncode == 1
    assert _cli(corpus, "-j", "2", "-f", "sarif", "-o", str(many)).returncode == 1
    assert one.read_bytes() == many.read_bytes()


def test_jobs_must_be_positive(corpus: Path) -> None:
    result = _cli(corpus, "--jobs", "0")
    assert result.returncode == 2
    assert b"--jobs" in result.stderr


def test_few_cards_are_checked_without_workers(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_pool(*args: object, **kwargs: object) -> Iterator[object]:
        raise AssertionError("a pool was started for a handful of cards")

    monkeypatch.setattr(pool, "check_in_pool", no_pool)
    few = sorted(str(p) for p in corpus.rglob("*.md"))[: pool.MIN_CARDS_FOR_POOL - 1]
    reports = list(check_paths(few, Config(), jobs=4))
    assert [r.path for r in reports] == few


def _paths(corpus: Path) -> list[str]:
    return sorted(str(p) for p in corpus.rglob("*.md"))


def test_order_and_content_match_one_process(corpus: Path) -> None:
    paths = _paths(corpus) + [str(corpus / "missing" / "README.md")]
    single = list(check_paths(paths, Config(), jobs=1))
    pooled = list(check_in_pool_paths(paths, jobs=2))
    assert pooled == single
    assert pooled[-1].error == "no such file"


def check_in_pool_paths(paths: list[str], jobs: int, **kwargs: float) -> Iterator[object]:
    config = Config()
    return pool.check_in_pool(paths, config, enabled_codes(config), jobs, **kwargs)


def test_input_is_read_lazily_and_memory_bounded(corpus: Path) -> None:
    """The parent never takes more than its window of paths ahead of the reports it has yielded."""
    paths = _paths(corpus)
    taken = 0

    def walk() -> Iterator[str]:
        nonlocal taken
        for path in paths:
            taken += 1
            yield path

    reports = check_in_pool_paths(walk(), jobs=2)  # type: ignore[arg-type]
    ahead = []
    for count, _ in enumerate(reports, start=1):
        ahead.append(taken - count)
    assert count == len(paths)
    assert max(ahead) <= pool.WINDOW_PER_JOB * 2


@pytest.fixture
def faulty_check(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A check with a bug that kills or hangs the process on a marked card. The workers are
    forked, so they inherit it (pool forks only when no other thread runs, and other tests of
    the session may have left one: here fork is forced)."""
    import multiprocessing

    monkeypatch.setattr(pool, "_start_method", lambda: multiprocessing.get_context("fork"))

    def misbehave(context: object) -> Iterator[Problem]:
        text = context.card.text  # type: ignore[attr-defined]
        if "KILL-THE-WORKER" in text:
            os.kill(os.getpid(), signal.SIGKILL)
        if "HANG-THE-WORKER" in text:
            time.sleep(600)
        return iter(())

    rules._load()
    rules._CHECKS.append(rules.Check(misbehave, frozenset({"CL001"})))
    try:
        yield
    finally:
        rules._CHECKS.pop()


def _with_marked_cards(corpus: Path, tmp_path: Path) -> list[str]:
    paths = _paths(corpus)
    marked = []
    for number, marker in ((5, "KILL-THE-WORKER"), (40, "HANG-THE-WORKER"), (41, "KILL-THE-WORKER")):
        card = tmp_path / f"card{number}" / "README.md"
        card.parent.mkdir()
        card.write_text(f"---\nco2_eq_emissions: 12.5\n---\n# Model\n\n{marker}\n")
        paths.insert(number, str(card))
        marked.append(number)
    return paths


def test_a_card_that_kills_or_hangs_its_worker_is_reported(
        corpus: Path, tmp_path: Path, faulty_check: None) -> None:
    paths = _with_marked_cards(corpus, tmp_path)
    start = time.monotonic()
    reports = list(check_in_pool_paths(paths, jobs=2, time_limit=3.0))
    assert time.monotonic() - start < 120
    assert [r.path for r in reports] == paths
    failed = {i: r for i, r in enumerate(reports) if r.error}
    assert set(failed) == {5, 40, 41}
    assert "killed by SIGKILL" in failed[5].error and "please report it" in failed[5].error
    assert "longer than 3 s" in failed[40].error
    assert all(r.internal_error for r in failed.values())
    # Every other card was checked, by the workers that replaced the dead ones.
    single = list(check_paths([p for i, p in enumerate(paths) if i not in failed], Config(), jobs=1))
    assert [r for i, r in enumerate(reports) if i not in failed] == single


def test_a_crashed_card_makes_the_exit_code_2(corpus: Path, tmp_path: Path, faulty_check: None,
                                              run: object, monkeypatch: pytest.MonkeyPatch) -> None:
    paths = _with_marked_cards(corpus, tmp_path)
    monkeypatch.setattr(pool, "CARD_TIME_LIMIT", 3.0)
    code, out, _ = run("check", "--jobs", "2", "-f", "json", *paths)  # type: ignore[operator]
    assert code == 2
    assert out.count('"internal error: ') == 3
    assert out.count('"path": ') == len(paths)


def test_stopping_early_stops_the_workers(corpus: Path) -> None:
    import multiprocessing

    reports = check_in_pool_paths(_paths(corpus), jobs=2)
    next(reports)
    assert multiprocessing.active_children()
    reports.close()  # type: ignore[attr-defined]
    assert not multiprocessing.active_children()


def test_spawned_workers_give_the_same_reports(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where fork is not used (another thread runs, or not Linux), workers start fresh."""
    import multiprocessing

    monkeypatch.setattr(pool, "_start_method", lambda: multiprocessing.get_context("spawn"))
    paths = _paths(corpus)
    assert list(check_in_pool_paths(paths, jobs=2)) == list(check_paths(paths, Config(), jobs=1))


def test_warm_up_cards_take_the_paths_a_real_run_takes() -> None:
    """The parent checks these before forking so that workers inherit what checks load on first
    use; if a card stopped reaching the schema messages, the label or the fix, workers would
    silently go back to loading it each."""
    import os

    from carbonlint.card import parse_card
    from carbonlint.checker import check_card, enabled_codes
    from carbonlint.config import Config
    from carbonlint.warm_up import WARM_UP_CARDS

    config = Config()
    enabled = enabled_codes(config)
    reports = [check_card(parse_card(text, os.path.join(os.devnull, "warm-up", "README.md")),
                          config, enabled) for text in WARM_UP_CARDS]
    assert all(report.error is None for report in reports)
    codes = {finding.code for report in reports for finding in report.findings}
    assert "CL106" in codes  # the schema refuses a value: its validator and messages
    assert "CL211" in codes  # emissions in the text only: the fix that writes them
    assert any(f.fix is not None for report in reports for f in report.findings)
    assert any(report.efficiency is not None for report in reports)  # baselines, peer groups
    assert all(report.estimate_g is not None for report in reports)  # tables of the estimate


def test_workers_start_warm(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Forked workers inherit the parent's warm-up: it runs once, in the parent, before them."""
    import carbonlint.warm_up as warm_up_module
    from carbonlint.checker import check_paths
    from carbonlint.config import Config

    calls: list[int] = []
    original = warm_up_module.warm_up
    monkeypatch.setattr(warm_up_module, "warm_up",
                        lambda *args: (calls.append(os.getpid()), original(*args)))
    paths = sorted(str(p) for p in corpus.rglob("*.md"))
    # Workers are spawned (and warm up each on their own) where forking is not safe: another
    # platform, or threads left running in this test process by an earlier test.
    forked = pool._start_method().get_start_method() == "fork"
    reports = list(check_paths(paths, Config(), jobs=2))
    assert len(reports) == len(paths)
    assert calls == ([os.getpid()] if forked else [])
