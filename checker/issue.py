"""`--issue`: the one nightly issue of the repository, updated in place.

Found by its label (listing, not search, which lags), created only when something is confirmed
broken, its body rewritten every night (the report, and the history in a hidden block so that an
evicted cache loses nothing), a comment only when something new is confirmed, closed with a comment
when everything has recovered, reopened when something new breaks. A maintainer who closes it by
hand while failures remain is not overruled: it reopens only for a new failure.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from checker.formats.markdown import LineLinks, sections
from checker.history import History
from checker.model import Finding, Report
from checker.services.http import Http, HttpSettings
from checker.services.issues import Issue, IssueError, IssuesService

TITLE = "paperlint: link rot report"
MARKER = "<!-- paperlint-nightly: this issue is updated by paperlint; edits are overwritten -->"
BODY_LIMIT = 65_536  # characters GitHub keeps in an issue body or a comment
MIRROR_LIMIT = 24_000  # the hidden history block's share of it

T = TypeVar("T")


@dataclass
class IssueSettings:
    base: str
    token: str
    repository: str
    timeout: float = 20.0


@dataclass
class Outcome:
    action: str  # "created" | "updated" | "closed" | "reopened" | "none"
    number: int | None = None


def call(settings: IssueSettings, job: Callable[[IssuesService], Awaitable[T]]) -> T:
    """Run one job against the issues API on a client of its own."""

    async def main() -> T:
        http = Http(HttpSettings(timeout=settings.timeout, max_concurrency=4))
        try:
            service = IssuesService(http, settings.base, settings.token, settings.repository)
            return await job(service)
        finally:
            await http.close()

    return asyncio.run(main())


def mirror_of(issue: Issue | None) -> History | None:
    return History.from_mirror(issue.body) if issue is not None else None


def mirror_block(history: History) -> str:
    """The history's hidden block for the body. Compressing it is the costly part of a body:
    made once per run and given to `report_room` and `body`."""
    return history.to_mirror(MIRROR_LIMIT)


def body(report_markdown: str, mirror: str) -> str:
    """`mirror`: `mirror_block(history)`."""
    return f"{MARKER}\n{report_markdown.rstrip()}\n\n{mirror}\n"


def report_room(mirror: str) -> int:
    """Bytes the Markdown report may take so that the whole body (with `mirror`) fits."""
    return BODY_LIMIT - len(mirror) - len(MARKER) - 64


def _lines(findings: list[Finding], links: LineLinks | None, room: int) -> str:
    """One line per finding, in the order given (a section of the report: most important
    first), until `room` is used up."""
    out: list[str] = []
    used = 0
    for i, f in enumerate(findings):
        url = links.url(f.file, f.line) if links else None
        where = f"[`{f.file}:{f.line}`]({url})" if url else f"`{f.file}:{f.line}`"
        target = f" {f.url}" if f.url and f.url not in f.message else ""
        line = f"- {where} `{f.rule}` {f.message.replace(chr(10), ' ')}{target}"
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
    mirror: str,
    links: LineLinks | None = None,
) -> Outcome:
    """Create, edit, close or reopen the issue (and comment) as tonight's report says."""
    parts = sections(report)  # confirmed failures (warnings and errors) as the report has them
    new = parts["new"]
    broken = parts["new"] + parts["still"]
    text = body(report_markdown, mirror)
    if found is None:
        found = await service.find()  # a first look may have failed: never create blind
    if found is None:
        if not broken:
            return Outcome("none")
        created = await service.create(TITLE, text)
        return Outcome("created", created.number)
    room = BODY_LIMIT - 200
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
            found.number, f"Broken again — newly confirmed:\n\n{_lines(new, links, room)}"
        )
        return Outcome("reopened", found.number)
    await service.edit(found.number, body=text)  # the report and the history, every night
    if found.state == "open" and new:
        await service.comment(found.number, f"Newly confirmed:\n\n{_lines(new, links, room)}")
    return Outcome("updated", found.number)


__all__ = [
    "IssueError",
    "IssueSettings",
    "Outcome",
    "call",
    "mirror_block",
    "mirror_of",
    "publish",
    "report_room",
]
