"""The card's energy label as a small SVG: the A-E scale with the card's grade, its reporting
class, emissions, peer group, the inputs the grade used, the date and the carbonlint version.

Hand-written SVG rather than a plot: it is a fixed graphic of a few shapes, it must stay a few
kilobytes and have no external reference (no font, no image, no script), so it can be committed
beside the card and shown in it.
"""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape, quoteattr

from carbonlint import __version__
from carbonlint.report.legend import CLASS_NAMES, LABEL_COLOURS as COLOURS, LABEL_INK as INK

if TYPE_CHECKING:
    from carbonlint.baselines import Baseline
    from carbonlint.findings import CardReport

LETTERS = "ABCDE"
INPUT_NAMES = {
    "emissions": "emissions",
    "size_efficiency": "model size",
    "dataset_efficiency": "dataset size",
    "downloads": "downloads",
    "performance": "performance",
}
WIDTH, HEIGHT = 440, 262
FONT = "system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif"


def _grams(value: float) -> str:
    from carbonlint.report.charts import grams

    return grams(value)


def _fit(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def label_svg(report: CardReport, baseline: Baseline, *, name: str | None = None,
              date: str | None = None) -> str:
    efficiency = report.efficiency or {}
    letter = efficiency.get("label") if efficiency.get("label") in COLOURS else None
    date = date or _dt.date.today().isoformat()
    model = _fit(name or report.path, 46)
    emissions = (f"{_grams(report.emissions_g)} CO\u2082eq" if report.emissions_g is not None
                 else "not reported")
    group = efficiency.get("peer_group")
    if group and group in baseline.groups:
        # Count and description read as one phrase ("68 non-AutoTrain fine-tunes"); the
        # median goes beside the card's own number, where it is compared, so each line fits.
        stats = baseline.groups[group]
        peers = f"{stats.n:,} {stats.description}"
        median = stats.quantiles_g.get("p50")
        if median is not None and report.emissions_g is not None:
            emissions += f" (peers' median {_grams(median)})"
    elif report.emissions_g is not None:
        peers = "none large enough of the same kind of run"
    else:
        peers = "-"
    used = [INPUT_NAMES.get(x, x) for x in efficiency.get("used", [])]
    inputs = ", ".join(used) if used else "-"
    klass = report.reporting_class
    if letter:
        grade_text = f"efficiency {letter} (score {efficiency.get('score')})"
        why_not = ""
    elif efficiency.get("reason"):
        grade_text = "not rated: emissions alone rate the run's size, not its efficiency"
        why_not = "emissions alone: no letter"
    else:
        grade_text = "not rated: no emissions in grams"
        why_not = "no emissions in grams"
    rows = []
    for index, item in enumerate(LETTERS):
        y = 44 + index * 25
        width = 70 + index * 22
        rows.append(
            f'<path d="M14 {y}h{width}l10 11-10 11H14z" fill="{COLOURS[item]}"/>'
            f'<text x="22" y="{y + 16}" fill="{INK[item]}" font-weight="700" font-size="15">{item}</text>')
    pointer = ""
    if letter:
        y = 44 + LETTERS.index(letter) * 25
        pointer = (f'<path d="M192 {y + 11}l14-13h40v26h-40z" fill="#1a1a1a"/>'
                   f'<text x="227" y="{y + 18}" fill="#ffffff" font-weight="700" font-size="19" '
                   f'text-anchor="middle">{letter}</text>')
    lines = [
        ("Reporting", f"{klass} ({CLASS_NAMES.get(klass, klass)})"),
        ("Emissions", emissions),
        ("Peer group", peers),
        # Without a letter nothing was rated: the inputs are what the card gave, not a rating's.
        ("Rated on" if letter else "Inputs given", inputs if letter or not used else f"{inputs} only"),
    ]
    details = "".join(
        f'<text x="14" y="{192 + i * 15}"><tspan font-weight="700">{escape(k)}:</tspan> {escape(_fit(v, 66))}</text>'
        for i, (k, v) in enumerate(lines))
    summary = (f"CO2 label of {name or report.path}: {grade_text}; reporting class {klass}; "
               f"emissions {emissions}; peer group {peers}; "
               f"{'rated on' if letter else 'inputs given:'} {inputs}; "
               f"carbonlint {__version__}, {date}.")
    right = [
        ("Efficiency", letter or "not rated"),
        ("Class", klass),
    ]
    side = "".join(
        f'<text x="264" y="{62 + i * 44}" font-size="11" fill="#555555">{escape(k)}</text>'
        f'<text x="264" y="{82 + i * 44}" font-size="17" font-weight="700">{escape(v)}</text>'
        for i, (k, v) in enumerate(right))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="t d" '
        f'font-family="{FONT}" font-size="11" fill="#1a1a1a">'
        f'<title id="t">{escape(f"CO2 label: {grade_text}")}</title><desc id="d">{escape(summary)}</desc>'
        f'<rect x="0.5" y="0.5" width="{WIDTH - 1}" height="{HEIGHT - 1}" rx="8" fill="#ffffff" stroke="#b5b5b5"/>'
        f'<text x="14" y="26" font-size="15" font-weight="700">CO\u2082 label</text>'
        f'<text x="{WIDTH - 14}" y="26" text-anchor="end" fill="#444444">{escape(model)}</text>'
        f'<path d="M14 34H{WIDTH - 14}" stroke="#d0d0d0"/>'
        + "".join(rows) + pointer + side
        + (f'<text x="264" y="150" font-size="10" fill="#555555">score {efficiency.get("score")} '
           f'(A = 1 ... E = 5)</text>' if letter else
           f'<text x="264" y="150" font-size="10" fill="#555555">{escape(why_not)}</text>')
        + f'<path d="M14 176H{WIDTH - 14}" stroke="#d0d0d0"/>' + details
        + f'<text x="14" y="{HEIGHT - 8}" font-size="9" fill="#666666">carbonlint {escape(__version__)} · '
          f'{escape(date)} · A-E after Castaño et al., ESEM 2023</text>'
        + "</svg>\n")
