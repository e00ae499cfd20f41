"""`--issue`: the one nightly issue of the repository, updated in place.

paperlint's issue is the one whose body starts with its marker: found by its label (listing, not
search, which lags), skipping any issue without the marker — a person's issue with the label is
never edited, commented on, closed or reopened. Created only when something is confirmed broken,
its body rewritten every night (the report, and the history in a hidden block so that an evicted
cache loses nothing; where the body has no room for all of it, hidden comments by the issue's own
author continue it), a comment only when something new is confirmed, closed with a comment when
everything has recovered, reopened when something new breaks. A maintainer who closes it by hand
while failures remain is not overruled: it reopens only for a new failure. A moved repository
(`github-moved`: its link still works) is not broken: it neither opens the issue nor keeps it open.

After a nightly `--fix`, the action opens a pull request with the fixes and then names it in the
issue (`link_pull_request`): the same issue, found the same way, its body's fixes line rewritten
and nothing else — never an issue without the marker.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from checker import mirror as mirroring
from checker.formats import markdown
from checker.formats.markdown import LineLinks, sections
from checker.history import History
from checker.mirror import Mirror, Mirrored
from checker.model import Finding, Report
from checker.services.http import Http, HttpSettings
from checker.services.issues import LABEL, Comment, Issue, IssueError, IssuesService

TITLE = "paperlint: link rot report"
MARKER = "<!-- paperlint-nightly: this issue is updated by paperlint; edits are overwritten -->"
PART_NOTE = (
    "_paperlint keeps part of this issue's history here, hidden; it is rewritten every night._"
)

T = TypeVar("T")


@dataclass
class IssueSettings:
    base: str
    token: str
    repository: str
    timeout: float = 20.0
    label: str = LABEL


@dataclass
class Outcome:
    action: str  # "created" | "updated" | "closed" | "reopened" | "linked" | "none"
    number: int | None = None


def call(settings: IssueSettings, job: Callable[[IssuesService], Awaitable[T]]) -> T:
    """Run one job against the issues API on a client of its own."""

    async def main() -> T:
        http = Http(HttpSettings(timeout=settings.timeout, max_concurrency=4))
        try:
            service = IssuesService(
                http, settings.base, settings.token, settings.repository, settings.label, MARKER
            )
            return await job(service)
        finally:
            await http.close()

    return asyncio.run(main())


async def load(service: IssuesService) -> tuple[Issue | None, Mirrored]:
    """paperlint's issue and the history it mirrors (body, then its author's hidden comments)."""
    found = await service.find()
    if found is None:
        return None, Mirrored(None)
    parts = await _history_comments(service, found) if found.comments else []
    read = mirroring.decode(found.body, [c.body for c in parts])
    if read.note:
        read.note = f"issue #{found.number}: {read.note}"
    return found, read


async def _history_comments(service: IssuesService, issue: Issue) -> list[Comment]:
    """The comments that hold parts of the history: only the issue's author's count (anyone
    can comment, and a block in someone else's comment could say anything)."""
    if not issue.author:
        return []
    return [
        c
        for c in await service.comments(issue.number)
        if c.author == issue.author and mirroring.PART_HEAD in c.body
    ]


def mirror_block(history: History) -> Mirror:
    """The history's hidden blocks. Compressing them is the costly part of an update: made once
    per run and given to `report_room` and `publish`."""
    return mirroring.encode(history)


def body(report_markdown: str, mirror: Mirror) -> str:
    return f"{MARKER}\n{report_markdown.rstrip()}\n\n{mirror.block}\n"


def report_room(mirror: Mirror) -> int:
    """Bytes the Markdown report may take so that the whole body (with the history) fits."""
    return markdown.BODY_LIMIT - len(mirror.block) - len(MARKER) - 64


def _part_comment(block: str) -> str:
    return f"{PART_NOTE}\n\n{block}\n"


def _lines(
    report: Report, findings: list[Finding], links: LineLinks | None, room: int
) -> str:
    """One line per finding, in the order given (a section of the report: most important
    first), until `room` is used up. Everything from the list is escaped as the report is."""
    out: list[str] = []
    used = 0
    for i, f in enumerate(findings):
        line = markdown.bullet(report, f, links)
        if used + len(line) + 1 > room:
            out.append(f"- … and {len(findings) - i} more: see the issue body")
            break
        out.append(line)
        used += len(line) + 1
    return "\n".join(out)


async def publish(
    service: IssuesService,
    found: Issue | None,
    report: Report,
    report_markdown: str,
    mirror: Mirror,
    links: LineLinks | None = None,
) -> Outcome:
    """Create, edit, close or reopen the issue (and comment) as tonight's report says; then
    the hidden comments that continue the history."""
    if found is not None and not await service.owns(found):
        raise IssueError(f"issue #{found.number} is not paperlint's: not touched")
    parts = sections(report)  # confirmed failures (warnings and errors) as the report has them
    new = parts["new"]  # a moved repository is in "moved", never a reason to open
    broken = new + parts["still"]
    text = body(report_markdown, mirror)
    if found is None:
        found = await service.find()  # a first look may have failed: never create blind
    if found is None:
        if not broken:
            return Outcome("none")
        created = await service.create(TITLE, text)
        await _write_history(service, created, mirror)
        return Outcome("created", created.number)
    outcome = await _update(service, found, report, text, new, broken, links)
    await _write_history(service, found, mirror)
    return outcome


async def _update(
    service: IssuesService,
    found: Issue,
    report: Report,
    text: str,
    new: list[Finding],
    broken: list[Finding],
    links: LineLinks | None,
) -> Outcome:
    room = markdown.BODY_LIMIT - 200
    if found.state == "open" and not broken:
        await service.edit(found.number, body=text, state="closed", state_reason="completed")
        recovered = len(report.recovered)
        await service.comment(
            found.number,
            f"Everything has recovered ({recovered} since the last report). Closing; paperlint "
            "reopens this issue when something breaks again.",
        )
        return Outcome("closed", found.number)
    if found.state == "closed" and new:
        await service.edit(found.number, body=text, state="open")
        await service.comment(
            found.number, f"Broken again — newly confirmed:\n\n{_lines(report, new, links, room)}"
        )
        return Outcome("reopened", found.number)
    await service.edit(found.number, body=text)  # the report and the history, every night
    if found.state == "open" and new:
        lines = _lines(report, new, links, room)
        await service.comment(found.number, f"Newly confirmed:\n\n{lines}")
    return Outcome("updated", found.number)


async def _write_history(service: IssuesService, issue: Issue, mirror: Mirror) -> None:
    """One hidden comment per part of the history that the body has no room for. Comments are
    edited in place, never deleted: one the history no longer needs is kept, spare, for when it
    grows again (a new comment notifies everyone watching; an edit does not)."""
    slots = await _history_comments(service, issue) if issue.comments else []
    wanted = [_part_comment(part) for part in mirror.parts]
    spare = _part_comment(mirroring.spare())
    for i, comment in enumerate(slots):
        text = wanted[i] if i < len(wanted) else spare
        if comment.body != text:
            await service.edit_comment(comment.id, text)
    for text in wanted[len(slots) :]:
        await service.comment(issue.number, text)


async def link_pull_request(service: IssuesService, number: int) -> Outcome:
    """Say in paperlint's issue that its fixes are proposed in pull request `number`: its fixes
    line rewritten ("none" when there is no issue, or its body has no fixes line: the night
    fixed nothing the issue reports)."""
    found = await service.find()  # paperlint's own issue, or None
    if found is None:
        return Outcome("none")
    text = markdown.link_pull_request(found.body, number)
    if text is None:
        return Outcome("none", found.number)
    if text != found.body:
        await service.edit(found.number, body=text)
    return Outcome("linked", found.number)


__all__ = [
    "IssueError",
    "IssueSettings",
    "Outcome",
    "call",
    "link_pull_request",
    "load",
    "mirror_block",
    "publish",
    "report_room",
]
