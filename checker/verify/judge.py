"""Judging: the online rules over the documents and what the services answered (no I/O)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from typing import Any

from checker.config import Options
from checker.evidence import Evidence
from checker.model import Document, Finding
from checker.rules import arxiv as arxiv_rules
from checker.rules import finding
from checker.rules import github as github_rules
from checker.rules import links as link_rules
from checker.rules import venue as venue_rules
from checker.services.web import LinkStatus
from checker.venues import VenueTable


def judge(docs: list[Document], ev: Evidence, table: VenueTable) -> Iterator[Finding]:
    ctx = venue_rules.VenueContext(table=table, this_year=dt.date.today().year)
    for doc in docs:
        yield from arxiv_rules.arxiv_not_found(doc, ev)
        yield from arxiv_rules.arxiv_withdrawn(doc, ev)
        yield from arxiv_rules.title_mismatch(doc, ev)
        yield from github_rules.github_findings(doc, ev)
        yield from link_rules.web_findings(doc, ev)
        yield from venue_rules.venue_online(doc, ctx, ev)
        yield from unavailable_findings(doc, ev)


def followed(ev: Evidence, options: Options) -> Evidence:
    """The evidence plus what it already says about the targets a fix leads to, for judging a
    fixed text without asking again: a moved repository's new name answers as the old one did
    (GitHub answered for it: the name, whether archived), and a permanent redirect's final URL
    answers as the chain ended. Nothing else is guessed, nothing the configuration excludes is
    added, and nothing of this is cached."""
    excluded = options.excluded
    out = dataclasses.replace(ev, github=dict(ev.github), web=dict(ev.web))
    for key, state in ev.github.items():
        url = f"https://github.com/{state.name}"
        if state.exists and state.name.lower() != key and not excluded(url):
            out.github.setdefault(state.name.lower(), state)
    for status in ev.web.values():
        final = status.moved_to
        if status.ok and final and not excluded(final):
            out.web.setdefault(final, LinkStatus(final, ok=True, status=status.status))
    return out


def unavailable_findings(doc: Document, ev: Evidence) -> Iterator[Finding]:
    """One warning per service and reason, at the first entry it left unverified."""
    for service, items in ev.unavailable.items():
        by_reason: dict[str, list[int]] = {}
        for link in doc.links:
            key = _item_key(service, link)
            if key is not None and key in items:
                by_reason.setdefault(items[key], []).append(link.line)
        for reason, lines in by_reason.items():
            count = len(set(lines))
            what = "line" if count == 1 else "lines"
            yield finding(
                "service-unavailable",
                doc.path,
                min(lines),
                1,
                f"{service} could not be asked ({reason}): {count} {what} unverified, not failed",
            )


def _item_key(service: str, link: Any) -> str | None:
    if service == "arXiv":
        return str(link.arxiv_id) if link.arxiv_id else None
    if service == "GitHub":
        return str(link.repo).lower() if link.repo else None
    if service == "web":
        return str(link.url)
    if service in ("Semantic Scholar", "DBLP"):
        return str(link.arxiv_id) if link.arxiv_id else None
    return None
