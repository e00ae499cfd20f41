"""Fake Wayback Machine availability API: `GET /wayback/available?url=…[&timestamp=…]`.

Answers in the shape archive.org documents and sends (application/json): the capture closest to
`timestamp` (the latest without one) as `{"url": …, "archived_snapshots": {"closest":
{"status": "200", "available": true, "url": "http://web.archive.org/web/<ts>/<url>",
"timestamp": "<ts>"}}}`, with the status the page answered when it was captured, or
`{"url": …, "archived_snapshots": {}}` when the world holds no capture of that URL. A partial
timestamp (`2013`, `201309`) is read as its earliest moment, as the archive does.

Faults: `World.wayback_429_times` (429 with `Retry-After: wayback_retry_after`) and
`World.wayback_unavailable_times` (503, the archive's usual trouble).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .wire import Reply, Request, json_reply, text_reply

if TYPE_CHECKING:
    from .server import FakeServices
    from .world import Capture

PATH = "/wayback/available"


def _moment(timestamp: str) -> int:
    digits = "".join(ch for ch in timestamp if ch.isdigit())[:14]
    return int(digits.ljust(14, "0")) if digits else 0


def closest(captures: list[Capture], timestamp: str | None) -> Capture | None:
    if not captures:
        return None
    if not timestamp:
        return max(captures, key=lambda c: c.timestamp)
    wanted = _moment(timestamp)
    return min(captures, key=lambda c: (abs(_moment(c.timestamp) - wanted), c.timestamp))


def handle(services: FakeServices, req: Request) -> Reply:
    world = services.world
    if req.path.rstrip("/") != PATH:
        return text_reply(404, "<html><body><h1>404 Not Found</h1></body></html>", "text/html")
    world.wayback_asked.append((req.query.get("url", ""), req.query.get("timestamp")))
    if world.wayback_429_times > 0:
        world.wayback_429_times -= 1
        reply = text_reply(429, "<html><body>Too Many Requests</body></html>", "text/html")
        reply.headers.append(("retry-after", str(world.wayback_retry_after)))
        return reply
    if world.wayback_unavailable_times > 0:
        world.wayback_unavailable_times -= 1
        return text_reply(503, "<html><body>Service Unavailable</body></html>", "text/html")
    url = req.query.get("url", "")
    capture = closest([c for c in world.captures if c.url == url], req.query.get("timestamp"))
    if capture is None:
        return json_reply(200, {"url": url, "archived_snapshots": {}})
    return json_reply(
        200,
        {
            "url": url,
            "archived_snapshots": {
                "closest": {
                    "status": str(capture.status),
                    "available": True,
                    "url": f"http://web.archive.org/web/{capture.timestamp}/{url}",
                    "timestamp": capture.timestamp,
                }
            },
        },
    )
