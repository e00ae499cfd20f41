"""Real HTTP servers on 127.0.0.1 that answer like arXiv, GitHub, Semantic Scholar, DBLP and a
plain web host, each on its own port, all reading one mutable `World`.

    with FakeServices(world) as fake:
        env = {**os.environ, **fake.env()}
        subprocess.run(["paperlint", "check", ...], env=env)
        assert len(fake.requests_to("arxiv")) == 1
"""

from __future__ import annotations

import contextlib
import socket
import struct
import sys
import threading
import time
import traceback
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from . import arxiv, dblp, github, s2, wayback, web
from .faults import Fault
from .wire import Reply, Request
from .world import World

ServiceHandler = Callable[["FakeServices", Request], Reply]

SERVICES: dict[str, tuple[ServiceHandler, str]] = {
    "arxiv": (arxiv.handle, "Apache"),
    "github": (github.handle, "GitHub.com"),
    "s2": (s2.handle, "CloudFront"),
    "dblp": (dblp.handle, "nginx"),
    "web": (web.handle, "fake-web"),
    "wayback": (wayback.handle, "nginx"),
    "canary": (web.handle_canary, "canary"),
}


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(
        self, services: FakeServices, name: str, address: tuple[str, int] = ("127.0.0.1", 0)
    ) -> None:
        self.services = services
        self.service_name = name
        self.handler_fn, self.server_header = SERVICES[name]
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        super().__init__(address, _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._open_lock:
            self._open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that went away (reset, closed) is no fault of the fakes; anything else is,
        and goes to `errors`: never to stderr, which a command run in the test's process owns."""
        if isinstance(sys.exc_info()[1], OSError):
            return
        self.services.errors.append(
            f"{self.service_name}: request from {client_address}\n" + traceback.format_exc()
        )

    def drop_connections(self) -> None:
        with self._open_lock:
            open_now = list(self._open)
        for sock in open_now:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in two writes; without this, Nagle + delayed ACK add ~40 ms.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def version_string(self) -> str:
        return self.server.server_header

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self._serve()

    do_POST = do_HEAD = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_GET

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks: list[bytes] = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _serve(self) -> None:
        services = self.server.services
        name = self.server.service_name
        body = self._read_body()
        parts = urlsplit(self.path)
        items = parse_qsl(parts.query, keep_blank_values=True)
        headers: dict[str, str] = {}
        for key, value in self.headers.items():
            low = key.lower()
            headers[low] = f"{headers[low]}, {value}" if low in headers else value
        req = Request(
            service=name,
            method=self.command,
            path=parts.path or "/",
            query=dict(items),
            headers=headers,
            body=body,
            time=time.monotonic(),
            target=self.path,
            query_items=items,
            local_host=str(self.connection.getsockname()[0]),
            peer_port=int(self.client_address[1]),
        )
        services._arrive(req)
        try:
            try:
                with services.lock:
                    reply = self.server.handler_fn(services, req)
                    # counted from the arrival: a service's response time includes its own work
                    # (building a hundred papers' feed takes this fake a few milliseconds)
                    pause = services.world.latency + reply.delay - (time.monotonic() - req.time)
            except Exception:
                services.errors.append(
                    f"{name} {self.command} {self.path}\n" + traceback.format_exc()
                )
                reply = Reply(500, b"fake service crashed\n", "text/plain")
                pause = 0.0
            fault = services._take_fault(name, req.path)
            if fault is not None and fault.kind == "stall":
                pause += fault.seconds
            if pause > 0:
                services.closing.wait(pause)
            if fault is not None and fault.kind not in ("stall",):
                req.status = reply.status
                with contextlib.suppress(OSError):  # the client gave up, as it should
                    self._send_faulty(reply, fault)
                self.close_connection = True
                return
            if reply.drop:
                req.status = 0
                self.close_connection = True
                with contextlib.suppress(OSError):
                    self.connection.shutdown(socket.SHUT_RDWR)
                return
            req.status = reply.status
            try:
                self._send(reply)
            except OSError:  # the client gave up (a timeout test): nothing to answer
                self.close_connection = True
        finally:
            services._leave(name)

    def _head(self, reply: Reply, framing: str) -> bytes:
        lines = [f"HTTP/1.1 {reply.status} {web.REASONS.get(reply.status, 'Status')}"]
        lines.append(f"Server: {self.server.server_header}")
        if reply.content_type:
            lines.append(f"Content-Type: {reply.content_type}")
        lines += [f"{key}: {value}" for key, value in reply.headers]
        lines += [framing, "Connection: close"]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")

    def _send_faulty(self, reply: Reply, fault: Fault) -> None:
        """Spoil the answer as `fault` says (see faults.py)."""
        body = b"" if self.command == "HEAD" else reply.body
        closing = self.server.services.closing
        if fault.kind == "replace":
            spoiled = Reply(fault.status, fault.body, fault.content_type, list(fault.headers))
            self._send_raw(self._head(spoiled, f"Content-Length: {len(fault.body)}"), fault.body)
        elif fault.kind == "rewrite":
            assert fault.rewrite is not None
            new = fault.rewrite(reply.body)
            self._send_raw(self._head(reply, f"Content-Length: {len(new)}"), new)
        elif fault.kind == "truncate":
            kept = body[: fault.keep]
            self._send_raw(self._head(reply, f"Content-Length: {len(kept)}"), kept)
        elif fault.kind == "reset":
            head = self._head(reply, f"Content-Length: {len(reply.body)}")
            self._send_raw(head, body[: len(body) // 2])
            # SO_LINGER 0: closing sends a TCP reset rather than an orderly end
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
        elif fault.kind == "drip":
            data = self._head(reply, f"Content-Length: {len(reply.body)}") + body
            for i in range(len(data)):
                self.wfile.write(data[i : i + 1])
                self.wfile.flush()
                if closing.wait(fault.seconds):
                    return
        elif fault.kind == "endless":
            self._send_raw(self._head(reply, "Transfer-Encoding: chunked"), b"")
            if self.command == "HEAD":
                return
            chunk = b"%x\r\n%s\r\n" % (64 * 1024, b"x" * 64 * 1024)
            while not closing.is_set():
                self.wfile.write(chunk)
                self.wfile.flush()

    def _send_raw(self, head: bytes, body: bytes) -> None:
        self.wfile.write(head + body)
        self.wfile.flush()

    def _send(self, reply: Reply) -> None:
        self.send_response(reply.status)
        if reply.content_type:
            self.send_header("Content-Type", reply.content_type)
        for key, value in reply.headers:
            self.send_header(key, value)
        if reply.status != 304 and not 100 <= reply.status < 200:
            self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        if self.command != "HEAD" and reply.status != 304:
            self.wfile.write(reply.body)
        self.wfile.flush()


class FakeServices:
    """One loopback server per service. Not started until `start()` / `with`.

    `world` may be replaced or changed at any time. `log` records every request in arrival
    order; `errors` collects tracebacks of the fakes themselves (a test should expect it empty).
    GitHub's API base is `github_url` (= origin + `github_prefix`, default none, as
    api.github.com)."""

    def __init__(self, world: World | None = None, *, github_prefix: str = "") -> None:
        self.world = world if world is not None else World()
        self.github_prefix = github_prefix.rstrip("/")
        self.lock = threading.RLock()
        self.arrived = threading.Condition(self.lock)  # notified as each request arrives
        self.log: list[Request] = []
        self.errors: list[str] = []
        self._servers: dict[str, _Server] = {}
        self._threads: list[threading.Thread] = []
        self._in_flight: dict[str, int] = {}
        self._max_in_flight: dict[str, int] = {}
        self._count_lock = threading.Lock()
        self.faults: list[Fault] = []  # see faults.py; cleared by reset()
        self.closing = threading.Event()  # set by close(): stalls and dribbles stop at once

    # life cycle ---------------------------------------------------------------------------------

    def start(self) -> FakeServices:
        if self._servers:
            return self
        self.closing.clear()
        for name in SERVICES:
            server = _Server(self, name)
            thread = threading.Thread(
                target=server.serve_forever,
                kwargs={"poll_interval": 0.05},
                name=f"fake-{name}",
                daemon=True,
            )
            thread.start()
            self._servers[name] = server
            self._threads.append(thread)
        return self

    def close(self) -> None:
        self.closing.set()
        servers, self._servers = self._servers, {}
        stoppers = [threading.Thread(target=server.shutdown) for server in servers.values()]
        for stopper in stoppers:
            stopper.start()
        for stopper in stoppers:
            stopper.join()
        for server in servers.values():
            server.drop_connections()
            server.server_close()
        for thread in self._threads:
            thread.join(timeout=2)
        self._threads = []

    def __enter__(self) -> FakeServices:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def reset(self, world: World | None = None) -> None:
        """Forget the log, errors and in-flight maxima; optionally swap the world (whose own
        counters, GitHub's quota included, start afresh when it is new)."""
        with self.lock:
            if world is not None:
                self.world = world
            self.log.clear()
            self.errors.clear()
            self.faults.clear()
        with self._count_lock:
            self._max_in_flight.clear()

    # addresses ----------------------------------------------------------------------------------

    def origin(self, service: str) -> str:
        if service not in self._servers:
            raise RuntimeError("FakeServices is not started (use start() or a with block)")
        port = self._servers[service].server_address[1]
        return f"http://127.0.0.1:{port}"

    @property
    def arxiv_url(self) -> str:
        return self.origin("arxiv") + arxiv.PATH

    @property
    def github_url(self) -> str:
        return self.origin("github") + self.github_prefix

    @property
    def s2_url(self) -> str:
        return self.origin("s2") + s2.PREFIX

    @property
    def dblp_url(self) -> str:
        return self.origin("dblp") + dblp.PATH

    @property
    def wayback_url(self) -> str:
        return self.origin("wayback") + wayback.PATH

    @property
    def web_url(self) -> str:
        return self.origin("web")

    @property
    def canary_url(self) -> str:
        return self.origin("canary")

    def web(self, path: str = "/") -> str:
        return self.web_url + (path if path.startswith("/") else "/" + path)

    def env(self) -> dict[str, str]:
        return {
            "PAPERLINT_ARXIV_API_URL": self.arxiv_url,
            "PAPERLINT_GITHUB_API_URL": self.github_url,
            "PAPERLINT_S2_API_URL": self.s2_url,
            "PAPERLINT_DBLP_API_URL": self.dblp_url,
            "PAPERLINT_WAYBACK_API_URL": self.wayback_url,
        }

    # the log ------------------------------------------------------------------------------------

    def requests_to(self, service: str) -> list[Request]:
        with self.lock:
            return [r for r in self.log if r.service == service]

    def clear_log(self) -> None:
        with self.lock:
            self.log.clear()

    def max_in_flight(self, service: str) -> int:
        """The most requests this service had in progress at once."""
        with self._count_lock:
            return self._max_in_flight.get(service, 0)

    def listen_also(self, service: str, host: str) -> str:
        """Serve `service` on another loopback address too (127.0.0.2, …), on the same port as
        its own server; returns that origin. Lets a test tell which address a client reached."""
        if not host.startswith("127."):
            raise ValueError("fakes listen on 127.0.0.0/8 only")
        port = self._servers[service].server_address[1]
        key = f"{service}@{host}"
        if key not in self._servers:
            server = _Server(self, service, (host, port))
            thread = threading.Thread(
                target=server.serve_forever,
                kwargs={"poll_interval": 0.05},
                name=f"fake-{key}",
                daemon=True,
            )
            thread.start()
            self._servers[key] = server
            self._threads.append(thread)
        return f"http://{host}:{port}"

    def requests_at(self, host: str) -> list[Request]:
        """Requests that arrived on the given loopback address (by the socket, not the URL)."""
        with self.lock:
            return [r for r in self.log if r.local_host == host]

    def _take_fault(self, service: str, path: str) -> Fault | None:
        with self.lock:
            for fault in self.faults:
                if fault.matches(service, path):
                    fault.hits += 1
                    return fault
        return None

    def wait_for(self, service: str, timeout: float) -> bool:
        """Whether a request to `service` has arrived, waiting up to `timeout` seconds for one
        (for a test to pause what it stands in for until the fakes have been asked)."""
        with self.arrived:
            return self.arrived.wait_for(lambda: bool(self.requests_to(service)), timeout)

    def _arrive(self, req: Request) -> None:
        with self.lock:
            self.log.append(req)
            self.arrived.notify_all()
        with self._count_lock:
            now = self._in_flight.get(req.service, 0) + 1
            self._in_flight[req.service] = now
            self._max_in_flight[req.service] = max(self._max_in_flight.get(req.service, 0), now)

    def _leave(self, service: str) -> None:
        with self._count_lock:
            self._in_flight[service] -= 1
