"""Markdown → Document: markdown-it-py tokens → tables, lists and paragraphs → entries and links.

markdown-it gives block tokens their line range; inside a block we count soft and hard breaks to
place each link on its own line, and find its column in the raw line. Table rows are also read
raw, because the parser pads short rows and drops extra cells, which is exactly what
`table-shape` must see.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser
from typing import Any
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.token import Token

from checker.links import classify
from checker.model import Document, Entry, Field, Heading, Link, ShapeProblem
from checker.slugs import Slugger
from checker.titles import clean_title, is_generic_text, pick_quoted_title
from checker.venues import VenueTable


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"linkify": True, "html": True})
    md.enable(["table", "strikethrough", "linkify"])
    # GFM linkifies only URLs with a scheme or www.; bare domains such as "x.py" stay text
    # (fuzzy links on, then all but www. ones dropped in _QuickLinkify.match).
    assert md.linkify is not None
    md.linkify.set({"fuzzy_link": True, "fuzzy_email": False})
    md.linkify = _QuickLinkify(md.linkify)
    # Keep URLs exactly as written: fixes must find them in the file, and we render no HTML.
    md.normalizeLink = _as_written  # type: ignore[method-assign]
    md.normalizeLinkText = _as_written  # type: ignore[method-assign,assignment]
    return md


def _as_written(url: str) -> str:
    return url


class _QuickLinkify:
    """linkify-it tests every text run; most hold no URL, and a substring check says so cheaply."""

    _HINT = re.compile(r"://|www\.", re.IGNORECASE)

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def test(self, text: str) -> bool:
        return bool(self._HINT.search(text)) and bool(self.match(text))

    def match(self, text: str) -> list[Any] | None:
        found = [
            m for m in self.inner.match(text) or [] if m.schema or m.raw.lower().startswith("www.")
        ]
        return found or None

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def split_lines(text: str) -> list[str]:
    """Lines as markdown-it counts them (only CR, LF and CRLF end a line)."""
    return re.split(r"\r\n|\r|\n", text)


# ---------------------------------------------------------------------------------------------
# Inline content


@dataclass
class _Segment:
    """The text of an inline run between `<br>`s, with its strong spans and links."""

    text: str = ""
    strongs: list[str] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    line: int = 0


@dataclass
class _Inline:
    segments: list[_Segment]
    line: int

    @property
    def links(self) -> list[Link]:
        return [lk for seg in self.segments for lk in seg.links]

    @property
    def text(self) -> str:
        return " ".join(s.text.strip() for s in self.segments if s.text.strip())


_BR = re.compile(r"^<br\s*/?>$", re.IGNORECASE)
_A_OPEN = re.compile(r"""^<a\s[^>]*?href\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
_A_CLOSE = re.compile(r"^</a\s*>$", re.IGNORECASE)
_ANCHOR_ATTR = re.compile(r"""\b(?:id|name)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)


class _Locator:
    """Finds the column of a link in its raw line, left to right, so repeated URLs differ."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.cursor: dict[int, int] = {}

    def column(self, line: int, *needles: str) -> int:
        if not 1 <= line <= len(self.lines):
            return 1
        raw = self.lines[line - 1]
        start = self.cursor.get(line, 0)
        for needle in needles:
            if not needle:
                continue
            at = raw.find(needle, start)
            if at < 0:
                at = raw.find(needle)
            if at >= 0:
                self.cursor[line] = at + len(needle)
                return at + 1
        return 1


class _InlineReader:
    def __init__(self, locator: _Locator) -> None:
        self.locator = locator
        self.anchors: list[str] = []  # id/name attributes of inline HTML, e.g. <a name="CNN"></a>

    def read(self, token: Token, first_line: int) -> _Inline:
        segments = [_Segment(line=first_line)]
        line = first_line
        link_stack: list[tuple[str, int, int, list[str]]] = []  # href, line, column, text parts
        strong_depth = 0
        strong_parts: list[str] = []
        image_depth = 0
        for child in token.children or []:
            seg = segments[-1]
            kind = child.type
            if kind in ("softbreak", "hardbreak"):
                line += 1
                seg.text += " "
                self._add_text(link_stack, strong_depth, strong_parts, " ")
            elif kind == "text" or kind == "code_inline":
                if image_depth:
                    continue
                seg.text += child.content
                self._add_text(link_stack, strong_depth, strong_parts, child.content)
            elif kind == "image":
                continue  # badges and figures: neither title text nor links
            elif kind == "link_open":
                href = str(child.attrs.get("href", ""))
                raw = child.markup == "linkify" or child.info == "auto"
                needles = (href,) if raw else ("](" + href, "](" + unquote(href), href)
                column = self.locator.column(line, *needles)
                if not raw:
                    column += 2 if column > 1 else 0
                if child.markup == "linkify" and self._inside_bracket(line, column):
                    href = ""  # cmark-gfm never autolinks inside an open `[`: plain text
                link_stack.append((href, line, column, []))
            elif kind == "link_close" and link_stack:
                self._close_link(link_stack, seg)
            elif kind == "strong_open":
                strong_depth += 1
            elif kind == "strong_close":
                strong_depth = max(0, strong_depth - 1)
                if strong_depth == 0:
                    text = "".join(strong_parts).strip()
                    if text:
                        seg.strongs.append(text)
                    strong_parts = []
            elif kind == "html_inline":
                self._html(child.content, segments, link_stack, line)
        while link_stack:
            self._close_link(link_stack, segments[-1])
        return _Inline(segments=segments, line=first_line)

    def _inside_bracket(self, line: int, column: int) -> bool:
        lines = self.locator.lines
        before = lines[line - 1][: column - 1] if 1 <= line <= len(lines) else ""
        return before.count("[") > before.count("]")

    @staticmethod
    def _add_text(
        link_stack: list[tuple[str, int, int, list[str]]],
        strong_depth: int,
        strong_parts: list[str],
        text: str,
    ) -> None:
        if link_stack:
            link_stack[-1][3].append(text)
        if strong_depth:
            strong_parts.append(text)

    def _html(
        self,
        html: str,
        segments: list[_Segment],
        link_stack: list[tuple[str, int, int, list[str]]],
        line: int,
    ) -> None:
        if _BR.match(html.strip()):
            segments.append(_Segment(line=line))
            return
        if not html.startswith("</"):
            for attr in _ANCHOR_ATTR.finditer(html):
                self.anchors.append(next(g for g in attr.groups() if g is not None))
        m = _A_OPEN.match(html.strip())
        if m:
            href = next(g for g in m.groups() if g is not None)
            column = self.locator.column(line, href)
            link_stack.append((href, line, column, []))
        elif _A_CLOSE.match(html.strip()) and link_stack:
            self._close_link(link_stack, segments[-1])

    @staticmethod
    def _close_link(link_stack: list[tuple[str, int, int, list[str]]], seg: _Segment) -> None:
        href, line, column, parts = link_stack.pop()
        if href.strip():
            seg.links.append(make_link(href.strip(), "".join(parts).strip(), line, column))


def make_link(url: str, text: str, line: int, column: int) -> Link:
    c = classify(url)
    return Link(
        url=url,
        text=text,
        line=line,
        column=column,
        kind=c.kind,
        arxiv_id=c.arxiv_id,
        arxiv_version=c.arxiv_version,
        repo=c.repo,
    )


# ---------------------------------------------------------------------------------------------
# Raw table rows


def raw_cells(line: str) -> list[str]:
    """Split a table line into cells as GFM does: unescaped pipes outside code spans."""
    if "`" not in line and "\\" not in line:
        return _trim_cells(line, line.split("|"))
    cells: list[str] = []
    current: list[str] = []
    in_code = 0
    i = 0
    while i < len(line):
        ch = line[i]
        if ch == "\\" and i + 1 < len(line):
            current.append(line[i : i + 2])
            i += 2
            continue
        if ch == "`":
            run = len(line[i:]) - len(line[i:].lstrip("`"))
            if in_code == 0:
                in_code = run
            elif in_code == run:
                in_code = 0
            current.append(line[i : i + run])
            i += run
            continue
        if ch == "|" and not in_code:
            cells.append("".join(current))
            current = []
        else:
            current.append(ch)
        i += 1
    cells.append("".join(current))
    return _trim_cells(line, cells)


def _trim_cells(line: str, cells: list[str]) -> list[str]:
    stripped = line.strip()
    if stripped.startswith("|"):
        cells = cells[1:]
    if stripped.endswith("|") and not stripped.endswith("\\|") and cells:
        cells = cells[:-1]
    # An invisible trailing comment (`[//]: # note` or `<!-- … -->`) is a list's own bookkeeping.
    if len(cells) > 1 and re.fullmatch(r"\s*(\[//\]:\s*#.*|<!--.*-->)\s*", cells[-1]):
        cells = cells[:-1]
    return cells


# ---------------------------------------------------------------------------------------------
# Tables: which column holds what


TITLE_HEADERS = ("title", "paper title", "title & authors", "title and authors", "name")
PAPER_HEADERS = ("paper", "papers", "paper name", "model", "method", "attack")
VENUE_HEADERS = (
    "pub",
    "pub.",
    "venue",
    "venues",
    "conference",
    "conf",
    "conf.",
    "publication",
    "published",
    "published in",
    "journal",
    "where",
)


def _header_key(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[*_`:]", "", text)).strip().lower()


@dataclass
class _Columns:
    title: int | None
    venue: int | None

    @classmethod
    def from_header(cls, names: list[str]) -> _Columns:
        keys = [_header_key(n) for n in names]

        def first(options: tuple[str, ...]) -> int | None:
            return next((i for i, k in enumerate(keys) if k in options), None)

        title = first(TITLE_HEADERS)
        if title is None:
            title = first(PAPER_HEADERS)
        return cls(title=title, venue=first(VENUE_HEADERS))


# ---------------------------------------------------------------------------------------------
# HTML blocks: <tr> rows, <a href> links, id/name anchors


class _HtmlScanner(HTMLParser):
    """Reads html_block tokens one after another; a <tr> may span several blocks."""

    def __init__(self, locator: _Locator) -> None:
        super().__init__(convert_charrefs=True)
        self.locator = locator
        self.base_line = 0
        self.anchors: list[str] = []
        self.section: tuple[str, ...] = ()  # set by the walk before each block
        self.rows: list[tuple[int, int, list[Link], tuple[str, ...]]] = []
        self.loose_links: list[Link] = []
        self._row: tuple[int, list[Link], tuple[str, ...]] | None = None
        self._link: tuple[str, int, int, list[str]] | None = None

    def feed_block(self, html: str, first_line: int) -> None:
        self.base_line = first_line
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
        if self._row:
            first, links, section = self._row
            self.rows.append((first, max(first, last), links, section))
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
        elif tag in ("table", "tbody", "thead") and self._row:
            self.end_row(self._line())
        elif tag == "tr" and self._row:
            first, links, section = self._row
            self.rows.append((first, self._line(), links, section))
            self._row = None


# ---------------------------------------------------------------------------------------------
# The document walk


@dataclass
class _Item:
    """An open list item: its own inline runs, not its nested lists'."""

    line: int
    end_line: int
    inlines: list[_Inline] = field(default_factory=list)


@dataclass
class _PendingTitle:
    """A paragraph holding only a bold title; a short list of links below it completes it."""

    title: Field
    line: int
    section: tuple[str, ...]


@dataclass
class _Group:
    """A bold title and the short label items below it (`- 论文：…`, `- 代码：还未公布`)."""

    pending: _PendingTitle
    last_line: int
    items: int = 0
    links: list[Link] = field(default_factory=list)
    venue: Field | None = None


class _Builder:
    def __init__(self, path: str, text: str, venues: VenueTable) -> None:
        self.path = path
        self.text = text
        self.lines = split_lines(text)
        self.venues = venues
        self.locator = _Locator(self.lines)
        self.inline = _InlineReader(self.locator)
        self.html = _HtmlScanner(self.locator)
        self.slugger = Slugger()
        self.section: list[tuple[int, str]] = []
        self.entries: list[Entry] = []
        self.links: list[Link] = []
        self.headings: list[Heading] = []
        self.shape: list[ShapeProblem] = []

    # -- helpers -------------------------------------------------------------------------

    @property
    def section_path(self) -> tuple[str, ...]:
        return tuple(t for _, t in self.section)

    def add_entry(
        self,
        line: int,
        end_line: int,
        links: list[Link],
        title: Field | None,
        venue: Field | None = None,
        has_venue_slot: bool = False,
        section: tuple[str, ...] | None = None,
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
            )
        )

    def field_at(self, text: str, line: int) -> Field:
        return Field(text=text, line=line, column=self.locator_column(line, text))

    def locator_column(self, line: int, text: str) -> int:
        raw = self.lines[line - 1] if 1 <= line <= len(self.lines) else ""
        at = raw.find(text)
        return at + 1 if at >= 0 else 1

    # -- walk ----------------------------------------------------------------------------

    def build(self) -> Document:
        tokens = _markdown().parse(self.text)
        self.walk(tokens)
        self.html.end_row(len(self.lines))
        for first, last, links, section in self.html.rows:
            self.links.extend(links)
            self.add_entry(first, last, links, None, section=section)
        self.links.extend(self.html.loose_links)
        anchors = {h.slug.lower() for h in self.headings}
        anchors.update(a.lower() for a in (*self.html.anchors, *self.inline.anchors))
        self.entries.sort(key=lambda e: e.line)
        self.links.sort(key=lambda lk: (lk.line, lk.column))
        return Document(
            path=self.path,
            text=self.text,
            lines=tuple(self.lines),
            entries=tuple(self.entries),
            links=tuple(self.links),
            headings=tuple(self.headings),
            anchors=frozenset(anchors),
            shape_problems=tuple(self.shape),
        )

    def walk(self, tokens: list[Token]) -> None:
        items: list[_Item] = []
        pending: _PendingTitle | None = None
        group: _Group | None = None
        list_depth = 0
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            kind = tok.type
            if kind == "heading_open":
                self.heading(tok, tokens[i + 1])
                pending = None
                i += 3
                continue
            if kind == "table_open":
                end = self.table(tokens, i)
                pending = None
                i = end + 1
                continue
            if kind == "html_block" and tok.map:
                self.html.section = self.section_path
                self.html.feed_block(tok.content, tok.map[0] + 1)
            elif kind in ("bullet_list_open", "ordered_list_open"):
                if list_depth == 0 and pending is not None and kind == "bullet_list_open":
                    group = _Group(pending, pending.line)
                pending = None
                list_depth += 1
            elif kind in ("bullet_list_close", "ordered_list_close"):
                list_depth -= 1
                if list_depth == 0 and group is not None:
                    self.flush_group(group)
                    group = None
            elif kind == "list_item_open" and tok.map:
                items.append(_Item(line=tok.map[0] + 1, end_line=tok.map[1]))
            elif kind == "list_item_close" and items:
                item = items.pop()
                if group is None:
                    self.list_entry(item)
                elif group.items or self._short_label_item(item):
                    # A list that opens with a label item (`- 论文：…`, `- 代码：还未公布`,
                    # `- CVPR 2020 Oral`) is the title's: every item of it joins the entry.
                    self.extend_group(group, item)
                else:  # a real list, not the title's labels: its items are entries
                    self.flush_group(group)
                    group = None
                    self.list_entry(item)
            elif kind == "inline" and tok.map:
                inline = self.inline.read(tok, tok.map[0] + 1)
                self.links.extend(inline.links)
                if items:
                    items[-1].inlines.append(inline)
                else:
                    pending = self.paragraph(inline, tok.map[1])
            i += 1

    @staticmethod
    def _short_label_item(item: _Item) -> bool:
        """`- 论文：https://…`, `- 代码：还未公布`, `- CVPR 2020 Oral`: a label, with or without
        a link, not a paper of its own."""
        text = " ".join(inl.text for inl in item.inlines)
        for lk in (lk for inl in item.inlines for lk in inl.links):
            text = text.replace(lk.url, "").replace(lk.text, "")
        return len(text.strip()) <= 24

    def extend_group(self, group: _Group, item: _Item) -> None:
        links = [lk for inl in item.inlines for lk in inl.links]
        group.items += 1
        group.links.extend(links)
        group.last_line = max(group.last_line, item.end_line)
        if group.venue is None and not links and self._short_label_item(item):
            group.venue = next(
                (v for inl in item.inlines if (v := self.venue_in_text(inl, None))), None
            )

    def flush_group(self, group: _Group) -> None:
        title = group.pending
        self.add_entry(
            title.line,
            group.last_line,
            group.links,
            title.title,
            group.venue,
            section=title.section,
        )

    def heading(self, open_tok: Token, inline_tok: Token) -> None:
        level = int(open_tok.tag[1])
        line = open_tok.map[0] + 1 if open_tok.map else 1
        inline = self.inline.read(inline_tok, line)
        self.links.extend(inline.links)
        text = inline.text
        raw_text = "".join(seg.text for seg in inline.segments)
        while self.section and self.section[-1][0] >= level:
            self.section.pop()
        self.section.append((level, text))
        self.headings.append(
            Heading(text=text, level=level, line=line, slug=self.slugger.slug(raw_text))
        )

    def paragraph(self, inline: _Inline, end: int) -> _PendingTitle | None:
        links = inline.links
        first = inline.segments[0]
        starts_bold = bool(first.strongs) and first.text.lstrip().startswith(first.strongs[0][:1])
        if links and starts_bold:
            title = self.title_from_list_text(inline)
            venue = self.venue_in_text(inline, title)
            self.add_entry(inline.line, end, links, title, venue)
            return None
        strong_only = first.strongs and first.text.strip() == first.strongs[0]
        if not links and strong_only and clean_title(first.strongs[0]):
            return _PendingTitle(
                self.field_at(first.strongs[0], inline.line), inline.line, self.section_path
            )
        return None

    def list_entry(self, item: _Item) -> None:
        links = [lk for inl in item.inlines for lk in inl.links]
        if not links or not item.inlines:
            return
        merged = _Inline(
            segments=[s for inl in item.inlines for s in inl.segments], line=item.inlines[0].line
        )
        title = self.title_from_list_text(merged)
        venue = self.venue_in_text(merged, title)
        end = max(lk.line for lk in links)
        self.add_entry(item.line, max(end, item.line), links, title, venue)

    # -- titles and venues ---------------------------------------------------------------

    def title_from_list_text(self, inline: _Inline) -> Field | None:
        text = inline.text
        quoted = pick_quoted_title(text)
        if quoted:
            return self.locate_field(quoted, inline)
        for seg in inline.segments:
            for strong in seg.strongs:
                cleaned = clean_title(strong)
                if cleaned and not is_generic_text(cleaned):
                    return self.locate_field(cleaned, inline)
        for lk in inline.links:
            if lk.text and not is_generic_text(lk.text) and len(lk.text.split()) >= 2:
                cleaned = clean_title(lk.text)
                if cleaned:
                    return Field(cleaned, lk.line, self.locator_column(lk.line, cleaned))
        return None

    def locate_field(self, text: str, inline: _Inline) -> Field:
        for seg in inline.segments:
            for line in range(seg.line, seg.line + seg.text.count(" ") + 1):
                if 1 <= line <= len(self.lines) and text[:20] in self.lines[line - 1]:
                    return Field(text, line, self.locator_column(line, text[:20]))
        return Field(text, inline.line, self.locator_column(inline.line, text[:20]))

    def venue_in_text(self, inline: _Inline, title: Field | None) -> Field | None:
        text = inline.text
        if title:
            at = text.find(title.text)
            if at >= 0:
                text = text[at + len(title.text) :]
        found = self.venues.search(text)
        if not found:
            return None
        for seg in inline.segments:
            for offset in range(0, 8):
                line = seg.line + offset
                if 1 <= line <= len(self.lines) and found in self.lines[line - 1]:
                    return Field(found, line, self.lines[line - 1].find(found) + 1)
        return None

    # -- tables --------------------------------------------------------------------------

    def table(self, tokens: list[Token], start: int) -> int:
        """Read a table; return the index of its table_close."""
        rows: list[tuple[int, list[_Inline]]] = []
        row: list[_Inline] | None = None
        row_line = 0
        i = start
        while tokens[i].type != "table_close":
            tok = tokens[i]
            if tok.type == "tr_open" and tok.map:
                row, row_line = [], tok.map[0] + 1
            elif tok.type == "inline" and row is not None:
                inline = self.inline.read(tok, row_line)
                self.links.extend(inline.links)
                row.append(inline)
            elif tok.type == "tr_close" and row is not None:
                rows.append((row_line, row))
                row = None
            i += 1
        if not rows:
            return i
        header_line, header = rows[0]
        columns = _Columns.from_header([c.text for c in header])
        width = len(raw_cells(self.lines[header_line - 1]))
        body = rows[1:]
        k = 0
        while k < len(body):
            line, cells = body[k]
            raw = self.lines[line - 1]
            count = len(raw_cells(raw))
            if count < width and k + 1 < len(body):
                next_line, next_cells = body[k + 1]
                next_count = len(raw_cells(self.lines[next_line - 1]))
                broken = not self.lines[line - 1].rstrip().endswith("|") and not self.lines[
                    next_line - 1
                ].lstrip().startswith("|")
                if broken and count + next_count - 1 == width and next_line == line + 1:
                    self.split_row(line, width, count, next_count)
                    seam = _join_cells(cells[count - 1], next_cells[0])
                    joined = [*cells[: count - 1], seam]
                    joined += next_cells[1:next_count]
                    self.table_entry(line, next_line, joined, columns)
                    k += 2
                    continue
            if count != width:
                self.shape.append(ShapeProblem(line=line, expected=width, found=count))
            self.table_entry(line, line, cells, columns)
            k += 1
        return i

    def split_row(self, line: int, width: int, count: int, next_count: int) -> None:
        first, second = self.lines[line - 1], self.lines[line]
        joined = first.rstrip() + " " + second.strip()
        if not joined.lstrip().startswith("|"):
            joined = "| " + joined.lstrip()
        self.shape.append(
            ShapeProblem(
                line=line,
                expected=width,
                found=count,
                end_line=line + 1,
                old=first + "\n" + second,
                joined=joined,
            )
        )

    def table_entry(self, line: int, end: int, cells: list[_Inline], columns: _Columns) -> None:
        links = [lk for c in cells for lk in c.links]
        title: Field | None = None
        if columns.title is not None and columns.title < len(cells):
            title = self.title_from_cell(cells[columns.title])
        if title is None:
            title = next(
                (
                    Field(clean_title(lk.text), lk.line, lk.column)
                    for lk in links
                    if lk.text and len(lk.text.split()) >= 3 and not is_generic_text(lk.text)
                ),
                None,
            )
        venue: Field | None = None
        if columns.venue is not None and columns.venue < len(cells):
            text = cells[columns.venue].text.strip()
            if text:
                venue = Field(text, line, self.locator_column(line, text))
        self.add_entry(line, end, links, title, venue, has_venue_slot=columns.venue is not None)

    def title_from_cell(self, cell: _Inline) -> Field | None:
        candidates: list[str] = []
        for seg in cell.segments:
            candidates.extend(seg.strongs)
        for seg in cell.segments:
            candidates.extend(lk.text for lk in seg.links if len(lk.text.split()) >= 2)
        for seg in cell.segments:
            if seg.text.strip() and not seg.links and not seg.strongs:
                candidates.append(seg.text)
                break
        for cand in candidates:
            cleaned = clean_title(cand)
            if cleaned and not is_generic_text(cleaned) and len(cleaned.split()) <= 40:
                return Field(cleaned, cell.line, self.locator_column(cell.line, cleaned[:20]))
        return None


def _join_cells(upper: _Inline, lower: _Inline) -> _Inline:
    """The cell a split row broke in two, read as one: its text runs on across the break."""
    if not upper.segments or not lower.segments:
        return _Inline(upper.segments + lower.segments, upper.line)
    last, first = upper.segments[-1], lower.segments[0]
    seam = _Segment(
        text=f"{last.text.rstrip()} {first.text.lstrip()}",
        strongs=last.strongs + first.strongs,
        links=last.links + first.links,
        line=last.line,
    )
    return _Inline([*upper.segments[:-1], seam, *lower.segments[1:]], upper.line)


def parse_text(path: str, text: str, venues: VenueTable | None = None) -> Document:
    return _Builder(path, text, venues or VenueTable()).build()


def iter_entries(doc: Document) -> Iterator[Entry]:
    yield from doc.entries
