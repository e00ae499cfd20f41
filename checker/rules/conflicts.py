"""An entry that contradicts itself: two different arXiv papers as its own links (offline).

An entry's own paper links are its title link, a badge, a label that only says which page it is
(`pdf`, `arXiv`, `HF`, a bare URL) and an ID written as text (`arXiv:2106.09685`). A link with a
descriptive text (`extends [LoRA](…)`) cites another work, and so does a label inside running
prose (`see the [paper](…)`): neither is the entry's own. Two own links of the same form (`[paper]`
twice, two badges) list two papers in one entry, as a numbered item of a model's papers does;
two labels of different forms, or an ID written as text and another own link, contradict each
other only side by side (`[arXiv](…) [pdf](…)`), where nothing stands between them that could
name a second paper.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from checker.links import arxiv_page
from checker.model import Document, Entry, Finding, Link, LinkKind
from checker.rules import finding
from checker.titles import clean_title, is_generic_text

# Words of a label that names a page of the paper rather than a paper (beside titles.GENERIC).
_PAGE_WORDS = frozenset(
    {"hf", "huggingface", "hugging", "face", "alphaxiv", "doi", "abs", "paper", "papers", "pdf",
     "arxiv", "html", "preprint", "page", "daily", "full", "text"}
)  # fmt: skip
_WORD = re.compile(r"[^\W_]+")
_LETTER = re.compile(r"[^\W\d_]")
_PREPRINT = re.compile(r"arxiv\s++preprint$", re.IGNORECASE)
_LOOK_BACK = 48  # characters before a label read for the sentence it may stand in


@dataclass(frozen=True, slots=True)
class _Own:
    link: Link
    role: str  # "title", "badge", or "label:<what it says>"
    start: int  # 0-based offsets of the link in its line, as written
    end: int

    @property
    def said(self) -> str:
        if self.role == "title":
            return "its title link"
        if self.role == "badge":
            return "its badge"
        if self.link.in_text:
            return f"'{self.link.text}'"
        return f"its '{self.link.text}' link"


def arxiv_id_conflict(doc: Document) -> Iterator[Finding]:
    for entry in doc.entries:
        if len(entry.arxiv_ids) < 2:
            continue
        # Each own link is compared with a few before it (the first, the title link, the
        # badge, the one just before): never every pair, however many links an entry has.
        first: _Own | None = None
        title: _Own | None = None
        badge: _Own | None = None
        previous: _Own | None = None
        reported: set[str] = set()
        for this in _own_links(doc, entry):
            earlier = (first, title, badge, previous)
            other = next((o for o in earlier if o and _contradict(doc, o, this)), None)
            first = first or this
            title = title or (this if this.role == "title" else None)
            badge = badge or (this if this.role == "badge" else None)
            previous = this
            ident = this.link.arxiv_id
            if other is None or ident is None or ident in reported:
                continue
            reported.add(ident)
            yield finding(
                "arxiv-id-conflict",
                doc.path,
                this.link.line,
                this.link.column,
                f"this entry links arXiv {ident} here but arXiv {other.link.arxiv_id} in "
                f"{other.said} (line {other.link.line}): one of them is wrong",
                url=this.link.url,
            )


def _own_links(doc: Document, entry: Entry) -> list[_Own]:
    out = []
    title = entry.title.text if entry.title is not None else None
    for link in entry.links:
        if link.kind is not LinkKind.ARXIV or link.arxiv_id is None:
            continue
        if not link.in_text and arxiv_page(link.url) == "figure":
            continue  # a figure of an HTML paper, shown or linked: not the entry's paper link
        raw = doc.lines[link.line - 1] if 1 <= link.line <= len(doc.lines) else ""
        start, end = _span(raw, link)
        if link.image is not None and not link.text:
            role = "badge"
        elif title and link.text and clean_title(link.text) == title:
            role = "title"
        elif _is_label(link) and not _in_sentence(raw, start):
            role = "label:" + _label_key(link)
        else:
            continue
        out.append(_Own(link, role, start, end))
    return out


def _is_label(link: Link) -> bool:
    if link.in_text or not link.text or link.text == link.url:
        return True
    if is_generic_text(link.text):
        return True
    words = _WORD.findall(link.text.lower())
    return all(w in _PAGE_WORDS for w in words)  # no words at all: an emoji, a mark


def _label_key(link: Link) -> str:
    if link.in_text:
        return "text"
    if link.text == link.url or not link.text:
        return "url:" + (arxiv_page(link.url) or "")
    return " ".join(_WORD.findall(link.text.lower())) or link.text.strip()


def _span(raw: str, link: Link) -> tuple[int, int]:
    """Where the link stands in its line (0-based start and end), as far as the line says: an
    inline link `[text](url)` from its `[` (when the text is written as read) past its `)`."""
    at = link.column - 1
    if link.in_text:
        return at, at + len(link.text)
    if raw.startswith(link.url, at) and raw[at - 2 : at] == "](":
        end = at + len(link.url) + 1
        start = at - 3 - len(link.text)
        if start >= 0 and raw.startswith("[" + link.text + "](", start):
            return start, end
        return at - 2, end
    return at, at + len(link.url)


def _in_sentence(raw: str, start: int) -> bool:
    """A label inside running prose (`… see the [paper](…)`, `adapters (arXiv:1902.00751)`)
    cites another work; after punctuation, a closing `**`, a bracket or at a line's start it is
    the entry's."""
    before = raw[max(0, start - _LOOK_BACK) : start].rstrip("([")
    before = before.rstrip("*_")  # an emphasis opened on the label itself: `see *[paper](…)*`
    before = before.rstrip(" \t([")
    preprint = _PREPRINT.search(before)  # a citation's `arXiv preprint arXiv:…`
    if preprint:
        before = before[: preprint.start()].rstrip()
    return bool(before) and bool(_LETTER.fullmatch(before[-1]))


def _contradict(doc: Document, a: _Own, b: _Own) -> bool:
    """Two own links name two papers where one is meant: a title link or a badge and another
    own link, or two labels of different forms side by side. An ID written as text counts only
    side by side with the link it contradicts: further on, it may be a description's."""
    if a.link.arxiv_id == b.link.arxiv_id or a.role == b.role:
        return False
    roles = {a.role, b.role}
    if ("title" in roles or "badge" in roles) and not (a.link.in_text or b.link.in_text):
        return True
    first, second = (a, b) if (a.link.line, a.start) <= (b.link.line, b.start) else (b, a)
    if first.link.line != second.link.line:
        return False
    gap = doc.lines[first.link.line - 1][first.end : second.start]
    return not _LETTER.search(gap)
