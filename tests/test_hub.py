"""``carbonlint hub`` and ``baselines build --from-hub`` against a real HTTP server on 127.0.0.1.

The server (tests/hub_server.py) speaks the Hub's protocol; the CLI runs in a subprocess with
``HF_ENDPOINT`` pointing at it and a private ``HF_HOME``, so huggingface_hub reads its settings
as it would for a user. Nothing here reaches the internet.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from hub_server import FakeHub, FakeModel, sample_models
from huggingface_hub.errors import HfHubHTTPError

from carbonlint import baselines as bl
from carbonlint import hub as hubmod

httpx = hubmod.httpx  # huggingface_hub's HTTP library: httpx2 from version 2, httpx before

# A card whose misspelled key is on line 8 of the file, with CRLF line ends: the reported line
# is right only if the raw README.md is linted, not the Hub's parsed metadata.
CARD = (
    b"---\r\n"
    b"license: apache-2.0\r\n"
    b"pipeline_tag: text-classification\r\n"
    b"co2_eq_emissions:\r\n"
    b"  emissions: 12.5\r\n"
    b"  source: codecarbon\r\n"
    b"  training_type: fine-tuning\r\n"
    b"  geographic_location: Frankfurt, Germany\r\n"
    b"  hardware_used: 1 x A100\r\n"
    b"---\r\n"
    b"# Model\r\n"
)
MALFORMED = b"---\nlicense: mit\nco2_eq_emissions: [1,\n---\n# Broken\n"
PLAIN = b"---\nlicense: mit\n---\n# A model that says nothing about emissions\n"
SAFETENSORS = {"parameters": {"F32": 100_000_000}, "total": 100_000_000}  # 400 MB of weights


def model(model_id: str, readme: bytes | None = PLAIN, **fields: Any) -> FakeModel:
    return FakeModel(id=model_id, readme=readme, **fields)


# -- running the CLI -----------------------------------------------------------------------------


def hub_env(hub: FakeHub, home: Path, token: str | None = None) -> dict[str, str]:
    """The environment of a user whose Hub is the fake one: no token unless given."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("HF_", "HUGGINGFACE_")) and k not in ("GITHUB_ACTIONS", "NO_COLOR")}
    env.update(HF_ENDPOINT=hub.url, HF_HOME=str(home), HF_HUB_CACHE=str(home / "hub"),
               HF_HUB_DISABLE_TELEMETRY="1", HF_HUB_DISABLE_UPDATE_CHECK="1", NO_COLOR="1")
    if token is not None:
        env["HF_TOKEN"] = token
    return env


def carbonlint(hub: FakeHub, tmp_path: Path, *args: str, token: str | None = None,
               timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "carbonlint", *args], env=hub_env(hub, tmp_path / "hf", token),
        cwd=tmp_path, capture_output=True, text=True, timeout=timeout, check=False)


def lint_json(hub: FakeHub, tmp_path: Path, *args: str, **kw: Any) -> tuple[int, dict[str, Any]]:
    result = carbonlint(hub, tmp_path, "hub", "-f", "json", *args, **kw)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode in (0, 1), result.stderr
    return result.returncode, json.loads(result.stdout)


def by_path(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {entry["path"]: entry for entry in document["files"]}


# -- linting named models ------------------------------------------------------------------------


def test_named_model_is_linted_from_its_raw_readme_with_hub_info(tmp_path: Path) -> None:
    models = [model("acme/bert", CARD, downloads=12_345, safetensors=SAFETENSORS)]
    with FakeHub(models) as hub:
        code, doc = lint_json(hub, tmp_path, "acme/bert")
        served = hub.served("info") + hub.served("readme")
    assert code == 0
    (entry,) = doc["files"]
    assert entry["path"] == "hf://acme/bert"
    assert entry["error"] is None
    finding = entry["findings"][0]
    assert (finding["code"], finding["line"], finding["column"]) == ("CL107", 8, 3)
    # What only the Hub knows feeds the label: downloads and the safetensors size.
    efficiency = entry["efficiency"]
    assert efficiency["metrics"]["downloads"]["value"] == 12_345
    assert efficiency["metrics"]["size_efficiency"]["value"] == pytest.approx(400_000_000 / 12.5)
    # One model-info request with the expand fields, one GET of README.md at main.
    assert [(s.method, s.path) for s in served] == [
        ("GET", "/api/models/acme/bert"), ("GET", "/acme/bert/resolve/main/README.md")]
    assert "downloads" in served[0].query["expand"] and "safetensors" in served[0].query["expand"]


def test_revision_is_fetched_and_a_missing_one_is_an_error(tmp_path: Path) -> None:
    models = [model("acme/bert", CARD, revisions=("main", "v1"))]
    with FakeHub(models) as hub:
        code, doc = lint_json(hub, tmp_path, "--revision", "v1", "acme/bert")
        assert code == 0 and doc["files"][0]["error"] is None
        assert [s.path for s in hub.served("readme")] == ["/acme/bert/resolve/v1/README.md"]
        assert [s.path for s in hub.served("info")] == ["/api/models/acme/bert/revision/v1"]
        code, doc = lint_json(hub, tmp_path, "--revision", "v9", "acme/bert")
    assert code == 1
    assert doc["files"][0]["error"].startswith("revision 'v9' not found")


def test_a_renamed_model_is_followed(tmp_path: Path) -> None:
    with FakeHub([model("acme/new-name", CARD, renamed_from="acme/old-name")]) as hub:
        code, doc = lint_json(hub, tmp_path, "acme/old-name")
        statuses = [s.status for s in hub.served("readme")]
    assert code == 0
    assert doc["files"][0]["path"] == "hf://acme/old-name"
    assert doc["files"][0]["findings"][0]["line"] == 8
    assert statuses == [307, 200]


def test_unfetchable_models_are_error_entries_and_the_run_goes_on(tmp_path: Path) -> None:
    models = [
        model("acme/good", CARD),
        model("acme/gated", CARD, gated=True),
        model("acme/private", CARD, token="secret"),
        model("acme/no-card", None),
        model("acme/slow", CARD, delay=30.0),
        model("acme/down", CARD, readme_faults=[(503, {"Retry-After": "0"})] * 10),
        model("acme/malformed", MALFORMED),
        model("acme/last", PLAIN),
    ]
    names = ["acme/good", "acme/missing", "acme/gated", "acme/private", "acme/no-card",
             "acme/slow", "acme/down", "acme/malformed", "acme/last"]
    with FakeHub(models) as hub:
        started = time.monotonic()
        # A --timeout well above what a loaded machine needs for an answer (the others must not time
        # out), well below the slow model's delay.
        code, doc = lint_json(hub, tmp_path, "--timeout", "5", *names)
        elapsed = time.monotonic() - started
        down_requests = [s for s in hub.served("readme") if s.path.startswith("/acme/down/")]
    assert code == 1
    assert [entry["path"] for entry in doc["files"]] == [f"hf://{n}" for n in names]  # in order
    errors = {entry["path"][5:]: entry["error"] for entry in doc["files"]}
    assert errors["acme/good"] is None and errors["acme/last"] is None
    assert errors["acme/missing"] == "model not found on the Hub (HTTP 404)"
    assert errors["acme/gated"].startswith("gated model (HTTP 401): request access on")
    assert errors["acme/private"].startswith("model not found, or private (HTTP 401): set HF_TOKEN")
    assert errors["acme/no-card"] == "no README.md at revision 'main' (HTTP 404)"
    assert errors["acme/slow"].startswith("timed out: no complete answer within 5 s")
    assert errors["acme/down"] == "HTTP 503 from the Hub, 4 times in a row"
    assert len(down_requests) == 4  # RetryPolicy.attempts
    # A card that cannot be parsed is a finding, not an error.
    malformed = by_path(doc)["hf://acme/malformed"]
    assert malformed["error"] is None
    assert [(f["code"], f["line"]) for f in malformed["findings"]] == [("CL001", 3)]
    assert doc["summary"]["unreadable"] == 6
    assert elapsed < 30  # the slow model cost one --timeout, not its 30 s


def test_rate_limit_is_retried_after_what_retry_after_says(tmp_path: Path) -> None:
    models = [model("acme/busy", CARD, readme_faults=[(429, {"Retry-After": "1"})])]
    with FakeHub(models) as hub:
        code, doc = lint_json(hub, tmp_path, "acme/busy")
        requests = hub.served("readme")
    assert code == 0 and doc["files"][0]["error"] is None
    assert [r.status for r in requests] == [429, 200]
    assert requests[1].at - requests[0].at >= 0.95


def test_a_retry_after_beyond_the_cap_fails_at_once(tmp_path: Path) -> None:
    models = [model("acme/closed", CARD, readme_faults=[(429, {"Retry-After": "3600"})]),
              model("acme/open", CARD)]
    with FakeHub(models) as hub:
        started = time.monotonic()
        code, doc = lint_json(hub, tmp_path, "acme/closed", "acme/open")
        elapsed = time.monotonic() - started
    assert code == 1
    error = doc["files"][0]["error"]
    assert error.startswith("HTTP 429 from the Hub: it asks to wait 3,600 s, beyond the 330 s")
    assert doc["files"][1]["error"] is None
    assert elapsed < 30


def test_hf_token_opens_private_models_and_gated_ones_say_403(tmp_path: Path) -> None:
    models = [model("acme/private", CARD, token="secret"), model("acme/gated", CARD, gated=True)]
    with FakeHub(models) as hub:
        code, doc = lint_json(hub, tmp_path, "acme/private", "acme/gated", token="secret")
        auth = {s.authorization for s in hub.log}
    assert doc["files"][0]["error"] is None
    assert doc["files"][1]["error"].startswith("gated model (HTTP 403)")
    assert auth == {"Bearer secret"}


# -- listings ------------------------------------------------------------------------------------


def test_listing_paginates_and_reports_in_listing_order(tmp_path: Path) -> None:
    models = sample_models(35) + sample_models(3, author="other")
    random.Random(6).shuffle(models)  # listing order is not alphabetical
    for m in models[:12]:
        m.delay = random.Random(m.id).uniform(0, 0.05)  # answers come back out of order
    acme = [m.id for m in models if m.id.startswith("acme/")]
    with FakeHub(models, max_page=10) as hub:
        code, doc = lint_json(hub, tmp_path, "--author", "acme", "--workers", "8")
        listing = hub.served("listing")
        readmes = hub.delivered("readme")
    assert code == 0
    assert [e["path"] for e in doc["files"]] == [f"hf://{i}" for i in acme]
    assert len(listing) == 4  # 35 models, pages of 10, followed through the Link header
    assert "cursor" not in listing[0].query and all("cursor" in p.query for p in listing[1:])
    assert all(p.query["author"] == ["acme"] for p in listing)
    assert sorted(readmes) == sorted(acme)  # each card fetched once, no info request needed
    assert hub.served("info") == []
    assert doc["files"][0]["efficiency"]["metrics"]["downloads"]["value"] is not None


def test_limit_stops_the_listing_early(tmp_path: Path) -> None:
    with FakeHub(sample_models(35), max_page=10) as hub:
        code, doc = lint_json(hub, tmp_path, "--author", "acme", "--limit", "12")
        pages = len(hub.served("listing"))
        readmes = len(hub.served("readme"))
    assert [e["path"] for e in doc["files"]] == [f"hf://acme/model-{i:05d}" for i in range(12)]
    assert (pages, readmes) == (2, 12)


def test_search_and_filter_go_to_the_hub(tmp_path: Path) -> None:
    models = sample_models(5) + [model("acme/no-emissions", PLAIN, tags=["text-classification"])]
    with FakeHub(models) as hub:
        code, doc = lint_json(hub, tmp_path, "--search", "model-0000", "--filter",
                              "co2_eq_emissions")
        query = hub.served("listing")[0].query
    assert len(doc["files"]) == 5
    assert query["search"] == ["model-0000"] and query["filter"] == ["co2_eq_emissions"]


def test_a_listing_that_fails_midway_ends_with_an_error_entry(tmp_path: Path) -> None:
    faults = {n: (500, {"Retry-After": "0"}) for n in range(2, 10)}
    with FakeHub(sample_models(25), max_page=10, listing_faults=faults) as hub:
        code, doc = lint_json(hub, tmp_path, "--author", "acme")
    assert code == 1
    paths = [e["path"] for e in doc["files"]]
    assert paths[:10] == [f"hf://acme/model-{i:05d}" for i in range(10)]
    assert paths[10:] == ["hf://?author=acme"]
    assert doc["files"][10]["error"] == (
        "the listing stopped after 10 models: HTTP 500 from the Hub, 4 times in a row")


@pytest.mark.parametrize("fmt", ["text", "json", "github", "sarif", "markdown", "gitlab"])
def test_every_output_format(tmp_path: Path, fmt: str) -> None:
    with FakeHub([model("acme/bert", CARD), model("acme/gone", CARD, gated=True)]) as hub:
        result = carbonlint(hub, tmp_path, "hub", "-f", fmt, "-o", "report.out", "acme/bert",
                            "acme/gone")
    assert result.returncode == 1, result.stderr
    text = (tmp_path / "report.out").read_text(encoding="utf-8")
    # GitHub's workflow commands escape ':' in a property (file=hf%3A//...).
    shown = "hf%3A//acme/bert" if fmt == "github" else "hf://acme/bert"
    assert shown in text and "CL107" in text
    if fmt in ("json", "sarif", "gitlab"):
        json.loads(text)


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    with FakeHub([]) as hub:
        result = carbonlint(hub, tmp_path, "hub")
        assert result.returncode == 2 and "--author" in result.stderr
        result = carbonlint(hub, tmp_path, "hub", "--workers", "0", "acme/x")
        assert result.returncode == 2
        assert hub.log == []


def test_progress_bar_is_silent_off_a_terminal(tmp_path: Path) -> None:
    with FakeHub(sample_models(3)) as hub:
        result = carbonlint(hub, tmp_path, "hub", "--author", "acme")
    assert result.returncode == 0
    assert result.stderr == ""


def test_check_never_imports_huggingface_hub(tmp_path: Path) -> None:
    card = tmp_path / "README.md"
    card.write_bytes(CARD)
    probe = (
        "import sys\n"
        "from carbonlint.cli import main\n"
        f"code = main(['check', {str(card)!r}])\n"
        "main(['--help'])\n"
        "assert 'huggingface_hub' not in sys.modules, 'check imported huggingface_hub'\n"
        "assert 'carbonlint.hub' not in sys.modules\n"
        "sys.exit(0 if code == 0 else 3)\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            cwd=tmp_path, check=False)
    assert result.returncode == 0, result.stderr
    assert "hub" in result.stdout  # listed by --help, without being imported


def test_the_endpoint_is_read_when_the_command_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   run: Any) -> None:
    """In one process: huggingface_hub was imported long before HF_ENDPOINT changed."""
    import huggingface_hub.constants as hf_constants

    monkeypatch.setattr(hf_constants, "HF_TOKEN_PATH", str(tmp_path / "no-token"))
    monkeypatch.delenv("HF_TOKEN", raising=False)
    with FakeHub([model("acme/bert", CARD)]) as hub:
        monkeypatch.setenv("HF_ENDPOINT", hub.url)
        code, out, _ = run("hub", "-f", "json", "acme/bert")
    assert code == 0
    assert json.loads(out)["files"][0]["findings"][0]["line"] == 8


def test_the_fixture_speaks_the_protocol_hf_hub_download_expects(tmp_path: Path) -> None:
    """The real client's own download (HEAD for ETag and X-Repo-Commit, then GET) works
    against the fixture, and its errors come out typed: the fixture is a fair stand-in."""
    probe = (
        "from huggingface_hub import hf_hub_download\n"
        "from huggingface_hub.errors import GatedRepoError\n"
        "path = hf_hub_download('acme/bert', 'README.md')\n"
        "print(open(path, 'rb').read() == " + repr(CARD) + ")\n"
        "try:\n"
        "    hf_hub_download('acme/gated', 'README.md')\n"
        "except GatedRepoError:\n"
        "    print('gated')\n"
    )
    with FakeHub([model("acme/bert", CARD), model("acme/gated", CARD, gated=True)]) as hub:
        result = subprocess.run([sys.executable, "-c", probe], env=hub_env(hub, tmp_path / "hf"),
                                capture_output=True, text=True, check=False, timeout=60)
        methods = [s.method for s in hub.served("readme")]
    assert result.stdout.split() == ["True", "gated"], result.stderr
    assert methods[:2] == ["HEAD", "GET"]


# -- baselines from the Hub ----------------------------------------------------------------------


def emitting(index: int, emissions: Any, **fields: Any) -> FakeModel:
    defaults: dict[str, Any] = {
        "pipeline_tag": "image-classification", "tags": ["co2_eq_emissions", "autotrain"],
        "downloads": index, "safetensors": SAFETENSORS,
        "created_at": f"2023-02-{index % 28 + 1:02d}T00:00:00.000Z",
        "card_data": {"co2_eq_emissions": emissions},
    }
    defaults.update(fields)
    return FakeModel(id=f"lab/m{index:03d}", readme=PLAIN, **defaults)


def build(hub: FakeHub, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return carbonlint(hub, tmp_path, "baselines", "build", "--from-hub", "-o", "baseline.json", *args)


def test_build_from_hub_maps_the_listing_to_records(tmp_path: Path) -> None:
    models = [emitting(i, 10.0 * (i + 1)) for i in range(40)]
    models += [
        emitting(100, {"emissions": 2.5, "training_type": "pre-training", "source": "codecarbon"},
                 pipeline_tag="text-generation", tags=["co2_eq_emissions"]),
        emitting(101, "1.5 kg"),  # a string with a unit: understood, in grams
        emitting(102, "TBD"),  # not an amount: rejected and counted
        emitting(103, 5.0, card_data={"license": "mit"}),  # tagged, but no key in cardData
        FakeModel(id="lab/untagged", readme=PLAIN, tags=[], card_data={"co2_eq_emissions": 1.0}),
    ]
    with FakeHub(models, max_page=10) as hub:
        result = build(hub, tmp_path)
        listing = hub.served("listing")
    assert result.returncode == 0, result.stderr
    assert ("kept 42 of 44 rows (dropped emissions not understood: 1, no co2_eq_emissions in "
            "the card data: 1) from 44 models listed on") in result.stderr
    assert "(the whole listing)" in result.stderr
    data = json.loads((tmp_path / "baseline.json").read_text(encoding="utf-8"))
    assert data["source"]["kind"] == "hub" and data["source"]["complete"] is True
    assert data["source"]["models_listed"] == 44 and data["source"]["models_with_emissions"] == 42
    assert data["source"]["pages"] == 5 and data["source"]["endpoint"] == hub.url
    assert data["generated"] == data["source"]["date"] == time.strftime("%Y-%m-%d", time.gmtime())
    assert data["build"]["dropped"] == {"emissions not understood": 1,
                                        "no co2_eq_emissions in the card data": 1}
    assert data["groups"]["training_type:pre-training"]["n"] == 1
    assert data["groups"]["domain:cv"]["n"] == 41 and data["groups"]["domain:nlp"]["n"] == 1
    assert data["groups"]["size:100MB-1GB"]["n"] == 42  # 100M float32 parameters
    assert data["groups"]["autotrain:yes"]["n"] == 41
    assert data["coverage"]["downloads"] == 42
    assert data["groups"]["all"]["quantiles_g"]["p99"] > 400  # only "1.5 kg" is above 400 g
    # The listing asked for what a record needs, filtered on the tag, in pages of the maximum.
    assert listing[0].query["filter"] == ["co2_eq_emissions"]
    assert set(listing[0].query["expand"]) >= {"cardData", "safetensors", "downloads", "tags"}
    bl.load(tmp_path / "baseline.json")  # the same format as --from-csv


def test_resume_after_limit_lists_no_model_twice(tmp_path: Path) -> None:
    models = [emitting(i, float(i + 1)) for i in range(45)]
    with FakeHub(models, max_page=10) as hub:
        first = build(hub, tmp_path, "--checkpoint", "cp.jsonl", "--limit", "20")
        assert first.returncode == 0, first.stderr
        assert "kept 20 of 20 rows" in first.stderr and "(a partial listing (--limit))" in first.stderr
        second = build(hub, tmp_path, "--checkpoint", "cp.jsonl")
        delivered = hub.delivered("listing")
        pages = hub.served("listing")
    assert second.returncode == 0, second.stderr
    assert sorted(delivered) == sorted(m.id for m in models)  # every model listed exactly once
    assert len(pages) == 5
    assert pages[2].query["limit"] == ["1000"]  # the resumed run asks for full pages again
    data = json.loads((tmp_path / "baseline.json").read_text(encoding="utf-8"))
    assert data["build"]["rows_kept"] == 45 and data["build"]["dropped"] == {}


def test_resume_in_the_middle_of_a_page(tmp_path: Path) -> None:
    models = [emitting(i, float(i + 1)) for i in range(25)]
    with FakeHub(models, max_page=10) as hub:
        assert build(hub, tmp_path, "--checkpoint", "cp.jsonl", "--limit", "15").returncode == 0
        result = build(hub, tmp_path, "--checkpoint", "cp.jsonl")
        delivered = hub.delivered("listing")
    assert result.returncode == 0, result.stderr
    twice = sorted({m for m in delivered if delivered.count(m) > 1})
    # Only the page cut by --limit is listed again; its first 5 models are skipped, not recounted.
    assert twice == [f"lab/m{i:03d}" for i in range(10, 20)]
    data = json.loads((tmp_path / "baseline.json").read_text(encoding="utf-8"))
    assert data["build"] == {"dropped": {}, "rows_kept": 25, "rows_read": 25}


def test_a_killed_build_resumes_from_its_last_page(tmp_path: Path) -> None:
    models = [emitting(i, float(i + 1)) for i in range(45)]
    with FakeHub(models, max_page=10) as hub:
        hub.block_page = 3  # the third page request hangs: the build is killed waiting for it
        args = [sys.executable, "-m", "carbonlint", "baselines", "build", "--from-hub",
                "--checkpoint", "cp.jsonl", "-o", "baseline.json"]
        process = subprocess.Popen(args, env=hub_env(hub, tmp_path / "hf"), cwd=tmp_path,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            assert hub.page_reached.wait(60)
        finally:
            process.kill()
            process.communicate()
        hub.block_page = None
        hub.release.set()
        assert not (tmp_path / "baseline.json").exists()
        result = build(hub, tmp_path, "--checkpoint", "cp.jsonl")
        delivered = hub.delivered("listing")
    assert result.returncode == 0, result.stderr
    assert sorted(delivered) == sorted(m.id for m in models)  # pages 1-2 were not fetched again
    data = json.loads((tmp_path / "baseline.json").read_text(encoding="utf-8"))
    assert data["build"]["rows_kept"] == 45


def test_a_checkpoint_cut_mid_line_is_repaired(tmp_path: Path) -> None:
    models = [emitting(i, float(i + 1)) for i in range(25)]
    with FakeHub(models, max_page=10) as hub:
        assert build(hub, tmp_path, "--checkpoint", "cp.jsonl", "--limit", "10").returncode == 0
        checkpoint = tmp_path / "cp.jsonl"
        # A kill in the middle of the next page's lines: one whole model line, one cut short.
        checkpoint.write_text(checkpoint.read_text() + '{"id": "lab/m010", "rejected": "x"}\n{"id": "la',
                              encoding="utf-8")
        result = build(hub, tmp_path, "--checkpoint", "cp.jsonl")
    assert result.returncode == 0, result.stderr
    data = json.loads((tmp_path / "baseline.json").read_text(encoding="utf-8"))
    assert data["build"] == {"dropped": {}, "rows_kept": 25, "rows_read": 25}
    lines = checkpoint.read_text(encoding="utf-8").splitlines()
    assert all(json.loads(line) for line in lines)


def test_a_checkpoint_of_another_hub_is_refused(tmp_path: Path) -> None:
    (tmp_path / "cp.jsonl").write_text(json.dumps(
        {"checkpoint": 1, "endpoint": "https://elsewhere.example", "filter": "co2_eq_emissions",
         "started": "2025-01-01T00:00:00Z"}) + "\n", encoding="utf-8")
    with FakeHub([emitting(1, 1.0)]) as hub:
        result = build(hub, tmp_path, "--checkpoint", "cp.jsonl")
        assert hub.log == []
    assert result.returncode == 2
    assert "was made against https://elsewhere.example" in result.stderr


def test_a_hub_that_cannot_be_listed_is_a_clear_error(tmp_path: Path) -> None:
    faults = {n: (503, {"Retry-After": "0"}) for n in range(1, 10)}
    with FakeHub([emitting(1, 1.0)], listing_faults=faults) as hub:
        result = build(hub, tmp_path, "--checkpoint", "cp.jsonl")
    assert result.returncode == 2
    assert "cannot list the models on" in result.stderr
    assert "HTTP 503 from the Hub, 4 times in a row; run again to resume" in result.stderr
    assert "Traceback" not in result.stderr


def test_limit_and_checkpoint_need_from_hub(tmp_path: Path) -> None:
    with FakeHub([]) as hub:
        result = carbonlint(hub, tmp_path, "baselines", "build", "--limit", "3")
    assert result.returncode == 2 and "go with --from-hub" in result.stderr


# -- units ---------------------------------------------------------------------------------------


def test_weights_bytes_from_safetensors_counts() -> None:
    assert hubmod.weights_bytes({"F32": 10, "BF16": 4, "I8": 3}) == 10 * 4 + 4 * 2 + 3
    assert hubmod.weights_bytes({"F32": 10, "Q9_WEIRD": 1}) is None  # unknown: no guess
    assert hubmod.weights_bytes({}) is None
    assert hubmod.weights_bytes(None) is None


def test_retry_after_forms() -> None:
    assert hubmod.retry_after({"Retry-After": "7"}) == 7.0
    assert hubmod.retry_after({"Retry-After": "Wed, 21 Oct 2015 07:28:10 GMT"},
                              now=1445412480.0) == 10.0
    assert hubmod.retry_after({"RateLimit": '"api";r=0;t=55'}) == 55.0
    assert hubmod.retry_after({"RateLimit": '"api";r=12;t=55'}) is None
    assert hubmod.retry_after({"Retry-After": "soon"}) is None


def http_error(status: int, **headers: str) -> HfHubHTTPError:
    response = httpx.Response(status, headers=headers, request=httpx.Request("GET", "http://hub/x"))
    return HfHubHTTPError(f"HTTP {status}", response=response)


class Script:
    """A call that raises the given exceptions in turn, then returns "ok"."""

    def __init__(self, *failures: BaseException) -> None:
        self.failures = list(failures)
        self.calls = 0

    def __call__(self) -> str:
        self.calls += 1
        if self.failures:
            raise self.failures.pop(0)
        return "ok"


def test_with_retries_backs_off_on_5xx_and_gives_up() -> None:
    slept: list[float] = []
    policy = hubmod.RetryPolicy(attempts=4, base_delay=1.0)
    call = Script(http_error(502), http_error(503))
    assert hubmod.with_retries(call, policy, hubmod.Throttle(), sleep=slept.append) == "ok"
    assert call.calls == 3 and 0.8 <= slept[0] <= 1.0 and 1.6 <= slept[1] <= 2.0
    with pytest.raises(hubmod.HubFailure, match="HTTP 500 from the Hub, 4 times in a row"):
        hubmod.with_retries(Script(*[http_error(500)] * 9), policy, hubmod.Throttle(),
                            sleep=slept.append)


def test_with_retries_passes_other_errors_through_and_does_not_retry_timeouts() -> None:
    call = Script(http_error(404))
    with pytest.raises(HfHubHTTPError):
        hubmod.with_retries(call, hubmod.RetryPolicy(), hubmod.Throttle(), sleep=lambda s: None)
    assert call.calls == 1
    call = Script(httpx.ReadTimeout("slow"))
    with pytest.raises(httpx.ReadTimeout):
        hubmod.with_retries(call, hubmod.RetryPolicy(), hubmod.Throttle(), sleep=lambda s: None)
    assert call.calls == 1
    call = Script(httpx.ReadTimeout("slow"))
    policy = hubmod.RetryPolicy(retry_timeouts=True, base_delay=0)
    assert hubmod.with_retries(call, policy, hubmod.Throttle(), sleep=lambda s: None) == "ok"


def test_a_429_pauses_every_worker_and_counts_against_the_cap() -> None:
    clock = [0.0]
    pauses: list[float] = []
    throttle = hubmod.Throttle(clock=lambda: clock[0], on_pause=pauses.append,
                               sleep=lambda s: clock.__setitem__(0, clock[0] + s))
    policy = hubmod.RetryPolicy(max_wait=10.0)
    assert hubmod.with_retries(Script(http_error(429, **{"Retry-After": "6"})), policy, throttle) == "ok"
    assert clock[0] == 6.0 and pauses == [6.0]  # the CLI announces it
    throttle.pause(5.0)  # another worker met a 429 meanwhile: this request waits too ...
    call = Script(http_error(429, **{"Retry-After": "6"}))
    with pytest.raises(hubmod.HubFailure, match="it asks to wait 6 s, beyond the 10 s"):
        hubmod.with_retries(call, policy, throttle)  # ... and 5 + 6 is over the cap
    assert clock[0] == 11.0 and call.calls == 1


def test_ordered_map_keeps_order_and_a_bounded_window() -> None:
    consumed = 0
    in_flight_peak = 0
    lock = threading.Lock()
    active = 0

    def items() -> Any:
        nonlocal consumed
        for i in range(200):
            consumed += 1
            yield i

    def work(i: int) -> int:
        nonlocal active, in_flight_peak
        with lock:
            active += 1
            in_flight_peak = max(in_flight_peak, active)
        time.sleep(random.Random(i).uniform(0, 0.003))
        with lock:
            active -= 1
        return i * i

    results = []
    for value in hubmod.ordered_map(work, items(), workers=4, window=8):
        results.append(value)
        assert consumed - len(results) <= 8  # never more than the window read ahead
    assert results == [i * i for i in range(200)]
    assert in_flight_peak <= 4


def test_judge_reads_hub_info_for_the_label() -> None:
    from carbonlint.card import parse_bytes
    from carbonlint.checker import Context
    from carbonlint.config import Config
    from carbonlint.judge import efficiency_for

    card = parse_bytes(PLAIN.replace(b"license: mit", b"co2_eq_emissions: 40\ntags: [autotrain]"),
                       "hf://acme/x")
    assert efficiency_for(Context(card, Config()))["missing"][:3] == [
        "size_efficiency", "dataset_efficiency", "downloads"]
    card.hub_info = hubmod.HubInfo("acme/x", downloads=50_000, size_bytes=2e9,
                                   pipeline_tag="image-classification")
    efficiency = efficiency_for(Context(card, Config()))
    assert efficiency is not None
    assert efficiency["metrics"]["downloads"]["value"] == 50_000
    assert efficiency["metrics"]["size_efficiency"]["value"] == pytest.approx(2e9 / 40)
    # The fair group: AutoTrain models of the size the Hub counts.
    assert efficiency["peer_group"] == "autotrain:yes+size:1GB-10GB"
    card.hub_info = hubmod.HubInfo("acme/x", downloads=50_000, size_bytes=None,
                                   pipeline_tag="image-classification")
    efficiency = efficiency_for(Context(card, Config()))
    assert efficiency["peer_group"] == "autotrain:yes+domain:cv"  # the Hub's pipeline tag


def test_record_from_listing_entries() -> None:
    entry = {"id": "a/b", "tags": ["Autotrain"], "pipeline_tag": None, "library_name": "joblib",
             "downloads": 3, "createdAt": "2022-05-06T07:08:09.000Z",
             "safetensors": {"parameters": {"F16": 1000}, "total": 1000},
             "cardData": {"co2_eq_emissions": {"emissions": 0.25, "training_type": "fine-tuned"},
                          "model-index": [{"name": "b", "results": [{
                              "task": {"type": "tabular-classification"},
                              "metrics": [{"type": "accuracy", "value": 0.8}]}]}]}}
    record = hubmod.record_from(entry)
    assert record == bl.ModelRecord(
        model_id="a/b", emissions_g=0.25, domain="tabular", training_type="fine-tuning",
        autotrain=True, size_bytes=2000.0, downloads=3, performance={"accuracy": 0.8},
        created_at="2022-05-06")
    assert hubmod.record_from({"id": "a/c", "cardData": {}}) == "no co2_eq_emissions in the card data"
    assert hubmod.record_from({"id": "a/d", "cardData": {"co2_eq_emissions": "TBD"}}) == (
        "emissions not understood")
    assert hubmod.record_from(["not", "an", "entry"]) == "malformed listing entry"


# -- the token goes to the configured endpoint only -----------------------------------------------


TOKEN = "hf_secret_token_for_the_endpoint_only"


def test_hub_does_not_follow_a_next_link_to_another_host(tmp_path: Path) -> None:
    """The listing's Link: rel="next" points at a second server (another port: another origin).
    Nothing is sent there, the first page is linted, and the report says why the listing ended."""
    models = [model(f"acme/m{i}", PLAIN) for i in range(6)]
    with FakeHub(models) as foreign, FakeHub(models, max_page=3) as hub:
        hub.next_base = foreign.url
        code, doc = lint_json(hub, tmp_path, "--author", "acme", token=TOKEN)
        asked_foreign = foreign.served("listing") + foreign.served("readme") + foreign.served("info")
        sent_token_home = {s.authorization for s in hub.served("listing")}
    assert asked_foreign == []
    assert sent_token_home == {f"Bearer {TOKEN}"}  # the token did go to the endpoint
    paths = [entry["path"] for entry in doc["files"]]
    assert paths[:3] == ["hf://acme/m0", "hf://acme/m1", "hf://acme/m2"]
    assert code == 1 and paths[3] == "hf://?author=acme"
    error = doc["files"][3]["error"]
    assert error.startswith("the listing stopped after 3 models: the listing's next page is on ")
    assert foreign.url in error and f"not on the configured endpoint {hub.url}" in error
    assert "the token" in error


def test_client_refuses_any_url_off_the_endpoint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with FakeHub([model("acme/a", PLAIN)]) as foreign, FakeHub([model("acme/a", PLAIN)]) as hub:
        monkeypatch.setenv("HF_ENDPOINT", hub.url)
        monkeypatch.setenv("HF_TOKEN", TOKEN)
        client = hubmod.HubClient(timeout=5)
        for url in (f"{foreign.url}/api/models", hub.url.replace("http://", "https://") + "/api/models",
                    hub.url.replace("127.0.0.1", "localhost") + "/api/models"):
            with pytest.raises(hubmod.HubFailure, match="the listing's next page is on"):
                next(client.pages({}, start_url=url))
            with pytest.raises(hubmod.HubFailure, match="refusing to send a request to"):
                client._download(url)
        assert next(client.pages({}, start_url=f"{hub.url}/api/models")).items  # home is fine
        assert foreign.served("listing") == [] and foreign.served("readme") == []


def test_build_stops_at_a_foreign_next_link_and_a_checkpoint_cannot_name_another_host(
        tmp_path: Path) -> None:
    models = [emitting(i, float(i + 1)) for i in range(25)]
    with FakeHub(models) as foreign, FakeHub(models, max_page=10) as hub:
        hub.next_base = foreign.url
        result = carbonlint(hub, tmp_path, "baselines", "build", "--from-hub", "-o", "baseline.json",
                            "--checkpoint", "cp.jsonl", token=TOKEN)
        assert result.returncode == 2, result.stderr
        assert "the listing's next page is on" in result.stderr and foreign.url in result.stderr
        assert foreign.served("listing") == []
        # The checkpoint saved that URL as the page to resume from: resuming refuses it too.
        hub.next_base = None
        again = carbonlint(hub, tmp_path, "baselines", "build", "--from-hub", "-o", "baseline.json",
                           "--checkpoint", "cp.jsonl", token=TOKEN)
        assert again.returncode == 2
        assert "the page to resume from is on" in again.stderr and foreign.url in again.stderr
        assert "Delete the file to start over" in again.stderr
        # A checkpoint edited by hand to point elsewhere: the same.
        lines = (tmp_path / "cp.jsonl").read_text().splitlines()
        closing = json.loads(lines[-1])
        closing["next"] = "https://collector.example.org/api/models?cursor=x"
        (tmp_path / "cp.jsonl").write_text("\n".join([*lines[:-1], json.dumps(closing)]) + "\n")
        edited = carbonlint(hub, tmp_path, "baselines", "build", "--from-hub", "-o", "baseline.json",
                            "--checkpoint", "cp.jsonl", token=TOKEN)
        assert edited.returncode == 2 and "https://collector.example.org" in edited.stderr
        assert foreign.served("listing") == []
