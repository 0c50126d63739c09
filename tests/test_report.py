"""carbonlint report and carbonlint label, read as files: the numbers, the page's promises
(self-contained, escaped, accessible) and the SVG's validity. What a browser shows is in
test_report_browser.py."""

from __future__ import annotations

import csv
import json
import math
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import carbonlint

from carbonlint.baselines import load
from carbonlint.checker import check_paths
from carbonlint.config import Config
from carbonlint.report.audit import build_audit, quarter_of
from carbonlint.report.build import build_html
from report_cards import CARDS, write_cards

CASTANO_CSV = Path(__file__).resolve().parents[2] / "shared/data/castano2023/HFCO2.csv"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def cards(tmp_path: Path) -> Path:
    write_cards(tmp_path / "models")
    return tmp_path / "models"


def _reports(folder: Path):
    return list(check_paths([str(folder)], Config()))


def test_audit_counts_what_the_cards_say(cards: Path) -> None:
    audit = build_audit(_reports(cards), load())
    assert audit.cards == len(CARDS)
    assert audit.classes == {"unknown": 1, "context": 1, "basic": 1, "awareness": 2,
                             "optimization": 1, "certified": 0}
    assert audit.reporting == 4
    verdicts = {p.name.split("/")[-2]: p.verdict for p in audit.plausibility}
    assert verdicts == {"bert-legal-ner": "within 10x", "vit-plants": "about 1000x (unit slip?)"}
    by_code = {r.code: r for r in audit.rules}
    assert by_code["CL401"].error + by_code["CL401"].warning == 1
    assert by_code["CL106"].error == 1
    # Only a card that relates its emissions to something (bert-legal-ner's f1) gets a letter;
    # peers are fair groups (docs/efficiency.md).
    assert sum(audit.labels.values()) == 1
    assert {p.group for p in audit.peers} == {"autotrain:yes+domain:nlp",
                                              "autotrain:no+training_type:fine-tuning"}


def test_peers_chart_has_a_row_per_fair_group_even_with_few(cards: Path) -> None:
    from carbonlint.report.charts import peers_chart

    baseline = load()
    audit = build_audit(_reports(cards), baseline)
    chart = peers_chart(audit, baseline)
    assert chart is not None
    # One labelled row per fair group (by its description, not its key), however few.
    for group in {p.group for p in audit.peers}:
        assert baseline.groups[group].description in chart.alt
        assert f"{baseline.groups[group].n:,} on the Hub" in chart.svg
    height = float(re.search(r'viewBox="0 0 [0-9.]+ ([0-9.]+)"', chart.svg)[1])
    assert height >= 2.0 * 72  # points: two inches at least, a readable strip


def test_quarters() -> None:
    assert quarter_of("2022-08-14") == "2022-Q3"
    assert quarter_of("2023-01-01") == "2023-Q1"
    assert quarter_of("2023-13-01") is None
    assert quarter_of("soon") is None
    assert quarter_of(None) is None


def _tags(page: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    from html.parser import HTMLParser

    found: list[tuple[str, list[tuple[str, str | None]]]] = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.append((tag, attrs))

    Collector().feed(page)
    return found


def test_page_is_self_contained_accessible_and_escaped(tmp_path: Path) -> None:
    hostile = dict(CARDS)
    hostile["acme/<img src=x onerror=alert(1)>/README.md"] = (
        "---\npipeline_tag: text-classification\nco2_eq_emissions:\n  emissions: 12\n"
        "  hardware_used: \"<script>alert(2)</script>\"\n  \"<b>key</b>\": 1\n---\n# x\n")
    write_cards(tmp_path, hostile)
    page = build_html(_reports(tmp_path), load(), title="Audit <of> acme", source="test")
    assert "<script>alert(2)" not in page and "<img src=x" not in page and "<b>key</b>" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "Audit &lt;of&gt; acme" in page
    # Nothing to fetch: no src/href to another origin apart from links a person may follow.
    tags = _tags(page)
    assert not {t for t, _ in tags} & {"link", "img", "iframe", "object", "embed", "image", "video", "audio"}
    for tag, attributes in tags:
        for name, value in attributes:
            if name in {"src", "srcset", "poster", "data", "background"}:
                raise AssertionError(f"<{tag} {name}={value!r}> would load something")
            if name in {"href", "xlink:href"} and tag != "a":
                assert (value or "").startswith("#"), (tag, value)
    assert not re.search(r"@import|url\((?!#)", page)
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    # Every chart is an image with a title, a text alternative and a table behind it.
    figures = re.findall(r'<figure id="(chart-[a-z]+)".*?</figure>', page, re.S)
    assert set(figures) >= {"chart-classes", "chart-rules", "chart-peers", "chart-labels", "chart-plausibility"}
    for block in re.findall(r"<figure.*?</figure>", page, re.S):
        assert 'role="img"' in block and "<title" in block and "<figcaption" in block and "<table" in block
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), "ids must be unique across the inline SVGs"
    # The rules found are documented in the page, and the findings link to them.
    assert 'id="rule-CL401"' in page and 'href="#rule-CL401"' in page
    # Colours come from the page's theme, so dark mode reaches the charts.
    assert "var(--fg)" in page and "prefers-color-scheme: dark" in page


def test_report_command_and_json_round_trip(run, cards: Path, tmp_path: Path) -> None:
    direct = tmp_path / "direct.html"
    code, _, err = run("report", str(cards), "-o", str(direct))
    assert code == 0, err
    assert "6 cards" in err
    report_json = tmp_path / "cards.json"
    run("check", str(cards), "-f", "json", "-o", str(report_json))
    data = json.loads(report_json.read_text())
    estimates = {Path(f["path"]).parent.name: f["estimate_g"] for f in data["files"]}
    assert math.isclose(estimates["vit-plants"], 11455.2, rel_tol=0.05)
    assert estimates["t5-small-summaries"] is None
    via_json = tmp_path / "via-json.html"
    code, _, err = run("report", "--from-json", str(report_json), "-o", str(via_json))
    assert code == 0, err

    def body(page: str) -> str:  # the generation time and source line differ
        return re.sub(r'<p class="muted small">From .*?</p>', "", page)

    assert body(direct.read_text()) == body(via_json.read_text())


@pytest.mark.parametrize("content, message", [
    ("not json", "is not JSON"),
    ('{"version": 2, "files": []}', "not a carbonlint JSON report"),
    ('{"version": 1, "files": [{"path": "a", "reporting_class": "gold"}]}', "unknown reporting class"),
    ('{"version": 1, "files": [{"path": "a", "findings": [{"code": "CL1", "category": "x", "severity": "error"}]}]}',
     "files[0].findings[0]"),
])
def test_bad_json_report_is_a_usage_error(run, tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "r.json"
    path.write_text(content)
    code, _, err = run("report", "--from-json", str(path), "-o", str(tmp_path / "x.html"))
    assert code == 2 and message in err and "Traceback" not in err
    assert not (tmp_path / "x.html").exists()


def test_conflicting_sources_are_usage_errors(run, tmp_path: Path) -> None:
    assert run("report", "--from-json", "a", "--from-csv", "b")[0] == 2
    assert run("report", "--author", "acme", "-o", str(tmp_path / "x.html"))[0] == 2


def test_without_matplotlib_the_report_asks_for_the_extra(cards: Path, tmp_path: Path) -> None:
    script = ("import sys; sys.modules['matplotlib'] = None\n"
              "from carbonlint.cli import main\n"
              f"sys.exit(main(['report', {str(cards)!r}, '-o', {str(tmp_path / 'x.html')!r}]))")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 2
    assert "pip install 'carbonlint[report]'" in done.stderr


def test_check_never_imports_the_report_or_matplotlib(cards: Path) -> None:
    script = ("import sys\nfrom carbonlint.cli import main\n"
              f"main(['check', {str(cards)!r}, '-f', 'json', '-o', '/dev/null'])\n"
              "print(sorted(m for m in sys.modules if m.startswith(('matplotlib', 'numpy', 'carbonlint.report'))))")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.stdout.strip() == "[]", done.stderr


def _positive(text: str) -> bool:
    try:
        return float(text) > 0
    except ValueError:
        return False


@pytest.mark.skipif(not CASTANO_CSV.exists(), reason="../shared/data is not beside the repo")
def test_the_study_reproduced(run, tmp_path: Path) -> None:
    from carbonlint.report.study import PAPER_CLASSES, study

    result = study(str(CASTANO_CSV), load())
    figures = result.figures
    # Recomputed here from the CSV, independently of the module.
    with open(CASTANO_CSV, encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    first: dict[str, dict[str, str]] = {}
    for row in rows:
        first.setdefault(row["modelId"], row)
    kept = [r for r in first.values() if float(r["co2_eq_emissions"]) > 0]
    assert figures["rows"] == len(rows)
    assert figures["models"] == len(kept)
    assert figures["autotrain"] == sum(r["auto"] in ("True", "1") for r in kept)
    values = sorted(float(r["co2_eq_emissions"]) for r in kept)
    middle = len(values) // 2
    expected_median = values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2
    assert math.isclose(figures["median_g"], expected_median)
    with_hardware = sum(r["environment"] not in ("Not Specified", "") for r in kept)
    assert figures["classes"] == {"basic": len(kept) - with_hardware, "awareness": with_hardware}
    assert figures["domains"]["nlp"] == sum(r["domain"] == "NLP" for r in kept)
    # A letter only where something relates the emissions to what the run produced.
    related = sum(any(_positive(r[k]) for k in ("size", "datasets_size"))
                  or bool(re.search(r"'(?:accuracy|f1|rouge1|rougeL)': [0-9]", r["performance_metrics"]))
                  for r in kept)
    assert 0 < related < len(kept)
    assert sum(figures["labels"].values()) == related
    assert figures["no_letter"] == len(kept) - related
    # The original code's square-root slip rates most models A on emissions (docs/efficiency.md).
    assert figures["original_emissions_a"] / len(kept) > 0.9
    # The page says where it differs from the paper, with the paper's counts.
    assert f"{PAPER_CLASSES['unknown']:,}" in result.section_html
    assert "not 1,417" in result.section_html
    out = tmp_path / "study.html"
    code, _, err = run("report", "--from-csv", str(CASTANO_CSV), "-o", str(out))
    assert code == 0, err
    page = out.read_text()
    assert 'id="study"' in page and 'id="chart-time"' in page


# -- the label ------------------------------------------------------------------------------------


def _label(run, tmp_path: Path, card: str, *extra: str) -> tuple[int, str, str]:
    write_cards(tmp_path, {"README.md": card})
    out = tmp_path / "label.svg"
    code, _, err = run("label", str(tmp_path / "README.md"), "-o", str(out), "--date", "2026-11-30", *extra)
    return code, out.read_text() if out.exists() else "", err


def _assert_self_contained_svg(svg: str) -> ET.Element:
    root = ET.fromstring(svg)  # well-formed XML
    assert root.tag == f"{SVG}svg"
    allowed = {f"{SVG}{t}" for t in ("svg", "title", "desc", "rect", "path", "text", "tspan")}
    assert {element.tag for element in root.iter()} <= allowed, "no image, script, style, use or foreignObject"
    for element in root.iter():
        for name, value in element.attrib.items():
            assert "href" not in name and not name.startswith("on"), name
            assert "url(" not in value and "http" not in value.replace("http://www.w3.org/2000/svg", "")
    assert root.find(f"{SVG}title") is not None and root.find(f"{SVG}desc") is not None
    assert root.get("viewBox") and root.get("role") == "img"
    return root


def test_label_of_a_rated_card(run, tmp_path: Path) -> None:
    code, svg, err = _label(run, tmp_path, CARDS["acme/bert-legal-ner/README.md"], "--name", "acme/bert-legal-ner")
    assert code == 0, err
    root = _assert_self_contained_svg(svg)
    assert len(svg.encode()) < 6000
    text = " ".join("".join(t.itertext()) for t in root.iter(f"{SVG}text"))
    report = _reports(tmp_path)[0]
    letter = report.efficiency["label"]
    assert f"Efficiency {letter}" in text
    assert "awareness (Energy Awareness)" in text
    assert "2.6 kg CO\u2082eq" in text
    assert letter == "D"
    assert "2026-11-30" in text
    # The peer group as one phrase with its count, and its median beside the card's number.
    stats = load().groups[report.efficiency["peer_group"]]
    assert f"Peer group: {stats.n:,} non-AutoTrain fine-tunes" in text
    assert "2.6 kg CO\u2082eq (peers' median " in text
    assert f"carbonlint {carbonlint.__version__}" in text
    assert "acme/bert-legal-ner" in text


def test_label_of_a_card_without_emissions_says_not_rated(run, tmp_path: Path) -> None:
    code, svg, err = _label(run, tmp_path, CARDS["acme/t5-small-summaries/README.md"])
    assert code == 0
    assert "not rated" in svg and "not rated" in err
    _assert_self_contained_svg(svg)


def test_label_of_a_card_with_emissions_only_says_why_no_letter(run, tmp_path: Path) -> None:
    card = """---
license: apache-2.0
tags: [sentence-transformers, sentence-similarity]
co2_eq_emissions:
  emissions: 41
  source: CodeCarbon
  training_type: fine-tuning
---
# all-MiniLM fine-tuned on support tickets

Twenty minutes of fine-tuning on one GPU, measured with CodeCarbon.
"""
    code, svg, err = _label(run, tmp_path, card)
    assert code == 0, err
    root = _assert_self_contained_svg(svg)
    text = " ".join("".join(t.itertext()) for t in root.iter(f"{SVG}text"))
    assert "Efficiency not rated" in text and "emissions alone: no letter" in text
    assert "no emissions in grams" not in text and "41 g CO\u2082eq" in text
    assert "nothing to relate them to" in err
    assert "emissions alone rate the run's size" in root.find(f"{SVG}title").text


def test_label_escapes_the_name_and_rejects_bad_input(run, tmp_path: Path) -> None:
    code, svg, _ = _label(run, tmp_path, CARDS["acme/vit-plants/README.md"], "--name", "a&b <c>")
    assert code == 0
    _assert_self_contained_svg(svg)
    assert "a&amp;b &lt;c&gt;" in svg
    assert run("label", str(tmp_path / "README.md"), "--date", "30/11/2026")[0] == 2
    code, _, err = run("label", str(tmp_path / "missing.md"), "-o", str(tmp_path / "m.svg"))
    assert code == 1 and "no such file" in err


# -- the Action's report step ------------------------------------------------------------------


def test_action_writes_the_report_and_attaches_it(tmp_path: Path) -> None:
    import yaml
    from test_action import REPO, run_action

    action = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
    steps = action["runs"]["steps"]
    names = [s.get("id") or s.get("uses") for s in steps]
    upload = next(s for s in steps if str(s.get("uses", "")).startswith("actions/upload-artifact@"))
    assert upload["with"]["path"] == "${{ inputs.report-file }}"
    # The lint step writes the report; the upload comes after it.
    assert names.index("lint") < names.index(upload["uses"])
    workspace = tmp_path / "repo"
    write_cards(workspace / "models")
    temp = tmp_path / "temp"
    temp.mkdir()
    installed = {"install": {"python": sys.executable}}
    # The cards have error findings: the lint step fails, and the report is still attached.
    run = run_action(action, {"paths": "'models'", "report-file": "audit.html"}, workspace, temp,
                     done=installed)
    assert run.status == 1, run.stdout + run.stderr
    assert run.uploaded == ["audit.html"]
    page = (workspace / "audit.html").read_text()
    assert 'id="chart-plausibility"' in page and "vit-plants" in page
    # One lint: the report shows the findings the annotations show, selection included.
    linted = re.findall(r"::(?:error|warning|notice) [^\n]*title=carbonlint (CL\d+) ", run.stdout)
    assert linted, run.stdout
    code = linted[0]
    assert f">{code}<" in page
    narrowed = run_action(action, {"paths": "'models'", "report-file": "narrow.html", "fail-on": "never",
                                   "args": f"--ignore {code}"}, workspace, temp, done=installed)
    assert narrowed.status == 0, narrowed.stdout + narrowed.stderr
    assert f"title=carbonlint {code} " not in narrowed.stdout
    assert f">{code}<" not in (workspace / "narrow.html").read_text()
    # Without the input, nothing is written or attached.
    quiet = run_action(action, {"paths": "models", "fail-on": "never"}, workspace, temp, done=installed)
    assert quiet.status == 0 and quiet.uploaded == []
    assert sorted(p.name for p in workspace.glob("*.html")) == ["audit.html", "narrow.html"]


def test_action_report_is_never_written_through_a_committed_folder_link(tmp_path: Path) -> None:
    import yaml
    from test_action import REPO, run_action

    action = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
    workspace = tmp_path / "repo"
    write_cards(workspace / "models")
    outside = tmp_path / "outside"
    outside.mkdir()
    (workspace / "reports").symlink_to(outside, target_is_directory=True)  # as a PR could commit
    temp = tmp_path / "temp"
    temp.mkdir()
    run = run_action(action, {"paths": "models", "report-file": "reports/audit.html", "fail-on": "never",
                              "summary": "false"}, workspace, temp,
                     done={"install": {"python": sys.executable}})
    assert run.status == 2
    assert list(outside.iterdir()) == []
    assert "::error title=carbonlint::report-file: cannot write the HTML report" in run.stdout
    assert "symbolic link" in run.stdout
    # The lint's own results are still out: annotations and outputs.
    assert "title=carbonlint CL" in run.stdout and run.outputs["findings"] != ""


# -- from the Hub --------------------------------------------------------------------------------


def test_report_from_a_hub_listing_has_dates_and_links(tmp_path: Path) -> None:
    from hub_server import FakeHub, FakeModel
    from test_hub import hub_env

    names = list(CARDS)
    hub_models = [
        FakeModel(id=f"acme/{name.split('/')[1]}", readme=CARDS[name].encode(), downloads=10 * i,
                  pipeline_tag="text-classification", tags=["co2_eq_emissions"],
                  created_at=f"{2022 + i // 3}-{1 + 4 * (i % 3):02d}-15T00:00:00.000Z")
        for i, name in enumerate(names)]
    with FakeHub(hub_models) as hub:
        done = subprocess.run([sys.executable, "-m", "carbonlint", "report", "--from-hub", "--author", "acme",
                               "-o", "hub.html", "-q"], env=hub_env(hub, tmp_path / "hf"), cwd=tmp_path,
                              capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "hub.html").read_text()
    assert 'href="https://huggingface.co/acme/vit-plants"' in page
    # Six models created in 2022-Q1, Q2, Q3 and 2023-Q1, Q2, Q3: the quarters between are shown.
    time_table = re.search(r'id="chart-time".*?</figure>', page, re.S).group(0)
    quarters = re.findall(r"<td>(\d{4}-Q\d)</td>", time_table)
    assert quarters == ["2022-Q1", "2022-Q2", "2022-Q3", "2022-Q4", "2023-Q1", "2023-Q2", "2023-Q3"]
    assert "% reporting" in time_table or "share" in time_table
