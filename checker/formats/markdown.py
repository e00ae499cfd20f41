"""A Markdown report: for a job summary ($GITHUB_STEP_SUMMARY) or a nightly link-rot issue."""

from __future__ import annotations

from checker.model import Report

ICON = {"error": "❌", "warning": "⚠️", "info": "ℹ️"}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render(report: Report) -> str:
    s = report.summary
    out = [
        "## paperlint report",
        "",
        f"{s.errors} errors, {s.warnings} warnings, {s.infos} infos — {s.files} files, "
        f"{s.entries} entries, {s.arxiv_ids} arXiv IDs, {s.repos} repositories, {s.links} links"
        + (f", {s.unverified} unverified" if s.unverified else "")
        + f" ({s.duration_s:.1f}s)",
        "",
    ]
    if not report.findings:
        out.append("No problems found.")
        return "\n".join(out) + "\n"
    out += ["| | Location | Rule | Message | Fix |", "|---|---|---|---|---|"]
    for f in report.findings:
        fix = ""
        if f.fix is not None and "\n" not in f.fix.old:
            fix = f"`{_cell(f.fix.old)}` → `{_cell(f.fix.new)}`"
        elif f.fix is not None:
            fix = "join the row"
        out.append(
            f"| {ICON[f.severity.value]} | `{_cell(f.file)}:{f.line}` | `{f.rule}` | "
            f"{_cell(f.message)} | {fix} |"
        )
    return "\n".join(out) + "\n"
