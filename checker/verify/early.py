"""arXiv's batches, asked while the list is still being parsed.

A cold run's floor is arXiv's paced batches, one after the other; parsing a long list comes
before the plan, so without this the whole chain waits for it (a third of a second per 1,000
rows). The batches are taken from a glance at the text instead: the IDs its arXiv links give, in
the order written. They are sent from an event loop in a thread of its own, started before the
parse, one after another until the plan is made; then the run's asking goes on in that loop,
with the same client and the same pacing: the batches not begun by then are left to the plan,
and the answers to those sent are read as they come (`ask(network=…)`).

Semantic Scholar is asked about the same IDs meanwhile when the list has a venue column, so that
DBLP's title searches, paced one after the other, begin as soon as the plan is made rather than
after Semantic Scholar's answers (the other chain as long as arXiv's); at plan time only the
entries that want a venue are taken from its answers (`ask._ask_venues`). Without a venue column,
it waits for the plan, which asks it only about entries with a venue written in their text.

Only whole batches are sent early, and only when the cache knows none of their IDs (a first run):
the glance does not read every form (`arXiv:…` in text, a mirror's link), and a batch short of
full would leave an ID it missed a batch of its own, one pause more. An ID it reads that the
parse does not (a link inside an HTML comment) costs a place in a batch sent while the list was
parsed, no more. Not under `--changed-since`, which asks about a few entries only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from checker.cache import Cache, cache_path
from checker.columns import VENUE_HEADERS
from checker.config import Options
from checker.links import classify
from checker.model import LinkKind
from checker.services.arxiv import BATCH
from checker.verify import ARXIV_RULES, VENUE_RULES

if TYPE_CHECKING:
    from checker.verify.network import Network

# an arXiv paper's address as written in Markdown or HTML: bounded, one character class, so a
# search is linear however the text is made
_ARXIV_URL = re.compile(
    r"(?<![\w/.:?=&%#~+-])https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf|html)/[^\s<>()\[\]\"'`|]{1,64}",
    re.I,
)
_TRAILING = ".,;:!?*_~"  # punctuation GitHub leaves out of a bare URL's link
# a table's cell that names a venue column, as columns.header_key reads it (markup around the
# name, spaces within it), after a pipe or before one at the start of a line; each part bounded,
# and a name tried only where one of their first letters stands: linear, and quick on a table
_MARKUP = r"[ \t*_`:]{0,16}"
_NAME = (
    f"(?=[{''.join(sorted({h[0] for h in VENUE_HEADERS}))}])(?:"
    + "|".join(re.escape(h).replace(r"\ ", r"[ \t]{1,4}") for h in VENUE_HEADERS)
    + ")"
)
_VENUE_CELL = re.compile(rf"\|{_MARKUP}{_NAME}{_MARKUP}(?:\||$)", re.I | re.M)
_VENUE_FIRST_CELL = re.compile(rf"^{_MARKUP}{_NAME}{_MARKUP}\|", re.I | re.M)


def glance(texts: Iterable[str], options: Options) -> list[str]:
    """The arXiv IDs the texts' links give, each once, in the order written."""
    if options.changed_since or not any(options.enabled(r) for r in (*ARXIV_RULES, *VENUE_RULES)):
        return []
    ids: dict[str, None] = {}
    excluded = options.excluded
    for text in texts:
        for m in _ARXIV_URL.finditer(text):
            url = m.group(0).rstrip(_TRAILING)
            found = classify(url)
            if found.kind is LinkKind.ARXIV and found.arxiv_id and not excluded(url):
                ids[found.arxiv_id] = None
    return list(ids)


def has_venue_column(texts: Iterable[str], options: Options) -> bool:
    """Whether a table of the texts has a venue column: its entries want Semantic Scholar's
    answer. A table cell that only reads like a venue header costs a request or two to Semantic
    Scholar about the list's papers, no more."""
    if not any(options.enabled(r) for r in VENUE_RULES):
        return False
    return any(_VENUE_CELL.search(text) or _VENUE_FIRST_CELL.search(text) for text in texts)


def start(texts: Iterable[str], options: Options) -> Network | None:
    """The network, already asking arXiv about the texts' papers, a hundred at a time, and
    Semantic Scholar about them all when a table has a venue column and the cache has none of
    its answers; None when they are fewer than a hundred, or the cache holds arXiv's answer
    about one of them, or the run is offline."""
    if options.offline:
        return None
    texts = list(texts)
    found = glance(texts, options)
    ids = found[: len(found) - len(found) % BATCH]  # whole batches only
    if not ids:
        return None
    cache = Cache(cache_path(options))
    try:
        if cache.get_many("arxiv", ids) or cache.get_many("arxiv-missing", ids):
            return None  # answers in the cache: those that are not are few, or stale, or new
        from checker.verify.network import Network  # asyncio and the rest: only when it starts

        network = Network(options)
        try:
            network.ask_first(ids)
            # then, arXiv's first request on its way, Semantic Scholar, unless the cache
            # answers for some of the papers already
            if has_venue_column(texts, options) and not cache.get_many("s2", found):
                network.ask_venues(found)
        except BaseException:  # interrupted: the thread it started ends with it
            network.close()
            raise
    finally:
        cache.close()
    return network
