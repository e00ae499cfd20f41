"""--fix and --diff: only the reported lines change, atomically, line endings kept, idempotent."""

from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path

import pytest

from checker.cli import main
from checker.fix import apply_fixes, unified_diff, write_atomically
from checker.model import Fix

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
    assert out.startswith(f"--- a/{seed}\n+++ b/{seed}\n@@ ")
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
