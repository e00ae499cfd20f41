"""The shared client's slots: a request queued behind its host holds no global slot, the paced
services (arXiv, Semantic Scholar, DBLP: the run's floor) always find a slot free, and the global
cap stays a true cap on requests in flight.

The server is an `httpx.MockTransport` whose handler counts the requests in it and holds those
to a slow host until the test lets them go: what started and what waits is read from counters,
never from a clock."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Callable, Coroutine
from typing import Any

import httpx

from checker.services.http import PACED_RESERVE, Http, HttpSettings, Pacer


class Body(httpx.AsyncByteStream):
    """An answer's body as a transport hands it over: streamed, as the client reads it."""

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield b"ok"


class SlowHosts:
    """A transport whose answers from `slow` hosts wait for `release`; counts requests in flight
    per host, and the most in flight at once."""

    def __init__(self, slow: set[str]) -> None:
        self.slow = slow
        self.release = asyncio.Event()
        self.in_flight: Counter[str] = Counter()
        self.started: Counter[str] = Counter()
        self.peak = 0

    async def handle(self, request: httpx.Request) -> httpx.Response:
        host = request.url.host
        self.in_flight[host] += 1
        self.started[host] += 1
        self.peak = max(self.peak, sum(self.in_flight.values()))
        try:
            if host in self.slow:
                await self.release.wait()
        finally:
            self.in_flight[host] -= 1
        return httpx.Response(200, stream=Body())

    def client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(transport=httpx.MockTransport(self.handle))


async def settle(done: Callable[[], bool], turns: int = 10_000) -> bool:
    """Let the event loop run until `done()` or `turns` turns have passed; whether it is done.
    Every request here is served in memory, so a few dozen turns carry one to its answer."""
    for _ in range(turns):
        if done():
            return True
        await asyncio.sleep(0)
    return done()


def run(test: Callable[[], Coroutine[Any, Any, None]]) -> None:
    asyncio.run(test())


def test_a_request_waiting_for_its_host_holds_no_global_slot() -> None:
    """200 links on one host, 2 at a time: the others queue for the host without holding a slot
    of the cap (8), so a request to another host (GitHub, unpaced) goes out at once."""

    async def main() -> None:
        server = SlowHosts({"links.example"})
        http = Http(HttpSettings(max_concurrency=8, per_host=2), client=server.client())
        links = [
            asyncio.create_task(http.send("web", "HEAD", f"https://links.example/{i}"))
            for i in range(200)
        ]
        try:
            assert await settle(lambda: server.started["links.example"] == 2)
            api = asyncio.create_task(http.send("github", "POST", "https://api.github.example/q"))
            assert await settle(api.done), "the API request waited behind the queued links"
            assert api.result().status_code == 200
            assert server.in_flight["links.example"] == 2  # the links are still held
            assert not server.release.is_set()
        finally:
            server.release.set()
            await asyncio.gather(*links)
            await http.close()
        assert server.started["links.example"] == 200

    run(main)


def test_a_paced_request_finds_a_slot_while_slow_links_fill_the_rest() -> None:
    """One slow host allowed as many connections as the cap itself: its links take all the
    slots unpaced requests may, and arXiv's next batch still goes out without waiting."""

    async def main() -> None:
        cap = 8
        server = SlowHosts({"links.example"})
        http = Http(HttpSettings(max_concurrency=cap, per_host=cap), client=server.client())
        links = [
            asyncio.create_task(http.send("web", "GET", f"https://links.example/{i}"))
            for i in range(50)
        ]
        try:
            unpaced = cap - PACED_RESERVE
            assert await settle(lambda: server.started["links.example"] == unpaced)
            assert not await settle(lambda: server.started["links.example"] > unpaced, 200)
            batch = asyncio.create_task(
                http.send("arxiv", "GET", "https://export.arxiv.example/api", pacer=Pacer(0.0))
            )
            assert await settle(batch.done), "arXiv's request waited for a global slot"
            assert batch.result().status_code == 200
            assert server.in_flight["links.example"] == unpaced
        finally:
            server.release.set()
            await asyncio.gather(*links)
            await http.close()

    run(main)


def test_the_global_cap_bounds_every_request_in_flight() -> None:
    """Slow links on many hosts and more slow paced services than the reserve: never more than
    the cap in flight, the links never more than the cap less the reserve, and all finish."""

    async def main() -> None:
        cap = 8
        apis = {f"api{k}.example" for k in range(PACED_RESERVE + 2)}
        hosts = {f"host{k}.example" for k in range(10)}
        server = SlowHosts(hosts | apis)
        http = Http(HttpSettings(max_concurrency=cap, per_host=2), client=server.client())
        tasks = [
            asyncio.create_task(http.send("web", "HEAD", f"https://{host}/{i}"))
            for host in sorted(hosts)
            for i in range(3)
        ]
        tasks += [
            asyncio.create_task(http.send(api, "GET", f"https://{api}/", pacer=Pacer(0.0)))
            for api in sorted(apis)
        ]

        def links() -> int:
            return sum(server.in_flight[h] for h in hosts)

        try:
            assert await settle(lambda: sum(server.in_flight.values()) == cap)
            assert not await settle(lambda: sum(server.in_flight.values()) > cap, 200)
            assert links() == cap - PACED_RESERVE
            assert sum(server.in_flight[a] for a in apis) == PACED_RESERVE
        finally:
            server.release.set()
            answers = await asyncio.gather(*tasks)
            await http.close()
        assert all(a.status_code == 200 for a in answers)
        assert server.peak == cap
        assert sum(server.started.values()) == len(tasks)

    run(main)


def test_a_cap_of_one_still_lets_every_request_through() -> None:
    """With `--max-concurrency 1` there is no slot to reserve: links and paced requests share
    the one slot, in turn."""

    async def main() -> None:
        server = SlowHosts(set())
        http = Http(HttpSettings(max_concurrency=1), client=server.client())
        try:
            answers = await asyncio.gather(
                *(http.send("web", "HEAD", f"https://links.example/{i}") for i in range(5)),
                http.send("arxiv", "GET", "https://export.arxiv.example/", pacer=Pacer(0.0)),
            )
        finally:
            await http.close()
        assert [a.status_code for a in answers] == [200] * 6
        assert server.peak == 1

    run(main)
