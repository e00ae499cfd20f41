"""The Wayback Machine's availability API: is there an archived copy of a dead link?

`GET {base}?url=<url>&timestamp=<YYYYMMDDhhmmss>` answers the capture closest to the timestamp
(the latest without one): `{"url": …, "archived_snapshots": {"closest": {"available": true,
"status": "200", "url": "http://web.archive.org/web/<ts>/<url>", "timestamp": "<ts>"}}}`, or
`{"url": …, "archived_snapshots": {}}` when there is none.

Only a capture the archive calls available, of a page that answered 200, is a copy worth
offering. Its address is built here, `https://web.archive.org/web/<timestamp>/<url>` with the
list's own URL, rather than taken from the answer: whatever the answer says, the fix can only
ever point at the archive. The archive is a shared, donated service: two requests at a time at
most, Retry-After honoured by the shared client, and a refusal ends the asking for the run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from checker.services.http import Http, Unavailable, describe_failure

ARCHIVE = "https://web.archive.org/web/"
PER_HOST = 2  # the archive asks for restraint; one or two at a time is polite
_TIMESTAMP = re.compile(r"\d{14}")


@dataclass(frozen=True)
class Snapshot:
    """An archived copy: when it was captured (YYYYMMDDhhmmss, UTC)."""

    timestamp: str

    def copy_of(self, url: str) -> str:
        return f"{ARCHIVE}{self.timestamp}/{url}"

    @property
    def date(self) -> str:
        t = self.timestamp
        return f"{t[:4]}-{t[4:6]}-{t[6:8]}"


class WaybackService:
    name = "Wayback Machine"

    def __init__(self, http: Http, url: str) -> None:
        self.http = http
        self.url = url
        http.cap_host(url, PER_HOST)

    async def closest(self, url: str, timestamp: str | None) -> Snapshot | None:
        """The archived copy closest to `timestamp`, or None when there is none worth offering.
        Raises Unavailable when the archive could not be asked."""
        import httpx

        params = {"url": url}
        if timestamp:
            params["timestamp"] = timestamp
        try:
            response = await self.http.send("wayback", "GET", self.url, params=params)
        except httpx.HTTPError as exc:
            raise Unavailable(self.name, describe_failure(exc)) from None
        if response.status_code != 200:
            raise Unavailable(self.name, f"HTTP {response.status_code}", response.status_code)
        try:
            data = response.json()
        except ValueError:
            raise Unavailable(self.name, "unreadable answer") from None
        return snapshot_from(data)


def snapshot_from(data: object) -> Snapshot | None:
    """The closest capture of an availability answer, when it is available and was a 200."""
    if not isinstance(data, dict) or not isinstance(data.get("archived_snapshots"), dict):
        raise Unavailable(WaybackService.name, "unreadable answer")
    closest = data["archived_snapshots"].get("closest")
    if not isinstance(closest, dict) or closest.get("available") is not True:
        return None
    timestamp = closest.get("timestamp")
    if str(closest.get("status")) != "200" or not isinstance(timestamp, str):
        return None
    if not _TIMESTAMP.fullmatch(timestamp):
        return None
    return Snapshot(timestamp)
