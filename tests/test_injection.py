"""A model card is untrusted input: nothing in it may become a workflow command or markup.

The github output is read back the way the Actions runner reads a step's log (actions/runner
``ActionCommand``): every line, after leading white space, that starts with ``::`` is a command
(``::name props::data``), and the old ``##[name props]data`` syntax is looked for anywhere in a
line that is not one. Lines end at LF, CR or CRLF. The markdown output is parsed with a CommonMark
parser (markdown-it-py, GFM tables on) to check that no HTML, link, image or code span comes from
a card.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from carbonlint.cli import main
from carbonlint.findings import CardReport, Category, Finding, Severity, Span
from carbonlint.formatters import Summary, reporter_for
from carbonlint.formatters.inert import visible

HOSTILE_VALUES = [
    "x%0A::error file=evil.md::pwned",
    "x\n::add-mask::secret",
    "x\n::set-output name=x::injected",
    "x\r::stop-commands::token",
    "x\r\n::warning::crlf",
    "##[set-output name=y;]v1 syntax",
    "x\u2028::error::line separator",
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script> | `tick` [link](https://evil.example) ![i](x) @octocat $x^2$ **b**",
]
# The directory names a pull request could add: commas and colons end property values.
HOSTILE_DIRS = ["a,b:c", "::stop-commands::tok", "%0A::error::x", "<img src=x onerror=alert(2)>"]
RUNNER_COMMANDS = {"error", "warning", "notice", "debug", "add-mask", "set-output", "set-env",
                   "add-path", "stop-commands", "save-state", "group", "endgroup", "echo",
                   "add-matcher", "remove-matcher"}
ANNOTATION_PROPERTIES = {"file", "line", "endLine", "col", "endColumn", "title"}


def yaml_string(text: str) -> str:
    """A double-quoted YAML scalar holding ``text`` exactly."""
    escaped = (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
               .replace("\r", "\\r").replace("\u2028", "\\L"))
    return f'"{escaped}"'


def hostile_card(value: str) -> str:
    # CL109 quotes the training_type value, CL107 the unknown key: both reach the messages.
    return ("---\n"
            "co2_eq_emissions:\n"
            "  emissions: 12\n"
            f"  training_type: {yaml_string(value)}\n"
            f"  {yaml_string(value)}: 1\n"
            "---\n")


@pytest.fixture
def hostile_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("GITHUB_WORKSPACE", "GITHUB_ACTIONS", "CI_PROJECT_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".carbonlint.toml").write_text("")
    for index, value in enumerate(HOSTILE_VALUES):
        folder = tmp_path / "cards" / HOSTILE_DIRS[index % len(HOSTILE_DIRS)] / str(index)
        folder.mkdir(parents=True)
        (folder / "README.md").write_text(hostile_card(value), encoding="utf-8", newline="")
    return tmp_path


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    capsys.readouterr()
    main(list(args))
    return capsys.readouterr().out


def runner_lines(output: str) -> list[str]:
    return re.split(r"\r\n|\r|\n", output.removesuffix("\n"))


def parse_command(line: str) -> tuple[str, dict[str, str], str] | None:
    """actions/runner ActionCommand.TryParseV2, for one log line."""
    message = line.lstrip()
    if not message.startswith("::"):
        return None
    end = message.find("::", 2)
    if end < 0:
        return None
    info = message[2:end]
    name, _, props_text = info.partition(" ")
    properties: dict[str, str] = {}
    for pair in props_text.strip().split(","):
        key, sep, value = pair.partition("=")
        if sep and key and value:
            properties[key] = (value.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":")
                               .replace("%2C", ",").replace("%25", "%"))
    data = message[end + 2:].replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")
    return name, properties, data


def commands_in(output: str) -> list[tuple[str, dict[str, str], str]]:
    """Every command the runner would execute; fails on any line that is not one of ours."""
    commands = []
    for line in runner_lines(output):
        parsed = parse_command(line)
        assert parsed is not None, f"a line the runner would log, not an annotation: {line!r}"
        assert "##[" not in line or parsed[0] in RUNNER_COMMANDS
        commands.append(parsed)
    return commands


def test_hostile_cards_produce_the_findings_this_test_relies_on(
        hostile_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    files = json.loads(run_cli(capsys, "check", "--format", "json", "cards"))["files"]
    assert len(files) == len(HOSTILE_VALUES)
    for card in files:
        messages = " ".join(f["message"] for f in card["findings"])
        value = next(v for v in HOSTILE_VALUES if v in messages)
        assert {f["code"] for f in card["findings"]} >= {"CL107", "CL109"}, value


@pytest.mark.parametrize("code", ["CL107", "CL109"])
def test_github_output_is_exactly_one_command_per_finding(
        code: str, hostile_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    # One rule at a time keeps the count under GitHub's 10 warnings per step: every one is shown.
    report = json.loads(run_cli(capsys, "check", "--select", code, "--format", "json", "cards"))
    expected = []
    for card in report["files"]:
        for f in card["findings"]:
            message = f["message"] + (f"\nhelp: {f['suggestion']}" if f["suggestion"] else "")
            expected.append((f["severity"], card["path"], message))
    assert len(expected) == len(HOSTILE_VALUES)

    commands = commands_in(run_cli(capsys, "check", "--select", code, "--format", "github", "cards"))
    assert len(commands) == len(expected)
    kind = {"error": "error", "warning": "warning", "info": "notice"}
    seen = []
    for name, properties, data in commands:
        assert name in ("error", "warning", "notice")
        assert set(properties) <= ANNOTATION_PROPERTIES and "file" in properties
        assert properties["title"].startswith("carbonlint CL")
        seen.append((name, properties["file"], data))
    # The runner's unescaping gives back exactly the path and the message: nothing was cut short.
    # Terminal and bidi controls are shown escaped (the raw log shows the data too).
    assert sorted(seen) == sorted((kind[s], p, visible(m, keep="\r\n")) for s, p, m in expected)


def test_github_output_survives_every_hostile_string_directly() -> None:
    """The formatter alone, fed hostile paths, messages and suggestions of every kind."""
    cards = [CardReport(path=f"{directory}/README.md", findings=[Finding(
        code="CL107", category=Category.SCHEMA, severity=Severity.WARNING, message=value,
        span=Span(2, 3, 2, 9), key=value, suggestion=value)])
        for directory in HOSTILE_DIRS for value in HOSTILE_VALUES[:2]]
    cards.append(CardReport(path="x,y:z/README.md", error="\n::add-mask::oops\r"))
    stream = io.StringIO()
    reporter = reporter_for("github", stream, color=False)
    summary = Summary()
    for card in cards:
        summary.add(card, below_min_class=False)
        reporter.report(card)
    reporter.close(summary)
    commands = commands_in(stream.getvalue())
    assert [c[0] for c in commands] == ["error"] + ["warning"] * 8
    assert commands[0][1]["file"] == "x,y:z/README.md" and "\n::add-mask::oops\r" in commands[0][2]
    assert [c[1]["file"] for c in commands[1:]] == [c.path for c in cards[:-1]]
    assert all(c[2] == f"{v}\nhelp: {v}" for c, v in zip(commands[1:], HOSTILE_VALUES[:2] * 4))


def _markdown_tokens(text: str) -> list:  # type: ignore[type-arg]
    parser = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    flat = []
    for token in parser.parse(text):
        flat.append(token)
        flat.extend(token.children or [])
    return flat


def test_markdown_output_has_no_markup_from_a_card(
        hostile_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = run_cli(capsys, "check", "--format", "markdown", "cards")
    assert not re.search(r"<\s*/?\s*(img|script)", out, re.IGNORECASE)
    assert "@octocat" not in out  # no mention
    tokens = _markdown_tokens(out)
    kinds = {t.type for t in tokens}
    assert not kinds & {"html_inline", "html_block", "image", "link_open", "s_open"}
    # Code spans come only from carbonlint's own text (the legend, `carbonlint ...`).
    assert {t.content for t in tokens if t.type == "code_inline"} <= {
        "unknown", "context", "basic", "awareness", "optimization", "certified",
        "carbonlint explain CODE", "carbonlint check"}
    # Every card is one table row of seven cells: no '|' or newline from a card broke one.
    rows = [t for t in tokens if t.type == "tr_open"]
    cells = [t for t in tokens if t.type == "td_open"]
    assert len(rows) == 1 + len(HOSTILE_VALUES) and len(cells) == 7 * len(HOSTILE_VALUES)


def test_markdown_cells_render_as_the_literal_text() -> None:
    """Escaping loses nothing: the rendered text of a path cell is the path itself."""
    paths = [f"{directory}/{value}/README.md".replace("\n", " ").replace("\r", " ").replace("\u2028", " ")
             for directory in HOSTILE_DIRS for value in HOSTILE_VALUES]
    stream = io.StringIO()
    reporter = reporter_for("markdown", stream, color=False)
    for path in paths:
        reporter.report(CardReport(path=path))
    reporter.close(Summary(files=len(paths)))
    tokens = _markdown_tokens(stream.getvalue())
    inline = [tokens[i + 1] for i, t in enumerate(tokens) if t.type == "td_open"]
    rendered = [
        "".join(child.content for child in (cell.children or []) if child.type == "text")
        for cell in inline[::7]]
    # Zero-width spaces break mentions and autolinks; otherwise the text is the path itself.
    assert [text.replace("\u200b", "") for text in rendered] == [
        p if len(p) < 160 else p[:159] + "…" for p in paths]
