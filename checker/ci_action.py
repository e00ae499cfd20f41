"""The step of `action.yml`: the action's inputs → paperlint's arguments → one run → outputs.

    python -I -m checker.ci_action       # with INPUT_PATHS, INPUT_MODE, ... in the environment

It holds no checking logic: everything it does, `paperlint check` can be told on the command
line. What it adds is the glue a workflow would otherwise write in shell: inputs read from the
environment (never interpolated into a shell line), `args` split like a shell would split them
(shlex, never evaluated), `paths` patterns expanded without a shell, the pull request's merge
base found in Actions' shallow checkout (fetching only what it needs), and the counts and report
paths written to `$GITHUB_OUTPUT`.

With `fix-pr` (nightly only) the run also applies the fixes of confirmed findings (`--fix
--unsafe-fixes`: both kinds, of confirmed findings only) and writes the pull request's body
(`--fix-report`); the step then names the files git sees changed, for action.yml's next step
(peter-evans/create-pull-request) to commit. `python -m checker.ci_action link-pull-request`
is the step after that: it names the pull request in the nightly issue.

It runs in the list repository's working folder, which a pull request controls: every Python it
starts is isolated (`-I`), so a `checker/` package (or any other) in that folder is never imported.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from fnmatch import fnmatchcase
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

from checker.changes import GIT, ChangesError, git_in, literal
from checker.cli import (
    FAIL_ON,  # the --fail-on choices: the input takes the same words
    NEVER_FAILS,  # an outage: counted in `unverified` only
    say,  # every stderr line escaped
)
from checker.sources import inert, printable

if TYPE_CHECKING:
    from checker.issue import IssueSettings

MODES = ("pr", "full", "nightly")
DEEPEN = (10, 100, 1000)  # commits fetched at a time while looking for the merge base
SLOT = re.compile(r"[A-Za-z0-9_-]{1,200}")  # action.yml's prepare step makes it so
GLOB_CHARACTERS = frozenset("*?[")
# a branch name git and the pull request action both take as it is: no `..`, `//`, `@{`, no
# leading `-` or `/`, no trailing `/`, `.` or `.lock`
BRANCH = re.compile(r"(?!-|/)(?!.*(?:\.\.|//))[A-Za-z0-9._/-]{1,100}(?<![/.])(?<!\.lock)")
LINK_PULL_REQUEST = "link-pull-request"  # the argument of action.yml's last step


class ActionError(Exception):
    """Bad inputs or a git failure: one line, exit 2."""


@dataclass(frozen=True)
class Inputs:
    paths: list[str]
    args: list[str]
    mode: str
    fail_on: str
    cache: bool
    base: str
    issue_label: str = ""
    fix_pr: bool = False
    fix_pr_branch: str = "paperlint/fixes"

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Inputs:
        def get(name: str) -> str:
            return env.get(f"INPUT_{name}", "").strip()

        try:
            paths = shlex.split(get("PATHS")) or ["README.md"]
            args = shlex.split(get("ARGS"))
        except ValueError as exc:
            raise ActionError(f"cannot split the paths or args input: {exc}") from None
        base = get("BASE")
        mode = get("MODE").lower() or ("pr" if base or env.get("GITHUB_BASE_REF") else "full")
        if mode not in MODES:
            raise ActionError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
        fail_on = get("FAIL_ON").lower()
        if fail_on and fail_on not in FAIL_ON:
            raise ActionError(f"fail-on must be one of {', '.join(FAIL_ON)}, not {fail_on!r}")
        cache = get("CACHE").lower() or "true"
        if cache not in ("true", "false"):
            raise ActionError(f"cache must be true or false, not {cache!r}")
        base = base or env.get("GITHUB_BASE_REF", "")
        fix_pr = get("FIX_PR").lower() or "false"
        if fix_pr not in ("true", "false"):
            raise ActionError(f"fix-pr must be true or false, not {fix_pr!r}")
        if fix_pr == "true" and mode != "nightly":
            raise ActionError(
                "fix-pr opens a pull request with the fixes of a nightly run: set mode: nightly"
            )
        branch = get("FIX_PR_BRANCH") or "paperlint/fixes"
        if not BRANCH.fullmatch(branch):
            raise ActionError(f"fix-pr-branch is not a branch name paperlint accepts: {branch!r}")
        label, fixes = get("ISSUE_LABEL"), fix_pr == "true"
        return cls(paths, args, mode, fail_on, cache == "true", base, label, fixes, branch)


# ---------------------------------------------------------------------------------------------
# paths: patterns expanded without a shell


def _is_pattern(word: str) -> bool:
    return not GLOB_CHARACTERS.isdisjoint(word)


def expand_paths(words: Iterable[str]) -> list[str]:
    """The `paths` input as files, in order, each once. A word that names an existing path is
    taken as written (a file may be called `[draft].md`); a word with `*`, `?` or `[` is a
    pattern (`**` spans folders) that must match at least one file; any other word is passed on
    for paperlint to report. A name starting with `-` gets a `./`: a pull request can add a
    file called `--output=README.md`, and a pattern must not turn it into an option."""
    paths: dict[str, None] = {}
    for word in words:
        if os.path.lexists(word) or not _is_pattern(word):
            found = [word]
        else:
            found = _matching(word)
            if not found:
                raise ActionError(f"paths: no file matches {word!r}")
        paths.update(dict.fromkeys(f"./{p}" if p.startswith("-") else p for p in found))
    return list(paths)


def _matching(pattern: str) -> list[str]:
    """Files matching `pattern`, sorted. pathlib walks the folders once and never follows a
    symbolic link into a folder (no loops); names starting with a dot are left out unless the
    pattern spells a dot there, as a shell would."""
    parts = PurePath(pattern).parts
    fixed = next(i for i, part in enumerate(parts) if _is_pattern(part))
    anchor = Path(*parts[:fixed]) if fixed else Path()
    wanted = parts[fixed:]
    dotted = [part for part in wanted if part.startswith(".")]
    try:
        candidates = list(anchor.glob("/".join(wanted)))
    except (ValueError, OSError) as exc:
        raise ActionError(f"paths: cannot expand {pattern!r}: {exc}") from None
    found = []
    for path in candidates:
        hidden = [p for p in path.relative_to(anchor).parts if p.startswith(".")]
        if all(any(fnmatchcase(h, d) for d in dotted) for h in hidden) and path.is_file():
            found.append(str(path))
    return sorted(found)


# ---------------------------------------------------------------------------------------------
# git: the merge base in a shallow checkout


def _git(*args: str, cwd: str | None = None) -> subprocess.CompletedProcess[str]:
    """git in the workspace, the checkout's top (changes.git_in); a git that cannot be run is
    one line, exit 2."""
    try:
        return git_in(Path(cwd or os.curdir), *args, timeout=300)
    except ChangesError as exc:
        raise ActionError(f"pr mode: {exc}") from None


def _commit(ref: str, cwd: str | None) -> str | None:
    done = _git(
        "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}", cwd=cwd
    )
    return done.stdout.strip() if done.returncode == 0 else None


def merge_base(base: str, cwd: str | None = None) -> str:
    """The commit the pull request branched from, fetching the base branch and deepening the
    history only as far as needed (Actions checks out one commit by default)."""
    if not base or base.startswith("-"):
        raise ActionError(
            "pr mode needs a base branch or commit (the base input or GITHUB_BASE_REF)"
        )
    head = _commit("HEAD", cwd)
    if head is None:
        raise ActionError("pr mode needs a git checkout (actions/checkout) in the working folder")
    remote_ref = f"refs/remotes/origin/{base}"
    spec = f"+refs/heads/{base}:{remote_ref}"
    target = _commit(base, cwd) or _commit(remote_ref, cwd)
    if target is None:
        done = _git("fetch", "--no-tags", "--quiet", "--depth=1", "origin", spec, cwd=cwd)
        target = _commit(remote_ref, cwd)
        if target is None:
            why = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "not found"
            raise ActionError(f"cannot fetch the base branch {base!r}: {why}")
    for depth in (*DEEPEN, 0):
        found = _git("merge-base", target, head, cwd=cwd)
        if found.returncode == 0:
            return found.stdout.strip()
        shallow = _git("rev-parse", "--is-shallow-repository", cwd=cwd).stdout.strip() == "true"
        if not shallow:
            break
        wants = [spec, head] if _commit(remote_ref, cwd) else [target, head]
        how = f"--deepen={depth}" if depth else "--unshallow"
        _git("fetch", "--no-tags", "--quiet", how, "origin", *wants, cwd=cwd)
    raise ActionError(f"no common history between {base!r} and HEAD")


# ---------------------------------------------------------------------------------------------
# arguments, the run, outputs


def step_folder(env: Mapping[str, str]) -> str:
    """This step's own folder for reports and cache. Two paperlint steps in one job get two
    slots (action.yml's prepare step names them after `$GITHUB_JOB` and `$GITHUB_ACTION`, the
    step's id), so they never share report files or a cache."""
    slot = env.get("PAPERLINT_SLOT", "").strip() or "default"
    if not SLOT.fullmatch(slot):
        raise ActionError(f"PAPERLINT_SLOT must be letters, digits, - and _, not {slot!r}")
    return os.path.join(env.get("RUNNER_TEMP") or tempfile.gettempdir(), "paperlint", slot)


@dataclass(frozen=True)
class Reports:
    json: str
    sarif: str
    markdown: str
    pull_request: str  # with fix-pr: the fixes applied, the pull request's body

    @classmethod
    def in_folder(cls, folder: str) -> Reports:
        names = ("paperlint.json", "paperlint.sarif", "paperlint.md", "pull-request.md")
        return cls(*(os.path.join(folder, name) for name in names))


def build_args(inputs: Inputs, folder: str, reports: Reports, base_commit: str | None) -> list[str]:
    args = ["check", *inputs.paths, "--no-progress"]
    if inputs.mode == "pr" and base_commit:
        args += ["--changed-since", base_commit]
    if inputs.mode == "nightly":
        args += ["--nightly", "--issue"]
        if inputs.issue_label:  # the issue's label: nothing to label in the other modes
            args += ["--issue-label", inputs.issue_label]
    if inputs.fail_on:
        args += ["--fail-on", inputs.fail_on]
    if inputs.cache:  # the folder action.yml saves and restores with actions/cache
        args += ["--cache", os.path.join(folder, "cache", "cache.sqlite3")]
    else:
        args += ["--no-cache"]
    args += ["--report", f"json={reports.json}", "--report", f"sarif={reports.sarif}"]
    args += ["--report", f"markdown={reports.markdown}"]
    if inputs.fix_pr:  # both kinds of fix, of confirmed findings only (--nightly sees to that)
        args += ["--fix", "--unsafe-fixes", "--fix-report", reports.pull_request]
    return [*args, *inputs.args]  # the user's arguments last: they win


def write_outputs(path: str, values: Mapping[str, str]) -> None:
    with open(path, "a", encoding="utf-8") as handle:
        for name, value in values.items():
            if "\n" in value or "\r" in value:
                mark = f"ghadelimiter_{uuid.uuid4()}"
                handle.write(f"{name}<<{mark}\n{value}\n{mark}\n")
            else:
                handle.write(f"{name}={value}\n")


def changed_files(paths: Iterable[str], cwd: str | None = None) -> list[str]:
    """The files among `paths` that differ from the checkout's HEAD — what `--fix` wrote —
    named as git names them from the working folder (where the pull request action adds them).
    A file outside the working folder cannot be committed there: left out."""
    here = os.path.abspath(cwd or os.curdir)
    inside = [p for p in paths if not os.path.relpath(os.path.join(here, p), here).startswith("..")]
    if not inside:
        return []
    done = subprocess.run(
        [*GIT, "diff", "--name-only", "-z", "--relative", "HEAD", "--", *map(literal, inside)],
        cwd=cwd, capture_output=True, check=False, timeout=300,
    )  # fmt: skip
    if done.returncode != 0:
        why = os.fsdecode(done.stderr).strip().splitlines() or ["not a git checkout"]
        raise ActionError(f"fix-pr: cannot tell what the fixes changed: {why[-1]}")
    return sorted(os.fsdecode(name) for name in done.stdout.split(b"\0") if name)


def pull_request_paths(names: Iterable[str]) -> tuple[list[str], list[str]]:
    """`add-paths` for the pull request action (one literal pathspec a line; it splits on line
    breaks and commas and trims spaces), and the names it cannot carry."""
    good: list[str] = []
    bad: list[str] = []
    for name in names:
        unfit = any(c in name for c in "\n\r,") or name != name.strip()
        (bad if unfit else good).append(name if unfit else f":(literal){name}")
    return good, bad


def outputs_of(reports: Reports, code: int) -> dict[str, str]:
    """The step's outputs. `errors`, `warnings` and `infos` count findings about the list, what
    `fail-on` counts: an outage upstream (`service-unavailable`) is in `unverified` alone, so a
    workflow that gates on `warnings` never turns red because a service was down."""
    values = {"exit-code": str(code)}
    try:
        data = json.loads(Path(reports.json).read_text(encoding="utf-8"))
        summary, findings = data["summary"], data["findings"]
        not_about_the_list = [f["severity"] for f in findings if f["rule"] in NEVER_FAILS]
    except (OSError, ValueError, KeyError, TypeError):
        return values  # the run could not be done: no counts to give
    for key in ("errors", "warnings", "infos"):
        counted = int(summary.get(key, 0)) - not_about_the_list.count(key[:-1])
        values[key] = str(max(counted, 0))
    values["unverified"] = str(summary.get("unverified", 0))
    for name, path in (
        ("json", reports.json),
        ("sarif", reports.sarif),
        ("markdown", reports.markdown),
    ):
        if os.path.exists(path):
            values[name] = path
    return values


def main(env: Mapping[str, str] | None = None) -> int:
    env = dict(os.environ) if env is None else dict(env)
    try:
        inputs = Inputs.from_env(env)
        folder = step_folder(env)
        inputs = replace(inputs, paths=expand_paths(inputs.paths))
        base_commit = merge_base(inputs.base) if inputs.mode == "pr" else None
    except ActionError as exc:
        say(f"paperlint action: error: {exc}")
        if env.get("GITHUB_OUTPUT"):
            write_outputs(env["GITHUB_OUTPUT"], {"exit-code": "2"})
        return 2
    os.makedirs(os.path.join(folder, "reports"), exist_ok=True)
    reports = Reports.in_folder(os.path.join(folder, "reports"))
    for path in (reports.json, reports.sarif, reports.markdown, reports.pull_request):
        Path(path).unlink(missing_ok=True)  # never report an earlier run's counts
    args = build_args(inputs, folder, reports, base_commit)
    # a pull request names the files: one line, escaped
    print(inert(printable("paperlint " + shlex.join(args))), flush=True)
    # -I: isolated, so the working folder (the list repository) is not on the import path
    command = [sys.executable, "-I", "-m", "checker", *args]
    code = subprocess.run(command, env=env, check=False).returncode
    values = outputs_of(reports, code)
    if inputs.fix_pr:
        try:
            values.update(_fixed(inputs, reports))
        except ActionError as exc:
            say(f"paperlint action: error: {exc}")
            code = 2
            values["exit-code"] = "2"
    if env.get("GITHUB_OUTPUT"):
        write_outputs(env["GITHUB_OUTPUT"], values)
    return code


def _fixed(inputs: Inputs, reports: Reports) -> dict[str, str]:
    """For the pull request step: the files to commit and the body, when the fixes changed a
    file (and the body was written); nothing otherwise, and the step does not run."""
    paths, unfit = pull_request_paths(changed_files(inputs.paths))
    for name in unfit:
        say(
            f"paperlint action: warning: {name}: fixed, but left out of the pull request: "
            "the pull request action cannot take a name with a comma, a line break or spaces "
            "at either end"
        )
    if not paths or not os.path.exists(reports.pull_request):
        return {}
    return {"fixed-files": "\n".join(paths), "pull-request-body": reports.pull_request}


def link_pull_request(env: Mapping[str, str]) -> int:
    """action.yml's step after the pull request: name it in paperlint's nightly issue (found as
    `--issue` finds it: only an issue that carries paperlint's marker is ever edited)."""
    from checker import issue
    from checker.config import ConfigError

    try:
        settings, number = _link_settings(env)
        outcome = issue.call(settings, lambda service: issue.link_pull_request(service, number))
    except (ActionError, ConfigError, issue.IssueError) as exc:
        say(f"paperlint action: error: cannot name the pull request in the nightly issue: {exc}")
        return 2
    if outcome.action == "linked":
        print(f"paperlint: issue #{outcome.number} names pull request #{number}")
    else:
        print(f"paperlint: no nightly issue reports these fixes (pull request #{number})")
    return 0


def _link_settings(env: Mapping[str, str]) -> tuple[IssueSettings, int]:
    from checker.config import Endpoints
    from checker.issue import IssueSettings

    number = env.get("PULL_REQUEST_NUMBER", "").strip()
    if not (number.isascii() and number.isdigit() and 0 < len(number) <= 12):
        raise ActionError(f"PULL_REQUEST_NUMBER must be a pull request's number, not {number!r}")
    repository = env.get("GITHUB_REPOSITORY", "")
    if repository.count("/") != 1 or not all(repository.split("/")):
        raise ActionError("GITHUB_REPOSITORY=owner/name is needed (set on GitHub Actions)")
    endpoints = Endpoints.from_env(dict(env))
    if not endpoints.github_token:
        raise ActionError("a token with issues: write is needed in GITHUB_TOKEN")
    label = env.get("INPUT_ISSUE_LABEL", "").strip() or "paperlint"
    settings = IssueSettings(endpoints.github, endpoints.github_token, repository, label=label)
    return settings, int(number)


def run(argv: list[str]) -> int:
    if not argv:
        return main()
    if argv == [LINK_PULL_REQUEST]:
        return link_pull_request(os.environ)
    say(f"paperlint action: error: unknown arguments {argv!r} (only {LINK_PULL_REQUEST})")
    return 2


if __name__ == "__main__":
    raise SystemExit(run(sys.argv[1:]))
