"""Inline runs: the text, bold spans and links of one paragraph, cell or heading, each placed.

markdown-it gives block tokens their line range; inside a block we count soft and hard breaks to
place each link on its own line, and find its column in the raw line.
"""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass, field
from html.entities import html5
from operator import attrgetter
from urllib.parse import unquote

from markdown_it.token import Token

from checker.links import WRITTEN_ARXIV_ID, arxiv_id_of, classify
from checker.model import Link, LinkSyntax


@dataclass(slots=True)
class Segment:
    """The text of an inline run between `<br>`s, with its strong spans and links."""

    text: str = ""
    strongs: list[str] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    line: int = 0
    end_line: int = 0  # its last line (a soft or hard break starts the next); 0: `line`
    lead: int = -1  # the length of `text` before its first link opens (-1: it has no link)
    lead_break: int = 0  # the length of `text` before the last line break ahead of that link
    # arXiv IDs written as text (`arXiv:2106.09685`): its entry carries them as it does its links,
    # but they are no links, so a title is never looked for in them
    ids: list[Link] = field(default_factory=list)


@dataclass(slots=True)
class Inline:
    segments: list[Segment]
    line: int
    # the segments' links and IDs written as text, in the order they stand: a run is built once
    # it is read
    links: list[Link] = field(init=False)

    def __post_init__(self) -> None:
        self.links = [lk for seg in self.segments for lk in _in_order(seg)]

    @property
    def text(self) -> str:
        return " ".join(s.text.strip() for s in self.segments if s.text.strip())


_BR = re.compile(r"^<br\s*/?>$", re.IGNORECASE)
_A_OPEN = re.compile(r"""^<a\s[^>]*?href\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
_A_CLOSE = re.compile(r"^</a\s*>$", re.IGNORECASE)
_ANCHOR_ATTR = re.compile(r"""\b(?:id|name)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)

_IMG_SRC = re.compile(r"""^<img\s[^>]*?\bsrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)


def _in_order(seg: Segment) -> list[Link]:
    if not seg.ids:
        return seg.links
    return sorted([*seg.links, *seg.ids], key=attrgetter("line", "column"))


@dataclass(slots=True)
class _OpenLink:
    """A link whose text is being read."""

    href: str
    line: int
    column: int
    form: str  # "inline" `[text](url)`, "bare" a bare URL, "ref" `[text][ref]`, "html" `<a>`
    parts: list[str] = field(default_factory=list)  # its text so far
    image: str | None = None  # the first image inside it (a badge)


# What lists write in a link they have no target for yet (`[Coming soon]()`): a placeholder, not
# a forgotten URL. Words, read from the lower-cased text; "soon" also catches "Comins Soon".
_PLACEHOLDER_WORDS = frozenset(
    {"soon", "coming", "upcoming", "tbd", "tba", "todo", "wip", "n/a", "na", "none", "null",
     "nil", "pending", "unavailable", "unreleased", "later", "yet"}
)  # fmt: skip
_PLACEHOLDER_MARKS = ("待", "暂无", "即将", "未")
_WORDS = re.compile(r"[^\W_]+(?:/[^\W_]+)?")

# Every way `arXiv` is written, looked for before the pattern is (it is rare in a list's text).
_ARXIV_HINTS = ("rxiv", "rXiv", "RXIV", "RXiv")

# `(text)[url]`: text and URL in the wrong brackets (markdownlint MD011), in text outside links.
# Each class stops at the bracket that follows it, so no two tries read the same characters.
_REVERSED = re.compile(
    r"\((?P<text>[^()\[\]\n]{1,300})\)\[(?P<url>(?:https?://|www\.)[^()\[\]\s]{1,2000})\]"
)


class Locator:
    """Finds the column of a link in its raw line, left to right, so repeated URLs differ.

    Each lookup reads on from where the last one on its line ended, so placing every link of a
    line reads it about once. A lookup that fails reads the line to its end, though, and a line
    of many links whose targets are written otherwise (entities, escapes) would be read once per
    link: each line may spend `_SPARE` times its length on lookups, past which a link is placed
    at column 1 without looking, as a link that is never found is.
    """

    _SPARE = 32

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.cursor: dict[int, int] = {}
        self.left: dict[int, int] = {}  # characters each line may still spend on lookups

    def column(self, line: int, *needles: str) -> int:
        if not 1 <= line <= len(self.lines):
            return 1
        raw = self.lines[line - 1]
        start = self.cursor.get(line, 0)
        left = self.left.get(line, self._SPARE * len(raw) + 256)
        for needle in needles:
            if not needle or left <= 0:
                continue
            at = raw.find(needle, start)
            if at < 0:
                left -= len(raw)  # read to the end, then the part before the cursor
                at = raw.find(needle, 0, start + len(needle) - 1)
            else:
                left -= at - start + len(needle)
            if at >= 0:
                self.cursor[line] = at + len(needle)
                self.left[line] = left
                return at + 1
        self.left[line] = left
        return 1

    def line_text(self, line: int) -> str:
        return self.lines[line - 1] if 1 <= line <= len(self.lines) else ""

    def bracket(self, line: int) -> int:
        """The column of the next `[` on the line, where a reference link (`[text][ref]`,
        `[ref]`: its target is written elsewhere) starts; the next lookup starts past it."""
        if not 1 <= line <= len(self.lines):
            return 1
        raw = self.lines[line - 1]
        start = self.cursor.get(line, 0)
        left = self.left.get(line, self._SPARE * len(raw) + 256)
        at = raw.find("[", start) if left > 0 else -1
        if at < 0:
            return 1
        end = _past_brackets(raw, at)
        if raw.startswith("[", end):  # `[text][ref]`
            end = _past_brackets(raw, end)
        self.cursor[line] = end
        self.left[line] = left - (end - start)  # unbalanced brackets are read to the line's end
        return at + 1


_BRACKETS = re.compile(r"\\.|[\[\]]")


def _past_brackets(raw: str, at: int) -> int:
    """Where the bracketed text opened at `at` ends (`\\[` is no bracket); the line's end when
    it does not."""
    depth = 0
    for m in _BRACKETS.finditer(raw, at):
        if m.group() == "[":
            depth += 1
        elif m.group() == "]":
            depth -= 1
            if depth == 0:
                return m.end()
    return len(raw)


class InlineReader:
    def __init__(self, locator: Locator) -> None:
        self.locator = locator
        self.anchors: list[str] = []  # id/name attributes of inline HTML, e.g. <a name="CNN"></a>
        self.syntax: list[LinkSyntax] = []  # links that render as text or point nowhere

    def read(self, token: Token, first_line: int) -> Inline:
        seg = Segment(line=first_line)
        segments = [seg]
        parts: list[str] = []  # the text of `seg` so far, joined when it ends
        size = 0  # its length
        line = first_line
        link_stack: list[_OpenLink] = []
        strong_depth = 0
        strong_parts: list[str] = []
        free_text = ""  # the text just before this child, when it was a text outside links
        for child in token.children or ():
            kind = child.type
            before, free_text = free_text, ""
            if kind == "text" or kind == "code_inline":
                text = child.content
                if kind == "text" and not link_stack:
                    free_text = text
                    self._written(text, line, seg)
            elif kind == "softbreak" or kind == "hardbreak":
                line += 1
                text = " "
                if seg.lead < 0:
                    seg.lead_break = size + 1
            elif kind == "link_open":
                if seg.lead < 0:
                    seg.lead = size
                opened = self._open_link(child, line)
                if not link_stack and opened.form == "bare" and before.endswith("] ("):
                    self._spaced(opened, before, child)
                link_stack.append(opened)
                continue
            elif kind == "link_close":
                if link_stack:
                    self._close_link(link_stack, seg)
                continue
            elif kind == "strong_open":
                strong_depth += 1
                continue
            elif kind == "strong_close":
                strong_depth = max(0, strong_depth - 1)
                if strong_depth == 0:
                    strong = "".join(strong_parts).strip()
                    if strong:
                        seg.strongs.append(strong)
                    strong_parts = []
                continue
            elif kind == "html_inline":
                html = child.content
                if _BR.match(html.strip()):
                    seg.text, seg.end_line = "".join(parts), line
                    seg, parts, size = Segment(line=line), [], 0
                    segments.append(seg)
                else:
                    if seg.lead < 0 and _A_OPEN.match(html.strip()):
                        seg.lead = size
                    self._html(html, seg, link_stack, line)
                continue
            elif kind == "image":  # a badge or a figure: neither title text nor a link
                if link_stack and link_stack[-1].image is None:
                    link_stack[-1].image = str(child.attrs.get("src", ""))
                continue
            else:  # em, s, …
                continue
            parts.append(text)
            size += len(text)
            if link_stack:
                link_stack[-1].parts.append(text)
            if strong_depth:
                strong_parts.append(text)
        seg.text, seg.end_line = "".join(parts), line
        while link_stack:
            self._close_link(link_stack, seg)
        return Inline(segments=segments, line=first_line)

    def _open_link(self, token: Token, line: int) -> _OpenLink:
        href = str(token.attrs.get("href", ""))
        meta = token.meta or {}
        if token.markup == "linkify":  # a bare URL, www. domain or email, as written
            column = self.locator.column(line, meta.get("written") or href)
            form = "bare"
        elif token.info == "auto":  # <https://…>
            column = self.locator.column(line, href)
            form = "auto"
        elif "label" in meta:  # `[text][ref]`, `[ref]`: the target is not written here
            column = self.locator.bracket(line)
            form = "ref"
        else:
            column = self.locator.column(
                line, "](" + href, "](" + unquote(href), "](" + href.replace("&", "&amp;"), href
            )
            column += 2 if column > 1 else 0
            form = "inline"
        return _OpenLink(href, line, column, form)

    def _html(self, html: str, seg: Segment, link_stack: list[_OpenLink], line: int) -> None:
        if not html.startswith("</"):
            for attr in _ANCHOR_ATTR.finditer(html):
                self.anchors.append(next(g for g in attr.groups() if g is not None))
        m = _A_OPEN.match(html.strip())
        if m:
            written = next(g for g in m.groups() if g is not None)
            column = self.locator.column(line, written)
            link_stack.append(_OpenLink(attribute_value(written), line, column, "html"))
        elif _A_CLOSE.match(html.strip()) and link_stack:
            self._close_link(link_stack, seg)
        elif link_stack and link_stack[-1].image is None:
            img = _IMG_SRC.match(html.strip())
            if img:
                link_stack[-1].image = next(g for g in img.groups() if g is not None)

    def _close_link(self, link_stack: list[_OpenLink], seg: Segment) -> None:
        link = link_stack.pop()
        text = "".join(link.parts).strip()
        if link.href.strip():
            seg.links.append(
                make_link(link.href.strip(), text, link.line, link.column, link.image)
            )
        elif link.form == "inline" and text and not _placeholder(text):
            self._empty(link, text)

    # --- links written so that they render as text or point nowhere (`link-syntax`) ---------

    def _empty(self, link: _OpenLink, text: str) -> None:
        """`[paper]()`: placed at its `[` when the text stands there as read, else at `](`."""
        raw = self.locator.line_text(link.line)
        end = link.column - 1  # just past `](`
        start = end - 3 - len(text)
        at = start + 1 if start >= 0 and raw[start:end] == f"[{text}](" else max(1, end - 1)
        self.syntax.append(LinkSyntax("empty", link.line, at, text))

    def _spaced(self, link: _OpenLink, before: str, token: Token) -> None:
        """`[text] (https://…)`: GitHub shows the brackets and links the bare URL alone. The fix
        drops the space, where the line holds exactly `] (URL)` at the URL."""
        opened = _opening_bracket(before, len(before) - 3)
        if opened < 0:
            return
        text = before[opened + 1 : -3]
        written = (token.meta or {}).get("written") or link.href
        raw = self.locator.line_text(link.line)
        url_at = link.column - 1
        if not (raw[url_at - 3 : url_at] == "] (" and raw.startswith(")", url_at + len(written))):
            return
        # the `[` as read stands this far before the `] (`, if the text is written as read
        bracket = url_at - 3 - (len(before) - 3 - opened)
        self.syntax.append(
            LinkSyntax(
                "space",
                link.line,
                bracket + 1 if bracket >= 0 and raw.startswith("[", bracket) else url_at - 2,
                text,
                old="] (" + written,
                new="](" + written,
                fix_column=url_at - 2,
            )
        )

    def _written(self, text: str, line: int, seg: Segment) -> None:
        """What text outside links says about links: arXiv IDs written in it, and `(text)[url]`."""
        hinted = "10.48550" in text or any(h in text for h in _ARXIV_HINTS)
        for m in WRITTEN_ARXIV_ID.finditer(text) if hinted else ():
            c = arxiv_id_of(m)
            version = f"v{c.arxiv_version}" if c.arxiv_version else ""
            seg.ids.append(
                Link(
                    url=f"https://arxiv.org/abs/{c.arxiv_id or m.group('new') or m.group('old')}"
                    + version,
                    text=m.group(0),
                    line=line,
                    column=self.locator.column(line, m.group(0)),
                    kind=c.kind,
                    arxiv_id=c.arxiv_id,
                    arxiv_version=c.arxiv_version,
                    in_text=True,
                )
            )
        if ")[" in text:
            for m in _REVERSED.finditer(text):
                written = m.group(0)
                column = self.locator.column(line, written)
                placed = self.locator.line_text(line).startswith(written, column - 1)
                new = f"[{m.group('text')}]({m.group('url')})"
                self.syntax.append(
                    LinkSyntax(
                        "reversed",
                        line,
                        column,
                        m.group("text"),
                        old=written if placed else None,
                        new=new if placed else None,
                        fix_column=column if placed else None,
                    )
                )


def _opening_bracket(text: str, close: int) -> int:
    """Where the `[` stands that the `]` at `close` closes (`\\[` is no bracket); -1 if none.
    Reads back from `close` once: `text` is one text run, read once for the link after it."""
    if not 0 <= close < len(text) or text[close] != "]":
        return -1
    depth = 0
    for at in range(close, -1, -1):
        if at > 0 and text[at - 1] == "\\":
            continue
        ch = text[at]
        if ch == "]":
            depth += 1
        elif ch == "[":
            depth -= 1
            if depth == 0:
                return at
    return -1


def _placeholder(text: str) -> bool:
    """`Coming soon`, `TBD`, `N/A`, `-`: a target not there yet, said in so many words."""
    lowered = text.lower()
    words = _WORDS.findall(lowered)
    if not words:
        return True  # `-`, `…`, `?`: a mark, not a name
    return any(w in _PLACEHOLDER_WORDS for w in words) or any(
        mark in lowered for mark in _PLACEHOLDER_MARKS
    )


def attribute_value(written: str) -> str:
    """An HTML attribute's value as a browser reads it: character references decoded
    (`&amp;` is `&`), except one written without its `;` that a letter, digit or `=` follows,
    which HTML leaves as written in attributes (`?a=1&section=2` is no `§ion=2`)."""
    if "&" not in written:
        return written
    return _CHARREF.sub(_attribute_charref, written)


# a character reference, as Python's `html.unescape` finds them
_CHARREF = re.compile(r"&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)")


def _attribute_charref(m: re.Match[str]) -> str:
    ref = m.group(1)
    if ref[0] != "#" and ref not in html5:
        for end in range(len(ref) - 1, 1, -1):  # its longest known prefix, as html.unescape
            if ref[:end] in html5:
                after = ref[end]
                if (after.isascii() and after.isalnum()) or after == "=":
                    return m.group(0)
                break
    return html_lib.unescape(m.group(0))


def make_link(url: str, text: str, line: int, column: int, image: str | None = None) -> Link:
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
        image=image,
    )
