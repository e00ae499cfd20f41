"""markdown-it-py set up to read Markdown as GitHub does: tables, strikethrough, bare-URL links."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from markdown_it import MarkdownIt


@lru_cache(maxsize=1)
def markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"linkify": True, "html": True})
    md.enable(["table", "strikethrough", "linkify"])
    # GFM linkifies only URLs with a scheme or www.; bare domains such as "x.py" stay text
    # (fuzzy links on, then all but www. ones dropped in _QuickLinkify.match).
    assert md.linkify is not None
    md.linkify.set({"fuzzy_link": True, "fuzzy_email": False})
    md.linkify = _QuickLinkify(md.linkify)
    # Keep URLs exactly as written: fixes must find them in the file, and we render no HTML.
    md.normalizeLink = _as_written  # type: ignore[method-assign]
    md.normalizeLinkText = _as_written  # type: ignore[method-assign,assignment]
    return md


def _as_written(url: str) -> str:
    return url


class _QuickLinkify:
    """linkify-it tests every text run; most hold no URL, and a substring check says so cheaply."""

    _HINT = re.compile(r"://|www\.", re.IGNORECASE)

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def test(self, text: str) -> bool:
        return bool(self._HINT.search(text)) and bool(self.match(text))

    def match(self, text: str) -> list[Any] | None:
        found = [
            m for m in self.inner.match(text) or [] if m.schema or m.raw.lower().startswith("www.")
        ]
        return found or None

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def split_lines(text: str) -> list[str]:
    """Lines as markdown-it counts them (only CR, LF and CRLF end a line)."""
    return re.split(r"\r\n|\r|\n", text)
