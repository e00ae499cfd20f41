"""Odd paths given as PATH: one line on stderr, exit 2, no traceback, no hang; the other files
are still checked. And how a file is read: BOM, non-regular files, digest."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from checker.sources import SourceError, distinct_files, read_source

GOOD = "- **Funnel**. Neurips 2020. [[pdf]](https://arxiv.org/abs/2006.03236)\n"


def make(tmp_path: Path, kind: str) -> Path:
    if kind == "symlink-loop":
        path = tmp_path / "loop.md"
        path.symlink_to(path)
    elif kind == "long-name":
        path = tmp_path / ("a" * 5000 + ".md")
    elif kind == "fifo":
        path = tmp_path / "pipe.md"
        os.mkfifo(path)  # opening it for reading would block until someone writes
    elif kind == "dangling-symlink":
        path = tmp_path / "gone.md"
        path.symlink_to(tmp_path / "nowhere.md")
    else:
        raise AssertionError(kind)
    return path


REASONS = {
    "symlink-loop": "cannot read: too many levels of symbolic links (a symlink loop?)",
    "long-name": "cannot read: file name too long",
    "fifo": "not a regular file (a named pipe)",
    "dangling-symlink": "no such file",
}


@pytest.mark.parametrize("kind", sorted(REASONS))
def test_an_odd_first_path_is_one_line_and_exit_2(
    paperlint: Any, tmp_path: Path, kind: str
) -> None:
    odd = make(tmp_path, kind)
    good = tmp_path / "list.md"
    good.write_text(GOOD, encoding="utf-8")
    run = paperlint(str(odd), str(good), "--offline")
    assert run.code == 2
    (line,) = run.err.splitlines()
    assert line.startswith("paperlint: error: ") and line.endswith(": " + REASONS[kind])
    assert len(line) < 400  # a 5,000-character name is shortened, not printed whole
    assert [f["rule"] for f in run.findings] == ["venue-format"]  # the good file was checked


def test_changed_since_outside_a_git_repository(paperlint: Any, tmp_path: Path) -> None:
    (tmp_path / "list.md").write_text(GOOD, encoding="utf-8")
    env_git_dir = subprocess.run(
        ["git", "rev-parse", "--show-toplevel"], cwd=tmp_path, capture_output=True, check=False
    )
    assert env_git_dir.returncode != 0  # the temporary folder is in no repository
    run = paperlint(str(tmp_path / "list.md"), "--offline", "--changed-since", "HEAD", fmt=None)
    assert run.code == 2
    assert run.err == (
        f"paperlint: error: --changed-since HEAD: {tmp_path} is not inside a git repository\n"
    )


def test_changed_since_an_unknown_revision_says_so_in_one_line(
    paperlint: Any, tmp_path: Path
) -> None:
    git = ["git", "-c", "user.email=t@t", "-c", "user.name=t"]
    subprocess.run([*git, "init", "-q"], cwd=tmp_path, check=True)
    (tmp_path / "list.md").write_text(GOOD, encoding="utf-8")
    run = paperlint(str(tmp_path / "list.md"), "--offline", "--changed-since", "nope", fmt=None)
    assert run.code == 2
    assert run.err == "paperlint: error: --changed-since nope: bad revision 'nope'\n"


def test_a_bom_is_remembered_but_not_part_of_the_text(tmp_path: Path) -> None:
    path = tmp_path / "list.md"
    path.write_bytes(b"\xef\xbb\xbf# Papers\n")
    source = read_source(str(path))
    assert (source.text, source.bom) == ("# Papers\n", True)
    path.write_bytes(b"# Papers\n")
    plain = read_source(str(path))
    assert (plain.text, plain.bom) == ("# Papers\n", False)
    assert plain.digest != source.digest  # the bytes differ, so a changed BOM is a change


def test_a_fifo_is_refused_without_being_opened(tmp_path: Path) -> None:
    fifo = make(tmp_path, "fifo")
    with pytest.raises(SourceError) as caught:
        read_source(str(fifo))
    assert caught.value.reason == "not a regular file (a named pipe)"


@pytest.mark.parametrize(
    ("data", "text", "bom"),
    [
        (b"", "", False),
        (b" \n\t\r\n", " \n\t\r\n", False),
        (b"\xef\xbb\xbf", "", True),
        (b"\xef\xbb\xbf\xef\xbb\xbf# P\n", "\ufeff# P\n", True),  # only the first is not text
    ],
    ids=["zero-bytes", "whitespace", "bom-only", "two-boms"],
)
def test_an_empty_file_reads_as_empty_text(
    tmp_path: Path, data: bytes, text: str, bom: bool
) -> None:
    path = tmp_path / "list.md"
    path.write_bytes(data)
    source = read_source(str(path))
    assert (source.text, source.bom) == (text, bom)


def test_distinct_files_keeps_the_first_name_of_each_file(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("# A\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("# A\n", encoding="utf-8")  # the same text, another file
    (tmp_path / "link.md").symlink_to("a.md")
    os.link(tmp_path / "a.md", tmp_path / "hard.md")
    loop = make(tmp_path, "symlink-loop")
    names = [
        str(tmp_path / "link.md"), str(tmp_path / "a.md"), str(tmp_path / "." / "a.md"),
        str(tmp_path / "hard.md"), str(tmp_path / "b.md"),
        str(tmp_path / "gone.md"), str(tmp_path / "." / "gone.md"), str(loop), str(loop),
    ]  # fmt: skip
    assert distinct_files(names) == [
        str(tmp_path / "link.md"), str(tmp_path / "b.md"), str(tmp_path / "gone.md"), str(loop),
    ]  # fmt: skip
