"""Structure: table shape, duplicate papers, in-document anchors."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import unquote

from checker.model import Document, Entry, Finding, Fix, LinkKind, Severity
from checker.rules import finding


def table_shape(doc: Document) -> Iterator[Finding]:
    for p in doc.shape_problems:
        if p.end_line is not None and p.joined is not None and p.old is not None:
            yield finding(
                "table-shape",
                doc.path,
                p.line,
                1,
                f"table row is split across lines {p.line}-{p.end_line} "
                f"({p.found} cells on line {p.line}, header has {p.expected}); "
                "join them into one row",
                fix=Fix(p.line, p.old, p.joined),
            )
        else:
            yield finding(
                "table-shape",
                doc.path,
                p.line,
                1,
                f"table row has {p.found} cells, header has {p.expected}",
            )


def duplicate_entry(doc: Document) -> Iterator[Finding]:
    first: dict[str, Entry] = {}
    for entry in doc.entries:
        link = entry.primary_arxiv
        if link is None or link.arxiv_id is None:
            continue
        earlier = first.get(link.arxiv_id)
        if earlier is None:
            first[link.arxiv_id] = entry
            continue
        same_section = earlier.section == entry.section
        where = "in the same section" if same_section else f"under '{' > '.join(earlier.section)}'"
        yield finding(
            "duplicate-entry",
            doc.path,
            link.line,
            link.column,
            f"arXiv {link.arxiv_id} is already listed at line {earlier.line} {where}",
            url=link.url,
            severity=Severity.WARNING if same_section else Severity.INFO,
        )


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
