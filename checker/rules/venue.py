"""Venues: canonical spelling and plausible years (offline); the published record (online)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from checker.evidence import Evidence
from checker.model import Document, Entry, Finding, Fix
from checker.rules import finding
from checker.services.scholar import S2Paper
from checker.titles import normalize_title
from checker.venues import Venue, VenueRef, VenueTable


@dataclass(frozen=True)
class VenueContext:
    table: VenueTable
    this_year: int


def read_venue(entry: Entry, table: VenueTable) -> VenueRef | None:
    return table.parse(entry.venue.text) if entry.venue else None


def venue_format(doc: Document, ctx: VenueContext) -> Iterator[Finding]:
    for entry in doc.entries:
        ref = read_venue(entry, ctx.table)
        if ref is None or entry.venue is None or ref.is_canonical:
            continue
        column = entry.venue.column + ref.start
        yield finding(
            "venue-format",
            doc.path,
            entry.venue.line,
            column,
            f"venue '{ref.written}' is not written canonically: '{ref.suggestion}'",
            fix=Fix(entry.venue.line, ref.written, ref.suggestion, column),
        )


def arxiv_year(arxiv_id: str) -> int:
    yy = int(arxiv_id.split("/")[-1][:2]) if "/" in arxiv_id else int(arxiv_id[:2])
    return 1900 + yy if yy >= 91 else 2000 + yy


def venue_year(doc: Document, ctx: VenueContext) -> Iterator[Finding]:
    for entry in doc.entries:
        ref = read_venue(entry, ctx.table)
        if ref is None or ref.year is None or entry.venue is None:
            continue
        column = entry.venue.column + ref.start
        if not 1950 <= ref.year <= ctx.this_year + 1:
            yield finding(
                "venue-year",
                doc.path,
                entry.venue.line,
                column,
                f"venue year {ref.year} is not a plausible year",
            )
            continue
        link = entry.primary_arxiv
        if link is None or link.arxiv_id is None:
            continue
        uploaded = arxiv_year(link.arxiv_id)
        if ref.year < uploaded:
            yield finding(
                "venue-year",
                doc.path,
                entry.venue.line,
                column,
                f"venue year {ref.year} is earlier than arXiv {link.arxiv_id} ({uploaded}); "
                "check the venue or the ID",
                url=link.url,
            )


# ---------------------------------------------------------------------------------------------
# Online: the published record. A venue warning must be right, so every doubt means silence.

FINDINGS_TRACKS = frozenset({"ACL", "EMNLP", "NAACL", "EACL"})  # S2 files Findings under these
_ACCEPTED = re.compile(
    r"\b(?:accepted|to appear|appear(?:s|ed)?|published|presented)\b[^.;]{0,40}?"
    r"\b(?:at|in|by|to|for)\s+(?:the\s+)?(?P<rest>.{0,80})",
    re.I,
)


_SIDE_TRACK = re.compile(
    r"\b(?:workshops?|tiny papers?|track|findings|demo|poster session)\b", re.I
)


@dataclass(frozen=True)
class Published:
    venue: Venue
    year: int | None
    source: str

    @property
    def text(self) -> str:
        return f"{self.venue.name} {self.year}" if self.year else self.venue.name


def _compatible(a: Venue, b: Venue) -> bool:
    """The same venue, or one is the Findings track of the other (S2 cannot tell them apart)."""
    return a == b or a.name == f"Findings of {b.name}" or b.name == f"Findings of {a.name}"


def s2_venue(paper: S2Paper | None, table: VenueTable) -> Venue | None:
    if paper is None:
        return None
    for name in (paper.venue, *paper.alternate_names, paper.journal or ""):
        venue = table.lookup_record(name) if name else None
        if venue is not None:
            return venue
    return None


def s2_says_published(paper: S2Paper | None) -> bool:
    if paper is None:
        return False
    names = {n.lower() for n in (paper.venue, *paper.alternate_names) if n}
    return bool(names - {"arxiv.org", "arxiv", "corr", "arxiv (cornell university)"})


def dblp_title_wanted(entry: Entry, table: VenueTable, paper: S2Paper | None) -> str | None:
    """The title to look up in DBLP for this entry, when only DBLP can settle its venue."""
    if not s2_says_published(paper) or paper is None or not paper.title:
        return None
    listed = read_venue(entry, table)
    if entry.venue is not None and listed is None:
        return None  # a venue we cannot read: nothing to compare with
    if listed is None and not entry.has_venue_slot:
        return None
    found = s2_venue(paper, table)
    if (
        listed is not None
        and found is not None
        and listed.venue == found
        and (found.name not in FINDINGS_TRACKS)
    ):
        return None  # S2 agrees; the year it gives is often the preprint's, so we leave it
    return paper.title


def published_record(entry: Entry, table: VenueTable, ev: Evidence) -> Published | None:
    """The one venue all sources agree on, or None when they are silent or disagree."""
    link = entry.primary_arxiv
    if link is None or link.arxiv_id is None:
        return None
    paper = ev.s2.get(link.arxiv_id)
    if not s2_says_published(paper) or paper is None:
        return None
    claims: list[Published] = []
    records = ev.dblp.get(normalize_title(paper.title))
    if records is None:
        return None
    for rec in records:
        if rec.is_preprint or normalize_title(rec.title) != normalize_title(paper.title):
            continue
        venue = table.lookup_record(rec.venue)
        if venue is None:
            return None  # a record we cannot place: a workshop, a journal we do not know
        claims.append(Published(venue, rec.year, "DBLP"))
    arxiv_paper = ev.arxiv.get(link.arxiv_id)
    if arxiv_paper is not None:
        claim = _arxiv_claim(arxiv_paper.journal_ref, arxiv_paper.comment, table)
        if claim is not None:
            claims.append(claim)
    if not claims:
        return None
    first = claims[0]
    for other in claims[1:]:
        if other.venue != first.venue or (other.year and first.year and other.year != first.year):
            return None
    found = s2_venue(paper, table)
    if found is None:
        # S2 names a venue we cannot place (a workshop, a journal): unsure, unless it is its
        # bare "Findings", which DBLP's "ACL (Findings)" makes precise.
        names = {n.lower() for n in (paper.venue, *paper.alternate_names) if n}
        if not (
            first.venue.name.startswith("Findings of ")
            and any(n.startswith("findings") for n in names)
        ):
            return None
    elif not _compatible(found, first.venue):
        return None
    return first


def _arxiv_claim(
    journal_ref: str | None, comment: str | None, table: VenueTable
) -> Published | None:
    if journal_ref:
        written = table.search(journal_ref)
        ref = table.parse(written) if written else None
        if ref is not None and ref.year:
            return Published(ref.venue, ref.year, "arXiv journal reference")
    if comment and not _SIDE_TRACK.search(comment):
        m = _ACCEPTED.search(comment)
        written = table.search(m.group("rest")) if m else None
        ref = table.parse(written) if written else None
        if ref is not None and ref.year:
            return Published(ref.venue, ref.year, "arXiv comment")
    return None


def venue_online(doc: Document, ctx: VenueContext, ev: Evidence) -> Iterator[Finding]:
    for entry in doc.entries:
        published = published_record(entry, ctx.table, ev)
        if published is None or published.year is None:
            continue
        link = entry.primary_arxiv
        assert link is not None
        listed = read_venue(entry, ctx.table)
        if entry.venue is not None and listed is not None:
            same_year = listed.year is None or listed.year == published.year
            if listed.venue == published.venue and same_year:
                continue
            yield finding(
                "venue-mismatch",
                doc.path,
                entry.venue.line,
                entry.venue.column + listed.start,
                f"listed as '{listed.written}', but arXiv {link.arxiv_id} was published in "
                f"{published.text} ({published.source})",
                url=link.url,
                # a fix on a database's word only, never on an author's comment alone
                fix=Fix(
                    entry.venue.line,
                    listed.written,
                    published.text,
                    entry.venue.column + listed.start,
                )
                if published.source != "arXiv comment"
                else None,
            )
        elif entry.venue is None and entry.has_venue_slot:
            yield finding(
                "venue-missing",
                doc.path,
                entry.line,
                link.column,
                f"no venue given; arXiv {link.arxiv_id} was published in {published.text} "
                f"({published.source})",
                url=link.url,
            )
