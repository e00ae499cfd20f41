"""What to ask: every arXiv ID, repository and link the enabled rules need, once each."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from checker.config import Options
from checker.evidence import Evidence
from checker.links import private_host
from checker.model import Document, LinkKind
from checker.rules import venue as venue_rules
from checker.titles import normalize_title
from checker.venues import VenueTable
from checker.verify import ARXIV_RULES, GITHUB_RULES, VENUE_RULES, WEB_RULES

NEVER_FETCHED = ("arxiv.org", "www.arxiv.org", "export.arxiv.org")  # verified via the API only


@dataclass
class Plan:
    arxiv: set[str] = field(default_factory=set)
    s2: set[str] = field(default_factory=set)
    repos: dict[str, str] = field(default_factory=dict)  # lower → as written
    urls: set[str] = field(default_factory=set)

    @property
    def empty(self) -> bool:
        return not (self.arxiv or self.s2 or self.repos or self.urls)


def make_plan(docs: list[Document], options: Options) -> Plan:
    plan = Plan()
    wants = options.enabled
    excluded = options.excluded
    for doc in docs:
        for link in doc.links:
            if excluded(link.url):
                continue
            if link.kind is LinkKind.ARXIV and link.arxiv_id:
                if any(wants(r) for r in (*ARXIV_RULES, *VENUE_RULES)):
                    plan.arxiv.add(link.arxiv_id)
            elif link.kind is LinkKind.GITHUB and link.repo:
                if any(wants(r) for r in GITHUB_RULES):
                    plan.repos.setdefault(link.repo.lower(), link.repo)
            elif link.kind is LinkKind.WEB and any(wants(r) for r in WEB_RULES):
                host = (urlsplit(link.url).hostname or "").lower()
                if host in NEVER_FETCHED or (private_host(link.url) and not options.allow_private):
                    continue
                plan.urls.add(link.url)
        if any(wants(r) for r in VENUE_RULES):
            for entry in doc.entries:
                primary = entry.primary_arxiv
                if primary and primary.arxiv_id and (entry.venue or entry.has_venue_slot):
                    plan.s2.add(primary.arxiv_id)
    return plan


def dblp_titles(
    docs: list[Document], table: VenueTable, ev: Evidence
) -> dict[str, tuple[str, list[str]]]:
    """Titles only DBLP can settle, by normalised title, with the arXiv IDs they stand for."""
    titles: dict[str, tuple[str, list[str]]] = {}
    for doc in docs:
        for entry in doc.entries:
            primary = entry.primary_arxiv
            if primary is None or primary.arxiv_id is None:
                continue
            title = venue_rules.dblp_title_wanted(entry, table, ev.s2.get(primary.arxiv_id))
            if title:
                titles.setdefault(normalize_title(title), (title, []))[1].append(primary.arxiv_id)
    return titles
