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


def changed_lines(path: str, ref: str) -> set[int]:
    """1-based lines of the working file that are new or changed since REF."""
    try:
        folder = Path(path).resolve().parent
    except (OSError, RuntimeError):  # a symlink loop (RuntimeError before Python 3.13)
        folder = Path(os.path.abspath(path)).parent
    try:
        done = subprocess.run(
            [
                "git",
                "diff",
                "--no-color",
                "--no-ext-diff",
                "-U0",
                "--end-of-options",
                ref,
                "--",
                Path(path).name,
            ],
            cwd=folder,
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ChangesError(f"--changed-since: cannot run git: {exc}") from None
    if done.returncode != 0:
        raise ChangesError(f"--changed-since {ref}: {_reason(done.stderr, folder)}")
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
