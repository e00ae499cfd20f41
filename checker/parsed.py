"""Parsed documents kept in the cache: a run on a list it has read before does not parse it again.

With every answer fresh in the cache, parsing is most of what a run costs (markdown-it-py and
the readers take about a third of a second per 1,000 rows, and importing them a tenth). A
document is stored as plain JSON (never pickle: the cache file travels between CI runs) beside
the answers, and is used only while everything that made it is the same (`fingerprint`): the
text, the path shown, the venues the configuration adds, paperlint's own code and the version
of the Markdown parser.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import sys
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from checker.cache import Cache
from checker.model import (
    Document,
    Entry,
    Field,
    Heading,
    Link,
    LinkKind,
    LinkSyntax,
    ShapeProblem,
)
from checker.sources import split_lines
from checker.venues import Venue

KIND = "document"
FORMAT = 1  # of the stored value: a change makes every stored document a miss
LARGEST = 60_000  # records (links, entries, headings) of a document stored: 20,000 papers
# what each record is stored as, in order; a test checks these against the model's fields
LINK = (
    "url",
    "text",
    "line",
    "column",
    "kind",
    "arxiv_id",
    "arxiv_version",
    "repo",
    "image",
    "in_text",
)
FIELD = ("text", "line", "column", "parts")
ENTRY = (
    "line",
    "end_line",
    "section",
    "links",
    "title",
    "venue",
    "has_venue_slot",
    "venue_slot",
    "name",
    "is_row",
)
HEADING = ("text", "level", "line", "slug")
SHAPE = (
    "line",
    "expected",
    "found",
    "end_line",
    "old",
    "joined",
    "column",
    "dropped",
    "shift",
    "shifted",
)
SYNTAX = ("kind", "line", "column", "text", "old", "new", "fix_column")
DOCUMENT = (
    "path",
    "text",
    "lines",
    "entries",
    "links",
    "headings",
    "anchors",
    "shape_problems",
    "link_syntax",
)
_DECODE_ERRORS = (TypeError, ValueError, KeyError, IndexError, AttributeError, RecursionError)


def fingerprint(path: str, text: str, venues: Sequence[Venue]) -> str:
    """What the parse of `text` depends on, digested."""
    digest = hashlib.sha256(_code())
    for part in (path, repr(venues), text):
        data = part.encode("utf-8", "surrogatepass")
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


@lru_cache(maxsize=1)
def _code() -> bytes:
    """paperlint's source and the Markdown parser's version: a change to either may change what
    a text parses to. A millisecond's reading; an edited checkout is seen at once."""
    digest = hashlib.sha256(f"{FORMAT} {sys.version}".encode())
    root = Path(__file__).resolve().parent
    for source in sorted(root.rglob("*.py")):
        digest.update(str(source.relative_to(root)).encode())
        digest.update(source.read_bytes())
    for package in ("markdown_it", "mdurl"):  # their __init__ carries the version
        spec = importlib.util.find_spec(package)
        if spec is not None and spec.origin:
            digest.update(Path(spec.origin).read_bytes())
    return digest.digest()


def place(path: str) -> str:
    """A file's key: its absolute path, digested (a name need not be valid UTF-8)."""
    absolute = os.path.abspath(path).encode("utf-8", "surrogatepass")
    return hashlib.sha256(absolute).hexdigest()


def load(cache: Cache, key: str, print_: str, path: str, text: str) -> Document | None:
    """The document stored under `key` (the file's own place), if `print_` made it."""
    found = cache.get_many(KIND, [key]).get(key)
    if not isinstance(found, dict) or found.get("fingerprint") != print_:
        return None
    try:
        return decode(found["document"], path, text)
    except _DECODE_ERRORS:
        return None  # damaged, or written by something else: parse it again


def store(cache: Cache, key: str, print_: str, doc: Document) -> None:
    """One document per file: the one stored before it (an older text) is replaced. One of more
    than `LARGEST` records is not stored: its stored form would cost more memory at once (a
    hostile megabyte of 100,000 links, 50 MB) than parsing it on each run costs time."""
    if len(doc.links) + len(doc.entries) + len(doc.headings) > LARGEST:
        return
    cache.put_many(KIND, {key: {"fingerprint": print_, "document": encode(doc)}})


def encode(doc: Document) -> dict[str, Any]:
    """The document as JSON: records as lists of their fields, the entries' links as their
    places in the document's links (one object shared, as the parser leaves them)."""
    place = {id(lk): k for k, lk in enumerate(doc.links)}
    return {
        "links": [_link(lk) for lk in doc.links],
        "entries": [
            [
                e.line,
                e.end_line,
                list(e.section),
                [_place_or_link(lk, place) for lk in e.links],
                _field(e.title),
                _field(e.venue),
                e.has_venue_slot,
                _field(e.venue_slot),
                _field(e.name),
                e.is_row,
            ]
            for e in doc.entries
        ],
        "headings": [[h.text, h.level, h.line, h.slug] for h in doc.headings],
        "anchors": sorted(doc.anchors),
        "shape_problems": [
            [
                s.line,
                s.expected,
                s.found,
                s.end_line,
                s.old,
                s.joined,
                s.column,
                list(s.dropped),
                s.shift,
                [list(pair) for pair in s.shifted],
            ]
            for s in doc.shape_problems
        ],
        "link_syntax": [
            [s.kind, s.line, s.column, s.text, s.old, s.new, s.fix_column] for s in doc.link_syntax
        ],
    }


def decode(data: dict[str, Any], path: str, text: str) -> Document:
    links = tuple(_to_link(v) for v in data["links"])
    sections: dict[tuple[str, ...], tuple[str, ...]] = {}  # one tuple per section, as parsed
    entries = []
    for e in data["entries"]:
        section = tuple(_strs(e[2]))
        entries.append(
            Entry(
                line=_int(e[0]),
                end_line=_int(e[1]),
                section=sections.setdefault(section, section),
                links=tuple(_link_at(links, v) for v in e[3]),
                title=_to_field(e[4]),
                venue=_to_field(e[5]),
                has_venue_slot=e[6] is True,
                venue_slot=_to_field(e[7]),
                name=_to_field(e[8]),
                is_row=e[9] is True,
            )
        )
    return Document(
        path=path,
        text=text,
        lines=tuple(split_lines(text)),
        entries=tuple(entries),
        links=links,
        headings=tuple(
            Heading(_str(h[0]), _int(h[1]), _int(h[2]), _str(h[3])) for h in data["headings"]
        ),
        anchors=frozenset(_strs(data["anchors"])),
        shape_problems=tuple(
            ShapeProblem(
                line=_int(s[0]),
                expected=_int(s[1]),
                found=_int(s[2]),
                end_line=_opt_int(s[3]),
                old=_opt_str(s[4]),
                joined=_opt_str(s[5]),
                column=_int(s[6]),
                dropped=tuple(_strs(s[7])),
                shift=_int(s[8]),
                shifted=tuple((_str(a), _str(b)) for a, b in s[9]),
            )
            for s in data["shape_problems"]
        ),
        link_syntax=tuple(
            LinkSyntax(
                _str(s[0]),
                _int(s[1]),
                _int(s[2]),
                _str(s[3]),
                _opt_str(s[4]),
                _opt_str(s[5]),
                _opt_int(s[6]),
            )
            for s in data["link_syntax"]
        ),
    )


def _place_or_link(lk: Link, place: dict[int, int]) -> int | list[Any]:
    at = place.get(id(lk))
    return _link(lk) if at is None else at


def _link(lk: Link) -> list[Any]:
    return [
        lk.url,
        lk.text,
        lk.line,
        lk.column,
        lk.kind.value,
        lk.arxiv_id,
        lk.arxiv_version,
        lk.repo,
        lk.image,
        lk.in_text,
    ]


def _link_at(links: tuple[Link, ...], v: Any) -> Link:
    """A link by its place among the document's links, or written out in full."""
    if type(v) is int:
        if v < 0:
            raise IndexError("no such link")
        return links[v]
    return _to_link(v)


def _to_link(v: list[Any]) -> Link:
    return Link(
        _str(v[0]),
        _str(v[1]),
        _int(v[2]),
        _int(v[3]),
        LinkKind(v[4]),
        _opt_str(v[5]),
        _opt_int(v[6]),
        _opt_str(v[7]),
        _opt_str(v[8]),
        v[9] is True,
    )


def _field(f: Field | None) -> list[Any] | None:
    if f is None:
        return None
    return [f.text, f.line, f.column, [_field(p) for p in f.parts]]


def _to_field(v: list[Any] | None) -> Field | None:
    if v is None:
        return None
    parts = tuple(_to_field(p) for p in v[3])
    if None in parts:
        raise ValueError("a part of a field is missing")
    return Field(_str(v[0]), _int(v[1]), _int(v[2]), parts)  # type: ignore[arg-type]


# The cache is ours, but a damaged or foreign value must be a miss, never a wrong type that a
# rule trips over later.
def _str(v: Any) -> str:
    if type(v) is not str:
        raise TypeError("not a string")
    return v


def _int(v: Any) -> int:
    if type(v) is not int:
        raise TypeError("not an integer")
    return v


def _opt_str(v: Any) -> str | None:
    return None if v is None else _str(v)


def _opt_int(v: Any) -> int | None:
    return None if v is None else _int(v)


def _strs(v: Any) -> list[str]:
    if type(v) is not list:
        raise TypeError("not a list")
    return [_str(s) for s in v]
