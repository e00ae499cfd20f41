"""`--changed-since REF`: which lines of a file differ from a git revision (for pull requests)."""

from __future__ import annotations

import dataclasses
import os
import re
import subprocess
from pathlib import Path

from checker.config import ConfigError
from checker.model import Document

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@", re.M)


class ChangesError(ConfigError):
    """git could not tell what changed."""


# Every git command runs this way. A list repository can commit a folder that looks like a bare
# repository (HEAD, objects/, refs/, a config of its own naming a diff or fsmonitor command): git,
# started in or below it, would take it for the repository and run what its config says. Outside
# the explicit `--git-dir`, `safe.bareRepository=explicit` makes git refuse such a folder (git
# 2.38 and later; a `-c` setting is one a repository cannot override), `in_checkout` refuses it
# for older git (no `.git` at the top it finds), and git then runs from the top of the checkout
# itself, where the checkout's own `.git` is found first.
GIT = ("git", "-c", "safe.bareRepository=explicit")


def in_checkout(path: str) -> tuple[Path, str]:
    """The top folder of the git checkout that holds the file `path` names (a symlink followed:
    the file it points to is the one that changes), and the file's path from there. ChangesError
    when git finds no checkout there, or finds a repository that is not one: a folder that only
    holds a repository's files, committed into the list repository, is never used."""
    try:
        real = Path(path).resolve()
    except (OSError, RuntimeError):  # a symlink loop (RuntimeError before Python 3.13)
        real = Path(os.path.abspath(path))
    folder = real.parent
    done = git_in(folder, "rev-parse", "--show-toplevel")
    if done.returncode != 0:
        raise ChangesError(_reason(done.stderr, folder))
    top = Path(done.stdout.rstrip("\n")).resolve()
    if not (top / ".git").exists() and "GIT_DIR" not in os.environ:
        # older git: a committed folder posing as a repository (a user's own GIT_DIR is theirs)
        raise ChangesError(f"{folder} is in a folder that only holds a repository's files")
    try:
        return top, real.relative_to(top).as_posix()
    except ValueError:
        raise ChangesError(f"{folder} is not inside the checkout {top}") from None


def git_in(folder: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """git run in `folder` (see GIT), its output read as text (a name that is not UTF-8 kept as
    its bytes); ChangesError when git cannot be run."""
    try:
        return subprocess.run(
            [*GIT, *args],
            cwd=folder,
            capture_output=True,
            text=True,
            errors="surrogateescape",
            check=False,
            timeout=timeout,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ChangesError(f"cannot run git: {exc}") from None


def literal(path: str) -> str:
    """A path for git to match as written: `[draft].md` is that file, not a pattern of names."""
    return f":(literal){path}"


def changed_lines(path: str, ref: str) -> set[int]:
    """1-based lines of the working file that are new or changed since REF."""
    try:
        top, inside = in_checkout(path)
        args = ["diff", "--no-color", "--no-ext-diff", "--no-textconv", "-U0"]
        done = git_in(top, *args, "--end-of-options", ref, "--", literal(inside))
    except ChangesError as exc:
        raise ChangesError(f"--changed-since {ref}: {exc}") from None
    if done.returncode != 0:
        raise ChangesError(f"--changed-since {ref}: {_reason(done.stderr, top)}")
    lines: set[int] = set()
    for m in _HUNK.finditer(done.stdout):
        start, count = int(m.group(1)), int(m.group(2) or 1)
        lines.update(range(start, start + count))
    return lines


def _reason(stderr: str, folder: Path) -> str:
    """git's own complaint in one line: its fatal/error line, never the usage text it prints
    (outside a repository `git diff` falls back to --no-index and prints its whole usage)."""
    if "not a git repository" in stderr.lower():
        return f"{folder} is not inside a git repository"
    if "cannot use bare repository" in stderr:  # safe.bareRepository: see GIT
        return f"{folder} is in a folder that only holds a repository's files"
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    for line in lines:
        for prefix in ("fatal:", "error:"):
            if line.startswith(prefix):
                return line.removeprefix(prefix).strip()
    return lines[0] if lines else "git diff failed"


def restrict(doc: Document, lines: set[int]) -> Document:
    """The entries (and their links) that touch a changed line; links on changed lines too."""
    entries = tuple(
        e for e in doc.entries if any(n in lines for n in range(e.line, e.end_line + 1))
    )
    kept = {lk for e in entries for lk in e.links}
    links = tuple(lk for lk in doc.links if lk in kept or lk.line in lines)
    return dataclasses.replace(doc, entries=entries, links=links)


def touched(doc: Document, lines: set[int]) -> set[int]:
    """Changed lines widened to whole entries, so a finding on any line of an entry counts."""
    out = set(lines)
    for e in doc.entries:
        if any(n in lines for n in range(e.line, e.end_line + 1)):
            out.update(range(e.line, e.end_line + 1))
    return out
