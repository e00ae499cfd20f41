"""markdown-it-py set up to read Markdown as GitHub does: tables, strikethrough, bare-URL links."""

from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt

from checker.parse.autolinks import install as install_autolinks


@lru_cache(maxsize=1)
def markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True})
    md.enable(["table", "strikethrough"])
    install_autolinks(md)  # bare URLs as cmark-gfm links them, not as linkify-it would
    # Keep URLs exactly as written: fixes must find them in the file, and we render no HTML.
    md.normalizeLink = _as_written  # type: ignore[method-assign]
    md.normalizeLinkText = _as_written  # type: ignore[method-assign,assignment]
    return md


def _as_written(url: str) -> str:
    return url


def split_lines(text: str) -> list[str]:
    """Lines as markdown-it counts them (only CR, LF and CRLF end a line)."""
    return re.split(r"\r\n|\r|\n", text)
