"""The command line, offline: exit codes, one-line errors, reports, the seed file, colours."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from checker.cli import main

DATA = Path(__file__).parent / "data"
SEED = DATA / "seed" / "efficiency.md"
ROOT = Path(__file__).resolve().parent.parent

CLEAN = "# Papers\n\n- [Attention Is All You Need](https://arxiv.org/abs/1706.03762) NeurIPS 2017\n"
WARNS = "# Papers\n\n- [Attention Is All You Need](https://arxiv.org/abs/1706.03762) Neurips 2017\n"
ERRORS = "# Papers\n\n- [Paper](https://arxiv.org/abs/2113.01234)\n"

# The rules of the contract (spec/contract.md): name, default severity, needs the network.
CONTRACT_RULES = {
    "table-shape": ("error", False),
    "arxiv-id-malformed": ("error", False),
    "link-text-mismatch": ("error", False),
    "duplicate-entry": ("warning", False),
    "anchor-missing": ("error", False),
    "venue-format": ("warning", False),
    "venue-year": ("warning", False),
    "arxiv-not-found": ("error", True),
    "arxiv-withdrawn": ("warning", True),
    "title-mismatch": ("error", True),
    "venue-mismatch": ("warning", True),
    "venue-missing": ("info", True),
    "github-not-found": ("error", True),
    "github-moved": ("warning", True),
    "github-archived": ("info", True),
    "link-broken": ("error", True),
    "link-redirect": ("info", True),
    "link-private": ("error", False),
    "service-unavailable": ("warning", True),
    "arxiv-id-conflict": ("error", False),
    "link-syntax": ("error", False),
}
SUMMARY_KEYS = {
    "files", "entries", "links", "arxiv_ids", "repos",
    "errors", "warnings", "infos", "unverified", "duration_s",
}  # fmt: skip
FINDING_KEYS = {"rule", "severity", "file", "line", "column", "message"}


@pytest.fixture(autouse=True)
def _plain_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    # a CI runner's GITHUB_ACTIONS would switch the default format to `github`
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


def write(folder: Path, name: str, text: str) -> str:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def one_error_line(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("paperlint: error: "), err
    assert "Traceback" not in err
    return lines[0]


# ---------------------------------------------------------------------------------------------
# Exit status


@pytest.mark.parametrize(("text", "expected"), [(CLEAN, 0), (WARNS, 0), (ERRORS, 1)])
def test_exit_status(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, expected: int
) -> None:
    code, _, err = run(capsys, "check", "--offline", write(tmp_path, "list.md", text))
    assert code == expected
    assert err == ""


def test_check_is_the_default_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--offline", write(tmp_path, "list.md", ERRORS))
    assert code == 1
    assert "arxiv-id-malformed" in out


def test_default_path_is_readme_in_the_current_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "check", "--offline")
    assert code == 2
    assert one_error_line(err) == "paperlint: error: README.md: no such file"
    write(tmp_path, "README.md", ERRORS)
    code, out, _ = run(capsys, "check", "--offline")
    assert code == 1
    assert "README.md:3:" in out


def test_file_without_tables_or_links_is_not_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "notes.md", "# Notes\n\nJust prose, no papers here.\n")
    code, out, err = run(capsys, "check", "--offline", path)
    assert (code, err) == (0, "")
    assert "No problems found in 1 file: 0 entries" in out


# ---------------------------------------------------------------------------------------------
# Input that cannot be checked: one line on stderr, exit 2


def _missing(tmp_path: Path) -> str:
    return str(tmp_path / "missing.md")


def _directory(tmp_path: Path) -> str:
    (tmp_path / "folder.md").mkdir()
    return str(tmp_path / "folder.md")


def _binary(tmp_path: Path) -> str:
    (tmp_path / "image.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    return str(tmp_path / "image.md")


def _latin1(tmp_path: Path) -> str:
    (tmp_path / "latin.md").write_bytes("- Café [x](https://example.com)\n".encode("latin-1"))
    return str(tmp_path / "latin.md")


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (_missing, "missing.md: no such file"),
        (_directory, "folder.md: is a directory"),
        (_binary, "image.md: looks like a binary file"),
        (_latin1, "latin.md: not UTF-8 text (byte 0xe9 at offset 5)"),
    ],
)
def test_unreadable_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], make: object, message: str
) -> None:
    assert callable(make)
    code, _, err = run(capsys, "check", "--offline", make(tmp_path))
    assert code == 2
    assert message in one_error_line(err)


EMPTY = {
    "zero-bytes": b"",
    "whitespace": b"  \n\t\r\n \n",
    "bom-only": b"\xef\xbb\xbf",
    "bom-and-newline": b"\xef\xbb\xbf\n",
}


@pytest.mark.parametrize("name", sorted(EMPTY))
@pytest.mark.parametrize("fmt", ["text", "json", "github", "sarif", "markdown"])
def test_an_empty_file_is_valid_markdown_with_nothing_to_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, fmt: str
) -> None:
    """Issue 13.9: checked, nothing found, exit 0, in every format (it was exit 2)."""
    path = tmp_path / "empty.md"
    path.write_bytes(EMPTY[name])
    code, out, err = run(capsys, "check", "--offline", "--format", fmt, str(path))
    assert (code, err) == (0, "")
    if fmt == "json":
        report = json.loads(out)
        assert report["findings"] == []
        assert (report["summary"]["files"], report["summary"]["entries"]) == (1, 0)
    elif fmt == "sarif":
        assert json.loads(out)["runs"][0]["results"] == []
    elif fmt == "text":
        assert "No problems found in 1 file: 0 entries" in out


def test_an_empty_file_passes_fix_diff_and_the_pre_commit_hook(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--fix and --diff leave it byte for byte; the hook's own command line exits 0."""
    import yaml

    paths = []
    for name, data in EMPTY.items():
        (tmp_path / f"{name}.md").write_bytes(data)
        paths.append(f"{name}.md")
    code, out, err = run(
        capsys, "check", "--offline", "--fix", "--diff", *(str(tmp_path / p) for p in paths)
    )
    assert (code, out, err) == (0, "", "")
    assert {p: (tmp_path / p).read_bytes() for p in paths} == {
        f"{n}.md": d for n, d in EMPTY.items()
    }
    manifest = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    for hook in manifest:
        if "manual" in hook.get("stages", []):
            continue  # the online hook: the same command line with the network
        entry = hook["entry"].split()
        assert entry[0] == "paperlint"
        done = subprocess.run(
            [sys.executable, "-m", "checker", *entry[1:], *paths],
            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert (done.returncode, done.stderr) == (0, ""), done.stdout + done.stderr


def test_broken_config_toml(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cfg = write(tmp_path, "lint.toml", "ignore = [\n")
    code, _, err = run(
        capsys, "check", "--offline", "--config", cfg, write(tmp_path, "l.md", CLEAN)
    )
    assert code == 2
    assert "lint.toml: invalid TOML" in one_error_line(err)


def test_broken_dotfile_found_by_search(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, ".paperlint.toml", "select = ['table-shape'\n")
    code, _, err = run(capsys, "check", "--offline", write(tmp_path, "l.md", CLEAN))
    assert code == 2
    assert ".paperlint.toml: invalid TOML" in one_error_line(err)


def test_broken_pyproject_with_paperlint_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path, "pyproject.toml", '[tool.paperlint]\nignore = ["link-private"\n')
    code, _, err = run(capsys, "check", "--offline", write(tmp_path, "l.md", CLEAN))
    assert code == 2
    assert "pyproject.toml" in one_error_line(err)


def test_missing_config_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(
        capsys, "check", "--offline", "--config", str(tmp_path / "nope.toml"),
        write(tmp_path, "l.md", CLEAN),
    )  # fmt: skip
    assert code == 2
    assert "nope.toml: configuration file not found" in one_error_line(err)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--select", "table-shape,no-such-rule"], "--select: unknown rule 'no-such-rule'"),
        (["--ignore", "bogus"], "--ignore: unknown rule 'bogus'"),
        (["--format", "xml"], "invalid choice: 'xml'"),
        (["--timeout", "-1"], "must not be negative"),
        (["--timeout", "0"], "must be greater than 0"),
        (["--timeout", "nan"], "must be a finite number: 'nan'"),
        (["--timeout", "inf"], "must be a finite number: 'inf'"),
        (["--arxiv-delay", "NaN"], "must be a finite number: 'NaN'"),
        (["--max-concurrency", "0"], "must be at least 1"),
        (["--no-such-option"], "unrecognized arguments: --no-such-option"),
    ],
)
def test_usage_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, out, err = run(capsys, "check", "--offline", *args, write(tmp_path, "l.md", CLEAN))
    assert code == 2
    assert message in one_error_line(err)
    assert out == ""


def test_bad_file_among_good_ones(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = write(tmp_path, "good.md", ERRORS)
    clean = write(tmp_path, "clean.md", CLEAN)
    code, out, err = run(
        capsys, "check", "--offline", "--format", "json", good, str(tmp_path / "gone.md"), clean
    )
    assert code == 2
    assert "gone.md: no such file" in one_error_line(err)
    report = json.loads(out)
    assert report["summary"]["files"] == 2
    assert [(f["file"], f["rule"], f["line"]) for f in report["findings"]] == [
        (good, "arxiv-id-malformed", 3)
    ]


def test_no_traceback_in_a_real_process(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "checker", "check", "--offline", str(tmp_path / "gone.md")],
        capture_output=True, text=True, cwd=ROOT, timeout=60,
    )  # fmt: skip
    assert proc.returncode == 2
    assert proc.stderr.splitlines() == [f"paperlint: error: {tmp_path / 'gone.md'}: no such file"]


# ---------------------------------------------------------------------------------------------
# paperlint rules


def test_rules_lists_every_contract_rule(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rules")
    assert code == 0
    rows = {line.split()[0]: line.split()[1:3] for line in out.splitlines() if line.strip()}
    assert set(rows) == set(CONTRACT_RULES)
    for name, (severity, network) in CONTRACT_RULES.items():
        assert rows[name] == [severity, "network" if network else "offline"], name


def test_rules_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rules", "--format", "json")
    assert code == 0
    data = json.loads(out)
    got = {r["name"]: (r["severity"], r["network"]) for r in data}
    assert got == CONTRACT_RULES
    assert all(isinstance(r["summary"], str) and r["summary"] for r in data)


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert re.fullmatch(r"paperlint \d+\.\d+\.\d+\S*\n", capsys.readouterr().out)


# ---------------------------------------------------------------------------------------------
# Reports


def test_json_report_shape(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    md = (
        "| Title | Pub | Link |\n"
        "|---|---|---|\n"
        "| A title | Neurips 2020 | [x](https://arxiv.org/abs/2006.03236) | extra |\n"
        "\n"
        "- [y](https://github.com/a/b) [z](#nowhere)\n"
    )
    path = write(tmp_path, "list.md", md)
    code, out, _ = run(capsys, "check", "--offline", "--format", "json", path)
    assert code == 1
    report = json.loads(out)
    assert set(report) == {"version", "tool", "summary", "findings"}
    assert report["version"] == 1
    assert report["tool"]["name"] == "paperlint"
    assert re.fullmatch(r"\d+\.\d+\.\d+\S*", report["tool"]["version"])
    summary = report["summary"]
    assert set(summary) == SUMMARY_KEYS
    assert {k: v for k, v in summary.items() if k != "duration_s"} == {
        "files": 1, "entries": 2, "links": 2, "arxiv_ids": 1, "repos": 1,
        "errors": 2, "warnings": 1, "infos": 0, "unverified": 0,
    }  # fmt: skip
    assert isinstance(summary["duration_s"], (int, float)) and summary["duration_s"] >= 0
    by_rule = {f["rule"]: f for f in report["findings"]}
    assert set(by_rule) == {"table-shape", "venue-format", "anchor-missing"}
    for f in report["findings"]:
        assert FINDING_KEYS <= set(f) <= FINDING_KEYS | {"url", "fix"}
        assert f["file"] == path
        assert isinstance(f["line"], int) and isinstance(f["column"], int)
    # fix only where a safe fix exists
    assert "fix" not in by_rule["table-shape"]
    assert "fix" not in by_rule["anchor-missing"]
    assert by_rule["venue-format"]["fix"] == {
        "line": 3,
        "old": "Neurips 2020",
        "new": "NeurIPS 2020",
        "column": 13,  # extension: where `old` stands, so --fix never edits a look-alike
        "applicability": "safe",  # --fix applies it (an unsafe one waits for --unsafe-fixes)
    }
    assert by_rule["anchor-missing"]["url"] == "#nowhere"
    assert by_rule["venue-format"]["line"] == 3


def test_json_file_is_as_given(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "docs").mkdir()
    write(tmp_path / "docs", "list.md", ERRORS)
    monkeypatch.chdir(tmp_path)
    _, out, _ = run(capsys, "check", "--offline", "--format", "json", "docs/list.md")
    assert [f["file"] for f in json.loads(out)["findings"]] == ["docs/list.md"]


def test_output_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = tmp_path / "out" / "report.json"
    report.parent.mkdir()
    path = write(tmp_path, "list.md", ERRORS)
    code, out, err = run(
        capsys, "check", "--offline", "--format", "json", "--output", str(report), path
    )
    assert (code, out, err) == (1, "", "")
    data = json.loads(report.read_text(encoding="utf-8"))
    assert [f["rule"] for f in data["findings"]] == ["arxiv-id-malformed"]


def test_output_that_cannot_be_written_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "l.md", CLEAN)
    missing = tmp_path / "no-such-folder" / "report.json"
    code, _, err = run(capsys, "check", "--offline", "--output", str(missing), path)
    assert code == 2
    assert "report.json: cannot write the report" in one_error_line(err)


def test_output_dash_is_stdout(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "list.md", ERRORS)
    code, out, _ = run(capsys, "check", "--offline", "--format", "json", "--output", "-", path)
    assert code == 1
    assert json.loads(out)["summary"]["errors"] == 1


def test_text_output_without_terminal_has_no_escapes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "list.md", ERRORS)
    text_out = tmp_path / "report.txt"
    code, out, _ = run(capsys, "check", "--offline", path)
    assert code == 1
    assert "\x1b" not in out
    assert out.splitlines()[0] == (
        f"{path}:3:11: error   arxiv-id-malformed '2113.01234' is not a valid arXiv identifier "
        "(YYMM.NNNNN[vN] or archive/YYMMNNN[vN])"
    )
    run(capsys, "check", "--offline", "--output", str(text_out), path)

    def timeless(text: str) -> str:  # the summary line ends with the run's duration
        return re.sub(r"\(\d+\.\d+s\)", "(…s)", text)

    assert timeless(text_out.read_text(encoding="utf-8")) == timeless(out)


def test_github_format_is_the_default_on_actions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    path = write(tmp_path, "list.md", ERRORS)
    code, out, _ = run(capsys, "check", "--offline", path)
    assert code == 1
    first = out.splitlines()[0]
    assert first.startswith(
        f"::error file={path},line=3,col=11,title=paperlint arxiv-id-malformed::"
    )


def _sgr_colours(data: bytes) -> list[str]:
    """SGR parameters that set a colour (30-39, 40-49, 90-107, 38;…, 48;…)."""
    colours = []
    for params in re.findall(rb"\x1b\[([0-9;]*)m", data):
        for p in params.decode().split(";"):
            if p and (30 <= int(p) <= 49 or 90 <= int(p) <= 107):
                colours.append(p)
    return colours


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_no_color_on_a_terminal(tmp_path: Path) -> None:
    path = write(tmp_path, "list.md", ERRORS)

    def on_terminal(no_color: bool) -> bytes:
        master, slave = os.openpty()
        env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
        env.update(TERM="xterm-256color", COLUMNS="200")
        env.pop("GITHUB_ACTIONS", None)
        if no_color:
            env["NO_COLOR"] = "1"
        proc = subprocess.Popen(
            [sys.executable, "-m", "checker", "check", "--offline", path],
            stdout=slave, stderr=subprocess.DEVNULL, env=env, cwd=ROOT,
        )  # fmt: skip
        os.close(slave)
        chunks = []
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO once the child closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        assert proc.wait(timeout=60) == 1
        os.close(master)
        return b"".join(chunks)

    coloured = on_terminal(no_color=False)
    assert b"arxiv-id-malformed" in coloured
    assert _sgr_colours(coloured), coloured
    plain = on_terminal(no_color=True)
    assert b"arxiv-id-malformed" in plain
    assert _sgr_colours(plain) == [], plain


# ---------------------------------------------------------------------------------------------
# The seed file


def test_seed_offline_findings(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "check", "--offline", "--format", "json", str(SEED))
    assert code == 1
    assert err == ""
    report = json.loads(out)
    lines = SEED.read_text(encoding="utf-8").split("\n")
    got = [(f["rule"], f["severity"], f["line"]) for f in report["findings"]]
    assert got == [
        ("table-shape", "error", 36),
        ("venue-format", "warning", 38),
        ("table-shape", "error", 42),
    ]
    linformer, funnel, explicit = report["findings"]
    assert linformer["fix"] == {
        "line": 36,
        "old": lines[35] + "\n" + lines[36],
        "new": lines[35] + " " + lines[36].strip(),
        "applicability": "safe",
    }
    assert explicit["fix"] == {
        "line": 42,
        "old": lines[41] + "\n" + lines[42],
        "new": lines[41] + " " + lines[42].strip(),
        "applicability": "safe",
    }
    assert funnel["fix"] == {
        "line": 38,
        "old": "Neurips 2020",
        "new": "NeurIPS 2020",
        "column": 128,
        "applicability": "safe",
    }
    assert funnel["column"] == lines[37].index("Neurips 2020") + 1
    assert funnel["message"] == "venue 'Neurips 2020' is not written canonically: 'NeurIPS 2020'"
    summary = report["summary"]
    assert (summary["entries"], summary["arxiv_ids"], summary["repos"], summary["links"]) == (
        25, 20, 5, 28,
    )  # fmt: skip
    assert (summary["files"], summary["errors"], summary["warnings"], summary["infos"]) == (
        1, 2, 1, 0,
    )  # fmt: skip


def test_seed_text_report(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", "--offline", str(SEED))
    assert code == 1
    findings = [line for line in out.splitlines() if line.startswith(str(SEED))]
    assert [line.split()[2] for line in findings] == ["table-shape", "venue-format", "table-shape"]
    assert [line.split(":")[1] for line in findings] == ["36", "38", "42"]
    assert "25 entries, 20 arXiv IDs, 5 repositories, 28 links" in out
    assert "3 fixable with --fix" in out


def test_seed_select_and_ignore(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", "--offline", "--format", "json", "--select",
                       "venue-format", str(SEED))  # fmt: skip
    assert code == 0
    assert [f["line"] for f in json.loads(out)["findings"]] == [38]
    code, out, _ = run(capsys, "check", "--offline", "--format", "json", "--ignore",
                       "table-shape,venue-format", str(SEED))  # fmt: skip
    assert code == 0
    assert json.loads(out)["findings"] == []


def test_python_dash_m_matches_in_process(capsys: pytest.CaptureFixture[str]) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "checker", "check", "--offline", "--format", "json", str(SEED)],
        capture_output=True, text=True, cwd=ROOT, timeout=60,
        env={k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"},
    )  # fmt: skip
    assert proc.returncode == 1
    _, out, _ = run(capsys, "check", "--offline", "--format", "json", str(SEED))
    sub, here = json.loads(proc.stdout), json.loads(out)
    assert sub["findings"] == here["findings"]
    assert {k: v for k, v in sub["summary"].items() if k != "duration_s"} == {
        k: v for k, v in here["summary"].items() if k != "duration_s"
    }


# ---------------------------------------------------------------------------------------------
# A report never overwrites the list; a stdout without Unicode gets ASCII


@pytest.mark.parametrize("option", ["-o", "--output"])
def test_output_naming_an_input_file_is_refused(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    option: str,
) -> None:
    path = write(tmp_path, "list.md", ERRORS)
    other = write(tmp_path, "other.md", CLEAN)
    monkeypatch.chdir(tmp_path)
    # the same file under another spelling is still the same file
    code, out, err = run(capsys, "check", "--offline", other, "list.md", option, str(path))
    assert code == 2
    assert "is one of the input files" in one_error_line(err)
    assert out == ""
    assert Path(path).read_text(encoding="utf-8") == ERRORS


UNICODE_LIST = (
    "| Title | Pub | Link |\n|---|---|---|\n"
    "| Ünïcödé — Attention Is All You Need | Neurips 2017 |"
    " [x](https://arxiv.org/abs/1706.03762) |\n"
    "| Broken | ICML 2020 | [y](https://arxiv.org/abs/2113.01234) |\n"
)


@pytest.mark.parametrize("fmt", ["text", "github", "markdown", "json"])
def test_ascii_stdout_degrades_instead_of_crashing(tmp_path: Path, fmt: str) -> None:
    path = write(tmp_path, "list.md", UNICODE_LIST)
    env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    env["PYTHONIOENCODING"] = "ascii"
    done = subprocess.run(
        [sys.executable, "-m", "checker", "check", "--offline", "--format", fmt, path],
        capture_output=True, env=env, cwd=ROOT, timeout=60,
    )  # fmt: skip
    assert b"Traceback" not in done.stderr, done.stderr.decode()
    assert done.returncode == 1, done.stderr.decode()
    assert done.stdout.isascii()
    out = done.stdout.decode("ascii")
    assert "arxiv-id-malformed" in out
    if fmt == "json":  # escaped, not lost
        report = json.loads(out)
        assert any("NeurIPS 2017" in f.get("fix", {}).get("new", "") for f in report["findings"])
    else:
        arrow = "-> 'NeurIPS 2017'" if fmt != "markdown" else "-> `NeurIPS 2017`"
        assert arrow in out


def test_ascii_stdout_diff_stays_exact(tmp_path: Path) -> None:
    text = "# Papers\n\n- [Ünïcödé](https://arxiv.org/abs/1706.03762) Neurips 2017 — x\n"
    path = write(tmp_path, "list.md", text)
    env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    env["PYTHONIOENCODING"] = "ascii"
    done = subprocess.run(
        [sys.executable, "-m", "checker", "check", "--offline", "--diff", path],
        capture_output=True, env=env, cwd=ROOT, timeout=60,
    )  # fmt: skip
    assert b"Traceback" not in done.stderr, done.stderr.decode()
    assert "+- [Ünïcödé](https://arxiv.org/abs/1706.03762) NeurIPS 2017 — x".encode() in done.stdout
