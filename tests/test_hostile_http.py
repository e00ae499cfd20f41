"""Hostile servers (issue 14, items 9 and 20), against the loopback fakes.

An answer of 1 MB with `Content-Encoding: gzip` that inflates to 1 GiB: the 16 MB cap counts
decoded bytes, for every service, so its items are unverified and nothing near the decoded size
is ever held (measured with tracemalloc, which sees every bytes object zlib makes). Web links
read no body at all. Exactly ten redirects are followed; a 503 with Retry-After on every try is
unverified, not broken.
"""

from __future__ import annotations

import asyncio
import gzip
import random
import tracemalloc
import zlib
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
from fakes import FakeServices, Fault, Page, Paper, Repo, World

from checker.services.arxiv import ArxivService
from checker.services.github import GithubService
from checker.services.http import Http, HttpSettings, read_body
from checker.services.scholar import SemanticScholarService
from checker.services.web import MAX_HOPS, WebService

T = TypeVar("T")
MB = 1 << 20


def gzip_bomb(inflated: int) -> bytes:
    """`inflated` zero bytes, gzip-compressed to about a thousandth of that. After a full flush
    the compressor starts afresh, so each megabyte compresses to the same bytes: compressed
    once, repeated. The trailer (CRC and size) is left off: a reader that stops in time never
    needs it."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    block = compressor.compress(b"\0" * MB) + compressor.flush(zlib.Z_FULL_FLUSH)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    return header + block * (inflated // MB)


def test_the_bomb_inflates_to_what_it_says() -> None:
    bomb = gzip_bomb(8 * MB)
    out = zlib.decompressobj(zlib.MAX_WBITS | 16).decompress(bomb)
    assert out == b"\0" * (8 * MB) and len(bomb) < 10_000
    assert len(gzip_bomb(1 << 30)) < 1.1 * MB  # the bomb: 1 MB that is 1 GiB


def held_at_most(limit: int, work: Callable[[Http], Awaitable[T]], **settings: Any) -> T:
    """Run `work` with a fresh client; the peak of memory traced meanwhile must stay under
    `limit` bytes."""

    async def main() -> T:
        http = Http(HttpSettings(backoff=0.01, attempts=1, **settings))
        try:
            return await work(http)
        finally:
            await http.close()

    tracemalloc.start()
    try:
        result = asyncio.run(main())
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < limit, f"{peak / MB:.0f} MB held"
    return result


BOMB = gzip_bomb(1 << 30)
GZIPPED = [("Content-Encoding", "gzip")]


def test_arxiv_answering_a_gzip_bomb_is_unverified_and_never_held(fake: FakeServices) -> None:
    fake.reset(World.of(Paper("1706.03762", "Attention Is All You Need")))
    fake.faults.append(
        Fault("arxiv", "replace", body=BOMB, headers=GZIPPED, content_type="application/atom+xml")
    )
    answer = held_at_most(
        64 * MB, lambda http: ArxivService(http, fake.arxiv_url, 0).fetch(["1706.03762"])
    )
    assert answer.unavailable == {"1706.03762": "answer larger than 16 MB"}
    assert not answer.found and not answer.missing


def test_github_answering_a_gzip_bomb_is_unverified_and_never_held(fake: FakeServices) -> None:
    fake.reset(World.of(Repo("tensorflow/tensor2tensor")))
    fake.faults.append(Fault("github", "replace", body=BOMB, headers=GZIPPED))
    answer = held_at_most(
        64 * MB,
        lambda http: GithubService(http, fake.github_url, None).fetch(["tensorflow/tensor2tensor"]),
    )
    assert not answer.found
    assert answer.unavailable == {"tensorflow/tensor2tensor": "answer larger than 16 MB"}


def test_semantic_scholar_answering_a_bomb_in_a_bomb_is_unverified(fake: FakeServices) -> None:
    """`gzip, gzip`: a bomb compressed again (each layer a thousand to one) is undone a step at
    a time too."""
    inner = gzip_bomb(64 * MB)
    outer = gzip.compress(inner)
    fake.faults.append(
        Fault("s2", "replace", body=outer, headers=[("Content-Encoding", "gzip, gzip")])
    )
    answer = held_at_most(
        64 * MB, lambda http: SemanticScholarService(http, fake.s2_url, None).fetch(["1706.03762"])
    )
    assert answer.unavailable == {"1706.03762": "answer larger than 16 MB"}


def test_a_web_link_answering_a_gzip_bomb_is_alive_and_its_body_never_read(
    fake: FakeServices,
) -> None:
    fake.world.add(Page("/bomb"))
    fake.faults.append(Fault("web", "replace", path="/bomb", body=BOMB, headers=GZIPPED))
    status = held_at_most(
        16 * MB, lambda http: WebService(http, allow_private=True).check(fake.web("/bomb"))
    )
    assert status.ok and status.status == 200


def test_the_command_reports_a_bombed_service_as_unverified(
    fake: FakeServices, paperlint: Any, tmp_path: Path
) -> None:
    fake.reset(World.of(Paper("1706.03762", "Attention Is All You Need")))
    fake.faults.append(
        Fault("arxiv", "replace", body=BOMB, headers=GZIPPED, content_type="application/atom+xml")
    )
    path = tmp_path / "list.md"
    path.write_text("- [Attention Is All You Need](https://arxiv.org/abs/1706.03762)\n")
    run = paperlint(str(path), "--no-cache", "--timeout", "5")
    assert run.code == 0
    (finding,) = run.findings
    assert finding["rule"] == "service-unavailable"
    assert finding["message"].startswith("arXiv could not be asked (answer larger than 16 MB)")


@pytest.mark.parametrize("coding", ["gzip", "deflate", "raw deflate", "identity", "br"])
def test_answers_are_decoded_as_httpx_decodes_them(coding: str) -> None:
    """What we undo ourselves reads as httpx reads it: gzip, zlib-wrapped and raw deflate (some
    servers send that for `deflate`), an unknown coding passed through as it came."""
    body = random.Random(9).randbytes(300_000) * 3
    encoded, header = {
        "gzip": (gzip.compress(body), "gzip"),
        "deflate": (zlib.compress(body), "deflate"),
        "raw deflate": (_raw_deflate(body), "deflate"),
        "identity": (body, "identity"),
        "br": (body, "br"),
    }[coding]

    async def read() -> bytes:
        chunks = [encoded[i : i + 4096] for i in range(0, len(encoded), 4096)]
        response = httpx.Response(
            200, headers={"content-encoding": header}, stream=_Stream(chunks)
        )
        return await read_body(response, 16 * MB)

    assert asyncio.run(read()) == body


def test_a_body_past_the_cap_as_sent_is_too_large_before_any_decoding() -> None:
    from checker.services import http as http_module

    async def read() -> bytes:
        response = httpx.Response(200, stream=_Stream([b"x" * 1000] * 20))
        return await read_body(response, 10_000)

    with pytest.raises(http_module._TooLarge):
        asyncio.run(read())


def _raw_deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush()


class _Stream(httpx.AsyncByteStream):
    def __init__(self, chunks: list[bytes]) -> None:
        self.chunks = chunks

    async def __aiter__(self) -> Any:
        for chunk in self.chunks:
            yield chunk


# ---------------------------------------------------------------------------------------------
# Item 20: redirects counted right; a server asking to come back later is not a broken link


def _check(fake: FakeServices, url: str) -> Any:
    async def main() -> Any:
        http = Http(HttpSettings(backoff=0.01, timeout=5))
        try:
            return await WebService(http, allow_private=True).check(url)
        finally:
            await http.close()

    return asyncio.run(main())


def _chain(fake: FakeServices, redirects: int) -> str:
    for k in range(redirects):
        hop = f"/hop{redirects}-{k}"
        fake.world.add(Page(hop, status=301, location=f"{{web}}/hop{redirects}-{k + 1}"))
    fake.world.add(Page(f"/hop{redirects}-{redirects}"))
    return fake.web(f"/hop{redirects}-0")


def test_exactly_ten_redirects_are_followed_eleven_are_too_many(fake: FakeServices) -> None:
    assert MAX_HOPS == 10
    ten = _check(fake, _chain(fake, 10))
    assert ten.ok and ten.moved_to == fake.web("/hop10-10")
    eleven = _check(fake, _chain(fake, 11))
    assert not eleven.ok and eleven.error == "more than 10 redirects"


def test_a_503_with_retry_after_on_every_try_is_unverified_not_broken(
    fake: FakeServices, paperlint: Any, tmp_path: Path
) -> None:
    """Retry-After says the server is there and asks us to come back: nothing says the link is
    dead (a 503 without it, after retries, stays a broken link: test_faults)."""
    fake.world.add(Page("/later", status=503, retry_after=0))
    path = tmp_path / "list.md"
    path.write_text(f"- [a]({fake.web('/later')})\n")
    run = paperlint(str(path), "--no-cache", "--allow-private", "--timeout", "5")
    assert run.code == 0
    assert [(f["rule"], f["line"], f["message"]) for f in run.findings] == [
        (
            "service-unavailable",
            1,
            "web could not be asked (HTTP 503, come back later): 1 line unverified, not failed",
        )
    ]
    assert run.report["summary"]["unverified"] == 1
