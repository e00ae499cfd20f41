"""Faults on the wire, for any fake service: what a real server or network does on a bad day.

    fake.faults.append(Fault("arxiv", "truncate", keep=200))      # cut the Atom feed short
    fake.faults.append(Fault("web", "drip", path="/slow"))          # one byte a second
    fake.faults.append(Fault("github", "rewrite", rewrite=fn))      # change the JSON body

A fault applies to the requests of its `service` whose path starts with `path` (any when None),
`times` times (always when None); the first matching fault wins. The service's own answer is
computed as usual and then spoiled:

- "stall": wait `seconds` before answering (the answer itself is fine);
- "reset": send the headers and half the body, then reset the connection (TCP RST);
- "truncate": send the first `keep` bytes of the body as if they were all of it;
- "replace": answer `status` / `body` / `content_type` / `headers` instead (an HTML page for
  JSON, a 429 storm with its Retry-After);
- "rewrite": answer `rewrite(body)` instead of the body;
- "drip": send the whole answer, status line included, one byte every `seconds`;
- "endless": send the headers, then a chunked body that never ends.

Dripping and endless answers stop when the client goes away or the servers close.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

KINDS = ("stall", "reset", "truncate", "replace", "rewrite", "drip", "endless")


@dataclass
class Fault:
    service: str
    kind: str
    path: str | None = None
    times: int | None = None
    seconds: float = 1.0
    keep: int = 0
    status: int = 200
    body: bytes = b""
    content_type: str | None = "text/html; charset=utf-8"
    headers: list[tuple[str, str]] = field(default_factory=list)  # with "replace"
    rewrite: Callable[[bytes], bytes] | None = None
    hits: int = 0

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown fault {self.kind!r}: one of {', '.join(KINDS)}")

    def matches(self, service: str, path: str) -> bool:
        if service != self.service or (self.path is not None and not path.startswith(self.path)):
            return False
        return self.times is None or self.hits < self.times
