"""arXiv's title search: which paper carries a listed title, when the ID beside it is wrong.

`search_query=ti:"…"` through the same export API as the metadata, on the same terms: one
request at a time, `delay` seconds apart. A search comes after the run's own requests to arXiv,
so the first one waits the delay too, as if a request had just gone out.

The phrase is the title's words only. arXiv's query syntax gives meaning to quotes, parentheses,
colons, and to a hyphen (a hyphenated word is read as "and not"), and offers no way to escape
them inside a phrase; the index splits words at punctuation anyway, so a phrase of the words
finds what the title finds.
"""

from __future__ import annotations

import re
import time

from checker.services.arxiv import ArxivPaper, _is_error_feed, atom_feed, paper_from_result
from checker.services.http import Http, Pacer, Unavailable, describe_failure

MAX_RESULTS = 10
MAX_WORDS = 30  # a phrase of a title's first words still finds it; the URL stays short
_WORD = re.compile(r"[^\W_]+")


def title_query(title: str) -> str | None:
    """`ti:"word word …"`, or None when the title has no word to search for."""
    words = _WORD.findall(title)[:MAX_WORDS]
    if not words:
        return None
    return f'ti:"{" ".join(words)}"'


class ArxivTitleSearch:
    name = "arXiv"

    def __init__(self, http: Http, url: str, delay: float) -> None:
        self.http = http
        self.url = url
        self.pacer = Pacer(delay)
        self.pacer.last = time.monotonic()  # the check itself may have asked arXiv just now
        http.cap_host(url, 1)

    async def search(self, query: str) -> list[ArxivPaper]:
        """The papers arXiv finds for `query` (a `title_query`), most relevant first.
        Raises Unavailable when arXiv could not be asked or answered no feed."""
        import httpx

        params = {"search_query": query, "start": "0", "max_results": str(MAX_RESULTS)}
        try:
            response = await self.http.send(
                "arxiv-search", "GET", self.url, params=params, pacer=self.pacer
            )
        except httpx.HTTPError as exc:
            raise Unavailable(self.name, describe_failure(exc)) from None
        content = response.content
        kind = response.headers.get("content-type", "")
        if response.status_code != 200 or _is_error_feed(content):
            raise Unavailable(self.name, f"HTTP {response.status_code} from arXiv's search")
        feed = atom_feed(content, kind)
        if feed is None:
            raise Unavailable(self.name, "not an Atom feed")
        papers = [paper_from_result(result) for result in feed.results]
        return [p for p in papers if p is not None]
