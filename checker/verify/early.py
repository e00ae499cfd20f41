"""arXiv's first batch, asked while the list is still being parsed.

A cold run's floor is arXiv's paced batches, one after the other; parsing a long list comes
before the plan, so without this the whole chain waits for it (a third of a second per 1,000
rows). The first batch is taken from a glance at the text instead: the first hundred IDs its
arXiv links give. It is sent from an event loop in a thread of its own, started before the parse,
and the run's asking later goes on in that loop, with the same client, the same pacing and that
first answer (`ask(network=…)`).

Only a full batch is sent early, and only one the cache knows nothing of (a first run): the
glance does not read every form (`arXiv:…` in text, a mirror's link), and an ID it missed would
otherwise need a batch of its own, one pause more. An ID it reads that the parse does not (a link
inside an HTML comment) costs a place in that batch. Not under `--changed-since`, which asks about
a few entries only.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import re
import threading
from collections.abc import Coroutine, Iterable
from typing import Any, TypeVar

from checker.cache import Cache, cache_path
from checker.config import Options
from checker.links import classify
from checker.model import LinkKind
from checker.services.arxiv import BATCH, ArxivAnswer, ArxivService, Sent
from checker.services.http import Http, HttpSettings
from checker.verify.plan import ARXIV_RULES, VENUE_RULES

T = TypeVar("T")

# an arXiv paper's address as written in Markdown or HTML: bounded, one character class, so a
# search is linear however the text is made
_ARXIV_URL = re.compile(
    r"(?<![\w/.:?=&%#~+-])https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf|html)/[^\s<>()\[\]\"'`|]{1,64}",
    re.I,
)
_TRAILING = ".,;:!?*_~"  # punctuation GitHub leaves out of a bare URL's link


def glance(texts: Iterable[str], options: Options) -> list[str]:
    """The first `BATCH` arXiv IDs the texts' links give, in the order written."""
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
                if len(ids) == BATCH:
                    return list(ids)
    return list(ids)


def start(texts: Iterable[str], options: Options) -> Network | None:
    """The network, already asking arXiv about the texts' first hundred papers; None when they
    are fewer, or the cache holds an answer about one of them, or the run is offline."""
    if options.offline:
        return None
    ids = glance(texts, options)
    if len(ids) < BATCH:
        # a batch short of full: an ID the glance does not read (`arXiv:…` in text, a mirror's
        # link) would need a batch of its own, three seconds more, to save a parse
        return None
    cache = Cache(cache_path(options))
    try:
        known = {*cache.get_many("arxiv", ids), *cache.get_many("arxiv-missing", ids)}
    finally:
        cache.close()
    if known:
        return None  # answers in the cache: those that are not are few, or stale, or new
    network = Network(options)
    network.ask_first(ids)
    return network


class Network:
    """One event loop and one HTTP client for the run's requests, in a thread of their own."""

    def __init__(self, options: Options) -> None:
        settings = HttpSettings(timeout=options.timeout, max_concurrency=options.max_concurrency)
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(
            target=self.loop.run_forever, name="paperlint-network", daemon=True
        )
        self.thread.start()
        self.http = Http(settings)
        self.arxiv = ArxivService(self.http, options.endpoints.arxiv, options.arxiv_delay)
        self.first_ids: frozenset[str] = frozenset()
        self.first: concurrent.futures.Future[Sent] | None = None

    def ask_first(self, ids: list[str]) -> None:
        """Sent now; read when the run asks (`first_answer`): reading it meanwhile (the arXiv
        parser's import, a hundred papers) would take turns with the parse, which the plan
        and every other service wait for."""
        self.first_ids = frozenset(ids)
        self.first = asyncio.run_coroutine_threadsafe(self.arxiv.send(ids), self.loop)

    async def first_answer(self) -> ArxivAnswer:
        assert self.first is not None
        return await self.arxiv.answer(sorted(self.first_ids), asyncio.wrap_future(self.first))

    def run(self, work: Coroutine[Any, Any, T]) -> T:
        """Run `work` in the network's loop and wait for it; interrupted, it is cancelled."""
        done = asyncio.run_coroutine_threadsafe(work, self.loop)
        try:
            return done.result()
        except BaseException:
            done.cancel()
            raise

    def close(self) -> None:
        """Whatever is still asking is cancelled, the client closed, the thread ended."""
        try:
            self.run(self._shut_down())
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join()
            self.loop.close()

    async def _shut_down(self) -> None:
        others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in others:
            task.cancel()
        await asyncio.gather(*others, return_exceptions=True)
        await self.http.close()
