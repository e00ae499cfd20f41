"""CI options of `check`: --fail-on, --exit-zero, --report, annotations within GitHub's caps, the
job summary within its size limit, line links; what a maintainer reads in the reports (entries
by name, moved repositories apart, plurals) and what a pull request's summary says it checked."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from action_runner import on_actions
from fakes import FakeServices, Page, Repo

from checker.cli import main
from checker.formats import github, markdown
from checker.model import (
    Finding,
    Fix,
    NightlyReport,
    NightlyState,
    Report,
    Severity,
    Summary,
)

ROOT = Path(__file__).parent.parent
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
        "paperlint: 25 errors, 25 warnings, 0 infos in 1 file; 30 not annotated (15 errors, "
        "15 warnings): GitHub shows 10 per level and step; every finding is in the log above "
        "and in the job summary"
    )


# ---------------------------------------------------------------------------------------------
# The job summary


def test_job_summary_is_appended_on_actions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = on_actions(monkeypatch, tmp_path)
    summary.write_text("# Earlier step\n", encoding="utf-8")
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
    assert (
        text.rstrip().splitlines()[-3].endswith("The full report: https://example.invalid/run/1.")
    )
    unlimited = markdown.render(report)
    assert len([line for line in unlimited.splitlines() if "venue-format" in line]) == 50


# ---------------------------------------------------------------------------------------------
# What a maintainer reads: entries by name, moved repositories apart, plurals (issue 13.6)


def test_nightly_rows_name_the_entry_and_moved_repositories_are_not_broken(
    fake: FakeServices, paperlint: Any, tmp_path: Path
) -> None:
    fake.world.add(
        Page("/gone", status=404),
        Repo("old-owner/old-name", moved_to="new-owner/new-name"),
        Repo("new-owner/new-name"),
    )
    path = tmp_path / "README.md"
    path.write_text(
        "# Papers\n\n| Title | Pub | Paper | Code |\n|---|---|---|---|\n"
        "| LoRA: Low-Rank Adaptation of Large Language Models, and more words | ICLR 2022 | "
        f"[paper]({fake.web('/gone')}) | [code](https://github.com/old-owner/old-name) |\n",
        encoding="utf-8",
    )
    args = ("--nightly", "--confirm-after", "1", "--allow-private", "--no-cache")
    report = paperlint(str(path), *args, fmt="markdown").out
    assert report.splitlines()[2].startswith(
        "**1 broken** (1 new) · 0 recovered · 0 suspect · 1 moved — checked "
    )
    assert ": 1 file, 1 entry, 0 arXiv IDs, 1 repository, 2 links." in report
    new = section_of(report, "### New: confirmed since the last report (1)")
    assert new[0] == "| | Entry | Where | Problem | Failing since | Runs |"  # no fix: no column
    cells = [c.strip() for c in new[2].split(" | ")]
    assert cells[1] == "LoRA: Low-Rank Adaptation of Large Language…"
    assert cells[2].startswith("`") and cells[2].endswith("README.md:5`")
    assert cells[3] == f"link is broken: HTTP 404 `{fake.web('/gone')}`"  # no rule name first
    moved = section_of(report, "### Moved, with a fix (1)")
    assert moved[0] == "| | Entry | Where | Problem | Fix |"
    assert moved[2].endswith(
        "| repository old-owner/old-name has moved to new-owner/new-name | "
        "`https://github.com/old-owner/old-name` → `https://github.com/new-owner/new-name` |"
    )
    assert "LoRA: Low-Rank Adaptation" in moved[2]
    assert "### Still failing" not in report and "github-moved" not in report


def section_of(report: str, heading: str) -> list[str]:
    lines = report.splitlines()
    start = lines.index(heading) + 2
    end = next(i for i in range(start, len(lines)) if not lines[i].startswith("|"))
    return lines[start:end]


def test_moved_repositories_are_their_own_section_whatever_their_state() -> None:
    def moved(state: str, line: int) -> Finding:
        return Finding(
            "github-moved", Severity.WARNING, "R.md", line, 1, "repository a/b has moved to c/d",
            "https://github.com/a/b", Fix(line, "https://github.com/a/b", "https://github.com/c/d"),
            NightlyState(state, "2026-11-01T04:00:00Z", 3),
        )  # fmt: skip

    report = Report(
        findings=[moved("new", 1), moved("still", 2), moved("suspect", 3)],
        nightly=NightlyReport(2, "2026-11-04T04:00:00Z"),
    )
    parts = markdown.sections(report)
    assert [len(parts[k]) for k in ("new", "still", "suspect", "moved")] == [0, 0, 0, 3]
    assert markdown.headline(report, parts) == "**0 broken** · 0 recovered · 0 suspect · 3 moved"


def test_counts_are_singular_and_plural_in_every_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "list.md", ERRORS)
    _, out, _ = run(capsys, "--format", "text", path)
    assert out.splitlines()[-1].startswith(
        "Found 1 problem (1 error, 0 warnings, 0 infos) in 1 file: 1 entry, 0 arXiv IDs, "
        "0 repositories, 1 link ("
    )
    _, out, _ = run(capsys, "--format", "github", path)
    assert out.splitlines()[-1] == "paperlint: 1 error, 0 warnings, 0 infos in 1 file"
    _, out, _ = run(capsys, "--format", "markdown", path)
    assert out.splitlines()[2].startswith(
        "1 error — 1 file, 1 entry, 0 arXiv IDs, 0 repositories, 1 link ("
    )
    two = write(
        tmp_path, "two.md", WARNS.replace("\n- ", "\n- [Again](https://x.org) Neurips 2017\n- ")
    )
    _, out, _ = run(capsys, "--format", "markdown", two, path)
    assert out.splitlines()[2].startswith("1 error, 2 warnings — 2 files, 3 entries, ")


def test_annotations_left_out_are_counted_in_words() -> None:
    infos = [Finding("link-redirect", Severity.INFO, "l.md", i, 1, "redirects") for i in (1, 2)]
    report = Report(findings=infos, summary=Summary(files=1, infos=2))
    assert github.render(report, per_level=1).splitlines()[-1] == (
        "paperlint: 0 errors, 0 warnings, 2 infos in 1 file; 1 not annotated (1 notice): GitHub "
        "shows 1 per level and step; every finding is in the log above and in the job summary"
    )


def test_fix_column_only_when_a_row_has_a_fix() -> None:
    plain = Finding("table-shape", Severity.ERROR, "l.md", 3, 1, "row is split")
    fixed = Finding(
        "venue-format", Severity.WARNING, "l.md", 4, 5, "venue 'x'", fix=Fix(4, "x", "y")
    )
    without = markdown.render(Report(findings=[plain], summary=Summary(files=1, errors=1)))
    assert "| | Location | Entry | Rule | Message |" in without and "Fix" not in without
    both = markdown.render(Report(findings=[plain, fixed], summary=Summary(files=1, errors=1)))
    assert "| | Location | Entry | Rule | Message | Fix |" in both
    assert "| `venue-format` | venue 'x' | `x` → `y` |" in both


# ---------------------------------------------------------------------------------------------
# The pull-request summary says what was checked (issue 13.7)


def git(folder: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
        cwd=folder,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout.strip()


def test_pull_request_summary_says_which_entries_were_checked_since_the_base(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = [
        f"| Paper number {i} | NeurIPS 2020 | [x](https://arxiv.org/abs/2001.{i:05d}) |"
        for i in range(30)
    ]
    rows[0] = rows[0].replace("NeurIPS", "Neurips")  # an old problem the pull request leaves
    head = "| Title | Pub | Link |\n|---|---|---|\n"
    (tmp_path / "README.md").write_text(head + "\n".join(rows) + "\n", encoding="utf-8")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "README.md")
    git(tmp_path, "commit", "-q", "-m", "base")
    base = git(tmp_path, "rev-parse", "HEAD")
    for i in (5, 6, 7):  # the pull request edits three rows, one of them wrongly
        rows[i] = rows[i].replace(f"number {i}", f"number {i}, revised")
    rows[7] = rows[7].replace("NeurIPS", "Neurips")
    (tmp_path / "README.md").write_text(head + "\n".join(rows) + "\n", encoding="utf-8")
    summary = on_actions(monkeypatch, tmp_path)
    # run as the action: its folder holds paperlint, so the README has an address
    monkeypatch.setenv("GITHUB_ACTION_REPOSITORY", "someone/paperlint")
    monkeypatch.setenv("GITHUB_ACTION_PATH", str(ROOT))
    code, out, err = run(capsys, "--changed-since", base, "README.md")
    assert (code, err) == (0, "")
    assert out.count("::warning ") == 1  # the old problem is not the pull request's
    lines = summary.read_text(encoding="utf-8").splitlines()
    assert lines[2].startswith(
        f"3 changed entries checked since [`{base[:7]}`](https://github.example/o/r/commit/{base}) "
        "(of 30 in `README.md`): 1 warning ("
    )
    assert next(line for line in lines if line.startswith("| ⚠")).split(" | ")[2] == (
        "Paper number 7, revised"
    )
    silence = lines[-1]
    assert silence.startswith("A false alarm? ")
    for way in ("paperlint-disable-next-line RULE", "`exclude`", "`[tool.paperlint.severity]`"):
        assert way in silence
    assert silence.endswith(": [how](https://github.example/someone/paperlint#inline-suppression).")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "\n### Inline suppression\n" in readme  # the anchor the line links to


def test_pull_request_summary_with_nothing_changed_and_a_branch_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "list.md").write_text(CLEAN, encoding="utf-8")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "list.md")
    git(tmp_path, "commit", "-q", "-m", "base")
    monkeypatch.chdir(tmp_path)
    _, out, _ = run(capsys, "--format", "markdown", "--changed-since", "main", "list.md")
    assert out.splitlines()[2].startswith(
        "0 changed entries checked since `main` (of 1 in `list.md`): no problems ("
    )
    assert out.splitlines()[-1] == "No problems found."


def test_the_false_alarm_line_names_the_section_where_the_readme_has_no_address() -> None:
    finding = Finding("table-shape", Severity.ERROR, "l.md", 3, 1, "row is split")
    text = markdown.render(Report(findings=[finding], summary=Summary(files=1, errors=1)))
    assert text.splitlines()[-1].endswith(
        "in `[tool.paperlint.severity]`: see “Inline suppression” in paperlint's README."
    )
