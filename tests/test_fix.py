"""--fix and --diff: only the reported lines change, atomically, line endings kept, idempotent."""

from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path

import pytest

from checker.cli import main
from checker.config import Options
from checker.engine import offline_findings
from checker.fix import (
    MAX_PASSES,
    FileChangedError,
    FixError,
    HardLinkError,
    apply_fixes,
    fix_file,
    fix_text,
    unified_diff,
    write_atomically,
)
from checker.model import Finding, Fix, Severity
from checker.parse import parse_text
from checker.sources import read_source
from checker.venues import VenueTable

SEED = Path(__file__).parent / "data" / "seed" / "efficiency.md"


@pytest.fixture(autouse=True)
def _plain_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


@pytest.fixture
def seed(tmp_path: Path) -> Path:
    target = tmp_path / "efficiency.md"
    shutil.copyfile(SEED, target)
    return target


def expected_fixed_seed(newline: str = "\n") -> bytes:
    """The seed as --fix must leave it: the two split rows joined, the venue spelled right."""
    lines = SEED.read_text(encoding="utf-8").split("\n")
    fixed = [
        *lines[:35],
        lines[35] + " " + lines[36].strip(),
        lines[37].replace("Neurips 2020", "NeurIPS 2020"),
        *lines[38:41],
        lines[41] + " " + lines[42].strip(),
        *lines[43:],
    ]
    assert len(fixed) == len(lines) - 2
    return newline.join(fixed).encode("utf-8")


def test_diff_prints_a_unified_diff_and_leaves_the_file(
    seed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = seed.read_bytes()
    code = main(["check", "--offline", "--diff", str(seed)])
    out, err = capsys.readouterr()
    assert code == 1  # nothing was fixed, the errors stand
    assert err == ""
    assert seed.read_bytes() == before
    from_root = str(seed).lstrip("/")  # outside the current folder: for `patch -p0 -d /`
    assert out.startswith(f"--- {from_root}\n+++ {from_root}\n@@ ")
    removed = [line[1:] for line in out.splitlines() if line.startswith("-") and line[1:2] != "-"]
    added = [line[1:] for line in out.splitlines() if line.startswith("+") and line[1:2] != "+"]
    lines = before.decode("utf-8").split("\n")
    assert removed == lines[35:38] + lines[41:43]
    fixed = expected_fixed_seed().decode("utf-8").split("\n")
    assert added == fixed[35:37] + fixed[40:41]


def test_diff_with_nothing_to_fix_prints_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "list.md"
    path.write_text("- [x](https://arxiv.org/abs/2113.01234)\n", encoding="utf-8")
    code = main(["check", "--offline", "--diff", str(path)])
    out, _ = capsys.readouterr()
    assert code == 1
    assert out == ""


def test_fix_changes_exactly_the_reported_lines(
    seed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed.chmod(0o640)
    code = main(["check", "--offline", "--format", "json", "--fix", str(seed)])
    out, err = capsys.readouterr()
    assert seed.read_bytes() == expected_fixed_seed()
    assert code == 0
    assert err.splitlines() == [f"paperlint: fixed 3 problems in {seed}"]
    report = json.loads(out)
    assert report["findings"] == []
    assert report["summary"]["errors"] == 0 and report["summary"]["warnings"] == 0
    # written beside the file and renamed: no temporary left, permissions kept
    assert sorted(p.name for p in seed.parent.iterdir()) == ["efficiency.md"]
    assert stat.S_IMODE(seed.stat().st_mode) == 0o640


def test_second_fix_is_a_no_op(seed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--offline", "--fix", str(seed)]) == 0
    once = seed.read_bytes()
    mtime = seed.stat().st_mtime_ns
    capsys.readouterr()
    assert main(["check", "--offline", "--fix", str(seed)]) == 0
    _, err = capsys.readouterr()
    assert err == ""
    assert seed.read_bytes() == once
    assert seed.stat().st_mtime_ns == mtime  # not even rewritten


def test_fix_keeps_crlf_line_endings(seed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    crlf = SEED.read_bytes().replace(b"\n", b"\r\n")
    seed.write_bytes(crlf)
    code = main(["check", "--offline", "--format", "json", "--diff", str(seed)])
    capsys.readouterr()
    assert code == 1
    assert seed.read_bytes() == crlf
    code = main(["check", "--offline", "--format", "json", "--fix", str(seed)])
    out, _ = capsys.readouterr()
    assert code == 0
    after = seed.read_bytes()
    assert after == expected_fixed_seed("\r\n")
    assert after.count(b"\n") == after.count(b"\r\n")
    assert json.loads(out)["findings"] == []


def test_fix_leaves_findings_without_fixes_and_unreported_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "list.md"
    text = (
        "# Neurips 2020 talks\n"
        "\n"
        "- **Funnel-Transformer**. Neurips 2020. [[pdf]](https://arxiv.org/abs/2006.03236)\n"
        "- [bad](https://arxiv.org/abs/2113.01234) Neurips 2020 again\n"
        "\n"
        "We went to Neurips 2020 and liked it.\n"
    )
    path.write_text(text, encoding="utf-8")
    code = main(["check", "--offline", "--format", "json", "--fix", str(path)])
    out, err = capsys.readouterr()
    assert code == 1
    assert err.splitlines() == [f"paperlint: fixed 2 problems in {path}"]
    # the error without a fix is still reported; the fixed warnings are gone
    assert [f["rule"] for f in json.loads(out)["findings"]] == ["arxiv-id-malformed"]
    before = text.split("\n")
    after = path.read_text(encoding="utf-8").split("\n")
    assert len(after) == len(before)
    changed = [i + 1 for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
    assert changed == [3, 4]  # not the heading (line 1), not the prose (line 6)
    assert after[2] == before[2].replace("Neurips 2020", "NeurIPS 2020")
    assert after[3] == before[3].replace("Neurips 2020", "NeurIPS 2020")


def test_apply_fixes_skips_stale_and_overlapping_fixes() -> None:
    text = "a Neurips 2020 b\nc Neurips 2020 d\n"
    fixed, count = apply_fixes(
        text,
        [
            Fix(2, "Neurips 2020", "NeurIPS 2020"),  # only line 2, not the same text on line 1
            Fix(2, "Neurips 2020", "NeurIPS 2020"),  # duplicate
            Fix(2, "ips 2020 d", "IPS 2020 D"),  # overlaps the first
            Fix(1, "not there", "x"),  # stale
            Fix(9, "a", "b"),  # past the end
        ],
    )
    assert (fixed, count) == ("a Neurips 2020 b\nc NeurIPS 2020 d\n", 1)


def test_apply_fixes_does_not_reach_into_the_next_line() -> None:
    text = "first line\nNeurips 2020\n"
    assert apply_fixes(text, [Fix(1, "Neurips 2020", "NeurIPS 2020")]) == (text, 0)


def test_unified_diff_headers() -> None:
    diff = unified_diff("x.md", "a\nb\n", "a\nc\n")
    assert diff.splitlines() == ["--- a/x.md", "+++ b/x.md", "@@ -1,2 +1,2 @@", " a", "-b", "+c"]


def test_write_atomically_keeps_the_old_file_on_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "list.md"
    target.write_text("old\n", encoding="utf-8")

    def refuse(src: object, dst: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError, match="disk full"):
        write_atomically(str(target), "new\n")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["list.md"]


def test_write_atomically_writes_bytes_as_given(tmp_path: Path) -> None:
    target = tmp_path / "list.md"
    target.write_bytes(b"x\r\n")
    write_atomically(str(target), "caf\u00e9\r\nline\r\n")
    assert target.read_bytes() == "caf\u00e9\r\nline\r\n".encode()


def test_fix_that_cannot_write_is_one_line_and_exit_2(
    seed: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    def read_only_folder(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied", str(seed.parent))

    monkeypatch.setattr(tempfile, "mkstemp", read_only_folder)
    before = seed.read_bytes()
    code = main(["check", "--offline", "--fix", str(seed)])
    _, err = capsys.readouterr()
    assert code == 2
    assert len(err.splitlines()) == 1 and err.startswith("paperlint: error: ")
    assert seed.read_bytes() == before


def test_a_fix_with_a_column_edits_only_that_spot() -> None:
    from checker.fix import apply_fixes
    from checker.model import Fix

    text = "- [a](https://github.com/old/repo-extra) [b](https://github.com/old/repo)\n"
    column = text.index("https://github.com/old/repo)") + 1
    fixed, count = apply_fixes(
        text, [Fix(1, "https://github.com/old/repo", "https://github.com/new/name", column)]
    )
    assert count == 1
    assert fixed == "- [a](https://github.com/old/repo-extra) [b](https://github.com/new/name)\n"
    stale, none = apply_fixes(text, [Fix(1, "https://github.com/old/repo", "x", column + 1)])
    assert none == 0 and stale == text  # the text moved: no edit rather than a wrong one


# ---------------------------------------------------------------------------------------------
# fix_text / fix_file: fix, re-check, fix again; report what a fresh check finds


def offline_check(text: str) -> list[Finding]:
    """What the command checks offline, on a text: the callback fix_text re-checks with."""
    options = Options()
    table = VenueTable(options.venues)
    return list(offline_findings([parse_text("list.md", text, table)], options, table))


TABLE_HEAD = "| Title | Venue | Code |\n|---|---|---|\n"
SPLIT_ROW_WITH_VENUE = (
    "| Linformer: Self-Attention\n"
    " with Linear Complexity | Neurips 2020 | [2006.04768](https://arxiv.org/abs/2006.04768) |\n"
)
JOINED_ROW_FIXED = (
    "| Linformer: Self-Attention with Linear Complexity | NeurIPS 2020 "
    "| [2006.04768](https://arxiv.org/abs/2006.04768) |\n"
)
PLAIN_ROW = "| Reformer | iclr 2020 | [2001.04451](https://arxiv.org/abs/2001.04451) |\n"


def test_a_venue_inside_a_split_row_is_fixed_once_the_row_is_joined() -> None:
    text = TABLE_HEAD + SPLIT_ROW_WITH_VENUE
    assert {f.rule for f in offline_check(text) if f.fix} == {"table-shape", "venue-format"}
    result = fix_text(text, offline_check)
    assert result.after == TABLE_HEAD + JOINED_ROW_FIXED
    joined = JOINED_ROW_FIXED.rstrip("\n").replace("NeurIPS", "Neurips")
    assert [fix.new for fix in result.applied] == [joined, "NeurIPS 2020"]  # in two passes
    assert result.remaining == []


@pytest.mark.parametrize(
    "breaks",
    [
        pytest.param(["\n"] * 5, id="lf"),
        pytest.param(["\r\n"] * 5, id="crlf"),
        pytest.param(["\r"] * 5, id="cr-only"),
        pytest.param(["\n", "\n", "\r\n", "\n", "\n"], id="one-crlf-line-in-lf"),
        pytest.param(["\n", "\n", "\n", "\r\n", "\n"], id="crlf-after-the-split-row"),
        pytest.param(["\r\n", "\n", "\r", "\n", "\r\n"], id="all-three"),
    ],
)
def test_fixes_apply_whatever_ends_each_line(breaks: list[str]) -> None:
    lines = (TABLE_HEAD + SPLIT_ROW_WITH_VENUE + PLAIN_ROW).split("\n")[:-1]
    text = "".join(line + brk for line, brk in zip(lines, breaks, strict=True))
    result = fix_text(text, offline_check)
    assert result.remaining == []
    want = [
        lines[0] + breaks[0],
        lines[1] + breaks[1],
        JOINED_ROW_FIXED.rstrip("\n") + breaks[3],  # the row keeps the break that ended it
        PLAIN_ROW.rstrip("\n").replace("iclr 2020", "ICLR 2020") + breaks[4],
    ]
    assert result.after == "".join(want)
    assert fix_text(result.after, offline_check).applied == ()  # nothing left to fix


def test_remaining_is_a_fresh_check_of_the_fixed_text() -> None:
    text = (
        "# List\n\n"
        "- **Funnel**. Neurips 2020. [[pdf]](https://arxiv.org/abs/2006.03236)\n"
        "- [bad](https://arxiv.org/abs/2113.01234) Neurips 2020 again\n"
    )
    result = fix_text(text, offline_check)
    assert len(result.applied) == 2
    assert result.remaining == offline_check(result.after)
    assert [f.rule for f in result.remaining] == ["arxiv-id-malformed"]


def test_nothing_to_fix_returns_the_findings_given_without_checking_again() -> None:
    calls: list[str] = []

    def check(text: str) -> list[Finding]:
        calls.append(text)
        return []

    given = [Finding("table-shape", Severity.ERROR, "list.md", 1, 1, "row has 2 cells")]
    result = fix_text("| a |\n", check, given)
    assert (result.after, result.applied, result.remaining, calls) == ("| a |\n", (), given, [])


def test_fixes_that_undo_each_other_stop_and_say_what_is_left() -> None:
    def flip_flop(text: str) -> list[Finding]:
        old, new = ("ab", "ba") if text.startswith("ab") else ("ba", "ab")
        return [Finding("venue-format", Severity.WARNING, "x", 1, 1, "m", fix=Fix(1, old, new, 1))]

    result = fix_text("ab\n", flip_flop)
    assert result.after == "ba\n"  # back to "ab" would be a state already seen
    assert result.remaining == flip_flop("ba\n")


def test_fix_text_is_bounded() -> None:
    def grows(text: str) -> list[Finding]:
        return [Finding("venue-format", Severity.WARNING, "x", 1, 1, "m", fix=Fix(1, "x", "xx", 1))]

    result = fix_text("x\n", grows)
    assert result.after == "x" * (1 + MAX_PASSES) + "\n"
    assert len(result.applied) == MAX_PASSES and result.remaining == grows(result.after)


def test_a_line_break_in_a_fix_takes_the_break_it_replaces() -> None:
    text = "one\r\ntwo\r\nthree\r\n"
    fixed, count = apply_fixes(text, [Fix(1, "one\ntwo", "1\n2", 1)])
    assert (fixed, count) == ("1\r\n2\r\nthree\r\n", 1)
    cr = "one\rtwo\rthree\r"
    assert apply_fixes(cr, [Fix(2, "two\nthree", "2 3")]) == ("one\r2 3\r", 1)


def test_fix_file_refuses_a_file_changed_since_the_check(tmp_path: Path) -> None:
    path = tmp_path / "list.md"
    path.write_text(TABLE_HEAD + PLAIN_ROW, encoding="utf-8")
    with pytest.raises(FileChangedError, match="changed since paperlint read it"):
        fix_file(str(path), TABLE_HEAD, offline_check)


def test_an_edit_made_between_read_and_write_is_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "list.md"
    path.write_text(TABLE_HEAD + PLAIN_ROW, encoding="utf-8")
    outcome = fix_file(str(path), TABLE_HEAD + PLAIN_ROW, offline_check)
    assert outcome.changed
    edited = TABLE_HEAD + PLAIN_ROW + "| a maintainer's new row | | |\n"
    path.write_text(edited, encoding="utf-8")
    with pytest.raises(FileChangedError) as caught:
        outcome.write()
    assert str(caught.value).count("\n") == 0 and str(path) in str(caught.value)
    assert path.read_text(encoding="utf-8") == edited
    assert [p.name for p in tmp_path.iterdir()] == ["list.md"]


def test_an_edit_while_the_new_file_is_written_is_never_overwritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "list.md"
    path.write_text(TABLE_HEAD + PLAIN_ROW, encoding="utf-8")
    outcome = fix_file(str(path), TABLE_HEAD + PLAIN_ROW, offline_check)
    real_chmod = os.chmod

    def chmod_then_someone_saves(target: str, mode: int) -> None:
        real_chmod(target, mode)
        path.write_text("saved meanwhile\n", encoding="utf-8")

    monkeypatch.setattr(os, "chmod", chmod_then_someone_saves)
    with pytest.raises(FileChangedError):
        outcome.write()
    assert path.read_text(encoding="utf-8") == "saved meanwhile\n"
    assert [p.name for p in tmp_path.iterdir()] == ["list.md"]


def test_a_byte_order_mark_is_kept_and_is_not_part_of_the_first_line(tmp_path: Path) -> None:
    path = tmp_path / "list.md"
    path.write_bytes(("\ufeff" + PLAIN_ROW.replace("| Reformer", "| Title")).encode())
    source = read_source(str(path))
    assert source.bom and not source.text.startswith("\ufeff")
    path.write_bytes(("\ufeff" + TABLE_HEAD + PLAIN_ROW).encode())
    source = read_source(str(path))
    doc = parse_text("list.md", source.text, VenueTable())
    assert doc.lines[0] == "| Title | Venue | Code |"
    outcome = fix_file(str(path), source.text, offline_check)
    outcome.write()
    fixed = "\ufeff" + TABLE_HEAD + PLAIN_ROW.replace("iclr", "ICLR")
    assert path.read_bytes() == fixed.encode("utf-8")


def test_fix_through_a_symlink_writes_the_file_it_points_at(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    target = tmp_path / "docs" / "list.md"
    target.write_text(TABLE_HEAD + PLAIN_ROW, encoding="utf-8")
    link = tmp_path / "README.md"
    link.symlink_to(Path("docs") / "list.md")
    outcome = fix_file(str(link), TABLE_HEAD + PLAIN_ROW, offline_check)
    outcome.write()
    assert link.is_symlink() and os.readlink(link) == str(Path("docs") / "list.md")
    assert "ICLR 2020" in target.read_text(encoding="utf-8")
    assert sorted(p.name for p in (tmp_path / "docs").iterdir()) == ["list.md"]


def test_a_file_with_several_hard_links_is_refused_unless_allowed(tmp_path: Path) -> None:
    path = tmp_path / "list.md"
    path.write_text(TABLE_HEAD + PLAIN_ROW, encoding="utf-8")
    other = tmp_path / "copy.md"
    os.link(path, other)
    outcome = fix_file(str(path), TABLE_HEAD + PLAIN_ROW, offline_check)
    with pytest.raises(HardLinkError, match="2 hard links"):
        outcome.write()
    assert path.read_text(encoding="utf-8") == TABLE_HEAD + PLAIN_ROW
    outcome.write(allow_hardlinks=True)
    fixed = (TABLE_HEAD + PLAIN_ROW).replace("iclr", "ICLR")
    assert path.read_text(encoding="utf-8") == fixed == other.read_text(encoding="utf-8")
    assert os.path.samefile(path, other)  # still one file under two names
    assert sorted(p.name for p in tmp_path.iterdir()) == ["copy.md", "list.md"]


def test_owner_and_group_are_kept_where_the_process_may(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "list.md"
    path.write_text(TABLE_HEAD + PLAIN_ROW, encoding="utf-8")
    before = path.stat()
    if os.geteuid() == 0:  # root may hand the file to anyone: give it to someone else first
        os.chown(path, 4242, 4343)
        before = path.stat()
    asked: list[tuple[int, int]] = []
    real_chown = os.chown

    def chown(target: str, uid: int, gid: int) -> None:
        asked.append((uid, gid))
        real_chown(target, uid, gid)

    monkeypatch.setattr(os, "chown", chown)
    fix_file(str(path), TABLE_HEAD + PLAIN_ROW, offline_check).write()
    after = path.stat()
    assert (after.st_uid, after.st_gid) == (before.st_uid, before.st_gid)
    assert "ICLR 2020" in path.read_text(encoding="utf-8")
    if os.geteuid() == 0:
        assert asked == [(4242, 4343)]


def test_an_owner_that_cannot_be_kept_does_not_stop_the_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "list.md"
    path.write_text(TABLE_HEAD + PLAIN_ROW, encoding="utf-8")
    mine = os.stat(path)

    def not_allowed(target: str, uid: int, gid: int) -> None:
        raise PermissionError(1, "Operation not permitted")

    real_stat = os.stat

    def someone_elses(target: str, *args: object, **kwargs: object) -> os.stat_result:
        info = real_stat(target)
        if str(target) == str(path):
            fields = list(info)
            fields[4], fields[5] = mine.st_uid + 1, mine.st_gid + 1
            return os.stat_result(fields)
        return info

    monkeypatch.setattr(os, "chown", not_allowed)
    monkeypatch.setattr(os, "stat", someone_elses)
    fix_file(str(path), TABLE_HEAD + PLAIN_ROW, offline_check).write()
    assert "ICLR 2020" in path.read_text(encoding="utf-8")


def test_a_fix_never_writes_a_file_that_is_not_regular(tmp_path: Path) -> None:
    fifo = tmp_path / "list.md"
    os.mkfifo(fifo)
    with pytest.raises(FixError, match="not a regular file"):
        write_atomically(str(fifo), "text\n")
