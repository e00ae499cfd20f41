"""`--fix` and `--diff` through the command: the report, the summary and the exit status after
`--fix` are those of the file as written (a fresh check of it agrees); a file that cannot be fixed
is one line, exit 2, left as it was, and the other files are still fixed."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from checker import engine
from checker.cli import main
from checker.config import Options

HEAD = "# Papers\n\n| Title | Venue | Code |\n|---|---|---|\n"
# a split row that also holds a venue to fix: the two fixes overlap, so they take two passes
SPLIT_WITH_VENUE = (
    "| Linformer: Self-Attention\n"
    " with Linear Complexity | Neurips 2020 | [2006.04768](https://arxiv.org/abs/2006.04768) |\n"
)
JOINED = (
    "| Linformer: Self-Attention with Linear Complexity | NeurIPS 2020 "
    "| [2006.04768](https://arxiv.org/abs/2006.04768) |\n"
)
ROW = "| Reformer | iclr 2020 | [2001.04451](https://arxiv.org/abs/2001.04451) |\n"
MALFORMED = "| Broken | ICML 2021 | [x](https://arxiv.org/abs/2113.01234) |\n"


@pytest.fixture(autouse=True)
def _plain_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)


def check(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any], str]:
    """`paperlint check --offline --format json ARGS`, in process: exit status, report, stderr."""
    code = main(["check", "--offline", "--format", "json", *args])
    out, err = capsys.readouterr()
    return code, json.loads(out) if out else {}, err


def same_report(a: dict[str, Any], b: dict[str, Any]) -> bool:
    def without_time(report: dict[str, Any]) -> dict[str, Any]:
        summary = {k: v for k, v in report["summary"].items() if k != "duration_s"}
        return {**report, "summary": summary}

    return without_time(a) == without_time(b)


def test_overlapping_fixes_compose_and_the_exit_status_is_the_written_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "list.md"
    path.write_text(HEAD + SPLIT_WITH_VENUE, encoding="utf-8")
    code, report, err = check(capsys, "--fix", str(path))
    assert path.read_text(encoding="utf-8") == HEAD + JOINED  # joined *and* the venue fixed
    assert err.splitlines() == [f"paperlint: fixed 2 problems in {path}"]
    assert (code, report["findings"]) == (0, [])
    fresh_code, fresh, _ = check(capsys, str(path))
    assert fresh_code == code and same_report(report, fresh)


def test_the_written_text_is_parsed_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The last re-check of --fix parsed the text it writes; the report reuses that parse."""
    path = tmp_path / "list.md"
    path.write_text(HEAD + SPLIT_WITH_VENUE, encoding="utf-8")
    parsed: list[str] = []
    parse_text = engine.parse_text

    def counted(name: str, text: str, table: Any = None) -> Any:
        parsed.append(text)
        return parse_text(name, text, table)

    monkeypatch.setattr(engine, "parse_text", counted)
    code, report, _ = check(capsys, "--fix", str(path))
    assert (code, report["findings"]) == (0, [])
    assert path.read_text(encoding="utf-8") == HEAD + JOINED
    assert parsed.count(HEAD + JOINED) == 1


def test_the_installed_command_fixes_overlaps_and_exits_on_what_it_wrote(
    paperlint: Any, tmp_path: Path
) -> None:
    path = tmp_path / "list.md"
    path.write_bytes((HEAD + SPLIT_WITH_VENUE + MALFORMED).replace("\n", "\r\n").encode())
    fixed = paperlint("--offline", "--fix", str(path))
    assert path.read_bytes() == (HEAD + JOINED + MALFORMED).replace("\n", "\r\n").encode()
    assert fixed.err.splitlines() == [f"paperlint: fixed 2 problems in {path}"]
    fresh = paperlint("--offline", str(path))
    assert (fixed.code, fixed.findings) == (fresh.code, fresh.findings)
    assert (fixed.code, [f["rule"] for f in fixed.findings]) == (1, ["arxiv-id-malformed"])


def test_what_is_left_after_fix_is_reported_and_fails_the_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "list.md"
    path.write_text(HEAD + SPLIT_WITH_VENUE + MALFORMED + ROW, encoding="utf-8")
    code, report, err = check(
        capsys, "--fix", "--report", f"sarif={tmp_path / 'r.sarif'}", str(path)
    )
    assert err.splitlines() == [f"paperlint: fixed 3 problems in {path}"]
    assert code == 1  # the malformed ID has no fix: it stays, and it is an error
    assert [(f["rule"], f["line"]) for f in report["findings"]] == [("arxiv-id-malformed", 6)]
    assert report["summary"]["errors"] == 1 and report["summary"]["warnings"] == 0
    fresh_code, fresh, _ = check(capsys, str(path))
    assert fresh_code == code and same_report(report, fresh)
    # the extra reports are of the written file too
    sarif = json.loads((tmp_path / "r.sarif").read_text(encoding="utf-8"))
    results = sarif["runs"][0]["results"]
    assert [(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"])
            for r in results] == [("arxiv-id-malformed", 6)]  # fmt: skip


@pytest.mark.parametrize(
    "breaks",
    [
        pytest.param("mixed", id="one-crlf-line-in-an-lf-file"),
        pytest.param("cr", id="cr-only"),
    ],
)
def test_odd_line_endings_are_fixed_not_just_offered(
    breaks: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = HEAD + SPLIT_WITH_VENUE + ROW
    if breaks == "cr":
        text = text.replace("\n", "\r")
    else:
        text = text.replace(ROW, ROW.replace("\n", "\r\n"))
    path = tmp_path / "list.md"
    path.write_bytes(text.encode())
    code, report, _ = check(capsys, "--fix", str(path))
    assert (code, report["findings"]) == (0, [])
    fixed_row = ROW.replace("iclr", "ICLR")
    if breaks == "cr":
        want = (HEAD + JOINED + fixed_row).replace("\n", "\r")
    else:
        want = HEAD + JOINED + fixed_row.replace("\n", "\r\n")
    assert path.read_bytes() == want.encode()
    assert check(capsys, "--fix", str(path))[2] == ""  # a second --fix has nothing to do


def test_diff_reports_the_file_as_it_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "list.md"
    text = HEAD + SPLIT_WITH_VENUE
    path.write_text(text, encoding="utf-8")
    report_file = tmp_path / "r.json"
    code = main(["check", "--offline", "--diff", "--report", f"json={report_file}", str(path)])
    out, err = capsys.readouterr()
    assert (code, err) == (1, "")  # the split row is an error in the file, which is unchanged
    assert path.read_text(encoding="utf-8") == text
    assert out.startswith("--- a/list.md\n+++ b/list.md\n")  # absolute, but under the cwd
    assert f"+{JOINED}" in out  # the same change --fix writes, both passes of it
    report = json.loads(report_file.read_text(encoding="utf-8"))
    assert {f["rule"] for f in report["findings"]} == {"table-shape", "venue-format"}


def test_a_file_changed_after_the_check_is_left_alone_and_the_others_are_fixed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = tmp_path / "a.md", tmp_path / "b.md"
    first.write_text(HEAD + ROW, encoding="utf-8")
    second.write_text(HEAD + ROW, encoding="utf-8")
    edited = HEAD + ROW + "| A maintainer's new row | | |\n"
    checked = engine.run

    def run_then_someone_saves(options: Options, nightly: object = None) -> engine.Run:
        done = checked(options)
        first.write_text(edited, encoding="utf-8")
        return done

    monkeypatch.setattr(engine, "run", run_then_someone_saves)
    code, report, err = check(capsys, "--fix", str(first), str(second))
    assert code == 2
    assert err.splitlines() == [
        f"paperlint: error: {first}: changed since paperlint read it; not fixed "
        "(run paperlint again)",
        f"paperlint: fixed 1 problem in {second}",
    ]
    assert first.read_text(encoding="utf-8") == edited
    assert second.read_text(encoding="utf-8") == HEAD + ROW.replace("iclr", "ICLR")
    # the unfixed file's findings stay reported, the fixed one's are gone
    assert [(f["file"], f["rule"]) for f in report["findings"]] == [(str(first), "venue-format")]


def test_hard_links_are_refused_unless_asked_for(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, other_name = tmp_path / "list.md", tmp_path / "also.md"
    path.write_text(HEAD + ROW, encoding="utf-8")
    os.link(path, other_name)
    lone = tmp_path / "lone.md"
    lone.write_text(HEAD + ROW, encoding="utf-8")
    code, report, err = check(capsys, "--fix", str(path), str(lone))
    assert code == 2
    assert err.splitlines() == [
        f"paperlint: error: {path}: has 2 hard links; replacing it would split them, "
        "so it was not fixed",
        f"paperlint: fixed 1 problem in {lone}",
    ]
    assert path.read_text(encoding="utf-8") == HEAD + ROW
    assert [f["file"] for f in report["findings"]] == [str(path)]

    code, report, err = check(capsys, "--fix", "--fix-hardlinks", str(path))
    assert (code, report["findings"]) == (0, [])
    assert err.splitlines() == [f"paperlint: fixed 1 problem in {path}"]
    fixed = HEAD + ROW.replace("iclr", "ICLR")
    assert path.read_text(encoding="utf-8") == other_name.read_text(encoding="utf-8") == fixed
    assert path.stat().st_ino == other_name.stat().st_ino


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--fix-hardlinks"], "--fix-hardlinks says how --fix writes: add --fix"),
        (["--fix-report", "fixes.md"], "--fix-report lists the fixes --fix or --diff apply: add"),
        (["--nightly", "--fix-report", "fixes.md"], "--fix-report lists the fixes --fix or --diff"),
    ],
)
def test_fix_options_that_make_no_sense_are_refused(
    args: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "list.md"
    path.write_text(HEAD + ROW, encoding="utf-8")
    assert main(["check", *args, str(path)]) == 2
    _, err = capsys.readouterr()
    assert err.startswith(f"paperlint: error: {message}") and err.count("\n") == 1
    assert path.read_text(encoding="utf-8") == HEAD + ROW


def test_a_file_named_twice_is_fixed_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "list.md"
    path.write_text(HEAD + ROW, encoding="utf-8")
    code, _, err = check(capsys, "--fix", str(path), str(tmp_path / "." / "list.md"))
    assert code == 0
    assert err.splitlines() == [f"paperlint: fixed 1 problem in {path}"]


def several_names(folder: Path, hard_link: bool = True) -> list[str]:
    """One file under several names: itself, ./itself, a symlink to it, a hard link to it."""
    (folder / "list.md").write_text(HEAD + ROW + MALFORMED, encoding="utf-8")
    (folder / "link.md").symlink_to("list.md")
    if not hard_link:
        return ["list.md", "./list.md", "link.md"]
    os.link(folder / "list.md", folder / "hard.md")
    return ["list.md", "./list.md", "link.md", "hard.md"]


def test_a_file_under_several_names_is_checked_and_reported_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 14.16: under the first name it is given (a symlink given first names it)."""
    monkeypatch.chdir(tmp_path)
    names = several_names(tmp_path)
    code, report, err = check(capsys, *names)
    assert (code, err) == (1, "")
    assert report["summary"]["files"] == 1
    assert [(f["rule"], f["file"]) for f in report["findings"]] == [
        ("venue-format", "list.md"), ("arxiv-id-malformed", "list.md"),
    ]  # fmt: skip
    code, report, _ = check(capsys, "link.md", *names)
    assert {f["file"] for f in report["findings"]} == {"link.md"}
    assert report["summary"]["files"] == 1


def test_a_file_under_several_names_is_fixed_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """--fix once, reporting what is left in the file as written (it exited 2, reporting findings
    already fixed); --diff prints one diff that applies (it printed one per name)."""
    monkeypatch.chdir(tmp_path)
    names = several_names(tmp_path, hard_link=False)  # --fix refuses those, rightly
    fixed = HEAD + ROW.replace("iclr", "ICLR") + MALFORMED
    code, diff, err = run_diff(capsys, *names)
    assert (code, err) == (1, "")
    assert diff.count("\n+++ ") == 1
    code, report, err = check(capsys, "--fix", *names)
    assert code == 1  # the malformed ID is still there: an error that --fix cannot mend
    assert err.splitlines() == ["paperlint: fixed 1 problem in list.md"]
    assert [f["rule"] for f in report["findings"]] == ["arxiv-id-malformed"]
    assert (tmp_path / "list.md").read_text(encoding="utf-8") == fixed
    assert (tmp_path / "link.md").is_symlink()
    (tmp_path / "list.md").write_text(HEAD + ROW + MALFORMED, encoding="utf-8")
    for command in (["patch", "-p1", "-s", "-i", "fix.diff"], ["git", "apply", "fix.diff"]):
        (tmp_path / "fix.diff").write_text(diff, encoding="utf-8")
        (tmp_path / "list.md").write_text(HEAD + ROW + MALFORMED, encoding="utf-8")
        done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stdout + done.stderr
        assert (tmp_path / "list.md").read_text(encoding="utf-8") == fixed


def run_diff(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["check", "--offline", "--diff", *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("boms", [2, 3])
def test_every_bom_is_kept_by_fix_and_diff(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    boms: int,
) -> None:  # fmt: skip
    """Issue 14.14: the first BOM is not text and is written back; the others are text, kept
    as every byte --fix does not fix (a second one was lost, and --diff did not show it)."""
    monkeypatch.chdir(tmp_path)
    before = ("\ufeff" * boms + HEAD + ROW).encode("utf-8")
    want = ("\ufeff" * boms + HEAD + ROW.replace("iclr", "ICLR")).encode("utf-8")
    path = tmp_path / "list.md"
    path.write_bytes(before)
    code, diff, err = run_diff(capsys, "list.md")
    assert (code, err, path.read_bytes()) == (0, "", before)
    assert "\ufeff" not in "".join(ln for ln in diff.splitlines() if ln[:1] in "+-")
    code, report, err = check(capsys, "--fix", "list.md")
    assert (code, report["findings"], err) == (0, [], "paperlint: fixed 1 problem in list.md\n")
    assert path.read_bytes() == want
    for command in (["patch", "-p1", "-s", "-i", "fix.diff"], ["git", "apply", "fix.diff"]):
        path.write_bytes(before)
        (tmp_path / "fix.diff").write_text(diff, encoding="utf-8")
        done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stdout + done.stderr
        assert path.read_bytes() == want


# ---------------------------------------------------------------------------------------------
# --changed-since with --fix: the scope follows the fixed text


def git(folder: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
        cwd=folder,
        check=True,
        capture_output=True,
    )


def test_fix_within_changed_since_fixes_the_changed_entries_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old_row = "| Old | Neurips 2019 | [1901.00001](https://arxiv.org/abs/1901.00001) |\n"
    tail = "| Tail | icml 2021 | [2101.00001](https://arxiv.org/abs/2101.00001) |\n"
    path = tmp_path / "list.md"
    path.write_text(HEAD + old_row + tail, encoding="utf-8")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "list.md")
    git(tmp_path, "commit", "-q", "-m", "base")
    # the pull request adds a split row with a venue to fix, above rows it leaves alone
    path.write_text(HEAD + SPLIT_WITH_VENUE + old_row + tail, encoding="utf-8")
    code, report, err = check(capsys, "--fix", "--changed-since", "HEAD", str(path))
    assert err.splitlines() == [f"paperlint: fixed 2 problems in {path}"]
    # the row is joined and its venue fixed; the rows the change did not touch are left
    assert path.read_text(encoding="utf-8") == HEAD + JOINED + old_row + tail
    assert (code, report["findings"]) == (0, [])
    fresh_code, fresh, _ = check(capsys, "--changed-since", "HEAD", str(path))
    assert fresh_code == code and same_report(report, fresh)
    # without the scope, the old rows are still there to fix
    assert {f["line"] for f in check(capsys, str(path))[1]["findings"]} == {6, 7}


def test_carried_changes_keep_gits_answer_and_count_written_lines_as_changed() -> None:
    before = ["a", "b1", "b2", "c", "d"]
    after = ["a", "b1 b2", "c", "d!"]
    # git said lines 2-3 (the split row) changed; the fix joined them and edited d
    assert engine.carried_changes(before, after, {2, 3}) == {2, 4}
    assert engine.carried_changes(before, after, {1, 4}) == {1, 2, 3, 4}
    assert engine.carried_changes(before, before, {5}) == {5}
