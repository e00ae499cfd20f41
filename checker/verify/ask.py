"""Asking: every service at once under one event loop and one HTTP client, each in its batches.

arXiv is paced on its own (its terms ask for one request every three seconds), so the others
finish inside its floor. What is asked is stored, so the next run asks only what is new or stale.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import math
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from checker.cache import WRITE_STEP, Cache
from checker.config import ARXIV_DELAY_BOUNDS, Options
from checker.evidence import Evidence
from checker.model import Document
from checker.services.arxiv import BATCH as ARXIV_BATCH
from checker.services.arxiv import ArxivAnswer, ArxivService
from checker.services.github import GithubService
from checker.services.http import Pacer, Unavailable
from checker.services.scholar import DblpService, SemanticScholarService
from checker.services.web import WebService
from checker.venues import VenueTable
from checker.verify.network import clients
from checker.verify.plan import Plan, dblp_titles
from checker.verify.stored import load_dblp, plain

if TYPE_CHECKING:
    from checker.verify.network import Network


class _Progress:
    """A rich progress bar on a terminal, nothing elsewhere."""

    def __init__(self, enabled: bool, totals: dict[str, int]) -> None:
        self.bar: Any = None
        self.tasks: dict[str, Any] = {}
        if not enabled or not any(totals.values()):
            return
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

        self.bar = Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        for name, total in totals.items():
            if total:
                self.tasks[name] = self.bar.add_task(name, total=total)
        self.bar.start()

    def advance(self, name: str) -> Callable[[int], None]:
        def step(n: int) -> None:
            if self.bar is not None and name in self.tasks:
                self.bar.advance(self.tasks[name], n)

        return step

    def stop(self) -> None:
        if self.bar is not None:
            self.bar.stop()


async def ask(
    plan: Plan,
    options: Options,
    ev: Evidence,
    cache: Cache,
    docs: list[Document],
    table: VenueTable,
    network: Network | None = None,
) -> dict[str, int]:
    """`network`: the run's network, started before the parse with arXiv's first batches
    (early.py); its client is used and left open."""
    ep = options.endpoints
    http, arxiv, s2 = (
        (network.http, network.arxiv, network.s2) if network is not None else clients(options)
    )
    show = options.progress and sys.stderr.isatty()
    progress = _Progress(
        show,
        {
            "arXiv": len(plan.arxiv),
            "GitHub": len(plan.repos),
            "venues": len(plan.s2),
            "links": len(plan.urls),
        },
    )
    # The paced chains (arXiv's batches; Semantic Scholar then DBLP's searches, one by one) set
    # the run's floor; the rest has seconds to spare. It begins (`rest`) once their first
    # requests are on their way, so that two hundred links starting, or the first answers read,
    # never hold back a paced request or the reading of its answer.
    # (A run that did not start early goes on as it always did: everything at once.)
    paced, rest = asyncio.Event(), asyncio.Event()
    if network is None:
        rest.set()
    dblp = DblpService(http, ep.dblp, _dblp_delay())
    try:
        await asyncio.gather(
            _release(paced, [arxiv.pacer, dblp.pacer], rest),
            _load_after_answers(rest),
            _ask_arxiv(arxiv, plan, ev, cache, progress.advance("arXiv"), network, rest),
            _ask_github(
                GithubService(http, ep.github, ep.github_token),
                plan,
                ev,
                cache,
                progress.advance("GitHub"),
                rest,
            ),
            _ask_venues(
                s2,
                dblp,
                plan,
                ev,
                cache,
                docs,
                table,
                progress.advance("venues"),
                network,
                paced,
            ),
            _ask_web(
                WebService(http, options.allow_private),
                plan,
                ev,
                cache,
                progress.advance("links"),
                rest,
            ),
        )
    finally:
        progress.stop()
        if network is None:
            await http.close()
    return http.requests


# The rest takes this long to start, about (two hundred links, the first answers read): when a
# paced service's next request would be on its way meanwhile, the rest waits for its answer, so
# long at most beyond its turn, so that a slow service does not hold it back (`_release`)
START_TIME = 0.25


async def _release(paced: asyncio.Event, pacers: list[Pacer], rest: asyncio.Event) -> None:
    """In a run that started early (arXiv's batches are its floor), the rest begins once the
    paced chains' first requests are on their way, and between two requests of each paced
    service (arXiv's, DBLP's), so that reading an answer, which the next pause counts from,
    never waits behind the rest starting."""
    if rest.is_set():
        return
    try:
        await paced.wait()
        for pacer in pacers:
            if (quiet := pacer.quiet_for()) < START_TIME:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(pacer.next_answer(), quiet + START_TIME)
    finally:
        rest.set()


# What a run loads once the last answer has come: judging compares titles (rapidfuzz), then the
# repairs and the fixes are planned. Loaded while the answers come in, not after the last one.
AFTER_ANSWERS = ("rapidfuzz.fuzz", "checker.verify.repair", "checker.fix")


async def _load_after_answers(begin: asyncio.Event) -> None:
    await begin.wait()
    for name in AFTER_ANSWERS:  # in a thread: the event loop goes on meanwhile
        with contextlib.suppress(ImportError):  # raised again where it is used, if it is
            await asyncio.to_thread(importlib.import_module, name)


def _dblp_delay() -> float:
    """PAPERLINT_DBLP_DELAY, within --arxiv-delay's bounds (a delay of hours would stall the
    run); 1 s, DBLP's own ask, when it is not a number."""
    low, high = ARXIV_DELAY_BOUNDS
    try:
        delay = float(os.environ.get("PAPERLINT_DBLP_DELAY", "1.0"))
    except ValueError:
        return 1.0
    return min(max(low, delay), high) if math.isfinite(delay) else 1.0


async def _ask_arxiv(
    service: ArxivService,
    plan: Plan,
    ev: Evidence,
    cache: Cache,
    step: Callable[[int], None],
    network: Network | None,
    begin: asyncio.Event,
) -> None:
    todo = sorted(plan.arxiv)
    first: asyncio.Future[None] | None = None
    if network is not None and (begun := network.planned()):  # asked while the list was parsed
        # read as they come, beside the rest: each batch goes when arXiv's pause allows (an
        # interrupted run's network cancels it with every other task: Network.close)
        first = asyncio.ensure_future(_take_first(network, plan, ev, cache, step, begin))
        todo = [i for i in todo if i not in begun]
    for start in range(0, len(todo), ARXIV_BATCH):
        # batch by batch, each stored while the next waits its turn: after the last answer
        # (the run's floor) only that batch is left to store
        _take(await service.fetch(todo[start : start + ARXIV_BATCH], step), ev, cache)
    if first is not None:
        await first


async def _take_first(
    network: Network,
    plan: Plan,
    ev: Evidence,
    cache: Cache,
    step: Callable[[int], None],
    begin: asyncio.Event,
) -> None:
    await begin.wait()
    async for answer in network.first_answers():
        # an ID the glance read and the parse did not (a link in an HTML comment) is no
        # paper of the list's: neither found missing nor left unverified
        _take(_within(answer, plan.arxiv), ev, cache)
        done = answer.found.keys() | answer.missing | answer.rejected | answer.unavailable.keys()
        step(len(plan.arxiv & done))


def _within(answer: ArxivAnswer, ids: set[str]) -> ArxivAnswer:
    return ArxivAnswer(
        found={k: v for k, v in answer.found.items() if k in ids},
        missing=answer.missing & ids,
        rejected=answer.rejected & ids,
        unavailable={k: v for k, v in answer.unavailable.items() if k in ids},
    )


def _take(answer: ArxivAnswer, ev: Evidence, cache: Cache) -> None:
    ev.arxiv.update(answer.found)
    ev.arxiv_missing |= answer.missing
    ev.arxiv_rejected |= answer.rejected
    ev.lost("arXiv", answer.unavailable)
    cache.put_many("arxiv", {k: plain(v) for k, v in answer.found.items()})
    cache.put_many("arxiv-missing", dict.fromkeys(answer.missing, True))


async def _ask_github(
    service: GithubService,
    plan: Plan,
    ev: Evidence,
    cache: Cache,
    step: Callable[[int], None],
    begin: asyncio.Event,
) -> None:
    if not plan.repos:
        return
    await begin.wait()
    answer = await service.fetch(plan.repos.values(), step)
    ev.github.update(answer.found)
    ev.lost("GitHub", answer.unavailable)
    await _store(cache, "github", answer.found)


async def _ask_venues(
    s2: SemanticScholarService,
    dblp: DblpService,
    plan: Plan,
    ev: Evidence,
    cache: Cache,
    docs: list[Document],
    table: VenueTable,
    step: Callable[[int], None],
    network: Network | None,
    paced: asyncio.Event,
) -> None:
    todo = plan.s2
    stored: asyncio.Future[None] | None = None
    try:
        if network is not None and todo:
            if network.venues_on_their_way:
                paced.set()  # Semantic Scholar's first request, asked early, still on its way
            if (first := await network.first_venues()) is not None:
                # asked while the list was parsed, about every ID of its links: only the plan's
                asked = todo & network.venues_asked
                early = {k: v for k, v in first.found.items() if k in asked}
                ev.s2.update(early)
                unanswered = {k: v for k, v in first.unavailable.items() if k in asked}
                ev.lost("Semantic Scholar", unanswered)
                step(len(asked))
                # stored while DBLP's first search is on its way: its titles follow from them
                stored = asyncio.ensure_future(_store(cache, "s2", early))
                todo = todo - asked
        if todo:
            paced.set()  # Semantic Scholar's first request, under way
            answer = await s2.fetch(todo, step)
            ev.s2.update(answer.found)
            ev.lost("Semantic Scholar", answer.unavailable)
            await _store(cache, "s2", answer.found)
        await _ask_dblp(dblp, ev, cache, docs, table, paced)
    finally:
        paced.set()  # whatever happened, the rest goes on
        if stored is not None:
            await stored


async def _ask_dblp(
    dblp: DblpService,
    ev: Evidence,
    cache: Cache,
    docs: list[Document],
    table: VenueTable,
    paced: asyncio.Event,
) -> None:
    # off the event loop: over ten thousand entries it would hold back arXiv's next request
    titles = await asyncio.to_thread(dblp_titles, docs, table, ev)
    load_dblp(cache, titles, ev)
    for key, (title, ids) in titles.items():
        if key in ev.dblp:
            continue
        paced.set()  # DBLP's first search: it goes as far as it can before the rest begins
        try:
            ev.dblp[key] = await dblp.search(title)
        except Unavailable as exc:
            ev.lost("DBLP", dict.fromkeys(ids, exc.reason))
            if exc.status == 429 or "HTTP 5" in exc.reason or "text/html" in exc.reason:
                # rate limited or behind a bot wall: the rest would fare no better
                for k, (_, rest) in titles.items():
                    if k not in ev.dblp:
                        ev.lost("DBLP", dict.fromkeys(rest, exc.reason))
                break
            continue
        cache.put_many("dblp", {key: [plain(r) for r in ev.dblp[key]]})


async def _ask_web(
    service: WebService,
    plan: Plan,
    ev: Evidence,
    cache: Cache,
    step: Callable[[int], None],
    begin: asyncio.Event,
) -> None:
    if not plan.urls:
        return
    await begin.wait()

    async def one(url: str) -> None:
        ev.web[url] = await service.check(url)
        step(1)

    await asyncio.gather(*(one(u) for u in sorted(plan.urls)))
    asked = [ev.web[u] for u in plan.urls]
    failed = [
        s
        for s in asked
        if s.error and s.error.startswith(("connection failed", "DNS", "timed out"))
    ]
    if len(asked) >= 3 and len(failed) == len(asked):
        # Every link failed to connect: our own network is down, not the whole web.
        _unverified(ev, {s.url: "no connection to any host (is the network down?)" for s in failed})
        return
    untrusted = [s for s in asked if s.error and s.error.startswith("TLS")]
    if len(untrusted) >= 3 and not any(
        s.status is not None for s in asked if s.url.lower().startswith("https:")
    ):
        # No https link got an answer past its certificate check: this machine's trust store is
        # wrong (a proxy that intercepts TLS, SSL_CERT_FILE), not every site's certificate.
        _unverified(ev, {s.url: UNTRUSTED for s in untrusted})
    answers = [ev.web[u] for u in plan.urls if u in ev.web]
    _unverified(ev, {s.url: s.unverified for s in answers if s.unverified})
    await _store(
        cache,
        "web",
        {u: s for u, s in ev.web.items() if u in plan.urls and (s.ok or s.status in (404, 410))},
    )


def _unverified(ev: Evidence, reasons: dict[str, str]) -> None:
    """These links' answers are no evidence either way: out of the judging, each with why."""
    for url in reasons:
        del ev.web[url]
    ev.lost("web", reasons)


UNTRUSTED = (
    "no https link passed its certificate check here (is a proxy intercepting TLS, or "
    "SSL_CERT_FILE naming the wrong certificates?)"
)
STORE_STEP = WRITE_STEP  # answers written between two turns of the event loop


async def _store(cache: Cache, kind: str, answers: dict[str, Any]) -> None:
    """Store answers a few hundred at a time, letting the event loop turn in between: ten
    thousand written at once would hold back arXiv's next request, the run's floor."""
    keys = list(answers)
    for start in range(0, len(keys), STORE_STEP):
        if start:
            await asyncio.sleep(0)
        cache.put_many(kind, {k: plain(answers[k]) for k in keys[start : start + STORE_STEP]})
