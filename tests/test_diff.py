"""`--diff` applies: `git apply` and `patch -p1` accept it in every case `--fix` handles, and
applying it gives exactly the bytes `--fix` writes."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from checker.config import Options
from checker.engine import offline_findings
from checker.fix import fix_file, unified_diff
from checker.model import Finding
from checker.parse import parse_text
from checker.sources import read_source
from checker.venues import VenueTable

HEAD = "| Title | Venue | Code |\n|---|---|---|\n"
SPLIT = (
    "| Linformer\n"
    " with Linear Complexity | Neurips 2020 | [a](https://arxiv.org/abs/2006.04768) |\n"
)
ROW = "| Reformer | iclr 2020 | [b](https://arxiv.org/abs/2001.04451) |\n"
TAIL = "| Performer | ICML 2021 | [c](https://arxiv.org/abs/2009.14794) |\n"
TEXT = "# Efficient transformers\n\n" + HEAD + SPLIT + ROW + TAIL


def check(text: str) -> list[Finding]:
    options = Options()
    table = VenueTable(options.venues)
    return list(offline_findings([parse_text("list.md", text, table)], options, table))


CASES = {
    "lf": TEXT.encode(),
    "crlf": TEXT.replace("\n", "\r\n").encode(),
    "cr-only": TEXT.replace("\n", "\r").encode(),
    "one-crlf-line": TEXT.replace(ROW, ROW.replace("\n", "\r\n")).encode(),
    "no-final-newline": TEXT.rstrip("\n").encode(),
    "fix-on-the-last-line-without-newline": (TEXT.replace(TAIL, "") + ROW.rstrip("\n")).encode(),
    "bom": ("\ufeff" + TEXT).encode(),
    "bom-crlf-no-final-newline": ("\ufeff" + TEXT.replace("\n", "\r\n").rstrip("\r\n")).encode(),
    "separators-inside-lines": TEXT.replace("Reformer", "Re\u2028for\u2029mer\x85\v\f").replace(
        "Performer", "Per\u2028former"
    ).encode(),
}  # fmt: skip


def fix_in(folder: Path, data: bytes) -> str:
    """Fix `list.md` in `folder` as `--fix` does; return the diff `--diff` prints for it."""
    folder.mkdir()
    path = folder / "list.md"
    path.write_bytes(data)
    outcome = fix_file(str(path), read_source(str(path)).text, check)
    assert outcome.changed and outcome.remaining == check(outcome.after)
    diff = outcome.diff(("a/list.md", "b/list.md"))
    outcome.write()
    return diff


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("tool", ["git", "patch"])
def test_diff_applies_and_equals_what_fix_writes(tmp_path: Path, case: str, tool: str) -> None:
    data = CASES[case]
    diff = fix_in(tmp_path / "fixed", data)
    work = tmp_path / "work"
    work.mkdir()
    (work / "list.md").write_bytes(data)
    patch = str(tmp_path / "fix.diff")
    Path(patch).write_bytes(diff.encode("utf-8"))
    if tool == "git":
        commands = [["git", "apply", "--check", patch], ["git", "apply", patch]]
    else:
        commands = [["patch", "-p1", "--dry-run", "-i", patch], ["patch", "-p1", "-s", "-i", patch]]
    for command in commands:
        done = subprocess.run(command, cwd=work, capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stdout + done.stderr
    assert (work / "list.md").read_bytes() == (tmp_path / "fixed" / "list.md").read_bytes()
    assert sorted(p.name for p in work.iterdir()) == ["list.md"]  # no .orig, no .rej


@pytest.mark.parametrize(
    "name", ["my list.md", "café #1.md", 'say "hi".md', "back\\slash.md", "tab\there.md"]
)
def test_odd_file_names_survive_both_tools(tmp_path: Path, name: str) -> None:
    before, after = "a\nb\nc", "a\nB\nc"
    for tool in ("git", "patch"):
        work = tmp_path / tool
        work.mkdir()
        (work / name).write_text(before, encoding="utf-8")
        (tmp_path / "fix.diff").write_text(unified_diff(name, before, after), encoding="utf-8")
        command = {"git": ["git", "apply"], "patch": ["patch", "-p1", "-s", "-i"]}[tool]
        done = subprocess.run(
            [*command, str(tmp_path / "fix.diff")],
            cwd=work,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        assert (work / name).read_text(encoding="utf-8") == after


def test_lines_are_split_on_line_feeds_only() -> None:
    before = "a\u2028b\x85c\vd\fe\rf\ng\n"
    diff = unified_diff("x.md", before, before.replace("g", "G"))
    assert diff.split("\n")[2:] == [
        "@@ -1,2 +1,2 @@",
        " a\u2028b\x85c\vd\fe\rf",
        "-g",
        "+G",
        "",
    ]


def test_a_missing_final_newline_is_marked() -> None:
    diff = unified_diff("x.md", "a\nb", "a\nB")
    assert diff.split("\n")[2:] == [
        "@@ -1,2 +1,2 @@",
        " a",
        "-b",
        "\\ No newline at end of file",
        "+B",
        "\\ No newline at end of file",
        "",
    ]


def test_git_and_patch_are_here() -> None:
    """The diff tests above run the real tools; they must not silently pass without them."""
    assert shutil.which("git") and shutil.which("patch")


# ---------------------------------------------------------------------------------------------
# Where the file is (issue 14.17): under the current folder, a/ and b/ paths from there; any
# file outside it, every path from the root for `patch -p0 -d /` (patch refuses absolute names
# and names with `..`; it once wrote `a//abs/...`, which nothing applied)


def diff_from(cwd: Path, *paths: str) -> str:
    """`paperlint check --offline --diff PATHS` run in `cwd`."""
    import contextlib
    import io

    from checker.cli import main

    out = io.StringIO()
    with contextlib.chdir(cwd), contextlib.redirect_stdout(out):
        assert main(["check", "--offline", "--diff", *paths]) == 1  # the errors stand
    return out.getvalue()


def apply(diff: str, cwd: Path, command: list[str]) -> None:
    done = subprocess.run(
        command, input=diff, cwd=cwd, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr


def lists(root: Path) -> tuple[Path, Path, Path]:
    """`root/here/list.md` and `root/elsewhere/list.md`, and `root/here` to run in."""
    root = root.resolve()  # names are compared with what the current folder says
    here, elsewhere = root / "here", root / "elsewhere"
    for folder in (here, elsewhere):
        folder.mkdir()
        (folder / "list.md").write_bytes(CASES["lf"])
    return here / "list.md", elsewhere / "list.md", here


def fixed_bytes(tmp_path: Path) -> bytes:
    fix_in(tmp_path / "reference", CASES["lf"])
    return (tmp_path / "reference" / "list.md").read_bytes()


@pytest.mark.parametrize("tool", ["git", "patch"])
def test_an_absolute_path_under_the_current_folder_is_named_from_there(
    tmp_path: Path, tool: str
) -> None:
    inside, _, here = lists(tmp_path)
    diff = diff_from(here, str(inside))
    assert diff.startswith("--- a/list.md\n+++ b/list.md\n@@ ")
    command = {"git": ["git", "apply"], "patch": ["patch", "-p1", "-s"]}[tool]
    apply(diff, here, command)
    assert inside.read_bytes() == fixed_bytes(tmp_path)


@pytest.mark.parametrize("how", ["absolute", "relative"])
@pytest.mark.parametrize("tool", ["git", "patch"])
def test_a_file_outside_the_current_folder_is_named_from_the_root(
    tmp_path: Path, how: str, tool: str
) -> None:
    """Every file of the run then, so one command applies the whole diff: `patch -p0 -d /`
    (or `git -C / apply -p0`), from any folder."""
    inside, outside, here = lists(tmp_path)
    name = str(outside) if how == "absolute" else "../elsewhere/list.md"
    diff = diff_from(here, "list.md", name)
    rooted = [str(p).lstrip("/") for p in (inside, outside)]
    assert [ln[4:] for ln in diff.splitlines() if ln.startswith(("--- ", "+++ "))] == [
        rooted[0], rooted[0], rooted[1], rooted[1],
    ]  # fmt: skip
    command = {"git": ["git", "-C", "/", "apply", "-p0"], "patch": ["patch", "-p0", "-sd", "/"]}
    apply(diff, tmp_path, command[tool])
    assert inside.read_bytes() == outside.read_bytes() == fixed_bytes(tmp_path)


def test_patch_names_are_relative_only_when_every_file_is_under_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from checker.fix import patch_names

    tmp_path = tmp_path.resolve()
    monkeypatch.chdir(tmp_path)
    (tmp_path / "docs").mkdir()
    assert patch_names(["docs/a.md", str(tmp_path / "b.md"), "docs/../c.md"]) == {
        "docs/a.md": ("a/docs/a.md", "b/docs/a.md"),
        str(tmp_path / "b.md"): ("a/b.md", "b/b.md"),
        "docs/../c.md": ("a/c.md", "b/c.md"),
    }
    root = str(tmp_path).lstrip("/")
    assert patch_names(["docs/a.md", "/elsewhere/x.md"]) == {
        "docs/a.md": (f"{root}/docs/a.md", f"{root}/docs/a.md"),
        "/elsewhere/x.md": ("elsewhere/x.md", "elsewhere/x.md"),
    }


def test_on_github_actions_the_diff_is_framed_so_the_log_runs_none_of_its_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A patch holds the list's lines as they are: one beginning with `::`, or holding `##[`,
    would be a workflow command in the job's log. Framed by `::stop-commands::TOKEN` and
    `::TOKEN::`, it is shown and not run, and git apply and patch still take it."""
    from checker.cli import main

    forged = "::error::forged\n##[error]forged too\n"
    data = TEXT.replace(ROW, forged + ROW).encode()
    (tmp_path / "list.md").write_bytes(data)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    main(["check", "--offline", "--no-cache", "--format", "json", "--diff", "list.md"])
    framed = capsys.readouterr().out
    monkeypatch.delenv("GITHUB_ACTIONS")
    main(["check", "--offline", "--no-cache", "--format", "json", "--diff", "list.md"])
    plain = capsys.readouterr().out

    first, *body, last = framed.splitlines(keepends=True)
    token = first.removeprefix("::stop-commands::").strip()
    assert len(token) == 32 and int(token, 16) >= 0 and last == f"::{token}::\n"
    assert "".join(body) == plain and "::error::forged" in plain
    patch = tmp_path / "fix.diff"
    patch.write_text(framed[framed.index("::stop") :], encoding="utf-8")
    for command in (["git", "apply", "--check"], ["patch", "-p1", "--dry-run", "-i"]):
        done = subprocess.run([*command, str(patch)], cwd=tmp_path, capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr

    # a patch that holds no such line is printed as it is, on Actions too
    (tmp_path / "list.md").write_bytes(TEXT.encode())
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    main(["check", "--offline", "--no-cache", "--format", "json", "--diff", "list.md"])
    assert capsys.readouterr().out.startswith("--- a/list.md\n")
