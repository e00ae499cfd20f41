"""Fake web host for plain links, and the canary that only records who reached it.

Pages come from `World.pages` by path. Unknown paths are 404. `Location` placeholders `{web}` and
`{canary}` become those servers' origins, so a redirect can point at another loopback port
without knowing it in advance. Nothing here ever names an address outside 127.0.0.0/8: a client
that wrongly followed such a redirect would send real traffic there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .wire import Reply, Request
from .world import Page

if TYPE_CHECKING:
    from .server import FakeServices

REASONS = {
    200: "OK",
    301: "Moved Permanently",
    302: "Found",
    303: "See Other",
    307: "Temporary Redirect",
    308: "Permanent Redirect",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    410: "Gone",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
}


def _html(status: int, title: str) -> bytes:
    reason = REASONS.get(status, "")
    return (
        f"<!doctype html><html><head><title>{title}</title></head>"
        f"<body><h1>{status} {reason}</h1></body></html>"
    ).encode()


def find_page(pages: dict[str, Page], target: str, path: str) -> Page | None:
    for key in (target, path):
        page = pages.get(key)
        if page is not None:
            return page
    return next((p for p in pages.values() if p.path in (target, path)), None)


def handle(services: FakeServices, req: Request) -> Reply:
    page = find_page(services.world.pages, req.target, req.path)
    if page is None:
        return Reply(404, _html(404, "Not Found"), "text/html; charset=utf-8")
    page.hits += 1
    if page.drop:
        return Reply(0, drop=True, delay=page.delay)
    if page.hits <= page.fail_times:
        reply = Reply(
            page.fail_status,
            _html(page.fail_status, "Unavailable"),
            "text/html; charset=utf-8",
            delay=page.delay,
        )
        if page.retry_after is not None:
            reply.headers.append(("retry-after", str(page.retry_after)))
        return reply
    status = page.status
    if req.method == "HEAD" and page.head_status is not None:
        status = page.head_status
    body = page.body.encode() if page.body is not None else _html(status, page.path)
    reply = Reply(status, body, page.content_type, delay=page.delay)
    if page.location is not None and 300 <= status < 400:
        location = page.location.replace("{web}", services.web_url)
        location = location.replace("{canary}", services.canary_url)
        reply.headers.append(("location", location))
    if page.retry_after is not None and status in (429, 503):
        reply.headers.append(("retry-after", str(page.retry_after)))
    if status == 405:
        reply.headers.append(("allow", "GET"))
    return reply


def handle_canary(services: FakeServices, req: Request) -> Reply:
    return Reply(200, b"canary: this request should not have been made\n", "text/plain")
