"""A Markdown report: for a job summary ($GITHUB_STEP_SUMMARY) or the nightly link-rot issue.

Both live under GitHub's size limits (a step summary holds 1 MiB, an issue body 65,536
characters), so the report is written most important first — errors before warnings, new
failures before old ones — and stops, saying what it left out, before the limit.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import quote

from checker.model import Finding, NightlyRun, Recovered, Report

ICON = {"error": "❌", "warning": "⚠️", "info": "ℹ️"}
CHART_RUNS = 30


@dataclass(frozen=True)
class LineLinks:
    """Links to a line as GitHub shows it: `blob/<sha>/<path>?plain=1#L<n>` (without `?plain=1`
    GitHub renders the Markdown and ignores the line)."""

    server: str
    repository: str
    sha: str
    root: str  # the checkout the paths are relative to

    @classmethod
    def from_env(cls, env: Mapping[str, str], cwd: str) -> LineLinks | None:
        names = ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_SHA")
        server, repo, sha = (env.get(k, "") for k in names)
        if not (server and repo and sha):
            return None
        return cls(server.rstrip("/"), repo, sha, env.get("GITHUB_WORKSPACE") or cwd)

    def url(self, file: str, line: int) -> str | None:
        path = os.path.relpath(os.path.abspath(file), os.path.abspath(self.root))
        path = path.replace(os.sep, "/")
        if path.startswith("../") or path == ".." or posixpath.isabs(path):
            return None  # outside the repository: no page to link to
        return f"{self.server}/{self.repository}/blob/{self.sha}/{quote(path)}?plain=1#L{line}"


class _Budget:
    """Lines in order until the next would pass the limit (counted in UTF-8 bytes, which is
    never less than characters)."""

    def __init__(self, limit: int | None) -> None:
        self.limit = limit
        self.used = 0
        self.full = False

    def fits(self, text: str) -> bool:
        if self.full:
            return False
        size = len(text.encode("utf-8")) + 1
        if self.limit is not None and self.used + size > self.limit:
            self.full = True
            return False
        self.used += size
        return True


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ").replace("\r", " ")


def _code(text: str) -> str:
    text = _cell(text)
    fence = "``" if "`" in text else "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _fix(f: Finding) -> str:
    if f.fix is None:
        return ""
    if "\n" in f.fix.old:
        return "join the row"
    return f"{_code(f.fix.old)} → {_code(f.fix.new)}"


def _where(f_file: str, line: int, links: LineLinks | None) -> str:
    label = _code(f"{f_file}:{line}")
    url = links.url(f_file, line) if links else None
    return f"[{label}]({url})" if url else label


def _row(f: Finding, links: LineLinks | None) -> str:
    """A finding as a row of the report's table (and of the nightly's "Everything else")."""
    return (
        f"| {ICON[f.severity.value]} | {_where(f.file, f.line, links)} | `{f.rule}` | "
        f"{_cell(f.message)} | {_fix(f)} |"
    )


def by_importance(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (-f.severity.rank, f.sort_key))


def _counts(findings: Iterable[Finding]) -> str:
    n = {"error": 0, "warning": 0, "info": 0}
    for f in findings:
        n[f.severity.value] += 1
    return ", ".join(f"{v} {k}{'s' * (v != 1)}" for k, v in n.items() if v)


def _n(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else plural or word + 's'}"


def _facts(report: Report, unverified: bool = True) -> str:
    s = report.summary
    return (
        f"{_n(s.files, 'file')}, {_n(s.entries, 'entry', 'entries')}, "
        f"{_n(s.arxiv_ids, 'arXiv ID')}, {_n(s.repos, 'repository', 'repositories')}, "
        f"{_n(s.links, 'link')}"
        + (f", {s.unverified} unverified" if s.unverified and unverified else "")
    )


def render(
    report: Report,
    links: LineLinks | None = None,
    limit: int | None = None,
    full_report: str | None = None,
) -> str:
    """`limit`: most bytes to write; `full_report`: where a reader finds what was left out."""
    if report.nightly is not None:
        return render_nightly(report, links, limit, full_report)
    s = report.summary
    head = [
        "## paperlint report",
        "",
        f"{s.errors} errors, {s.warnings} warnings, {s.infos} infos — {_facts(report)}"
        f" ({s.duration_s:.1f}s)",
        "",
    ]
    findings = by_importance(report.counted)
    if not findings:
        return "\n".join([*head, "No problems found."]) + "\n"
    budget = _Budget(None if limit is None else limit - _RESERVE)
    out = list(head)
    for line in head:
        budget.fits(line)
    rows = ["| | Location | Rule | Message | Fix |", "|---|---|---|---|---|"]
    for line in rows:
        budget.fits(line)
    left: list[Finding] = []
    for f in findings:
        row = _row(f, links)
        if budget.fits(row):
            rows.append(row)
        else:
            left.append(f)
    out += rows
    if left:
        out += ["", _left_out(len(left), _counts(left), full_report)]
    return "\n".join(out) + "\n"


_RESERVE = 600  # room kept for the closing note(s) when a limit applies


def _left_out(n: int, what: str, full_report: str | None) -> str:
    where = f" The full report: {full_report}." if full_report else " The JSON report has them all."
    return f"**{n} more not shown here ({what}): GitHub limits the size of this page.**{where}"


# ---------------------------------------------------------------------------------------------
# The nightly link-rot report


def sections(report: Report) -> dict[str, list[Finding]]:
    """The nightly report's findings by section, each most important first: "new" and "still"
    (confirmed failures, warnings and errors), "suspect", and "rest" (everything else). The
    issue decides what to open, close and comment from the same sections the report shows."""
    out: dict[str, list[Finding]] = {"new": [], "still": [], "suspect": [], "rest": []}
    for f in by_importance(report.findings):
        state = f.nightly.state if f.nightly is not None else "rest"
        out[state if f.severity.rank > 1 or state == "rest" else "rest"].append(f)
    # still failing: the longest-failing first
    out["still"].sort(
        key=lambda f: (-(f.nightly.runs if f.nightly else 0), -f.severity.rank, f.sort_key)
    )
    return out


def headline(report: Report, parts: dict[str, list[Finding]] | None = None) -> str:
    """`parts`: `sections(report)`, when the caller has them (they sort every finding)."""
    parts = sections(report) if parts is None else parts
    broken = len(parts["new"]) + len(parts["still"])
    bits = [
        f"**{broken} broken**" + (f" ({len(parts['new'])} new)" if parts["new"] else ""),
        f"{len(report.recovered)} recovered",
        f"{len(parts['suspect'])} suspect",
    ]
    if report.summary.unverified:
        bits.append(f"{report.summary.unverified} unverified")
    return " · ".join(bits)


def render_nightly(
    report: Report, links: LineLinks | None, limit: int | None, full_report: str | None
) -> str:
    assert report.nightly is not None
    night = report.nightly
    parts = sections(report)
    when = night.at.replace("T", " ")[:16] + " UTC"
    head = [
        "## paperlint: link rot report",
        "",
        f"{headline(report, parts)} — checked {when}: {_facts(report, unverified=False)}.",
    ]
    if night.baseline:
        head += [
            "",
            "_First run with no history: every failure starts as suspect and is confirmed "
            f"when it lasts {night.confirm_after} runs in a row._",
        ]
    if night.held:
        head += [
            "",
            f"_{len(night.held)} failing "
            f"{'target was' if len(night.held) == 1 else 'targets were'} not checked this time "
            "(service unavailable): kept as they were, not counted as recovered._",
        ]
    chart = _chart(night.runs)
    budget = _Budget(None if limit is None else limit - _RESERVE - len(chart.encode("utf-8")))
    out: list[str] = []
    for line in head:
        budget.fits(line)
        out.append(line)
    omitted: list[tuple[str, int]] = []

    def section(title: str, header: list[str], rows: list[str], label: str) -> None:
        if not rows:
            return
        block = ["", f"### {title} ({len(rows)})", "", *header]
        if not all(budget.fits(line) for line in block):
            omitted.append((label, len(rows)))
            return
        out.extend(block)
        for i, row in enumerate(rows):
            if not budget.fits(row):
                omitted.append((label, len(rows) - i))
                return
            out.append(row)

    failing = ["| | Where | Problem | Failing since | Runs | Fix |", "|---|---|---|---|---|---|"]
    new = _failing_rows(parts["new"], links)
    section("New: confirmed since the last report", failing, new, "new")
    section("Still failing", failing, _failing_rows(parts["still"], links), "still failing")
    section(
        "Recovered",
        ["| Where | Was | Failing since |", "|---|---|---|"],
        _recovered_rows(report.recovered, links),
        "recovered",
    )
    section(
        f"Suspect: not confirmed until it fails {night.confirm_after} runs in a row",
        failing,
        _failing_rows(parts["suspect"], links),
        "suspect",
    )
    section(
        "Everything else",
        ["| | Where | Rule | Message | Fix |", "|---|---|---|---|---|"],
        [_row(f, links) for f in parts["rest"]],
        "other findings",
    )
    if not any(parts.values()) and not report.recovered:
        out += ["", "Nothing is broken."]
    if omitted:
        what = ", ".join(f"{n} {label}" for label, n in omitted)
        out += ["", _left_out(sum(n for _, n in omitted), what, full_report)]
    out += ["", chart]
    return "\n".join(out) + "\n"


def _since(iso: str) -> str:
    return iso[:10]


def _failing_rows(findings: list[Finding], links: LineLinks | None) -> list[str]:
    rows = []
    for f in findings:
        assert f.nightly is not None
        target = f" {_cell(f.url)}" if f.url and f.url not in f.message else ""
        rows.append(
            f"| {ICON[f.severity.value]} | {_where(f.file, f.line, links)} | `{f.rule}` "
            f"{_cell(f.message)}{target} | {_since(f.nightly.since)} | {f.nightly.runs} | "
            f"{_fix(f)} |"
        )
    return rows


def _recovered_rows(items: list[Recovered], links: LineLinks | None) -> list[str]:
    return [
        f"| {_where(r.file, r.line, links)} | `{r.rule}` {_cell(r.url or '')} | {_since(r.since)} |"
        for r in items
    ]


def _chart(runs: list[NightlyRun]) -> str:
    last = runs[-CHART_RUNS:]
    labels: list[str] = []
    for run in last:
        label = run.at[5:10]  # MM-DD
        n, unique = 2, label
        while unique in labels:  # two runs on one day: categories must differ
            unique, n = f"{label} #{n}", n + 1
        labels.append(unique)
    top = max([1, *(r.broken for r in last), *(r.unverified for r in last)])
    return "\n".join(
        [
            f"Last {len(last)} runs: broken (bars), unverified (line).",
            "",
            "```mermaid",
            "xychart-beta",
            '    title "Broken (bars) and unverified (line)"',
            "    x-axis [" + ", ".join(f'"{label}"' for label in labels) + "]",
            f'    y-axis "targets" 0 --> {top}',
            "    bar [" + ", ".join(str(r.broken) for r in last) + "]",
            "    line [" + ", ".join(str(r.unverified) for r in last) + "]",
            "```",
        ]
    )
