"""arXiv's batches, asked while the list is still being parsed.

A cold run's floor is arXiv's paced batches, one after the other; parsing a long list comes
before the plan, so without this the whole chain waits for it (a third of a second per 1,000
rows). The batches are taken from a glance at the text instead: the IDs its arXiv links give, in
the order written. They are sent from an event loop in a thread of its own, started before the
parse, one after another until the plan is made; then the run's asking goes on in that loop,
with the same client and the same pacing: the batches not begun by then are left to the plan,
and the answers to those sent are read as they come (`ask(network=…)`).

Only whole batches are sent early, and only when the cache knows none of their IDs (a first run):
the glance does not read every form (`arXiv:…` in text, a mirror's link), and a batch short of
full would leave an ID it missed a batch of its own, one pause more. An ID it reads that the
parse does not (a link inside an HTML comment) costs a place in a batch sent while the list was
parsed, no more. Not under `--changed-since`, which asks about a few entries only.
"""

from __future__ import annotations

import asyncio
import re
import threading
from collections.abc import AsyncIterator, Coroutine, Iterable
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


def start(texts: Iterable[str], options: Options) -> Network | None:
    """The network, already asking arXiv about the texts' papers, a hundred at a time; None
    when they are fewer than a hundred, or the cache holds an answer about one of them, or the
    run is offline."""
    if options.offline:
        return None
    ids = glance(texts, options)
    ids = ids[: len(ids) - len(ids) % BATCH]  # whole batches only
    if not ids:
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
        # each batch begun early, and its answer as it came (body, status, content type)
        self.first: list[tuple[list[str], asyncio.Future[Sent]]] = []
        self._waiting: list[list[str]] = []  # batches of the glance not begun yet

    def ask_first(self, ids: list[str]) -> None:
        """Sent from now, one batch after another, until the plan is made (`planned`); each read
        when the run asks (`first_answers`): reading them meanwhile (the arXiv parser's import,
        a hundred papers each) would take turns with the parse, which the plan and every other
        service wait for."""
        self._waiting = [ids[k : k + BATCH] for k in range(0, len(ids), BATCH)]
        self.run(self._start_sending())

    def planned(self) -> frozenset[str]:
        """The plan is made: the glance's batches not sent yet are left to it, so that an ID
        the parse does not find (a link in an HTML comment) is asked only if its batch went
        meanwhile. The IDs of the batches sent, which the plan must not ask again. In the
        loop, as the run's asking starts."""
        self._waiting.clear()
        return frozenset(i for batch, _ in self.first for i in batch)

    async def first_answers(self) -> AsyncIterator[ArxivAnswer]:
        for batch, sent in self.first:
            yield await self.arxiv.answer(batch, sent)

    async def _start_sending(self) -> None:
        self._sending = asyncio.ensure_future(self._send())

    async def _send(self) -> None:
        while self._waiting:
            await self.arxiv.pacer.turn()  # the plan may be made meanwhile: the rest is its own
            if not self._waiting:
                break
            batch = self._waiting.pop(0)
            sent: asyncio.Future[Sent] = asyncio.get_running_loop().create_future()
            self.first.append((batch, sent))
            try:
                sent.set_result(await self.arxiv.send(batch))
            except Exception as exc:  # an outage (Unavailable), read as such with the answer
                sent.set_exception(exc)

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
        for _, sent in self.first:  # a failure never read (the run stopped first) is no news
            if sent.done() and not sent.cancelled():
                sent.exception()
        await self.http.close()
