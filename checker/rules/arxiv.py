"""arXiv: identifiers that cannot exist (offline); existence, withdrawal and titles (online)."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

from checker.model import Document, Finding, LinkKind
from checker.rules import finding


def arxiv_id_malformed(doc: Document) -> Iterator[Finding]:
    for link in doc.links:
        if link.kind is not LinkKind.ARXIV_MALFORMED:
            continue
        path = urlsplit(link.url).path
        ident = path.split("/", 2)[-1] if path.count("/") >= 2 else path
        yield finding(
            "arxiv-id-malformed", doc.path, link.line, link.column,
            f"'{ident}' is not a valid arXiv identifier (YYMM.NNNNN[vN] or archive/YYMMNNN[vN])",
            url=link.url,
        )
