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
from dataclasses import dataclass

from checker.model import Field, Link
from checker.parse.inline import Locator, make_link

# After `<` or `</`: the tag's name, then its attributes up to the `>` that ends it. Every part is
# possessive: a tag is read once, and fails only where the text ends before its `>`.
_TAG = re.compile(
    r"""(?P<name>[A-Za-z][^\s/>]*+)(?P<attrs>(?>[\s/]++|[^\s/>][^\s/>=]*+"""
    r"""(?>\s*+=\s*+(?>"[^"]*+(?:"|\Z)|'[^']*+(?:'|\Z)|[^\s>]*+))?+)*+)>"""
)
_ATTR = re.compile(r"""([^\s/>][^\s/>=]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]*)))?""")
_COMMENT_END = re.compile(r"--!?>")
_RAW_TEXT = ("script", "style")  # read as text up to their end tag, as HTMLParser does


@dataclass(frozen=True, slots=True)
class StartTag:
    name: str  # lower case
    attrs: list[tuple[str, str | None]]  # names in lower case, values unescaped
    at: int  # offset of its `<` in the block
    closed: bool  # written `<tag/>`


@dataclass(frozen=True, slots=True)
class EndTag:
    name: str
    at: int


def html_events(text: str) -> Iterator[StartTag | EndTag | str]:
    """Tags and text (unescaped) of an HTML block, in order; comments, declarations and
    processing instructions are skipped."""
    pos, n = 0, len(text)
    while pos < n:
        lt = text.find("<", pos)
        if lt < 0:
            yield html_lib.unescape(text[pos:])
            return
        if lt > pos:
            yield html_lib.unescape(text[pos:lt])
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
            attrs, closed = _attributes(m.group("attrs"))
            yield StartTag(name, attrs, lt, closed)
            if name in _RAW_TEXT:
                end_tag = re.compile(rf"</{name}(?=[\s/>])", re.I).search(text, pos)
                pos = n if end_tag is None else end_tag.start()
        else:
            yield "<"
            pos = lt + 1


def _letter(ch: str) -> bool:
    return ch.isascii() and ch.isalpha()


def _attributes(written: str) -> tuple[list[tuple[str, str | None]], bool]:
    """The attributes of a start tag, and whether it is written `<tag/>` (a `/` right before
    the `>`, not inside an unquoted value: `<a href=x/>` is not)."""
    out: list[tuple[str, str | None]] = []
    end = 0
    for m in _ATTR.finditer(written):
        name, double, single, bare = m.groups()
        value = next((v for v in (double, single, bare) if v is not None), None)
        out.append((name.lower(), None if value is None else html_lib.unescape(value)))
        end = m.end()
    return out, written.endswith("/", end)


@dataclass(frozen=True)
class HtmlRow:
    first: int
    last: int
    links: list[Link]
    section: tuple[str, ...]


class HtmlScanner:
    """Reads html_block tokens one after another; a <tr> may span several blocks."""

    def __init__(self, locator: Locator) -> None:
        self.locator = locator
        self.anchors: list[str] = []
        self.rows: list[HtmlRow] = []
        self.loose_links: list[Link] = []
        self._row: tuple[int, list[Link], tuple[str, ...]] | None = None
        self._link: tuple[str, int, int, list[str]] | None = None

    def feed_block(self, html: str, first_line: int, section: tuple[str, ...]) -> None:
        line, counted = first_line, 0  # the line of offset `counted`, counted forward only
        for event in html_events(html):
            if isinstance(event, str):
                if self._link:
                    self._link[3].append(event)
                continue
            line += html.count("\n", counted, event.at)
            counted = event.at
            if isinstance(event, StartTag):
                self._start(event, line, section)
                if event.closed:
                    self._end(event.name, line)
            else:
                self._end(event.name, line)

    def _start(self, tag: StartTag, line: int, section: tuple[str, ...]) -> None:
        values = {k: (v or "") for k, v in tag.attrs}
        for key in ("id", "name"):
            if values.get(key):
                self.anchors.append(values[key])
        if tag.name == "tr":
            self.end_row(line)  # an unclosed <tr> ends where the next begins
            self._row = (line, [], section)
        elif tag.name == "a" and values.get("href", "").strip():
            href = values["href"].strip()
            self._link = (href, line, self.locator.column(line, href), [])

    def end_row(self, last: int) -> None:
        """Close the open row, if any. An end tag is read after its row's `<tr>` (blocks are fed
        in document order, and lines never go back): for `</tr>` the max is moot."""
        if self._row:
            first, links, section = self._row
            self.rows.append(HtmlRow(first, max(first, last), links, section))
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
        elif name in ("table", "tbody", "thead", "tr"):
            self.end_row(line)


# TransferAttack's rows: `<a href="https://arxiv.org/abs/…">NI-FGSM (Lin et al., 2020)</a>`.
_YEAR = re.compile(r"(?:19|20)\d\d")
_LETTER = re.compile(r"[A-Za-z]")


def name_author_year(text: str) -> str | None:
    """NAME of a text reading `NAME (Author et al., YEAR)`: the parentheses are the last ones,
    found from the end (a pattern with a lazy name before them backtracked over the whole text
    from every character of it)."""
    opener = text.rfind("(")
    inside = text[opener + 1 : -1]
    if opener < 0 or not text.endswith(")") or ")" in inside:
        return None
    if not _YEAR.fullmatch(inside[-4:]) or not _LETTER.search(inside[:-4]):
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
