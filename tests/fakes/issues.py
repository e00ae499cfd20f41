"""Fake GitHub issues API, in memory: list (labels, state, sort, pagination with a Link header,
pull requests mixed in as GitHub does), create, edit (body, state, state_reason), comments (list
with pagination, create, edit), each with its author.

    tracker = issues_of(fake.world)       # one tracker per World: a fresh world has no issues
    tracker.add(title="...", labels=["paperlint"], pull_request=True)
    tracker.add(title="...", author="octocat")          # a person's issue
    tracker.comment(issue, "text", author="mallory")    # a person's comment
    tracker.fail_created_times = 1        # create the issue but answer 502 (a lost answer)

Answers follow GitHub's REST shapes (`number`, `state`, `state_reason`, `labels: [{name}]`,
`user: {login, id, type}`, `comments` (a count), `pull_request` on pull requests, `updated_at`);
a body over 65,536 characters is a 422 as on GitHub; `read_only` answers writes with the 403 an
Actions token without `issues: write` gets. Whatever the token writes is written by `BOT`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from .wire import Reply, Request, json_reply

BODY_LIMIT = 65536
NOT_ACCESSIBLE = {
    "message": "Resource not accessible by integration",
    "documentation_url": "https://docs.github.com/rest/issues/issues#update-an-issue",
    "status": "403",
}
ROUTE = re.compile(r"/repos/([^/]+)/([^/]+)/issues(?:/(\d+)(/comments)?)?/?")
COMMENT_ROUTE = re.compile(r"/repos/([^/]+)/([^/]+)/issues/comments/(\d+)/?")
EPOCH = dt.datetime(2026, 11, 1, 4, 0, tzinfo=dt.timezone.utc)
BOT = "github-actions[bot]"  # who the token writes as
USER_IDS = {BOT: 41898282}


@dataclass
class FakeComment:
    id: int
    body: str
    author: str = BOT
    created_at: str = ""
    updated_at: str = ""


@dataclass
class FakeIssue:
    number: int
    title: str
    body: str
    labels: list[str]
    state: str = "open"
    state_reason: str | None = None
    pull_request: bool = False
    created_at: str = ""
    updated_at: str = ""
    comments: list[FakeComment] = field(default_factory=list)
    repository: str = ""
    author: str = BOT

    @property
    def said(self) -> list[str]:
        """The comments a reader sees: paperlint's hidden history comments left out."""
        return [c.body for c in self.comments if "paperlint-history-part" not in c.body]


@dataclass
class IssueTracker:
    issues: list[FakeIssue] = field(default_factory=list)
    read_only: bool = False  # writes answer 403 (a token without issues: write)
    fail_created_times: int = 0  # create, then answer 502 as if the answer were lost
    fail_list_times: int = 0  # 502 on listing
    clock: int = 0  # seconds after EPOCH: every change moves it on, so updated_at orders
    next_comment_id: int = 3_000_000_001

    def tick(self) -> str:
        self.clock += 60
        return (EPOCH + dt.timedelta(seconds=self.clock)).strftime("%Y-%m-%dT%H:%M:%SZ")

    def add(
        self,
        title: str,
        body: str = "",
        labels: list[str] | None = None,
        state: str = "open",
        pull_request: bool = False,
        repository: str = "",
        author: str = BOT,
    ) -> FakeIssue:
        now = self.tick()
        issue = FakeIssue(
            number=len(self.issues) + 1,
            title=title,
            body=body,
            labels=list(labels or []),
            state=state,
            pull_request=pull_request,
            created_at=now,
            updated_at=now,
            repository=repository,
            author=author,
        )
        self.issues.append(issue)
        return issue

    def comment(self, issue: FakeIssue, body: str, author: str = BOT) -> FakeComment:
        now = self.tick()
        made = FakeComment(self.next_comment_id, body, author, now, now)
        self.next_comment_id += 1
        issue.comments.append(made)
        issue.updated_at = now
        return made

    def labelled(self, label: str, pull_requests: bool = False) -> list[FakeIssue]:
        return [
            i for i in self.issues if label in i.labels and (pull_requests or not i.pull_request)
        ]


def issues_of(world: Any) -> IssueTracker:
    """The world's issue tracker (kept on the world, so `fake.reset(World())` starts empty)."""
    tracker: IssueTracker = world.__dict__.setdefault("_issue_tracker", IssueTracker())
    return tracker


def matches(path: str) -> bool:
    return ROUTE.fullmatch(path) is not None or COMMENT_ROUTE.fullmatch(path) is not None


def _user(login: str) -> dict[str, Any]:
    user_id = USER_IDS.setdefault(login, 1000 + len(USER_IDS))
    kind = "Bot" if login.endswith("[bot]") else "User"
    return {"login": login, "id": user_id, "type": kind}


def _comment_json(comment: FakeComment, issue: FakeIssue, base: str, full: str) -> dict[str, Any]:
    return {
        "id": comment.id,
        "url": f"{base}/repos/{full}/issues/comments/{comment.id}",
        "issue_url": f"{base}/repos/{full}/issues/{issue.number}",
        "html_url": f"https://github.com/{full}/issues/{issue.number}#issuecomment-{comment.id}",
        "user": _user(comment.author),
        "created_at": comment.created_at,
        "updated_at": comment.updated_at,
        "author_association": "NONE",
        "body": comment.body,
    }


def _json(issue: FakeIssue, base: str, full: str) -> dict[str, Any]:
    url = f"{base}/repos/{full}/issues/{issue.number}"
    out: dict[str, Any] = {
        "url": url,
        "repository_url": f"{base}/repos/{full}",
        "comments_url": f"{url}/comments",
        "html_url": f"https://github.com/{full}/issues/{issue.number}",
        "id": 2_000_000_000 + issue.number,
        "number": issue.number,
        "title": issue.title,
        "user": _user(issue.author),
        "labels": [{"name": name, "color": "ededed", "default": False} for name in issue.labels],
        "state": issue.state,
        "state_reason": issue.state_reason,
        "locked": False,
        "comments": len(issue.comments),
        "created_at": issue.created_at,
        "updated_at": issue.updated_at,
        "closed_at": issue.updated_at if issue.state == "closed" else None,
        "author_association": "NONE",
        "body": issue.body,
    }
    if issue.pull_request:
        out["pull_request"] = {"url": f"{base}/repos/{full}/pulls/{issue.number}"}
    return out


def handle(tracker: IssueTracker, req: Request, path: str, base: str) -> Reply:
    edit = COMMENT_ROUTE.fullmatch(path)
    if edit is not None:
        return _edit_comment(tracker, req, int(edit.group(3)), base, f"{edit[1]}/{edit[2]}")
    m = ROUTE.fullmatch(path)
    assert m is not None
    full = f"{m.group(1)}/{m.group(2)}"
    number = int(m.group(3)) if m.group(3) else None
    comments = bool(m.group(4))
    if number is None:
        if req.method == "GET":
            return _list(tracker, req, base, full, path)
        if req.method == "POST":
            return _create(tracker, req, base, full)
    else:
        issue = next((i for i in tracker.issues if i.number == number), None)
        if issue is None:
            return json_reply(404, {"message": "Not Found", "status": "404"})
        if comments and req.method == "POST":
            return _comment(tracker, issue, req, base, full)
        if comments and req.method == "GET":
            items = [_comment_json(c, issue, base, full) for c in issue.comments]
            return _page(req, base, path, items)
        if not comments and req.method == "PATCH":
            return _edit(tracker, issue, req, base, full)
        if not comments and req.method == "GET":
            return json_reply(200, _json(issue, base, full))
    return json_reply(404, {"message": "Not Found", "status": "404"})


def _list(tracker: IssueTracker, req: Request, base: str, full: str, path: str) -> Reply:
    if tracker.fail_list_times > 0:
        tracker.fail_list_times -= 1
        return json_reply(502, {"message": "Server Error"})
    state = req.query.get("state", "open")
    wanted = [label for label in req.query.get("labels", "").split(",") if label]
    items = [
        i
        for i in tracker.issues
        if all(label in i.labels for label in wanted) and (state == "all" or i.state == state)
    ]
    key = "created_at" if req.query.get("sort", "created") == "created" else "updated_at"
    items.sort(
        key=lambda i: (getattr(i, key), i.number), reverse=req.query.get("direction") != "asc"
    )
    return _page(req, base, path, [_json(i, base, full) for i in items])


def _page(req: Request, base: str, path: str, items: list[dict[str, Any]]) -> Reply:
    per_page = min(int(req.query.get("per_page", "30")), 100)
    page = int(req.query.get("page", "1"))
    chunk = items[(page - 1) * per_page : page * per_page]
    headers = []
    if page * per_page < len(items):
        query = dict(req.query, page=str(page + 1))
        headers.append(("link", f'<{base}{path}?{urlencode(query)}>; rel="next"'))
    return json_reply(200, chunk, headers)


def _payload(req: Request) -> dict[str, Any] | None:
    try:
        data = json.loads(req.body or b"null")
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def _too_long(body: object) -> Reply | None:
    if isinstance(body, str) and len(body) > BODY_LIMIT:
        return json_reply(
            422,
            {
                "message": "Validation Failed",
                "errors": [
                    {
                        "resource": "Issue",
                        "code": "custom",
                        "field": "body",
                        "message": "body is too long (maximum is 65536 characters)",
                    }
                ],
                "documentation_url": "https://docs.github.com/rest/issues/issues",
                "status": "422",
            },
        )
    return None


def _create(tracker: IssueTracker, req: Request, base: str, full: str) -> Reply:
    if tracker.read_only:
        return json_reply(403, NOT_ACCESSIBLE)
    data = _payload(req)
    if data is None or not isinstance(data.get("title"), str):
        return json_reply(422, {"message": "Invalid request.", "status": "422"})
    refused = _too_long(data.get("body"))
    if refused:
        return refused
    labels = [str(x) for x in data.get("labels") or []]
    issue = tracker.add(data["title"], str(data.get("body") or ""), labels, repository=full)
    if tracker.fail_created_times > 0:
        tracker.fail_created_times -= 1
        return json_reply(502, {"message": "Server Error"})
    return json_reply(
        201, _json(issue, base, full), [("location", f"{base}/repos/{full}/issues/{issue.number}")]
    )


def _edit(tracker: IssueTracker, issue: FakeIssue, req: Request, base: str, full: str) -> Reply:
    if tracker.read_only:
        return json_reply(403, NOT_ACCESSIBLE)
    data = _payload(req)
    if data is None:
        return json_reply(400, {"message": "Problems parsing JSON", "status": "400"})
    refused = _too_long(data.get("body"))
    if refused:
        return refused
    if "body" in data:
        issue.body = str(data["body"])
    if "title" in data:
        issue.title = str(data["title"])
    if "state" in data:
        if data["state"] not in ("open", "closed"):
            return json_reply(422, {"message": "Validation Failed", "status": "422"})
        issue.state = data["state"]
        issue.state_reason = data.get("state_reason") or (
            "completed" if issue.state == "closed" else "reopened"
        )
    issue.updated_at = tracker.tick()
    return json_reply(200, _json(issue, base, full))


def _comment(tracker: IssueTracker, issue: FakeIssue, req: Request, base: str, full: str) -> Reply:
    if tracker.read_only:
        return json_reply(403, NOT_ACCESSIBLE)
    data = _payload(req)
    if data is None or not isinstance(data.get("body"), str):
        return json_reply(422, {"message": "Invalid request.", "status": "422"})
    refused = _too_long(data["body"])
    if refused:
        return refused
    made = tracker.comment(issue, data["body"])
    return json_reply(201, _comment_json(made, issue, base, full))


def _edit_comment(
    tracker: IssueTracker, req: Request, comment_id: int, base: str, full: str
) -> Reply:
    found = [(i, c) for i in tracker.issues for c in i.comments if c.id == comment_id]
    if req.method != "PATCH" or not found:
        return json_reply(404, {"message": "Not Found", "status": "404"})
    if tracker.read_only:
        return json_reply(403, NOT_ACCESSIBLE)
    issue, comment = found[0]
    if comment.author != BOT:  # the token may edit its own comments only, in this fake
        return json_reply(403, NOT_ACCESSIBLE)
    data = _payload(req)
    if data is None or not isinstance(data.get("body"), str):
        return json_reply(422, {"message": "Invalid request.", "status": "422"})
    refused = _too_long(data["body"])
    if refused:
        return refused
    comment.body = data["body"]
    comment.updated_at = tracker.tick()
    return json_reply(200, _comment_json(comment, issue, base, full))
