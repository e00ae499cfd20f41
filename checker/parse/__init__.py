"""Markdown → Document, read as GitHub renders it.

markdown-it-py, set up as GFM in `gfm` (bare URLs linked by `autolinks` as cmark-gfm links
them), gives the block tokens; `blocks` walks them, handing tables to `tables` and HTML blocks to
`html`; `cells` reads a table row's title, venue and name by its header, for Markdown and HTML
tables alike; `inline` reads every inline run with its links placed at their line and column;
`fields` finds titles, venues and names in free text; `draft` is the document being filled in.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

from checker.model import Document
from checker.parse.blocks import walk
from checker.parse.draft import Draft
from checker.parse.gfm import TokenStream
from checker.parse.tables import raw_cells
from checker.venues import VenueTable

__all__ = ["parse_text", "raw_cells"]


def parse_text(path: str, text: str, venues: VenueTable | None = None) -> Document:
    with _cycle_collector_paused():
        draft = Draft(path, text, venues or VenueTable())
        walk(draft, iter(TokenStream(text)))
        return draft.finish()


@contextmanager
def _cycle_collector_paused() -> Iterator[None]:
    """Reading a long list keeps a million objects alive at once (markdown-it's block tokens),
    and Python's cycle collector walks all of them again and again: a fifth of the parse time.
    The parse makes no reference cycles (every object it drops is freed by its count alone), so
    the collector finds nothing; it is paused while we read, then left as it was."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
