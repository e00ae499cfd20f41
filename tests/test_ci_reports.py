"""CI options of `check`: --fail-on, --exit-zero, --report, annotations within GitHub's caps, the
job summary within its size limit, line links."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from checker.cli import main
from checker.formats import markdown
from checker.model import Finding, Report, Severity, Summary

CLEAN = "# Papers\n\n- [Attention Is All You Need](https://arxiv.org/abs/1706.03762) NeurIPS 2017\n"
WARNS = "# Papers\n\n- [Attention Is All You Need](https://arxiv.org/abs/1706.03762) Neurips 2017\n"
ERRORS = "# Papers\n\n- [Paper](https://arxiv.org/abs/2113.01234)\n"


@pytest.fixture(autouse=True)
def _plain_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY"):
        monkeypatch.delenv(name, raising=False)


def write(folder: Path, name: str, text: str) -> str:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["check", "--offline", *args])
    out, err = capsys.readouterr()
    return code, out, err


def table(rows: int, venue: str = "Neurips 2020", bad_ids: bool = True) -> str:
    """A list with one malformed arXiv ID (error) and one odd venue (warning) per row."""
    lines = ["| Title | Pub | Link |", "|---|---|---|"]
    for i in range(rows):
        ident = f"2113.{i:05d}" if bad_ids else f"2001.{i:05d}"
        lines.append(f"| Paper number {i} | {venue} | [x](https://arxiv.org/abs/{ident}) |")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------
# Exit status


@pytest.mark.parametrize(
    ("text", "args", "expected"),
    [
        (WARNS, [], 0),
        (WARNS, ["--fail-on", "warning"], 1),
        (CLEAN, ["--fail-on", "warning"], 0),
        (ERRORS, ["--fail-on", "warning"], 1),
        (ERRORS, ["--fail-on", "error"], 1),
        (ERRORS, ["--fail-on", "never"], 0),
        (ERRORS, ["--exit-zero"], 0),
        (WARNS, ["--exit-zero", "--fail-on", "warning"], 0),  # --exit-zero wins
    ],
)
def test_fail_on_and_exit_zero(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    text: str,
    args: list[str],
    expected: int,
) -> None:
    code, _, err = run(capsys, *args, write(tmp_path, "list.md", text))
    assert (code, err) == (expected, "")


def test_exit_zero_still_fails_a_run_that_cannot_be_done(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "--exit-zero", str(tmp_path / "gone.md"))
    assert code == 2
    assert err.startswith("paperlint: error: ") and "no such file" in err


# ---------------------------------------------------------------------------------------------
# --report


def test_reports_from_one_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "list.md", ERRORS)
    args = [f"--report=json={tmp_path / 'r.json'}", "--report", f"sarif={tmp_path / 'r.sarif'}"]
    args += ["--report", f"markdown={tmp_path / 'r.md'}", "--report", f"text={tmp_path / 'r.txt'}"]
    code, out, err = run(capsys, *args, path)
    assert (code, err) == (1, "")
    assert "arxiv-id-malformed" in out  # the main output is unchanged: text on stdout
    data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert [f["rule"] for f in data["findings"]] == ["arxiv-id-malformed"]
    sarif = json.loads((tmp_path / "r.sarif").read_text(encoding="utf-8"))
    assert sarif["runs"][0]["results"][0]["ruleId"] == "arxiv-id-malformed"
    assert (tmp_path / "r.md").read_text(encoding="utf-8").startswith("## paperlint report")
    assert "arxiv-id-malformed" in (tmp_path / "r.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("json", "expected FORMAT=FILE"),
        ("xml=r.xml", "unknown format 'xml'"),
        ("json=", "expected FORMAT=FILE"),
        ("json=-", "--report writes a file"),
    ],
)
def test_bad_report_spec(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], spec: str, message: str
) -> None:
    code, out, err = run(capsys, "--report", spec, write(tmp_path, "list.md", CLEAN))
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1 and message in err


def test_report_naming_an_input_file_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "list.md", ERRORS)
    code, _, err = run(capsys, "--report", f"json={path}", path)
    assert code == 2 and "is one of the input files" in err
    assert Path(path).read_text(encoding="utf-8") == ERRORS


def test_report_that_cannot_be_written_still_writes_the_rest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "list.md", ERRORS)
    bad = tmp_path / "missing" / "r.json"
    code, out, err = run(capsys, "--report", f"json={bad}", "--report", f"sarif={tmp_path}/r", path)
    assert code == 2
    assert "r.json: cannot write the report" in err
    assert "arxiv-id-malformed" in out and (tmp_path / "r").exists()


# ---------------------------------------------------------------------------------------------
# Annotations: GitHub shows 10 per level and step, errors first


def test_annotations_errors_first_within_the_cap(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "list.md", table(25))
    code, out, _ = run(capsys, "--format", "github", path)
    assert code == 1
    lines = out.splitlines()
    commands = [line for line in lines if line.startswith("::")]
    assert [c.split(" ", 1)[0] for c in commands] == ["::error"] * 10 + ["::warning"] * 10
    assert "line=3," in commands[0]  # the first error of the file comes first
    # every finding is still in the log: the ones GitHub would drop as plain lines
    plain = [line for line in lines if re.match(re.escape(path) + r":\d+:\d+: ", line)]
    assert len(plain) == 30
    assert lines[-1] == (
        "paperlint: 25 errors, 25 warnings, 0 infos in 1 files; 30 not annotated (15 errors, "
        "15 warnings): GitHub shows 10 per level and step; every finding is in the log above "
        "and in the job summary"
    )


# ---------------------------------------------------------------------------------------------
# The job summary


def test_job_summary_is_appended_on_actions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("# Earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    monkeypatch.setenv("GITHUB_SERVER_URL", "https://github.example")
    monkeypatch.setenv("GITHUB_REPOSITORY", "o/r")
    monkeypatch.setenv("GITHUB_SHA", "0123abc")
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "list.md", table(2))
    code, out, _ = run(capsys, "list.md")
    assert code == 1
    assert out.startswith("::error ")
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("# Earlier step\n\n## paperlint report\n")
    rows = [line for line in text.splitlines() if line.startswith(("| ❌", "| ⚠"))]
    assert [r[:3] for r in rows] == ["| ❌", "| ❌", "| ⚠", "| ⚠"]  # errors first
    assert "[`list.md:3`](https://github.example/o/r/blob/0123abc/list.md?plain=1#L3)" in rows[0]


def test_no_job_summary_for_other_formats(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    run(capsys, "--format", "json", write(tmp_path, "list.md", ERRORS))
    assert not summary.exists()


def test_job_summary_of_a_3000_paper_list_fits_and_says_what_it_left_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    path = write(tmp_path, "list.md", table(3000, venue="Neurips 2020 (a long venue note)"))
    code, _, _ = run(capsys, "--format", "github", path)
    assert code == 1
    data = summary.read_bytes()
    assert 900_000 < len(data) <= 1024 * 1024
    text = data.decode("utf-8")
    rows = [line for line in text.splitlines() if line.startswith("| ")][1:]
    errors = [r for r in rows if r.startswith("| ❌")]
    assert rows[: len(errors)] == errors and len(errors) == 3000  # every error, first
    warnings = len(rows) - len(errors)
    *_, left_out, _, silence = text.rstrip("\n").splitlines()
    assert silence.startswith("A false alarm? ")
    assert left_out == (
        f"**{3000 - warnings} more not shown here ({3000 - warnings} warnings): GitHub limits the "
        "size of this page.** The JSON report has them all."
    )


def test_markdown_budget_in_characters_keeps_errors() -> None:
    findings = [
        Finding("venue-format", Severity.WARNING, "l.md", i, 1, "venue ü" * 5) for i in range(50)
    ] + [Finding("table-shape", Severity.ERROR, "l.md", 100 + i, 1, "split") for i in range(5)]
    report = Report(findings=findings, summary=Summary(files=1, errors=5, warnings=50))
    text = markdown.render(report, limit=3000, full_report="https://example.invalid/run/1")
    assert len(text.encode("utf-8")) <= 3000
    rows = [line for line in text.splitlines() if line.startswith("| ")]
    assert sum(1 for r in rows if "table-shape" in r) == 5
    assert text.rstrip().splitlines()[-3].endswith(
        "The full report: https://example.invalid/run/1."
    )
    unlimited = markdown.render(report)
    assert len([line for line in unlimited.splitlines() if "venue-format" in line]) == 50
