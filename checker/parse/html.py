"""HTML blocks: `<tr>` rows become entries, `<a href>` links, `id`/`name` attributes anchors."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser

from checker.model import Field, Link
from checker.parse.inline import Locator, make_link


@dataclass(frozen=True)
class HtmlRow:
    first: int
    last: int
    links: list[Link]
    section: tuple[str, ...]


class HtmlScanner(HTMLParser):
    """Reads html_block tokens one after another; a <tr> may span several blocks."""

    def __init__(self, locator: Locator) -> None:
        super().__init__(convert_charrefs=True)
        self.locator = locator
        self.base_line = 0
        self.anchors: list[str] = []
        self.section: tuple[str, ...] = ()  # set by the walk before each block
        self.rows: list[HtmlRow] = []
        self.loose_links: list[Link] = []
        self._row: tuple[int, list[Link], tuple[str, ...]] | None = None
        self._link: tuple[str, int, int, list[str]] | None = None

    def feed_block(self, html: str, first_line: int, section: tuple[str, ...]) -> None:
        self.base_line = first_line
        self.section = section
        self.reset()
        self.feed(html)
        self.close()

    def _line(self) -> int:
        return self.base_line + self.getpos()[0] - 1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): (v or "") for k, v in attrs}
        for key in ("id", "name"):
            if values.get(key):
                self.anchors.append(values[key])
        if tag == "tr":
            self.end_row(self._line())  # an unclosed <tr> ends where the next begins
            self._row = (self._line(), [], self.section)
        elif tag == "a" and values.get("href", "").strip():
            href = values["href"].strip()
            line = self._line()
            self._link = (href, line, self.locator.column(line, href), [])

    def end_row(self, last: int) -> None:
        """Close the open row, if any. An end tag is read after its row's `<tr>` (blocks are fed
        in document order, and the parser's line never goes back): for `</tr>` the max is moot."""
        if self._row:
            first, links, section = self._row
            self.rows.append(HtmlRow(first, max(first, last), links, section))
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._link:
            self._link[3].append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._link:
            href, line, column, parts = self._link
            self._link = None
            link = make_link(href, " ".join("".join(parts).split()), line, column)
            if self._row:
                self._row[1].append(link)
            else:
                self.loose_links.append(link)
        elif tag in ("table", "tbody", "thead", "tr"):
            self.end_row(self._line())


# TransferAttack's rows: `<a href="https://arxiv.org/abs/…">NI-FGSM (Lin et al., 2020)</a>`.
_NAME_AUTHOR_YEAR = re.compile(
    r"(?P<name>\S(?:.*?\S)?)\s*\([^()]*[A-Za-z][^()]*?,?\s*(?:19|20)\d\d\)"
)


def row_name(row: HtmlRow, line_text: Callable[[int], str]) -> Field | None:
    """The method's name of a row whose link reads `NAME (Author et al., YEAR)`; `line_text`
    is the draft's, so a line is looked up one way throughout the parse."""
    for link in row.links:
        m = _NAME_AUTHOR_YEAR.fullmatch(link.text)
        if m:
            name = m.group("name")
            at = line_text(link.line).find(">" + name, link.column - 1)
            if at >= 0:
                return Field(name, link.line, at + 2)
    return None
