"""The action's step script (`python -m checker.ci_action`) in a scratch git repository: pr mode
in Actions' shallow checkout, annotations, the job summary, outputs, exit status; inputs that are
split, never evaluated."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from fakes import FakeServices, Page, Paper
from fakes.issues import issues_of

from checker.ci_action import (
    ActionError,
    Inputs,
    Reports,
    build_args,
    changed_files,
    expand_paths,
    pull_request_paths,
    step_folder,
)

GIT = ["git", "-c", "user.email=ci@example.invalid", "-c", "user.name=ci"]
GIT += ["-c", "init.defaultBranch=main"]
HEADER = "# Papers\n\n| Title | Venue | Paper |\n|---|---|---|\n"
PAPERS = {
    "1706.03762": ("Attention Is All You Need", "2017-06-12"),
    "2106.09685": ("LoRA: Low-Rank Adaptation of Large Language Models", "2021-06-17"),
    "2005.14165": ("Language Models are Few-Shot Learners", "2020-05-28"),
    "1512.03385": ("Deep Residual Learning for Image Recognition", "2015-12-10"),
    "1810.04805": (
        "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding",
        "2018-10-11",
    ),
    "1412.6980": ("Adam: A Method for Stochastic Optimization", "2014-12-22"),
    "2006.11239": ("Denoising Diffusion Probabilistic Models", "2020-06-19"),
}


def row(ident: str, venue: str, title: str | None = None) -> str:
    title = title or PAPERS.get(ident, ("A paper", ""))[0]
    return f"| {title} | {venue} | [arXiv](https://arxiv.org/abs/{ident}) |"


ROWS = {
    "attention": row("1706.03762", "Neurips 2017"),  # a venue-format warning, never touched
    "lora": row("2106.09685", "ICLR 2022"),
    "gpt3": row("2005.14165", "NeurIPS 2020"),
    "resnet": row("1512.03385", "CVPR 2016"),
    "bert": row("1810.04805", "NAACL 2019"),
}


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run([*GIT, *args], cwd=cwd, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def write_list(path: Path, rows: list[str]) -> None:
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")


@pytest.fixture
def pull_request(tmp_path: Path) -> Path:
    """origin (bare) with main and a PR branch that changes 3 rows; main moves on after the PR
    branched; the PR is checked out the way actions/checkout does: one commit deep."""
    src = tmp_path / "src"
    src.mkdir()
    git(src, "init", "-q")
    papers = src / "papers.md"
    write_list(papers, list(ROWS.values()))
    git(src, "add", "papers.md")
    git(src, "commit", "-qm", "the list")
    git(src, "checkout", "-qb", "pr")
    rows = dict(ROWS)
    rows["lora"] = row("2106.0968", "ICLR 2022", PAPERS["2106.09685"][0])  # malformed
    rows["gpt3"] = row("2005.14165", "NeurIPS 2020", PAPERS["2006.11239"][0])  # another paper
    write_list(papers, [*rows.values(), row("1412.6980", "ICLR 2015")])  # a new row
    git(src, "commit", "-qam", "three rows")
    git(src, "checkout", "-q", "main")
    write_list(papers, [*list(ROWS.values())[:-1], row("1810.04805", "Naacl 2019")])
    git(src, "commit", "-qam", "main moves on: a row the PR did not touch")
    origin = tmp_path / "origin.git"
    git(tmp_path, "clone", "-q", "--bare", str(src), str(origin))
    work = tmp_path / "work"
    git(tmp_path, "clone", "-q", "--depth=1", "--branch", "pr", origin.as_uri(), str(work))
    assert git(work, "rev-parse", "--is-shallow-repository") == "true"
    return work


def action_env(tmp_path: Path, **inputs: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("INPUT_", "GITHUB_"))}
    env.update(
        GITHUB_ACTIONS="true",
        GITHUB_STEP_SUMMARY=str(tmp_path / "summary.md"),
        GITHUB_OUTPUT=str(tmp_path / "output.txt"),
        RUNNER_TEMP=str(tmp_path / "runner-temp"),
    )
    env.update({f"INPUT_{k.upper()}": v for k, v in inputs.items()})
    return env


def run_step(
    cwd: Path, env: dict[str, str], *argv: str, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """The action's step as the runner starts it: an isolated Python, in the workspace."""
    return subprocess.run(
        [sys.executable, "-I", "-m", "checker.ci_action", *argv],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout,
    )  # fmt: skip


def outputs(path: Path) -> dict[str, str]:
    return dict(line.split("=", 1) for line in path.read_text(encoding="utf-8").splitlines())


def test_pr_mode_checks_only_the_changed_rows(
    fake: FakeServices, pull_request: Path, tmp_path: Path
) -> None:
    fake.world.add(*(Paper(i, title, published=day) for i, (title, day) in PAPERS.items()))
    env = action_env(
        tmp_path, paths="papers.md", mode="pr", base="main", cache="false", args="--arxiv-delay 0"
    )
    done = subprocess.run(
        [sys.executable, "-m", "checker.ci_action"],
        cwd=pull_request, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 1, done.stdout + done.stderr

    # only the changed rows were asked about (the malformed ID is never sent)
    batches = [r.param("id_list") or "" for r in fake.requests_to("arxiv") if r.param("id_list")]
    asked = {i for batch in batches for i in batch.split(",")}
    assert asked == {"2005.14165", "1412.6980"}

    annotations = [line for line in done.stdout.splitlines() if line.startswith("::")]
    assert [a.split("::", 2)[1] for a in annotations] == [
        "error file=papers.md,line=6,col=76,title=paperlint arxiv-id-malformed",
        "error file=papers.md,line=7,col=3,title=paperlint title-mismatch",
    ]
    # the Neurips row (unchanged) and main's own change stay out of it
    assert "venue-format" not in done.stdout

    summary = (tmp_path / "summary.md").read_text(encoding="utf-8")
    assert summary.startswith("## paperlint report\n")
    assert "`papers.md:6`" in summary and "`papers.md:7`" in summary
    assert "venue-format" not in summary

    out = outputs(tmp_path / "output.txt")
    assert {k: out[k] for k in ("errors", "warnings", "unverified", "exit-code")} == {
        "errors": "2", "warnings": "0", "unverified": "0", "exit-code": "1",
    }  # fmt: skip
    report = json.loads(Path(out["json"]).read_text(encoding="utf-8"))
    assert sorted(f["rule"] for f in report["findings"]) == ["arxiv-id-malformed", "title-mismatch"]
    sarif = json.loads(Path(out["sarif"]).read_text(encoding="utf-8"))
    assert len(sarif["runs"][0]["results"]) == 2
    assert Path(out["markdown"]).read_text(encoding="utf-8").startswith("## paperlint report")


def test_inputs_are_split_never_evaluated(pull_request: Path, tmp_path: Path) -> None:
    env = action_env(
        tmp_path, paths="papers.md", mode="full", args='--ignore "$(touch pwned)" ; touch pwned2'
    )
    done = subprocess.run(
        [sys.executable, "-m", "checker.ci_action"],
        cwd=pull_request, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 2
    assert "--ignore '$(touch pwned)' ';' touch pwned2" in done.stdout  # words, as written
    assert done.stderr.startswith("paperlint: error: ")
    assert not list(pull_request.glob("pwned*"))
    assert outputs(tmp_path / "output.txt") == {"exit-code": "2"}


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        ({"mode": "weekly"}, "mode must be one of pr, full, nightly, not 'weekly'"),
        ({"fail-on": "info"}, "fail-on must be one of error, warning, never"),
        ({"cache": "yes"}, "cache must be true or false"),
        ({"mode": "pr"}, "pr mode needs a base branch or commit"),
        ({"mode": "pr", "base": "no-such-branch"}, "cannot fetch the base branch 'no-such-branch'"),
        ({"args": '--select "unclosed'}, "cannot split the paths or args input"),
        ({"fix-pr": "yes", "mode": "nightly"}, "fix-pr must be true or false, not 'yes'"),
        (
            {"fix-pr": "true", "mode": "full"},
            "fix-pr opens a pull request with the fixes of a nightly run: set mode: nightly",
        ),
        ({"fix-pr": "true"}, "set mode: nightly"),  # the default mode is not nightly
        (
            {"fix-pr": "true", "mode": "nightly", "fix-pr-branch": "--force"},
            "fix-pr-branch is not a branch name paperlint accepts: '--force'",
        ),
        ({"fix-pr": "true", "mode": "nightly", "fix-pr-branch": "a..b"}, "fix-pr-branch"),
    ],
)
def test_bad_inputs_are_one_line_and_exit_2(
    pull_request: Path, tmp_path: Path, inputs: dict[str, str], message: str
) -> None:
    env = action_env(tmp_path, **{k.replace("-", "_"): v for k, v in inputs.items()})
    done = subprocess.run(
        [sys.executable, "-m", "checker.ci_action"],
        cwd=pull_request, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and message in done.stderr, done.stderr


def test_arguments_per_mode() -> None:
    reports = Reports.in_folder("/r")
    nightly = Inputs(["a.md", "b c.md"], ["--timeout", "5"], "nightly", "", True, "", "lists")
    assert build_args(nightly, "/t/paperlint/job-step", reports, None) == [
        "check", "a.md", "b c.md", "--no-progress", "--nightly", "--issue",
        "--issue-label", "lists", "--cache", "/t/paperlint/job-step/cache/cache.sqlite3",
        "--report", "json=/r/paperlint.json", "--report", "sarif=/r/paperlint.sarif",
        "--report", "markdown=/r/paperlint.md", "--timeout", "5",
    ]  # fmt: skip
    pr = Inputs(["README.md"], [], "pr", "warning", False, "main", "lists")
    args = build_args(pr, "/t", reports, "abc123")
    assert args[:5] == ["check", "README.md", "--no-progress", "--changed-since", "abc123"]
    assert args[5:7] == ["--fail-on", "warning"]
    assert "--no-cache" in args and "--issue-label" not in args
    default = Inputs.from_env({"GITHUB_BASE_REF": "main"})
    assert (default.mode, default.base, default.paths) == ("pr", "main", ["README.md"])
    assert Inputs.from_env({}).mode == "full"
    assert Inputs.from_env({"INPUT_ISSUE_LABEL": " link rot "}).issue_label == "link rot"
    fixing = Inputs.from_env({"INPUT_MODE": "Nightly", "INPUT_FIX_PR": "TRUE"})
    assert (fixing.fix_pr, fixing.fix_pr_branch) == (True, "paperlint/fixes")
    args = build_args(fixing, "/t", reports, None)
    assert args[args.index("--fix") :][:4] == [
        "--fix", "--unsafe-fixes", "--fix-report", "/r/pull-request.md",
    ]  # fmt: skip
    assert args.index("--nightly") < args.index("--fix")
    assert "--fix" not in build_args(nightly, "/t", reports, None)  # fix-pr is false by default


def test_the_pull_request_takes_the_fixed_files_as_literal_paths(tmp_path: Path) -> None:
    """What the fixes changed, as git names it, and only that: for create-pull-request's
    add-paths, one literal pathspec a line (it splits on line breaks and commas)."""
    names = ["README.md", "[draft].md", "--x.md", "a,b.md", "docs/deep.md", "same.md"]
    git(tmp_path, "init", "-q")
    for name in names:
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("a\n", encoding="utf-8")
    (tmp_path / "other.md").write_text("a\n", encoding="utf-8")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "x")
    for name in [*names[:-1], "other.md"]:  # other.md changed too, but it is not checked
        (tmp_path / name).write_text("b\n", encoding="utf-8")
    given = ["README.md", "[draft].md", "./--x.md", "a,b.md", str(tmp_path / "docs/deep.md"),
             "same.md", "/elsewhere/list.md"]  # fmt: skip
    changed = changed_files(given, cwd=str(tmp_path))
    assert changed == ["--x.md", "README.md", "[draft].md", "a,b.md", "docs/deep.md"]
    paths, unfit = pull_request_paths([*changed, " spaced.md", "line\nbreak.md"])
    assert paths == [
        ":(literal)--x.md", ":(literal)README.md", ":(literal)[draft].md",
        ":(literal)docs/deep.md",
    ]  # fmt: skip
    assert unfit == ["a,b.md", " spaced.md", "line\nbreak.md"]
    with pytest.raises(ActionError, match="fix-pr: cannot tell what the fixes changed"):
        changed_files(["README.md"], cwd=str(tmp_path.parent))  # not a git checkout


@pytest.mark.parametrize(
    ("argv", "env", "message"),
    [
        (["link-pull-request"], {"PULL_REQUEST_NUMBER": "12; touch pwned"},
         "PULL_REQUEST_NUMBER must be a pull request's number, not '12; touch pwned'"),
        (["link-pull-request"], {"PULL_REQUEST_NUMBER": "12"},
         "GITHUB_REPOSITORY=owner/name is needed (set on GitHub Actions)"),
        (["link-pull-request"], {"PULL_REQUEST_NUMBER": "12", "GITHUB_REPOSITORY": "o/r"},
         "a token with issues: write is needed in GITHUB_TOKEN"),
        (["link-pull-request"], {"PULL_REQUEST_NUMBER": "12", "GITHUB_REPOSITORY": "o/r",
                                 "GITHUB_TOKEN": "t", "SSL_CERT_FILE": "/nonexistent/c.pem"},
         "SSL_CERT_FILE=/nonexistent/c.pem: cannot load certificates to check HTTPS with (No such"
         " file or directory); point it at a PEM file of certificates, or unset it"),
        (["unlink"], {}, "unknown arguments ['unlink'] (only link-pull-request)"),
    ],
)  # fmt: skip
def test_the_issue_step_refuses_what_it_cannot_use_in_one_line(
    argv: list[str], env: dict[str, str], message: str, tmp_path: Path
) -> None:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "PAPERLINT_"))}
    done = run_step(tmp_path, {**base, **env}, *argv)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith("paperlint action: error: ")
    assert done.stderr.endswith(f": {message}\n") and done.stderr.count("\n") == 1
    assert not list(tmp_path.iterdir())


def test_the_issue_label_reaches_the_nightly_issue(fake: FakeServices, tmp_path: Path) -> None:
    """mode nightly with issue-label: paperlint's issue carries that label, through the CLI."""
    fake.world.add(Page("/gone", status=404))
    work = tmp_path / "work"
    work.mkdir()
    (work / "links.md").write_text(f"# Links\n\n- [gone]({fake.web('/gone')})\n", "utf-8")
    env = action_env(
        tmp_path, paths="links.md", mode="nightly", issue_label="link rot",
        args="--confirm-after 1 --allow-private",
    )  # fmt: skip
    env.update(GITHUB_REPOSITORY="octo/papers", GITHUB_TOKEN="gh-test-token")
    done = run_step(work, env, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "--issue-label 'link rot'" in done.stdout
    (issue,) = issues_of(fake.world).labelled("link rot")
    assert issues_of(fake.world).labelled("paperlint") == []
    assert "gone" in issue.body


def test_each_step_has_its_own_folder() -> None:
    """Two paperlint steps in one job: action.yml names a slot per step (job and step id)."""
    first = step_folder({"RUNNER_TEMP": "/t", "PAPERLINT_SLOT": "lint-__OWNER_paperlint"})
    second = step_folder({"RUNNER_TEMP": "/t", "PAPERLINT_SLOT": "lint-__OWNER_paperlint_2"})
    assert first == "/t/paperlint/lint-__OWNER_paperlint" != second
    assert step_folder({"RUNNER_TEMP": "/t"}) == "/t/paperlint/default"
    with pytest.raises(ActionError, match="PAPERLINT_SLOT"):
        step_folder({"RUNNER_TEMP": "/t", "PAPERLINT_SLOT": "../../etc"})


# ---------------------------------------------------------------------------------------------
# paths: patterns, without a shell


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("README.md", "docs/a.md", "docs/b.md", "docs/deep/c.md", "docs/notes.txt",
                 ".github/hidden.md", "docs/.drafts/d.md", "[draft].md", "--output=NOTES.md",
                 "NOTES.md"):  # fmt: skip
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(HEADER, encoding="utf-8")
    (tmp_path / "docs" / "loop").symlink_to(tmp_path / "docs")  # never followed by **
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_paths_patterns_expand_without_a_shell(tree: Path) -> None:
    assert expand_paths(["docs/*.md"]) == ["docs/a.md", "docs/b.md"]
    assert expand_paths(["**/*.md"]) == [
        "./--output=NOTES.md", "NOTES.md", "README.md", "[draft].md", "docs/a.md", "docs/b.md",
        "docs/deep/c.md",
    ]  # fmt: skip
    assert expand_paths([".github/*.md", "docs/.*/*.md"]) == [
        ".github/hidden.md", "docs/.drafts/d.md",
    ]  # fmt: skip
    # a path that exists is taken literally; each file once, in the order given
    assert expand_paths(["[draft].md", "README.md", "*.md"]) == [
        "[draft].md", "README.md", "./--output=NOTES.md", "NOTES.md",
    ]  # fmt: skip
    assert expand_paths(["missing.md"]) == ["missing.md"]  # paperlint says it is missing
    assert expand_paths([str(tree / "docs" / "*.md")]) == [
        str(tree / "docs" / "a.md"), str(tree / "docs" / "b.md"),
    ]  # fmt: skip
    with pytest.raises(ActionError, match=r"no file matches 'nothing/\*\.md'"):
        expand_paths(["README.md", "nothing/*.md"])


def test_a_pattern_that_matches_nothing_exits_2(tree: Path, tmp_path: Path) -> None:
    env = action_env(tmp_path, paths="README.md docs/*.rst", cache="false", args="--offline")
    done = run_step(tree, env)
    assert done.returncode == 2
    assert done.stderr == "paperlint action: error: paths: no file matches 'docs/*.rst'\n"
    assert outputs(tmp_path / "output.txt") == {"exit-code": "2"}


def test_a_pattern_never_turns_a_file_name_into_an_option(tree: Path, tmp_path: Path) -> None:
    env = action_env(tmp_path, paths="*.md", cache="false", args="--offline")
    done = run_step(tree, env)
    assert done.returncode == 0, done.stderr
    assert (tree / "NOTES.md").read_text(encoding="utf-8") == HEADER  # not a report
    assert "paperlint check ./--output=NOTES.md NOTES.md README.md '[draft].md' " in done.stdout
    assert outputs(tmp_path / "output.txt")["exit-code"] == "0"


def test_a_file_name_never_becomes_a_workflow_command_in_the_log(
    tree: Path, tmp_path: Path
) -> None:
    """A pull request adds `a<LF>::error title=pwned::hello<LF>.md`, which `**/*.md` matches: the
    command line the step echoes is one line, the name's breaks escaped, so GitHub reads no
    `::error` (nor `::stop-commands::`, `::add-mask::`) from it."""
    (tree / "a\n::error title=pwned::hello\n.md").write_text(HEADER, encoding="utf-8")
    env = action_env(tmp_path, paths="*.md", cache="false", args="--offline")
    done = run_step(tree, env)
    assert done.returncode == 0, done.stderr
    log = done.stdout.splitlines() + done.stderr.splitlines()
    assert not [line for line in log if line.lstrip().startswith("::error title=pwned")], log
    (echoed,) = [line for line in done.stdout.splitlines() if line.startswith("paperlint check")]
    assert "'a\\n::error title=pwned::hello\\n.md'" in echoed


def test_the_step_never_imports_the_workspace(pull_request: Path, tmp_path: Path) -> None:
    """The list repository's own `checker/` package: neither the step nor the paperlint it
    starts imports it (the whole action is run this way in tests/test_action_steps.py)."""
    marker = tmp_path / "ran"
    (pull_request / "checker").mkdir()
    (pull_request / "checker" / "__init__.py").write_text(
        f"import pathlib\npathlib.Path({str(marker)!r}).write_text('ran')\n", encoding="utf-8"
    )
    env = action_env(tmp_path, paths="papers.md", mode="full", cache="false", args="--offline")
    done = run_step(pull_request, env)
    assert done.returncode == 1, done.stderr  # the malformed ID of the pull request
    assert outputs(tmp_path / "output.txt")["errors"] == "1"
    assert not marker.exists()
