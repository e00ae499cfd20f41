"""Structure: table shape, duplicate papers, in-document anchors."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from urllib.parse import unquote

from checker.model import Document, Entry, Finding, Fix, LinkKind, Severity, ShapeProblem
from checker.rules import finding, shorten
from checker.titles import (
    blank_spans,
    clean_title,
    content_words,
    is_generic_text,
    name_appears,
    normalize_title,
)


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
            lost = "; ".join(repr(shorten(text)) for text in p.dropped)
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
    where = ", ".join(f"{kind} under '{repr(shorten(name, 30))[1:-1]}'" for kind, name in p.shifted)
    side, pipe = ("left", "missing") if p.shift > 0 else ("right", "doubled")
    return (
        f"table row has {p.found} cells but the header has {p.expected}, and its cells stand "
        f"one column {side} of their own ({where}): a `|` is {pipe}"
    )


def duplicate_entry(doc: Document) -> Iterator[Finding]:
    """One paper (arXiv ID) listed more than once.

    The same listing twice in one group of a section is a duplicate (warning). Under clearly
    different titles, one of the two carries a wrong ID (warning, anywhere in the file). Under
    other names (a Model or Dataset column: BLOOMZ and mT0, MBXP and Multilingual HumanEval share
    a paper) it is usually deliberate, and where we cannot tell it is a note (info). The same
    paper under the same title in another section or group is how lists are organised
    (cross-listing): nothing."""
    # a paper listed once stays its entry: most are, and its forms are worked out only when a
    # second listing needs them
    papers: dict[str, Entry | _Paper] = {}
    rules: _Rules | None = None
    listings = _Listings(doc)
    for entry in doc.entries:
        link = entry.primary_arxiv
        if link is None or link.arxiv_id is None:
            continue
        paper = papers.get(link.arxiv_id)
        if paper is None:
            papers[link.arxiv_id] = entry
            continue
        if not isinstance(paper, _Paper):
            paper = papers[link.arxiv_id] = _Paper(paper, listings)
        rules = rules or _Rules(doc.lines)
        said = paper.listed_before(entry, rules)
        if said is None:
            continue
        message, severity = said
        yield finding(
            "duplicate-entry",
            doc.path,
            link.line,
            link.column,
            f"arXiv {link.arxiv_id} {message}",
            url=link.url,
            severity=severity,
        )


# A paper's listings compared with a new one: the first listing of each distinct form (the same
# name, title, row or text: a listing repeated compares as its first), the first of them up to
# this many, in the file and in each group. A paper listed in more forms than that is no list a
# person keeps; the bound keeps a pairwise comparison from growing with it.
_FORMS = 32

# How two listings of one paper relate
SAME = "same"  # the same thing listed twice: the same name, or the same or near-same title
NAMED = "named"  # other names (models, datasets) for one paper
WRONG = "wrong"  # clearly different titles: one of them carries a wrong ID
UNCLEAR = "unclear"  # something else: one paper for several entries, or a wrong ID
SILENT = "silent"  # one of them says nothing of its paper (a row with only a `Paper` link)


class _Group:
    """One paper's listings in one section with no horizontal rule between them, in order."""

    def __init__(self, entry: Entry) -> None:
        self.first = entry
        self.last = entry
        self.forms: dict[tuple[object, ...], Entry] = {}


class _Paper:
    """Where one paper (arXiv ID) has been listed so far: a listing is compared with each of its
    distinct forms once, so a paper listed thousands of times costs a few comparisons a
    listing, not thousands."""

    def __init__(self, entry: Entry, listings: _Listings) -> None:
        self.listings = listings
        self.forms: dict[tuple[object, ...], Entry] = {}  # in the whole file
        self.groups: dict[tuple[str, ...], _Group] = {}
        self._add(entry, None, listings.form(entry))

    def listed_before(self, entry: Entry, rules: _Rules) -> tuple[str, Severity] | None:
        """What the earlier listings make of this one (None: nothing worth saying)."""
        group = self.groups.get(entry.section)
        if group is not None and rules.between(group.last, entry):
            group = None
        form = self.listings.form(entry)
        known: dict[int, str] = {}

        def relation(earlier: Entry) -> str:
            if id(earlier) not in known:
                known[id(earlier)] = self.listings.relation(earlier, entry)
            return known[id(earlier)]

        if group is not None:
            same = group.forms.get(form) or next(
                (e for e in group.forms.values() if relation(e) == SAME), None
            )
            if same is not None:
                self._add(entry, group, form)
                return (
                    f"is already listed at line {same.line} in the same section",
                    Severity.WARNING,
                )
        if form in self.forms:  # listed so before, in another section or group
            self._add(entry, group, form)
            return None
        related = [(relation(e), e) for e in self.forms.values()]
        self._add(entry, group, form)
        kinds = {kind: e for kind, e in reversed(related)}  # the first of each kind
        if SAME in kinds:
            # cross-listed: the same paper under another topic. Two names for it side by side
            # in this group (two datasets of one paper) stay a note, as they would alone.
            named = next(
                (
                    e
                    for e in (group.forms.values() if group else ())
                    if e is not entry and relation(e) == NAMED
                ),
                None,
            )
            if named is None:
                return None
            kinds = {NAMED: named}
        if WRONG in kinds:
            other = kinds[WRONG]
            title = other.title.text if other.title is not None else ""  # WRONG: both have one
            return (
                f"is also listed at line {other.line} as '{title}'; one of them carries a wrong ID",
                Severity.WARNING,
            )
        earlier = kinds.get(NAMED) or kinds.get(UNCLEAR)
        if earlier is None:
            # listings that say nothing of their paper: in one group, two rows for it (one
            # paper for several models, or a wrong ID); elsewhere, nothing to go on
            if group is None:
                return None
            earlier = group.first
        where = (
            "in this section"
            if earlier.section == entry.section
            else f"under '{' > '.join(earlier.section)}'"
        )
        what = "names" if NAMED in kinds else "entries"
        return (
            f"is also listed at line {earlier.line} {where}"
            f"{_as(listed_as(earlier), listed_as(entry))}: one paper for several {what}, or "
            "one of them carries a wrong ID",
            Severity.INFO,
        )

    def _add(self, entry: Entry, group: _Group | None, form: tuple[object, ...]) -> None:
        if group is None:
            group = self.groups[entry.section] = _Group(entry)
        group.last = entry
        for forms in (group.forms, self.forms):
            if form not in forms and len(forms) < _FORMS:
                forms[form] = entry


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
    """How two entries with one ID relate (see SAME, NAMED, WRONG, UNCLEAR).

    Titles decide first: a paper has one title, so clearly different ones mean a wrong ID, and
    the same or near-same one (case, hyphens, punctuation aside) the same paper, table rows
    included. Names are identifiers: the same only when equal (Flan-PaLM is not Flan-U-PaLM),
    and two names of one paper are two models or datasets. Table rows without a title list one
    thing each: the same only when the whole row is. Elsewhere, what an entry calls its paper.

    What an entry is compared by is worked out once per entry: a paper listed a thousand times
    is compared with every distinct earlier form of it.
    """

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self._sources: dict[int, str] = {}
        self._listed: dict[int, str | None] = {}
        self._normalized: dict[str, str] = {}

    def relation(self, a: Entry, b: Entry) -> str:
        titles: str | None = None
        if a.title is not None and a.title.text and b.title is not None and b.title.text:
            titles = self._texts(a.title.text, b.title.text)
            if titles == WRONG:
                return WRONG
        if a.name is not None and b.name is not None:
            return SAME if self._squash(a.name.text) == self._squash(b.name.text) else NAMED
        if titles is not None:
            return titles
        first, second = self._listed_as(a), self._listed_as(b)
        if (a.is_row and b.is_row) or first is None or second is None:
            # rows list one thing each: the same only when the whole row is
            if self._source(a) == self._source(b):
                return SAME
            return SILENT if first is None or second is None else UNCLEAR
        same = self._texts(first, second, titles=False)
        return SAME if same == SAME else UNCLEAR

    def _texts(self, a: str, b: str, titles: bool = True) -> str:
        """Two titles (or what two entries call their paper): the same or near-same, or a
        catchword or name written in the other (`YOCO` for "You Only Cache Once: …",
        `SWE-Bench` for "SWE-bench: Can Language Models …"): SAME; two titles that are clearly
        of other papers: WRONG; else UNCLEAR."""
        x, y = self._normalize(a), self._normalize(b)
        if _near_same(x, y, self._squash(x), self._squash(y)):
            return SAME
        if titles and _clearly_different(a, b):
            return WRONG
        if _catchword_of(a, x, b) or _catchword_of(b, y, a):
            return SAME
        return UNCLEAR

    def form(self, entry: Entry) -> tuple[object, ...]:
        """What `relation` reads of an entry: two entries of one form relate alike to any other."""
        name = self._squash(entry.name.text) if entry.name is not None else None
        title = entry.title.text if entry.title is not None and entry.title.text else None
        listed = self._listed_as(entry)
        source = self._source(entry) if title is None and (entry.is_row or listed is None) else None
        return (name, title, entry.is_row, source, listed and self._normalize(listed))

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


def _catchword_of(short: str, normalized: str, text: str) -> bool:
    """A title of one to three words (a catchword, a model's name) written in the other text."""
    return 0 < len(normalized.split()) < 4 and name_appears(short, text)


def _clearly_different(a: str, b: str) -> bool:
    """Two titles no one would write for one paper: long ones (a title of one to three words is
    often a catchword or a model's name: `vLLM` for the PagedAttention paper, `FacTool` for
    "Factuality Detection in LLMs") that share almost no word that names something. A renamed
    version or a subtitle keeps most words: not different."""
    from rapidfuzz import fuzz

    x, y = normalize_title(a), normalize_title(b)
    if min(len(x.split()), len(y.split())) < 4:
        return False
    words_a, words_b = content_words(a), content_words(b)
    if not words_a or not words_b:
        return False
    shared = len(words_a & words_b)
    return shared <= 0.25 * min(len(words_a), len(words_b)) and fuzz.token_set_ratio(x, y) < 60


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


def _source(doc: Document, entry: Entry) -> str:
    """The entry's own text, without link targets or HTML tags (versions and mirrors differ)."""
    return _without_targets("\n".join(doc.lines[entry.line - 1 : entry.end_line]))


def _without_targets(text: str) -> str:
    """`text` with each `](…)`, URL and `<…>` a space, as the pattern
    `\\]\\([^)]*\\)|https?://\\S+|<[^>]+>` replaces them (see `blank_spans`)."""
    return blank_spans(text, _TARGET, _TARGET_CLOSERS)


_TARGET_CLOSERS = {"]": ")", "<": ">"}  # a URL runs to the next space


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
