"""The paced chains go first (verify/ask.py `_release`): once the list is planned, web links,
GitHub and the reading of the early answers begin only when the paced services' first requests
are on their way, and, in a run started early, between two requests of arXiv's and of DBLP's,
so that reading an answer, which the next pause counts from, never waits behind them."""

from __future__ import annotations

import asyncio
import math
from pathlib import Path
from typing import Any

import pytest

from checker.services.arxiv import ArxivService
from checker.services.http import Http, HttpSettings, Pacer
from checker.verify import ask


async def _turns(n: int = 20) -> None:
    """Let the event loop run every task that is ready, a few times over (no clock involved)."""
    for _ in range(n):
        await asyncio.sleep(0)


def test_a_pacer_says_how_long_until_a_request_of_its_is_on_its_way() -> None:
    async def main() -> None:
        pacer = Pacer(60.0)
        assert pacer.quiet_for() == math.inf, "nobody waits for a turn"
        sent, answer = asyncio.Event(), asyncio.Event()

        async def request() -> None:
            async with pacer:
                sent.set()
                await answer.wait()

        first = asyncio.ensure_future(request())
        await sent.wait()
        assert pacer.quiet_for() == 0.0, "one is on its way"
        answered = asyncio.ensure_future(pacer.next_answer())
        await _turns()
        assert not answered.done()
        answer.set()
        await first
        await answered
        second = asyncio.ensure_future(request())  # waits its turn: a minute after the first
        await _turns()
        assert 50 < pacer.quiet_for() <= 60
        second.cancel()
        with pytest.raises(asyncio.CancelledError):
            await second

    asyncio.run(main())


def test_the_rest_waits_for_the_answers_of_the_paced_requests_on_their_way() -> None:
    """arXiv's request on its way, then DBLP's: the rest begins once both are answered."""

    async def main() -> None:
        arxiv, dblp = Pacer(60.0), Pacer(60.0)
        paced, rest = asyncio.Event(), asyncio.Event()
        answers = {arxiv: asyncio.Event(), dblp: asyncio.Event()}
        sent = {arxiv: asyncio.Event(), dblp: asyncio.Event()}

        async def request(pacer: Pacer) -> None:
            async with pacer:
                sent[pacer].set()
                await answers[pacer].wait()

        on_their_way = [asyncio.ensure_future(request(p)) for p in (arxiv, dblp)]
        await sent[arxiv].wait()
        await sent[dblp].wait()
        release = asyncio.ensure_future(ask._release(paced, [arxiv, dblp], rest))
        await _turns()
        assert not rest.is_set(), "the paced chains' first requests are not on their way yet"
        paced.set()
        await _turns()
        assert not rest.is_set(), "arXiv's answer is on its way: the rest waits for it"
        answers[arxiv].set()
        await _turns()
        assert not rest.is_set(), "and for DBLP's"
        answers[dblp].set()
        await asyncio.gather(*on_their_way)
        await release
        assert rest.is_set()

    asyncio.run(main())


def test_the_rest_waits_so_long_at_most_for_a_slow_arxiv(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ask, "START_TIME", 0.01)

    async def main() -> None:
        http = Http(HttpSettings())
        arxiv = ArxivService(http, "http://127.0.0.1:9/api/query", 60.0)
        paced, rest, sent = asyncio.Event(), asyncio.Event(), asyncio.Event()
        never = asyncio.Event()

        async def request() -> None:
            async with arxiv.pacer:
                sent.set()
                await never.wait()

        stuck = asyncio.ensure_future(request())
        await sent.wait()
        paced.set()
        await ask._release(paced, [arxiv.pacer], rest)
        assert rest.is_set()
        stuck.cancel()
        with pytest.raises(asyncio.CancelledError):
            await stuck
        await http.close()

    asyncio.run(main())


def test_what_is_loaded_while_the_answers_come_in_is_what_the_run_loads_after_them() -> None:
    """A name that no longer names a module would fail the run; one the run no longer loads
    after the answers would be loaded for nothing."""
    import importlib

    for name in ask.AFTER_ANSWERS:
        assert importlib.import_module(name)
    source = {
        path.name: path.read_text(encoding="utf-8")
        for path in (Path(ask.__file__).parents[1] / "verify", Path(ask.__file__).parents[1])
        for path in path.glob("*.py")
    }
    assert "from rapidfuzz import fuzz" in source["titles.py"]
    assert "from checker.verify.repair import repair" in source["engine.py"]
    assert "from checker.fix import" in source["engine.py"]


def test_the_rest_does_not_wait_for_semantic_scholar_asked_early_to_answer() -> None:
    """Semantic Scholar's early answer is what DBLP waits for, not the rest: while it is on its
    way (slow, or retried in an outage), links and GitHub go on."""
    from checker.evidence import Evidence
    from checker.services.scholar import S2Answer
    from checker.venues import VenueTable
    from checker.verify.plan import Plan

    class Network:
        venues_asked = frozenset({"2301.00001"})
        venues_on_their_way = True

        def __init__(self) -> None:
            self.answer = asyncio.Event()

        async def first_venues(self) -> S2Answer:
            await self.answer.wait()
            return S2Answer(unavailable={"2301.00001": "HTTP 503"})

    class Unused:
        async def fetch(self, *args: object) -> S2Answer:
            raise AssertionError("every ID was asked early")

        async def search(self, title: str) -> list[object]:
            raise AssertionError("no title for DBLP")

    async def main(cache: Any) -> None:
        network, paced, ev = Network(), asyncio.Event(), Evidence()
        venues = asyncio.ensure_future(
            ask._ask_venues(
                Unused(),  # type: ignore[arg-type]
                Unused(),  # type: ignore[arg-type]
                Plan(s2={"2301.00001"}),
                ev,
                cache,
                [],
                VenueTable(),
                lambda n: None,
                network,  # type: ignore[arg-type]
                paced,
            )
        )
        await _turns()
        assert paced.is_set(), "the rest goes on while the answer is on its way"
        assert not venues.done()
        network.answer.set()
        await venues
        assert ev.unavailable == {"Semantic Scholar": {"2301.00001": "HTTP 503"}}

    asyncio.run(main(_NoCache()))


class _NoCache:
    def put_many(self, kind: str, items: dict[str, Any]) -> None:
        pass

    def get_many(self, kind: str, keys: list[str]) -> dict[str, Any]:
        return {}


@pytest.mark.parametrize(
    ("value", "delay"),
    [("0.25", 0.25), ("-3", 0.0), ("1e9", 60.0), ("inf", 1.0), ("nan", 1.0), ("soon", 1.0)],
)
def test_dblps_delay_stays_within_arxivs_bounds(
    monkeypatch: pytest.MonkeyPatch, value: str, delay: float
) -> None:
    """A pause of hours between DBLP's searches would stall the run as surely as arXiv's."""
    monkeypatch.setenv("PAPERLINT_DBLP_DELAY", value)
    assert ask._dblp_delay() == delay
