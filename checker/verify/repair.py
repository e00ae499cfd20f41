"""Repairs, asked: after judging, what the findings need to be repaired, asked once and cached.

A repair needs a verdict first — a link is gone, an ID belongs to another paper — so it is
planned from the findings (after `--nightly` has judged them: a suspect is not repaired),
answered from the cache where it can be, and asked only for the rest, never with `--offline`:

- the Wayback Machine's availability API, once per dead URL (`WAYBACK_PER_RUN` at most), with
  the time the link was last seen alive (the nightly history), else the file's last commit
  date, else no time at all;
- arXiv's title search, once per listed title (`SEARCHES_PER_RUN` at most), one request at a
  time with arXiv's spacing.

What is left over a cap is asked by the next run (the cache keeps what this one learned). An
outage ends that service's asking for the run and is reported as `service-unavailable` on the
findings it left unrepaired, never as a failure. `amend.py` writes the answers onto the findings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING

from checker.cache import Cache, cache_path
from checker.config import Options
from checker.evidence import Evidence
from checker.model import Document, Finding
from checker.services.arxiv import ArxivPaper
from checker.services.arxiv_search import ArxivTitleSearch
from checker.services.http import Http, HttpSettings, Unavailable
from checker.services.wayback import PER_HOST, Snapshot, WaybackService, snapshot_from
from checker.verify.amend import TITLE_SEARCH, WAYBACK, amend, archivable, id_repairs
from checker.verify.stored import plain

if TYPE_CHECKING:
    from checker.history import History
    from checker.nightly import Nightly

WAYBACK_PER_RUN = 100
SEARCHES_PER_RUN = 50


def repair(
    findings: list[Finding],
    docs: list[Document],
    options: Options,
    ev: Evidence,
    files: Mapping[str, str],
    nightly: Nightly | None = None,
) -> tuple[list[Finding], dict[str, int]]:
    """The findings amended with their repairs, and the requests sent per service.
    `files`: each document's path as given, by the name it is shown under (for git)."""
    urls = sorted({f.url for f in findings if f.url and archivable(f, ev, options.allow_private)})
    repairs = id_repairs(findings, docs, ev)
    queries = sorted({r.query for r in repairs.values()})
    requests: dict[str, int] = {}
    if urls or queries:
        cache = Cache(cache_path(options), read_only=options.offline)  # --offline writes nothing
        try:
            urls = [u for u in urls if u not in _load_copies(cache, urls, ev)]
            queries = [q for q in queries if q not in _load_titles(cache, queries, ev)]
            if not options.offline and (urls or queries):
                asked = urls[:WAYBACK_PER_RUN]
                since = _last_alive(asked, findings, options, files, nightly)
                import asyncio  # the network side, loaded only when something is to be asked

                requests = asyncio.run(
                    _ask(since, queries[:SEARCHES_PER_RUN], options, ev, cache)
                )
        finally:
            cache.close()
    return amend(findings, docs, ev, repairs), requests


# ---------------------------------------------------------------------------------------------
# The cache


def _load_copies(cache: Cache, urls: list[str], ev: Evidence) -> set[str]:
    found = set()
    for url, value in cache.get_many("wayback", urls).items():
        try:
            ev.wayback[url] = snapshot_from(value)
        except Unavailable:
            continue  # written by another version: ask again
        found.add(url)
    return found


def _store_copies(cache: Cache, answers: dict[str, Snapshot | None]) -> None:
    cache.put_many(
        "wayback",
        {
            url: {
                "archived_snapshots": (
                    {"closest": {"available": True, "status": "200", "timestamp": s.timestamp}}
                    if s is not None
                    else {}
                )
            }
            for url, s in answers.items()
        },
    )


def _load_titles(cache: Cache, queries: list[str], ev: Evidence) -> set[str]:
    found = set()
    for kind in ("arxiv-title", "arxiv-title-none"):
        for query, value in cache.get_many(kind, queries).items():
            try:
                ev.titles[query] = [ArxivPaper(**paper) for paper in value]
            except TypeError:
                continue  # written by another version: ask again
            found.add(query)
    return found


# ---------------------------------------------------------------------------------------------
# When the link was last alive


def _last_alive(
    urls: list[str],
    findings: list[Finding],
    options: Options,
    files: Mapping[str, str],
    nightly: Nightly | None,
) -> dict[str, str | None]:
    """For each URL the timestamp to ask the archive about (YYYYMMDDhhmmss): when the nightly
    history last saw it fine, else its file's last commit, else none (the latest copy)."""
    if not urls:
        return {}
    history = nightly.before if nightly is not None else _stored_history(options)
    file_of = {f.url: f.file for f in findings if f.rule == "link-broken"}
    commits: dict[str, str | None] = {}
    out: dict[str, str | None] = {}
    for url in urls:
        # by key, or by hashed key in a history read from the mirror
        target = history.lookup(f"url:{url}") if history is not None else None
        stamp = _stamp_iso(target.last_fine) if target is not None else None
        if stamp is None:
            shown = file_of.get(url, "")
            if shown not in commits:
                commits[shown] = last_commit(files.get(shown, shown)) if shown else None
            stamp = commits[shown]
        out[url] = stamp
    return out


def _stored_history(options: Options) -> History | None:
    """The nightly history of these files, when a nightly run kept one in the cache database."""
    from checker.history import HistoryStore
    from checker.nightly import Nightly

    store = HistoryStore(cache_path(options))
    try:
        return store.load(Nightly(options).scope)
    finally:
        store.close()


def _stamp_iso(text: str | None) -> str | None:
    if not text:
        return None
    try:
        when = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return when.astimezone(dt.timezone.utc).strftime("%Y%m%d%H%M%S")


def last_commit(path: str) -> str | None:
    """When git last committed `path` (YYYYMMDDhhmmss, UTC); None outside git or when git
    cannot say. Nothing of the repository's is run: `git log` with no signature check, from the
    top of the checkout (changes.in_checkout)."""
    from checker.changes import ChangesError, git_in, in_checkout, literal

    try:
        top, inside = in_checkout(path)
        done = git_in(
            top, "log", "-1", "--no-show-signature", "--format=%ct", "--", literal(inside),
            timeout=30,
        )  # fmt: skip
    except (ChangesError, ValueError):
        return None
    seconds = done.stdout.strip()
    if done.returncode != 0 or not seconds.isdigit():
        return None
    return dt.datetime.fromtimestamp(int(seconds), dt.timezone.utc).strftime("%Y%m%d%H%M%S")


# ---------------------------------------------------------------------------------------------
# Asking


async def _ask(
    since: dict[str, str | None],
    queries: list[str],
    options: Options,
    ev: Evidence,
    cache: Cache,
) -> dict[str, int]:
    import asyncio

    http = Http(HttpSettings(timeout=options.timeout, max_concurrency=options.max_concurrency))
    try:
        await asyncio.gather(
            _ask_archive(WaybackService(http, options.endpoints.wayback), since, ev, cache),
            _ask_titles(
                ArxivTitleSearch(http, options.endpoints.arxiv, options.arxiv_delay),
                queries,
                ev,
                cache,
            ),
        )
    finally:
        await http.close()
    return http.requests


async def _ask_archive(
    service: WaybackService, since: dict[str, str | None], ev: Evidence, cache: Cache
) -> None:
    """Two at a time (the service's own cap); the first refusal or outage ends the asking."""
    todo = sorted(since)
    answers: dict[str, Snapshot | None] = {}
    lost: dict[str, str] = {}

    async def worker() -> None:
        while todo and not lost:
            url = todo.pop(0)
            try:
                answers[url] = await service.closest(url, since[url])
            except Unavailable as exc:
                lost[url] = exc.reason

    import asyncio

    await asyncio.gather(*(worker() for _ in range(PER_HOST)))
    if lost:
        reason = next(iter(lost.values()))
        lost.update(dict.fromkeys(todo, reason))
        ev.repairs_unavailable.setdefault(WAYBACK, {}).update(lost)
    ev.wayback.update(answers)
    _store_copies(cache, answers)


async def _ask_titles(
    search: ArxivTitleSearch, queries: list[str], ev: Evidence, cache: Cache
) -> None:
    """One search at a time, paced; the first failure ends the searching for the run."""
    for i, query in enumerate(queries):
        try:
            papers = await search.search(query)
        except Unavailable as exc:
            lost = dict.fromkeys(queries[i:], exc.reason)
            ev.repairs_unavailable.setdefault(TITLE_SEARCH, {}).update(lost)
            return
        ev.titles[query] = papers
        kind = "arxiv-title" if papers else "arxiv-title-none"
        cache.put_many(kind, {query: [plain(p) for p in papers]})

