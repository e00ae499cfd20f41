"""Table rows, Markdown or HTML, read alike: the header tells which column holds what, and each
cell gives the entry its title, venue or name, placed where it is written."""

from __future__ import annotations

import re
from dataclasses import dataclass

from checker.columns import (
    NAME_HEADERS,
    PAPER_HEADERS,
    TITLE_HEADERS,
    VENUE_HEADERS,
    YEAR_HEADERS,
    header_key,
)
from checker.model import Field
from checker.parse.inline import Inline
from checker.titles import clean_title, is_generic_text
from checker.venues import VenueTable


@dataclass
class Columns:
    title: int | None
    venue: int | None
    name: int | None = None
    year: int | None = None

    @classmethod
    def from_header(cls, names: list[str]) -> Columns:
        keys = [header_key(n) for n in names]

        def first(options: tuple[str, ...]) -> int | None:
            return next((i for i, k in enumerate(keys) if k in options), None)

        title = first(TITLE_HEADERS)
        if title is None:
            title = first(PAPER_HEADERS)
        return cls(
            title=title,
            venue=first(VENUE_HEADERS),
            name=first(NAME_HEADERS),
            year=first(YEAR_HEADERS),
        )


# Where one piece of a cell's text stands: (line, 0-based offset in the line, raw text). A cell
# of a row wrapped onto two lines has a piece on each.
Piece = tuple[int, int, str]


@dataclass(slots=True)
class Cell:
    inline: Inline
    pieces: tuple[Piece, ...]


@dataclass(frozen=True, slots=True)
class RowFields:
    title: Field | None
    venue: Field | None
    name: Field | None
    has_venue_slot: bool


def row_fields(cells: list[Cell | None], columns: Columns, venues: VenueTable) -> RowFields:
    """What a row says of its paper, column by column (None: no cell in that column)."""

    def cell(index: int | None) -> Cell | None:
        return cells[index] if index is not None and index < len(cells) else None

    title_cell, venue_cell, name_cell = cell(columns.title), cell(columns.venue), cell(columns.name)
    title = title_from_cell(title_cell, venues) if title_cell is not None else None
    venue = text_of_cell(venue_cell) if venue_cell is not None else None
    year_cell = cell(columns.year)
    if venue is not None and year_cell is not None:
        venue = with_year(venue, text_of_cell(year_cell), venues)
    name = text_of_cell(name_cell) if name_cell is not None else None
    return RowFields(title, venue, name, columns.venue is not None)


YEAR = re.compile(r"(?:19|20)\d{2}")


def with_year(venue: Field, year: Field | None, venues: VenueTable) -> Field:
    """A venue cell that names the venue alone, read with the year column beside it."""
    if year is None or not YEAR.fullmatch(year.text):
        return venue
    ref = venues.parse(venue.text)
    if ref is None or ref.year is not None or ref.start != 0 or ref.end != len(venue.text):
        return venue  # a year of its own, a label, a workshop: the cell as it is
    return Field(f"{venue.text} {year.text}", venue.line, venue.column, (venue, year))


def place(text: str, cell: Cell) -> tuple[int, int] | None:
    """(line, 1-based column) of `text` within the cell as written, if it stands there."""
    for line, offset, raw in cell.pieces:
        at = raw.find(text) if text else -1
        if at >= 0:
            return line, offset + at + 1
    return None


def text_of_cell(cell: Cell) -> Field | None:
    """A venue's or name's text as rendered, where it stands verbatim; else the cell's text as
    written, so that a fix can always find it at its place."""
    text = cell.inline.text.strip()
    if not text:
        return None
    placed = place(text, cell)
    if placed:
        return Field(text, *placed)
    for line, offset, raw in cell.pieces:
        written = raw.strip()
        if written:
            return Field(written, line, offset + raw.index(written) + 1)
    return None


def title_from_cell(cell: Cell, venues: VenueTable) -> Field | None:
    """The first bold span, else a link text of two words or more, else the cell's first plain
    text: never a tag (`**[CVPR' 19]**`) nor a venue alone."""
    candidates: list[str] = []
    segments = cell.inline.segments
    for seg in segments:
        candidates.extend(s for s in seg.strongs if not bracketed(s))
    for seg in segments:
        candidates.extend(lk.text for lk in seg.links if len(lk.text.split()) >= 2)
    for seg in segments:
        if seg.text.strip() and not seg.links and not seg.strongs:
            candidates.append(seg.text)
            break
    for cand in candidates:
        cleaned = clean_title(cand)
        if (
            cleaned
            and not is_generic_text(cleaned)
            and len(cleaned.split()) <= 40
            and not is_venue(venues, cleaned)
        ):
            placed = place(cleaned[:20], cell) or place(cleaned.split()[0], cell)
            if placed is None and cell.pieces:
                line, offset, raw = cell.pieces[0]
                placed = (line, offset + len(raw) - len(raw.lstrip()) + 1)
            return Field(cleaned, *(placed or (cell.inline.line, 1)))
    return None


def bracketed(text: str) -> bool:
    """`[…]` around the whole text."""
    whole = text.strip()
    return whole.startswith("[") and whole.endswith("]")


def is_venue(venues: VenueTable, text: str) -> bool:
    """`CVPR 2019`, `[ICLR'22]`: a venue and nothing more."""
    bare = text.strip().strip("[]()*_ ").strip()
    ref = venues.parse(bare)
    return ref is not None and not bare[ref.end :].strip(" ,.;:|-()[]")
