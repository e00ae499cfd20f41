"""Issue 8's "done when", through the command: over generated tables (generated_lists.py),
`paperlint check --fix` / `--diff` — argument parsing to exit status, `checker.cli.main` in
process (the same code path as the installed command, without an interpreter start per call) —

- exits as a fresh check of the file it wrote exits, and reports what that check reports;
- a second `--fix` changes nothing and says nothing;
- every `fix.old` in the JSON report sits at its `line:column` (1-based, in code points; a
  fix without a column starts at its finding's column), in the file the report describes;
- SARIF places each of those fixes at the same spot;
- `--diff` applies with `git apply` and with `patch -p1`, and gives the bytes `--fix` writes.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from generated_lists import documents
from hypothesis import HealthCheck, given, settings

from checker.cli import main

_BREAK = re.compile(r"\r\n|\r|\n")


def run(folder: Path, *args: str) -> tuple[int, str, str]:
    """`paperlint check --offline ARGS` in `folder`: exit status, stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.chdir(folder), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["check", "--offline", "--no-progress", *args])
    return code, out.getvalue(), err.getvalue()


def report_of(folder: Path, *args: str) -> tuple[int, dict[str, Any]]:
    code, out, err = run(folder, "--format", "json", *args)
    assert "Traceback" not in err
    return code, json.loads(out)


def without_time(report: dict[str, Any]) -> dict[str, Any]:
    summary = {k: v for k, v in report["summary"].items() if k != "duration_s"}
    return {**report, "summary": summary}


def at(text: str, line: int, column: int, old: str) -> bool:
    """Does `old` (whose line breaks stand for any break) start at line:column of `text`?"""
    starts = [0, *(m.end() for m in _BREAK.finditer(text))]
    if not 1 <= line <= len(starts):
        return False
    pattern = "(?:\r\n|\r|\n)".join(re.escape(part) for part in _BREAK.split(old))
    return re.compile(pattern).match(text, starts[line - 1] + column - 1) is not None


def assert_fixes_sit_where_they_say(report: dict[str, Any], text: str) -> None:
    for f in report["findings"]:
        fix = f.get("fix")
        if fix is not None:
            column = fix.get("column", f["column"])
            assert at(text, fix["line"], column, fix["old"]), (f, text)


def sarif_starts(path: Path) -> list[tuple[int, int]]:
    log = json.loads(path.read_text(encoding="utf-8"))
    return sorted(
        (r["deletedRegion"]["startLine"], r["deletedRegion"]["startColumn"])
        for result in log["runs"][0]["results"]
        for fix in result.get("fixes", [])
        for change in fix["artifactChanges"]
        for r in change["replacements"]
    )


def text_of(path: Path) -> str:
    return path.read_bytes().decode("utf-8").removeprefix("\ufeff")


def applies(tool: list[str], folder: Path, data: bytes, diff: str) -> bytes:
    folder.mkdir()
    (folder / "list.md").write_bytes(data)
    (folder / "fix.diff").write_bytes(diff.encode("utf-8"))
    done = subprocess.run(
        [*tool, str(folder / "fix.diff")], cwd=folder, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, (tool, done.stdout, done.stderr, diff)
    return (folder / "list.md").read_bytes()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_fix_and_diff_through_the_command_tell_the_truth(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as name:
        root = Path(name)
        fixed, diffed = root / "fixed", root / "diffed"
        for folder in (fixed, diffed):
            folder.mkdir()
            (folder / ".paperlint.toml").write_text("", encoding="utf-8")  # no search upward
            (folder / "list.md").write_bytes(data)

        # --diff: the file and its report stay as they are; every fix is where it says
        code, out, err = run(
            diffed, "--diff", "--report", "json=r.json", "--report", "sarif=r.sarif", "list.md"
        )
        assert (diffed / "list.md").read_bytes() == data and err == ""
        before = json.loads((diffed / "r.json").read_text(encoding="utf-8"))
        fresh_code, fresh = report_of(diffed, "list.md")
        assert (code, without_time(before)) == (fresh_code, without_time(fresh))
        assert_fixes_sit_where_they_say(before, text_of(diffed / "list.md"))
        offered = sorted(
            (f["fix"]["line"], f["fix"].get("column", f["column"]))
            for f in before["findings"]
            if "fix" in f
        )
        assert sarif_starts(diffed / "r.sarif") == offered

        # --fix: reports and exits as a fresh check of what it wrote
        code, report = report_of(fixed, "--fix", "list.md")
        written = (fixed / "list.md").read_bytes()
        fresh_code, fresh = report_of(fixed, "list.md")
        assert (code, without_time(report)) == (fresh_code, without_time(fresh))
        assert_fixes_sit_where_they_say(report, text_of(fixed / "list.md"))

        # a second --fix changes nothing and says nothing
        again, _, said = run(fixed, "--fix", "--format", "json", "list.md")
        assert (again, said) == (code, "")
        assert (fixed / "list.md").read_bytes() == written

        # the diff turns the file into what --fix wrote, with git and with patch
        if written == data:
            assert out == ""
            return
        assert applies(["git", "apply"], root / "git", data, out) == written
        assert applies(["patch", "-s", "-p1", "-i"], root / "patch", data, out) == written
