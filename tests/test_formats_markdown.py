"""The Markdown report as the README shows it: the rendered nightly issue in the README is what
`markdown.render` writes for the same findings, so the example never drifts from the code."""

from __future__ import annotations

import re
from pathlib import Path

from checker.formats import markdown
from checker.model import (
    Applicability,
    Applied,
    ChangedScope,
    Finding,
    Fix,
    NightlyReport,
    NightlyRun,
    NightlyState,
    Recovered,
    Report,
    Severity,
    Summary,
)

README = Path(__file__).parent.parent / "README.md"
LINKS = markdown.LineLinks("https://github.com", "OWNER/awesome-list", "4f1c2e9", ".")


def readme_example() -> Report:
    """The night the README shows: one new failure, one old one, a moved repository, a
    recovered link, a suspect and a venue to fix, in a list of 412 papers; the fixes (the new
    failure's archived copy among them) applied by fix-pr."""

    def failing(
        line: int,
        rule: str,
        message: str,
        url: str,
        state: str,
        since: str,
        runs: int,
        severity: Severity = Severity.ERROR,
        fix: Fix | None = None,
    ) -> Finding:
        nightly = NightlyState(state, f"2026-11-{since}T04:17:00Z", runs)
        return Finding(rule, severity, "README.md", line, 3, message, url, fix, nightly)

    old, new = "https://github.com/jdoe/flash-attn", "https://github.com/flash-org/flash-attention"
    demo = "https://example.org/project/demo"
    copy = Fix(57, demo, f"https://web.archive.org/web/20250602101500/{demo}", 40,
               Applicability.UNSAFE)  # fmt: skip
    findings = [
        failing(57, "link-broken", "link is broken: HTTP 404; the Wayback Machine has a copy of "
                "2025-06-02", demo, "new", "29", 2, fix=copy),
        failing(112, "github-not-found", "repository some-lab/fast-attn does not exist (or is "
                "private)", "https://github.com/some-lab/fast-attn", "still", "19", 12),
        failing(88, "github-moved", "repository jdoe/flash-attn has moved to "
                "flash-org/flash-attention", old, "still", "21", 10, Severity.WARNING,
                Fix(88, old, new, 120)),
        failing(140, "link-broken", "link is broken: timed out after 20s",
                "https://blog.example.net/post", "suspect", "30", 1),
        Finding("venue-format", Severity.WARNING, "README.md", 31, 96,
                "venue 'Neurips 2020' is not written canonically: 'NeurIPS 2020'",
                fix=Fix(31, "Neurips 2020", "NeurIPS 2020", 96)),
    ]  # fmt: skip
    broken = [0] * 18 + [1] * 10 + [2] * 2
    unverified = [0, 0, 3] + [0] * 6 + [12] + [0] * 12 + [1] + [0] * 7
    return Report(
        findings=findings,
        summary=Summary(
            files=1, entries=412, links=655, arxiv_ids=398, repos=201, errors=2, warnings=2
        ),
        recovered=[
            Recovered(
                "link-broken",
                "README.md",
                203,
                "https://sites.example.edu/~lab/paper.pdf",
                "2026-11-27T04:17:00Z",
            ),
        ],
        nightly=NightlyReport(
            2,
            "2026-11-30T04:17:00Z",
            runs=[
                NightlyRun(f"2026-11-{d:02d}T04:17:00Z", b, u)
                for d, b, u in zip(range(1, 31), broken, unverified, strict=True)
            ],
            fixed=[Applied(f) for f in findings if f.fix is not None],
        ),
        titles={
            ("README.md", 57): "DemoNet: Interactive Demos for Everyone",
            (
                "README.md",
                112,
            ): "FastAttn: Fast and Memory-Efficient Exact Attention with IO-Awareness",
            ("README.md", 88): "FlashAttention: Fast and Memory-Efficient Exact Attention",
            ("README.md", 140): "Efficient Transformers: A Survey",
            ("README.md", 203): "Linformer: Self-Attention with Linear Complexity",
            ("README.md", 31): "Big Bird: Transformers for Longer Sequences",
        },
    )


def readme_block() -> str:
    text = README.read_text(encoding="utf-8")
    m = re.search(r"<summary>paperlint: link rot report</summary>\n\n(.*?)</details>", text, re.S)
    assert m is not None
    return m.group(1)


def test_the_readme_shows_the_nightly_report_as_it_is_written() -> None:
    """As the issue reads once the action's last step named the pull request with the fixes."""
    written = markdown.render(readme_example(), LINKS)
    assert "**Fixes:** 3 (1 unsafe) applied to the files by `--fix`." in written
    assert readme_block() == markdown.link_pull_request(written, 14)


def test_the_readme_example_has_every_section_a_maintainer_reads() -> None:
    block = readme_block()
    heads = [line for line in block.splitlines() if line.startswith("### ")]
    assert heads == [
        "### New: confirmed since the last report (1)",
        "### Still failing (1)",
        "### Moved, with a fix (1)",
        "### Recovered (1)",
        "### Suspect: not confirmed until it fails 2 runs in a row (1)",
        "### Everything else (1)",
    ]
    assert "| FastAttn: Fast and Memory-Efficient Exact… |" in block  # the title, cut short


def pull_request_example() -> Report:
    """The job summary the README shows for a pull request that edited three rows."""
    fix = Fix(12, "Neurips 2020", "NeurIPS 2020", 36)
    finding = Finding(
        "venue-format",
        Severity.WARNING,
        "README.md",
        12,
        36,
        "venue 'Neurips 2020' is not written canonically: 'NeurIPS 2020'",
        fix=fix,
    )
    return Report(
        findings=[finding],
        summary=Summary(files=1, entries=30, links=30, arxiv_ids=30, warnings=1, duration_s=0.4),
        changed=ChangedScope("9fceb02d0ae598e95dc970b74767f19372d61af8", 3, ("README.md",)),
        titles={("README.md", 12): "Paper number 7, revised"},
    )


def test_the_readme_shows_the_pull_request_summary_as_it_is_written() -> None:
    text = README.read_text(encoding="utf-8")
    m = re.search(r"```markdown\n(## paperlint report\n.*?)```\n", text, re.S)
    assert m is not None
    readme = "https://github.com/OWNER/paperlint#readme"  # run as the action
    assert m.group(1) == markdown.render(pull_request_example(), LINKS, readme=readme)
