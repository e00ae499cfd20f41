"""What the command line echoes carries nothing live (issue 14.12, 14.20): every stderr line is
one line, escaped, whatever a path, an argument, the configuration or the document put in it, so
a pull request cannot write a workflow command (`::error::`, `::add-mask::`) or a fake line into
a CI log; and a file name that is not UTF-8 is shown escaped, once, in every format and output."""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from checker import cli
from checker.cli import main
from checker.sources import printable

HOSTILE = "\n::error::pwned\r\n::add-mask::x\x1b[31mred\u2028end"
ESCAPED = "\\n::error::pwned\\r\\n::add-mask::x\\x1b[31mred\\u2028end"
WARNS = "# Papers\n\n- [Attention Is All You Need](https://arxiv.org/abs/1706.03762) Neurips 2017\n"


@pytest.fixture(autouse=True)
def _plain_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


def one_escaped_line(err: str) -> str:
    """stderr is exactly one line, `paperlint: …`, with no control character left in it."""
    assert err.endswith("\n") and err.count("\n") == 1, repr(err)
    line = err[:-1]
    assert line.startswith("paperlint: "), repr(err)
    assert line.isprintable(), repr(err)
    return line


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_printable_escapes_what_a_terminal_or_a_log_would_act_on() -> None:
    kept = "plain café — 注意 🙂 C:\\docs\u00a0\u3000 a\u200db \ufeff"  # spaces, joiners: shown
    assert printable(kept) == kept
    assert printable(HOSTILE) == ESCAPED
    controls = "tab\there\x00\x7f\x85\u202e\u2066"  # C0, DEL, C1, bidi controls
    assert printable(controls) == "tab\\there\\x00\\x7f\\x85\\u202e\\u2066"
    assert printable(os.fsdecode(b"l\xffst.md")) == "l\\xffst.md"  # a byte that is not UTF-8
    assert printable("\u2029\ud800") == "\\u2029\\ud800"


def test_every_stderr_line_goes_through_one_function() -> None:
    """cli.say is the only writer of stderr: no other print or write names it."""
    tree = ast.parse(Path(cli.__file__).read_text(encoding="utf-8"))
    writers = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr == "stderr"
    ]
    functions = {
        f.name: f for f in ast.walk(tree) if isinstance(f, ast.FunctionDef)
    }
    inside_say = {id(n) for n in ast.walk(functions["say"])}
    assert len(writers) == 1 and id(writers[0]) in inside_say


def test_a_config_key_with_a_newline_is_echoed_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / ".paperlint.toml").write_text(
        '"bad\\n::error::pwned\\u001b[31m" = 1\n', encoding="utf-8"
    )
    (tmp_path / "list.md").write_text(WARNS, encoding="utf-8")
    code, _, err = run(capsys, "check", "--offline", str(tmp_path / "list.md"))
    assert code == 2
    line = one_escaped_line(err)
    assert "bad\\n::error::pwned\\x1b[31m" in line


@pytest.mark.parametrize(
    "args",
    [
        ["--select", "nope" + HOSTILE],
        ["--ignore", "nope" + HOSTILE],
        ["--format", "json" + HOSTILE],
        ["--report", "json" + HOSTILE],
        ["--timeout", "1" + HOSTILE],
        ["--output", "missing-folder/out" + HOSTILE + ".json"],
        ["--config", "missing" + HOSTILE + ".toml"],
    ],
    ids=["select", "ignore", "format", "report", "timeout", "output", "config"],
)
def test_an_argument_is_echoed_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    args: list[str],
) -> None:  # fmt: skip
    monkeypatch.chdir(tmp_path)
    (tmp_path / "list.md").write_text(WARNS, encoding="utf-8")
    code, _, err = run(capsys, "check", "--offline", "--format", "json", *args, "list.md")
    assert code == 2
    assert ESCAPED in one_escaped_line(err)


def test_a_path_is_echoed_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # a relative path: the temporary folder's length varies
    code, _, err = run(capsys, "check", "--offline", f"gone{HOSTILE}.md")
    assert code == 2
    assert one_escaped_line(err) == f"paperlint: error: gone{ESCAPED}.md: no such file"


def test_a_file_name_with_a_newline_is_fixed_and_named_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / f"list{HOSTILE}.md"
    path.write_text(WARNS, encoding="utf-8")
    code, out, err = run(capsys, "check", "--offline", "--format", "json", "--fix", str(path))
    assert code == 0
    assert one_escaped_line(err) == f"paperlint: fixed 1 problem in {tmp_path}/list{ESCAPED}.md"
    assert "NeurIPS 2017" in path.read_text(encoding="utf-8")
    assert json.loads(out)["summary"]["files"] == 1


def git_repository(folder: Path) -> None:
    git = ["git", "-c", "user.email=t@t", "-c", "user.name=t"]
    subprocess.run([*git, "init", "-q"], cwd=folder, check=True)
    (folder / "list.md").write_text(WARNS, encoding="utf-8")
    subprocess.run([*git, "add", "list.md"], cwd=folder, check=True)
    subprocess.run([*git, "commit", "-qm", "list"], cwd=folder, check=True)


def test_a_newline_in_changed_since_is_one_escaped_line(tmp_path: Path) -> None:
    """Issue 14.20: git names the revision it cannot read; that is quoted, not replayed."""
    git_repository(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "checker", "check", "--offline", "--no-progress",
         "--changed-since", f"HEAD{HOSTILE}", str(tmp_path / "list.md")],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    line = one_escaped_line(done.stderr)
    assert line.startswith(f"paperlint: error: --changed-since HEAD{ESCAPED}: ")


# ---------------------------------------------------------------------------------------------
# A file name that is not UTF-8 (issue 14.20): every format, every output


RAW_NAME = b"l\xffst.md"  # Python reads it as "l\udcffst.md"
SHOWN = "l\\xffst.md"


@pytest.fixture
def odd_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(tmp_path)
    with open(RAW_NAME, "wb") as handle:
        handle.write(WARNS.encode())
    return os.fsdecode(RAW_NAME)


FORMATS = ["text", "json", "github", "sarif", "markdown"]


def shows_the_name(fmt: str, text: str) -> None:
    assert text.encode("utf-8")  # no lone surrogate: it encodes
    if fmt == "json":
        assert json.loads(text)["findings"][0]["file"] == SHOWN
    elif fmt == "sarif":
        (result,) = json.loads(text)["runs"][0]["results"]
        location = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert location == "l%5Cxffst.md"  # the name shown, as a URI reference
    else:
        assert SHOWN in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_name_that_is_not_utf8_on_stdout(
    odd_name: str, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    code, out, err = run(capsys, "check", "--offline", "--format", fmt, odd_name)
    assert (code, err) == (0, "")
    shows_the_name(fmt, out)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_name_that_is_not_utf8_in_output_and_report_files(
    odd_name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    code, out, err = run(
        capsys, "check", "--offline", "--format", fmt, "-o", "out.txt",
        "--report", f"{fmt}=report.txt", odd_name,
    )  # fmt: skip
    assert (code, out, err) == (0, "", "")
    for name in ("out.txt", "report.txt"):
        shows_the_name(fmt, (tmp_path / name).read_text(encoding="utf-8"))


def test_a_name_that_is_not_utf8_in_the_job_summary(
    odd_name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "summary.md"))
    code, out, err = run(capsys, "check", "--offline", "--format", "github", odd_name)
    assert (code, err) == (0, "")
    shows_the_name("github", out)
    shows_the_name("markdown", (tmp_path / "summary.md").read_text(encoding="utf-8"))


@pytest.mark.parametrize("tool", ["patch", "git"])
def test_a_name_that_is_not_utf8_in_a_diff_that_applies(
    odd_name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], tool: str
) -> None:
    """--diff names the file by its bytes, C-quoted as git writes them; --fix names it escaped."""
    code, out, err = run(capsys, "check", "--offline", "--diff", odd_name)
    assert (code, err) == (0, "")
    assert out.startswith('--- "a/l\\377st.md"\n+++ "b/l\\377st.md"\n')
    (tmp_path / "fix.diff").write_text(out, encoding="utf-8")
    shutil.copy(RAW_NAME, b"expected.md")
    code, _, err = run(capsys, "check", "--offline", "--fix", odd_name)
    assert (code, err) == (0, f"paperlint: fixed 1 problem in {SHOWN}\n")
    fixed = Path(os.fsdecode(RAW_NAME)).read_bytes()
    shutil.copy(b"expected.md", RAW_NAME)  # back to the file as it was, to apply the diff to
    command = {"patch": ["patch", "-p1", "-s", "-i"], "git": ["git", "apply"]}[tool]
    done = subprocess.run([*command, "fix.diff"], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert Path(os.fsdecode(RAW_NAME)).read_bytes() == fixed
    assert re.search(rb"NeurIPS 2017", fixed)


def test_a_name_that_is_not_utf8_with_changed_since(
    odd_name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """git is asked about the file by its bytes; the report names it escaped."""
    git = ["git", "-c", "user.email=t@t", "-c", "user.name=t"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "list"], check=True)
    with open(RAW_NAME, "ab") as handle:
        handle.write(b"- [Reformer](https://arxiv.org/abs/2001.04451) iclr 2020\n")
    code, out, err = run(
        capsys, "check", "--offline", "--format", "json", "--changed-since", "HEAD", odd_name
    )
    assert (code, err) == (0, "")
    findings = json.loads(out)["findings"]
    assert [(f["file"], f["line"]) for f in findings] == [(SHOWN, 4)]  # the new row only
