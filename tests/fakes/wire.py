"""The request record every fake logs, and the reply every fake handler returns."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl


@dataclass
class Request:
    """One request as a fake service received it. `headers` has lower-case names (repeated
    headers joined with ", "); `query` holds the URL's parameters (the last value wins; all of
    them in `query_items`); `time` is `time.monotonic()` on arrival; `status` is filled in once
    the answer is sent (None while in flight, 0 for a dropped connection); `local_host` is the
    loopback address the connection reached, `peer_port` the client's end of it."""

    service: str
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    time: float
    target: str = ""
    query_items: list[tuple[str, str]] = field(default_factory=list)
    status: int | None = None
    local_host: str = "127.0.0.1"  # the loopback address it arrived on (see listen_also)
    peer_port: int = 0  # the client's port: one per connection, so reuse shows

    @property
    def form(self) -> dict[str, str]:
        """The body's parameters when it is a url-encoded form (an arXiv POST)."""
        if "application/x-www-form-urlencoded" not in self.headers.get("content-type", ""):
            return {}
        return dict(parse_qsl(self.body.decode("utf-8", "replace"), keep_blank_values=True))

    def param(self, name: str) -> str | None:
        """A parameter from the form body, else from the URL."""
        form = self.form
        if name in form:
            return form[name]
        return self.query.get(name)

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Reply:
    status: int
    body: bytes = b""
    content_type: str | None = None
    headers: list[tuple[str, str]] = field(default_factory=list)
    delay: float = 0.0
    drop: bool = False


def json_reply(
    status: int,
    payload: object,
    headers: list[tuple[str, str]] | None = None,
    content_type: str = "application/json; charset=utf-8",
    compact: bool = False,
) -> Reply:
    if compact:
        text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    else:
        text = json.dumps(payload, ensure_ascii=False)
    return Reply(status, text.encode("utf-8"), content_type, list(headers or []))


def text_reply(status: int, text: str, content_type: str = "text/plain") -> Reply:
    return Reply(status, text.encode("utf-8"), content_type)
