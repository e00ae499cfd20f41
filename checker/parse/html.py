"""HTML blocks: `<tr>` rows become entries, `<a href>` links, `id`/`name` attributes anchors.

The blocks are read by `html_events`, a tokenizer that follows HTML's own rules for where a tag,
a comment or a quoted value ends: a comment never closed runs to the end, and so does a tag or a
quoted value never closed (the browser drops it). Read that way, every character is read once.
`html.parser.HTMLParser` instead, on a tag or comment it cannot close, reads it as text and tries
again from the next `<`: a block of unclosed `<!--` or `<a x` lines took time quadratic in its
length (CPython fixed some of those cases in 3.13.4, not all, and not in the versions we support).
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from checker.model import Field, Link
from checker.parse.cells import YEAR, Cell, Columns
from checker.parse.inline import Inline, Locator, Segment, attribute_value, make_link

# After `<` or `</`: the tag's name, then its attributes up to the `>` that ends it. Every part is
# possessive: a tag is read once, and fails only where the text ends before its `>`.
_TAG = re.compile(
    r"""(?P<name>[A-Za-z][^\s/>]*+)(?P<attrs>(?>[\s/]++|[^\s/>][^\s/>=]*+"""
    r"""(?>\s*+=\s*+(?>"[^"]*+(?:"|\Z)|'[^']*+(?:'|\Z)|[^\s>]*+))?+)*+)>"""
)
_ATTR = re.compile(r"""([^\s/>][^\s/>=]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]*)))?""")
_COMMENT_END = re.compile(r"--!?>")
_RAW_TEXT = ("script", "style")  # read as text up to their end tag, as HTMLParser does


class Text(str):
    """A run of an HTML block's text, unescaped, and the offset where it is written."""

    at: int

    def __new__(cls, value: str, at: int = 0) -> Text:
        text = super().__new__(cls, value)
        text.at = at
        return text


@dataclass(frozen=True, slots=True)
class StartTag:
    name: str  # lower case
    attrs: list[tuple[str, str | None]]  # names in lower case, values as browsers read them
    at: int  # offset of its `<` in the block
    closed: bool  # written `<tag/>`
    written: dict[str, str] = field(default_factory=dict)  # the values as written, by name


@dataclass(frozen=True, slots=True)
class EndTag:
    name: str
    at: int


def html_events(text: str) -> Iterator[StartTag | EndTag | Text]:
    """Tags and text (unescaped) of an HTML block, in order; comments, declarations and
    processing instructions are skipped."""
    pos, n = 0, len(text)
    while pos < n:
        lt = text.find("<", pos)
        if lt < 0:
            yield Text(html_lib.unescape(text[pos:]), pos)
            return
        if lt > pos:
            yield Text(html_lib.unescape(text[pos:lt]), pos)
        nxt = text[lt + 1 : lt + 2]
        if text.startswith("<!--", lt):
            if text.startswith((">", "->"), lt + 4):  # `<!-->`, `<!--->`: empty comments
                pos = text.index(">", lt + 4) + 1
                continue
            end = _COMMENT_END.search(text, lt + 4)
            if end is None:
                return  # a comment never closed runs to the end
            pos = end.end()
        elif nxt in ("!", "?") or (nxt == "/" and not _letter(text[lt + 2 : lt + 3])):
            gt = text.find(">", lt + 1)  # a declaration, an instruction or a bogus comment
            if gt < 0:
                return
            pos = gt + 1
        elif _letter(nxt) or nxt == "/":
            closing = nxt == "/"
            m = _TAG.match(text, lt + 1 + closing)
            if m is None:
                return  # a tag never closed: dropped, with all that follows it
            name = m.group("name").lower()
            pos = m.end()
            if closing:
                yield EndTag(name, lt)
                continue
            attrs, closed, written = _attributes(m.group("attrs"))
            yield StartTag(name, attrs, lt, closed, written)
            if name in _RAW_TEXT:
                end_tag = re.compile(rf"</{name}(?=[\s/>])", re.I).search(text, pos)
                pos = n if end_tag is None else end_tag.start()
        else:
            yield Text("<", lt)
            pos = lt + 1


def _letter(ch: str) -> bool:
    return ch.isascii() and ch.isalpha()


def _attributes(
    written: str,
) -> tuple[list[tuple[str, str | None]], bool, dict[str, str]]:
    """The attributes of a start tag, whether it is written `<tag/>` (a `/` right before the
    `>`, not inside an unquoted value: `<a href=x/>` is not), and their values as written."""
    out: list[tuple[str, str | None]] = []
    as_written: dict[str, str] = {}
    end = 0
    for m in _ATTR.finditer(written):
        name, double, single, bare = m.groups()
        value = next((v for v in (double, single, bare) if v is not None), None)
        out.append((name.lower(), None if value is None else attribute_value(value)))
        if value is not None:
            as_written[name.lower()] = value  # the last one, as `values` reads them
        end = m.end()
    return out, written.endswith("/", end), as_written


@dataclass(slots=True)
class HtmlCell:
    """A `<td>` or `<th>`: the column it starts in (rowspans and colspans counted), where it is
    written, and its text, bold spans and links."""

    column: int
    header: bool
    line: int  # the line of its start tag
    offset: int  # 0-based offset of its start tag in that line
    last: int = 0  # its last line
    text_line: int = 0  # the line its text starts on (0: no text yet)
    parts: list[str] = field(default_factory=list)
    strongs: list[str] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join("".join(self.parts).split())


@dataclass(slots=True)
class _Table:
    """An open `<table>`: its header's columns, once read, and the cells that rowspans hold."""

    columns: Columns | None = None
    rows: int = 0  # rows begun so far
    held: dict[int, int] = field(default_factory=dict)  # column → last row a rowspan holds it
    cursor: int = 0  # the next free column of the open row


@dataclass(frozen=True)
class HtmlRow:
    first: int
    last: int
    links: list[Link]
    section: tuple[str, ...]
    cells: tuple[HtmlCell, ...] = ()
    columns: Columns | None = None  # its table's header, if it has one


_BOLD = ("strong", "b")
# Columns are counted up to here (a cell past it is read as standing there), and a colspan as
# at most this wide: each cell then costs a few steps at most, however a table is written.
# Real tables have a few columns; a colspan of thousands is a typo, or an attack.
_COLUMNS = 64
_COLSPAN = 32
_ROWSPAN = 100_000


def _span(values: dict[str, str], key: str, most: int) -> int:
    value = values.get(key, "").strip()[:8]
    return min(int(value), most) if value.isdigit() and int(value) > 0 else 1


class HtmlScanner:
    """Reads html_block tokens one after another; a <tr> may span several blocks.

    Tables are read as Markdown tables are: a first row of `<th>` cells is the header, which
    names the columns (rowspans and colspans counted); the other rows' cells are read by it.
    """

    def __init__(self, locator: Locator) -> None:
        self.locator = locator
        self.anchors: list[str] = []
        self.rows: list[HtmlRow] = []
        self.loose_links: list[Link] = []
        self._row: tuple[int, list[Link], tuple[str, ...]] | None = None
        self._link: tuple[str, int, int, list[str]] | None = None
        self._tables: list[_Table] = []
        self._cells: list[HtmlCell] = []  # the open row's
        self._cell: HtmlCell | None = None
        self._bold: list[str] | None = None  # the open bold span's text, in a cell

    def feed_block(self, html: str, first_line: int, section: tuple[str, ...]) -> None:
        line, counted = first_line, 0  # the line of offset `counted`, counted forward only
        line_start = 0  # the offset where `line` starts
        for event in html_events(html):
            newlines = html.count("\n", counted, event.at)
            if newlines:
                line += newlines
                line_start = html.rfind("\n", counted, event.at) + 1
            counted = event.at
            if isinstance(event, Text):
                self._text(event, line)
            elif isinstance(event, StartTag):
                self._start(event, line, event.at - line_start, section)
                if event.closed:
                    self._end(event.name, line)
            else:
                self._end(event.name, line)

    def _text(self, text: Text, line: int) -> None:
        if self._link:
            self._link[3].append(text)
        cell = self._cell
        if cell is None:
            return
        cell.parts.append(text)
        if self._bold is not None:
            self._bold.append(text)
        if not cell.text_line and text.strip():
            cell.text_line = line + text[: len(text) - len(text.lstrip())].count("\n")

    def _start(self, tag: StartTag, line: int, offset: int, section: tuple[str, ...]) -> None:
        values = {k: (v or "") for k, v in tag.attrs}
        for key in ("id", "name"):
            if values.get(key):
                self.anchors.append(values[key])
        name = tag.name
        if name == "tr":
            self.end_row(line)  # an unclosed <tr> ends where the next begins
            self._row = (line, [], section)
            if self._tables:
                table = self._tables[-1]
                table.rows += 1
                table.cursor = 0
        elif name == "a" and values.get("href", "").strip():
            href = values["href"].strip()  # as followed: `&amp;` written, `&` read
            column = self.locator.column(line, tag.written.get("href", href).strip())
            self._link = (href, line, column, [])
        elif name in ("td", "th"):
            self._cell_start(name == "th", values, line, offset)
        elif name == "table":
            self._tables.append(_Table())
        elif name in _BOLD and self._cell is not None and self._bold is None:
            self._bold = []
        elif name == "br" and self._cell is not None:
            self._cell.parts.append(" ")

    def _cell_start(self, header: bool, values: dict[str, str], line: int, offset: int) -> None:
        self._cell_end(line)
        if self._row is None or not self._tables:
            return
        table = self._tables[-1]
        row = table.rows
        while table.cursor < _COLUMNS and table.held.get(table.cursor, 0) >= row:
            table.cursor += 1
        column, span = min(table.cursor, _COLUMNS), _span(values, "colspan", _COLSPAN)
        table.cursor += span
        rows = _span(values, "rowspan", _ROWSPAN)
        if rows > 1:
            for held in range(column, column + span):
                table.held[held] = row + rows - 1
        self._cell = HtmlCell(column, header, line, offset)

    def _cell_end(self, line: int) -> None:
        cell = self._cell
        if cell is not None:
            cell.last = max(cell.line, line)
            self._cells.append(cell)
            self._cell = None
            self._bold = None

    def end_row(self, last: int) -> None:
        """Close the open row, if any. An end tag is read after its row's `<tr>` (blocks are fed
        in document order, and lines never go back): for `</tr>` the max is moot."""
        self._cell_end(last)
        cells, self._cells = tuple(self._cells), []
        if self._row:
            first, links, section = self._row
            table = self._tables[-1] if self._tables else None
            if table is not None and table.columns is None and _header_row(cells):
                names = [""] * (max(c.column for c in cells) + 1)
                for c in cells:
                    names[c.column] = c.text
                table.columns = Columns.from_header(names)
            columns = table.columns if table is not None else None
            self.rows.append(HtmlRow(first, max(first, last), links, section, cells, columns))
            self._row = None

    def _end(self, name: str, line: int) -> None:
        if name == "a" and self._link:
            href, link_line, column, parts = self._link
            self._link = None
            link = make_link(href, " ".join("".join(parts).split()), link_line, column)
            if self._row:
                self._row[1].append(link)
            else:
                self.loose_links.append(link)
            if self._cell is not None:
                self._cell.links.append(link)
        elif name in ("td", "th"):
            self._cell_end(line)
        elif name in _BOLD and self._cell is not None and self._bold is not None:
            bold = " ".join("".join(self._bold).split())
            if bold:
                self._cell.strongs.append(bold)
            self._bold = None
        elif name in ("table", "tbody", "thead", "tr"):
            self.end_row(line)
            if name == "table" and self._tables:
                self._tables.pop()


def _header_row(cells: tuple[HtmlCell, ...]) -> bool:
    return bool(cells) and all(c.header for c in cells)


def row_cells(row: HtmlRow, lines: list[str]) -> list[Cell | None]:
    """A row's cells by column, each placed where it is written (None: no cell there)."""
    if not row.cells:
        return []
    out: list[Cell | None] = [None] * (max(c.column for c in row.cells) + 1)
    for c in row.cells:
        pieces = []
        for line in range(c.line, min(c.last, len(lines)) + 1):
            raw = lines[line - 1]
            offset = min(c.offset, len(raw)) if line == c.line else 0
            pieces.append((line, offset, raw[offset:]))
        segment = Segment(
            text=c.text,
            strongs=c.strongs,
            links=c.links,
            line=c.text_line or c.line,
            end_line=c.last,
        )
        out[c.column] = Cell(Inline([segment], c.line), tuple(pieces))
    return out


# TransferAttack's rows: `<a href="https://arxiv.org/abs/…">NI-FGSM (Lin et al., 2020)</a>`.
_LETTER = re.compile(r"[A-Za-z]")


def name_author_year(text: str) -> str | None:
    """NAME of a text reading `NAME (Author et al., YEAR)`: the parentheses are the last ones,
    found from the end (a pattern with a lazy name before them backtracked over the whole text
    from every character of it)."""
    opener = text.rfind("(")
    inside = text[opener + 1 : -1]
    if opener < 0 or not text.endswith(")") or ")" in inside:
        return None
    if not YEAR.fullmatch(inside[-4:]) or not _LETTER.search(inside[:-4]):
        return None
    name = text[:opener].rstrip()
    if not name or name[0].isspace() or "\n" in name:
        return None
    return name


def row_name(row: HtmlRow, line_text: Callable[[int], str]) -> Field | None:
    """The method's name of a row whose link reads `NAME (Author et al., YEAR)`; `line_text`
    is the draft's, so a line is looked up one way throughout the parse."""
    for link in row.links:
        name = name_author_year(link.text)
        if name is not None:
            at = line_text(link.line).find(">" + name, link.column - 1)
            if at >= 0:
                return Field(name, link.line, at + 2)
    return None
