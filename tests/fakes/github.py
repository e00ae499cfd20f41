"""Fake GitHub API: REST `GET /repos/{owner}/{repo}`, `GET /repositories/{id}`,
`GET /rate_limit`, the issues routes of `issues.py` (`/repos/{owner}/{repo}/issues...`), and
GraphQL `POST /graphql` for aliased `repository(...)` look-ups.

REST bodies are the recorded octokit fixture (tests/data/samples/github) with the repository's
own values put in. Renamed repositories answer 301 + Location to `/repositories/{id}`; private
and missing ones the same 404. Rate limits: x-ratelimit-* headers on every answer, 60 requests
without a token (World.github_unauthenticated_limit) before the primary limit's 403.
GraphQL is not implemented, only recognised: see `parse_repository_queries`.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import re
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import issues
from .wire import Reply, Request, json_reply
from .world import Repo

if TYPE_CHECKING:
    from .server import FakeServices

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "samples" / "github"

NOT_FOUND = {
    "message": "Not Found",
    "documentation_url": "https://docs.github.com/rest/repos/repos#get-a-repository",
    "status": "404",
}
RATE_LIMITED_MESSAGE = (
    "API rate limit exceeded for 127.0.0.1. (But here's the good news: Authenticated requests "
    "get a higher rate limit. Check out the documentation for more details.)"
)
RATE_LIMIT_DOCS = "https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting"
SECONDARY_MESSAGE = (
    "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. "
    "If you reach out to GitHub Support for help, please include the request ID."
)
UNAUTHENTICATED_GRAPHQL = {
    "message": "This endpoint requires you to be authenticated.",
    "documentation_url": "https://docs.github.com/graphql/guides/forming-calls-with-graphql"
    "#authenticating-with-graphql",
    "status": "401",
}

# Fields of Repository the fake answers (None when it has no value for them).
REPOSITORY_FIELDS = {
    "__typename",
    "id",
    "databaseId",
    "name",
    "nameWithOwner",
    "owner",
    "url",
    "isArchived",
    "archivedAt",
    "isDisabled",
    "isPrivate",
    "isFork",
    "isLocked",
    "isMirror",
    "isEmpty",
    "isTemplate",
    "pushedAt",
    "updatedAt",
    "createdAt",
    "stargazerCount",
    "forkCount",
    "visibility",
    "description",
    "homepageUrl",
}
RATE_LIMIT_FIELDS = {"__typename", "cost", "limit", "remaining", "used", "resetAt", "nodeCount"}
VIEWER_FIELDS = {"__typename", "login", "databaseId"}  # the token's own account
OWNER_FIELDS = {"__typename", "login", "id", "url"}


@lru_cache(maxsize=1)
def _template() -> dict[str, Any]:
    data = json.loads((SAMPLES / "get-repository.status200.json").read_text(encoding="utf-8"))
    body: dict[str, Any] = data["body"]
    for key in (
        "permissions",
        "temp_clone_token",
        "allow_squash_merge",
        "allow_merge_commit",
        "allow_rebase_merge",
        "allow_auto_merge",
        "delete_branch_on_merge",
        "allow_update_branch",
        "use_squash_pr_title_as_default",
    ):
        body.pop(key, None)  # only shown to a token with push access
    return body


def _swap(value: Any, pairs: list[tuple[str, str]]) -> Any:
    if isinstance(value, str):
        for old, new in pairs:
            value = value.replace(old, new)
        return value
    if isinstance(value, dict):
        return {k: _swap(v, pairs) for k, v in value.items()}
    if isinstance(value, list):
        return [_swap(v, pairs) for v in value]
    return value


def repo_json(repo: Repo, base: str) -> dict[str, Any]:
    """The REST representation of `repo`, with API URLs under the fake's `base`."""
    body: dict[str, Any] = _swap(
        copy.deepcopy(_template()),
        [
            ("https://api.github.com", base),
            ("octokit-fixture-org/hello-world", repo.full_name),
            ("octokit-fixture-org", repo.owner),
        ],
    )
    owner_id = 10_000_000 + repo.id % 9_000_000
    node = base64.b64encode(f"010:Repository{repo.id}".encode()).decode()
    body.update(
        id=repo.id,
        node_id=node,
        name=repo.name,
        full_name=repo.full_name,
        private=repo.private,
        description=repo.description,
        archived=repo.archived,
        disabled=repo.disabled,
        visibility="private" if repo.private else "public",
        stargazers_count=repo.stars,
        watchers_count=repo.stars,
        watchers=repo.stars,
        pushed_at=repo.pushed_at,
        topics=[],
        default_branch="main",
    )
    for key in ("owner", "organization"):
        body[key]["id"] = owner_id
        body[key]["node_id"] = base64.b64encode(f"012:Organization{owner_id}".encode()).decode()
        body[key]["avatar_url"] = f"https://avatars.githubusercontent.com/u/{owner_id}?v=4"
    return body


def _rate_headers(limit: int, used: int, reset: int, resource: str) -> list[tuple[str, str]]:
    return [
        ("x-ratelimit-limit", str(limit)),
        ("x-ratelimit-remaining", str(max(limit - used, 0))),
        ("x-ratelimit-reset", str(reset)),
        ("x-ratelimit-used", str(min(used, limit))),
        ("x-ratelimit-resource", resource),
        ("x-github-media-type", "github.v3; format=json"),
        ("x-github-request-id", f"0687:0D5B:{used:X}:{reset:X}:62D6351D"),
    ]


def _authorized(req: Request) -> bool:
    value = req.headers.get("authorization", "").strip()
    return bool(re.match(r"(?i)^(bearer|token)\s+\S+", value))


def handle(services: FakeServices, req: Request) -> Reply:
    prefix = services.github_prefix
    path = req.path
    if prefix.endswith("/api/v3"):  # GitHub Enterprise Server: GraphQL beside the REST API
        if path.rstrip("/") == prefix.removesuffix("/v3") + "/graphql":
            return handle_graphql(services, req)
        if path.rstrip("/") == prefix + "/graphql":
            return json_reply(404, {"message": "Not Found", "status": "404"})
    if prefix:
        if not path.startswith(prefix + "/"):
            return json_reply(404, {"message": "Not Found", "status": "404"})
        path = path[len(prefix) :]
    if path.rstrip("/") == "/graphql":
        return handle_graphql(services, req)
    return handle_rest(services, req, path)


def handle_rest(services: FakeServices, req: Request, path: str) -> Reply:
    world = services.world
    state = world.github_state
    authed = _authorized(req)
    limit = world.github_authenticated_limit if authed else world.github_unauthenticated_limit
    who = "token" if authed else "anonymous"
    now = int(time.time())
    if path == "/rate_limit":
        used = state.used.get(who, 0)
        core = {
            "limit": limit,
            "used": used,
            "remaining": max(limit - used, 0),
            "reset": state.reset_at,
        }
        return json_reply(
            200,
            {"resources": {"core": core}, "rate": core},
            _rate_headers(limit, used, state.reset_at, "core"),
        )
    if world.github_rate_limited or state.used.get(who, 0) >= limit:
        reset = now + world.github_reset_in if world.github_rate_limited else state.reset_at
        headers = _rate_headers(limit, limit, reset, "core")
        body = {"message": RATE_LIMITED_MESSAGE, "documentation_url": RATE_LIMIT_DOCS}
        return json_reply(world.github_rate_limit_status, body, headers)
    if world.github_secondary_limited_times > 0:
        world.github_secondary_limited_times -= 1
        used = state.used.get(who, 0)
        headers = [*_rate_headers(limit, used, state.reset_at, "core"), ("retry-after", "1")]
        body = {
            "message": SECONDARY_MESSAGE,
            "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"
            "#about-secondary-rate-limits",
        }
        return json_reply(403, body, headers)

    base = services.github_url
    if issues.matches(path):
        if not authed:  # GitHub answers 401 to writes without a token; reads need one here too
            return json_reply(401, {"message": "Requires authentication", "status": "401"})
        reply = issues.handle(issues.issues_of(world), req, path, base)
    else:
        reply = _rest_answer(services, req, path, base)
    if reply.status != 304:  # conditional requests that hit do not count
        state.used[who] = state.used.get(who, 0) + 1
    reply.headers = _rate_headers(limit, state.used.get(who, 0), state.reset_at, "core") + (
        reply.headers
    )
    return reply


def _rest_answer(services: FakeServices, req: Request, path: str, base: str) -> Reply:
    world = services.world
    if req.method not in ("GET", "HEAD"):
        return json_reply(
            404,
            {
                "message": "Not Found",
                "documentation_url": "https://docs.github.com/rest",
                "status": "404",
            },
        )
    m = re.fullmatch(r"/repos/([^/]+)/([^/]+)/?", path)
    if m:
        full = f"{m.group(1)}/{m.group(2)}"
        repo = world.repo(full)
        if repo is not None and repo.moved_to:
            target = world.resolve_repo(full)
            if target is not None and not target.private:
                url = f"{base}/repositories/{target.id}"
                body = {
                    "message": "Moved Permanently",
                    "url": url,
                    "documentation_url": "https://docs.github.com/v3/#http-redirects",
                }
                return json_reply(301, body, [("location", url)])
            repo = None
        return _repo_reply(req, repo, base)
    m = re.fullmatch(r"/repositories/(\d+)/?", path)
    if m:
        return _repo_reply(req, world.repo_by_id(int(m.group(1))), base)
    return json_reply(
        404,
        {
            "message": "Not Found",
            "documentation_url": "https://docs.github.com/rest",
            "status": "404",
        },
    )


def _repo_reply(req: Request, repo: Repo | None, base: str) -> Reply:
    if repo is None or repo.private:
        return json_reply(404, NOT_FOUND)
    if repo.dmca:
        body = {
            "message": "Repository access blocked",
            "block": {
                "reason": "dmca",
                "created_at": "2024-01-01T00:00:00Z",
                "html_url": f"https://github.com/github/dmca/blob/master/{repo.name}.md",
            },
        }
        return json_reply(451, body)
    payload = json.dumps(repo_json(repo, base), ensure_ascii=False).encode("utf-8")
    etag = '"' + hashlib.sha256(payload).hexdigest() + '"'
    if req.headers.get("if-none-match", "").replace("W/", "") == etag:
        return Reply(304, b"", None, [("etag", etag)])
    return Reply(
        200,
        payload,
        "application/json; charset=utf-8",
        [
            ("etag", etag),
            ("cache-control", "public, max-age=60, s-maxage=60"),
            ("vary", "Accept, Accept-Encoding, Accept, X-Requested-With"),
        ],
    )


# GraphQL --------------------------------------------------------------------------------------


@dataclass
class Selection:
    """One recognised root field of a GraphQL query."""

    alias: str
    field: str  # "repository", "rateLimit" or "viewer"
    args: dict[str, object]
    fields: list[tuple[str, str, list[tuple[str, str]]]]  # (response key, field, sub-fields)
    line: int
    column: int


_ROOT = re.compile(r"(?:\b([A-Za-z_]\w*)\s*:\s*)?\b(repository|rateLimit|viewer)\b\s*(\()?")
_ARG = re.compile(r'(\w+)\s*:\s*("(?:[^"\\]|\\.)*"|\$\w+|true|false|null|-?\d+)')
_TOKEN = re.compile(r"\.\.\.|[A-Za-z_]\w*|[{}():]|\S")


class GraphQLSyntaxError(ValueError):
    pass


def _block(text: str, pos: int) -> tuple[str, int]:
    """The text inside the braces opening at or after `pos`, and the index after the brace."""
    while pos < len(text) and text[pos].isspace():
        pos += 1
    if pos >= len(text) or text[pos] != "{":
        raise GraphQLSyntaxError("expected a selection set")
    depth = 0
    for i in range(pos, len(text)):
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
            if depth == 0:
                return text[pos + 1 : i], i + 1
    raise GraphQLSyntaxError("unbalanced braces")


def _fields(body: str) -> list[tuple[str, str, list[tuple[str, str]]]]:
    tokens = _TOKEN.findall(body)
    out: list[tuple[str, str, list[tuple[str, str]]]] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok == "...":  # inline fragment or spread: skip its name / type condition
            i += 1
            if i < len(tokens) and tokens[i] == "on":
                i += 2
            continue
        if tok in "{}":
            i += 1
            continue
        key = name = tok
        if i + 2 < len(tokens) and tokens[i + 1] == ":":
            name = tokens[i + 2]
            i += 2
        i += 1
        if i < len(tokens) and tokens[i] == "(":  # field arguments: not modelled, skipped
            while i < len(tokens) and tokens[i] != ")":
                i += 1
            i += 1
        subs: list[tuple[str, str]] = []
        if i < len(tokens) and tokens[i] == "{":
            depth, i = 1, i + 1
            while i < len(tokens) and depth:
                if tokens[i] == "{":
                    depth += 1
                elif tokens[i] == "}":
                    depth -= 1
                elif depth == 1 and re.match(r"[A-Za-z_]", tokens[i]):
                    if i + 2 < len(tokens) and tokens[i + 1] == ":":
                        subs.append((tokens[i], tokens[i + 2]))
                        i += 2
                    else:
                        subs.append((tokens[i], tokens[i]))
                i += 1
        out.append((key, name, subs))
    return out


def parse_repository_queries(query: str, variables: dict[str, object]) -> list[Selection]:
    """Find `alias: repository(owner: "o", name: "n"[, followRenames: bool]) { ... }`,
    `rateLimit { ... }` and `viewer { ... }` anywhere in `query`; arguments may be literals or
    `$variables`."""
    out: list[Selection] = []
    pos = 0
    while True:
        m = _ROOT.search(query, pos)
        if m is None:
            return out
        if query[max(m.start() - 1, 0)] == "$":  # a variable called $repository
            pos = m.end()
            continue
        args: dict[str, object] = {}
        end = m.end()
        if m.group(3):
            close = query.find(")", end)
            if close < 0:
                raise GraphQLSyntaxError("unclosed argument list")
            for name, raw in _ARG.findall(query[end:close]):
                value: object
                if raw.startswith('"'):
                    value = json.loads(raw)
                elif raw.startswith("$"):
                    value = variables.get(raw[1:])
                else:
                    value = json.loads(raw)
                args[name] = value
            end = close + 1
        body, after = _block(query, end)
        line = query.count("\n", 0, m.start()) + 1
        column = m.start() - (query.rfind("\n", 0, m.start()) + 1) + 1
        alias = m.group(1) or m.group(2)
        out.append(Selection(alias, m.group(2), args, _fields(body), line, column))
        pos = after


def _repo_node(repo: Repo, fields: list[tuple[str, str, list[tuple[str, str]]]]) -> dict[str, Any]:
    values: dict[str, Any] = {
        "__typename": "Repository",
        "id": base64.b64encode(f"010:Repository{repo.id}".encode()).decode(),
        "databaseId": repo.id,
        "name": repo.name,
        "nameWithOwner": repo.full_name,
        "url": f"https://github.com/{repo.full_name}",
        "isArchived": repo.archived,
        "archivedAt": (repo.archived_at or "2024-06-01T00:00:00Z") if repo.archived else None,
        "isDisabled": repo.disabled,
        "isPrivate": repo.private,
        "isFork": False,
        "isLocked": False,
        "isMirror": False,
        "isEmpty": False,
        "isTemplate": False,
        "pushedAt": repo.pushed_at,
        "updatedAt": repo.pushed_at,
        "createdAt": "2020-01-01T00:00:00Z",
        "stargazerCount": repo.stars,
        "forkCount": 0,
        "visibility": "PRIVATE" if repo.private else "PUBLIC",
        "description": repo.description,
        "homepageUrl": None,
    }
    owner = {
        "__typename": "Organization",
        "login": repo.owner,
        "id": base64.b64encode(f"012:Organization{repo.id}".encode()).decode(),
        "url": f"https://github.com/{repo.owner}",
    }
    node: dict[str, Any] = {}
    for key, name, subs in fields:
        if name == "owner":
            node[key] = {k: owner.get(n) for k, n in subs}
        else:
            node[key] = values.get(name)
    return node


def _undefined(sel: Selection, type_name: str, name: str) -> dict[str, Any]:
    return {
        "path": ["query", sel.alias, name],
        "extensions": {"code": "undefinedField", "typeName": type_name, "fieldName": name},
        "locations": [{"line": sel.line, "column": sel.column}],
        "message": f"Field '{name}' doesn't exist on type '{type_name}'",
    }


def handle_graphql(services: FakeServices, req: Request) -> Reply:
    world = services.world
    state = world.github_state
    if req.method != "POST":
        return json_reply(
            404, {"message": "Not Found", "documentation_url": "https://docs.github.com/graphql"}
        )
    if not _authorized(req):
        return json_reply(401, UNAUTHENTICATED_GRAPHQL)
    limit = world.github_authenticated_limit
    try:
        payload = json.loads(req.body or b"null")
    except ValueError:
        return json_reply(
            400,
            {
                "message": "Problems parsing JSON",
                "documentation_url": "https://docs.github.com/graphql",
            },
        )
    query = payload.get("query") if isinstance(payload, dict) else None
    if not isinstance(query, str):
        return json_reply(
            200,
            {"errors": [{"message": "A query attribute must be specified and must be a string."}]},
        )
    if world.github_graphql_rate_limited:
        reset = int(time.time()) + world.github_reset_in
        body = {
            "errors": [
                {
                    "type": "RATE_LIMITED",
                    "code": "graphql_rate_limit",
                    "message": "API rate limit already exceeded for user ID 1.",
                }
            ]
        }
        return json_reply(200, body, _rate_headers(limit, limit, reset, "graphql"))
    variables = payload.get("variables") or {}
    try:
        selections = parse_repository_queries(query, variables)
    except GraphQLSyntaxError as exc:
        return json_reply(
            200,
            {
                "errors": [
                    {"message": f"Parse error: {exc}", "locations": [{"line": 1, "column": 1}]}
                ]
            },
        )
    invalid: list[dict[str, Any]] = []
    for sel in selections:
        known, type_name = {
            "repository": (REPOSITORY_FIELDS, "Repository"),
            "rateLimit": (RATE_LIMIT_FIELDS, "RateLimit"),
            "viewer": (VIEWER_FIELDS, "User"),
        }[sel.field]
        for _key, name, subs in sel.fields:
            if name not in known:
                invalid.append(_undefined(sel, type_name, name))
            for _sub_key, sub in subs:
                if name == "owner" and sub not in OWNER_FIELDS:
                    invalid.append(_undefined(sel, "RepositoryOwner", sub))
    if invalid:  # validation fails the whole query: no data at all
        return json_reply(200, {"errors": invalid})

    key = "graphql"
    state.used[key] = state.used.get(key, 0) + 1
    used = state.used[key]
    data: dict[str, Any] = {}
    errors: list[dict[str, Any]] = []
    for sel in selections:
        if sel.field == "rateLimit":
            values = {
                "__typename": "RateLimit",
                "cost": 1,
                "limit": limit,
                "used": used,
                "remaining": max(limit - used, 0),
                "nodeCount": len(selections),
                "resetAt": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(state.reset_at)),
            }
            data[sel.alias] = {k: values.get(n) for k, n, _ in sel.fields}
            continue
        if sel.field == "viewer":  # whoever the token is writes as issues.BOT
            login = issues.BOT
            values = {"__typename": "Bot", "login": login, "databaseId": issues.USER_IDS[login]}
            data[sel.alias] = {k: values.get(n) for k, n, _ in sel.fields}
            continue
        follow = sel.args.get("followRenames", True) is not False
        full = f"{sel.args.get('owner')}/{sel.args.get('name')}"
        repo = world.repo(full)
        if repo is not None and repo.moved_to:
            repo = world.resolve_repo(full) if follow else None
        if repo is None or repo.private or repo.dmca:
            data[sel.alias] = None
            errors.append(
                {
                    "type": "NOT_FOUND",
                    "path": [sel.alias],
                    "locations": [{"line": sel.line, "column": sel.column}],
                    "message": f"Could not resolve to a Repository with the name '{full}'.",
                }
            )
            continue
        data[sel.alias] = _repo_node(repo, sel.fields)
    answer: dict[str, Any] = {"data": data}
    if errors:
        answer["errors"] = errors
    return json_reply(200, answer, _rate_headers(limit, used, state.reset_at, "graphql"))
