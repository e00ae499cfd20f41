"""Published venues: Semantic Scholar's batch endpoint (≤500 IDs a request) and DBLP search.

Semantic Scholar names venues in full and often gives the preprint's year; DBLP abbreviates
(`NIPS`, `ACL (Findings)`) and knows the proceedings year but needs one query per title, so it is
asked only where Semantic Scholar cannot settle the question. Both answer 429 freely: back off,
and treat an HTML answer (DBLP's bot challenge) as "unavailable", never as "not found".
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from checker.services.http import Pacer, Unavailable, describe_failure

if TYPE_CHECKING:  # httpx is loaded when a request is made (services/http.py)
    from checker.services.http import Http

S2_BATCH = 500
S2_FIELDS = "title,venue,year,publicationVenue,journal,externalIds"


@dataclass(frozen=True)
class S2Paper:
    title: str
    venue: str  # "" when unknown; "arXiv.org" for preprints
    alternate_names: tuple[str, ...] = ()
    year: int | None = None
    journal: str | None = None
    dblp_key: str | None = None


@dataclass(frozen=True)
class DblpRecord:
    title: str
    venue: str
    year: int | None
    key: str
    kind: str  # DBLP's "type"

    @property
    def is_preprint(self) -> bool:
        return self.key.startswith("journals/corr/") or self.venue.lower() == "corr"


@dataclass
class S2Answer:
    found: dict[str, S2Paper | None] = field(default_factory=dict)  # None: unknown to S2
    unavailable: dict[str, str] = field(default_factory=dict)


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def s2_paper(obj: dict[str, Any]) -> S2Paper:
    """Read defensively: a field of an unexpected type counts as absent, never as a crash."""
    pv = _mapping(obj.get("publicationVenue"))
    journal = _mapping(obj.get("journal"))
    ext = _mapping(obj.get("externalIds"))
    alternates = pv.get("alternate_names")
    return S2Paper(
        title=str(obj.get("title") or ""),
        venue=str(obj.get("venue") or pv.get("name") or ""),
        alternate_names=tuple(
            str(n)
            for n in ([pv.get("name")] if pv.get("name") else [])
            + (list(alternates) if isinstance(alternates, list) else [])
        ),
        year=obj.get("year") if isinstance(obj.get("year"), int) else None,
        journal=str(journal.get("name")) if journal.get("name") else None,
        dblp_key=str(ext["DBLP"]) if ext.get("DBLP") else None,
    )


class SemanticScholarService:
    name = "Semantic Scholar"

    def __init__(self, http: Http, base: str, key: str | None) -> None:
        self.http = http
        self.base = base.rstrip("/")
        self.key = key
        self.pacer = Pacer(1.0 if key else 0.0)  # keys get 1 request/s on /paper/batch
        http.cap_host(self.base, 1)

    async def fetch(
        self, ids: Iterable[str], progress: Callable[[int], None] | None = None
    ) -> S2Answer:
        import httpx

        answer = S2Answer()
        todo = sorted(set(ids))
        headers = {"x-api-key": self.key} if self.key else {}
        for start in range(0, len(todo), S2_BATCH):
            batch = todo[start : start + S2_BATCH]
            try:
                response = await self.http.send(
                    "s2",
                    "POST",
                    f"{self.base}/paper/batch",
                    params={"fields": S2_FIELDS},
                    json={"ids": [f"ARXIV:{i}" for i in batch]},
                    headers=headers,
                    pacer=self.pacer,
                )
                body = response.json() if response.status_code == 200 else None
            except (Unavailable, httpx.HTTPError, ValueError) as exc:
                reason = describe_failure(exc)
                answer.unavailable.update(dict.fromkeys(batch, reason))
                body = None
            else:
                if not isinstance(body, list) or len(body) != len(batch):
                    answer.unavailable.update(
                        dict.fromkeys(batch, f"unexpected answer (HTTP {response.status_code})")
                    )
                    body = None
            if body is not None:
                for arxiv_id, obj in zip(batch, body, strict=False):
                    answer.found[arxiv_id] = s2_paper(obj) if isinstance(obj, dict) else None
            if progress:
                progress(len(batch))
        return answer


class DblpService:
    name = "DBLP"

    def __init__(self, http: Http, url: str, delay: float) -> None:
        self.http = http
        self.url = url
        self.pacer = Pacer(delay)  # dblp's FAQ: a second or two between requests
        http.cap_host(url, 1)

    async def search(self, title: str) -> list[DblpRecord]:
        """Records whose title is this title; raises Unavailable when DBLP cannot say."""
        import httpx

        query = " ".join(title.replace("$", " ").split())
        try:
            response = await self.http.send(
                "dblp",
                "GET",
                self.url,
                params={"q": query, "format": "json", "h": "10"},
                pacer=self.pacer,
            )
        except httpx.HTTPError as exc:
            raise Unavailable(self.name, describe_failure(exc)) from None
        kind = response.headers.get("content-type", "")
        if response.status_code != 200 or "json" not in kind:
            raise Unavailable(self.name, f"HTTP {response.status_code} ({kind or 'no type'})")
        try:
            hits = response.json()["result"]["hits"]
        except (ValueError, KeyError, TypeError):
            raise Unavailable(self.name, "unreadable answer") from None
        raw = _mapping(hits).get("hit", [])
        if isinstance(raw, dict):
            raw = [raw]
        records = []
        for hit in raw if isinstance(raw, list) else []:
            info = _mapping(hit.get("info")) if isinstance(hit, dict) else {}
            venue = info.get("venue", "")
            if isinstance(venue, list):
                venue = venue[0] if venue else ""
            year = str(info.get("year", ""))
            records.append(
                DblpRecord(
                    title=html.unescape(str(info.get("title", ""))).rstrip("."),
                    venue=str(venue),
                    year=int(year) if year.isdigit() else None,
                    key=str(info.get("key", "")),
                    kind=str(info.get("type", "")),
                )
            )
        return records
