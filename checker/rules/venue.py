"""Venues: canonical spelling and plausible years (offline); the published record (online)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from checker.model import Applicability, Document, Entry, Field, Finding, Fix, Severity
from checker.rules import finding
from checker.rules.venue_style import FINDINGS_OF, ListStyle, list_style, taken_apart
from checker.titles import normalize_title
from checker.venues import SIDE_TRACK, Venue, VenueRef, VenueTable

if TYPE_CHECKING:  # the services, for annotations only: an offline run never loads them
    from checker.evidence import Evidence
    from checker.services.scholar import S2Paper


@dataclass(frozen=True)
class VenueContext:
    table: VenueTable
    this_year: int


def read_venue(entry: Entry, table: VenueTable) -> VenueRef | None:
    return table.parse(entry.venue.text) if entry.venue else None


def main_venue(entry: Entry, table: VenueTable) -> VenueRef | None:
    """The venue to judge: a workshop or other satellite event is left alone (None)."""
    ref = read_venue(entry, table)
    return None if ref is None or ref.side_track else ref


def venue_format(doc: Document, ctx: VenueContext) -> Iterator[Finding]:
    style = list_style(doc, ctx.table)
    for entry in doc.entries:
        ref = main_venue(entry, ctx.table)
        if ref is None or entry.venue is None:
            continue
        if style.house and not entry.venue.parts:  # a venue written apart has no one form
            said = _off_house_style(ref, style, ctx.table)
            if said is not None:
                message, new = said
                yield finding(
                    "venue-format",
                    doc.path,
                    entry.venue.line,
                    entry.venue.column + ref.start,
                    message,
                    fix=entry.venue.edit(ref.start, ref.written, new),
                )
                continue
            if not ref.is_canonical and ref.year is not None:
                continue  # written in the house style
        if ref.is_canonical:
            continue
        yield finding(
            "venue-format",
            doc.path,
            entry.venue.line,
            entry.venue.column + ref.start,
            f"venue '{ref.written}' is not written canonically: '{ref.suggestion}'",
            fix=entry.venue.edit(ref.start, ref.written, ref.suggestion),
            # `ACL 2025 Findings` is clear, and often a list's house style: the rewrite is offered
            severity=Severity.INFO if ref.track_after_only else None,
        )


def _off_house_style(ref: VenueRef, style: ListStyle, table: VenueTable) -> tuple[str, str] | None:
    """What a venue with a year is in a list with a house style: written otherwise (the message
    and the house form), or None (written its way; without a year, read as anywhere)."""
    written = taken_apart(ref, table)
    if written.shape is None or (written.shape == style.shape and written.name_ok):
        return None
    new = style.shape.write(written.name, ref.year) + (written.track or "")
    if new == ref.written:
        return None
    count, total = style.share
    return (
        f"venue '{ref.written}' is not written in this list's own style ('{style.sample}', as "
        f"{count} of its {total} venues are): '{new}'",
        new,
    )


def arxiv_month(arxiv_id: str) -> tuple[int, int]:
    """(year, month) of an identifier: `2106.09685` → (2021, 6), `hep-th/9711200` → (1997, 11)."""
    digits = arxiv_id.split("/")[-1] if "/" in arxiv_id else arxiv_id
    yy, mm = int(digits[:2]), int(digits[2:4])
    return (1900 + yy if yy >= 91 else 2000 + yy), mm


# Papers reach arXiv after their conference too (a December NeurIPS paper uploaded in March): an
# identifier up to this month of the year after the venue's is a late upload, not a wrong year.
LATE_UPLOAD_MONTH = 6
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def venue_year(doc: Document, ctx: VenueContext) -> Iterator[Finding]:
    for entry in doc.entries:
        ref = main_venue(entry, ctx.table)
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
        year, month = arxiv_month(link.arxiv_id)
        if (year, month) > (ref.year + 1, LATE_UPLOAD_MONTH):
            yield finding(
                "venue-year",
                doc.path,
                entry.venue.line,
                column,
                f"venue year {ref.year} is earlier than arXiv {link.arxiv_id} "
                f"({_MONTHS[month - 1]} {year}), later than a late upload explains; "
                "check the venue or the ID",
                url=link.url,
            )


# ---------------------------------------------------------------------------------------------
# Online: the published record. A venue warning must be right, so every doubt means silence.

_ACCEPTED = re.compile(
    r"\b(?:accepted|to appear|appear(?:s|ed)?|published|presented)\b[^.;]{0,40}?"
    r"\b(?:at|in|by|to|for)\s+(?:the\s+)?(?P<rest>.{0,80})",
    re.I,
)


# an author's comment about a workshop or some other track is no claim about the main conference
_COMMENT_SIDE_TRACK = re.compile(r"\b(?:track|poster session)\b", re.I)


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
    listed = main_venue(entry, table)
    if entry.venue is not None and listed is None:
        return None  # a venue we cannot read, or a workshop: nothing to compare with
    if listed is None and not entry.has_venue_slot:
        return None
    found = s2_venue(paper, table)
    if (
        listed is not None
        and found is not None
        and listed.venue == found
        and table.findings_of(found) is None
        and (listed.year is None or paper.year is None or paper.year == listed.year)
    ):
        # S2 agrees, on the year too. (S2 files a Findings paper under its conference, so there
        # only DBLP can tell the track.) The year S2 gives is often the preprint's: where it is
        # another than the listed one, only the proceedings' record can say which is right.
        return None
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
        if ref is not None and ref.year and not ref.side_track:
            return Published(ref.venue, ref.year, "arXiv journal reference")
    if comment and not SIDE_TRACK.search(comment) and not _COMMENT_SIDE_TRACK.search(comment):
        m = _ACCEPTED.search(comment)
        written = table.search(m.group("rest")) if m else None
        ref = table.parse(written) if written else None
        if ref is not None and ref.year and not ref.side_track:
            return Published(ref.venue, ref.year, "arXiv comment")
    return None


def venue_online(doc: Document, ctx: VenueContext, ev: Evidence) -> Iterator[Finding]:
    style: ListStyle | None = None
    for entry in doc.entries:
        published = published_record(entry, ctx.table, ev)
        if published is None or published.year is None:
            continue
        link = entry.primary_arxiv
        assert link is not None
        listed = read_venue(entry, ctx.table)
        if listed is not None and listed.side_track:
            continue  # a workshop is not the main conference: never compared with it
        style = style or list_style(doc, ctx.table)
        # a fix on a database's word only, never on an author's comment alone
        fixable = published.source != "arXiv comment"
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
                fix=entry.venue.edit(
                    listed.start,
                    listed.written,
                    # a venue written apart (`ICCV, 2021`) is edited part by part: canonically
                    _in_style(
                        ListStyle() if entry.venue.parts else style, published, listed, ctx.table
                    ),
                    Applicability.UNSAFE,  # it changes what the list says: --unsafe-fixes
                )
                if fixable
                else None,
            )
        elif entry.venue is None and entry.has_venue_slot:
            slot = entry.venue_slot
            yield finding(
                "venue-missing",
                doc.path,
                entry.line,
                link.column,
                f"no venue given; arXiv {link.arxiv_id} was published in {published.text} "
                f"({published.source})",
                url=link.url,
                fix=_fill(slot, _in_style(style, published, None, ctx.table))
                if fixable and slot is not None
                else None,
            )


def _in_style(
    style: ListStyle, published: Published, listed: VenueRef | None, table: VenueTable
) -> str:
    """The published venue as the list writes venues. A Findings venue listed as such keeps
    the entry's own way of writing the track; any other is written the list's way."""
    after = style.findings_after
    if listed is not None and listed.venue.name.startswith(FINDINGS_OF):
        after = taken_apart(listed, table).track
    return style.write(published.venue, published.year, after)


def _fill(slot: Field, venue: str) -> Fix:
    """Write `venue` into an empty table cell (`slot`: the cell as written between its pipes).
    The fix replaces the cell and its closing pipe, so it applies only where the cell is still
    empty; an aligned table keeps its width where the venue fits."""
    width = len(slot.text)
    cell = f" {venue.ljust(width - 2)} " if width >= len(venue) + 2 else f" {venue} "
    return Fix(slot.line, slot.text + "|", cell + "|", slot.column, Applicability.UNSAFE)
