"""Venues: canonical spelling and plausible years (offline); the published record (online)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from checker.model import Document, Entry, Finding, Fix
from checker.rules import finding
from checker.venues import VenueRef, VenueTable


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
            "venue-format", doc.path, entry.venue.line, column,
            f"venue '{ref.written}' is not written canonically: '{ref.suggestion}'",
            fix=Fix(entry.venue.line, ref.written, ref.suggestion),
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
            yield finding("venue-year", doc.path, entry.venue.line, column,
                          f"venue year {ref.year} is not a plausible year")
            continue
        link = entry.primary_arxiv
        if link is None or link.arxiv_id is None:
            continue
        uploaded = arxiv_year(link.arxiv_id)
        if ref.year < uploaded:
            yield finding(
                "venue-year", doc.path, entry.venue.line, column,
                f"venue year {ref.year} is earlier than arXiv {link.arxiv_id} ({uploaded}); "
                "check the venue or the ID",
                url=link.url,
            )
