"""Apply the safe fixes that findings offer: exactly what was reported, written atomically."""

from __future__ import annotations

import difflib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from checker.model import Finding, Fix


def _line_offsets(text: str) -> list[int]:
    offsets = [0]
    for i, ch in enumerate(text):
        if ch == "\n":
            offsets.append(i + 1)
    return offsets


def apply_fixes(text: str, fixes: Iterable[Fix]) -> tuple[str, int]:
    """Return the fixed text and how many fixes applied; overlapping fixes are skipped."""
    newline = "\r\n" if "\r\n" in text else "\n"
    offsets = _line_offsets(text)
    spans: list[tuple[int, int, str]] = []
    # precise fixes first: a title fix that also joins a split row beats the plain join
    for fix in sorted(set(fixes), key=lambda f: (f.line, f.column is None, f.column or 0, f.old)):
        old = fix.old.replace("\n", newline)
        new = fix.new.replace("\n", newline)
        if not 1 <= fix.line <= len(offsets):
            continue
        start = offsets[fix.line - 1]
        line_end = text.find("\n", start)
        limit = len(text) if line_end < 0 else line_end + 1
        if fix.column is not None:
            # exactly where the finding points, or not at all: never a look-alike nearby
            at = start + fix.column - 1
            if at >= limit or not text.startswith(old, at):
                continue
        else:
            at = text.find(old, start)
            if at < 0 or at >= limit:
                continue
        if any(at < e and s < at + len(old) for s, e, _ in spans):
            continue
        spans.append((at, at + len(old), new))
    for start, end, new in sorted(spans, reverse=True):
        text = text[:start] + new + text[end:]
    return text, len(spans)


def fixes_by_file(findings: Iterable[Finding]) -> dict[str, list[Fix]]:
    out: dict[str, list[Fix]] = {}
    for f in findings:
        if f.fix is not None:
            out.setdefault(f.file, []).append(f.fix)
    return out


def unified_diff(path: str, before: str, after: str) -> str:
    return "".join(
        difflib.unified_diff(
            before.splitlines(keepends=True),
            after.splitlines(keepends=True),
            fromfile=f"a/{path}",
            tofile=f"b/{path}",
        )
    )


def write_atomically(path: str, text: str) -> None:
    """Write beside the file, then rename over it: a crash leaves the old file or the new one."""
    target = Path(path)
    mode = target.stat().st_mode & 0o7777
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
