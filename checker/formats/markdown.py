"""A Markdown report: for a job summary ($GITHUB_STEP_SUMMARY), the nightly link-rot issue, or
the body of a pull request that applies fixes (`render_fixes`, `--fix-report`).

All live under GitHub's size limits (a step summary holds 1 MiB, an issue or pull request body
65,536 characters), so the report is written most important first — errors before warnings, new
failures before old ones — and stops, saying what it left out, before the limit.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import quote

from checker.formats import escape
from checker.formats.words import filled, plural, severities, shorten
from checker.model import Applied, ChangedScope, Finding, Fix, NightlyRun, Recovered, Report

ICON = {"error": "❌", "warning": "⚠️", "info": "ℹ️"}
CHART_RUNS = 30
TITLE_WIDTH = 50  # characters of a paper's title in a row
MOVED = "github-moved"  # the link still works: a fix to apply, not a failure
BODY_LIMIT = 65_536  # characters GitHub keeps in an issue's or a pull request's body


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


def _where(f_file: str, line: int, links: LineLinks | None) -> str:
    label = escape.code(f"{f_file}:{line}")
    url = links.url(f_file, line) if links else None
    return f"[{label}]({url})" if url else label


def _entry(report: Report, file: str, line: int) -> str:
    """The paper the line belongs to, by its title, cut short."""
    title = report.title_at(file, line)
    return escape.text(shorten(title, TITLE_WIDTH)) if title else ""


def _change(fix: Fix) -> str:
    if "\n" in fix.old or "\r" in fix.old:
        return "join the row"
    cell = filled(fix)  # a blank cell and its pipe: say what goes in
    if cell is not None:
        return f"fill the empty cell with {escape.code(cell)}"
    return f"{escape.code(fix.old)} → {escape.code(fix.new)}"


def _fix(f: Finding) -> str:
    """The fix a finding offers; an unsafe one (it changes what the list says, and only
    `--unsafe-fixes` applies it) says so."""
    if f.fix is None:
        return ""
    return _change(f.fix) + ("" if f.fix.safe else " (unsafe)")


def _problem(f: Finding) -> str:
    """The message, and the URL where neither the message nor the fix names it."""
    named = f.message + (f.fix.old if f.fix is not None else "")
    target = f" {escape.url(f.url)}" if f.url and f.url not in named else ""
    return escape.text(f.message) + target


def _table(columns: list[str], rows: list[list[str]], fix_column: int | None = None) -> list[str]:
    """A header and rows; the column `fix_column` is left out when no row has a fix."""
    if fix_column is not None and not any(row[fix_column] for row in rows):
        columns = columns[:fix_column] + columns[fix_column + 1 :]
        rows = [row[:fix_column] + row[fix_column + 1 :] for row in rows]
    return [
        "|" + "|".join(f" {c} " if c else " " for c in columns) + "|",
        "|" + "---|" * len(columns),
        *("| " + " | ".join(row) + " |" for row in rows),
    ]


def bullet(report: Report, f: Finding, links: LineLinks | None) -> str:
    """A finding as a line of a Markdown list (the nightly issue's comments): where, which
    paper, what. Everything from the list escaped, as in the tables."""
    entry = _entry(report, f.file, f.line)
    return f"- {_where(f.file, f.line, links)}{' ' + entry + ':' if entry else ''} {_problem(f)}"


def by_importance(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (-f.severity.rank, f.sort_key))


def _counts(findings: Iterable[Finding]) -> str:
    n = {"error": 0, "warning": 0, "info": 0}
    for f in findings:
        n[f.severity.value] += 1
    return ", ".join(plural(v, k) for k, v in n.items() if v)


def _facts(report: Report, unverified: bool = True) -> str:
    s = report.summary
    return (
        f"{plural(s.files, 'file')}, {plural(s.entries, 'entry', 'entries')}, "
        f"{plural(s.arxiv_ids, 'arXiv ID')}, {plural(s.repos, 'repository', 'repositories')}, "
        f"{plural(s.links, 'link')}"
        + (f", {s.unverified} unverified" if s.unverified and unverified else "")
    )


_SHA = re.compile(r"[0-9a-f]{40}")


def _ref(ref: str, links: LineLinks | None) -> str:
    """The REF of --changed-since; a commit (the action passes the merge base) shortened and
    linked to its page."""
    if _SHA.fullmatch(ref):
        label = f"`{ref[:7]}`"
        return f"[{label}]({links.server}/{links.repository}/commit/{ref})" if links else label
    return escape.code(ref)


def _scope(report: Report, changed: ChangedScope, links: LineLinks | None) -> str:
    """What a pull request's check covered: its changed entries, not the whole list."""
    s = report.summary
    files = escape.code(changed.files[0]) if len(changed.files) == 1 else plural(s.files, "file")
    found = severities(s, zeros=False) or "no problems"
    if s.unverified:
        found += f", {s.unverified} unverified"
    return (
        f"{plural(changed.entries, 'changed entry', 'changed entries')} checked since "
        f"{_ref(changed.ref, links)} (of {s.entries} in {files}): {found} ({s.duration_s:.1f}s)"
    )


def silence(readme: str | None) -> str:
    """One line on silencing a false alarm, linked to the README's section where its address is
    known (`readme`: paperlint's README, as `cli.action_readme` finds it), else named."""
    how = (
        f"[how]({readme.split('#', 1)[0]}#inline-suppression)"
        if readme
        else "see “Inline suppression” in paperlint's README"
    )
    return (
        "A false alarm? Silence it for one line with "
        + escape.code("<!-- paperlint-disable-next-line RULE -->")
        + " above it, never fetch a URL with `exclude`, or change a rule's severity in "
        f"`[tool.paperlint.severity]`: {how}."
    )


def render(
    report: Report,
    links: LineLinks | None = None,
    limit: int | None = None,
    full_report: str | None = None,
    readme: str | None = None,
) -> str:
    """`limit`: most bytes to write; `full_report`: where a reader finds what was left out;
    `readme`: paperlint's README, where its address is known."""
    if report.nightly is not None:
        return render_nightly(report, links, limit, full_report)
    s = report.summary
    findings = by_importance(report.counted)
    if report.changed is not None:
        said = _scope(report, report.changed, links)
    else:
        counts = severities(s, zeros=False)
        said = f"{counts + ' — ' if counts else ''}{_facts(report)} ({s.duration_s:.1f}s)"
    head = ["## paperlint report", "", said, ""]
    if not findings:
        return "\n".join([*head, "No problems found."]) + "\n"
    budget = _Budget(None if limit is None else limit - _RESERVE)
    out = list(head)
    for line in head:
        budget.fits(line)
    fix = any(f.fix is not None for f in findings)  # else no Fix column
    columns = ["", "Location", "Entry", "Rule", "Message", "Fix"]
    header = _table(columns if fix else columns[:-1], [])
    for line in header:
        budget.fits(line)
    rows: list[str] = []
    left: list[Finding] = []
    for f in findings:
        cells = [
            ICON[f.severity.value],
            _where(f.file, f.line, links),
            _entry(report, f.file, f.line),
            escape.code(f.rule),
            escape.text(f.message),
        ] + ([_fix(f)] if fix else [])
        row = "| " + " | ".join(cells) + " |"
        if budget.fits(row):
            rows.append(row)
        else:
            left.append(f)
    out += header + rows
    if left:
        out += ["", _left_out(len(left), _counts(left), full_report)]
    out += ["", silence(readme)]
    return "\n".join(out) + "\n"


_RESERVE = 1000  # room kept for the closing note(s) when a limit applies


def _left_out(n: int, what: str, full_report: str | None) -> str:
    where = f" The full report: {full_report}." if full_report else " The JSON report has them all."
    return f"**{n} more not shown here ({what}): GitHub limits the size of this page.**{where}"


# ---------------------------------------------------------------------------------------------
# The nightly link-rot report


def sections(report: Report) -> dict[str, list[Finding]]:
    """The nightly report's findings by section, each most important first: "new" and "still"
    (confirmed failures, warnings and errors), "suspect", "moved" (renamed or transferred
    repositories: the link still works, a fix is offered — never a failure, whatever its state)
    and "rest" (everything else). The issue decides what to open, close and comment from the
    same sections the report shows."""
    out: dict[str, list[Finding]] = {"new": [], "still": [], "suspect": [], "moved": [], "rest": []}
    for f in by_importance(report.findings):
        state = f.nightly.state if f.nightly is not None else "rest"
        if f.rule == MOVED:
            state = "moved"
        elif f.severity.rank <= 1:
            state = "rest"
        out[state if state in out else "rest"].append(f)
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
    if parts["moved"]:
        bits.append(f"{len(parts['moved'])} moved")
    if report.summary.unverified:
        bits.append(f"{report.summary.unverified} unverified")
    return " · ".join(bits)


def render_nightly(
    report: Report, links: LineLinks | None, limit: int | None, full_report: str | None
) -> str:
    assert report.nightly is not None
    night = report.nightly
    parts = sections(report)
    when = escape.text(night.at.replace("T", " ")[:16]) + " UTC"
    head = [
        "## paperlint: link rot report",
        "",
        f"{headline(report, parts)} — checked {when}: {_facts(report, unverified=False)}.",
    ]
    if night.baseline:
        head += [
            "",
            "_First run with no history: every failure starts as suspect and is confirmed "
            f"when it lasts {plural(night.confirm_after, 'run')} in a row._",
        ]
    if night.fixed:
        head += ["", fixes_line(night.fixed)]
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

    def section(title: str, table: list[str], label: str) -> None:
        header, rows = table[:2], table[2:]
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

    section("New: confirmed since the last report", _failing(report, parts["new"], links), "new")
    section("Still failing", _failing(report, parts["still"], links), "still failing")
    section("Moved, with a fix", _moved(report, parts["moved"], links), "moved")
    section("Recovered", _recovered(report, report.recovered, links), "recovered")
    section(  # no fix: a suspect's fix waits, as its failure does, until it is confirmed
        "Suspect: not confirmed until it fails "
        f"{plural(night.confirm_after, 'run')} in a row",
        _failing(report, parts["suspect"], links, fixes=False),
        "suspect",
    )
    section("Everything else", _others(report, parts["rest"], links), "other findings")
    if not any(parts.values()) and not report.recovered:
        out += ["", "Nothing is broken."]
    if omitted:
        what = ", ".join(f"{n} {label}" for label, n in omitted)
        out += ["", _left_out(sum(n for _, n in omitted), what, full_report)]
    out += ["", chart]
    return "\n".join(out) + "\n"


def _since(iso: str) -> str:
    return escape.text(iso[:10])


def _failing(
    report: Report, findings: list[Finding], links: LineLinks | None, fixes: bool = True
) -> list[str]:
    rows = []
    for f in findings:
        assert f.nightly is not None
        rows.append(
            [
                ICON[f.severity.value],
                _entry(report, f.file, f.line),
                _where(f.file, f.line, links),
                _problem(f),
                _since(f.nightly.since),
                str(f.nightly.runs),
                _fix(f) if fixes else "",
            ]
        )
    columns = ["", "Entry", "Where", "Problem", "Failing since", "Runs", "Fix"]
    return _table(columns, rows, fix_column=6)


def _moved(report: Report, findings: list[Finding], links: LineLinks | None) -> list[str]:
    rows = [
        [
            ICON[f.severity.value],
            _entry(report, f.file, f.line),
            _where(f.file, f.line, links),
            _problem(f),
            _fix(f),
        ]
        for f in findings
    ]
    return _table(["", "Entry", "Where", "Problem", "Fix"], rows, fix_column=4)


def _recovered(report: Report, items: list[Recovered], links: LineLinks | None) -> list[str]:
    rows = [
        [
            _entry(report, r.file, r.line),
            _where(r.file, r.line, links),
            escape.code(r.rule) + (f" {escape.url(r.url)}" if r.url else ""),
            _since(r.since),
        ]
        for r in items
    ]
    return _table(["Entry", "Where", "Was", "Failing since"], rows)


def _others(report: Report, findings: list[Finding], links: LineLinks | None) -> list[str]:
    rows = [
        [
            ICON[f.severity.value],
            _entry(report, f.file, f.line),
            _where(f.file, f.line, links),
            escape.code(f.rule),
            escape.text(f.message),
            _fix(f),
        ]
        for f in findings
    ]
    return _table(["", "Entry", "Where", "Rule", "Message", "Fix"], rows, fix_column=5)


_NOT_A_DATE = re.compile(r"[^0-9-]")


def _chart(runs: list[NightlyRun]) -> str:
    last = runs[-CHART_RUNS:]
    labels: list[str] = []
    for run in last:
        label = _NOT_A_DATE.sub("", run.at[5:10])  # MM-DD (a forged history holds anything)
        n, unique = 2, label
        while unique in labels:  # two runs on one day: categories must differ
            unique, n = f"{label} #{n}", n + 1
        labels.append(unique)
    top = max([1, *(r.broken for r in last), *(r.unverified for r in last)])
    return "\n".join(
        [
            f"Last {plural(len(last), 'run')}: broken (bars), unverified (line).",
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


# ---------------------------------------------------------------------------------------------
# The fixes --fix applied: a line of the nightly report, and a pull request's body

# The nightly report's line about the fixes; the action's last step says where they went (the
# pull request it opened) by rewriting the end of this line in the issue. Nothing from the list
# can start a line with `**` (escape.text makes `*` a character reference), so the line found is
# always paperlint's own.
_FIXES_HEAD = "**Fixes:**"
_FIXES_APPLIED = "applied to the files by `--fix`."
_FIXES_LINE = re.compile(
    r"^\*\*Fixes:\*\* (?P<counts>[0-9]{1,9}(?: \([0-9]{1,9} unsafe\))?) "
    r"(?:applied to the files by `--fix`|proposed in pull request #[0-9]{1,12})\.$",
    re.MULTILINE,
)


def _unsafe(fixed: Sequence[Applied]) -> int:
    return sum(1 for a in fixed if a.finding.fix is not None and not a.finding.fix.safe)


def fixes_line(fixed: Sequence[Applied]) -> str:
    unsafe = _unsafe(fixed)
    counts = f"{len(fixed)}" + (f" ({unsafe} unsafe)" if unsafe else "")
    return f"{_FIXES_HEAD} {counts} {_FIXES_APPLIED}"


def link_pull_request(body: str, number: int) -> str | None:
    """`body` (a nightly report, as the issue holds it) with its fixes line saying that the fixes
    are proposed in pull request `number`; None when the body has no such line."""
    found = _FIXES_LINE.search(body)
    if found is None:
        return None
    line = f"{_FIXES_HEAD} {found.group('counts')} proposed in pull request #{number}."
    return body[: found.start()] + line + body[found.end() :]


def render_fixes(
    report: Report,
    fixed: Sequence[Applied],
    issue: int | None = None,
    limit: int | None = BODY_LIMIT,
) -> str:
    """The fixes `--fix` applied, each with its evidence (the finding's message: the archived
    copy's date, the arXiv title that matched, the venue's source, the new repository, the
    redirect's final URL): the body of a pull request that applies them. `issue`: the nightly
    issue that reports the findings. Locations are those of the files as read (a fix applied in
    a later pass, after another changed the lines, names no paper)."""
    night = report.nightly
    title = "## paperlint: fixes of confirmed findings" if night else "## paperlint: fixes"
    head = [title, ""]
    if not fixed:
        return "\n".join([*head, "No fixes applied."]) + "\n"
    files = sorted({a.finding.file for a in fixed})
    where = escape.code(files[0]) if len(files) == 1 else plural(len(files), "file")
    said = f"{plural(len(fixed), 'fix', 'fixes')} in {where}"
    unsafe = _unsafe(fixed)
    if unsafe:
        said += (
            f", {unsafe} of them unsafe: {'it changes' if unsafe == 1 else 'they change'} what "
            "the list says (another address, arXiv ID or venue), so check the evidence"
        )
    head.append(said + ".")
    if night is not None:
        when = escape.text(night.at.replace("T", " ")[:16]) + " UTC"
        reported = f", reported in issue #{issue}" if issue is not None else ""
        head += [
            "",
            f"From paperlint's nightly run of {when}{reported}. A failure (a dead link, a wrong "
            "arXiv ID, another venue) is fixed only once it is confirmed — it lasted "
            f"{plural(night.confirm_after, 'run')} in a row — never while it is suspect; a moved "
            "repository, a permanent redirect or a venue written wrongly is fixed when seen.",
        ]
    head.append("")
    budget = _Budget(None if limit is None else limit - _RESERVE)
    header = _table(["", "Where", "Entry", "Rule", "Change", "Evidence"], [])
    out = [*head, *header]
    for line in out:
        budget.fits(line)
    left = 0
    for a in sorted(fixed, key=lambda a: a.finding.sort_key):
        f = a.finding
        assert f.fix is not None
        cells = [
            "safe" if f.fix.safe else "**unsafe**",
            escape.code(f"{f.file}:{f.line}"),
            escape.text(shorten(a.entry, TITLE_WIDTH)) if a.entry else "",
            escape.code(f.rule),
            _change(f.fix),
            escape.text(f.message),
        ]
        row = "| " + " | ".join(cells) + " |"
        if budget.fits(row):
            out.append(row)
        else:
            left += 1
    if left:
        out += [
            "",
            f"**{left} more not shown here: GitHub limits the size of this page.** "
            "The diff has them all.",
        ]
    out += [
        "",
        "To refuse a fix, silence its finding (for its line with "
        + escape.code("<!-- paperlint-disable-next-line RULE -->")
        + " above it, or in the configuration): otherwise the next run proposes it again.",
    ]
    return "\n".join(out) + "\n"
