"""Fake DBLP publication search: `GET /search/publ/api?q=...&format=json&h=..&f=..`.

Answers in the recorded JSON shape (tests/data/samples/dblp): every number a string, `hits.hit`
a list, a single author or completion an object rather than a one-element list, no `hit` key at
all when nothing matches. Matching is DBLP's prefix search: every query word must begin a word of
the record's title, authors, venue or year (`word$` = exact word; `year:2022` and `venue:ICLR`
filter). Default format is XML, as on DBLP.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape, quoteattr

from .wire import Reply, Request, json_reply, text_reply
from .world import DblpHit, fold, stable_int

if TYPE_CHECKING:
    from .server import FakeServices

PATH = "/search/publ/api"
CHALLENGE_HTML = (
    '<!doctype html><html lang="en"><head><title>Making sure you&#39;re not a bot!</title>'
    "</head><body><h1>Making sure you&#39;re not a bot!</h1><p>Loading...</p>"
    '<script id="anubis_challenge" type="application/json">'
    '{"rules":{"algorithm":"fast","difficulty":4}}</script>'
    "<p>Protected by Anubis</p></body></html>"
)
TOO_MANY_HTML = (
    "<html><head><title>429 Too Many Requests</title></head><body>"
    "<h1>429 Too Many Requests</h1><p>The vast number of requests from your side has led to a "
    "temporary block of your access. Please wait a moment before trying again.</p></body></html>"
)
_WORD = re.compile(r"[a-z0-9]+")


def _words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def _venues(hit: DblpHit) -> list[str]:
    return hit.venue if isinstance(hit.venue, list) else [hit.venue]


def matches(hit: DblpHit, query: str) -> bool:
    hay = [*_words(hit.title), *_words(" ".join(hit.authors))]
    hay += [*_words(" ".join(_venues(hit))), str(hit.year)]
    for term in query.split():
        field_m = re.fullmatch(r"(?i)(year|venue|author|title):(.+)", term)
        if field_m:
            name, value = field_m.group(1).lower(), field_m.group(2)
            if name == "year":
                if str(hit.year) != value.strip("*$"):
                    return False
                continue
            source = {
                "venue": " ".join(_venues(hit)),
                "author": " ".join(hit.authors),
                "title": hit.title,
            }[name]
            if not _all_prefixed(_words(value), _words(source), value.endswith("$")):
                return False
            continue
        if not _all_prefixed(_words(term), hay, term.endswith("$")):
            return False
    return True


def _all_prefixed(terms: list[str], hay: list[str], exact: bool) -> bool:
    for term in terms:
        if exact:
            if term not in hay:
                return False
        elif not any(word.startswith(term) for word in hay):
            return False
    return True


def _authors(hit: DblpHit) -> dict[str, Any] | None:
    people = [
        {"@pid": f"{stable_int(n, 1, 300)}/{stable_int(n + '#', 1000, 9000)}", "text": n}
        for n in hit.authors
    ]
    if not people:
        return None
    return {"author": people[0] if len(people) == 1 else people}


def hit_json(hit: DblpHit) -> dict[str, Any]:
    info: dict[str, Any] = {}
    authors = _authors(hit)
    if authors:
        info["authors"] = authors
    info["title"] = hit.title
    info["venue"] = hit.venue
    for name in ("volume", "number", "pages"):
        value = getattr(hit, name)
        if value is not None:
            info[name] = value
    info["year"] = str(hit.year)
    info["type"] = hit.type
    info["access"] = hit.access
    info["key"] = hit.key
    if hit.doi:
        info["doi"] = hit.doi
    info["ee"] = hit.ee or (
        f"https://doi.org/{hit.doi}" if hit.doi else f"https://dblp.org/rec/{hit.key}"
    )
    info["url"] = f"https://dblp.org/rec/{hit.key}"
    return {"@score": "1", "@id": str(hit.hit_id), "info": info, "url": f"URL#{hit.hit_id}"}


def _int(raw: str | None, default: int) -> int:
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        return default


def search(hits: list[DblpHit], q: str, h: int, f: int) -> dict[str, Any]:
    found = [hit for hit in hits if q.strip() and matches(hit, q)]
    page = found[f : f + h]
    terms = q.split()
    echo = " ".join(t if t.endswith(("*", "$")) else t + "*" for t in terms)
    computed = min(len(found), max(100, f + h))
    result: dict[str, Any] = {
        "query": echo,
        "status": {"@code": "200", "text": "OK"},
        "time": {"@unit": "msecs", "text": "1.23"},
    }
    if terms:
        last = _words(terms[-1])[-1:] or [terms[-1].lower()]
        n = str(len(found))
        result["completions"] = {
            "@total": "1",
            "@computed": "1",
            "@sent": "1",
            "c": {
                "@sc": n,
                "@dc": n,
                "@oc": n,
                "@id": str(stable_int(last[0], 1, 90_000_000)),
                "text": last[0],
            },
        }
    else:
        result["completions"] = {"@total": "0", "@computed": "0", "@sent": "0"}
    block: dict[str, Any] = {
        "@total": str(len(found)),
        "@computed": str(computed),
        "@sent": str(len(page)),
        "@first": str(f),
    }
    if page:
        block["hit"] = [hit_json(hit) for hit in page]
    result["hits"] = block
    return {"result": result}


def to_xml(doc: dict[str, Any]) -> str:
    res = doc["result"]
    hits = res["hits"]
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>\n<result>\n',
        f"<query>{escape(res['query'])}</query>\n",
        '<status code="200">OK</status>\n<time unit="msecs">1.23</time>\n',
        f'<hits total="{hits["@total"]}" computed="{hits["@computed"]}" '
        f'sent="{hits["@sent"]}" first="{hits["@first"]}">\n',
    ]
    for hit in hits.get("hit", []):
        info = hit["info"]
        out.append(f'<hit score="{hit["@score"]}" id="{hit["@id"]}">\n<info>')
        authors = info.get("authors", {}).get("author", [])
        if isinstance(authors, dict):
            authors = [authors]
        if authors:
            out.append("<authors>")
            out.extend(
                f"<author pid={quoteattr(a['@pid'])}>{escape(a['text'])}</author>" for a in authors
            )
            out.append("</authors>")
        for key, value in info.items():
            if key == "authors":
                continue
            for item in value if isinstance(value, list) else [value]:
                out.append(f"<{key}>{escape(str(item))}</{key}>")
        out.append(f"</info>\n<url>{escape(hit['url'])}</url>\n</hit>\n")
    out.append("</hits>\n</result>\n")
    return "".join(out)


def handle(services: FakeServices, req: Request) -> Reply:
    world = services.world
    if world.dblp_html_challenge:
        return text_reply(500, CHALLENGE_HTML, "text/html; charset=utf-8")
    if world.dblp_429_times > 0:
        world.dblp_429_times -= 1
        reply = text_reply(429, TOO_MANY_HTML, "text/html; charset=utf-8")
        reply.headers.append(("retry-after", str(world.dblp_retry_after)))
        return reply
    if req.path.rstrip("/") != PATH or req.method not in ("GET", "HEAD"):
        return text_reply(404, "<html><body><h1>404 Not Found</h1></body></html>", "text/html")
    q = req.query.get("q", "")
    h = min(max(_int(req.query.get("h"), 30), 0), 1000)
    f = max(_int(req.query.get("f"), 0), 0)
    doc = search(world.dblp_hits(), q, h, f)
    fmt = req.query.get("format", "xml").lower()
    if fmt in ("json", "jsonp"):
        reply = json_reply(200, doc, content_type="application/json", compact=True)
        if fmt == "jsonp":
            callback = req.query.get("callback", "callback")
            reply.body = f"{callback}(".encode() + reply.body + b")"
            reply.content_type = "application/javascript"
        return reply
    return text_reply(200, to_xml(doc), "application/xml")
