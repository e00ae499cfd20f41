"""Unit tests of single clients at the httpx transport level (respx): paths the loopback
fakes cannot take, such as a public name that redirects to a private one."""

from __future__ import annotations

import asyncio
import email.utils
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
import respx
from fakes import FakeServices, Paper

from checker.cache import Cache, cache_path, default_path
from checker.config import ConfigError, Options
from checker.services.arxiv import ArxivService
from checker.services.http import Http, HttpSettings, Unavailable, requested_wait
from checker.services.issues import IssueError, IssuesService
from checker.services.web import LinkStatus, WebService

T = TypeVar("T")


def run(make: Callable[[Http], Awaitable[T]], **settings: Any) -> T:
    async def main() -> T:
        http = Http(HttpSettings(backoff=0.01, **settings))
        try:
            return await make(http)
        finally:
            await http.close()

    return asyncio.run(main())


def response(status: int, **headers: str) -> httpx.Response:
    return httpx.Response(status, headers=headers)


def test_requested_wait_reads_retry_after_and_github_reset() -> None:
    now = time.time()
    assert requested_wait(response(429, **{"retry-after": "7"})) == 7
    date = email.utils.formatdate(now + 30, usegmt=True)
    assert 28 <= (requested_wait(response(503, **{"retry-after": date}), now) or 0) <= 31
    limited = response(
        403, **{"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(int(now) + 90)}
    )
    assert 89 <= (requested_wait(limited, now) or 0) <= 90
    assert requested_wait(response(500)) is None


@respx.mock
def test_a_wait_longer_than_we_can_afford_gives_up_at_once() -> None:
    route = respx.get("https://api.example/x").mock(
        return_value=httpx.Response(429, headers={"retry-after": "3600"})
    )
    with pytest.raises(Unavailable) as caught:
        run(lambda http: http.send("svc", "GET", "https://api.example/x"))
    assert route.call_count == 1
    assert caught.value.status == 429
    assert "rate limited" in caught.value.reason


@respx.mock
def test_connection_errors_and_5xx_are_retried_4xx_are_not() -> None:
    flaky = respx.get("https://api.example/flaky").mock(
        side_effect=[httpx.ConnectError("refused"), httpx.Response(502), httpx.Response(200)]
    )
    missing = respx.get("https://api.example/missing").mock(return_value=httpx.Response(404))
    assert run(lambda http: http.send("svc", "GET", "https://api.example/flaky")).status_code == 200
    assert (
        run(lambda http: http.send("svc", "GET", "https://api.example/missing")).status_code == 404
    )
    assert flaky.call_count == 3 and missing.call_count == 1


@respx.mock
def test_a_request_that_must_not_be_repeated_is_resent_only_if_it_surely_did_nothing() -> None:
    def post(path: str) -> httpx.Response:
        url = f"https://api.example/{path}"
        return run(lambda http: http.send("svc", "POST", url, json={}, idempotent=False))

    # a reset once the request went out: the server may have acted; raised, never resent
    reset = respx.post("https://api.example/reset").mock(
        side_effect=[httpx.ReadError("connection reset"), httpx.Response(201)]
    )
    with pytest.raises(httpx.ReadError):
        post("reset")
    assert reset.call_count == 1
    # no connection at all: nothing was sent, so it is sent again
    unsent = respx.post("https://api.example/unsent").mock(
        side_effect=[httpx.ConnectError("refused"), httpx.Response(201)]
    )
    assert post("unsent").status_code == 201 and unsent.call_count == 2
    # a 5xx may come after the work was done: returned as it is, not resent
    failed = respx.post("https://api.example/failed").mock(
        side_effect=[httpx.Response(502), httpx.Response(201)]
    )
    assert post("failed").status_code == 502 and failed.call_count == 1
    # a 429 is a refusal: sent again after the wait asked for
    limited = respx.post("https://api.example/limited").mock(
        side_effect=[httpx.Response(429, headers={"retry-after": "0"}), httpx.Response(201)]
    )
    assert post("limited").status_code == 201 and limited.call_count == 2


@respx.mock
def test_an_idempotent_request_is_resent_after_a_reset() -> None:
    route = respx.get("https://api.example/x").mock(
        side_effect=[httpx.ReadError("connection reset"), httpx.Response(200)]
    )
    assert run(lambda http: http.send("svc", "GET", "https://api.example/x")).status_code == 200
    assert route.call_count == 2


def atom(ids: list[str]) -> str:
    entries = "".join(
        f"<entry><id>http://arxiv.org/abs/{i}v2</id><title>Paper {i}</title>"
        "<updated>2023-02-01T00:00:00Z</updated><published>2023-01-01T00:00:00Z</published>"
        "<summary>s</summary></entry>"
        for i in ids
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom" '
        'xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">'
        f"<opensearch:totalResults>{len(ids)}</opensearch:totalResults>{entries}</feed>"
    )


ERROR_FEED = (
    '<?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom"><entry>'
    "<id>https://arxiv.org/api/errors#incorrect_id_format_for_2301.00003</id><title>Error</title>"
    "<summary>incorrect id format</summary></entry></feed>"
)


@respx.mock
def test_arxiv_isolates_the_id_that_spoils_a_batch() -> None:
    known = {"2301.00001", "2301.00002", "2301.00004"}

    def answer(request: httpx.Request) -> httpx.Response:
        ids = request.url.params["id_list"].split(",")
        if "2301.00003" in ids:
            return httpx.Response(400, text=ERROR_FEED)
        return httpx.Response(
            200,
            text=atom([i for i in ids if i in known]),
            headers={"content-type": "application/atom+xml; charset=utf-8"},
        )

    route = respx.get("https://arxiv.example/api/query").mock(side_effect=answer)
    ids = ["2301.00001", "2301.00002", "2301.00003", "2301.00004", "2301.00005"]
    result = run(lambda http: ArxivService(http, "https://arxiv.example/api/query", 0).fetch(ids))

    assert set(result.found) == known
    assert result.found["2301.00001"].version == 2
    assert result.rejected == {"2301.00003"}
    assert result.missing == {"2301.00005"}
    assert result.unavailable == {}
    assert route.call_count == 2  # the named ID set aside, the rest asked again


@respx.mock
def test_arxiv_html_or_a_400_naming_no_id_is_unavailable_not_missing() -> None:
    answers = iter(
        [
            httpx.Response(
                200, text="<html>maintenance</html>", headers={"content-type": "text/html"}
            ),
            httpx.Response(400, text="Bad Request"),
        ]
    )
    route = respx.get("https://arxiv.example/api/query").mock(side_effect=lambda r: next(answers))
    service = lambda http: ArxivService(http, "https://arxiv.example/api/query", 0)  # noqa: E731
    html = run(lambda http: service(http).fetch(["1706.03762"]))
    blanket = run(lambda http: service(http).fetch(["1706.03762", "2106.09685"]))
    assert html.missing == set() and set(html.unavailable) == {"1706.03762"}
    assert blanket.rejected == set() and len(blanket.unavailable) == 2
    assert route.call_count == 2  # a 400 is never retried or split


@respx.mock
def test_web_never_follows_a_redirect_into_a_private_address() -> None:
    addresses = {"public.example": ["93.184.216.34"], "inside.example": ["10.1.2.3"]}

    async def resolve(host: str, port: int) -> list[str]:
        return addresses[host]

    # the request goes to the address that was checked, under its name (Host, TLS SNI)
    public = respx.head("http://93.184.216.34/page").mock(
        return_value=httpx.Response(301, headers={"location": "http://inside.example/secret"})
    )
    inside = respx.route(host="inside.example").mock(return_value=httpx.Response(200))
    status = run(lambda http: WebService(http, False, resolve).check("http://public.example/page"))

    assert status.private is not None and "10.1.2.3" in status.private
    assert not status.ok and inside.call_count == 0
    sent = public.calls.last.request
    assert sent.headers["host"] == "public.example"
    assert sent.extensions["sni_hostname"] == "public.example"


@respx.mock
def test_web_refuses_a_name_that_resolves_to_loopback_unless_allowed() -> None:
    async def resolve(host: str, port: int) -> list[str]:
        return ["127.0.0.1"]

    route = respx.head("http://sneaky.example/").mock(return_value=httpx.Response(200))
    refused = run(lambda http: WebService(http, False, resolve).check("http://sneaky.example/"))
    allowed = run(lambda http: WebService(http, True, resolve).check("http://sneaky.example/"))
    assert refused.private and route.call_count == 1 and allowed.ok


@respx.mock
def test_web_resolves_a_name_once_for_links_checked_at_once() -> None:
    """Links checked together (verify gathers them) wait on one lookup of their host's name."""
    route = respx.route(host="93.184.216.34").mock(return_value=httpx.Response(200))
    urls = [f"http://public.example/paper/{i}" for i in range(20)]
    asked: list[str] = []

    async def check_all(http: Http) -> list[LinkStatus]:
        in_flight, answer = asyncio.Event(), asyncio.Event()

        async def resolve(host: str, port: int) -> list[str]:
            asked.append(host)
            in_flight.set()
            await answer.wait()  # in flight while the other checks start
            return ["93.184.216.34"]

        async def release() -> None:
            await in_flight.wait()
            answer.set()

        web = WebService(http, False, resolve)
        statuses, _ = await asyncio.gather(
            asyncio.gather(*(web.check(url) for url in urls)), release()
        )
        return statuses

    statuses = run(check_all)
    assert asked == ["public.example"]
    assert all(s.ok for s in statuses) and route.call_count == len(urls)
    assert {c.request.headers["host"] for c in route.calls} == {"public.example"}


@respx.mock
def test_the_issue_api_out_of_reach_is_said_in_words() -> None:
    respx.get(host="api.example").mock(side_effect=httpx.ConnectError("refused"))
    with pytest.raises(IssueError) as caught:
        run(lambda http: IssuesService(http, "https://api.example", "t", "o/r").find(), attempts=1)
    assert str(caught.value) == "connection failed: refused talking to https://api.example"


def test_cache_keeps_answers_for_their_lifetime(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    cache = Cache(path, now=1000.0)
    cache.put_many("web", {"https://a": {"ok": True}})
    cache.put_many("arxiv", {"2301.00001": {"title": "T"}})
    cache.close()
    day_later = Cache(path, now=1000.0 + 86400 * 2)
    assert day_later.get_many("web", ["https://a"]) == {}  # links go stale after a day
    assert day_later.get_many("arxiv", ["2301.00001"]) == {"2301.00001": {"title": "T"}}
    day_later.close()


def test_cache_path_is_the_option_else_the_user_cache_and_none_without_a_cache(
    tmp_path: Path,
) -> None:
    chosen = tmp_path / "c.sqlite3"
    assert cache_path(Options(cache=str(chosen))) == chosen
    assert cache_path(Options()) == default_path()
    assert cache_path(Options(cache=str(chosen), no_cache=True)) is None


def test_cache_forgets_only_the_keys_of_that_kind(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "c.sqlite3", now=1000.0)
    keys = [f"https://a/{i}" for i in range(1200)]  # more than one IN (...) chunk used to hold
    cache.put_many("web", {key: {"ok": True} for key in keys})
    cache.put_many("github", {"https://a/0": {"exists": True}})
    cache.forget("web", [*keys[:700], "https://never/stored"])
    assert set(cache.get_many("web", keys)) == set(keys[700:])
    assert cache.get_many("github", ["https://a/0"]) == {"https://a/0": {"exists": True}}
    cache.close()


def test_a_cache_that_cannot_be_opened_is_skipped(tmp_path: Path) -> None:
    broken = tmp_path / "not-a-db.sqlite3"
    broken.write_bytes(b"this is not sqlite" * 100)
    cache = Cache(broken)
    cache.put_many("web", {"x": 1})
    assert cache.get_many("web", ["x"]) == {}


@respx.mock
def test_a_service_that_cannot_be_reached_says_why_in_words() -> None:
    """`service-unavailable` names the cause ("DNS: host not found"), never just a class name."""
    from checker.services.github import GithubService
    from checker.services.scholar import SemanticScholarService

    def unknown_host(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno -2] Name or service not known", request=request)

    respx.route(host="api.semanticscholar.example").mock(side_effect=unknown_host)
    respx.route(host="api.github.example").mock(side_effect=unknown_host)
    s2 = run(
        lambda http: SemanticScholarService(
            http, "https://api.semanticscholar.example/graph/v1", None
        ).fetch({"2106.09685"})
    )
    github = run(
        lambda http: GithubService(http, "https://api.github.example", None).fetch(["o/r"])
    )
    assert s2.unavailable == {"2106.09685": "DNS: host not found"}
    assert github.unavailable == {"o/r": "DNS: host not found"}


def test_every_client_of_a_process_shares_one_tls_context(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Loading the certificates takes 30-50 ms: once a process (the action's steps and the
    nightly issue each make a client), per certificate setting, and a load that failed is tried
    again rather than remembered."""
    import certifi

    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    first, second = Http(HttpSettings()), Http(HttpSettings())
    assert first._tls is not None and first._tls is second._tls

    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "missing.pem"))
    with pytest.raises(ConfigError, match=r"SSL_CERT_FILE=.*missing\.pem: cannot load"):
        Http(HttpSettings())
    (tmp_path / "missing.pem").write_bytes(Path(certifi.where()).read_bytes())
    own = Http(HttpSettings())
    assert own._tls is not None and own._tls is not first._tls
    assert Http(HttpSettings())._tls is own._tls


@pytest.mark.parametrize("content", [None, b"not a certificate\n"], ids=["missing", "garbage"])
def test_certificates_that_cannot_be_loaded_are_one_line_and_exit_2(
    content: bytes | None, fake: FakeServices, paperlint: Any, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """SSL_CERT_FILE is the user's setting: named, escaped, with what to do, not a traceback."""
    pem = tmp_path / "certs\x1b[31m.pem"
    if content is not None:
        pem.write_bytes(content)
    monkeypatch.setenv("SSL_CERT_FILE", str(pem))
    fake.world.add(Paper("1706.03762", "Attention Is All You Need"))
    path = tmp_path / "list.md"
    path.write_text("- [Attention Is All You Need](https://arxiv.org/abs/1706.03762)\n", "utf-8")
    run = paperlint(str(path), "--no-cache", "--allow-private")
    assert run.code == 2 and run.out == ""
    assert run.err.startswith("paperlint: error: SSL_CERT_FILE=") and run.err.count("\n") == 1
    assert "certs\\x1b[31m.pem: cannot load certificates" in run.err
    assert run.err.endswith("point it at a PEM file of certificates, or unset it\n")


@pytest.mark.parametrize(
    ("proxy", "why"),
    [("socks5://127.0.0.1:9", "socksio"), ("socks4://me:s3cret@127.0.0.1:9", "Unknown scheme")],
)
def test_a_proxy_httpx_cannot_use_is_one_line_and_exit_2(
    proxy: str, why: str, fake: FakeServices, paperlint: Any, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """httpx reads ALL_PROXY: a SOCKS5 proxy needs socksio, which paperlint does not install,
    and SOCKS4 it does not speak (it hides the password when it says so)."""
    import sys

    monkeypatch.setitem(sys.modules, "socksio", None)  # not installed, wherever the suite runs
    monkeypatch.setenv("ALL_PROXY", proxy)
    path = tmp_path / "list.md"
    path.write_text("- [Attention](https://arxiv.org/abs/1706.03762)\n", "utf-8")
    run = paperlint(str(path), "--no-cache", "--allow-private")
    assert run.code == 2 and run.out == "" and run.err.count("\n") == 1
    assert run.err.startswith("paperlint: error: the proxy set in the environment (ALL_PROXY")
    assert why in run.err and "s3cret" not in run.err
