"""The CI glue of this repository: workflows, action.yml and the README's snippets valid against
GitHub's schemas, and clean under zizmor; the pre-commit hooks run for real (`git commit` and
`pre-commit run` with the README's configuration), offline, from the lock's wheels, in one hook
environment installed once for the whole module."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from action_runner import load_action, offline_pip_env, wheelhouse

from checker.file_args import FLAG

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
BIN = Path(sys.executable).parent
PINNED = re.compile(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}")


def tool(name: str) -> str:
    path = shutil.which(name, path=str(BIN)) or shutil.which(name)
    assert path, f"{name} is not installed: pip install -e '.[test]'"
    return path


def test_the_workflows_this_repository_ships() -> None:
    assert {p.name for p in WORKFLOWS} == {"ci.yml", "paperlint-pr.yml", "paperlint-nightly.yml"}


@pytest.mark.parametrize(
    ("schema", "files"),
    [
        ("vendor.github-workflows", WORKFLOWS),
        ("custom.github-workflows-require-timeout", WORKFLOWS),
        ("vendor.github-actions", [ROOT / "action.yml"]),
    ],
    ids=["workflows", "workflow-timeouts", "action"],
)
def test_valid_against_githubs_schemas(schema: str, files: list[Path]) -> None:
    done = subprocess.run(
        [tool("check-jsonschema"), "--builtin-schema", schema, *map(str, files)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr


def test_zizmor_finds_nothing() -> None:
    done = subprocess.run(
        [tool("zizmor"), "--offline", "--persona", "pedantic", "--no-progress",
         str(ROOT / "action.yml"), str(ROOT / ".github" / "workflows")],
        capture_output=True, text=True, timeout=120, cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No findings to report" in done.stdout + done.stderr


def load(path: Path) -> dict[str, object]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_least_permissions_and_pinned_actions() -> None:
    for path in WORKFLOWS:
        workflow = load(path)
        assert workflow["permissions"] == {}, path.name  # nothing by default
        for job in workflow["jobs"].values():  # type: ignore[attr-defined]
            granted = job["permissions"]
            wanted = {"contents": "read"}
            if path.name == "paperlint-nightly.yml":
                wanted["issues"] = "write"
            assert granted == wanted, path.name
    text = "\n".join(p.read_text(encoding="utf-8") for p in [*WORKFLOWS, ROOT / "action.yml"])
    for line in text.splitlines():
        if "uses:" in line and "uses: ./" not in line:
            ref = line.split("uses:", 1)[1].split("#")[0].strip()
            assert len(ref.rsplit("@", 1)[1]) == 40, line  # a commit, not a movable tag


def test_action_passes_inputs_through_env_only_and_declares_its_outputs() -> None:
    action = load_action()
    steps = {s["id"]: s for s in action["runs"]["steps"] if "id" in s}
    for step in action["runs"]["steps"]:
        assert "${{" not in step.get("run", ""), step["name"]
    passed = steps["check"]["env"]
    for name in action["inputs"]:
        variable = "GITHUB_TOKEN" if name == "token" else f"INPUT_{name.upper().replace('-', '_')}"
        assert passed[variable] == f"${{{{ inputs.{name} }}}}", name
    assert "issue-label" in action["inputs"]
    assert set(action["outputs"]) == {
        "errors", "warnings", "infos", "unverified", "json", "sarif", "markdown", "exit-code",
        "pull-request-number", "pull-request-url",
    }  # fmt: skip
    for name, output in action["outputs"].items():
        step = "pull-request" if name.startswith("pull-request-") else "check"
        assert output["value"] == f"${{{{ steps.{step}.outputs.{name} }}}}", name


CREATE_PULL_REQUEST = "peter-evans/create-pull-request@5f6978faf089d4d20b00c7766989d076bb2fc7f1"


def test_the_pull_request_step_is_pinned_gated_and_fed_through_with_only() -> None:
    """fix-pr, statically (it needs GitHub; test_action_steps.py and test_nightly_fix.py run
    everything around it): the well-kept action pinned by commit (v8.1.1), run only in nightly
    mode with fix-pr and only when the fixes changed a file, one fixed branch, the body from the
    step's report folder; the issue step after it runs only when there is a pull request, and
    reads its number from the environment."""
    action = load_action()
    steps = action["runs"]["steps"]
    ids = [s.get("id") for s in steps]
    (pr,) = [s for s in steps if s.get("uses", "").startswith("peter-evans/")]
    assert pr["uses"] == CREATE_PULL_REQUEST and pr["id"] == "pull-request"
    assert ids.index("pull-request") > ids.index("check")  # the fixes are written first
    text = (ROOT / "action.yml").read_text(encoding="utf-8")
    assert f"uses: {CREATE_PULL_REQUEST} # v8.1.1 " in text
    gate = [part.strip() for part in pr["if"].split("&&")]
    assert gate == [
        "!cancelled()",  # a check that fails on --fail-on still proposes its fixes
        "inputs.mode == 'nightly'",
        "inputs.fix-pr == 'true'",
        "steps.check.outputs.fixed-files != ''",  # only when the fixes changed a file
    ]
    assert pr["with"] == {
        "token": "${{ inputs.token }}",
        "branch": "${{ inputs.fix-pr-branch }}",  # the same every night: one pull request
        "add-paths": "${{ steps.check.outputs.fixed-files }}",  # the fixed lists, nothing else
        "body-path": "${{ steps.check.outputs.pull-request-body }}",
        "title": "paperlint: fixes of confirmed findings",
        "commit-message": "paperlint: apply the fixes of confirmed findings",
    }
    inputs = action["inputs"]
    assert inputs["fix-pr"]["default"] == "false"
    assert inputs["fix-pr-branch"]["default"] == "paperlint/fixes"
    for words in ("contents: write", "pull-requests: write", "starts no workflows"):
        assert words in inputs["fix-pr"]["description"], words
    (link,) = [s for s in steps if "link-pull-request" in s.get("run", "")]
    assert steps.index(link) == steps.index(pr) + 1
    assert link["if"] == "!cancelled() && steps.pull-request.outputs.pull-request-number != ''"
    assert link["env"]["PULL_REQUEST_NUMBER"] == (
        "${{ steps.pull-request.outputs.pull-request-number }}"
    )
    assert "${{" not in link["run"] and " -I -m checker.ci_action link-pull-request" in link["run"]


def test_run_steps_read_the_runners_environment_for_containers() -> None:
    """In a container job `${{ github.action_path }}` and `${{ runner.temp }}` are host paths:
    run steps read $GITHUB_ACTION_PATH and $RUNNER_TEMP; other actions' `with:` inputs cannot
    read the environment and keep `${{ runner.temp }}`."""
    steps = load_action()["runs"]["steps"]
    host_paths = ("github.action_path", "runner.temp", "github.workspace")
    runs = [s for s in steps if "run" in s]
    for step in runs:
        for value in step.get("env", {}).values():
            assert not any(h in str(value) for h in host_paths), (step["name"], value)
    scripts = "\n".join(s["run"] for s in runs)
    assert "$GITHUB_ACTION_PATH" in scripts and "$RUNNER_TEMP" in scripts
    caches = [s for s in steps if s.get("uses", "").startswith("actions/cache/")]
    assert len(caches) == 4
    for step in caches:
        assert step["with"]["path"].startswith("${{ runner.temp }}/paperlint/"), step["name"]


def test_every_python_the_action_starts_is_isolated() -> None:
    """Static half of tests/test_action_steps.py: each interpreter call in a run step has -I."""
    scripts = "\n".join(s["run"] for s in load_action()["runs"]["steps"] if "run" in s)
    scripts = re.sub(r'--python "[^"]+"', "", scripts)  # pip's target, not a call
    calls = re.findall(r'("\$PYTHON"|/bin/python")(\s+\S+)', scripts)
    assert len(calls) >= 4
    assert all(flag.strip() == "-I" for _, flag in calls), calls
    assert '"-I", "-m", "checker"' in (ROOT / "checker" / "ci_action.py").read_text("utf-8")


def test_windows_runners_stop_first() -> None:
    first = load_action()["runs"]["steps"][0]
    assert first["if"] == "runner.os == 'Windows'"
    assert "exit 2" in first["run"] and first["run"].count("echo") == 1


def test_pre_commit_hooks_manifest() -> None:
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert set(hooks) == {"paperlint", "paperlint-online"}
    for hook in hooks.values():  # the console script; file names never read as options
        assert hook["entry"].startswith(f"paperlint check {FLAG} "), hook["id"]
        assert hook["types"] == ["markdown"]
    assert "--offline" in hooks["paperlint"]["entry"]
    assert "stages" not in hooks["paperlint"]
    assert "--offline" not in hooks["paperlint-online"]["entry"]
    assert hooks["paperlint-online"]["stages"] == ["manual"]


# ---------------------------------------------------------------------------------------------
# the README's snippets


def readme_blocks() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return [b.split("```", 1)[0] for b in readme.split("```yaml\n")[1:]]


def test_readme_snippets_are_valid_pinned_and_bounded(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "pip install paperlint" not in readme  # no such package is published
    workflows = [b for b in readme_blocks() if "\non:" in b]
    assert len(workflows) == 3  # pull requests, code scanning, nightly
    files = []
    for i, text in enumerate(workflows):
        path = tmp_path / f"snippet{i}.yml"
        path.write_text(text, encoding="utf-8")
        files.append(str(path))
        assert "uses: OWNER/paperlint@TAG # a placeholder" in text
        workflow = yaml.safe_load(text)
        assert workflow["permissions"] == {} and "concurrency" in workflow
        for job in workflow["jobs"].values():
            assert "timeout-minutes" in job
            for step in job["steps"]:
                uses = step.get("uses", "OWNER/paperlint@TAG")
                assert uses == "OWNER/paperlint@TAG" or PINNED.fullmatch(uses), uses
    for schema in ("vendor.github-workflows", "custom.github-workflows-require-timeout"):
        done = subprocess.run(
            [tool("check-jsonschema"), "--builtin-schema", schema, *files],
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert done.returncode == 0, done.stdout + done.stderr
    pr = yaml.safe_load(workflows[0])
    assert set(pr[True]) == {"pull_request"}  # YAML reads `on` as True
    assert "never `pull_request_target` with a checkout of the pull request's head" in readme


def test_the_readme_nightly_snippet_opens_the_pull_request_with_its_permissions() -> None:
    (text,) = [b for b in readme_blocks() if "mode: nightly" in b]
    (job,) = yaml.safe_load(text)["jobs"].values()
    assert job["permissions"] == {
        "contents": "write", "issues": "write", "pull-requests": "write",
    }  # fmt: skip
    checkout, paperlint = job["steps"]
    assert checkout["with"]["persist-credentials"] is False  # the pull request action has its own
    assert paperlint["with"]["mode"] == "nightly" and paperlint["with"]["fix-pr"] is True
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    assert "pull request opened with the workflow's `GITHUB_TOKEN` starts no workflows" in readme
    assert "*Allow GitHub Actions to create and approve pull requests*" in readme


def test_zizmor_finds_nothing_in_the_readme_snippets(tmp_path: Path) -> None:
    """The workflows a newcomer copies, audited with zizmor's default persona (the pedantic one
    also wants names and comments that a short snippet leaves out); the placeholder
    `OWNER/paperlint@TAG` pinned to a made-up commit, as the README tells them to pin it."""
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    for i, text in enumerate(b for b in readme_blocks() if "\non:" in b):
        pinned = text.replace("OWNER/paperlint@TAG", "OWNER/paperlint@" + "0" * 40 + " # v1.0.0")
        (folder / f"snippet{i}.yml").write_text(pinned, encoding="utf-8")
    done = subprocess.run(
        [tool("zizmor"), "--offline", "--no-progress", str(folder)],
        capture_output=True, text=True, timeout=120, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No findings to report" in done.stdout + done.stderr


def test_readme_shows_the_sarif_upload_in_full() -> None:
    (text,) = [b for b in readme_blocks() if "upload-sarif" in b]
    (job,) = yaml.safe_load(text)["jobs"].values()
    assert job["permissions"] == {"contents": "read", "security-events": "write"}
    paperlint, upload = job["steps"][1:]
    assert upload["uses"].startswith("github/codeql-action/upload-sarif@")
    assert upload["with"]["sarif_file"] == f"${{{{ steps.{paperlint['id']}.outputs.sarif }}}}"


def test_readme_says_how_to_silence_a_false_alarm_and_what_the_label_is_for() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Silence a false alarm") :]
    section = section[: section.index("\n## ")]
    for way in ("paperlint-disable-next-line", "exclude = [", "[tool.paperlint.severity]"):
        assert way in section, way
    assert "label is reserved for paperlint's report" in readme
    assert "`issue-label`" in readme and "`--issue-label`" in readme
    assert "`**/*.md`" in readme and "matches no file" in readme


# ---------------------------------------------------------------------------------------------
# pre-commit, for real and offline: one hook environment for the whole module


def git(
    cwd: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "-c", "user.email=t@example.invalid", "-c", "user.name=t", *args],
        cwd=cwd, check=True, capture_output=True, text=True, env=env, timeout=600,
    )  # fmt: skip


@dataclass(frozen=True)
class Hooks:
    """This repository's working tree as a committed repository, and the environment every
    pre-commit call of the module shares (one PRE_COMMIT_HOME: the hook is installed once)."""

    repo: Path
    rev: str
    env: dict[str, str]

    def config(self, hooks: list[dict[str, Any]]) -> str:
        return yaml.safe_dump(
            {"repos": [{"repo": str(self.repo), "rev": self.rev, "hooks": hooks}]}
        )

    def readme_config(self) -> str:
        (text,) = [b for b in readme_blocks() if "repos:" in b]
        text = re.sub(r"repo: https://github.com/OWNER/paperlint.*", f"repo: {self.repo}", text)
        return text.replace("rev: TAG", f"rev: {self.rev}")

    def run(self, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [tool("pre-commit"), *args],
            cwd=cwd, env=self.env, capture_output=True, text=True, timeout=600,
        )  # fmt: skip


@pytest.fixture(scope="module")
def hooks(tmp_path_factory: pytest.TempPathFactory) -> Hooks:
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT, capture_output=True, check=True,
    ).stdout.decode().split("\0")  # fmt: skip
    target = tmp_path_factory.mktemp("paperlint-repo")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    git(target, "init", "-q")
    git(target, "add", "-A")
    git(target, "commit", "-qm", "snapshot")
    rev = git(target, "rev-parse", "HEAD").stdout.strip()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "GITHUB_"))}
    env.update(offline_pip_env(wheelhouse(tmp_path_factory)))
    env["PRE_COMMIT_HOME"] = str(tmp_path_factory.mktemp("pre-commit-home"))
    return Hooks(target, rev, env)


PAPER = "[Attention Is All You Need](https://arxiv.org/abs/1706.03762)"


def list_repo(path: Path, config: str) -> Path:
    path.mkdir()
    git(path, "init", "-q")
    (path / ".pre-commit-config.yaml").write_text(config, encoding="utf-8")
    (path / "README.md").write_text(f"# Papers\n\n- {PAPER} NeurIPS 2017\n", encoding="utf-8")
    git(path, "add", "-A")
    git(path, "commit", "-qm", "a list", "--no-verify")
    return path


def test_the_readme_hook_blocks_a_malformed_id_and_lets_a_clean_commit_through(
    hooks: Hooks, tmp_path: Path
) -> None:
    lists = list_repo(tmp_path / "awesome-list", hooks.readme_config())
    installed = hooks.run(lists, "install")
    assert installed.returncode == 0, installed.stdout + installed.stderr
    readme = lists / "README.md"
    with readme.open("a", encoding="utf-8") as fh:
        fh.write("- [A new paper](https://arxiv.org/abs/2113.01234) ICML 2021\n")
    (lists / "notes.md").write_text("- [Other](https://arxiv.org/abs/2113.99999) x\n", "utf-8")
    git(lists, "add", "-A")
    with pytest.raises(subprocess.CalledProcessError) as blocked:
        git(lists, "commit", "-qm", "a malformed ID", env=hooks.env)
    output = blocked.value.stdout + blocked.value.stderr
    assert "README.md:4:" in output and "arxiv-id-malformed" in output
    assert "notes.md" not in output  # `files: ^README\.md$` of the README's snippet

    readme.write_text(readme.read_text("utf-8").replace("2113.01234", "2106.09685"), "utf-8")
    git(lists, "add", "README.md")
    passed = git(lists, "commit", "-m", "a clean list", env=hooks.env)
    assert re.search(r"^paperlint\.+Passed$", passed.stderr, re.MULTILINE), passed.stderr


def test_warnings_block_a_commit_when_asked(hooks: Hooks, tmp_path: Path) -> None:
    config = hooks.config([{"id": "paperlint", "args": ["--fail-on", "warning"]}])
    lists = list_repo(tmp_path / "awesome-list", config)
    (lists / "README.md").write_text(f"# Papers\n\n- {PAPER} Neurips 2017\n", "utf-8")
    done = hooks.run(lists, "run", "--files", "README.md")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "venue-format" in done.stdout


def test_a_file_named_like_an_option_is_a_file_and_user_args_still_work(
    hooks: Hooks, tmp_path: Path
) -> None:
    """A staged `--output=NOTES.md` beside `args: [--fix]`: both files are fixed, NOTES.md is
    not overwritten with the report."""
    lists = list_repo(
        tmp_path / "awesome-list", hooks.config([{"id": "paperlint", "args": ["--fix"]}])
    )
    notes = lists / "NOTES.md"
    notes.write_text("my notes\n", encoding="utf-8")
    git(lists, "add", "NOTES.md")
    git(lists, "commit", "-qm", "notes", "--no-verify")
    row = f"# Papers\n\n- {PAPER} Neurips 2017\n"
    for name in ("README.md", "--output=NOTES.md"):
        (lists / name).write_text(row, encoding="utf-8")
    git(lists, "add", "--", "README.md", "--output=NOTES.md")
    done = hooks.run(lists, "run")  # the staged files, as a commit would run it
    assert done.returncode == 1, done.stdout + done.stderr  # pre-commit: files were modified
    assert notes.read_text(encoding="utf-8") == "my notes\n"
    for name in ("README.md", "--output=NOTES.md"):
        assert "NeurIPS 2017" in (lists / name).read_text(encoding="utf-8"), name


def test_without_the_flag_an_option_like_name_is_an_option(tmp_path: Path) -> None:
    """What the hooks' flag prevents, and that it leaves real options and `--` alone."""
    (tmp_path / "--output=NOTES.md").write_text(f"- {PAPER} NeurIPS 2017\n", "utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}

    def paperlint(*args: str) -> None:
        subprocess.run(
            [sys.executable, "-m", "checker", "check", *args],
            cwd=tmp_path, env=env, capture_output=True, timeout=120, check=False,
        )  # fmt: skip

    paperlint("--offline", "--no-progress", "--output=NOTES.md")
    assert (tmp_path / "NOTES.md").exists()  # the report: the hole the flag closes
    (tmp_path / "NOTES.md").unlink()
    paperlint(FLAG, "--offline", "--no-progress", "--output=NOTES.md")
    assert not (tmp_path / "NOTES.md").exists()


def test_the_flag_rewrites_only_names_of_existing_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from checker.file_args import files_never_options

    monkeypatch.chdir(tmp_path)
    (tmp_path / "--fix").write_text("", "utf-8")
    (tmp_path / "-").write_text("", "utf-8")
    argv = ["check", FLAG, "--offline", "--fail-on", "warning", "--fix", "-", "a.md", "--", "--fix"]
    assert files_never_options(argv) == [
        "check", "--offline", "--fail-on", "warning", "./--fix", "./-", "a.md", "--", "--fix",
    ]  # fmt: skip
    assert files_never_options(["check", "--fix", "--offline"]) == ["check", "--fix", "--offline"]
    assert files_never_options(["check", "--", FLAG]) == ["check", "--", FLAG]


def test_fix_works_as_a_hook_argument(tmp_path: Path) -> None:
    """pre-commit runs `entry`, then the hook's `args`, then the file names: the same command."""
    manifest = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    entry = next(h["entry"] for h in manifest if h["id"] == "paperlint").split()
    assert entry[0] == "paperlint"
    readme = tmp_path / "README.md"
    readme.write_text(f"# Papers\n\n- {PAPER} Neurips 2017\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    done = subprocess.run(
        [sys.executable, "-m", "checker", *entry[1:], "--fix", "README.md"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "fixed 1 problem in README.md" in done.stderr
    assert "NeurIPS 2017" in readme.read_text(encoding="utf-8")
