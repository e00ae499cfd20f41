"""How a list writes its venues: its house style, and where it puts the Findings track.

paperlint's canonical form is `NAME YEAR` (`ECCV 2020`, `Findings of ACL 2023`). A list that
writes nearly all its venues one other way (`ECCV'20`, `CVPR'19`, … throughout) has a house style
of its own, and a maintainer keeps it: its outliers are written to match it (`venue-format`), and
a venue paperlint writes into the list (from the published record) is written that way too. A
list that writes the Findings track after the year (`ACL 2023 Findings`) gets it written so.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from checker.model import Document
from checker.venues import Venue, VenueRef, VenueTable

HOUSE_SHARE = 0.8  # of a file's venues (those with a year) written one way, at the least
HOUSE_MIN = 20  # venues with a year in the file, at the least
FINDINGS_OF = "Findings of "


@dataclass(frozen=True)
class Shape:
    """How a venue's year follows its name: the text between them and the year's digits."""

    between: str  # " ", "'", "-", "" (`ICLR 2022`, `ICLR'22`, `ICLR-2022`, `ACL23`)
    digits: int  # 4 or 2

    def write(self, name: str, year: int | None) -> str:
        if year is None:
            return name
        return f"{name}{self.between}{year if self.digits == 4 else f'{year % 100:02d}'}"


CANONICAL = Shape(" ", 4)


@dataclass(frozen=True)
class Written:
    """A venue as the list wrote it, taken apart."""

    shape: Shape | None  # None: written without a year
    name: str  # its name as written where that is right (`NIPS 2017`), else the canonical one
    name_ok: bool
    track: str | None  # the Findings mark written after the year (` Findings`, ` (Findings)`)
    sample: str  # its name and year as written (`ECCV'20`)


def taken_apart(ref: VenueRef, table: VenueTable) -> Written:
    base = ref.findings_after or ref.venue  # `ACL 2023 Findings` names ACL, then the track
    match = table.with_year_re.match(ref.written) if ref.year is not None else None
    name_year = match.group(0) if match else ref.written
    track = (ref.written[len(name_year) :] or None) if ref.findings_after else None
    name_ok = ref.name_written == base.name or ref.name_written in base.accepted
    until = base.accepted_until.get(ref.name_written)
    if until is not None and ref.year is not None:
        name_ok = ref.year <= until
    shape = None
    if match is not None and ref.year is not None:
        rest = name_year[len(ref.name_written) :]
        full = str(ref.year)
        if rest.endswith(full):
            shape = Shape(rest[: -len(full)], 4)
        elif rest.endswith(full[2:]):
            shape = Shape(rest[:-2], 2)
    return Written(shape, ref.name_written if name_ok else base.name, name_ok, track, name_year)


@dataclass(frozen=True)
class ListStyle:
    """How one file writes its venues: its house style where it has one, else the canonical."""

    shape: Shape = CANONICAL
    house: bool = False
    sample: str = ""  # a venue of the list written in its house style
    share: tuple[int, int] = (0, 0)  # venues written in the house style, of those with a year
    findings_after: str | None = None  # how the list marks the Findings track after the year

    def write(self, venue: Venue, year: int | None, findings_after: str | None) -> str:
        """`venue` and `year` as this list writes them (`findings_after`: the Findings mark to
        put after the year, None for `Findings of …`)."""
        if venue.name.startswith(FINDINGS_OF) and findings_after is not None:
            return self.shape.write(venue.name[len(FINDINGS_OF) :], year) + findings_after
        return self.shape.write(venue.name, year)


def list_style(doc: Document, table: VenueTable) -> ListStyle:
    """One pass over the file's venues (workshops and other satellite events left out, and
    venues written apart, `| CVPR | 2019 |`: those have no one form)."""
    shapes: Counter[Shape] = Counter()
    samples: dict[Shape, str] = {}
    tracks: Counter[str] = Counter()
    before = 0
    read: dict[str, Written] = {}  # a list writes a few venues many times: each is read once
    for entry in doc.entries:
        venue = entry.venue
        ref = table.parse(venue.text) if venue is not None and not venue.parts else None
        if ref is None or ref.side_track:
            continue
        assert venue is not None
        written = read.get(venue.text)
        if written is None:
            written = read[venue.text] = taken_apart(ref, table)
        if written.shape is not None:
            shapes[written.shape] += 1
            samples.setdefault(written.shape, written.sample)
        if ref.venue.name.startswith(FINDINGS_OF):
            if written.track:
                tracks[written.track] += 1
            else:
                before += 1
    after = tracks.most_common(1)[0][0] if sum(tracks.values()) > before else None
    total = sum(shapes.values())
    if total >= HOUSE_MIN:
        shape, count = shapes.most_common(1)[0]
        if shape != CANONICAL and count >= HOUSE_SHARE * total:
            return ListStyle(shape, True, samples[shape], (count, total), after)
    return ListStyle(findings_after=after)
