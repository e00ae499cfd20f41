"""Ordinary web links: HEAD, then GET where HEAD is refused; redirects followed by hand.

Following redirects ourselves lets us refuse any hop into a loopback, private or link-local
address (checked on the resolved addresses, not only the name) and tell permanent redirects
(301/308 all the way) from temporary ones.

A name is resolved once per run, its addresses checked, and every request to it then connects
to a checked address (`connect_to`, TLS still verified against the name): a name that answers a
public address to the check and a private one to the connection (DNS rebinding) never gets the
second answer used. No body is read: the status line and headers say whether a link is alive,
so a server that sends without end costs nothing.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from checker.links import not_public, private_host
from checker.services.http import Unavailable, describe_failure

if TYPE_CHECKING:  # httpx and asyncio are loaded when a link is checked, not with LinkStatus
    import asyncio

    import httpx

    from checker.services.http import Http

MAX_HOPS = 10  # redirects followed; the answer after the tenth is the last one read
_PERMANENT = {301, 308}
_REDIRECT = {301, 302, 303, 307, 308}
_DENIED = {401, 403}  # bot walls (Cloudflare & co.): not evidence that a link rotted
PROXY_CREDENTIALS = "the proxy this machine goes through asked for credentials (HTTP 407)"


@dataclass(frozen=True)
class LinkStatus:
    url: str
    ok: bool = False
    status: int | None = None
    moved_to: str | None = None  # final URL of an all-permanent redirect chain
    error: str | None = None  # why it is broken
    private: str | None = None  # the private target we refused to fetch
    unverified: str | None = None  # why we could not tell (rate limit, bot wall)


class _Unresolved(Exception):
    """The name has no address (or the lookup failed): the link cannot be reached. `transient`:
    the resolver could not answer for now (EAI_AGAIN, a timeout under load), which says nothing
    about the name."""

    def __init__(self, reason: str, transient: bool = False) -> None:
        super().__init__(reason)
        self.transient = transient


Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Awaitable[list[str]]]
Policy = Callable[[Address], bool]  # may this address be fetched?


def public_only(address: Address) -> bool:
    return not not_public(address)


class WebService:
    name = "web"

    def __init__(
        self,
        http: Http,
        allow_private: bool,
        resolve: Resolver | None = None,
        allowed: Policy | None = None,
    ) -> None:
        """`allowed` replaces the address policy (tests: loopback fakes allowed, others not);
        by default only public addresses, or any with `allow_private`."""
        self.http = http
        self.allow_private = allow_private and allowed is None
        self.resolve = resolve or _resolve
        self.allowed = allowed or public_only
        self.pins: dict[str, list[str]] = {}  # name → its checked addresses, for the whole run
        # name → its lookup while in flight: links checked at once on one host share it
        self._vetting: dict[str, asyncio.Task[tuple[str | None, list[str]]]] = {}

    async def check(self, url: str) -> LinkStatus:
        import httpx

        try:
            return await self._check(url)
        except Unavailable as exc:
            # a rate limit, or a server asking to come back later (503 with Retry-After on
            # every try): nothing says the link is dead
            if exc.status == 429 or exc.asked_wait is not None:
                return LinkStatus(url, status=exc.status, unverified=exc.reason)
            return LinkStatus(url, status=exc.status, error=exc.reason)
        except httpx.HTTPError as exc:
            return LinkStatus(url, error=describe_failure(exc, self.http.settings.timeout))
        except (httpx.InvalidURL, ValueError) as exc:  # incl. UnicodeError from IDNA
            return LinkStatus(url, error=f"invalid URL: {exc}")

    async def _check(self, url: str) -> LinkStatus:
        import httpx

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
        import httpx

        current = url
        permanent = True
        for _ in range(MAX_HOPS + 1):  # the first request, then one per redirect
            try:
                refused, addresses = await self._vet(current)
            except _Unresolved as exc:
                if exc.transient:
                    return LinkStatus(url, unverified=str(exc))
                return LinkStatus(url, error=str(exc))
            if refused:
                return LinkStatus(url, private=f"{current} ({refused})")
            response = await self._send(method, current, addresses)
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
            if code == 407:  # from a proxy on our side (HTTP_PROXY): nothing about the site
                return LinkStatus(url, status=code, unverified=PROXY_CREDENTIALS)
            return LinkStatus(url, status=code, error=f"HTTP {code}")
        return LinkStatus(url, error=f"more than {MAX_HOPS} redirects")

    async def _send(self, method: str, url: str, addresses: list[str]) -> httpx.Response:
        """To the checked addresses in turn (IPv4 first), or by name when none was checked."""
        import httpx

        for address in addresses[:-1]:
            try:
                return await self.http.send("web", method, url, stream=True, connect_to=address)
            except httpx.ConnectError:
                continue  # e.g. an IPv6 address on a machine without an IPv6 route
        last = addresses[-1] if addresses else None
        return await self.http.send("web", method, url, stream=True, connect_to=last)

    async def _vet(self, url: str) -> tuple[str | None, list[str]]:
        """Why this URL must not be fetched (or None), and the addresses to connect to (none:
        connect by name, when every address is allowed anyway)."""
        if self.allow_private:
            return None, []
        import httpx

        parsed = httpx.URL(url)
        host = parsed.host
        if not host:
            return "no host", []
        try:
            literal: Address | None = ipaddress.ip_address(host)
        except ValueError:
            literal = None
        if literal is not None:
            if not self.allowed(literal):
                return f"private address {host}", []
            return None, []
        if self.allowed is public_only and private_host(url):  # a loopback name: localhost
            return f"private address {host}", []
        pinned = self.pins.get(host)
        if pinned is not None:
            return None, pinned
        import asyncio

        lookup = self._vetting.get(host)
        if lookup is None:
            lookup = asyncio.create_task(self._lookup(host, parsed.port or 443))
            self._vetting[host] = lookup
        # shielded: one link's check being cancelled must not cancel the others' lookup
        return await asyncio.shield(lookup)

    async def _lookup(self, host: str, port: int) -> tuple[str | None, list[str]]:
        """Resolve `host` and check its addresses: pinned when all are allowed, else the refusal.
        Shared by the links that wait on it, then dropped: as before, a refusal or a failed lookup
        is tried afresh by the next link."""
        try:
            try:
                found = await self.resolve(host, port)
            except (OSError, UnicodeError) as exc:
                import socket  # loaded by asyncio already: a run that reads a cache needs neither

                # never fall back to connecting by name: a second lookup could answer otherwise
                if isinstance(exc, socket.gaierror) and exc.errno == socket.EAI_AGAIN:
                    raise _Unresolved(f"DNS: no answer for now ({host})", transient=True) from exc
                raise _Unresolved(f"DNS: host not found ({host})") from exc
            addresses = [ipaddress.ip_address(text.split("%")[0]) for text in found]
            for address in addresses:
                if not self.allowed(address):
                    return f"{host} resolves to private address {address}", []
            ordered = sorted(dict.fromkeys(addresses), key=lambda a: a.version)  # IPv4 first
            self.pins[host] = [str(a) for a in ordered]
            return None, self.pins[host]
        finally:
            self._vetting.pop(host, None)


async def _resolve(host: str, port: int) -> list[str]:
    import asyncio
    import socket

    infos = await asyncio.get_running_loop().getaddrinfo(
        host, port, type=socket.SOCK_STREAM, flags=socket.AI_ADDRCONFIG
    )
    return [str(info[4][0]) for info in infos]


def _keep_fragment(final: str, original: str) -> str:
    """Redirects drop the #fragment (it never reaches the server); the link should keep it."""
    fragment = original.partition("#")[2]
    if fragment and "#" not in final:
        return f"{final}#{fragment}"
    return final


