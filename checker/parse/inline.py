"""Inline runs: the text, bold spans and links of one paragraph, cell or heading, each placed.

markdown-it gives block tokens their line range; inside a block we count soft and hard breaks to
place each link on its own line, and find its column in the raw line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import unquote

from markdown_it.token import Token

from checker.links import classify
from checker.model import Link


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


@dataclass(slots=True)
class Inline:
    segments: list[Segment]
    line: int
    links: list[Link] = field(init=False)  # the segments' links: a run is built once it is read

    def __post_init__(self) -> None:
        self.links = [lk for seg in self.segments for lk in seg.links]

    @property
    def text(self) -> str:
        return " ".join(s.text.strip() for s in self.segments if s.text.strip())


_BR = re.compile(r"^<br\s*/?>$", re.IGNORECASE)
_A_OPEN = re.compile(r"""^<a\s[^>]*?href\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
_A_CLOSE = re.compile(r"^</a\s*>$", re.IGNORECASE)
_ANCHOR_ATTR = re.compile(r"""\b(?:id|name)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)

# An open link: href, line, column, and the parts of its text read so far.
_OpenLink = tuple[str, int, int, list[str]]


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

    def read(self, token: Token, first_line: int) -> Inline:
        seg = Segment(line=first_line)
        segments = [seg]
        parts: list[str] = []  # the text of `seg` so far, joined when it ends
        size = 0  # its length
        line = first_line
        link_stack: list[_OpenLink] = []
        strong_depth = 0
        strong_parts: list[str] = []
        for child in token.children or ():
            kind = child.type
            if kind == "text" or kind == "code_inline":
                text = child.content
            elif kind == "softbreak" or kind == "hardbreak":
                line += 1
                text = " "
                if seg.lead < 0:
                    seg.lead_break = size + 1
            elif kind == "link_open":
                if seg.lead < 0:
                    seg.lead = size
                link_stack.append(self._open_link(child, line))
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
            else:  # images (badges and figures: neither title text nor links), em, s, …
                continue
            parts.append(text)
            size += len(text)
            if link_stack:
                link_stack[-1][3].append(text)
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
        elif token.info == "auto":  # <https://…>
            column = self.locator.column(line, href)
        elif "label" in meta:  # `[text][ref]`, `[ref]`: the target is not written here
            column = self.locator.bracket(line)
        else:
            column = self.locator.column(line, "](" + href, "](" + unquote(href), href)
            column += 2 if column > 1 else 0
        return (href, line, column, [])

    def _html(self, html: str, seg: Segment, link_stack: list[_OpenLink], line: int) -> None:
        if not html.startswith("</"):
            for attr in _ANCHOR_ATTR.finditer(html):
                self.anchors.append(next(g for g in attr.groups() if g is not None))
        m = _A_OPEN.match(html.strip())
        if m:
            href = next(g for g in m.groups() if g is not None)
            column = self.locator.column(line, href)
            link_stack.append((href, line, column, []))
        elif _A_CLOSE.match(html.strip()) and link_stack:
            self._close_link(link_stack, seg)

    @staticmethod
    def _close_link(link_stack: list[_OpenLink], seg: Segment) -> None:
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
