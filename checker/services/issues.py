"""The GitHub issues API, for the one nightly issue: list, create, edit, comment, and the hidden
comments that continue its history (list, edit).

Only an issue that the token's own account opened, and whose body starts with paperlint's marker,
is ever returned by `find`: a person's issue that carries the label is never edited, commented
on, closed or reopened, even one that copies the marker.

Through the shared client (its caps, deadline and body cap) and GitHub's retry policy
(Retry-After, the reset time, a minute for a secondary limit). Listing and editing are idempotent
and retried. Creating and commenting are not (`send(..., idempotent=False)`): sent again only
after a rate limit or a failure to connect, where GitHub surely did nothing, because a lost answer
or a 5xx may hide a success — and a creation that may or may not have happened is settled by
listing again, never by a blind retry that opens a second issue. The token goes to the configured
API origin only; a `Link: next` elsewhere is not followed.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import httpx

from checker.services.github import (
    github_headers,
    github_wait,
    graphql_urls,
    post_graphql,
    rate_limited,
)
from checker.services.http import Http, Unavailable, describe_failure, origin

LABEL = "paperlint"  # the default label (--issue-label)
# who the token is: GraphQL answers for a personal token and for an app's installation token
# (GITHUB_TOKEN: github-actions[bot]) alike, where REST `GET /user` refuses the latter
VIEWER_QUERY = "query { viewer { login } }"
MAX_PAGES = 10  # 1,000 labelled issues (or comments): far more than one list ever has


class IssueError(Exception):
    """The issue could not be read or written; the message is the one line the user sees."""


@dataclass(frozen=True)
class Issue:
    number: int
    state: str  # "open" | "closed"
    title: str
    body: str
    updated_at: str
    author: str = ""  # the login that opened it ("" when GitHub did not say)
    comments: int = 0


@dataclass(frozen=True)
class Comment:
    id: int
    author: str
    body: str


def _login(item: dict[str, Any]) -> str:
    user = item.get("user")
    return str(user.get("login") or "") if isinstance(user, dict) else ""


def _issue(item: dict[str, Any]) -> Issue:
    comments = item.get("comments")
    return Issue(
        number=int(item["number"]),
        state=str(item["state"]),
        title=str(item.get("title") or ""),
        body=str(item.get("body") or ""),
        updated_at=str(item.get("updated_at") or ""),
        author=_login(item),
        comments=comments if type(comments) is int else 0,
    )


def _comment(item: dict[str, Any]) -> Comment:
    return Comment(id=int(item["id"]), author=_login(item), body=str(item.get("body") or ""))


def _why(response: httpx.Response, repository: str) -> str:
    code = response.status_code
    try:
        message = str(response.json().get("message") or "")
    except (ValueError, AttributeError):
        message = ""
    if code == 401:
        return "GitHub rejected the token (HTTP 401)"
    if code == 403:
        return (
            f"the token may not write issues of {repository} (HTTP 403: {message or 'forbidden'});"
            " give the workflow `permissions: issues: write`"
        )
    if code == 404:
        return f"repository {repository} not found, or the token cannot see it (HTTP 404)"
    if code == 410:
        return f"issues are disabled in {repository} (HTTP 410)"
    return f"HTTP {code}" + (f": {message}" if message else "")


def _refused_unprocessed(response: httpx.Response) -> bool:
    """A rate limit: GitHub refused without acting, so sending again cannot make a second issue
    or comment. A 5xx may come after the work was done: never sent again."""
    return response.status_code < 500 and rate_limited(response)


class IssuesService:
    """`marker`: the first line of every body paperlint writes; what `find` takes as paperlint's."""

    def __init__(
        self,
        http: Http,
        base: str,
        token: str,
        repository: str,
        label: str = LABEL,
        marker: str = "",
    ) -> None:
        self.http = http
        self.base = base.rstrip("/")
        self.origin = origin(self.base)
        self.token = token
        self.repository = repository
        self.label = label
        self.marker = marker
        owner, _, name = repository.partition("/")
        self.url = f"{self.base}/repos/{quote(owner, safe='')}/{quote(name, safe='')}/issues"
        self._login: str | None = None

    async def login(self) -> str:
        """The account the token writes as: the author of every issue and comment paperlint
        made with it. Asked once, when an issue with the marker is first met."""
        if self._login is None:
            response = await post_graphql(
                graphql_urls(self.base),
                lambda url: self._retried("POST", url, json={"query": VIEWER_QUERY}),
            )
            if response.status_code != 200:
                raise IssueError(_why(response, self.repository))
            try:
                login = response.json()["data"]["viewer"]["login"]
            except (ValueError, KeyError, TypeError):
                login = None
            if not isinstance(login, str) or not login:
                raise IssueError("GitHub did not say whose token this is (GraphQL viewer)")
            self._login = login
        return self._login

    async def owns(self, issue: Issue) -> bool:
        """paperlint's own issue: the marker begins its body, and the token's account opened
        it (anyone can open an issue that begins with the marker; only a maintainer or a
        workflow can add the label, but an issue form or a triager may)."""
        if not (self.marker and issue.body.startswith(self.marker)):
            return False
        return issue.author == await self.login()

    async def _retried(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        if origin(url) != self.origin:  # never carry the token elsewhere
            raise IssueError(f"refusing to follow a link off the API host: {urlsplit(url).netloc}")
        try:
            return await self.http.send(
                "github-issues",
                method,
                url,
                headers=github_headers(self.token),
                should_retry=rate_limited,
                asked_wait=github_wait,
                **kwargs,
            )
        except Unavailable as exc:
            raise IssueError(exc.reason) from None
        except httpx.HTTPError as exc:
            raise IssueError(f"{describe_failure(exc)} talking to {self.origin}") from None

    async def _once(self, method: str, url: str, body: dict[str, Any]) -> httpx.Response | None:
        """Sent once, or again only where GitHub surely did nothing (a rate limit, no connection);
        None when the answer was lost or was a 5xx (it may have worked)."""
        try:
            response = await self.http.send(
                "github-issues",
                method,
                url,
                json=body,
                headers=github_headers(self.token),
                should_retry=_refused_unprocessed,
                asked_wait=github_wait,
                idempotent=False,
            )
        except Unavailable as exc:
            if exc.status is not None and exc.status < 500:  # still rate limited: not done
                raise IssueError(exc.reason) from None
            return None  # cut off mid-answer
        except httpx.HTTPError:  # sent, maybe acted on; the answer lost
            return None
        if response.status_code >= 500:
            return None
        return response

    async def _pages(self, url: str, what: str) -> AsyncIterator[list[dict[str, Any]]]:
        """The items of a listing, page by page (`Link: next`, on the API host only)."""
        next_url: str | None = url
        for _ in range(MAX_PAGES):
            if next_url is None:
                return
            response = await self._retried("GET", next_url)
            if response.status_code != 200:
                raise IssueError(_why(response, self.repository))
            try:
                items = response.json()
            except ValueError:
                raise IssueError(f"unreadable list of {what}") from None
            if not isinstance(items, list):
                raise IssueError(f"unreadable list of {what}")
            yield [item for item in items if isinstance(item, dict)]
            link = response.links.get("next", {}).get("url")
            next_url = str(httpx.URL(next_url).join(link)) if link else None

    async def find(self) -> Issue | None:
        """paperlint's issue: among those with the label (pull requests and anyone else's issues
        skipped: `owns`), the most recently updated open one, else the latest closed one."""
        query = urlencode(
            {
                "labels": self.label,
                "state": "all",
                "sort": "updated",
                "direction": "desc",
                "per_page": "100",
            }
        )
        latest_closed: Issue | None = None
        async for items in self._pages(f"{self.url}?{query}", "issues"):
            try:
                issues = [_issue(item) for item in items if "pull_request" not in item]
            except (ValueError, KeyError, TypeError) as exc:
                raise IssueError(f"unreadable list of issues ({type(exc).__name__})") from None
            for issue in issues:  # newest first
                if not await self.owns(issue):
                    continue  # a person's issue with the label: never touched
                if issue.state == "open":
                    return issue
                latest_closed = latest_closed or issue
        return latest_closed

    async def comments(self, number: int) -> list[Comment]:
        """The issue's comments, oldest first."""
        out: list[Comment] = []
        async for items in self._pages(f"{self.url}/{number}/comments?per_page=100", "comments"):
            try:
                out += [_comment(item) for item in items]
            except (ValueError, KeyError, TypeError) as exc:
                raise IssueError(f"unreadable list of comments ({type(exc).__name__})") from None
        return out

    async def edit_comment(self, comment_id: int, body: str) -> None:
        response = await self._retried(
            "PATCH", f"{self.url}/comments/{comment_id}", json={"body": body}
        )
        if response.status_code != 200:
            raise IssueError(_why(response, self.repository))

    async def create(self, title: str, body: str) -> Issue:
        for _ in range(2):
            payload = {"title": title, "body": body, "labels": [self.label]}
            response = await self._once("POST", self.url, payload)
            if response is not None:
                if response.status_code != 201:
                    raise IssueError(_why(response, self.repository))
                return _issue(response.json())
            # the answer was lost: did the issue get created? Look before trying again.
            found = await self.find()  # creation happens only when there was none at all
            if found is not None:
                return found
        raise IssueError("GitHub did not answer the creation of the issue (twice)")

    async def edit(self, number: int, **fields: str) -> Issue:
        response = await self._retried("PATCH", f"{self.url}/{number}", json=fields)
        if response.status_code != 200:
            raise IssueError(_why(response, self.repository))
        return _issue(response.json())

    async def comment(self, number: int, body: str) -> None:
        response = await self._once("POST", f"{self.url}/{number}/comments", {"body": body})
        if response is None:
            raise IssueError("GitHub did not answer a comment (not sent again: no duplicates)")
        if response.status_code != 201:
            raise IssueError(_why(response, self.repository))
