"""Structure: table shape, duplicate papers, in-document anchors."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from urllib.parse import unquote

from checker.model import Document, Entry, Finding, Fix, LinkKind, Severity, ShapeProblem
from checker.rules import finding
from checker.titles import clean_title, is_generic_text, normalize_title


def table_shape(doc: Document) -> Iterator[Finding]:
    for p in doc.shape_problems:
        if p.end_line is not None and p.joined is not None and p.old is not None:
            yield finding(
                "table-shape",
                doc.path,
                p.line,
                1,
                f"table row is split across lines {p.line}-{p.end_line} "
                f"({p.found} cell{'s' * (p.found != 1)} on line {p.line}, "
                f"header has {p.expected}); "
                "join them into one row",
                fix=Fix(p.line, p.old, p.joined),
            )
        elif p.shift:
            yield finding(
                "table-shape",
                doc.path,
                p.line,
                1,
                _shifted(p),
                severity=Severity.WARNING,
            )
        else:
            lost = "; ".join(_shorten(text) for text in p.dropped)
            yield finding(
                "table-shape",
                doc.path,
                p.line,
                p.column,
                f"table row has {p.found} cells but the header has {p.expected}: GitHub drops "
                f"what is past column {p.expected} ({lost})",
            )


def _shifted(p: ShapeProblem) -> str:
    """`| Title CVPR | 2019 | [arXiv](…) |`: each value one column left of its own."""
    where = ", ".join(f"{kind} under '{_shorten(name, 30)[1:-1]}'" for kind, name in p.shifted)
    side, pipe = ("left", "missing") if p.shift > 0 else ("right", "doubled")
    return (
        f"table row has {p.found} cells but the header has {p.expected}, and its cells stand "
        f"one column {side} of their own ({where}): a `|` is {pipe}"
    )


def _shorten(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= width else text[: width - 1] + "…")


def duplicate_entry(doc: Document) -> Iterator[Finding]:
    """One paper listed twice. Listed under other names it is usually deliberate (BLOOMZ and mT0,
    MBXP and Multilingual HumanEval share a paper), or one of them carries a wrong ID: info."""
    papers: dict[str, _Paper] = {}
    rules: _Rules | None = None
    listings = _Listings(doc)
    for entry in doc.entries:
        link = entry.primary_arxiv
        if link is None or link.arxiv_id is None:
            continue
        paper = papers.get(link.arxiv_id)
        if paper is None:
            papers[link.arxiv_id] = _Paper(entry, listings)
            continue
        rules = rules or _Rules(doc.lines)
        said, severity = paper.listed_before(entry, rules)
        yield finding(
            "duplicate-entry",
            doc.path,
            link.line,
            link.column,
            f"arXiv {link.arxiv_id} {said}",
            url=link.url,
            severity=severity,
        )


# A group of one paper's listings compared with a new one: its first listing of each distinct
# form (the same name, row, source and title: a listing repeated compares as its first), the
# first of them up to this many. A paper listed in more forms than that in one group of one
# section is no list a person keeps; the bound keeps a pairwise comparison from growing with it.
_FORMS = 32


class _Group:
    """One paper's listings in one section with no horizontal rule between them, in order."""

    def __init__(self, entry: Entry) -> None:
        self.first = self.last = entry
        self.forms: dict[tuple[object, ...], Entry] = {}


class _Paper:
    """Where one paper (arXiv ID) has been listed so far: a listing is compared with those of its
    own group only, and with each of their distinct forms once, so a paper listed thousands of
    times costs a few comparisons a listing, not thousands."""

    def __init__(self, entry: Entry, listings: _Listings) -> None:
        self.first = entry
        self.listings = listings
        self.groups: dict[tuple[str, ...], _Group] = {}
        self._add(entry, None)

    def listed_before(self, entry: Entry, rules: _Rules) -> tuple[str, Severity]:
        """What the earlier listings make of this one: the same listing twice in one group of a
        section is a warning; in another group or section, or under another name, info."""
        group = self.groups.get(entry.section)
        if group is not None and rules.between(group.last, entry):
            group = None
        said = self._said(entry, group)
        self._add(entry, group)
        return said

    def _said(self, entry: Entry, group: _Group | None) -> tuple[str, Severity]:
        if group is None:
            first = self.first
            where = (
                "in another group of this section"
                if first.section == entry.section
                else f"under '{' > '.join(first.section)}'"
            )
            return f"is already listed at line {first.line} {where}", Severity.INFO
        same = next((e for e in group.forms.values() if self.listings.same(e, entry)), None)
        if same is not None:
            return f"is already listed at line {same.line} in the same section", Severity.WARNING
        first = group.first
        return (
            f"is also listed at line {first.line} in this section"
            f"{_as(listed_as(first), listed_as(entry))}: one paper for several entries, or one "
            "of them carries a wrong ID",
            Severity.INFO,
        )

    def _add(self, entry: Entry, group: _Group | None) -> None:
        if group is None:
            group = self.groups[entry.section] = _Group(entry)
        group.last = entry
        form = self.listings.form(entry)
        if form not in group.forms and len(group.forms) < _FORMS:
            group.forms[form] = entry


def _as(before: str | None, now: str | None) -> str:
    return f", as '{before}' (here '{now}')" if before and now else ""


def listed_as(entry: Entry) -> str | None:
    """What an entry calls its paper: a name, a title, or the text of its arXiv link."""
    if entry.name is not None:
        return entry.name.text
    if entry.title is not None:
        return entry.title.text
    link = entry.primary_arxiv
    if link is not None and link.text and not is_generic_text(link.text):
        return clean_title(link.text)
    return None


class _Listings:
    """Whether two entries with one ID list the same thing (a real duplicate).

    Names are identifiers: the same only when equal (Flan-PaLM is not Flan-U-PaLM). Table rows
    list one model or benchmark each: the same only when the whole row is (MBXP and Multilingual
    HumanEval rows share their paper's title). Titles elsewhere: the same or near-same.

    What an entry is compared by is worked out once per entry: a paper listed a thousand times
    is compared with every earlier listing of it.
    """

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self._sources: dict[int, str] = {}
        self._listed: dict[int, str | None] = {}
        self._normalized: dict[str, str] = {}

    def same(self, a: Entry, b: Entry) -> bool:
        if a.name is not None and b.name is not None:
            return self._squash(a.name.text) == self._squash(b.name.text)
        if a.is_row and b.is_row:
            return self._source(a) == self._source(b)
        first, second = self._listed_as(a), self._listed_as(b)
        if first is None or second is None:
            return self._source(a) == self._source(b)
        x, y = self._normalize(first), self._normalize(second)
        return _near_same(x, y, self._squash(x), self._squash(y))

    def form(self, entry: Entry) -> tuple[object, ...]:
        """What `same` reads of an entry: two entries of one form compare alike with any other."""
        name = self._squash(entry.name.text) if entry.name is not None else None
        listed = self._listed_as(entry)
        return (name, entry.is_row, self._source(entry), listed and self._normalize(listed))

    def _normalize(self, text: str) -> str:
        if text not in self._normalized:
            self._normalized[text] = normalize_title(text)
        return self._normalized[text]

    def _squash(self, text: str) -> str:
        return "".join(self._normalize(text).split())

    def _source(self, entry: Entry) -> str:
        if id(entry) not in self._sources:
            self._sources[id(entry)] = self._squash(_source(self.doc, entry))
        return self._sources[id(entry)]

    def _listed_as(self, entry: Entry) -> str | None:
        """Its title, else what it calls its paper."""
        if entry.title is not None and entry.title.text:
            return entry.title.text
        if id(entry) not in self._listed:
            self._listed[id(entry)] = listed_as(entry)
        return self._listed[id(entry)]


def _near_same(x: str, y: str, x_squashed: str, y_squashed: str) -> bool:
    """Normalised titles, and the same without spaces."""
    from rapidfuzz import fuzz

    if not x or not y:
        return False
    return x_squashed == y_squashed or fuzz.ratio(x, y) >= 90


_THEMATIC_BREAK = re.compile(r" {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")


class _Rules:
    """The horizontal rules of a document, found once: a duplicate asks whether one stands
    between two entries, and a long list has many duplicates far apart."""

    def __init__(self, lines: tuple[str, ...]) -> None:
        self.at = {i for i, line in enumerate(lines) if _THEMATIC_BREAK.match(line)}  # 0-based
        # on the first line after an entry, or after a blank line (under a line of text, `---`
        # underlines a heading)
        self.after_blank = sorted(i for i in self.at if i > 0 and not lines[i - 1].strip())

    def between(self, a: Entry, b: Entry) -> bool:
        first, last = a.end_line, b.line - 2  # 0-based indices of the lines between them
        if first > last:
            return False
        if first in self.at:
            return True
        k = bisect.bisect_right(self.after_blank, first)
        return k < len(self.after_blank) and self.after_blank[k] <= last


# Where a link target or a tag starts: `](…)`, a URL, `<…>`
_TARGET = re.compile(r"\]\(|https?://\S|<[^>]")
_SPACE = re.compile(r"\s")


def _source(doc: Document, entry: Entry) -> str:
    """The entry's own text, without link targets or HTML tags (versions and mirrors differ)."""
    return _without_targets("\n".join(doc.lines[entry.line - 1 : entry.end_line]))


def _without_targets(text: str) -> str:
    """`text` with each `](…)`, URL and `<…>` a space, as the pattern
    `\\]\\([^)]*\\)|https?://\\S+|<[^>]+>` replaces them, in one pass: the closer after a
    start is looked up once, not again from every start (a row of a thousand `<` never closed
    would be read a thousand times)."""
    out: list[str] = []
    done = at = 0
    after = {")": -2, ">": -2}  # the first closer after the last start read; -1: none
    while (m := _TARGET.search(text, at)) is not None:
        start = m.start()
        if text[start] == "h":  # a URL runs to the next space
            space = _SPACE.search(text, start)
            end = len(text) if space is None else space.start()
        else:
            closer = ")" if text[start] == "]" else ">"
            found = after[closer]
            if found != -1 and found <= start:
                found = after[closer] = text.find(closer, start + 1)
            if found < 0:
                at = start + 1
                continue
            end = found + 1
        out += (text[done:start], " ")
        done = at = end
    out.append(text[done:])
    return "".join(out)


def anchor_missing(doc: Document) -> Iterator[Finding]:
    for link in doc.links:
        if link.kind is not LinkKind.ANCHOR:
            continue
        fragment = unquote(link.url[1:]).lower()
        if not fragment or fragment in doc.anchors:
            continue
        if fragment.startswith("user-content-") and fragment[13:] in doc.anchors:
            continue
        yield finding(
            "anchor-missing",
            doc.path,
            link.line,
            link.column,
            f"no heading or anchor '{link.url}' in this document",
            url=link.url,
        )
