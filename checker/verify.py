"""The network side: plan what to ask → ask every service at once, in batches → judge.

Every service runs concurrently under one event loop and one HTTP client; arXiv is paced on its
own (its terms ask for one request every three seconds), so the others finish inside its floor.
Answers already fresh in the cache are not asked again; `--offline` asks nothing at all.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import os
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from checker.cache import Cache, default_path
from checker.config import Options
from checker.evidence import Evidence
from checker.links import private_host
from checker.model import Document, Finding, LinkKind
from checker.rules import arxiv as arxiv_rules
from checker.rules import finding
from checker.rules import github as github_rules
from checker.rules import links as link_rules
from checker.rules import venue as venue_rules
from checker.services.arxiv import ArxivPaper, ArxivService
from checker.services.github import GithubService, RepoState
from checker.services.http import Http, HttpSettings, Unavailable
from checker.services.scholar import DblpRecord, DblpService, S2Paper, SemanticScholarService
from checker.services.web import LinkStatus, WebService
from checker.titles import normalize_title
from checker.venues import VenueTable

ARXIV_RULES = ("arxiv-not-found", "arxiv-withdrawn", "title-mismatch")
VENUE_RULES = ("venue-mismatch", "venue-missing")
GITHUB_RULES = ("github-not-found", "github-moved", "github-archived")
WEB_RULES = ("link-broken", "link-redirect", "link-private")
NEVER_FETCHED = ("arxiv.org", "www.arxiv.org", "export.arxiv.org")  # verified via the API only


@dataclass
class Plan:
    arxiv: set[str] = field(default_factory=set)
    s2: set[str] = field(default_factory=set)
    repos: dict[str, str] = field(default_factory=dict)  # lower → as written
    urls: set[str] = field(default_factory=set)


def make_plan(docs: list[Document], options: Options) -> Plan:
    plan = Plan()
    wants = options.enabled
    exclude = [re.compile(p) for p in options.exclude]
    for doc in docs:
        for link in doc.links:
            if any(p.search(link.url) for p in exclude):
                continue
            if link.kind is LinkKind.ARXIV and link.arxiv_id:
                if any(wants(r) for r in (*ARXIV_RULES, *VENUE_RULES)):
                    plan.arxiv.add(link.arxiv_id)
            elif link.kind is LinkKind.GITHUB and link.repo:
                if any(wants(r) for r in GITHUB_RULES):
                    plan.repos.setdefault(link.repo.lower(), link.repo)
            elif link.kind is LinkKind.WEB and any(wants(r) for r in WEB_RULES):
                host = (urlsplit(link.url).hostname or "").lower()
                if host in NEVER_FETCHED or (private_host(link.url) and not options.allow_private):
                    continue
                plan.urls.add(link.url)
        if any(wants(r) for r in VENUE_RULES):
            for entry in doc.entries:
                primary = entry.primary_arxiv
                if primary and primary.arxiv_id and (entry.venue or entry.has_venue_slot):
                    plan.s2.add(primary.arxiv_id)
    return plan


# ---------------------------------------------------------------------------------------------
# Cache round trips


def _load(cache: Cache, kind: str, keys: set[str], build: Callable[[Any], Any]) -> dict[str, Any]:
    out = {}
    for key, value in cache.get_many(kind, sorted(keys)).items():
        try:
            out[key] = build(value)
        except (TypeError, ValueError, AttributeError):
            continue  # written by another version: ask again
    return out


def from_cache(plan: Plan, cache: Cache, ev: Evidence) -> Plan:
    """Fill the evidence with fresh cached answers; return what is left to ask."""
    ev.arxiv.update(_load(cache, "arxiv", plan.arxiv, _cached_paper))
    ev.arxiv_missing.update(cache.get_many("arxiv-missing", sorted(plan.arxiv)))
    ev.github.update(_load(cache, "github", set(plan.repos), lambda v: RepoState(**v)))
    ev.web.update(_load(cache, "web", plan.urls, lambda v: LinkStatus(**v)))
    ev.s2.update(_load(cache, "s2", plan.s2, lambda v: S2Paper(**_tuples(v)) if v else None))
    return Plan(
        arxiv={i for i in plan.arxiv if i not in ev.arxiv and i not in ev.arxiv_missing},
        s2={i for i in plan.s2 if i not in ev.s2},
        repos={k: v for k, v in plan.repos.items() if k not in ev.github},
        urls={u for u in plan.urls if u not in ev.web},
    )


def _cached_paper(value: dict[str, Any]) -> ArxivPaper:
    if "abstract" not in value:
        # written before abstracts were kept: ask again, so that a name is looked for in it
        raise ValueError("no abstract")
    return ArxivPaper(**value)


def _tuples(value: dict[str, Any]) -> dict[str, Any]:
    return {k: tuple(v) if isinstance(v, list) else v for k, v in value.items()}


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    return value


# ---------------------------------------------------------------------------------------------
# Asking


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
) -> dict[str, int]:
    settings = HttpSettings(timeout=options.timeout, max_concurrency=options.max_concurrency)
    http = Http(settings)
    ep = options.endpoints
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
    try:
        await asyncio.gather(
            _ask_arxiv(
                ArxivService(http, ep.arxiv, options.arxiv_delay),
                plan,
                ev,
                cache,
                progress.advance("arXiv"),
            ),
            _ask_github(
                GithubService(http, ep.github, ep.github_token),
                plan,
                ev,
                cache,
                progress.advance("GitHub"),
            ),
            _ask_venues(
                SemanticScholarService(http, ep.s2, ep.s2_key),
                DblpService(http, ep.dblp, _dblp_delay()),
                plan,
                ev,
                cache,
                docs,
                table,
                progress.advance("venues"),
            ),
            _ask_web(
                WebService(http, options.allow_private), plan, ev, cache, progress.advance("links")
            ),
        )
    finally:
        progress.stop()
        await http.close()
    return http.requests


def _dblp_delay() -> float:
    try:
        return max(0.0, float(os.environ.get("PAPERLINT_DBLP_DELAY", "1.0")))
    except ValueError:
        return 1.0


async def _ask_arxiv(
    service: ArxivService, plan: Plan, ev: Evidence, cache: Cache, step: Callable[[int], None]
) -> None:
    if not plan.arxiv:
        return
    answer = await service.fetch(plan.arxiv, step)
    ev.arxiv.update(answer.found)
    ev.arxiv_missing |= answer.missing
    ev.arxiv_rejected |= answer.rejected
    ev.lost("arXiv", answer.unavailable)
    cache.put_many("arxiv", {k: _plain(v) for k, v in answer.found.items()})
    cache.put_many("arxiv-missing", dict.fromkeys(answer.missing, True))


async def _ask_github(
    service: GithubService, plan: Plan, ev: Evidence, cache: Cache, step: Callable[[int], None]
) -> None:
    if not plan.repos:
        return
    answer = await service.fetch(plan.repos.values(), step)
    ev.github.update(answer.found)
    ev.lost("GitHub", answer.unavailable)
    cache.put_many("github", {k: _plain(v) for k, v in answer.found.items()})


async def _ask_venues(
    s2: SemanticScholarService,
    dblp: DblpService,
    plan: Plan,
    ev: Evidence,
    cache: Cache,
    docs: list[Document],
    table: VenueTable,
    step: Callable[[int], None],
) -> None:
    if plan.s2:
        answer = await s2.fetch(plan.s2, step)
        ev.s2.update(answer.found)
        ev.lost("Semantic Scholar", answer.unavailable)
        cache.put_many("s2", {k: _plain(v) for k, v in answer.found.items()})
    titles = dblp_titles(docs, table, ev)
    load_dblp(cache, titles, ev)
    for key, (title, ids) in titles.items():
        if key in ev.dblp:
            continue
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
        cache.put_many("dblp", {key: [_plain(r) for r in ev.dblp[key]]})


def dblp_titles(
    docs: list[Document], table: VenueTable, ev: Evidence
) -> dict[str, tuple[str, list[str]]]:
    """Titles only DBLP can settle, by normalised title, with the arXiv IDs they stand for."""
    titles: dict[str, tuple[str, list[str]]] = {}
    for doc in docs:
        for entry in doc.entries:
            primary = entry.primary_arxiv
            if primary is None or primary.arxiv_id is None:
                continue
            title = venue_rules.dblp_title_wanted(entry, table, ev.s2.get(primary.arxiv_id))
            if title:
                titles.setdefault(normalize_title(title), (title, []))[1].append(primary.arxiv_id)
    return titles


def load_dblp(cache: Cache, titles: dict[str, tuple[str, list[str]]], ev: Evidence) -> None:
    for key, records in cache.get_many("dblp", sorted(titles)).items():
        ev.dblp[key] = [DblpRecord(**r) for r in records]


async def _ask_web(
    service: WebService, plan: Plan, ev: Evidence, cache: Cache, step: Callable[[int], None]
) -> None:
    if not plan.urls:
        return

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
        for status in failed:
            del ev.web[status.url]
        ev.lost("web", {s.url: "no connection to any host (is the network down?)" for s in failed})
        return
    for url in plan.urls:
        status = ev.web[url]
        if status.unverified:
            del ev.web[url]
            ev.lost("web", {url: status.unverified})
    cache.put_many(
        "web",
        {
            u: _plain(s)
            for u, s in ev.web.items()
            if u in plan.urls and (s.ok or s.status in (404, 410))
        },
    )


# ---------------------------------------------------------------------------------------------
# Judging


def judge(docs: list[Document], ev: Evidence, table: VenueTable) -> Iterator[Finding]:
    ctx = venue_rules.VenueContext(table=table, this_year=dt.date.today().year)
    for doc in docs:
        yield from arxiv_rules.arxiv_not_found(doc, ev)
        yield from arxiv_rules.arxiv_withdrawn(doc, ev)
        yield from arxiv_rules.title_mismatch(doc, ev)
        yield from github_rules.github_findings(doc, ev)
        yield from link_rules.web_findings(doc, ev)
        yield from venue_rules.venue_online(doc, ctx, ev)
        yield from unavailable_findings(doc, ev)


def followed(ev: Evidence, options: Options) -> Evidence:
    """The evidence plus what it already says about the targets a fix leads to, for judging a
    fixed text without asking again: a moved repository's new name answers as the old one did
    (GitHub answered for it: the name, whether archived), and a permanent redirect's final URL
    answers as the chain ended. Nothing else is guessed, nothing the configuration excludes is
    added, and nothing of this is cached."""
    exclude = [re.compile(p) for p in options.exclude]
    out = dataclasses.replace(ev, github=dict(ev.github), web=dict(ev.web))
    for key, state in ev.github.items():
        url = f"https://github.com/{state.name}"
        if state.exists and state.name.lower() != key and not any(p.search(url) for p in exclude):
            out.github.setdefault(state.name.lower(), state)
    for status in ev.web.values():
        final = status.moved_to
        if status.ok and final and not any(p.search(final) for p in exclude):
            out.web.setdefault(final, LinkStatus(final, ok=True, status=status.status))
    return out


def unavailable_findings(doc: Document, ev: Evidence) -> Iterator[Finding]:
    """One warning per service and reason, at the first entry it left unverified."""
    for service, items in ev.unavailable.items():
        by_reason: dict[str, list[int]] = {}
        for link in doc.links:
            key = _item_key(service, link)
            if key is not None and key in items:
                by_reason.setdefault(items[key], []).append(link.line)
        for reason, lines in by_reason.items():
            count = len(set(lines))
            what = "line" if count == 1 else "lines"
            yield finding(
                "service-unavailable",
                doc.path,
                min(lines),
                1,
                f"{service} could not be asked ({reason}): {count} {what} unverified, not failed",
            )


def _item_key(service: str, link: Any) -> str | None:
    if service == "arXiv":
        return str(link.arxiv_id) if link.arxiv_id else None
    if service == "GitHub":
        return str(link.repo).lower() if link.repo else None
    if service == "web":
        return str(link.url)
    if service in ("Semantic Scholar", "DBLP"):
        return str(link.arxiv_id) if link.arxiv_id else None
    return None


def verify(
    docs: list[Document], options: Options, ev: Evidence | None = None
) -> tuple[list[Finding], int, dict[str, int]]:
    """Online findings, how many items stayed unverified, and requests sent per service.
    `ev` (optional) receives the evidence: the engine keeps it, so that --nightly reads which
    targets went unanswered and --fix re-judges a fixed text without asking again (`judge`)."""
    table = VenueTable(options.venues)
    cache_path = None if options.no_cache else Path(options.cache or default_path())
    cache = Cache(cache_path)
    ev = Evidence() if ev is None else ev
    requests: dict[str, int] = {}
    try:
        left = from_cache(make_plan(docs, options), cache, ev)
        if options.offline:
            load_dblp(cache, dblp_titles(docs, table, ev), ev)
        else:
            requests = asyncio.run(ask(left, options, ev, cache, docs, table))
    finally:
        cache.close()
    kinds = {"arXiv": "paper", "Semantic Scholar": "paper", "DBLP": "paper", "GitHub": "repo"}
    unverified = len(
        {
            (kinds.get(service, service), key)
            for service, items in ev.unavailable.items()
            for key in items
        }
    )
    return list(judge(docs, ev, table)), unverified, requests
