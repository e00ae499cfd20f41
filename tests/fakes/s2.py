"""Fake Semantic Scholar Graph API: `POST {base}/paper/batch?fields=...` with `{"ids": [...]}`
and `GET {base}/paper/{id}?fields=...`, base = `/graph/v1`.

The batch answer is a JSON array of the same length and order as `ids`, `null` where nothing is
known (recorded cassette). Objects hold `paperId` plus the requested fields only; an unknown field
name is a 400. `ARXIV:<id>` (any case of the prefix) takes the version-less ID; a versioned one
finds nothing. 429s carry no Retry-After, as observed.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from .wire import Reply, Request, json_reply
from .world import S2_VENUES, Venue, World, stable_int

if TYPE_CHECKING:
    from .server import FakeServices

PREFIX = "/graph/v1"
MAX_BATCH = 500
TOO_MANY = {
    "message": "Too Many Requests. Please wait and try again or apply for a key for higher rate "
    "limits. https://www.semanticscholar.org/product/api#api-key-form",
    "code": "429",
}
PAPER_FIELDS = {
    "paperId",
    "corpusId",
    "externalIds",
    "url",
    "title",
    "abstract",
    "venue",
    "publicationVenue",
    "year",
    "referenceCount",
    "citationCount",
    "influentialCitationCount",
    "isOpenAccess",
    "openAccessPdf",
    "fieldsOfStudy",
    "s2FieldsOfStudy",
    "publicationTypes",
    "publicationDate",
    "journal",
    "citationStyles",
    "authors",
    "citations",
    "references",
    "embedding",
    "tldr",
    "textAvailability",
}
NESTED = {"authors", "citations", "references", "embedding"}


def _dblp_key(venue: Venue) -> str | None:
    if venue.dblp_key:
        return venue.dblp_key
    if venue.dblp is None:
        if "." in venue.arxiv_id and "/" not in venue.arxiv_id:
            yymm, num = venue.arxiv_id.split(".", 1)
            return f"journals/corr/abs-{yymm}-{num}"
        return None
    keys = [h.key for h in venue.dblp]
    preferred = [k for k in keys if not k.startswith("journals/corr/")]
    return (preferred or keys)[0] if keys else None


def paper_json(world: World, venue: Venue) -> dict[str, Any]:
    """Every field the fake knows for one paper, in the order S2 sends them."""
    paper = world.paper(venue.arxiv_id)
    title = venue.title or (paper.title if paper else "")
    first = paper.version_date(1) if paper else None
    year = venue.s2_year if venue.s2_year is not None else (first.year if first else None)
    date = venue.publication_date or (first.date().isoformat() if first else None)
    external: dict[str, Any] = {}
    key = _dblp_key(venue)
    if key:
        external["DBLP"] = key
    external["ArXiv"] = venue.arxiv_id
    external["DOI"] = venue.doi or f"10.48550/arXiv.{venue.arxiv_id}"
    external["CorpusId"] = venue.corpus_id
    pub_venue = venue.publication_venue
    if isinstance(pub_venue, str):  # normally converted by Venue itself
        pub_venue = Venue(venue.arxiv_id, publication_venue=pub_venue).publication_venue
    assert not isinstance(pub_venue, str)
    if pub_venue is None and venue.s2_venue == "arXiv.org":
        pub_venue = S2_VENUES["arXiv.org"]
    names = paper.authors if paper else []
    authors = [{"authorId": str(stable_int(n, 1_000_000, 2_000_000_000)), "name": n} for n in names]
    journal = (
        venue.journal
        if venue.journal is not None
        else {"name": "ArXiv", "volume": f"abs/{venue.arxiv_id}"}
    )
    pid = venue.paper_id
    return {
        "paperId": pid,
        "externalIds": external,
        "corpusId": venue.corpus_id,
        "publicationVenue": pub_venue.to_json() if pub_venue else None,
        "url": f"https://www.semanticscholar.org/paper/{pid}",
        "title": title,
        "abstract": paper.abstract(1) if paper else None,
        "venue": venue.s2_venue,
        "year": year,
        "referenceCount": 40,
        "citationCount": 100,
        "influentialCitationCount": 10,
        "isOpenAccess": True,
        "openAccessPdf": {"url": f"https://arxiv.org/pdf/{venue.arxiv_id}", "status": "GREEN"},
        "fieldsOfStudy": ["Computer Science"],
        "s2FieldsOfStudy": [{"category": "Computer Science", "source": "external"}],
        "publicationTypes": list(venue.publication_types),
        "publicationDate": date,
        "journal": journal,
        "citationStyles": {"bibtex": f"@Article{{S2{pid[:8]},\n title = {{{title}}}\n}}\n"},
        "authors": authors,
        "citations": [],
        "references": [],
        "embedding": None,
        "tldr": None,
        "textAvailability": "fulltext",
    }


def _known_ids(world: World) -> list[str]:
    return list(
        dict.fromkeys(
            [
                *(p.arxiv_id for p in world.papers.values()),
                *(v.arxiv_id for v in world.venues.values()),
            ]
        )
    )


def lookup(world: World, raw: object) -> Venue | None:
    if not isinstance(raw, str):
        return None
    m = re.fullmatch(r"(?i)arxiv:(.+)", raw.strip())
    if m:
        venue = world.venue(m.group(1))
    else:
        m = re.fullmatch(r"(?i)corpusid:(\d+)", raw.strip())
        venue = None
        for arxiv_id in _known_ids(world):
            candidate = world.venue(arxiv_id)
            if candidate is None:
                continue
            if (m and candidate.corpus_id == int(m.group(1))) or candidate.paper_id == raw:
                venue = candidate
                break
    if venue is None or not venue.s2_known:
        return None
    return venue


def _fields(req: Request) -> tuple[list[str], Reply | None]:
    raw = req.query.get("fields")
    if raw is None or raw.strip() == "":
        return ["title"], None
    names = [f.strip() for f in raw.split(",") if f.strip()]
    unknown = [
        f
        for f in names
        if f.split(".", 1)[0] not in PAPER_FIELDS or ("." in f and f.split(".", 1)[0] not in NESTED)
    ]
    if unknown:
        return [], json_reply(
            400,
            {"error": f"Unrecognized or unsupported fields: [{', '.join(unknown)}]"},
            content_type="application/json",
            compact=True,
        )
    return [f.split(".", 1)[0] for f in names], None


def _project(full: dict[str, Any], fields: list[str]) -> dict[str, Any]:
    wanted = {"paperId", *fields}
    return {k: v for k, v in full.items() if k in wanted}


def handle(services: FakeServices, req: Request) -> Reply:
    world = services.world

    def reply(status: int, payload: object) -> Reply:
        return json_reply(status, payload, content_type="application/json")

    key = req.headers.get("x-api-key")
    if world.s2_api_keys is not None and key is not None and key not in world.s2_api_keys:
        return reply(403, {"message": "Forbidden"})
    if world.s2_429_times > 0:
        world.s2_429_times -= 1
        return reply(429, TOO_MANY)
    if world.s2_error_times > 0:
        world.s2_error_times -= 1
        return reply(500, {"message": "Internal Server Error"})
    path = req.path
    if not path.startswith(PREFIX + "/"):
        return reply(404, {"error": "Not Found"})
    path = path[len(PREFIX) :]
    fields, bad = _fields(req)
    if bad is not None:
        return bad
    if path.rstrip("/") == "/paper/batch":
        if req.method != "POST":
            return reply(405, {"message": "Method Not Allowed"})
        try:
            payload = json.loads(req.body or b"null")
        except ValueError:
            return reply(400, {"error": "Unacceptable JSON body"})
        ids = payload.get("ids") if isinstance(payload, dict) else None
        if not isinstance(ids, list):
            return reply(400, {"error": "Missing required field 'ids'"})
        if len(ids) > MAX_BATCH:
            return reply(400, {"error": f"Cannot process more than {MAX_BATCH} ids"})
        out: list[dict[str, Any] | None] = []
        for raw in ids:
            venue = lookup(world, raw)
            out.append(None if venue is None else _project(paper_json(world, venue), fields))
        return reply(200, out)
    m = re.fullmatch(r"/paper/(.+)", path)
    if m and req.method in ("GET", "HEAD"):
        raw = unquote(m.group(1))
        venue = lookup(world, raw)
        if venue is None:
            return reply(404, {"error": f"Paper with id {raw} not found"})
        return reply(200, _project(paper_json(world, venue), fields))
    return reply(404, {"error": "Not Found"})
