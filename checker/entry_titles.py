"""Which paper a line belongs to, by name: reports say "LoRA: Low-Rank Adaptation…", not only
`README.md:205`."""

from __future__ import annotations

import bisect
from collections.abc import Iterable

from checker.model import Document, Entry


def at(docs: Iterable[Document], places: Iterable[tuple[str, int]]) -> dict[tuple[str, int], str]:
    """The title (else the name, else the first link's text) of the entry at each (file, line):
    the innermost entry that starts on or before the line and reaches it. One bisection per
    place (a document's entries are in line order)."""
    wanted: dict[str, set[int]] = {}
    for file, line in places:
        wanted.setdefault(file, set()).add(line)
    out: dict[tuple[str, int], str] = {}
    for doc in docs:
        lines = wanted.get(doc.path)
        if not lines or not doc.entries:
            continue
        entries = doc.entries  # in line order, as the parser leaves them
        starts = [e.line for e in entries]
        for line in lines:
            i = bisect.bisect_right(starts, line) - 1
            label = label_of(entries[i]) if i >= 0 and entries[i].end_line >= line else None
            if label:
                out[(doc.path, line)] = label
    return out


def label_of(entry: Entry) -> str | None:
    for named in (entry.title, entry.name):
        if named is not None and named.text.strip():
            return named.text
    for link in entry.links:
        if link.text.strip() and link.text.strip() != link.url:
            return link.text
    return None
