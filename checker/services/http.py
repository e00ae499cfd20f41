"""One shared HTTP client for every service: concurrency caps, pacing, polite retries.

Retries (tenacity) happen only on 429, 5xx and connection errors, and wait what the server asks
(`Retry-After`, GitHub's `x-ratelimit-reset`) when it asks for something we can afford; a server
that asks for longer than `max_wait` is given up on at once, so the caller can report the entries
as unverified instead of stalling a CI job for an hour.

`timeout` is a deadline for each attempt as a whole (connect, headers, body), not for each
read: a server that answers one byte a second would otherwise hold a request forever. So one
item waits at most `attempts` deadlines plus the pauses between them. An answer is read up to
`max_body` bytes, counted as sent and again once its Content-Encoding (gzip, deflate: all we ask
for) is undone, which we do ourselves a piece at a time: a server that sends without end, or 1 MB
that inflates to 1 GB, is cut off (Unavailable) before it is held.

A request that is not idempotent (`idempotent=False`: creating an issue, posting a comment) is
never sent twice unless it surely was not acted on: a transport error once it may have gone out
(a reset, a read timeout, the deadline) is raised at once, since the server may have done the
work and lost only the answer; a failure to connect, before anything was sent, is retried. Its
answers are retried only as `should_retry` says (by default only a 429, which a server sends
instead of acting): a 5xx may come after the work was done.

`connect_to` pins a request to an address already checked (see services/web.py): the URL, the
Host header and TLS (SNI and certificate check) keep the name; only the socket goes to that
address, so a second DNS answer can never send the request elsewhere.

httpx, tenacity and asyncio are imported when a client is made, not with this module: a run that
finds every answer in the cache never loads the network side (a tenth of a second of start-up).
"""

from __future__ import annotations

import math
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from checker import __version__
from checker.threads import meanwhile

if TYPE_CHECKING:
    import asyncio
    import ssl

    import httpx
    from tenacity import RetryCallState

# who asks, as arXiv and Semantic Scholar want to know; no address that is not ours to give
USER_AGENT = f"paperlint/{__version__} (paper-list checker; python-httpx)"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
# Slots of the global cap that only paced requests take: one each for arXiv, its title search,
# Semantic Scholar and DBLP, which pace themselves to one request at a time.
PACED_RESERVE = 4


def describe_failure(exc: BaseException, timeout: float | None = None) -> str:
    """Why a request got no usable answer, in words a maintainer reads in a report (never just an
    exception's class name). Web findings rely on the prefixes: "timed out", "DNS", "TLS",
    "connection failed" (see verify: all links failing to connect means our network is down)."""
    import httpx

    if isinstance(exc, Unavailable):
        return exc.reason
    if isinstance(exc, httpx.TimeoutException):
        return f"timed out after {timeout:g}s" if timeout else "timed out"
    if isinstance(exc, httpx.DecodingError):
        return f"unreadable answer ({exc})"
    if isinstance(exc, httpx.HTTPError):
        text = str(exc) or type(exc).__name__
        if "Name or service not known" in text or "nodename nor servname" in text:
            return "DNS: host not found"
        if "CERTIFICATE" in text.upper() or "SSL" in text.upper():
            return f"TLS: {text}"
        return f"connection failed: {text}"
    if isinstance(exc, ValueError):  # JSON or XML that does not parse
        return "unreadable answer"
    return str(exc) or type(exc).__name__


class Unavailable(Exception):
    """A service could not answer after retries: its entries are unverified, not failed.
    `asked_wait`: the seconds the last answer asked us to wait (Retry-After), if it did."""

    def __init__(
        self,
        service: str,
        reason: str,
        status: int | None = None,
        asked_wait: float | None = None,
    ) -> None:
        super().__init__(f"{service}: {reason}")
        self.service = service
        self.reason = reason
        self.status = status
        self.asked_wait = asked_wait


class _Retry(Exception):
    """A response worth asking again for."""

    def __init__(self, response: httpx.Response) -> None:
        super().__init__(f"HTTP {response.status_code}")
        self.response = response


class _TooLarge(Exception):
    """The answer went on past `max_body` bytes."""


@dataclass
class HttpSettings:
    timeout: float = 20.0  # seconds for a whole request
    max_concurrency: int = 32
    per_host: int = 8
    attempts: int = 4
    backoff: float = 0.5  # first exponential wait when the server names none
    max_wait: float = 60.0  # longest server-requested wait we honour
    max_body: int = 16 * 1024 * 1024  # bytes of an answer we read at most

    def __post_init__(self) -> None:
        # configuration and command line refuse these with a message; this is the last guard
        # (a zero-slot semaphore would wait forever, a zero timeout fail every request)
        if not (math.isfinite(self.timeout) and self.timeout > 0):
            raise ValueError(f"timeout must be a finite number > 0, not {self.timeout!r}")
        if self.max_concurrency < 1 or self.per_host < 1 or self.attempts < 1:
            raise ValueError("max_concurrency, per_host and attempts must be at least 1")


def requested_wait(response: httpx.Response, now: float | None = None) -> float | None:
    """Seconds the server asks us to wait: Retry-After (seconds or date), or GitHub's reset."""
    value = response.headers.get("retry-after")
    if value:
        value = value.strip()
        if value.isdigit():
            return float(value)
        import email.utils

        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            when = None
        if when is not None:
            return max(0.0, when.timestamp() - (now or time.time()))
    if response.headers.get("x-ratelimit-remaining") == "0":
        reset = response.headers.get("x-ratelimit-reset", "")
        if reset.isdigit():
            return max(0.0, int(reset) - (now or time.time()))
    return None


class Pacer:
    """One request at a time, starts at least `interval` seconds apart (arXiv's terms)."""

    def __init__(self, interval: float) -> None:
        import asyncio

        self.interval = interval
        self.lock = asyncio.Lock()
        self.last = float("-inf")
        self.on_its_way = False  # a request of its is sent and not answered yet
        self._answer: asyncio.Future[None] | None = None  # its next answer, when awaited

    def _pause(self) -> float:
        """Seconds left before a request may start."""
        return max(0.0, self.last + self.interval - time.monotonic())

    async def __aenter__(self) -> None:
        await self.lock.acquire()
        if pause := self._pause():
            import asyncio

            await asyncio.sleep(pause)
        self.on_its_way = True

    async def __aexit__(self, *exc: object) -> None:
        self.last = time.monotonic()
        self.on_its_way = False
        if self._answer is not None:
            self._answer.set_result(None)
            self._answer = None
        self.lock.release()

    def quiet_for(self) -> float:
        """Seconds from now before a request of its is on its way: 0 while one is, until its
        pause ends while one waits for its turn, forever while none does."""
        if self.on_its_way:
            return 0.0
        if not self.lock.locked():
            return math.inf
        return self._pause()

    async def next_answer(self) -> None:
        """Until the request on its way, or the next one sent, is answered."""
        import asyncio

        if self._answer is None:
            self._answer = asyncio.get_running_loop().create_future()
        await asyncio.shield(self._answer)  # a waiter that gives up leaves it to the others

    async def turn(self) -> None:
        """Until a request may start, without taking the turn: a caller that may no longer
        want it by then decides at the last moment. Without the lock: right only for a caller
        that is the pacer's one user meanwhile (verify/network.py's early batches)."""
        import asyncio

        if pause := self._pause():
            await asyncio.sleep(pause)


def preload() -> None:
    """Load now what a client's first request loads (anyio's asyncio backend, which httpcore
    picks then, and tenacity). A run's requests start in a thread of their own while the main
    thread parses (verify/network.py): loaded there meanwhile, each file read would wait for the
    parse to hand back the interpreter, and arXiv's first answer came a tenth of a second late,
    and every later batch with it."""
    import importlib

    import tenacity  # noqa: F401

    with suppress(ImportError):  # anyio's own layout: should it move, the request loads it
        importlib.import_module("anyio._backends._asyncio")


def _sniffio_absent() -> None:
    """httpcore tries `import sniffio` each time it makes a lock, a few times a request. Where
    it is not installed, each try searches every folder of sys.path (80 µs) under Python's
    import lock, which a Ctrl-C landing in an import of the main thread can leave taken: the
    network's thread (verify/network.py) would then wait for it for ever. Marked absent in
    sys.modules, Python's own way to say so, each try fails at once, as it would anyway."""
    import importlib.util
    import sys

    if "sniffio" not in sys.modules and importlib.util.find_spec("sniffio") is None:
        sys.modules["sniffio"] = None  # type: ignore[assignment]


_tls_contexts: dict[tuple[str | None, str | None], Callable[[], ssl.SSLContext]] = {}
_tls_lock = threading.Lock()


def _tls_context() -> Callable[[], ssl.SSLContext]:
    """One TLS context for every client of the process (httpx's: certifi's certificates, or
    SSL_CERT_FILE's or SSL_CERT_DIR's, hence the key). Loading the certificates takes 30-50 ms
    and lets other threads run, so the first load runs in a thread of its own while the caller
    loads what the first request needs; a later client (the action's several steps, the nightly
    issue's) takes the same context at once."""
    import os

    key = (os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR"))
    with _tls_lock:
        if key not in _tls_contexts:
            _tls_contexts[key] = meanwhile(_load_tls, "paperlint-tls")
        made = _tls_contexts[key]

    def wait() -> ssl.SSLContext:
        try:
            return made()
        except BaseException:
            with _tls_lock:  # tried again by the next client, not remembered
                if _tls_contexts.get(key) is made:
                    del _tls_contexts[key]
            raise

    return wait


def _load_tls() -> ssl.SSLContext:
    """httpx's TLS context; certificates that cannot be loaded are the user's setting to mend,
    said in one line (ConfigError: exit 2), not a traceback."""
    import os

    import httpx

    try:
        return httpx.create_ssl_context()
    except (OSError, ValueError) as exc:  # ssl.SSLError is an OSError
        from checker.config import ConfigError, escaped

        name = next((n for n in ("SSL_CERT_FILE", "SSL_CERT_DIR") if os.environ.get(n)), "")
        where = f"{name}={escaped(os.environ[name])}" if name else "certifi's certificates"
        reason = getattr(exc, "strerror", None) or str(exc)
        raise ConfigError(
            f"{where}: cannot load certificates to check HTTPS with ({escaped(reason)})"
            + ("; point it at a PEM file of certificates, or unset it" if name else "")
        ) from None


class Http:
    """The shared AsyncClient plus a global cap, per-host caps and per-service pacing."""

    def __init__(self, settings: HttpSettings, client: httpx.AsyncClient | None = None) -> None:
        import asyncio

        _sniffio_absent()
        self.settings = settings
        self._own_clients = client is None  # an injected client (tests) serves every request
        tls = _tls_context() if client is None else None
        preload()
        self._tls: ssl.SSLContext | None = tls() if tls is not None else None
        self.client = client or self._new_client(verify=self._tls)
        # Pinned requests go to an address, so a connection pool keyed by address would hand one
        # name's TLS connection (its certificate, its HTTP/2 stream) to another name on the same
        # address: each name gets a pool of its own, sharing the TLS context.
        self._pinned: dict[str, httpx.AsyncClient] = {}
        # Every request in flight holds one of `slots`: the cap. Unpaced requests (web links,
        # GitHub) together hold at most all but `PACED_RESERVE` of them, so that a paced service's
        # next request (arXiv, Semantic Scholar, DBLP: one at a time each, and their chains set
        # the run's floor) always finds a slot free, however many slow links are in flight.
        cap = settings.max_concurrency
        self.slots = asyncio.Semaphore(cap)
        self.unpaced = asyncio.Semaphore(cap - min(PACED_RESERVE, cap - 1))
        self.host_slots: dict[str, asyncio.Semaphore] = {}
        self.host_caps: dict[str, int] = {}
        self.requests: dict[str, int] = {}  # per service, for the benchmark and the summary

    def cap_host(self, url: str, limit: int) -> None:
        self.host_caps[origin(url)] = limit

    def _host_slot(self, host: str) -> asyncio.Semaphore:
        if host not in self.host_slots:
            import asyncio

            self.host_slots[host] = asyncio.Semaphore(
                self.host_caps.get(host, self.settings.per_host)
            )
        return self.host_slots[host]

    def _new_client(self, **kwargs: Any) -> httpx.AsyncClient:
        import httpx

        try:
            return httpx.AsyncClient(
                http2=True,
                timeout=self.settings.timeout,
                follow_redirects=False,
                # only what `_Decoder` undoes (httpx would add br and zstd when their packages
                # are installed, and undo them whole)
                headers={"user-agent": USER_AGENT, "accept-encoding": ACCEPT_ENCODING},
                limits=httpx.Limits(
                    max_connections=self.settings.max_concurrency,
                    max_keepalive_connections=self.settings.max_concurrency,
                ),
                **kwargs,
            )
        except (ImportError, ValueError) as exc:  # a proxy in ALL_PROXY, HTTPS_PROXY, …: a
            # SOCKS one without socksio, or a scheme httpx does not know (it hides the password)
            from checker.config import ConfigError, escaped

            raise ConfigError(
                "the proxy set in the environment (ALL_PROXY, HTTPS_PROXY or HTTP_PROXY) cannot "
                f"be used: {escaped(str(exc)[:200])}"
            ) from None

    def _client_for(self, request: httpx.Request) -> httpx.AsyncClient:
        name = request.extensions.get("sni_hostname")
        if not isinstance(name, str) or not self._own_clients:
            return self.client
        if name not in self._pinned:
            self._pinned[name] = self._new_client(verify=self._tls)
        return self._pinned[name]

    async def close(self) -> None:
        await self.client.aclose()
        for client in self._pinned.values():
            await client.aclose()

    async def send(
        self,
        service: str,
        method: str,
        url: str,
        *,
        pacer: Pacer | None = None,
        should_retry: Callable[[httpx.Response], bool] | None = None,
        asked_wait: Callable[[httpx.Response], float | None] | None = None,
        stream: bool = False,
        connect_to: str | None = None,
        idempotent: bool = True,
        **kwargs: Any,
    ) -> httpx.Response:
        """Send with retries; the last retryable answer raises Unavailable, others are returned.
        With `idempotent=False`, a transport error after the request may have been sent is
        raised as it is (httpx.TransportError), never retried."""
        from tenacity import (
            AsyncRetrying,
            retry_if_exception,
            stop_after_attempt,
            wait_random_exponential,
        )

        settings = self.settings
        retry_answer = should_retry or (_retryable if idempotent else _refused)

        def wait(state: RetryCallState) -> float:
            exc = state.outcome.exception() if state.outcome else None
            if isinstance(exc, _Retry):
                asked = (asked_wait or requested_wait)(exc.response)
                if asked is not None:
                    return asked
            return float(wait_random_exponential(multiplier=settings.backoff, max=8)(state))

        def stop(state: RetryCallState) -> bool:
            if stop_after_attempt(settings.attempts)(state):
                return True
            exc = state.outcome.exception() if state.outcome else None
            if isinstance(exc, _Retry):
                asked = (asked_wait or requested_wait)(exc.response)
                return asked is not None and asked > settings.max_wait
            return False

        async def attempt() -> httpx.Response:
            response = await self._once(service, method, url, pacer, stream, connect_to, kwargs)
            if retry_answer(response):
                await response.aclose()
                raise _Retry(response)
            return response

        try:
            async for trying in AsyncRetrying(
                retry=retry_if_exception(_worth_retrying if idempotent else _surely_unsent),
                wait=wait,
                stop=stop,
                reraise=True,
            ):
                with trying:
                    return await attempt()
        except _Retry as exc:
            answer = exc.response
            raise Unavailable(
                service, _describe(answer), answer.status_code, requested_wait(answer)
            ) from None
        except _TooLarge:
            limit = settings.max_body / (1024 * 1024)
            raise Unavailable(service, f"answer larger than {limit:g} MB") from None
        raise AssertionError("unreachable")  # pragma: no cover

    async def _once(
        self,
        service: str,
        method: str,
        url: str,
        pacer: Pacer | None,
        stream: bool,
        connect_to: str | None,
        kwargs: dict[str, Any],
    ) -> httpx.Response:
        # The host's slot first, then (paced) the pause, then a slot of the global cap: a request
        # queued behind its host or its pacer holds no global slot meanwhile (200 links on one
        # host would otherwise hold the cap while arXiv's next batch, the run's floor, waits).
        async with self._host_slot(origin(url)):
            if pacer is None:
                async with self.unpaced, self.slots:
                    return await self._sent(service, method, url, connect_to, stream, kwargs)
            async with pacer, self.slots:
                return await self._sent(service, method, url, connect_to, stream, kwargs)

    async def _sent(
        self,
        service: str,
        method: str,
        url: str,
        connect_to: str | None,
        stream: bool,
        kwargs: dict[str, Any],
    ) -> httpx.Response:
        self.requests[service] = self.requests.get(service, 0) + 1
        request = self.client.build_request(method, url, **kwargs)
        if connect_to is not None:
            _pin(request, connect_to)
        return await self._within_deadline(request, stream)

    async def _within_deadline(self, request: httpx.Request, stream: bool) -> httpx.Response:
        import asyncio

        timeout = self.settings.timeout
        try:
            return await asyncio.wait_for(self._request(request, stream), timeout)
        except TimeoutError:
            import httpx

            raise httpx.ReadTimeout(
                f"no complete answer within {timeout:g}s", request=request
            ) from None

    async def _request(self, request: httpx.Request, stream: bool) -> httpx.Response:
        response = await self._client_for(request).send(request, stream=True)
        if stream:
            return response
        try:
            body = await read_body(response, self.settings.max_body)
        finally:
            await response.aclose()
        return _with_body(response, body)


ACCEPT_ENCODING = "gzip, deflate"
_LAYERS = 4  # Content-Encoding layers undone at most (`gzip, gzip, …` nests bombs)
_STEP = 64 * 1024  # bytes one step of inflating gives at most


async def read_body(response: httpx.Response, limit: int) -> bytes:
    """The body of a streamed answer, its Content-Encoding undone, up to `limit` bytes as sent
    and as decoded (`_TooLarge` past either). Nothing more than one step past the limit is ever
    held: a small answer that inflates to gigabytes is cut off after `limit` bytes of it."""
    decoder = _Decoder(response.headers.get_list("content-encoding", split_commas=True))
    parts: list[bytes] = []
    sent = held = 0
    try:
        async for raw in response.aiter_raw():
            sent += len(raw)
            if sent > limit:
                raise _TooLarge()
            for piece in decoder.feed(raw):
                held += len(piece)
                if held > limit:
                    raise _TooLarge()
                parts.append(piece)
        for piece in decoder.flush():
            held += len(piece)
            if held > limit:
                raise _TooLarge()
            parts.append(piece)
    except zlib.error as exc:
        import httpx

        raise httpx.DecodingError(f"unreadable compressed answer: {exc}") from None
    return b"".join(parts)


class _Decoder:
    """Content-Encoding layers (gzip, deflate) undone a step at a time: zlib's `max_length`
    bounds what each step gives, however much the compressed piece inflates to (httpx's own
    decoders inflate each piece whole, then hand it over). Another coding passes through as it
    came, as httpx leaves one it does not know."""

    def __init__(self, codings: list[str]) -> None:
        known = [c.strip().lower() for c in codings]
        known = [c for c in known if c in ("gzip", "x-gzip", "deflate")]
        if len(known) > _LAYERS:
            import httpx

            raise httpx.DecodingError(f"{len(known)} content encodings, one in another")
        self.layers = [_Inflater(c) for c in reversed(known)]  # the last one applied first

    def feed(self, data: bytes) -> Iterator[bytes]:
        return self._through(0, data)

    def flush(self) -> Iterator[bytes]:
        for k, layer in enumerate(self.layers):
            yield from self._through(k + 1, layer.flush())

    def _through(self, k: int, data: bytes) -> Iterator[bytes]:
        if k == len(self.layers):
            if data:
                yield data
            return
        layer = self.layers[k]
        while True:
            out, data = layer.inflate(data)
            yield from self._through(k + 1, out)
            if not data and len(out) < _STEP:
                return


class _Inflater:
    """One gzip or deflate layer. `deflate` is zlib-wrapped by the standard, raw by some
    servers: the first piece says which (as httpx reads it)."""

    def __init__(self, coding: str) -> None:
        self.raw_tried = coding != "deflate"
        wbits = zlib.MAX_WBITS | 16 if coding != "deflate" else zlib.MAX_WBITS
        self.zlib = zlib.decompressobj(wbits)

    def inflate(self, data: bytes) -> tuple[bytes, bytes]:
        """At most `_STEP` bytes of output, and the input left for the next step."""
        try:
            out = self.zlib.decompress(data, _STEP)
        except zlib.error:
            if self.raw_tried:
                raise
            self.raw_tried = True
            self.zlib = zlib.decompressobj(-zlib.MAX_WBITS)
            out = self.zlib.decompress(data, _STEP)
        self.raw_tried = True
        return out, self.zlib.unconsumed_tail

    def flush(self) -> bytes:
        return self.zlib.flush()


def _with_body(response: httpx.Response, body: bytes) -> httpx.Response:
    """The answer as read: its decoded body, without the Content-Encoding that no longer
    applies (and its Content-Length, which counted the encoded bytes)."""
    import httpx

    headers = [
        (k, v)
        for k, v in response.headers.raw
        if k.lower() not in (b"content-encoding", b"content-length")
    ]
    return httpx.Response(
        response.status_code,
        headers=headers,
        content=body,
        request=response.request,
        extensions=response.extensions,
        history=response.history,
    )


def _pin(request: httpx.Request, address: str) -> None:
    """Send this request to `address`; Host, SNI and the certificate check keep the name."""
    name = request.url.host
    request.extensions = {**request.extensions, "sni_hostname": name}
    request.url = request.url.copy_with(host=address)


def _worth_retrying(exc: BaseException) -> bool:
    """A rate limit or 5xx (`_Retry`), a failed connection or a request out of time: one slow
    answer on a busy network is not evidence that a link is dead."""
    import httpx

    return isinstance(exc, (_Retry, httpx.TransportError))


def _surely_unsent(exc: BaseException) -> bool:
    """For a request that must not be repeated: retry a refusal (`_Retry`, as `should_retry`
    decided) or a request that never left (no connection, or none free in the pool); anything
    later may have reached the server."""
    import httpx

    return isinstance(exc, (_Retry, httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout))


def _retryable(response: httpx.Response) -> bool:
    return response.status_code in RETRY_STATUSES


def _refused(response: httpx.Response) -> bool:
    """429: the server refused without acting, so sending again cannot do the work twice."""
    return response.status_code == 429


def origin(url: str) -> str:
    """scheme://host[:port], lower-cased: what per-host caps count, and what a GitHub token is
    bound to (services/github.py and services/issues.py never send it to another origin)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def _describe(response: httpx.Response) -> str:
    """Why the last answer was given up on: a rate limit (429, GitHub's 403), a server asking us
    to come back later (a 5xx with Retry-After: unavailable, not broken), or a plain error."""
    asked = requested_wait(response)
    code = response.status_code
    if code not in (403, 429):
        if asked is None:
            return f"HTTP {code} after retries"
        return f"HTTP {code}, come back " + (f"in {asked:.0f}s" if asked > 0 else "later")
    text = f"rate limited (HTTP {code})"
    if asked is not None and asked > 0:
        text += f", asked to wait {asked:.0f}s"
    return text
