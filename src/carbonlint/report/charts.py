"""The report's charts, drawn by matplotlib as inline SVG (text kept as text).

Why matplotlib: it is the best-kept plotting library for static output, it writes SVG that
needs no script, no font and no network to show, log axes and bands are first-class, and the
figures are built once at report time so the browser only paints paths, even for thousands of
models. It is imported only here, behind the ``report`` extra.

Colours are written as sentinels and replaced by CSS variables afterwards, so that one SVG
follows the page's light or dark theme (``prefers-color-scheme``).
"""

from __future__ import annotations

import html
import io
import math
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from carbonlint.record import Record
from carbonlint.report.audit import (
    LETTERS,
    PLAUSIBLE_FACTOR,
    SLIP_FACTOR,
    Audit,
)
from carbonlint.report.legend import CLASS_NAMES, LABEL_COLOURS

if TYPE_CHECKING:
    from carbonlint.baselines import Baseline

# Sentinel colours -> CSS custom properties of the page (see page.py).
_THEME = {
    "#010203": "var(--fg)",
    "#040506": "var(--muted)",
    "#070809": "var(--grid)",
    "#0a0b0c": "var(--accent)",
    "#0d0e0f": "var(--accent2)",
    "#101112": "var(--band)",
    "#131415": "var(--slip)",
}
FG, MUTED, GRID, ACCENT, ACCENT2, BAND, SLIP = _THEME
WIDTH = 7.2  # inches at 72 dpi in SVG points: about 520 px, scaled to the column by CSS


class Chart(Record):
    key: str  # the HTML id
    title: str
    svg: str
    alt: str  # the text alternative: what the chart shows, in one or two sentences
    table: str  # an HTML table of the same numbers


def _rc() -> dict[str, Any]:
    return {
        "svg.fonttype": "none",  # text stays text: selectable, searchable, screen readers
        "font.family": "sans-serif",
        "font.size": 10,
        "text.color": FG,
        "axes.labelcolor": FG,
        "axes.edgecolor": MUTED,
        "xtick.color": MUTED,
        "ytick.color": MUTED,
        "xtick.labelcolor": FG,
        "ytick.labelcolor": FG,
        "axes.facecolor": "none",
        "figure.facecolor": "none",
        "savefig.facecolor": "none",
        "savefig.transparent": True,
        "grid.color": GRID,
        "grid.linewidth": 0.6,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "legend.frameon": False,
        "svg.hashsalt": None,
    }


def theme() -> Any:
    """The context every chart is built in: its colours are read when artists are created."""
    import matplotlib

    return matplotlib.rc_context(_rc())


def _figure(height: float, key: str, width: float = WIDTH) -> Any:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), layout="constrained")
    figure.set_label(key)
    return figure


def _svg(figure: Any, key: str, title: str) -> str:
    """The figure as an <svg> element for inline use: no XML prolog, no fixed size, unique ids,
    colours from the page's theme, a role and a title for assistive technology."""
    import matplotlib

    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": key}):
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    text = buffer.getvalue()
    text = text[text.index("<svg"):]
    for sentinel, variable in _THEME.items():
        text = text.replace(sentinel, variable)
    # Sans-serif of the reader's system rather than a font the page would have to carry.
    text = re.sub(r"font-family:\s*[^;\"]*", "font-family: var(--chart-font)", text)
    text = re.sub(r"font: ([0-9.]+px) '[^']*'", r"font: \1 var(--chart-font)", text)
    # Fluid width: keep the viewBox, drop the fixed width and height.
    text = re.sub(r'<svg([^>]*?) width="[^"]*" height="[^"]*"',
                  rf'<svg\1 class="chart" role="img" aria-labelledby="{key}-title"', text, count=1)
    # matplotlib numbers its groups (figure_1, axes_1) in every SVG: prefix every id, and every
    # reference to one, so that ids stay unique in the page.
    text = re.sub(r'\bid="([^"]+)"', rf'id="{key}-\1"', text)
    text = re.sub(r'url\(#([^)]+)\)', rf'url(#{key}-\1)', text)
    text = re.sub(r'href="#([^"]+)"', rf'href="#{key}-\1"', text)
    return text.replace(">", f"><title id=\"{key}-title\">{html.escape(title)}</title>", 1)


def _table(caption: str, headers: Sequence[str], rows: Sequence[Sequence[Any]],
           numeric: Sequence[bool] | None = None) -> str:
    numeric = numeric or [False] * len(headers)
    head = "".join(f"<th scope=\"col\"{' class=num' if n else ''}>{html.escape(h)}</th>"
                   for h, n in zip(headers, numeric))
    body = "".join(
        "<tr>" + "".join(f"<td{' class=num' if n else ''}>{html.escape(str(c))}</td>"
                         for c, n in zip(row, numeric)) + "</tr>"
        for row in rows)
    return (f"<table class=\"data\"><caption>{html.escape(caption)}</caption>"
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")


def grams(value: float | None) -> str:
    """Grams for people: 0.028 g, 3.6 g, 1.2 kg, 25 t (two significant digits)."""
    if value is None or not math.isfinite(value):
        return "-"
    for limit, unit, scale in ((1e6, "t", 1e6), (1e3, "kg", 1e3)):
        if abs(value) >= limit:
            return f"{_two(value / scale)} {unit}"
    return f"{_two(value)} g"


def _two(value: float) -> str:
    rounded = float(f"{value:.2g}")
    return f"{rounded:,.0f}" if abs(rounded) >= 100 else f"{rounded:g}"


def _log_axis(axis: Any) -> None:
    from matplotlib.ticker import FuncFormatter, LogLocator

    axis.set_major_locator(LogLocator(base=10, numticks=12))
    axis.set_major_formatter(FuncFormatter(lambda v, _: grams(v)))


# -- the charts ----------------------------------------------------------------------------------


def classes_chart(audit: Audit) -> Chart:
    names = list(audit.classes)
    counts = [audit.classes[n] for n in names]
    figure = _figure(2.6, "classes")
    axes = figure.add_subplot()
    bars = axes.barh(names, counts, color=ACCENT)
    axes.invert_yaxis()
    axes.bar_label(bars, labels=[f"{c:,}" for c in counts], padding=3, color=FG)
    axes.set_xlabel("cards")
    axes.xaxis.grid(True)
    axes.set_axisbelow(True)
    axes.set_xlim(0, max(counts + [1]) * 1.15)
    readable = sum(counts)
    parts = ", ".join(f"{n} {c:,}" for n, c in zip(names, counts))
    alt = f"Bar chart of the reporting classes of {readable:,} readable cards: {parts}."
    table = _table("Reporting classes, lowest to highest", ["class", "Castaño et al.'s name", "cards", "share"],
                   [(n, CLASS_NAMES[n], f"{c:,}", _percent(c, readable)) for n, c in zip(names, counts)],
                   [False, False, True, True])
    return Chart("chart-classes", "Reporting classes", _svg(figure, "classes", "Reporting classes"), alt, table)


def rules_chart(audit: Audit, limit: int = 15) -> Chart | None:
    if not audit.rules:
        return None
    shown = audit.rules[:limit]
    codes = [r.code for r in shown]
    figure = _figure(0.6 + 0.28 * len(shown), "rules")
    axes = figure.add_subplot()
    left = [0] * len(shown)
    for severity, colour in (("error", SLIP), ("warning", ACCENT2), ("info", ACCENT)):
        values = [getattr(r, severity) for r in shown]
        axes.barh(codes, values, left=left, color=colour, label=severity)
        left = [a + b for a, b in zip(left, values)]
    axes.invert_yaxis()
    axes.set_xlabel("findings")
    axes.xaxis.grid(True)
    axes.set_axisbelow(True)
    axes.legend(loc="lower right", ncols=3)
    more = f" (the {limit} most frequent; the table has all {len(audit.rules)})" if len(audit.rules) > limit else ""
    alt = (f"Stacked bar chart of findings by rule{more}: "
           + "; ".join(f"{r.code} {r.error} errors, {r.warning} warnings, {r.info} infos" for r in shown[:8])
           + ("; ..." if len(shown) > 8 else "."))
    table = _table("Findings by rule", ["rule", "errors", "warnings", "infos", "total"],
                   [(f"{r.code}", r.error, r.warning, r.info, r.total) for r in audit.rules],
                   [False, True, True, True, True])
    return Chart("chart-rules", "Findings by rule", _svg(figure, "rules", "Findings by rule"), alt, table)


def labels_chart(audit: Audit) -> Chart:
    counts = [audit.labels[letter] for letter in LETTERS]
    figure = _figure(2.2, "labels")
    axes = figure.add_subplot()
    bars = axes.bar(list(LETTERS), counts, color=[LABEL_COLOURS[x] for x in LETTERS])
    axes.bar_label(bars, labels=[f"{c:,}" for c in counts], padding=2, color=FG)
    axes.set_ylabel("cards")
    axes.yaxis.grid(True)
    axes.set_axisbelow(True)
    axes.set_ylim(0, max(counts + [1]) * 1.2)
    total = sum(counts)
    alt = (f"Bar chart of the A-E efficiency labels of {total:,} cards with emissions: "
           + ", ".join(f"{x} {c:,}" for x, c in zip(LETTERS, counts)) + ".")
    table = _table("Efficiency labels (A best)", ["label", "cards", "share"],
                   [(x, f"{c:,}", _percent(c, total)) for x, c in zip(LETTERS, counts)],
                   [False, True, True])
    return Chart("chart-labels", "Efficiency labels", _svg(figure, "labels", "Efficiency labels"), alt, table)


def peers_chart(audit: Audit, baseline: Baseline) -> Chart | None:
    """Each peer group's distribution on the Hub (box: p25-p75, whiskers p5-p95, tick: median),
    with the cards' own emissions as points on it."""
    if not audit.peers:
        return None
    import textwrap

    from carbonlint.baselines import COMBINED_GROUPS, GROUPS

    # Display order: the baseline vocabulary's (single-attribute groups, then the fair groups
    # cards are judged by); a custom baseline's other groups after them, by name.
    present = {p.group for p in audit.peers if p.group in baseline.groups}
    known = [*GROUPS, *COMBINED_GROUPS]
    order = [g for g in known if g in present] + sorted(present - set(known))
    if not order:
        return None
    # At least two inches, so that one or two groups still make a readable strip with its axis.
    figure = _figure(max(2.0, 0.9 + 0.65 * len(order)), "peers")
    axes = figure.add_subplot()
    axes.set_xscale("log")
    rows = []
    for index, key in enumerate(order):
        stats = baseline.groups[key]
        q = stats.quantiles_g
        if q:
            axes.plot([q["p5"], q["p95"]], [index, index], color=MUTED, linewidth=1.2, zorder=1)
            axes.broken_barh([(q["p25"], q["p75"] - q["p25"])], (index - 0.22, 0.44),
                             facecolors=BAND, edgecolors=MUTED, linewidth=0.8, zorder=2)
            axes.plot([q["p50"], q["p50"]], [index - 0.22, index + 0.22], color=FG, linewidth=1.6, zorder=3)
        points = [p.emissions_g for p in audit.peers if p.group == key]
        # A deterministic jitter keeps overlapping points visible without randomness.
        offsets = [((i * 0.618034) % 1 - 0.5) * 0.36 for i in range(len(points))]
        axes.scatter(points, [index + o for o in offsets], s=14, color=ACCENT, alpha=0.75,
                     edgecolors="none", zorder=4)
        inside = sum(q["p5"] <= v <= q["p95"] for v in points) if q else 0
        rows.append((f"{stats.description} ({key})", f"{stats.n:,}",
                     grams(q.get("p25")), grams(q.get("p50")), grams(q.get("p75")),
                     len(points), grams(_median_of(points)), inside))
    # Tick labels by description (the fair groups' keys are long codes), wrapped to keep the
    # plot wide: "non-AutoTrain fine-tunes\nof 100 MB-1 GB\n68 on the Hub".
    axes.set_yticks(range(len(order)), [
        "\n".join(textwrap.wrap(baseline.groups[k].description, 26))
        + f"\n{baseline.groups[k].n:,} on the Hub" for k in order])
    axes.set_ylim(len(order) - 0.5, -0.5)
    _log_axis(axes.xaxis)
    axes.xaxis.grid(True, which="major")
    axes.set_axisbelow(True)
    axes.set_xlabel("training emissions (log scale)\nbox: Hub p25-p75, bar: median, "
                    "whiskers: p5-p95; dots: these cards", fontsize=8.5)
    alt = (f"Strip chart on a log scale of the emissions of {len(audit.peers):,} cards against the "
           f"distribution of their peer group on the Hub, one row per group: "
           + "; ".join(f"{r[0]}: Hub median {r[3]}, these cards' median {r[6]} ({r[5]} cards)" for r in rows) + ".")
    table = _table("Emissions against the Hub baseline of the peer group",
                   ["peer group", "Hub models", "Hub p25", "Hub median", "Hub p75", "cards here",
                    "median here", "cards within Hub p5-p95"], rows,
                   [False, True, True, True, True, True, True, True])
    return Chart("chart-peers", "Emissions against the peer group",
                 _svg(figure, "peers", "Emissions against the peer group"), alt, table)


def plausibility_chart(audit: Audit) -> Chart | None:
    if not audit.plausibility:
        return None
    points = audit.plausibility
    xs = [p.estimate_g for p in points]
    ys = [p.reported_g for p in points]
    low = min(xs + ys) / 30
    high = max(xs + ys) * 30
    figure = _figure(4.6, "plausibility")
    axes = figure.add_subplot()
    axes.set_xscale("log")
    axes.set_yscale("log")
    line = [low, high]
    axes.fill_between(line, [v / PLAUSIBLE_FACTOR for v in line], [v * PLAUSIBLE_FACTOR for v in line],
                      color=BAND, linewidth=0, label="within 10x of the estimate", zorder=1)
    axes.plot(line, line, color=MUTED, linewidth=1, label="reported = estimate", zorder=2)
    for factor, label in ((SLIP_FACTOR, "1000x: a unit slip (kg or t in the grams field?)"),
                          (1 / SLIP_FACTOR, None)):
        axes.plot(line, [v * factor for v in line], color=SLIP, linewidth=1.2, linestyle="--",
                  label=label, zorder=2)
    colours = {"within 10x": ACCENT, "beyond 10x": ACCENT2, "about 1000x (unit slip?)": SLIP}
    for verdict, colour in colours.items():
        chosen = [p for p in points if p.verdict == verdict]
        if chosen:
            axes.scatter([p.estimate_g for p in chosen], [p.reported_g for p in chosen], s=18,
                         color=colour, edgecolors="none", alpha=0.85, zorder=3,
                         label=f"{verdict} ({len(chosen):,})")
    axes.set_xlim(low, high)
    axes.set_ylim(low, high)
    _log_axis(axes.xaxis)
    _log_axis(axes.yaxis)
    axes.grid(True, which="major")
    axes.set_axisbelow(True)
    axes.set_xlabel("estimate: hardware x hours x PUE x grid intensity")
    axes.set_ylabel("reported emissions")
    axes.legend(loc="upper left", fontsize=8)
    verdicts = {v: sum(p.verdict == v for p in points) for v in colours}
    alt = (f"Log-log scatter of reported against estimated emissions for {len(points):,} cards with "
           f"an estimate: " + ", ".join(f"{c:,} {v}" for v, c in verdicts.items()) + ".")
    ordered = sorted(points, key=lambda p: -abs(math.log10(p.ratio)))
    table = _table("Reported against estimated emissions (farthest first)",
                   ["model", "reported", "estimate", "reported / estimate", "verdict"],
                   [(p.name, grams(p.reported_g), grams(p.estimate_g), f"{p.ratio:.3g}", p.verdict)
                    for p in ordered], [False, True, True, True, False])
    return Chart("chart-plausibility", "Plausibility: reported against estimated",
                 _svg(figure, "plausibility", "Reported against estimated emissions"), alt, table)


def time_chart(audit: Audit, *, share_known: bool = True) -> Chart | None:
    """Per quarter of creation: the share of cards reporting emissions, and their median."""
    quarters = _every_quarter([q for q in audit.quarters if q.models])
    if len(quarters) < 2:
        return None
    names = [q.quarter for q in quarters]
    positions = list(range(len(quarters)))
    panels = 2 if share_known else 1
    figure = _figure(1.9 * panels + 0.5, "time", width=WIDTH * 1.8)
    axes_list = figure.subplots(panels, 1, sharex=True, squeeze=False)[:, 0]
    if share_known:
        share_axes = axes_list[0]
        share_axes.bar(positions, [100 * q.share for q in quarters], color=ACCENT)
        share_axes.set_ylabel("% reporting")
        share_axes.yaxis.grid(True)
        share_axes.set_axisbelow(True)
    median_axes = axes_list[-1]
    with_median = [(i, q.median_g) for i, q in enumerate(quarters) if q.median_g and q.median_g > 0]
    median_axes.set_yscale("log")
    if with_median:
        median_axes.plot([i for i, _ in with_median], [m for _, m in with_median], color=ACCENT2,
                         marker="o", markersize=4, linewidth=1.5)
    _log_axis(median_axes.yaxis)
    median_axes.yaxis.grid(True)
    median_axes.set_ylabel("median emissions")
    twin = median_axes.twinx()
    twin.bar(positions, [q.reporting for q in quarters], color=GRID, alpha=0.9, zorder=0)
    twin.set_ylabel("reporting cards", color=MUTED)
    twin.spines["right"].set_visible(True)
    median_axes.set_zorder(twin.get_zorder() + 1)
    step = max(1, len(names) // 12)
    median_axes.set_xticks(positions[::step], names[::step], rotation=45, ha="right")
    alt = (f"Per quarter of creation ({len(quarters)} quarters, {names[0]} to {names[-1]}): "
           + ("the share of cards reporting emissions, and " if share_known else "")
           + "the median reported emissions with the number of reporting cards. "
           + "; ".join(f"{q.quarter}: {q.reporting} reporting"
                       + (f" of {q.models} ({100 * q.share:.0f}%)" if share_known else "")
                       + f", median {grams(q.median_g)}" for q in quarters[-6:]) + ".")
    headers = ["quarter", "cards", "reporting", "share", "median emissions"] if share_known else [
        "quarter", "reporting cards", "median emissions"]
    rows = [(q.quarter, q.models, q.reporting, _percent(q.reporting, q.models), grams(q.median_g))
            if share_known else (q.quarter, q.reporting, grams(q.median_g)) for q in quarters]
    table = _table("Per quarter of creation", headers, rows, [False] + [True] * (len(headers) - 1))
    return Chart("chart-time", "Over time", _svg(figure, "time", "Reporting and emissions over time"), alt, table)


def _every_quarter(quarters: list[Any]) -> list[Any]:
    """The quarters from the first to the last, the empty ones included (a gap is a finding)."""
    from carbonlint.report.audit import Quarter

    if not quarters:
        return []
    known = {q.quarter: q for q in quarters}
    year, part = int(quarters[0].quarter[:4]), int(quarters[0].quarter[-1])
    result = []
    while True:
        name = f"{year}-Q{part}"
        result.append(known.get(name, Quarter(name, 0, 0, None)))
        if name == quarters[-1].quarter or len(result) > 400:
            return result
        year, part = (year + 1, 1) if part == 4 else (year, part + 1)


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


def _median_of(values: Sequence[float]) -> float | None:
    from carbonlint.report.audit import median

    return median(values)
