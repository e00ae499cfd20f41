"""What the services answered, in one record the online rules judge (and the cache stores)."""

from __future__ import annotations

from dataclasses import dataclass, field

from checker.services.arxiv import ArxivPaper
from checker.services.github import RepoState
from checker.services.scholar import DblpRecord, S2Paper
from checker.services.wayback import Snapshot
from checker.services.web import LinkStatus


@dataclass
class Evidence:
    arxiv: dict[str, ArxivPaper] = field(default_factory=dict)
    arxiv_missing: set[str] = field(default_factory=set)
    arxiv_rejected: set[str] = field(default_factory=set)
    github: dict[str, RepoState] = field(default_factory=dict)  # lower-cased owner/name
    web: dict[str, LinkStatus] = field(default_factory=dict)
    s2: dict[str, S2Paper | None] = field(default_factory=dict)
    dblp: dict[str, list[DblpRecord]] = field(default_factory=dict)  # by normalised title
    # service → {item: reason}: asked but not answered
    unavailable: dict[str, dict[str, str]] = field(default_factory=dict)
    # repairs (verify/repair.py): a dead link's archived copy (None: the archive has none), and
    # what arXiv's title search found, by query; a repair not asked is no verdict on the list,
    # so its outages are kept apart from `unavailable`
    wayback: dict[str, Snapshot | None] = field(default_factory=dict)
    titles: dict[str, list[ArxivPaper]] = field(default_factory=dict)
    repairs_unavailable: dict[str, dict[str, str]] = field(default_factory=dict)

    def lost(self, service: str, items: dict[str, str]) -> None:
        if items:
            self.unavailable.setdefault(service, {}).update(items)
