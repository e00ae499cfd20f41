"""The document while it is being read: what each construct's reader adds to, in one place."""

from __future__ import annotations

from dataclasses import dataclass, field
from operator import attrgetter

from checker.model import Document, Entry, Field, Heading, Link, ShapeProblem
from checker.parse.cells import row_fields
from checker.parse.html import HtmlScanner, row_cells, row_name
from checker.parse.inline import InlineReader, Locator
from checker.slugs import Slugger
from checker.sources import split_lines
from checker.venues import VenueTable


@dataclass
class Draft:
    path: str
    text: str
    venues: VenueTable
    lines: list[str] = field(init=False)
    locator: Locator = field(init=False)
    inline: InlineReader = field(init=False)
    html: HtmlScanner = field(init=False)
    slugger: Slugger = field(default_factory=Slugger)
    section: list[tuple[int, str]] = field(default_factory=list)  # (level, text) of open headings
    entries: list[Entry] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    shape: list[ShapeProblem] = field(default_factory=list)
    _section_path: tuple[str, ...] | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self.lines = split_lines(self.text)
        self.locator = Locator(self.lines)
        self.inline = InlineReader(self.locator)
        self.html = HtmlScanner(self.locator)

    @property
    def section_path(self) -> tuple[str, ...]:
        """The open headings' texts: one tuple shared by every entry under them."""
        if self._section_path is None:
            self._section_path = tuple(t for _, t in self.section)
        return self._section_path

    def open_section(self, level: int, text: str) -> None:
        """A heading closes the sections at its level and below, and opens its own."""
        while self.section and self.section[-1][0] >= level:
            self.section.pop()
        self.section.append((level, text))
        self._section_path = None

    def line_text(self, line: int) -> str:
        """Line `line` (1-based) as written, or "" past either end, where no text is found."""
        return self.lines[line - 1] if 1 <= line <= len(self.lines) else ""

    def field_at(self, text: str, line: int, fallback: int = 1) -> Field:
        """`text` placed on `line` where it starts (its first 20 characters, else its first
        word, as written there), else at column `fallback`."""
        raw = self.line_text(line)
        for needle in (text[:20], *text.split()[:1]):
            at = raw.find(needle) if needle else -1
            if at >= 0:
                return Field(text, line, at + 1)
        return Field(text, line, fallback)

    def add_entry(
        self,
        line: int,
        end_line: int,
        links: list[Link],
        title: Field | None,
        venue: Field | None = None,
        has_venue_slot: bool = False,
        section: tuple[str, ...] | None = None,
        name: Field | None = None,
        is_row: bool = False,
        venue_slot: Field | None = None,
    ) -> None:
        if not any(lk.is_http for lk in links):
            return
        self.entries.append(
            Entry(
                line=line,
                end_line=end_line,
                section=self.section_path if section is None else section,
                links=tuple(links),
                title=title,
                venue=venue,
                has_venue_slot=has_venue_slot,
                name=name,
                is_row=is_row,
                venue_slot=venue_slot,
            )
        )

    def finish(self) -> Document:
        self.html.end_row(len(self.lines))
        for row in self.html.rows:
            self.links.extend(row.links)
            title = venue = name = None
            has_venue_slot = False
            if row.columns is not None:
                fields = row_fields(row_cells(row, self.lines), row.columns, self.venues)
                title, venue, name = fields.title, fields.venue, fields.name
                has_venue_slot = fields.has_venue_slot
            name = row_name(row, self.line_text) or name
            self.add_entry(
                row.first,
                row.last,
                row.links,
                title,
                venue,
                has_venue_slot=has_venue_slot,
                section=row.section,
                name=name,
                is_row=True,
            )
        self.links.extend(self.html.loose_links)
        anchors = {"top"}  # browsers scroll to the top for #top, heading or not
        anchors.update(h.slug.lower() for h in self.headings)
        anchors.update(a.lower() for a in (*self.html.anchors, *self.inline.anchors))
        self.entries.sort(key=attrgetter("line"))
        # an arXiv ID written as text counts where an entry carries it, not in free prose
        carried = {id(lk) for e in self.entries for lk in e.links if lk.in_text}
        self.links = [lk for lk in self.links if not lk.in_text or id(lk) in carried]
        self.links.sort(key=attrgetter("line", "column"))
        return Document(
            path=self.path,
            text=self.text,
            lines=tuple(self.lines),
            entries=tuple(self.entries),
            links=tuple(self.links),
            headings=tuple(self.headings),
            anchors=frozenset(anchors),
            shape_problems=tuple(self.shape),
            link_syntax=tuple(self.inline.syntax),
        )
