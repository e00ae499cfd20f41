"""Links over https on loopback servers with certificates of their own (tests/data/tls: two
self-signed certificates for 127.0.0.1, valid until 2126, made for these tests only).

A site whose certificate fails the check is a broken link. Every https link failing it, with no
https answer at all, is this machine's trust store instead (a proxy that intercepts TLS,
SSL_CERT_FILE naming other certificates): unverified, not a wall of false errors.
"""

from __future__ import annotations

import http.server
import ssl
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fakes import FakeServices

TLS = Path(__file__).parent / "data" / "tls"


class _Ok(http.server.BaseHTTPRequestHandler):
    def do_HEAD(self) -> None:
        self.send_response(200)
        self.end_headers()

    do_GET = do_HEAD

    def log_message(self, *args: Any) -> None:
        pass


def _serve(name: str) -> tuple[http.server.ThreadingHTTPServer, threading.Thread]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Ok)  # listening once made
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(TLS / f"{name}.pem", TLS / f"{name}-key.pem")
    server.socket = context.wrap_socket(server.socket, server_side=True)
    # shut down within a twentieth of a second (the default poll is half a second)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    return server, thread


@pytest.fixture
def sites() -> Iterator[dict[str, str]]:
    """https://127.0.0.1:PORT of a server with the `trusted` certificate and of one with the
    `untrusted` one."""
    running = {name: _serve(name) for name in ("trusted", "untrusted")}
    yield {name: f"https://127.0.0.1:{s.server_address[1]}" for name, (s, _) in running.items()}
    for server, thread in running.values():
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(autouse=True)
def _no_backoff(no_backoff: None) -> None:
    """A failed handshake is tried again at once: what it ends as is the point, not the pause."""


def check(paperlint: Any, tmp_path: Path, urls: list[str]) -> Any:
    path = tmp_path / "links.md"
    path.write_text("".join(f"- [p{i}]({u})\n" for i, u in enumerate(urls)), encoding="utf-8")
    return paperlint(str(path), "--no-cache", "--allow-private", "--timeout", "5")


def test_no_https_link_past_its_certificate_check_is_this_machines_trust_store(
    fake: FakeServices, paperlint: Any, tmp_path: Path, sites: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(TLS / "trusted.pem"))
    run = check(paperlint, tmp_path, [f"{sites['untrusted']}/p{i}" for i in range(3)])
    assert run.code == 0, run.err
    (lost,) = run.findings
    assert lost["rule"] == "service-unavailable" and lost["severity"] == "warning"
    assert "no https link passed its certificate check here" in lost["message"]
    assert "3 lines unverified" in lost["message"]


def test_a_site_whose_certificate_fails_beside_one_that_passes_is_broken(
    fake: FakeServices, paperlint: Any, tmp_path: Path, sites: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(TLS / "trusted.pem"))
    urls = [f"{sites['untrusted']}/p{i}" for i in range(3)] + [f"{sites['trusted']}/ok"]
    run = check(paperlint, tmp_path, urls)
    assert run.code == 1
    broken = [f for f in run.findings if f["rule"] == "link-broken"]
    assert [f["line"] for f in broken] == [1, 2, 3]
    assert all("TLS: [SSL: CERTIFICATE_VERIFY_FAILED]" in f["message"] for f in broken)
    assert not any(f["rule"] == "link-broken" and f["line"] == 4 for f in run.findings)
