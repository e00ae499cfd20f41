"""The run's network: one event loop and one HTTP client in a thread of their own, started
before the list is parsed so that arXiv's batches go meanwhile (early.py), then the run's asking
(`verify(network=…)`). Closing it ends every task it runs before the cache they write to closes,
as `asyncio.run` ends its own."""

from __future__ import annotations

import asyncio
import sys
import threading
from collections.abc import AsyncIterator, Coroutine, Sequence
from typing import Any, TypeVar

from checker.config import Options
from checker.services.arxiv import BATCH, ArxivAnswer, ArxivService, Sent
from checker.services.http import Http, HttpSettings
from checker.services.scholar import S2Answer, SemanticScholarService

T = TypeVar("T")
SWITCH = 0.0005  # seconds between the threads' turns while the network runs
CANCEL_AGAIN = 0.05  # seconds a cancelled task has to end before it is cancelled again


def clients(options: Options) -> tuple[Http, ArxivService, SemanticScholarService]:
    """The run's HTTP client, and arXiv's and Semantic Scholar's services on it: one pacing for
    all of each one's batches, whoever sends them."""
    http = Http(HttpSettings(timeout=options.timeout, max_concurrency=options.max_concurrency))
    ep = options.endpoints
    return (
        http,
        ArxivService(http, ep.arxiv, options.arxiv_delay),
        SemanticScholarService(http, ep.s2, ep.s2_key),
    )


# Closing waits so long at most. A Ctrl-C that lands while the main thread imports (parsing
# loads the parser) can leave Python's import lock taken: should the network's thread then need
# it (an import of its own), it would wait for ever (see also http._sniffio_absent).
CLOSE_WAIT = 5.0


class Network:
    def __init__(self, options: Options) -> None:
        # first: nothing is left running if it fails
        self.http, self.arxiv, self.s2 = clients(options)
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(
            target=self.loop.run_forever, name="paperlint-network", daemon=True
        )
        self.thread.start()
        # While the list is parsed, the loop's turns at the interpreter come every half a
        # millisecond rather than five: reading arXiv's first answer takes a few dozen turns,
        # and the pause before the next batch counts from its end.
        self._switch = sys.getswitchinterval()
        sys.setswitchinterval(SWITCH)
        # each batch begun early, and its answer as it came (body, status, content type)
        self.first: list[tuple[list[str], asyncio.Future[Sent]]] = []
        self._waiting: list[list[str]] = []  # batches of the glance not sent yet
        self._sending: Any = None  # the task sending them (a reference keeps it alive)
        # Semantic Scholar's answer about the IDs it was asked early, as it comes
        self.venues_asked: frozenset[str] = frozenset()
        self._venues: Any = None
        self._closed = False

    def ask_first(self, ids: list[str]) -> None:
        """Sent from now, one batch after another, until the plan is made (`planned`); each read
        when the run asks (`first_answers`): reading them meanwhile (the arXiv parser's import,
        a hundred papers each) would take turns with the parse, which the plan and every other
        service wait for."""
        self._waiting = [ids[k : k + BATCH] for k in range(0, len(ids), BATCH)]
        self._sending = asyncio.run_coroutine_threadsafe(self._send(), self.loop)

    def ask_venues(self, ids: Sequence[str]) -> None:
        """Semantic Scholar asked about all of them from now, read when the run asks
        (`first_venues`)."""
        self.venues_asked = frozenset(ids)
        self._venues = asyncio.run_coroutine_threadsafe(self.s2.fetch(ids), self.loop)

    @property
    def venues_on_their_way(self) -> bool:
        """Semantic Scholar was asked early and has not answered yet."""
        return self._venues is not None and not self._venues.done()

    async def first_venues(self) -> S2Answer | None:
        """Semantic Scholar's answer about `venues_asked`, once it has come; None if it was not
        asked."""
        if self._venues is None:
            return None
        if not self._venues.done():
            await asyncio.wrap_future(self._venues)
        answer: S2Answer = self._venues.result()  # come already: no turn of the loop to wait
        return answer

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

    def run(self, work: Coroutine[Any, Any, T], timeout: float | None = None) -> T:
        """Run `work` in the network's loop and wait for it (`timeout`: at most so long, then
        TimeoutError); interrupted, it is cancelled."""
        done = asyncio.run_coroutine_threadsafe(work, self.loop)
        try:
            return done.result(timeout)
        except BaseException:
            done.cancel()
            raise

    def close(self) -> None:
        """Whatever is still asking is cancelled and has ended, the client closed, the thread
        ended. Once: a second call does nothing. Waits CLOSE_WAIT at most for the tasks: a thread
        stuck by then (behind an interrupted import) is left, a daemon that does not keep the
        process from ending."""
        if self._closed:
            return
        self._closed = True
        ended = False
        try:
            self.run(self._shut_down(), CLOSE_WAIT)
            ended = True
        except TimeoutError:
            pass
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(CLOSE_WAIT if ended else 0)
            if not self.thread.is_alive():
                self.loop.close()
            sys.setswitchinterval(self._switch)

    async def _shut_down(self) -> None:
        # Cancelled again until they end: a cancellation that meets an answer just arriving
        # can be lost on the way (asyncio.wait_for on Python 3.11, httpcore's shielded
        # sections), and the task would go on to wait out arXiv's whole pause.
        pending = {t for t in asyncio.all_tasks() if t is not asyncio.current_task()}
        while pending:
            for task in pending:
                task.cancel()
            _, pending = await asyncio.wait(pending, timeout=CANCEL_AGAIN)
        for _, sent in self.first:  # a failure never read (the run stopped first) is no news
            if sent.done() and not sent.cancelled():
                sent.exception()
        await self.http.close()
        await self.loop.shutdown_asyncgens()
        await self.loop.shutdown_default_executor()
