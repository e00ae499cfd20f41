"""GitHub repositories: gone, moved (fix: the new URL) or archived."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from checker.model import Document, Finding, Fix, Link
from checker.rules import finding

if TYPE_CHECKING:  # the services, for annotations only: an offline run never loads them
    from checker.evidence import Evidence


def _moved_url(link: Link, new_name: str) -> str | None:
    assert link.repo is not None
    pattern = re.compile(r"(github\.com/)" + re.escape(link.repo) + r"(?=$|[/?#])", re.I)
    new_url, count = pattern.subn(lambda m: m.group(1) + new_name, link.url, count=1)
    return new_url if count else None


def github_findings(doc: Document, ev: Evidence) -> Iterator[Finding]:
    for link in doc.links:
        if not link.repo:
            continue
        state = ev.github.get(link.repo.lower())
        if state is None:
            continue
        if not state.exists:
            yield finding(
                "github-not-found",
                doc.path,
                link.line,
                link.column,
                f"repository {link.repo} does not exist (or is private)",
                url=link.url,
            )
            continue
        if state.name.lower() != link.repo.lower():
            new_url = _moved_url(link, state.name)
            fix = Fix(link.line, link.url, new_url, link.column) if new_url else None
            yield finding(
                "github-moved",
                doc.path,
                link.line,
                link.column,
                f"repository {link.repo} has moved to {state.name}",
                url=link.url,
                fix=fix,
            )
        if state.archived:
            yield finding(
                "github-archived",
                doc.path,
                link.line,
                link.column,
                f"repository {state.name} is archived",
                url=link.url,
            )
