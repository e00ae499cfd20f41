"""Faults upstream, against the loopback fakes only: each gives the right finding or
`service-unavailable` within the timeout, and the rest of the run is unaffected.

Every run checks the same list: a known paper, a missing paper, a repository, a missing
repository, a live page and a dead one. A fault spoils one service; the findings of the others
must be exactly those of a run without faults."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fakes import FakeServices, Fault, Page, Paper, Repo, World

PAPER_LINES = {1, 2}
REPO_LINES = {3, 4}
WEB_LINES = {5, 6}
BASELINE = {
    ("arxiv-not-found", 2),
    ("github-not-found", 4),
    ("link-broken", 6),
}


def world() -> World:
    return World.of(
        Paper("1706.03762", "Attention Is All You Need"),
        Repo("tensorflow/tensor2tensor"),
        Page("/ok"),
        Page("/gone", status=404),
    )


def write_list(tmp_path: Path, fake: FakeServices, *extra: str) -> Path:
    path = tmp_path / "list.md"
    lines = [
        "- [Attention Is All You Need](https://arxiv.org/abs/1706.03762)",
        "- [A Missing Paper](https://arxiv.org/abs/2301.99999)",
        "- [code](https://github.com/tensorflow/tensor2tensor)",
        "- [code](https://github.com/nobody/nothing)",
        f"- [page]({fake.web('/ok')})",
        f"- [page]({fake.web('/gone')})",
        *extra,
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# A stall or a drip is waited out `attempts` times per item: the smallest deadline that a healthy
# loopback answer still meets keeps that short. Faults that answer at once get a generous one.
@pytest.fixture(autouse=True)
def _no_backoff(no_backoff: None) -> None:
    """Runs are in process: each retry follows the last at once (a stall is still waited out)."""


STALL_TIMEOUT = "0.5"  # the least the command accepts (TIMEOUT_BOUNDS)
TIMEOUT = "5"


def check(
    paperlint: Any, path: Path, *args: str, timeout: str = TIMEOUT
) -> tuple[int, set[tuple[str, int]], Any]:
    run = paperlint(str(path), "--no-cache", "--allow-private", "--timeout", timeout, *args)
    return run.code, run.rules_at(), run


def unavailable(run: Any, service: str) -> list[dict[str, Any]]:
    return [
        f
        for f in run.findings
        if f["rule"] == "service-unavailable" and f["message"].startswith(service)
    ]


def test_the_baseline(fake: FakeServices, paperlint: Any, tmp_path: Path) -> None:
    fake.reset(world())
    code, found, _ = check(paperlint, write_list(tmp_path, fake))
    assert (code, found) == (1, BASELINE)


def truncated_graphql(body: bytes) -> bytes:
    return body[: len(body) // 2]


def graphql_partial_errors(body: bytes) -> bytes:
    """What GitHub sends when some aliases fail: null data and an error naming the alias."""
    answer = json.loads(body)
    errors = answer.setdefault("errors", [])
    for alias, node in answer["data"].items():
        if node is not None:
            answer["data"][alias] = None
            errors.append({"type": "INTERNAL", "path": [alias], "message": "Something went wrong"})
    return json.dumps(answer).encode()


HTML = b"<!doctype html><html><body><h1>We are down for maintenance</h1></body></html>"

# (service whose items fail, the fault, why the service could not be asked, the findings of
# that service that must remain). A drip sends a byte every 50 ms: each read is quick, only the
# deadline for the whole answer ends it.
API_FAULTS = {
    "arxiv-stalls": ("arXiv", Fault("arxiv", "stall", seconds=3.0), "timed out", set()),
    "arxiv-resets-mid-body": ("arXiv", Fault("arxiv", "reset"), "connection failed", set()),
    "arxiv-truncated-atom": (
        "arXiv", Fault("arxiv", "truncate", keep=300), "not an Atom feed", set()
    ),
    "arxiv-html-page": ("arXiv", Fault("arxiv", "replace", body=HTML), "not an Atom feed", set()),
    "arxiv-endless-body": ("arXiv", Fault("arxiv", "endless"), "answer larger than", set()),
    "arxiv-drips": ("arXiv", Fault("arxiv", "drip", seconds=0.05), "timed out", set()),
    "github-429-storm": (
        "GitHub",
        Fault("github", "replace", status=429, body=b'{"message": "slow down"}',
              content_type="application/json", headers=[("retry-after", "0")]),
        "rate limited",
        set(),
    ),
    "github-truncated-json": (
        "GitHub", Fault("github", "truncate", keep=40, path="/repos/tensorflow"),
        "unreadable answer", {4},
    ),
    "github-html-for-json": (
        "GitHub", Fault("github", "replace", body=HTML, path="/repos/tensorflow"),
        "unreadable answer", {4},
    ),
    "github-resets-mid-body": (
        "GitHub", Fault("github", "reset", path="/repos/tensorflow"), "connection failed", {4}
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(API_FAULTS))
def test_an_api_fault_leaves_its_items_unverified_and_the_rest_alone(
    fake: FakeServices, paperlint: Any, tmp_path: Path, case: str
) -> None:
    service, fault, reason, kept_lines = API_FAULTS[case]
    fake.reset(world())
    fake.faults.append(fault)
    timeout = STALL_TIMEOUT if fault.kind in ("stall", "drip") else TIMEOUT
    code, found, run = check(paperlint, write_list(tmp_path, fake), timeout=timeout)
    lines = PAPER_LINES if service == "arXiv" else REPO_LINES
    spoiled = {(rule, line) for rule, line in BASELINE if line in lines and line not in kept_lines}
    assert found == (BASELINE - spoiled) | {("service-unavailable", min(lines - kept_lines))}
    (warning,) = unavailable(run, service)
    assert f"could not be asked ({reason}" in warning["message"]
    assert "unverified, not failed" in warning["message"]
    assert code == 1  # the errors of the other services still stand
    assert fault.hits >= 1


def test_graphql_partial_errors(
    fake: FakeServices, paperlint: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_test")
    fake.reset(world())
    fake.faults.append(Fault("github", "rewrite", path="/graphql", rewrite=graphql_partial_errors))
    code, found, run = check(paperlint, write_list(tmp_path, fake))
    # the repository GitHub could not answer for is unverified; the one it said is missing is
    assert found == BASELINE | {("service-unavailable", 3)}
    (warning,) = unavailable(run, "GitHub")
    assert "Something went wrong" in warning["message"]
    assert code == 1


def test_graphql_truncated_answer(
    fake: FakeServices, paperlint: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_test")
    fake.reset(world())
    fake.faults.append(Fault("github", "rewrite", path="/graphql", rewrite=truncated_graphql))
    _, found, _ = check(paperlint, write_list(tmp_path, fake))
    assert found == (BASELINE - {("github-not-found", 4)}) | {("service-unavailable", 3)}


def test_web_faults(fake: FakeServices, paperlint: Any, tmp_path: Path) -> None:
    """A redirect loop is broken; a page that never stops is alive (no body is read); a page
    that drips a byte every 50 ms (each read quick, the whole never in time) times out; none of
    it touches the other services."""
    fake.reset(world())
    fake.world.add(
        Page("/loop-a", status=302, location="{web}/loop-b"),
        Page("/loop-b", status=302, location="{web}/loop-a"),
        Page("/endless"),
        Page("/drip"),
    )
    fake.faults += [
        Fault("web", "endless", path="/endless"),
        Fault("web", "drip", path="/drip", seconds=0.05),
    ]
    path = write_list(
        tmp_path,
        fake,
        f"- [loop]({fake.web('/loop-a')})",
        f"- [endless]({fake.web('/endless')})",
        f"- [drip]({fake.web('/drip')})",
    )
    code, found, run = check(paperlint, path, timeout=STALL_TIMEOUT)
    assert found == BASELINE | {("link-broken", 7), ("link-broken", 9)}
    by_line = {f["line"]: f for f in run.findings}
    assert "more than 10 redirects" in by_line[7]["message"]
    assert "timed out" in by_line[9]["message"]
    assert code == 1
