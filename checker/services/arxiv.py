"""arXiv export API: ~100 IDs per request, one request at a time, `delay` seconds apart.

The HTTP goes through the shared client (async, retries that honour Retry-After, one User-Agent);
the Atom parsing is the `arxiv` package's own hardened lxml parser. We do not use `arxiv.Client`
itself: it is synchronous (requests), retries a 400 (which arXiv penalises) and ignores
Retry-After. Entries are matched back by their `<id>`, never by position, because the API drops
unknown IDs silently; a 400 (one bad ID spoils a batch) is isolated by halving the batch.

The parser (with the package, which loads `requests`) and httpx are imported when an answer is
to be read: a run that finds every paper in the cache loads neither.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from checker.services.http import Pacer, Unavailable, describe_failure

if TYPE_CHECKING:
    from checker.services.http import Http

BATCH = 100
Sent = tuple[bytes, int, str]  # an answer as it came: body, status, content type
_ENTRY_ID = re.compile(r"arxiv\.org/abs/(?P<id>.+?)(?:v(?P<v>\d+))?$")
_WITHDRAWN = re.compile(r"\b(?:withdrawn|withdrawal)\b", re.I)


@dataclass(frozen=True)
class ArxivPaper:
    arxiv_id: str
    version: int  # the latest version
    title: str
    journal_ref: str | None = None
    comment: str | None = None
    withdrawn: bool = False
    year: int = 0  # of the first version
    # the Atom <summary>; None when not known (an answer cached by a version that did not keep
    # it): a name is then never said to be absent from it
    abstract: str | None = None


@dataclass
class ArxivAnswer:
    found: dict[str, ArxivPaper] = field(default_factory=dict)
    missing: set[str] = field(default_factory=set)
    rejected: set[str] = field(default_factory=set)  # arXiv answered 400 for this ID alone
    unavailable: dict[str, str] = field(default_factory=dict)  # id → reason


def paper_from_result(result: object) -> ArxivPaper | None:
    m = _ENTRY_ID.search(str(getattr(result, "entry_id", "")))
    if not m:
        return None
    comment = getattr(result, "comment", None)
    summary = str(getattr(result, "summary", "") or "")
    withdrawn = bool(comment and _WITHDRAWN.search(comment)) or summary.lstrip().lower().startswith(
        (
            "this paper has been withdrawn",
            "this submission has been withdrawn",
            "this article has been withdrawn",
            "withdrawn",
        )
    )
    published = getattr(result, "published", None)
    return ArxivPaper(
        arxiv_id=m.group("id"),
        version=int(m.group("v") or 1),
        title=" ".join(str(getattr(result, "title", "")).split()),
        journal_ref=getattr(result, "journal_ref", None),
        comment=comment,
        withdrawn=withdrawn,
        year=published.year if published is not None else 0,
        abstract=" ".join(summary.split()) or None,
    )


class ArxivService:
    name = "arXiv"

    def __init__(self, http: Http, url: str, delay: float) -> None:
        self.http = http
        self.url = url
        self.pacer = Pacer(delay)
        http.cap_host(url, 1)  # "a single connection at a time"

    async def fetch(
        self, ids: Iterable[str], progress: Callable[[int], None] | None = None
    ) -> ArxivAnswer:
        answer = ArxivAnswer()
        todo = sorted(set(ids))
        for start in range(0, len(todo), BATCH):
            batch = todo[start : start + BATCH]
            await self._batch(batch, answer)
            if progress:
                progress(len(batch))
        return answer

    async def answer(self, batch: list[str], sent: Awaitable[Sent]) -> ArxivAnswer:
        """The answer to `batch`, whose request `sent` is already on its way (verify/early.py)."""
        answer = ArxivAnswer()
        await self._batch(batch, answer, sent)
        return answer

    async def _batch(
        self, batch: list[str], answer: ArxivAnswer, sent: Awaitable[Sent] | None = None
    ) -> None:
        try:
            feed_bytes, status, kind = await (self.send(batch) if sent is None else sent)
        except Unavailable as exc:
            answer.unavailable.update(dict.fromkeys(batch, exc.reason))
            return
        if status == 400 or _is_error_feed(feed_bytes):
            # IDs are validated before we ask, so a 400 should name an ID arXiv reads differently;
            # set those aside and ask again for the rest. A 400 naming none is not about the IDs:
            # splitting the batch would only collect more 400s, which arXiv penalises.
            named = {i for i in batch if i.lower() in _rejected_ids(feed_bytes)}
            if not named:
                answer.unavailable.update(dict.fromkeys(batch, f"HTTP {status} from arXiv"))
                return
            answer.rejected |= named
            rest = [i for i in batch if i not in named]
            if rest:
                await self._batch(rest, answer)
            return
        # in a thread: reading a hundred papers (and, the first time, importing the parser)
        # would hold up every other service's requests on the event loop
        import asyncio

        feed = await asyncio.to_thread(atom_feed, feed_bytes, kind) if status == 200 else None
        if feed is None:
            reason = f"HTTP {status}" if status != 200 else "not an Atom feed"
            answer.unavailable.update(dict.fromkeys(batch, reason))
            return
        wanted = {i.lower(): i for i in batch}
        for result in feed.results:
            paper = paper_from_result(result)
            if paper and paper.arxiv_id.lower() in wanted:
                answer.found[wanted[paper.arxiv_id.lower()]] = paper
        absent = [i for i in batch if i not in answer.found]
        if absent and len(absent) == len(batch) > 1:
            # The new backend sometimes answers 200 with nothing instead of an error: a whole batch
            # of real-looking IDs vanishing is an outage, not a list full of typos.
            answer.unavailable.update(dict.fromkeys(absent, "empty answer for the whole batch"))
            return
        answer.missing.update(absent)

    async def send(self, batch: list[str]) -> Sent:
        """arXiv's answer to one batch as it came: the body, the status, the content type."""
        import httpx

        params = {"id_list": ",".join(batch), "start": "0", "max_results": str(len(batch))}
        try:
            response = await self.http.send(
                "arxiv", "GET", self.url, params=params, pacer=self.pacer
            )
        except httpx.HTTPError as exc:
            raise Unavailable(self.name, describe_failure(exc)) from None
        return response.content, response.status_code, response.headers.get("content-type", "")


_ERROR_ID = re.compile(rb"/api/errors#incorrect_id_format_for_([^<\s]+)")


def _rejected_ids(content: bytes) -> set[str]:
    return {m.decode("utf-8", "replace").lower() for m in _ERROR_ID.findall(content)}


def atom_feed(content: bytes, kind: str) -> Any | None:
    """arXiv's answer parsed, or None when it is not the Atom feed arXiv sends (a proxy's page,
    a truncated body): an outage, never "no such paper"."""
    from arxiv import _feed

    feed = _feed.parse(content)
    if feed.malformed or "xml" not in kind or b"totalResults" not in content:
        return None
    return feed


def _is_error_feed(content: bytes) -> bool:
    return b"/api/errors#" in content
