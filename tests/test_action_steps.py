"""Every step of action.yml, run the way a runner runs it (tests/action_runner.py), against a
list repository that carries hostile `checker/`, `pip/`, `venv/`, ... packages and sets
PYTHONPATH to itself: the install is real (from the lock, hashes checked, no package index), the
environment is cached and restored, and no Python the action starts ever imports the workspace.
Then the nightly pull request path (fix-pr), two nights in a scratch git repository."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from action_runner import ROOT, Action, Job, load_action, offline_pip_env, wheelhouse
from fakes import FakeServices
from fakes.issues import issues_of

HOSTILE = ("checker", "pip", "venv", "ensurepip", "setuptools")
LIST = (
    "# Papers\n\n"
    "| Title | Venue | Paper |\n|---|---|---|\n"
    "| Attention Is All You Need | Neurips 2017 | [arXiv](https://arxiv.org/abs/1706.03762) |\n"
)


@dataclass
class Scene:
    workspace: Path
    markers: Path
    runner_temp: Path
    cache_store: Path
    env: dict[str, str]

    def job(self, **kwargs: str) -> Job:
        return Job(self.workspace, self.runner_temp, self.cache_store, env=self.env, **kwargs)

    def ran(self) -> list[str]:
        return sorted(p.name for p in self.markers.iterdir())


def hostile_workspace(workspace: Path, markers: Path) -> None:
    """A list repository whose packages shadow what the action runs; each writes a marker."""

    def module(name: str) -> str:
        return f"import pathlib\npathlib.Path({str(markers / name)!r}).write_text('ran')\n"

    for name in HOSTILE:
        (workspace / name).mkdir(parents=True)
        for file in ("__init__.py", "__main__.py", "ci_action.py"):
            (workspace / name / file).write_text(module(name), encoding="utf-8")
    (workspace / "sitecustomize.py").write_text(module("sitecustomize"), encoding="utf-8")
    (workspace / "README.md").write_text(LIST, encoding="utf-8")
    (workspace / "docs").mkdir()
    (workspace / "docs" / "more.md").write_text(LIST, encoding="utf-8")


@pytest.fixture(scope="module")
def scene(tmp_path_factory: pytest.TempPathFactory) -> Scene:
    base = tmp_path_factory.mktemp("action")
    markers = base / "markers"
    markers.mkdir()
    hostile_workspace(base / "workspace", markers)
    env = {"PYTHONPATH": str(base / "workspace"), **offline_pip_env(wheelhouse(tmp_path_factory))}
    scene = Scene(base / "workspace", markers, base / "runner-temp", base / "cache-store", env)
    # the control: a Python that is not isolated does run them
    subprocess.run(
        [sys.executable, "-c", "import " + ", ".join(HOSTILE)],
        cwd=scene.workspace, env={**os.environ, **env}, check=True, timeout=60,
    )  # fmt: skip
    assert scene.ran() == sorted([*HOSTILE, "sitecustomize"])
    for marker in markers.iterdir():
        marker.unlink()
    return scene


@pytest.fixture(scope="module")
def cold(scene: Scene) -> Action:
    """The first job: nothing cached, so the install step installs from the lock."""
    return scene.job().uses({"paths": "README.md", "args": "--offline"})


def assert_clean(action: Action, scene: Scene) -> None:
    assert action.failed == [], "\n".join(f"{s.name}: {s.stdout}{s.stderr}" for s in action.failed)
    assert scene.ran() == []  # nothing of the workspace was imported, by any step


def test_a_hostile_workspace_never_runs_and_every_step_succeeds(cold: Action, scene: Scene) -> None:
    assert_clean(cold, scene)
    assert cold.step("Stop on Windows").ran is False
    assert cold.steps["install"]["installed"] == "true"
    assert cold.steps["env-cache"]["cache-hit"] == "false"
    outputs = cold.outputs
    assert {k: outputs[k] for k in ("errors", "warnings", "infos", "exit-code")} == {
        "errors": "0", "warnings": "1", "infos": "0", "exit-code": "0",
    }  # fmt: skip
    report = json.loads(Path(outputs["json"]).read_text(encoding="utf-8"))
    assert [f["rule"] for f in report["findings"]] == ["venue-format"]
    # the paperlint that ran is the one installed from the action, not the workspace's
    venv = scene.runner_temp / "paperlint" / f"env-{cold.steps['prepare']['env-hash']}"
    where = subprocess.run(
        [str(venv / "bin" / "python"), "-I", "-c", "import checker; print(checker.__file__)"],
        capture_output=True, text=True, check=True, timeout=60,
    ).stdout  # fmt: skip
    assert where.startswith(str(venv))


def test_a_warm_job_installs_nothing(cold: Action, scene: Scene) -> None:
    """A new runner (its temp folder empty) restores the environment the first job saved."""
    assert cold.steps["install"]["installed"] == "true"
    shutil.rmtree(scene.runner_temp)
    warm = scene.job(run_id="1002").uses({"paths": "README.md", "args": "--offline"})
    assert_clean(warm, scene)
    assert warm.steps["env-cache"]["cache-hit"] == "true"
    install = warm.step("Install paperlint")
    assert warm.steps["install"]["installed"] == "false"
    assert "nothing to install" in install.stdout
    assert warm.step("Save paperlint's environment").ran is False
    assert warm.outputs["warnings"] == "1" and warm.outputs["exit-code"] == "0"


def test_two_paperlint_steps_in_one_job_keep_their_own_reports_and_caches(
    cold: Action, scene: Scene
) -> None:
    job = scene.job(run_id="1003")
    first = job.uses({"paths": "README.md", "args": "--offline"}, step_id="__OWNER_paperlint")
    second = job.uses({"paths": "docs/*.md", "args": "--offline"}, step_id="__OWNER_paperlint_2")
    for action in (first, second):
        assert_clean(action, scene)
    assert first.steps["prepare"]["slot"] != second.steps["prepare"]["slot"]
    assert first.steps["install"]["installed"] == second.steps["install"]["installed"] == "false"
    reports = [json.loads(Path(a.outputs["json"]).read_text("utf-8")) for a in (first, second)]
    assert [r["findings"][0]["file"] for r in reports] == ["README.md", "docs/more.md"]
    assert first.outputs["sarif"] != second.outputs["sarif"]
    saved = sorted(p.name for p in scene.cache_store.iterdir() if p.name.endswith("-1003-1"))
    assert saved == [
        f"paperlint-Linux-{a.steps['prepare']['slot']}-1003-1" for a in (first, second)
    ]


def test_the_legs_of_a_matrix_keep_their_own_answer_caches(cold: Action, scene: Scene) -> None:
    """Same job, same step, same run: only the matrix values tell the legs apart."""
    legs = [
        scene.job(run_id="1004", matrix=json.dumps({"list": name}, indent=2))
        for name in ("README.md", "docs")
    ]
    first = legs[0].uses({"paths": "README.md", "args": "--offline"})
    second = legs[1].uses({"paths": "docs/*.md", "args": "--offline"})
    for action in (first, second):
        assert_clean(action, scene)
    slots = [a.steps["prepare"]["slot"] for a in (first, second)]
    assert slots[0] != slots[1]
    assert all(slot.startswith("paperlint-__OWNER_paperlint-") for slot in slots)
    saved = sorted(p.name for p in scene.cache_store.iterdir() if p.name.endswith("-1004-1"))
    assert saved == sorted(f"paperlint-Linux-{slot}-1004-1" for slot in slots)
    # outside a matrix the slot is what it was, so an upgrade keeps the caches saved before
    assert cold.steps["prepare"]["slot"] == "paperlint-__OWNER_paperlint"


def test_the_environment_key_follows_the_lock_python_and_os(tmp_path: Path) -> None:
    """Only the prepare step runs here (no install): a changed lock gives another key."""
    copy = tmp_path / "action"
    no_bytecode = shutil.ignore_patterns("__pycache__")
    shutil.copytree(ROOT / "checker", copy / "checker", ignore=no_bytecode)
    for name in ("action.yml", "action-requirements.lock", "pyproject.toml"):
        shutil.copy2(ROOT / name, copy / name)
    prepare = next(s for s in load_action()["runs"]["steps"] if s.get("id") == "prepare")

    def key(**kwargs: str) -> str:
        job = Job(tmp_path, tmp_path / "temp", tmp_path / "store", action_path=copy, **kwargs)
        job.runner_temp.mkdir(exist_ok=True)
        action = Action(job, "__OWNER_paperlint", {})
        action.steps["python"] = {"python-path": sys.executable}
        result, outputs = action.run_step(prepare)
        assert result.code == 0, result.stderr
        return outputs["env-key"]

    before = key()
    python = ".".join(map(str, sys.version_info[:3]))
    assert before.startswith(f"paperlint-env-Linux-X64-py{python}-")
    assert key(os_name="macOS").startswith(f"paperlint-env-macOS-X64-py{python}-")
    with (copy / "action-requirements.lock").open("a", encoding="utf-8") as lock:
        lock.write("# changed\n")
    assert key() != before


def test_windows_runners_stop_with_one_line(tmp_path: Path) -> None:
    job = Job(tmp_path, tmp_path / "temp", tmp_path / "store", os_name="Windows")
    action = job.uses({"paths": "README.md"})
    stop, *rest = action.log
    assert stop.ran and stop.code != 0
    (line,) = stop.stdout.splitlines()
    assert line.startswith("::error") and "Windows" in line and "Linux or macOS" in line
    assert not any(step.ran for step in rest)


# ---------------------------------------------------------------------------------------------
# fix-pr: the nightly pull request path, end to end in a scratch repository. Every step runs for
# real but peter-evans/create-pull-request (it needs GitHub: recorded, its inputs checked, and
# answering pull request #12 as it would); the issue is the loopback issues API's.

GIT = ["git", "-c", "user.email=ci@example.invalid", "-c", "user.name=ci"]


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run([*GIT, *args], cwd=cwd, capture_output=True, text=True, check=True)
    return done.stdout.strip()


@dataclass
class Nights:
    """A list repository as actions/checkout leaves it (origin, `main` checked out) and the
    job that runs the action on it, night after night, against the loopback fakes."""

    scene: Scene
    workspace: Path
    env: dict[str, str]
    listed: str
    nights: int = 0

    def run(self, **inputs: str) -> Action:
        """A new night: a fresh checkout of main (last night's fixes are on the pull request's
        branch, not on main), then the action."""
        git(self.workspace, "checkout", "-q", "--", ".")
        self.nights += 1
        job = Job(self.workspace, self.scene.runner_temp, self.scene.cache_store,
                  env=self.env, run_id=f"20{self.nights:02d}")  # fmt: skip
        args = "--allow-private --arxiv-delay 0"
        return job.uses({"paths": "README.md", "mode": "nightly", "args": args, **inputs})


@pytest.fixture
def nights(scene: Scene, fake: FakeServices, tmp_path: Path) -> Nights:
    from fakes import Capture, Page, Repo

    fake.world.add(Page("/gone", status=404), Capture(fake.web("/gone"), "20210301120000"))
    fake.world.add(Repo("old-lab/tool", moved_to="new-lab/tool"), Repo("new-lab/tool"))
    listed = (
        "# Papers\n\n"
        "| Title | Venue | Paper |\n|---|---|---|\n"
        "| Attention Is All You Need | Neurips 2017 | [arXiv](https://arxiv.org/abs/1706.03762) |\n"
        f"\n- [A project page]({fake.web('/gone')})\n"
        "- [A tool](https://github.com/old-lab/tool)\n"
    )
    source = tmp_path / "source"
    source.mkdir()
    (source / "README.md").write_text(listed, encoding="utf-8")
    (source / ".paperlint.toml").write_text(  # the archive's copies are on the internet
        'exclude = ["^https://web\\\\.archive\\\\.org/"]\n', encoding="utf-8"
    )
    git(source, "init", "-q", "-b", "main")
    git(source, "add", "-A")
    git(source, "commit", "-qm", "the list")
    origin = tmp_path / "origin.git"
    git(tmp_path, "clone", "-q", "--bare", str(source), str(origin))
    workspace = tmp_path / "workspace"
    git(tmp_path, "clone", "-q", "--depth=1", origin.as_uri(), str(workspace))
    env = {**scene.env, **fake.env(), "PAPERLINT_DBLP_DELAY": "0"}
    env.update(
        GITHUB_REPOSITORY="octo/papers",
        GITHUB_SERVER_URL="https://github.com",
        GITHUB_SHA=git(workspace, "rev-parse", "HEAD"),
    )
    tracker = issues_of(fake.world)  # a person's issue with the label: never touched
    tracker.add("paperlint is wrong about a link", "Please look.", labels=["paperlint"],
                author="octocat", repository="octo/papers")  # fmt: skip
    return Nights(scene, workspace, env, listed)


def test_a_nightly_pull_request_with_the_fixes_of_confirmed_findings(
    nights: Nights, fake: FakeServices, scene: Scene
) -> None:
    tracker = issues_of(fake.world)
    (human,) = tracker.issues
    before = (human.body, human.state, human.title, len(human.comments))
    readme = nights.workspace / "README.md"

    # night 1: the dead link is suspect. What is no failure is fixed and proposed: the venue
    # written right, the moved repository's new address. No issue yet: nothing is confirmed.
    first = nights.run(**{"fix-pr": "true"})
    assert_clean(first, scene)
    check = first.steps["check"]
    assert check["fixed-files"] == ":(literal)README.md"
    assert "--fix --unsafe-fixes --fix-report" in first.step("Check").stdout
    (opened,) = first.pull_requests
    assert opened["branch"] == "paperlint/fixes" and opened["add-paths"] == ":(literal)README.md"
    assert opened["token"] == "token-from-the-runner"
    body_path = Path(opened["body-path"])  # in this step's own report folder
    assert body_path.parent == scene.runner_temp / "paperlint" / f"paperlint-{first.step_id}" / (
        "reports"
    )
    body = body_path.read_text(encoding="utf-8")
    assert "2 fixes in `README.md`." in body and "**unsafe**" not in body
    assert "`venue-format`" in body and "has moved to new-lab/tool" in body
    text = readme.read_text(encoding="utf-8")
    assert "NeurIPS 2017" in text and "github.com/new-lab/tool" in text
    assert "web.archive.org" not in text and fake.requests_to("wayback") == []
    link = first.step("Name the pull request")
    assert link.ran and link.code == 0 and "no nightly issue" in link.stdout
    assert tracker.labelled("paperlint") == [human]
    assert first.outputs["pull-request-number"] == "12"

    # night 2, on main as it still is: the dead link is confirmed, its archived copy proposed
    # (unsafe, with its date); the issue is created, its Fix column shows the fixes (unsafe ones
    # said), and the last step names the pull request in it
    second = nights.run(**{"fix-pr": "true"})
    assert_clean(second, scene)
    (opened,) = second.pull_requests
    body = Path(opened["body-path"]).read_text(encoding="utf-8")
    assert "3 fixes in `README.md`, 1 of them unsafe" in body
    (dead,) = [row for row in body.splitlines() if "`link-broken`" in row]
    assert dead.startswith("| **unsafe** |") and "has a copy of 2021-03-01" in dead
    assert f"web.archive.org/web/20210301120000/{fake.web('/gone')}" in readme.read_text("utf-8")
    issue = next(i for i in tracker.labelled("paperlint") if i is not human)
    assert f"reported in issue #{issue.number}" in body
    assert "**Fixes:** 3 (1 unsafe) proposed in pull request #12." in issue.body
    assert "applied to the files" not in issue.body
    assert " (unsafe) |" in issue.body  # the archived copy, in the Fix column
    assert "issue #" in second.step("Name the pull request").stdout
    assert (human.body, human.state, human.title, len(human.comments)) == before


def test_fix_pr_runs_only_when_asked_and_only_in_nightly_mode(
    nights: Nights, fake: FakeServices, scene: Scene
) -> None:
    plain = nights.run()  # a nightly without fix-pr: the files stay, no pull request
    assert_clean(plain, scene)
    assert "fixed-files" not in plain.steps["check"] and plain.pull_requests == []
    assert not plain.step("Open or update the pull request").ran
    assert not plain.step("Name the pull request").ran
    assert (nights.workspace / "README.md").read_text(encoding="utf-8") == nights.listed
    assert plain.outputs["pull-request-number"] == ""

    full = nights.run(mode="full", **{"fix-pr": "true"})
    check = full.step("Check")
    assert check.code == 2 and check.stderr.count("\n") == 1
    assert "fix-pr opens a pull request with the fixes of a nightly run" in check.stderr
    assert full.pull_requests == [] and not full.step("Name the pull request").ran
    assert (nights.workspace / "README.md").read_text(encoding="utf-8") == nights.listed
