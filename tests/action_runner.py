"""A small stand-in for the Actions runner: runs action.yml's composite steps as a runner does.

`run:` steps run for real (bash, the step's `env:` with its expressions resolved, the working
folder the workspace, one `$GITHUB_OUTPUT` file per step); `uses:` steps are simulated:
actions/setup-python gives this interpreter, actions/cache/restore and /save copy folders to and
from `cache_store` (which outlives a job, as the Actions cache does), and
peter-evans/create-pull-request is only recorded (`Action.pull_requests`: its inputs, resolved)
and answers with `Job.pull_request` as its outputs — it needs GitHub. A failed step stops the
composite; a later step runs only if its condition says `always()` or `!cancelled()` (nothing is
ever cancelled here). Only the expression forms
action.yml uses are understood, and any other form fails the test, so the simulation cannot
quietly drift from the file.
"""

from __future__ import annotations

import os
import platform
import re
import shutil
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
COMPARISON = re.compile(r"([\w.-]+) (==|!=) '([^']*)'")


def load_action(root: Path = ROOT) -> dict[str, Any]:
    data = yaml.safe_load((root / "action.yml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def read_outputs(path: Path) -> dict[str, str]:
    """`$GITHUB_OUTPUT` as a runner reads it: `name=value` and `name<<DELIMITER` blocks."""
    values: dict[str, str] = {}
    lines = iter(path.read_text(encoding="utf-8").splitlines() if path.exists() else [])
    for line in lines:
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, mark = line.split("<<", 1)
            block = []
            for more in lines:
                if more == mark:
                    break
                block.append(more)
            values[name] = "\n".join(block)
        elif "=" in line:
            name, value = line.split("=", 1)
            values[name] = value
    return values


def _link(source: str, target: str) -> None:
    """A copy that costs nothing: the cached files are never written in place (Python replaces
    a bytecode file whole), so a hard link behaves as a copy here."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


@dataclass
class StepRun:
    name: str
    ran: bool
    code: int = 0
    stdout: str = ""
    stderr: str = ""
    seconds: float = 0.0


@dataclass
class Job:
    """One job on one runner: a workspace, a temp folder, the runner's environment."""

    workspace: Path
    runner_temp: Path
    cache_store: Path
    action_path: Path = ROOT
    env: dict[str, str] = field(default_factory=dict)  # added to the runner's environment
    job: str = "paperlint"
    matrix: str = "null"  # toJSON(matrix): null outside a matrix
    run_id: str = "1001"
    os_name: str = "Linux"
    python: str = sys.executable
    # what the simulated peter-evans/create-pull-request answers
    pull_request: dict[str, str] = field(
        default_factory=lambda: {
            "pull-request-number": "12",
            "pull-request-url": "https://github.com/octo/papers/pull/12",
            "pull-request-operation": "created",
        }
    )

    def base_env(self, step_id: str) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("GITHUB_", "INPUT_", "RUNNER_", "PAPERLINT_", "PYTHON", "PIP_"))
        }
        env.update(
            GITHUB_ACTIONS="true",
            GITHUB_WORKSPACE=str(self.workspace),
            GITHUB_ACTION_PATH=str(self.action_path),
            GITHUB_JOB=self.job,
            GITHUB_ACTION=step_id,
            GITHUB_RUN_ID=self.run_id,
            GITHUB_RUN_ATTEMPT="1",
            GITHUB_STEP_SUMMARY=str(self.runner_temp / "_summary.md"),
            RUNNER_TEMP=str(self.runner_temp),
            RUNNER_OS=self.os_name,
            RUNNER_ARCH="X64",
        )
        env.update(self.env)
        return env

    def uses(self, inputs: dict[str, str], step_id: str = "__OWNER_paperlint") -> Action:
        """Runs the action once, as the step `step_id` of this job (the runner names a step
        without an id `__OWNER_paperlint`, then `__OWNER_paperlint_2`, ...)."""
        self.runner_temp.mkdir(parents=True, exist_ok=True)
        self.cache_store.mkdir(parents=True, exist_ok=True)
        declared = load_action(self.action_path)["inputs"].items()
        defaults = {k: str(v.get("default", "")) for k, v in declared}
        action = Action(self, step_id, {**defaults, **inputs})
        action.inputs = {k: action.resolve(v) for k, v in action.inputs.items()}
        action.run()
        return action


@dataclass
class Action:
    job: Job
    step_id: str
    inputs: dict[str, str]
    steps: dict[str, dict[str, str]] = field(default_factory=dict)
    log: list[StepRun] = field(default_factory=list)
    # the inputs of each create-pull-request step, resolved
    pull_requests: list[dict[str, str]] = field(default_factory=list)
    outputs: dict[str, str] = field(default_factory=dict)

    # expressions ------------------------------------------------------------------------------

    def value(self, name: str) -> str:
        head, _, rest = name.partition(".")
        if head == "inputs":
            return self.inputs.get(rest, "")
        if head == "steps":
            step, kind, output = rest.split(".", 2)
            assert kind == "outputs", name
            return self.steps.get(step, {}).get(output, "")
        known = {
            "runner.temp": str(self.job.runner_temp),
            "runner.os": self.job.os_name,
            "github.run_id": self.job.run_id,
            "github.run_attempt": "1",
            "github.token": "token-from-the-runner",
            "toJSON(matrix)": self.job.matrix,
        }
        assert name in known, f"the simulated runner does not know {name!r}"
        return known[name]

    def resolve(self, text: str) -> str:
        return EXPRESSION.sub(lambda m: self.value(m.group(1)), text)

    def condition(self, text: str | None, failed: bool) -> bool:
        if text is None:
            return not failed
        parts = [p.strip() for p in text.split("&&")]
        status = [p for p in parts if p in ("always()", "!cancelled()")]
        if status:
            parts = [p for p in parts if p not in status]
        elif failed:
            return False
        for part in parts:
            match = COMPARISON.fullmatch(part)
            assert match, f"the simulated runner does not understand the condition {part!r}"
            name, operator, literal = match.groups()
            if (self.value(name) == literal) != (operator == "=="):
                return False
        return True

    # steps ------------------------------------------------------------------------------------

    def run(self) -> None:
        action = load_action(self.job.action_path)
        failed = False
        for step in action["runs"]["steps"]:
            name = step.get("name", step.get("uses", "?"))
            if not self.condition(step.get("if"), failed):
                self.log.append(StepRun(name, ran=False))
                continue
            with_ = {k: self.resolve(str(v)) for k, v in step.get("with", {}).items()}
            if "run" in step:
                result, outputs = self.run_step(step)
            else:
                result, outputs = self.uses_step(step["uses"], with_)
            result.name = name
            self.log.append(result)
            if "id" in step:
                self.steps[step["id"]] = outputs
            failed = failed or result.code != 0
        for key, spec in action.get("outputs", {}).items():
            self.outputs[key] = self.resolve(spec["value"])

    def run_step(self, step: dict[str, Any]) -> tuple[StepRun, dict[str, str]]:
        assert step["shell"] == "bash"
        folder = self.job.runner_temp / "_runner_file_commands"
        folder.mkdir(parents=True, exist_ok=True)
        output = folder / f"set_output_{uuid.uuid4().hex}"
        script = folder / f"{uuid.uuid4().hex}.sh"
        script.write_text(step["run"], encoding="utf-8")
        env = self.job.base_env(self.step_id)
        env.update({k: self.resolve(str(v)) for k, v in step.get("env", {}).items()})
        env["GITHUB_OUTPUT"] = str(output)
        start = time.perf_counter()
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=self.job.workspace, env=env, capture_output=True, text=True, timeout=600,
        )  # fmt: skip
        took = time.perf_counter() - start
        result = StepRun("", True, done.returncode, done.stdout, done.stderr, took)
        return result, read_outputs(output)

    def uses_step(self, uses: str, with_: dict[str, str]) -> tuple[StepRun, dict[str, str]]:
        action = uses.split("@", 1)[0]
        store = self.job.cache_store
        if action == "peter-evans/create-pull-request":
            self.pull_requests.append(with_)
            return StepRun("", True), dict(self.job.pull_request)
        if action == "actions/setup-python":
            version = platform.python_version()
            return StepRun("", True), {"python-path": self.job.python, "python-version": version}
        if action == "actions/cache/restore":
            keys = [with_["key"]] + [k for k in with_.get("restore-keys", "").split() if k]
            saved = sorted(store.iterdir(), key=lambda p: p.stat().st_mtime, reverse=True)
            for i, key in enumerate(keys):
                hit = next((p for p in saved if (p.name == key if i == 0 else
                                                 p.name.startswith(key))), None)  # fmt: skip
                if hit is not None:  # what the cache holds replaces what is there
                    shutil.rmtree(with_["path"], ignore_errors=True)
                    shutil.copytree(hit, with_["path"], symlinks=True, copy_function=_link)
                    return StepRun("", True), {"cache-hit": str(i == 0).lower(),
                                               "cache-matched-key": hit.name}  # fmt: skip
            return StepRun("", True), {"cache-hit": "false"}
        if action == "actions/cache/save":
            target, source = store / with_["key"], Path(with_["path"])
            if target.exists():  # Actions keeps the first save of a key; later ones warn
                return StepRun("", True, stderr=f"cache {target.name} already exists"), {}
            if source.exists():
                shutil.copytree(source, target, symlinks=True, copy_function=_link)
            return StepRun("", True), {}
        raise AssertionError(f"the simulated runner does not know {uses}")

    # reading the run --------------------------------------------------------------------------

    def step(self, name_start: str) -> StepRun:
        return next(s for s in self.log if s.name.startswith(name_start))

    @property
    def failed(self) -> list[StepRun]:
        return [s for s in self.log if s.code != 0]


# ---------------------------------------------------------------------------------------------
# the wheels the lock names, so that installs in tests need no package index

WHEELHOUSE_VARIABLE = "TEST_WHEELHOUSE"  # set by .ci/run
LOCK = ROOT / "action-requirements.lock"
_wheelhouse: list[Path] = []


def wheelhouse(tmp_path_factory: Any) -> Path:
    """The lock's wheels for this interpreter: from $TEST_WHEELHOUSE (`.ci/run` downloads them
    once), else downloaded here once per session (pip's cache or index). Both the action's
    install step (hashes checked) and the pre-commit hook's environment install from it."""
    given = os.environ.get(WHEELHOUSE_VARIABLE)
    if given:
        return Path(given)
    if not _wheelhouse:
        folder = tmp_path_factory.mktemp("wheelhouse")
        done = subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check",
             "--require-hashes", "--only-binary", ":all:", "--no-deps", "-r", str(LOCK),
             "-d", str(folder)],
            capture_output=True, text=True, timeout=600,
        )  # fmt: skip
        if done.returncode != 0:
            raise AssertionError(
                f"cannot gather the wheels the tests install from ({WHEELHOUSE_VARIABLE} is not "
                "set and `pip download` failed, probably offline with an empty pip cache); run "
                "`.ci/run`, or `pip download --require-hashes --only-binary :all: --no-deps "
                f"-r action-requirements.lock -d DIR` and set {WHEELHOUSE_VARIABLE}=DIR:\n"
                + done.stderr[-2000:]
            )
        _wheelhouse.append(folder)
    return _wheelhouse[0]


def offline_pip_env(wheels: Path) -> dict[str, str]:
    """pip told to install from `wheels` only, whatever the machine's pip configuration says,
    and not to byte-compile what it installs."""
    return {
        "PIP_NO_INDEX": "1",
        "PIP_FIND_LINKS": str(wheels),
        "PIP_CONFIG_FILE": os.devnull,
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        # no byte-compiling of every installed module (a third of an install's time; what runs is
        # compiled as it is imported). "0": pip sets the option's `compile` to the value given.
        "PIP_NO_COMPILE": "0",
    }


def on_actions(monkeypatch: Any, workspace: Path) -> Path:
    """The environment GitHub Actions gives a step whose workspace is `workspace`, now the
    working folder; the step's job summary file (not made) is returned."""
    summary = workspace / "summary.md"
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    monkeypatch.setenv("GITHUB_SERVER_URL", "https://github.example")
    monkeypatch.setenv("GITHUB_REPOSITORY", "o/r")
    monkeypatch.setenv("GITHUB_SHA", "0123abc")
    monkeypatch.setenv("GITHUB_WORKSPACE", str(workspace))
    monkeypatch.chdir(workspace)
    return summary
