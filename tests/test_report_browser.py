"""The report and the label as a person sees them: rendered by headless Chromium (Debian's
chromium package; .ci/run installs it), driven over the DevTools protocol (tests/browser.py).

Without a browser these tests skip locally, and fail under CI=true, where one must be there.
"""

from __future__ import annotations

import os
import struct
from pathlib import Path

import pytest

from browser import Browser, find_browser
from report_cards import write_cards

EXECUTABLE = find_browser()
if EXECUTABLE is None:
    if os.environ.get("CI"):
        raise RuntimeError("CI: chromium is not installed (.ci/run installs Debian's chromium)")
    pytest.skip("no chromium on this machine (apt-get install chromium)", allow_module_level=True)


@pytest.fixture(scope="module")
def browser():
    with Browser(EXECUTABLE, width=1280, height=900) as opened:
        yield opened


@pytest.fixture(scope="module")
def report_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from carbonlint.cli import main

    folder = tmp_path_factory.mktemp("report")
    write_cards(folder / "models")
    page = folder / "report.html"
    assert main(["report", str(folder / "models"), "-o", str(page), "-q"]) == 0
    return page


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", header[16:24])


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_page_loads_clean_offline_with_visible_charts(browser: Browser, report_page: Path,
                                                      tmp_path: Path, dark: bool) -> None:
    browser.open(str(report_page), dark=dark)
    assert browser.problems() == []
    assert browser.requests() == [report_page.resolve().as_uri()]
    sizes = browser.evaluate(
        "Array.from(document.querySelectorAll('figure svg.chart')).map(s => {"
        " const r = s.getBoundingClientRect(); return [s.closest('figure').id, r.width, r.height]; })")
    charts = {key: (w, h) for key, w, h in sizes}
    assert set(charts) >= {"chart-classes", "chart-rules", "chart-peers", "chart-labels", "chart-plausibility"}
    assert all(w > 200 and h > 100 for w, h in charts.values()), charts
    # The theme reaches the charts: axis text is drawn in the page's foreground colour.
    colours = browser.evaluate(
        "[getComputedStyle(document.body).backgroundColor,"
        " getComputedStyle(document.querySelector('#chart-classes svg text')).fill]")
    background, text = colours
    assert background == ("rgb(21, 24, 28)" if dark else "rgb(255, 255, 255)")
    assert text == ("rgb(230, 232, 235)" if dark else "rgb(29, 32, 37)")
    shot = tmp_path / f"report-{'dark' if dark else 'light'}.png"
    browser.screenshot(str(shot), full_page=True)
    width, height = _png_size(shot)
    assert width == 1280 and height > 1500
    assert shot.stat().st_size > 50_000


def test_table_sorts_and_filters(browser: Browser, report_page: Path) -> None:
    browser.open(str(report_page))
    column = "Array.from(document.querySelectorAll('#models tbody tr')).filter(r => !r.hidden).map(r => r.cells[2].getAttribute('data-v'))"
    browser.evaluate("document.querySelectorAll('#models thead button')[2].click()")  # emissions
    ascending = browser.evaluate(column)
    numbers = [float(v) for v in ascending if v]
    assert len(numbers) == 4 and numbers == sorted(numbers)
    assert ascending[-2:] == ["", ""], "cards without emissions sort last"
    assert browser.evaluate("document.querySelectorAll('#models thead th')[2].getAttribute('aria-sort')") == "ascending"
    browser.evaluate("document.querySelectorAll('#models thead button')[2].click()")
    descending = [float(v) for v in browser.evaluate(column) if v]
    assert descending == sorted(numbers, reverse=True)
    # Filters: a rule code in the search box, then a class.
    browser.evaluate("{ const t = document.getElementById('filter-text'); t.value = 'CL401';"
                     " t.dispatchEvent(new Event('input')); }")
    browser.evaluate("new Promise(r => setTimeout(r, 300))")
    shown = browser.evaluate("Array.from(document.querySelectorAll('#models tbody tr')).filter(r => !r.hidden).map(r => r.cells[0].textContent)")
    assert len(shown) == 1 and "vit-plants" in shown[0]
    assert browser.evaluate("document.getElementById('filter-count').textContent") == "1 of 6 models shown"
    browser.evaluate("{ const t = document.getElementById('filter-text'); t.value = '';"
                     " t.dispatchEvent(new Event('input'));"
                     " const c = document.getElementById('filter-class'); c.value = 'awareness';"
                     " c.dispatchEvent(new Event('change')); }")
    browser.evaluate("new Promise(r => setTimeout(r, 300))")
    assert browser.evaluate("document.querySelectorAll('#models tbody tr:not([hidden])').length") == 2
    assert browser.problems() == []


def test_label_renders(browser: Browser, tmp_path: Path) -> None:
    from carbonlint.cli import main
    from report_cards import CARDS

    write_cards(tmp_path, {"README.md": CARDS["acme/vit-plants/README.md"]})
    label = tmp_path / "label.svg"
    assert main(["label", str(tmp_path / "README.md"), "-o", str(label)]) == 0
    browser.open(str(label))
    assert browser.problems() == []
    assert browser.requests() == [label.resolve().as_uri()]
    box = browser.evaluate("(() => { const r = document.documentElement.getBoundingClientRect(); return [r.width, r.height]; })()")
    assert box == [440, 262]
    # Every text line fits inside the label.
    overflow = browser.evaluate(
        "Array.from(document.querySelectorAll('text')).filter(t => { const b = t.getBBox();"
        " return b.x < 0 || b.x + b.width > 440 || b.y + b.height > 262; }).map(t => t.textContent)")
    assert overflow == []
    shot = tmp_path / "label.png"
    browser.screenshot(str(shot), clip={"x": 0, "y": 0, "width": 440, "height": 262})
    assert _png_size(shot) == (440, 262)
