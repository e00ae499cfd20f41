"""Fake arXiv export API (`/api/query`), answering as the new backend (since Nov 2025) does.

Layout copied from recorded answers (tests/data/samples/arxiv): namespaces on the root, feed id
`https://arxiv.org/api/<hash>`, entry ids `http://arxiv.org/abs/<id>v<N>`, links with rel/type.
Missing IDs are dropped silently and `totalResults` counts only what is returned; one malformed
ID fails the whole request with HTTP 400 and an Atom error entry; `max_results` defaults to 10.

`search_query` (without `id_list`) searches the world's papers as the user manual describes:
`prefix:term` and `prefix:"a phrase"` (prefixes `ti`, `abs`, `all`), joined by spaces or `AND`,
`ANDNOT` before a term excludes it. Text is matched by words (letters and digits, case and
accents aside), a phrase as consecutive words; an unquoted hyphenated term `non-invasive` is read
as `non ANDNOT invasive`, as arXiv's search does (arXiv/arxiv-search#322). The best matches come
first: a title that is exactly the phrase, then shorter titles.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import re
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape, quoteattr

from .wire import Reply, Request, text_reply
from .world import Paper, World, fold

if TYPE_CHECKING:
    from .server import FakeServices

PATH = "/api/query"
RATE_EXCEEDED = "Rate exceeded."
MAX_RESULTS_CAP = 30000

_NEW_ID = re.compile(r"^(\d{4}\.\d{4,5})(?:v(\d+))?$")
_OLD_ID = re.compile(r"^([a-z]+(?:-[a-z]+)*)(?:\.[A-Z]{2})?/(\d{7})(?:v(\d+))?$")

_HEAD = (
    "<?xml version='1.0' encoding='UTF-8'?>\n"
    '<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" '
    'xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">\n'
)


def parse_id(raw: str) -> tuple[str, int | None] | None:
    """`(canonical id, version or None)`, or None when arXiv would call the ID malformed."""
    m = _NEW_ID.match(raw)
    if m:
        return m.group(1), int(m.group(2)) if m.group(2) else None
    m = _OLD_ID.match(raw)
    if m:
        return f"{m.group(1)}/{m.group(2)}", int(m.group(3)) if m.group(3) else None
    return None


def _stamp(when: dt.datetime) -> str:
    return when.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _now() -> str:
    return _stamp(dt.datetime.now(dt.timezone.utc))


def error_feed(slug: str, message: str) -> str:
    """The error feed of the new backend (recorded for id_list=abc)."""
    now = _now()
    err = f"https://arxiv.org/api/errors#{slug}"
    return (
        _HEAD + "  <id>https://arxiv.org/</id>\n"
        "  <title>arXiv Search Results</title>\n"
        f"  <updated>{now}</updated>\n"
        "  <opensearch:itemsPerPage>1</opensearch:itemsPerPage>\n"
        "  <opensearch:totalResults>1</opensearch:totalResults>\n"
        "  <opensearch:startIndex>0</opensearch:startIndex>\n"
        "  <entry>\n"
        f"    <id>{escape(err)}</id>\n"
        "    <title>Error</title>\n"
        f"    <updated>{now}</updated>\n"
        f'    <link href={quoteattr(err)} rel="alternate" type="text/html"/>\n'
        f"    <summary>{escape(message)}</summary>\n"
        "    <author>\n"
        "      <name>arXiv api core</name>\n"
        "    </author>\n"
        "  </entry>\n"
        "</feed>\n"
    )


def render_entry(paper: Paper, version: int, links_without_rel: bool = False) -> str:
    vid = f"{paper.arxiv_id}v{version}"
    abs_url = f"https://arxiv.org/abs/{vid}"
    pdf_url = f"https://arxiv.org/pdf/{vid}"
    if links_without_rel:
        links = f'    <link href="{abs_url}"/>\n    <link href="{pdf_url}"/>\n'
    else:
        links = (
            f'    <link href="{abs_url}" rel="alternate" type="text/html"/>\n'
            f'    <link href="{pdf_url}" rel="related" type="application/pdf" title="pdf"/>\n'
        )
    parts = [
        "  <entry>\n",
        f"    <id>http://arxiv.org/abs/{vid}</id>\n",
        f"    <title>{escape(paper.title)}</title>\n",
        f"    <updated>{_stamp(paper.version_date(version))}</updated>\n",
        links,
        f"    <summary>{escape(paper.abstract(version))}</summary>\n",
    ]
    categories = paper.categories or ["cs.LG"]
    for term in categories:
        parts.append(f'    <category term="{term}" scheme="http://arxiv.org/schemas/atom"/>\n')
    parts.append(f"    <published>{_stamp(paper.version_date(1))}</published>\n")
    comment = paper.comment_for(version)
    if comment:
        parts.append(f"    <arxiv:comment>{escape(comment)}</arxiv:comment>\n")
    parts.append(f'    <arxiv:primary_category term="{categories[0]}"/>\n')
    if paper.journal_ref:
        parts.append(f"    <arxiv:journal_ref>{escape(paper.journal_ref)}</arxiv:journal_ref>\n")
    for name in paper.authors:
        parts.append(f"    <author>\n      <name>{escape(name)}</name>\n    </author>\n")
    if paper.doi:
        parts.append(f"    <arxiv:doi>{escape(paper.doi)}</arxiv:doi>\n")
        parts.append(f'    <link rel="related" href="https://doi.org/{escape(paper.doi)}"/>\n')
    parts.append("  </entry>\n")
    return "".join(parts)


def render_feed(
    search_query: str, id_list: str, start: int, max_results: int, total: int, entries: list[str]
) -> str:
    echo = f"search_query={search_query}&id_list={id_list}&start={start}&max_results={max_results}"
    link = (
        f"https://arxiv.org/api/query?search_query={search_query}&start={start}"
        f"&max_results={max_results}&id_list={id_list}"
    )
    digest = base64.b64encode(hashlib.sha1(echo.encode()).digest()).decode().rstrip("=")
    return (
        _HEAD + f"  <id>https://arxiv.org/api/{digest}</id>\n"
        f"  <title>arXiv Query: {escape(echo)}</title>\n"
        f"  <updated>{_now()}</updated>\n"
        f'  <link href={quoteattr(link)} type="application/atom+xml"/>\n'
        f"  <opensearch:itemsPerPage>{max_results}</opensearch:itemsPerPage>\n"
        f"  <opensearch:totalResults>{total}</opensearch:totalResults>\n"
        f"  <opensearch:startIndex>{start}</opensearch:startIndex>\n"
        + "".join(entries)
        + "</feed>\n"
    )


def _atom(status: int, text: str) -> Reply:
    return Reply(status, text.encode("utf-8"), "application/atom+xml; charset=utf-8")


def handle(services: FakeServices, req: Request) -> Reply:
    world = services.world
    if req.path.rstrip("/") != PATH:
        return text_reply(404, "<html><body><h1>Not Found</h1></body></html>", "text/html")
    if req.method not in ("GET", "POST", "HEAD"):
        return text_reply(405, "Method Not Allowed")
    if world.arxiv_rate_limited_times > 0:
        world.arxiv_rate_limited_times -= 1
        return text_reply(429, RATE_EXCEEDED)
    if world.arxiv_unavailable_times > 0:
        world.arxiv_unavailable_times -= 1
        return text_reply(503, "<html><body>Service Unavailable</body></html>", "text/html")

    id_list = req.param("id_list") or ""
    search_query = req.param("search_query") or ""
    numbers: dict[str, int] = {}
    for name, default in (("start", 0), ("max_results", 10)):
        raw = req.param(name)
        if raw is None or raw == "":
            numbers[name] = default
            continue
        try:
            numbers[name] = int(raw)
        except ValueError:
            # Recorded (K-Dense, 2026-07): a non-integer start gives HTTP 200 + an error entry.
            return _atom(
                200, error_feed(f"incorrect_id_format_for_{name}", f"{name} must be an integer")
            )
    start, max_results = numbers["start"], numbers["max_results"]
    if max_results > MAX_RESULTS_CAP:
        return _atom(
            400,
            error_feed("max_results_too_large", f"max_results must be less than {MAX_RESULTS_CAP}"),
        )
    if start < 0 or max_results < 0:
        return _atom(
            400,
            error_feed(
                "start_and_max_results_must_be_positive",
                "start and max_results must be non-negative",
            ),
        )
    if not id_list.strip() and not search_query.strip():
        return _atom(
            400,
            error_feed(
                "missing_search_query_or_id_list", "either search_query or id_list must be given"
            ),
        )

    wanted: list[tuple[str, int | None]] = []
    for raw in id_list.split(","):
        item = raw.strip()
        if not item:
            continue
        parsed = parse_id(item)
        if parsed is None:
            return _atom(
                400,
                error_feed(f"incorrect_id_format_for_{item}", f"incorrect id format for {item}"),
            )
        if parsed not in wanted:
            wanted.append(parsed)

    if world.arxiv_empty_times > 0:
        world.arxiv_empty_times -= 1
        wanted = []

    if search_query.strip() and not wanted:
        found = search(world, search_query)
        page = [render_entry(p, p.versions, world.arxiv_links_without_rel) for p in found]
        feed = render_feed(
            search_query, id_list, start, max_results, len(found), page[start : start + max_results]
        )
        return _atom(200, feed)

    entries: list[str] = []
    for arxiv_id, version in wanted:
        paper = world.paper(arxiv_id)
        if paper is None:
            continue
        chosen = paper.versions if version is None else version
        if not 1 <= chosen <= paper.versions:
            continue
        entries.append(render_entry(paper, chosen, world.arxiv_links_without_rel))
    page = entries[start : start + max_results]
    feed = render_feed(search_query, id_list, start, max_results, len(entries), page)
    return _atom(200, feed)


_WORDS = re.compile(r"[a-z0-9]+")
_TERM = re.compile(r'(ANDNOT|AND|OR)\b|(\w+):("[^"]*"|[^\s"]+)|(\S+)')
_FIELDS = {"ti": ("title",), "abs": ("abstract",), "all": ("title", "abstract")}


def _words(text: str) -> list[str]:
    return _WORDS.findall(fold(text))


def _contains(hay: list[str], phrase: list[str]) -> bool:
    n = len(phrase)
    return n > 0 and any(hay[i : i + n] == phrase for i in range(len(hay) - n + 1))


def search(world: World, query: str) -> list[Paper]:
    """The papers matching every term of `query` (see the module's docstring), best first."""
    must: list[tuple[tuple[str, ...], list[str]]] = []
    must_not: list[tuple[tuple[str, ...], list[str]]] = []
    negate = False
    for m in _TERM.finditer(query):
        if m.group(1):
            negate = m.group(1) == "ANDNOT"
            continue
        fields = _FIELDS.get((m.group(2) or "all").lower(), ("title", "abstract"))
        value = m.group(3) if m.group(2) else m.group(4)
        quoted = value.startswith('"') and value.endswith('"') and len(value) > 1
        words = _words(value.strip('"'))
        if quoted or len(words) < 2 or "-" not in value:
            (must_not if negate else must).append((fields, words))
        else:  # non-invasive: non ANDNOT invasive
            (must_not if negate else must).append((fields, words[:1]))
            must_not.extend((fields, [w]) for w in words[1:])
        negate = False
    if not must:
        return []

    def text_of(paper: Paper, fields: tuple[str, ...]) -> list[str]:
        parts = [paper.title if f == "title" else paper.abstract(paper.versions) for f in fields]
        return _words(" ".join(parts))

    found = [
        p
        for p in world.papers.values()
        if all(_contains(text_of(p, f), w) for f, w in must)
        and not any(_contains(text_of(p, f), w) for f, w in must_not)
    ]
    first = must[0][1]
    return sorted(found, key=lambda p: (_words(p.title) != first, len(_words(p.title)), p.arxiv_id))
