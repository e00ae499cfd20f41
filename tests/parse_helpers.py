"""Small helpers shared by the parser's tests (tests/ is on sys.path, see conftest.py)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from checker.model import Document, Entry
from checker.parse import parse_text
from checker.sources import read_markdown
from checker.venues import VenueTable

CORPUS = Path(__file__).parent / "data" / "corpus"


def parse(md: str) -> Document:
    return parse_text("test.md", md, VenueTable())


def only_entry(doc: Document) -> Entry:
    assert len(doc.entries) == 1, doc.entries
    return doc.entries[0]


def http_urls(doc: Document) -> list[str]:
    return [lk.url for lk in doc.links if lk.is_http]


@cache
def corpus_document(name: str) -> Document:
    """A list of tests/data/corpus as parsed, once per test process (the largest take a second)."""
    return parse_text(name, read_markdown(str(CORPUS / name)), VenueTable())
