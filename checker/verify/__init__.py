"""The network side: plan what to ask → ask every service at once, in batches → judge.

Every service runs concurrently under one event loop and one HTTP client; arXiv is paced on its
own (its terms ask for one request every three seconds), so the others finish inside its floor.
Answers already fresh in the cache are not asked again; `--offline` asks nothing at all. A run
that finds every answer in the cache loads no part of the network side (httpx, the arXiv parser,
an event loop): a warm run answers in a blink.
"""

from __future__ import annotations

from contextlib import suppress
from typing import TYPE_CHECKING

from checker.cache import Cache, cache_path

if TYPE_CHECKING:
    from checker.config import Options
    from checker.evidence import Evidence
    from checker.model import Document, Finding
    from checker.venues import VenueTable
    from checker.verify.network import Network

__all__ = ["ARXIV_RULES", "GITHUB_RULES", "VENUE_RULES", "WEB_RULES", "verify"]

# The rules each service answers for. Here, where nothing else is loaded: the early start reads
# them before the list is parsed (early.py), and the plan, judging and the rest load only after.
ARXIV_RULES = ("arxiv-not-found", "arxiv-withdrawn", "title-mismatch")
VENUE_RULES = ("venue-mismatch", "venue-missing")
GITHUB_RULES = ("github-not-found", "github-moved", "github-archived")
WEB_RULES = ("link-broken", "link-redirect", "link-private")


def verify(
    docs: list[Document],
    options: Options,
    table: VenueTable,
    ev: Evidence,
    network: Network | None = None,
) -> tuple[list[Finding], int, dict[str, int]]:
    """Online findings, how many items stayed unverified, and requests sent per service.
    `table` is the run's own, so one table (and its parse memo) judges the whole run. `ev`
    receives the evidence: the engine keeps it, so that --nightly reads which targets went
    unanswered and --fix re-judges a fixed text without asking again (`judge`). `network`: the
    run's, started before the parse with arXiv's first batches (early.py); closed here."""
    from checker.verify.judge import judge

    cache = Cache(cache_path(options), read_only=options.offline)  # --offline writes nothing
    try:
        requests = _ask(docs, options, table, ev, cache, network)
    except BaseException:
        cache.close()
        raise
    closed = cache.close_meanwhile()  # judged meanwhile
    try:
        findings = list(judge(docs, ev, table))
    except BaseException:
        with suppress(Exception):  # the judging's error is the one to tell
            closed()
        raise
    closed()
    kinds = {"arXiv": "paper", "Semantic Scholar": "paper", "DBLP": "paper", "GitHub": "repo"}
    unverified = len(
        {
            (kinds.get(service, service), key)
            for service, items in ev.unavailable.items()
            for key in items
        }
    )
    return findings, unverified, requests


def _ask(
    docs: list[Document],
    options: Options,
    table: VenueTable,
    ev: Evidence,
    cache: Cache,
    network: Network | None,
) -> dict[str, int]:
    """What the cache holds, then what it does not, asked: requests sent per service."""
    from checker.verify.plan import dblp_titles, make_plan
    from checker.verify.stored import from_cache, load_dblp

    requests: dict[str, int] = {}
    try:
        left = from_cache(make_plan(docs, options), cache, ev)
        settled = False  # every answer at hand: nothing to ask
        if options.offline or left.empty:
            # DBLP's titles follow from Semantic Scholar's answers, all in hand by now
            titles = dblp_titles(docs, table, ev)
            load_dblp(cache, titles, ev)
            settled = options.offline or all(key in ev.dblp for key in titles)
        if network is not None:  # already asking (arXiv's first batches): it goes on there
            from checker.verify.ask import ask

            requests = network.run(ask(left, options, ev, cache, docs, table, network))
        elif not settled:  # the network side is loaded only when something is to be asked
            import asyncio

            from checker.verify.ask import ask

            requests = asyncio.run(ask(left, options, ev, cache, docs, table))
    finally:
        if network is not None:  # every task it runs ends before the cache they write closes
            network.close()
    return requests
