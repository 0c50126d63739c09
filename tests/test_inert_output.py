"""Card text reaches every output format inert (issue 10, "Output that card text cannot forge").

Each output is read back the way its consumer reads it: the Actions runner's command parsing for
everything printed on stdout (text, json, sarif, gitlab, github), a terminal for control
characters, a GFM-like Markdown renderer with autolinks (markdown-it-py + linkify-it) for the
markdown summary, and SARIF's embedded-link syntax (SARIF 2.1.0 §3.11.6) for SARIF messages.
Folders named after workflow commands are real folders in a temporary directory.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from carbonlint.formatters import inert
from test_injection import parse_command, run_cli, runner_lines

# Leading white space the runner trims before looking for "::" (C# TrimStart: all of it).
COMMAND_FOLDERS = ["  ::warning::spaces", "\t::error::tab", "\u3000::notice::ideographic",
                   "\u00a0::add-mask::nbsp", "\u2003::stop-commands::emspace", "::debug::bare"]
CONTROL_TEXT = ("\x1b[31mred\x1b[0m \x9b2J \u202eevil\u202c \u2066iso\u2069 \u061c \u200f "
                "##[error]legacy \x07bell")
LINK_TEXT = ("see https://evil-example.org/a and HTTPS://EVIL-EXAMPLE.ORG/b, www.evil-example.org, "
             "WWW.Evil-Example.Org, ftp://evil-example.org/c, //evil-example.org/d, mail x@evil-example.org, "
             "[click](https://evil-example.org/e) ![img](https://evil-example.org/f.png) "
             "<https://evil-example.org/g> <a href='https://evil-example.org/h'>h</a>")
UNSAFE_CHARS = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(inert.UNSAFE)
                          if chr(c) != "\n") + "]")


def card(value: str) -> str:
    # CL109 quotes the training_type value and CL107 the unknown key: both reach the messages.
    # A JSON string is a YAML double-quoted scalar: controls arrive as escapes YAML decodes.
    quoted = json.dumps(value)
    return ("---\nco2_eq_emissions:\n  emissions: 12\n"
            f"  training_type: {quoted}\n  {quoted}: 1\n---\n")


@pytest.fixture
def forged_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("GITHUB_WORKSPACE", "GITHUB_ACTIONS", "CI_PROJECT_DIR", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".carbonlint.toml").write_text("")
    folders = [*COMMAND_FOLDERS, f"ctl{CONTROL_TEXT}".replace("/", "_"), "links www.evil-example.org"]
    for index, folder in enumerate(folders):
        value = (CONTROL_TEXT, LINK_TEXT)[index % 2]
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "README.md").write_text(card(value), encoding="utf-8")
    return tmp_path


def assert_no_runner_command(output: str, allowed: frozenset[str] = frozenset()) -> None:
    for line in runner_lines(output):
        parsed = parse_command(line)
        assert parsed is None or parsed[0] in allowed, f"the runner executes {line!r}"
        if parsed is None:
            assert "##[" not in line, f"legacy command syntax in {line!r}"


def assert_inert_bytes(output: str) -> None:
    found = UNSAFE_CHARS.search(output)
    assert found is None, f"raw {found.group()!r} at {output[found.start() - 40:found.end() + 40]!r}"


def test_the_fixture_puts_forged_text_into_findings(
        forged_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = json.loads(run_cli(capsys, "check", "-f", "json", "."))["files"]
    assert len(files) == len(COMMAND_FOLDERS) + 2
    assert {Path(f["path"]).parent.name for f in files} >= set(COMMAND_FOLDERS)
    messages = " ".join(x["message"] for f in files for x in f["findings"])
    assert "https://evil-example.org/a" in messages and "##[error]legacy" in messages


def test_text_output_has_no_workflow_command_and_no_control(
        forged_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = run_cli(capsys, "check", "-f", "text", "--color", "never", ".")
    assert_no_runner_command(out)
    assert_inert_bytes(out.replace("\n", ""))
    # Every card is still named, recognisably.
    assert out.count("::warning::spaces/README.md") >= 1 and "\\x09::error::tab" in out


def test_text_output_paths_never_start_a_line_with_white_space() -> None:
    for folder in [*COMMAND_FOLDERS, " x", "\u2028::error::x", ":x", "\u180e::error::mvs"]:
        shown = inert.line_start(f"{folder}/README.md")
        assert not shown[0].isspace() and not shown.startswith(":"), shown
        assert parse_command(shown + ":1:1: CL109 [warning] x") is None


@pytest.mark.parametrize("fmt", ["json", "sarif", "gitlab"])
def test_json_family_on_stdout_is_inert_and_keeps_the_text(
        fmt: str, forged_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = run_cli(capsys, "check", "-f", fmt, ".")
    assert_no_runner_command(out)
    assert_inert_bytes(out.replace("\n", ""))
    document = json.loads(out)
    text = json.dumps(document, ensure_ascii=False)
    # Decoded, the document holds the card's text exactly: escaping lost nothing.
    assert "##[error]legacy" in text and "\\u202eevil" in text  # (the rule quotes the value)
    paths = {"json": lambda: [f["path"] for f in document["files"]],
             "gitlab": lambda: [issue["location"]["path"] for issue in document],
             "sarif": lambda: []}[fmt]()  # (SARIF percent-encodes the path as a URI)
    assert fmt == "sarif" or f"./ctl{CONTROL_TEXT}/README.md".removeprefix(
        "./" if fmt == "gitlab" else "") in paths


def test_github_output_is_only_our_commands(
        forged_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = run_cli(capsys, "check", "-f", "github", ".")
    assert_no_runner_command(out, allowed=frozenset({"error", "warning", "notice"}))
    assert_inert_bytes(out.replace("\n", ""))
    assert all(parse_command(line) for line in runner_lines(out))


def _gfm() -> MarkdownIt:
    """CommonMark + GFM tables, strikethrough and autolinks (linkify-it, "www." included)."""
    parser = MarkdownIt("commonmark", {"linkify": True}).enable(["table", "strikethrough", "linkify"])
    parser.linkify.set({"fuzzy_link": True, "fuzzy_email": True})
    return parser


def _tokens(text: str) -> list:  # type: ignore[type-arg]
    flat = []
    for token in _gfm().parse(text):
        flat.append(token)
        flat.extend(token.children or [])
    return flat


# linkify-it also links bare domains ("evil-example.org", and "README.md": .md is a TLD); GitHub
# links by itself only "www.", "scheme://" and e-mail addresses, so only those autolinks count.
_GITHUB_AUTOLINK = re.compile(r"(?i)www\.|://|@|^(mailto|xmpp):")


def links(text: str) -> list[str]:
    """The links GitHub would render in ``text``: explicit ones, and autolinks it makes too."""
    found = []
    tokens = _tokens(text)
    for index, token in enumerate(tokens):
        if token.type == "link_open":
            label = tokens[index + 1].content if index + 1 < len(tokens) else ""
            if token.markup != "linkify" or _GITHUB_AUTOLINK.search(label):
                found.append(f"{label} -> {token.attrs.get('href')}")
    return found


def test_the_renderer_used_here_does_link_what_github_links() -> None:
    """Guard for the tests below: unescaped, each kind of link is found."""
    for raw in ["https://evil-example.org/a", "www.evil-example.org", "x@evil-example.org",
                "[c](https://evil-example.org)", "mailto:x@evil-example.org", "<https://evil-example.org>"]:
        assert links(raw), raw
    assert not links("models/README.md")


def test_markdown_output_links_nothing_from_a_card(
        forged_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = run_cli(capsys, "check", "-f", "markdown", ".")
    assert not links(out)
    tokens = _tokens(out)
    assert not {t.type for t in tokens} & {"image", "html_inline", "html_block"}
    assert_inert_bytes(out.replace("\n", ""))
    rendered = "".join(t.content for t in tokens if t.type == "text").replace("\u200b", "")
    # The text is all there, as text.
    assert "https://evil-example.org/a" in rendered and "www.evil-example.org" in rendered


def test_markdown_escape_renders_each_hostile_string_literally() -> None:
    for raw in [LINK_TEXT, "a//b", "www.", "http://x", "mailto:x@example.org", "xmpp:x@example.org",
                "hf://acme/bert"]:
        assert not links(inert.markdown(raw)), raw
        tokens = _tokens(inert.markdown(raw))
        assert not {t.type for t in tokens} & {"image", "html_inline"}, raw
        rendered = "".join(t.content for t in tokens if t.type == "text")
        assert rendered.replace("\u200b", "") == raw
    # A Hub path (not a scheme GitHub links) is shown untouched.
    assert "hf://acme/bert" in inert.markdown("hf://acme/bert")


EMBEDDED_LINK = re.compile(r"(?<!\\)\[((?:[^\]\\]|\\.)*)(?<!\\)\]\(([^)]*)\)")


def _unescape_sarif(text: str) -> str:
    return re.sub(r"\\([\\\[\]])", r"\1", text)


def test_sarif_messages_carry_no_embedded_link(
        forged_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document = json.loads(run_cli(capsys, "check", "-f", "sarif", "."))
    messages = [r["message"]["text"] for r in document["runs"][0]["results"]]
    assert any("https://evil-example.org/e" in m for m in messages)
    for message in messages:
        assert not EMBEDDED_LINK.search(message), message
        assert re.fullmatch(r"(?:[^\\\[\]]|\\[\\\[\]]|\\(?![\\\[\]]))*", message), message
    # A SARIF viewer shows the card's text: unescaped, the link syntax is there as text.
    assert any("[click](https://evil-example.org/e)" in _unescape_sarif(m) for m in messages)


def test_sarif_message_escape_round_trips() -> None:
    for raw in ["[a](b)", "\\[a](b)", "x\\", "[[nested]](x) \\\\]", "plain"]:
        escaped = inert.sarif_message(raw)
        assert not EMBEDDED_LINK.search(escaped)
        assert _unescape_sarif(escaped) == raw


def test_visible_and_json_escape_every_unsafe_character() -> None:
    every = "".join(chr(c) for c in sorted(inert.UNSAFE))
    assert_inert_bytes(inert.visible(every))
    encoded = inert.json_dumps({"k": every + "##["})
    assert_inert_bytes(encoded)
    assert "##[" not in encoded and json.loads(encoded) == {"k": every + "##["}


def test_fix_messages_on_stderr_have_no_workflow_command(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """The runner reads a step's stderr for commands too; fix names the cards it changed there."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".carbonlint.toml").write_text("")
    for folder in COMMAND_FOLDERS:
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "README.md").write_text(
            "---\nco2_eq_emissions: '1200'\n---\n# A model\n", encoding="utf-8")
    from carbonlint.cli import main

    capsys.readouterr()
    main(["fix", *COMMAND_FOLDERS])
    captured = capsys.readouterr()
    assert captured.err.count("applied 1 fix") == len(COMMAND_FOLDERS)
    assert_no_runner_command(captured.err)
    assert_no_runner_command(captured.out)
    assert (tmp_path / COMMAND_FOLDERS[0] / "README.md").read_text().startswith(
        "---\nco2_eq_emissions: 1200\n")
