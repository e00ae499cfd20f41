"""GitHub repositories: GraphQL, ~100 aliased lookups per query, with a token; REST without.

The token is sent only to the configured GitHub API origin, and only by this module. GraphQL
follows renames, so a moved repository shows up as a different `nameWithOwner`; REST answers 301
to `/repositories/{id}`, which we follow only when it stays on the API origin.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from checker.services.http import (
    RETRY_STATUSES,
    Unavailable,
    describe_failure,
    origin,
    requested_wait,
)

if TYPE_CHECKING:  # httpx is loaded when a request is made (services/http.py)
    import httpx

    from checker.services.http import Http

BATCH = 100
FIELDS = "nameWithOwner isArchived isPrivate"


@dataclass(frozen=True)
class RepoState:
    name: str  # owner/name as GitHub spells it now ("" when not found)
    exists: bool
    archived: bool = False


@dataclass
class GithubAnswer:
    found: dict[str, RepoState] = field(default_factory=dict)  # keyed by the name asked, lowered
    unavailable: dict[str, str] = field(default_factory=dict)


def rate_limited(response: httpx.Response) -> bool:
    """Worth asking GitHub again: a rate limit (429, or 403 saying so) or a 5xx."""
    if response.status_code in RETRY_STATUSES:
        return True
    if response.status_code == 403:
        return (
            response.headers.get("x-ratelimit-remaining") == "0"
            or "rate limit" in response.text.lower()
        )
    return False


def github_wait(response: httpx.Response) -> float | None:
    """GitHub's rule: Retry-After, else the reset time, else at least a minute (secondary)."""
    asked = requested_wait(response)
    if asked is None and response.status_code in (403, 429):
        return 60.0
    return asked


def graphql_urls(base: str) -> list[str]:
    """Where GitHub's GraphQL may answer, in the order to ask: `{base}/graphql` (the contract),
    then, for a base `https://HOST/api/v3`, GitHub Enterprise Server's `https://HOST/api/graphql`
    (Actions' GITHUB_GRAPHQL_URL there). On the same origin either way: the token goes nowhere
    else."""
    base = base.rstrip("/")
    urls = [f"{base}/graphql"]
    if base.endswith("/api/v3"):
        urls.append(base.removesuffix("/v3") + "/graphql")
    return urls


async def post_graphql(
    urls: list[str], post: Callable[[str], Awaitable[httpx.Response]]
) -> httpx.Response:
    """`post` to each of `urls` in turn until one answers other than 404; `urls` is left holding
    only the one that did, so that the rest of the run asks there at once."""
    for url in urls[:-1]:
        response = await post(url)
        if response.status_code != 404:
            urls[:] = [url]
            return response
    return await post(urls[-1])


def github_headers(token: str | None) -> dict[str, str]:
    """What every request to the GitHub API carries, repositories and the nightly issue alike
    (one place for the API version); the token when there is one. Callers check the origin."""
    headers = {"accept": "application/vnd.github+json", "x-github-api-version": "2022-11-28"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    return headers


class GithubService:
    name = "GitHub"

    def __init__(self, http: Http, base: str, token: str | None) -> None:
        self.http = http
        self.base = base.rstrip("/")
        self.token = token
        self.origin = origin(self.base)
        self.exhausted: str | None = None  # set once the REST budget is gone
        self.graphql = graphql_urls(self.base)

    async def fetch(
        self, repos: Iterable[str], progress: Callable[[int], None] | None = None
    ) -> GithubAnswer:
        import asyncio

        answer = GithubAnswer()
        names = sorted({r.lower(): r for r in repos}.values(), key=str.lower)
        if self.token:
            batches = [names[i : i + BATCH] for i in range(0, len(names), BATCH)]
            await asyncio.gather(*(self._graphql(b, answer, progress) for b in batches))
        else:
            await asyncio.gather(*(self._rest(n, answer, progress) for n in names))
        return answer

    # -- GraphQL -------------------------------------------------------------------------

    async def _graphql(
        self, batch: list[str], answer: GithubAnswer, progress: Callable[[int], None] | None
    ) -> None:
        parts = []
        for i, name in enumerate(batch):
            owner, repo = name.split("/", 1)
            parts.append(
                f"r{i}: repository(owner: {json.dumps(owner)}, name: {json.dumps(repo)})"
                f" {{ {FIELDS} }}"
            )
        query = "query {\n" + "\n".join(parts) + "\n}"
        import httpx

        def post(url: str) -> Awaitable[httpx.Response]:
            return self.http.send(
                "github",
                "POST",
                url,
                json={"query": query},
                headers=github_headers(self.token),
                should_retry=rate_limited,
                asked_wait=github_wait,
            )

        try:
            response = await post_graphql(self.graphql, post)
            body = response.json() if response.status_code == 200 else None
        except (Unavailable, httpx.HTTPError, ValueError) as exc:
            reason = describe_failure(exc)
            answer.unavailable.update(dict.fromkeys((n.lower() for n in batch), reason))
            return
        finally:
            if progress:
                progress(len(batch))
        if not isinstance(body, dict):
            reason = f"GraphQL answered HTTP {response.status_code}"
            if response.status_code == 401:
                reason = "GitHub rejected the token (HTTP 401)"
            answer.unavailable.update(dict.fromkeys((n.lower() for n in batch), reason))
            return
        data: dict[str, Any] = body["data"] if isinstance(body.get("data"), dict) else {}
        listed = body.get("errors")
        errors = {
            str(err["path"][0]): err
            for err in (listed if isinstance(listed, list) else [])
            if isinstance(err, dict) and isinstance(err.get("path"), list) and err["path"]
        }
        for i, name in enumerate(batch):
            alias = f"r{i}"
            node = data.get(alias)
            err = errors.get(alias)
            if isinstance(node, dict) and node.get("nameWithOwner"):
                answer.found[name.lower()] = RepoState(
                    name=str(node["nameWithOwner"]),
                    exists=not node.get("isPrivate", False),
                    archived=bool(node.get("isArchived")),
                )
            elif err is not None and err.get("type") == "NOT_FOUND":
                answer.found[name.lower()] = RepoState(name="", exists=False)
            else:
                message = (err or {}).get("message") or "no answer for this repository"
                answer.unavailable[name.lower()] = f"GraphQL: {message}"

    # -- REST ----------------------------------------------------------------------------

    async def _rest(
        self, name: str, answer: GithubAnswer, progress: Callable[[int], None] | None
    ) -> None:
        import httpx

        try:
            if self.exhausted:
                raise Unavailable(self.name, self.exhausted)
            owner, repo = name.split("/", 1)
            url = f"{self.base}/repos/{quote(owner)}/{quote(repo)}"
            state = await self._rest_get(url, hops=3)
            answer.found[name.lower()] = state
        except (Unavailable, httpx.HTTPError) as exc:
            answer.unavailable[name.lower()] = describe_failure(exc)
        except (ValueError, KeyError, TypeError, AttributeError):
            answer.unavailable[name.lower()] = "unreadable answer from the GitHub API"
        finally:
            if progress:
                progress(1)

    async def _rest_get(self, url: str, hops: int) -> RepoState:
        response = await self.http.send(
            "github",
            "GET",
            url,
            headers=github_headers(self.token),
            should_retry=rate_limited,
            asked_wait=github_wait,
        )
        self._watch_budget(response)
        if response.status_code == 200:
            body = response.json()
            return RepoState(
                name=str(body["full_name"]), exists=True, archived=bool(body.get("archived"))
            )
        if response.status_code in (301, 302, 307, 308) and hops > 0:
            import httpx

            location = response.headers.get("location", "")
            target = httpx.URL(url).join(location)
            if origin(str(target)) != self.origin:  # never carry the token elsewhere
                raise Unavailable(self.name, f"redirect off the API host to {target.host}")
            return await self._rest_get(str(target), hops - 1)
        if response.status_code in (404, 451):
            return RepoState(name="", exists=False)
        if response.status_code == 403 and "access blocked" in response.text.lower():
            return RepoState(name="", exists=False)
        raise Unavailable(self.name, f"HTTP {response.status_code}")

    def _watch_budget(self, response: httpx.Response) -> None:
        if response.headers.get("x-ratelimit-remaining") == "0":
            wait = requested_wait(response) or 0
            self.exhausted = (
                f"rate limit reached ({response.headers.get('x-ratelimit-limit', '?')}/hour"
                f"{'' if self.token else ' without a token: set GITHUB_TOKEN'}), "
                f"resets in {wait / 60:.0f} min"
            )
