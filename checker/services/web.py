"""Ordinary web links: HEAD, then GET where HEAD is refused; redirects followed by hand.

Following redirects ourselves lets us refuse any hop into a loopback, private or link-local
address (checked on the resolved addresses, not only the name) and tell permanent redirects
(301/308 all the way) from temporary ones.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import httpx

from checker.links import not_public, private_host
from checker.services.http import Http, Unavailable

MAX_HOPS = 10
_PERMANENT = {301, 308}
_REDIRECT = {301, 302, 303, 307, 308}
_DENIED = {401, 403}  # bot walls (Cloudflare & co.): not evidence that a link rotted


@dataclass(frozen=True)
class LinkStatus:
    url: str
    ok: bool = False
    status: int | None = None
    moved_to: str | None = None  # final URL of an all-permanent redirect chain
    error: str | None = None  # why it is broken
    private: str | None = None  # the private target we refused to fetch
    unverified: str | None = None  # why we could not tell (rate limit, bot wall)


class WebService:
    name = "web"

    def __init__(self, http: Http, allow_private: bool, resolve: Resolver | None = None) -> None:
        self.http = http
        self.allow_private = allow_private
        self.resolve = resolve or _resolve

    async def check(self, url: str) -> LinkStatus:
        try:
            return await self._check(url)
        except Unavailable as exc:
            if exc.status == 429:
                return LinkStatus(url, status=429, unverified=exc.reason)
            return LinkStatus(url, status=exc.status, error=exc.reason)
        except httpx.TimeoutException:
            return LinkStatus(url, error=f"timed out after {self.http.settings.timeout:g}s")
        except httpx.HTTPError as exc:
            return LinkStatus(url, error=_transport_error(exc))
        except (httpx.InvalidURL, ValueError) as exc:  # incl. UnicodeError from IDNA
            return LinkStatus(url, error=f"invalid URL: {exc}")

    async def _check(self, url: str) -> LinkStatus:
        try:
            status = await self._follow(url, "HEAD")
        except httpx.TimeoutException:
            raise
        except (Unavailable, httpx.HTTPError):
            status = None  # many servers mishandle HEAD: ask again with GET before judging
        if status is None or (
            status.status is not None and status.status >= 400 and not status.private
        ):
            status = await self._follow(url, "GET")
        return status

    async def _follow(self, url: str, method: str) -> LinkStatus:
        current = url
        permanent = True
        for _ in range(MAX_HOPS):
            refused = await self.refuse(current)
            if refused:
                return LinkStatus(url, private=f"{current} ({refused})")
            response = await self.http.send("web", method, current, stream=True)
            await response.aclose()
            code = response.status_code
            if code in _REDIRECT and response.headers.get("location"):
                permanent = permanent and code in _PERMANENT
                current = str(httpx.URL(current).join(response.headers["location"]))
                continue
            if code < 400:
                moved = _keep_fragment(current, url) if permanent and current != url else None
                return LinkStatus(url, ok=True, status=code, moved_to=moved)
            if code in _DENIED and method == "GET":
                return LinkStatus(url, status=code, unverified=f"access denied (HTTP {code})")
            return LinkStatus(url, status=code, error=f"HTTP {code}")
        return LinkStatus(url, error=f"more than {MAX_HOPS} redirects")

    async def refuse(self, url: str) -> str | None:
        """Why this URL must not be fetched, or None; resolves the name to check the address."""
        if self.allow_private:
            return None
        parsed = httpx.URL(url)
        host = parsed.host
        if not host:
            return "no host"
        if private_host(url):  # the offline rule's own test: a loopback name or private literal
            return f"private address {host}"
        try:
            ipaddress.ip_address(host)
            return None  # a public literal: nothing to resolve
        except ValueError:
            pass
        try:
            addresses = await self.resolve(host, parsed.port or 443)
        except (OSError, UnicodeError):
            return None  # let the fetch report the DNS failure
        for text in addresses:
            address = ipaddress.ip_address(text.split("%")[0])
            if not_public(address):
                return f"{host} resolves to private address {address}"
        return None


Resolver = Callable[[str, int], Awaitable[list[str]]]


async def _resolve(host: str, port: int) -> list[str]:
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def _keep_fragment(final: str, original: str) -> str:
    """Redirects drop the #fragment (it never reaches the server); the link should keep it."""
    fragment = original.partition("#")[2]
    if fragment and "#" not in final:
        return f"{final}#{fragment}"
    return final


def _transport_error(exc: httpx.HTTPError) -> str:
    text = str(exc) or type(exc).__name__
    if "Name or service not known" in text or "nodename nor servname" in text:
        return "DNS: host not found"
    if "CERTIFICATE" in text.upper() or "SSL" in text.upper():
        return f"TLS: {text}"
    return f"connection failed: {text}"
