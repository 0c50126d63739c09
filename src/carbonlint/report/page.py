"""The report page: one HTML file with everything inlined (styles, script, SVG charts).

Nothing is fetched when the page opens: a Content-Security-Policy forbids any load, there are no
web fonts (the reader's system sans-serif), and the charts are inline SVG. Card text (paths,
messages) is untrusted and always escaped. The table is server-rendered, so the page reads
without its script; the script only sorts and filters.
"""

from __future__ import annotations

import datetime as _dt
import html
from collections.abc import Sequence
from typing import TYPE_CHECKING

from carbonlint import __version__
from carbonlint.report.audit import Audit, display_name
from carbonlint.report.charts import Chart, grams
from carbonlint.report.legend import CLASS_NAMES, LABEL_COLOURS

if TYPE_CHECKING:
    from carbonlint.baselines import Baseline
    from carbonlint.findings import CardReport

CSP = ("default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
       "img-src data:; base-uri 'none'; form-action 'none'")
RANK = {name: index for index, name in enumerate(CLASS_NAMES)}

STYLE = """
:root { color-scheme: light dark;
  --bg: #ffffff; --fg: #1d2025; --muted: #5b6470; --grid: #e3e6ea; --card: #f5f7f9;
  --accent: #1f6fb2; --accent2: #c65d00; --band: #cfe8d6; --slip: #c0262d; --link: #0b5cad;
  --border: #d6dade; --chart-font: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
@media (prefers-color-scheme: dark) { :root {
  --bg: #15181c; --fg: #e6e8eb; --muted: #9aa4af; --grid: #30363d; --card: #1d2127;
  --accent: #5aa9e6; --accent2: #f0a04b; --band: #23432e; --slip: #ff6b6b; --link: #7cb8f2;
  --border: #363c44; } }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 15px/1.5 var(--chart-font); }
main { max-width: 1180px; margin: 0 auto; padding: 1.5rem 1.25rem 4rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; } h2 { font-size: 1.25rem; margin: 2.2rem 0 .6rem;
  border-bottom: 1px solid var(--border); padding-bottom: .3rem; } h3 { font-size: 1.02rem; margin: 1rem 0 .3rem; }
a { color: var(--link); } .muted { color: var(--muted); } .small { font-size: .85rem; }
nav a { margin-right: 1rem; white-space: nowrap; }
.kpis { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: .75rem; margin: 1rem 0; }
.kpi { background: var(--card); border: 1px solid var(--border); border-radius: 8px; padding: .7rem .9rem; }
.kpi b { display: block; font-size: 1.5rem; } .kpi span { color: var(--muted); font-size: .85rem; }
.grid2 { display: grid; grid-template-columns: repeat(auto-fit, minmax(440px, 1fr)); gap: 1.25rem; }
figure { margin: 0; background: var(--card); border: 1px solid var(--border); border-radius: 8px; padding: .75rem; }
figcaption { font-size: .85rem; color: var(--muted); margin-top: .4rem; }
svg.chart { width: 100%; height: auto; display: block; }
#chart-plausibility svg.chart { max-width: 620px; margin: 0 auto; }
details.data-table > summary { cursor: pointer; font-size: .85rem; margin-top: .4rem; color: var(--link); }
table { border-collapse: collapse; width: 100%; font-size: .85rem; }
caption { text-align: left; font-weight: 600; padding: .3rem 0; }
th, td { border-bottom: 1px solid var(--border); padding: .3rem .45rem; text-align: left; vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.filters { display: flex; flex-wrap: wrap; gap: .6rem 1rem; align-items: end; margin: .6rem 0; }
.filters label { display: flex; flex-direction: column; font-size: .8rem; color: var(--muted); }
input, select { font: inherit; color: var(--fg); background: var(--bg); border: 1px solid var(--border); border-radius: 5px; padding: .25rem .4rem; }
#models thead th { position: sticky; top: 0; background: var(--bg); z-index: 1; }
#models th button { all: unset; cursor: pointer; font-weight: 600; }
#models th button:focus-visible { outline: 2px solid var(--link); }
#models th[aria-sort=ascending] button::after { content: " \\25B2"; }
#models th[aria-sort=descending] button::after { content: " \\25BC"; }
.badge { display: inline-block; min-width: 1.6em; text-align: center; border-radius: 4px; font-weight: 700; color: #111; padding: 0 .3em; }
.sev-error { color: var(--slip); font-weight: 600; } .sev-warning { color: var(--accent2); font-weight: 600; } .sev-info { color: var(--muted); }
td.findings details summary { cursor: pointer; }
td.findings ul { margin: .3rem 0 0; padding-left: 1.1rem; } td.findings li { margin-bottom: .3rem; }
.help { color: var(--muted); }
.path { word-break: break-all; }
pre { white-space: pre-wrap; background: var(--card); border: 1px solid var(--border); border-radius: 6px; padding: .6rem; font-size: .8rem; }
.note { background: var(--card); border-left: 4px solid var(--accent); padding: .5rem .8rem; margin: .8rem 0; }
"""

SCRIPT = """
(function () {
  var table = document.getElementById('models');
  if (!table) return;
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var heads = table.tHead.rows[0].cells;
  function value(row, index, numeric) {
    var cell = row.cells[index];
    var raw = cell.getAttribute('data-v');
    if (raw === null) raw = cell.textContent;
    if (!numeric) return raw.toLowerCase();
    return raw === '' ? NaN : parseFloat(raw);
  }
  Array.prototype.forEach.call(heads, function (th, index) {
    var button = th.querySelector('button');
    if (!button) return;
    button.addEventListener('click', function () {
      var numeric = th.getAttribute('data-type') === 'number';
      var ascending = th.getAttribute('aria-sort') !== 'ascending';
      Array.prototype.forEach.call(heads, function (h) { h.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
      var keyed = rows.map(function (row, order) { return [value(row, index, numeric), order, row]; });
      keyed.sort(function (a, b) {
        var x = a[0], y = b[0];
        if (numeric) {  // empty cells last, whatever the direction
          if (isNaN(x) || isNaN(y)) return isNaN(x) - isNaN(y) || a[1] - b[1];
        }
        var c = x < y ? -1 : x > y ? 1 : 0;
        return (ascending ? c : -c) || a[1] - b[1];
      });
      var fragment = document.createDocumentFragment();
      keyed.forEach(function (k) { fragment.appendChild(k[2]); });
      body.appendChild(fragment);
      rows = keyed.map(function (k) { return k[2]; });
    });
  });
  var text = document.getElementById('filter-text');
  var cls = document.getElementById('filter-class');
  var label = document.getElementById('filter-label');
  var sev = document.getElementById('filter-severity');
  var count = document.getElementById('filter-count');
  function apply() {
    var needle = text.value.trim().toLowerCase();
    var shown = 0;
    rows.forEach(function (row) {
      var ok = (!needle || row.getAttribute('data-search').indexOf(needle) !== -1)
        && (!cls.value || row.getAttribute('data-class') === cls.value)
        && (!label.value || row.getAttribute('data-label') === label.value)
        && (!sev.value || row.getAttribute('data-severities').indexOf(sev.value) !== -1);
      row.hidden = !ok;
      if (ok) shown++;
    });
    count.textContent = shown + ' of ' + rows.length + ' models shown';
  }
  var timer = null;
  text.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(apply, 120); });
  [cls, label, sev].forEach(function (s) { s.addEventListener('change', apply); });
})();
"""


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _figure(chart: Chart) -> str:
    return (f'<figure id="{chart.key}" aria-describedby="{chart.key}-alt">{chart.svg}'
            f'<figcaption id="{chart.key}-alt">{_e(chart.alt)}</figcaption>'
            f'<details class="data-table"><summary>The numbers behind this chart</summary>'
            f'{chart.table}</details></figure>')


def _badge(letter: str | None) -> str:
    if not letter:
        return '<span class="muted">-</span>'
    return f'<span class="badge" style="background:{LABEL_COLOURS[letter]}">{_e(letter)}</span>'


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.6g}"


def _findings_cell(report: CardReport, documented: set[str]) -> str:
    if report.error is not None:
        return f'<span class="sev-error">could not be read: {_e(report.error)}</span>'
    if not report.findings:
        return '<span class="muted">no findings</span>'
    items = []
    for finding in report.findings:
        severity = str(finding.severity)
        where = f"line {finding.line}: " if finding.line else ""
        help_text = (f'<br><span class="help">help: {_e(finding.suggestion)}</span>'
                     if finding.suggestion else "")
        link = (f'<a href="#rule-{_e(finding.code)}">{_e(finding.code)}</a>'
                if finding.code in documented else _e(finding.code))
        items.append(f'<li><span class="sev-{severity}">{severity}</span> {link} {_e(where)}'
                     f'{_e(finding.message)}{help_text}</li>')
    counts = ", ".join(f"{n} {s}{'s' if n != 1 else ''}" for s, n in
                       ((str(sev), report.count(sev)) for sev in sorted({f.severity for f in report.findings}, reverse=True)))
    return f"<details><summary>{_e(counts)}</summary><ul>{''.join(items)}</ul></details>"


def models_table(reports: Sequence[CardReport], documented: set[str]) -> str:
    rows = []
    for report in reports:
        efficiency = report.efficiency or {}
        letter = efficiency.get("label")
        group = efficiency.get("peer_group") or ""
        errors = sum(str(f.severity) == "error" for f in report.findings) + (report.error is not None)
        warnings = sum(str(f.severity) == "warning" for f in report.findings)
        severities = " ".join(sorted({str(f.severity) for f in report.findings}
                                     | ({"error"} if report.error else set())))
        codes = " ".join(sorted({f.code for f in report.findings}))
        name = display_name(report.path)
        klass = "" if report.error else report.reporting_class
        search = f"{name} {klass} {group} {codes}".lower()
        link = (f'<a href="https://huggingface.co/{_e(name)}">{_e(name)}</a>'
                if report.path.startswith("hf://") else _e(name))
        rows.append(
            f'<tr data-class="{_e(klass)}" data-label="{_e(letter or "")}" '
            f'data-severities="{_e(severities)}" data-search="{_e(search)}">'
            f'<td class="path">{link}</td>'
            f'<td data-v="{RANK.get(klass, -1)}" title="{_e(report.reporting_reason)}">{_e(klass or "-")}</td>'
            f'<td class="num" data-v="{_number(report.emissions_g)}">{_e(grams(report.emissions_g))}</td>'
            f'<td class="num" data-v="{_number(report.estimate_g)}">{_e(grams(report.estimate_g))}</td>'
            f'<td data-v="{_e(letter or "z")}">{_badge(letter)}</td>'
            f'<td>{_e(group or "-")}</td>'
            f'<td data-v="{_e(report.created_at or "")}">{_e(report.created_at or "-")}</td>'
            f'<td class="num" data-v="{errors}">{errors}</td>'
            f'<td class="num" data-v="{warnings}">{warnings}</td>'
            f'<td class="findings">{_findings_cell(report, documented)}</td></tr>')
    columns = [("model", "text"), ("class", "number"), ("emissions", "number"),
               ("estimate", "number"), ("label", "text"), ("peer group", "text"),
               ("created", "text"), ("errors", "number"), ("warnings", "number")]
    head = "".join(f'<th scope="col" data-type="{t}"><button type="button">{_e(n)}</button></th>'
                   for n, t in columns) + '<th scope="col">findings</th>'
    class_options = "".join(f'<option value="{c}">{c}</option>' for c in CLASS_NAMES)
    label_options = "".join(f'<option value="{x}">{x}</option>' for x in "ABCDE")
    filters = (
        '<div class="filters" role="search">'
        '<label>Search model, group or rule<input id="filter-text" type="search" placeholder="e.g. CL401 or bert"></label>'
        f'<label>Class<select id="filter-class"><option value="">any</option>{class_options}</select></label>'
        f'<label>Label<select id="filter-label"><option value="">any</option>{label_options}</select></label>'
        '<label>Findings<select id="filter-severity"><option value="">any</option>'
        '<option value="error">with errors</option><option value="warning">with warnings</option>'
        '<option value="info">with infos</option></select></label>'
        f'<span id="filter-count" class="muted small" aria-live="polite">{len(reports)} of {len(reports)} models shown</span></div>')
    return (filters + '<div style="overflow-x:auto"><table id="models"><caption>Models: click a column to '
            'sort; emissions and estimate in grams CO2eq</caption>'
            f'<thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>')


def rules_section(codes: Sequence[str]) -> str:
    from carbonlint.rules import get

    parts = []
    for code in codes:
        rule = get(code)
        if rule is None:
            continue
        parts.append(f'<details id="rule-{_e(code)}"><summary><b>{_e(code)}</b> {_e(rule.name)}: '
                     f'{_e(rule.summary)}</summary><pre>{_e(rule.documentation())}</pre></details>')
    return "".join(parts)


def render(audit: Audit, charts: dict[str, Chart | None], baseline: Baseline, *, title: str,
           source: str, extra_sections: Sequence[tuple[str, str, str]] = (),
           show_table: bool = True) -> str:
    """The whole page. ``extra_sections`` are (id, heading, trusted HTML) placed after the
    summary (the study's comparison with the paper)."""
    codes = sorted({f.code for r in audit.reports for f in r.findings})
    documented = set(codes)
    readable = audit.cards - audit.unreadable
    kpis = [
        (f"{audit.cards:,}", "cards" + (f" ({audit.unreadable:,} unreadable)" if audit.unreadable else "")),
        (f"{audit.share_reporting:.1%}", f"report emissions ({audit.reporting:,} of {readable:,})"),
        (f"{audit.severities.get('error', 0):,}", "error findings"),
        (f"{audit.severities.get('warning', 0):,}", "warnings"),
        (f"{sum(audit.labels.values()):,}", "with an efficiency label"),
    ]
    kpi_html = "".join(f'<div class="kpi"><b>{_e(v)}</b><span>{_e(t)}</span></div>' for v, t in kpis)

    def figure(key: str, missing: str) -> str:
        chart = charts.get(key)
        return _figure(chart) if chart is not None else f'<p class="muted">{_e(missing)}</p>'

    generated = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    base = baseline.raw.get("data", {})
    baseline_text = (f"Hub baseline: {base.get('models', '?'):,} models created "
                     f"{base.get('created_first', '?')} to {base.get('created_last', '?')} "
                     f"({baseline.source.get('file', 'baseline')}), after Castaño et al., ESEM 2023."
                     if isinstance(base.get("models"), int) else "Hub baseline: custom file.")
    nav = [("summary", "Summary"), *[(i, h) for i, h, _ in extra_sections], ("emissions", "Emissions"),
           ("plausibility", "Plausibility"), ("time", "Over time")]
    if show_table:
        nav.append(("table", "Models"))
    if codes:
        nav.append(("rules", "Rules"))
    extra = "".join(f'<section id="{_e(i)}"><h2>{_e(h)}</h2>{body}</section>' for i, h, body in extra_sections)
    table_html = (f'<section id="table"><h2>Models</h2>{models_table(audit.reports, documented)}</section>'
                  if show_table else "")
    rules_html = (f'<section id="rules"><h2>Rules</h2><p class="muted small">The documentation of every '
                  f'rule found above (as <code>carbonlint explain CODE</code> prints it).</p>'
                  f'{rules_section(codes)}</section>' if codes else "")
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="generator" content="carbonlint {_e(__version__)}">
<title>{_e(title)}</title>
<style>{STYLE}</style>
</head>
<body>
<main>
<header>
<h1>{_e(title)}</h1>
<p class="muted small">{_e(source)} · generated {generated} by carbonlint {_e(__version__)} · {_e(baseline_text)}</p>
<nav aria-label="Sections">{''.join(f'<a href="#{i}">{_e(h)}</a>' for i, h in nav)}</nav>
</header>
<section id="summary"><h2>Summary</h2>
<div class="kpis">{kpi_html}</div>
<div class="grid2">{figure("classes", "No readable cards.")}{figure("rules", "No findings.")}</div>
</section>
{extra}
<section id="emissions"><h2>Emissions against the Hub</h2>
<p class="muted small">Each card's reported training emissions on the distribution of its peer group
on the Hub (chosen as <code>carbonlint check</code> chooses it: domain, model size, AutoTrain), and the
A-E efficiency label of Castaño et al. (with carbonlint's fixes, docs/efficiency.md).</p>
<div class="grid2">{figure("peers", "No card with emissions has a peer group (a domain or a model size).")}{figure("labels", "No card has a label.")}</div>
</section>
<section id="plausibility"><h2>Plausibility</h2>
<p class="muted small">Reported emissions against the physical estimate (hardware x hours x PUE x grid
intensity) for the cards that give hardware and hours or energy. Inside the band: within 10x (CL402's
default); on the dashed lines: 1000x off, the signature of kilograms written as grams (CL401).</p>
{figure("plausibility", "No card gives what an estimate needs (hardware and hours, or energy), so there is nothing to plot.")}
</section>
<section id="time"><h2>Over time</h2>
{figure("time", "Creation dates are known for fewer than two quarters (the Hub's createdAt comes with carbonlint hub or report --from-hub; local files have none).")}
</section>
{table_html}
{rules_html}
<footer class="muted small"><p>Reporting classes and efficiency label: J. Castaño, S. Martínez-Fernández,
X. Franch, J. Bogner, "Exploring the Carbon Footprint of Hugging Face's ML Models: A Repository Mining
Study", ESEM 2023. Charts drawn with matplotlib.</p></footer>
</main>
<script>{SCRIPT}</script>
</body>
</html>
"""
