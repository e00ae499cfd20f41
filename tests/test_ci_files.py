"""The CI glue of this repository: workflows and action.yml valid against GitHub's schemas and
clean under zizmor; the pre-commit hooks run for real (`pre-commit try-repo`), offline, from a
wheelhouse so that nothing is downloaded."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
BIN = Path(sys.executable).parent
WHEELHOUSE_VARIABLE = "TEST_WHEELHOUSE"  # set by .ci/run


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


def test_action_passes_inputs_through_env_only() -> None:
    action = load(ROOT / "action.yml")
    steps = action["runs"]["steps"]  # type: ignore[index]
    for step in steps:
        assert "${{" not in step.get("run", ""), step["name"]
    assert set(action["inputs"]) >= {"paths", "args", "token", "mode", "fail-on", "cache", "base"}  # type: ignore[arg-type]
    assert set(action["outputs"]) >= {"errors", "warnings", "unverified", "json", "sarif"}  # type: ignore[arg-type]


def test_pre_commit_hooks_manifest() -> None:
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert set(hooks) == {"paperlint", "paperlint-online"}
    assert "--offline" in hooks["paperlint"]["entry"]
    assert hooks["paperlint"]["types"] == ["markdown"]
    assert "stages" not in hooks["paperlint"]
    assert "--offline" not in hooks["paperlint-online"]["entry"]
    assert hooks["paperlint-online"]["stages"] == ["manual"]


# ---------------------------------------------------------------------------------------------
# pre-commit try-repo, offline


@pytest.fixture(scope="session")
def wheelhouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """paperlint's dependencies as wheels, so the hook's environment installs with no index.
    `.ci/run` builds it once; otherwise it is built here, from pip's own cache and index."""
    given = os.environ.get(WHEELHOUSE_VARIABLE)
    if given:
        return Path(given)
    folder = tmp_path_factory.mktemp("wheelhouse")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--disable-pip-version-check",
         str(ROOT), "setuptools>=77", "-w", str(folder)],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    if done.returncode != 0:
        pytest.fail(
            f"cannot build the wheelhouse the pre-commit test installs from ({WHEELHOUSE_VARIABLE} "
            "is not set and `pip wheel` failed, probably offline with an empty pip cache); run "
            "`.ci/run`, or build one with `pip wheel . setuptools -w DIR` and set "
            f"{WHEELHOUSE_VARIABLE}=DIR:\n{done.stderr[-2000:]}"
        )
    return folder


@pytest.fixture
def snapshot(tmp_path: Path) -> Path:
    """This repository's working tree (uncommitted changes included) as a committed repository,
    so that pre-commit installs its hook environment once for both runs."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT, capture_output=True, check=True,
    ).stdout.decode().split("\0")  # fmt: skip
    target = tmp_path / "paperlint-repo"
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    git(target, "init", "-q")
    git(target, "add", "-A")
    git(target, "commit", "-qm", "snapshot")
    return target


def git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.email=t@example.invalid", "-c", "user.name=t", *args],
        cwd=cwd, check=True, capture_output=True,
    )  # fmt: skip


@pytest.fixture
def hook_env(wheelhouse: Path, tmp_path: Path) -> Iterator[dict[str, str]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "GITHUB_"))}
    env.update(
        PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"),
        PIP_NO_INDEX="1",
        PIP_FIND_LINKS=str(wheelhouse),
        PIP_CONFIG_FILE=os.devnull,
        PIP_DISABLE_PIP_VERSION_CHECK="1",
    )
    yield env


def test_pre_commit_blocks_a_malformed_id_and_lets_a_clean_commit_through(
    snapshot: Path, hook_env: dict[str, str], tmp_path: Path
) -> None:
    lists = tmp_path / "awesome-list"
    lists.mkdir()
    git(lists, "init", "-q")
    readme = lists / "README.md"
    paper = "[Attention Is All You Need](https://arxiv.org/abs/1706.03762)"
    readme.write_text(f"# Papers\n\n- {paper} NeurIPS 2017\n", encoding="utf-8")
    git(lists, "add", "README.md")
    git(lists, "commit", "-qm", "a list")

    def try_repo() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [tool("pre-commit"), "try-repo", str(snapshot), "paperlint"],
            cwd=lists, env=hook_env, capture_output=True, text=True, timeout=600,
        )  # fmt: skip

    with readme.open("a", encoding="utf-8") as fh:
        fh.write("- [A new paper](https://arxiv.org/abs/2113.01234) ICML 2021\n")
    git(lists, "add", "README.md")
    blocked = try_repo()
    assert blocked.returncode == 1, blocked.stdout + blocked.stderr
    assert "README.md:4:" in blocked.stdout and "arxiv-id-malformed" in blocked.stdout

    readme.write_text(
        readme.read_text(encoding="utf-8").replace("2113.01234", "2106.09685"), encoding="utf-8"
    )
    git(lists, "add", "README.md")
    passed = try_repo()
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "paperlint" in passed.stdout and "Passed" in passed.stdout


def test_fix_works_as_a_hook_argument(tmp_path: Path) -> None:
    """pre-commit runs `entry`, then the hook's `args`, then the file names: the same command."""
    manifest = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    entry = next(h["entry"] for h in manifest if h["id"] == "paperlint").split()
    assert entry[0] == "paperlint"
    readme = tmp_path / "README.md"
    paper = "[Attention Is All You Need](https://arxiv.org/abs/1706.03762)"
    readme.write_text(f"# Papers\n\n- {paper} Neurips 2017\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    done = subprocess.run(
        [sys.executable, "-m", "checker", *entry[1:], "--fix", "README.md"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "fixed 1 problem in README.md" in done.stderr
    assert "NeurIPS 2017" in readme.read_text(encoding="utf-8")


def test_readme_snippets_install_what_they_name_and_are_valid(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "pip install paperlint" not in readme  # no such package is published
    blocks = readme.split("```yaml\n")[1:]
    workflows = [b.split("```", 1)[0] for b in blocks if "\non:" in b.split("```", 1)[0]]
    assert len(workflows) == 2  # pull requests and nightly
    files = []
    for i, text in enumerate(workflows):
        path = tmp_path / f"snippet{i}.yml"
        path.write_text(text, encoding="utf-8")
        files.append(str(path))
        assert "uses: OWNER/paperlint@TAG # a placeholder" in text
    done = subprocess.run(
        [tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", *files],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    hooks = [b.split("```", 1)[0] for b in blocks if "repos:" in b.split("```", 1)[0]]
    (config,) = hooks
    ids = {h["id"] for r in yaml.safe_load(config)["repos"] for h in r["hooks"]}
    manifest = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert ids <= {h["id"] for h in manifest}
