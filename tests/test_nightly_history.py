"""The nightly history mirrored in the issue survives a lost cache at scale: 5,000 confirmed
targets in the body and hidden comments by the issue's own author, the least established dropped
first; a block in anyone else's comment is ignored; a hostile block written by someone who may
edit the issue never crashes a run. Against the loopback GitHub issues API."""

from __future__ import annotations

import base64
import json
import os
import zlib
from pathlib import Path
from typing import Any

import pytest
from fakes import FakeServices, Page
from fakes.issues import BOT, IssueTracker, issues_of

from checker import issue, mirror
from checker.formats import markdown
from checker.formats.markdown import BODY_LIMIT
from checker.history import History, TargetHistory, hashed
from checker.issue import MARKER, IssueSettings
from checker.model import (
    Finding,
    NightlyReport,
    NightlyRun,
    NightlyState,
    Report,
    Severity,
)

AT = "2026-12-01T04:17:00Z"


def day(n: int) -> str:
    return f"2026-{1 + n // 28 % 12:02d}-{1 + n % 28:02d}T04:17:00Z"


def big_history(confirmed: int, suspects: int) -> History:
    """`confirmed` targets failing 2 to 300 runs in a row, then `suspects` failing once."""
    targets = {}
    for i in range(confirmed + suspects):
        url = f"https://example.org/papers/{i:05d}/supplementary-material.html"
        runs = 2 + (i * 7919) % 299 if i < confirmed else 1
        targets[f"url:{url}"] = TargetHistory(
            day(i % 300), day(i % 300 - 1) if i % 3 else None, runs, i < confirmed,
            ("link-broken", "github-not-found", "arxiv-not-found")[i % 3], "README.md", i, url,
        )  # fmt: skip
    return History(targets=targets, runs=[NightlyRun(day(d), confirmed, 2, suspects)
                                          for d in range(30)])  # fmt: skip


def report_of(history: History) -> Report:
    """Tonight's report: every failing target a finding (the body's report is cut to fit)."""
    findings = [
        Finding("link-broken", Severity.ERROR, "README.md", 10 + i, 3, "link is broken: HTTP 404",
                key[4:], nightly=NightlyState("still" if t.confirmed else "suspect",
                                              t.first_failed or AT, t.runs))
        for i, (key, t) in enumerate(history.targets.items())
    ]  # fmt: skip
    return Report(findings=findings, nightly=NightlyReport(2, AT, runs=history.runs))


@pytest.fixture
def tracker(fake: FakeServices) -> IssueTracker:
    return issues_of(fake.world)


def settings() -> IssueSettings:
    return IssueSettings(os.environ["PAPERLINT_GITHUB_API_URL"], "gh-test-token", "octo/papers")


def publish(history: History, found: Any = None) -> issue.Outcome:
    blocks = issue.mirror_block(history)
    report = report_of(history)
    text = markdown.render(report, None, issue.report_room(blocks))
    return issue.call(
        settings(), lambda service: issue.publish(service, found, report, text, blocks)
    )


def load() -> tuple[Any, mirror.Mirrored]:
    return issue.call(settings(), issue.load)


def test_5000_confirmed_targets_survive_in_the_body_and_hidden_comments(
    fake: FakeServices, tracker: IssueTracker
) -> None:
    history = big_history(confirmed=5_200, suspects=300)
    tracker.add("x", "a person's issue", labels=["paperlint"], author="octocat")
    # the issue exists, so that reading it back must find it again (open, marked)
    first = History(targets=dict(list(history.targets.items())[:3]), runs=history.runs)
    assert publish(first).action == "created"
    found, _ = load()
    assert found is not None and found.comments == 0

    publish(history, found)
    (mine,) = [i for i in tracker.issues if i.body.startswith(MARKER)]
    assert len(mine.body) <= BODY_LIMIT and "### Still failing" in mine.body
    hidden = [c for c in mine.comments if "paperlint-history-part" in c.body]
    assert 1 <= len(hidden) <= 3 and all(c.author == BOT for c in hidden)
    assert all(len(c.body) <= BODY_LIMIT for c in hidden)

    found, read = load()
    assert read.note is None and read.history is not None
    kept = sorted(history.failing.items(), key=mirror.established)[:5_000]
    assert set(read.history.targets) == {hashed(k) for k, _ in kept}
    evicted = set(history.targets) - {k for k, _ in kept}
    assert len(evicted) == 500  # all 300 suspects, then the confirmed with the fewest runs
    worst_kept = min(t.runs for _, t in kept if t.confirmed)
    assert all(not history.targets[k].confirmed or history.targets[k].runs <= worst_kept
               for k in evicted)  # fmt: skip
    for key, old in kept[::97]:
        back = read.history.lookup(key)
        assert back == TargetHistory(old.first_failed, old.last_fine, old.runs, True, old.rule)
    assert read.history.runs == history.runs

    # the body alone (the comments lost) still holds the most established
    alone = mirror.decode(found.body).history
    assert alone is not None and 500 <= len(alone.targets) < 5_000
    top = sorted(history.failing.items(), key=mirror.established)[: len(alone.targets)]
    assert set(alone.targets) == {hashed(k) for k, _ in top}

    # a smaller history next night: the comments are edited (spare), never deleted or added
    ids = [c.id for c in hidden]
    publish(first, found)
    assert [c.id for c in mine.comments if "paperlint-history-part" in c.body] == ids
    _, read = load()
    assert read.history is not None and len(read.history.targets) == 3 and read.note is None


def test_a_block_in_someone_elses_comment_is_ignored(
    fake: FakeServices, tracker: IssueTracker
) -> None:
    history = big_history(confirmed=2_000, suspects=0)
    publish(History(targets=dict(list(history.targets.items())[:1]), runs=history.runs))
    found, _ = load()
    publish(history, found)
    (mine,) = [i for i in tracker.issues if i.body.startswith(MARKER)]
    genuine = [c for c in mine.comments if "paperlint-history-part" in c.body]
    assert len(genuine) == 1

    # mallory copies the genuine part (same id, same part number) with forged targets: a
    # fine link made to look failing for 999 runs, and posts it before paperlint's own
    m = mirror.PART_BLOCK.search(genuine[0].body)
    assert m is not None
    data = json.loads(zlib.decompress(base64.b64decode(m.group(1).replace("\n", ""))))
    forged_key = hashed("url:https://example.org/fine")
    data["t"] = {"k": base64.b64encode(bytes.fromhex(forged_key[1:])).decode(), "f": [0],
                 "l": [-1], "n": [999], "c": [1], "r": [0]}  # fmt: skip
    forged = "<!-- paperlint-history-part v2\n" + base64.b64encode(
        zlib.compress(json.dumps(data).encode())
    ).decode() + "\n-->"  # fmt: skip
    tracker.comment(mine, forged, author="mallory")
    mine.comments.insert(0, mine.comments.pop())  # the first one a reader meets

    _, read = load()
    assert read.history is not None and read.note is None
    assert forged_key not in read.history.targets
    assert len(read.history.targets) == 2_000

    # with paperlint's own comment gone, the forged one still does not count
    mine.comments = [c for c in mine.comments if c.author != BOT]
    mine_issue, read = load()
    assert read.history is not None and forged_key not in read.history.targets
    assert read.note is not None and "1 of 1 hidden comments" in read.note
    assert len(read.history.targets) < 2_000  # the body's share only

    # and paperlint's next update neither edits nor reads mallory's comment: it writes its own
    publish(history, mine_issue)
    assert mine.comments[0].body == forged and mine.comments[0].author == "mallory"
    _, read = load()
    assert read.history is not None and len(read.history.targets) == 2_000


@pytest.fixture
def site(fake: FakeServices, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GITHUB_REPOSITORY", "octo/papers")
    monkeypatch.setenv("GITHUB_TOKEN", "gh-test-token")
    names = [f"p{i}" for i in range(6)]
    fake.world.add(*(Page(f"/{n}", status=404) for n in names))
    path = tmp_path / "README.md"
    path.write_text("# L\n\n" + "".join(f"- [{n}]({fake.web('/' + n)})\n" for n in names), "utf-8")
    monkeypatch.chdir(tmp_path)
    return path


def nightly(site: Path, cache: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Any, str]:
    from checker.cli import main

    code = main([str(site), "--nightly", "--issue", "--allow-private", "--no-progress",
                 "--arxiv-delay", "0", "--format", "json", "--cache", str(cache)])  # fmt: skip
    out, err = capsys.readouterr()
    assert code == 0, err  # in-process: a crash would have raised here
    return json.loads(out), err


def test_an_evicted_cache_recovers_every_target_from_the_issue_and_its_comments(
    fake: FakeServices,
    site: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Through the command, with rooms so small that the history takes the body and comments."""
    monkeypatch.setattr(mirror, "BODY_ROOM", 250 + mirror.SLACK)
    monkeypatch.setattr(mirror, "PART_ROOM", 200 + mirror.SLACK)
    tracker = issues_of(fake.world)
    for _ in range(2):
        nightly(site, tmp_path / "first.sqlite3", capsys)
    (mine,) = [i for i in tracker.issues if i.body.startswith(MARKER)]
    assert len([c for c in mine.comments if "paperlint-history-part" in c.body]) >= 2
    tracker.comment(mine, "<!-- paperlint-history-part v2\nAAAA\n-->", author="mallory")

    report, err = nightly(site, tmp_path / "evicted.sqlite3", capsys)
    states = {f["url"]: (f["nightly"]["state"], f["nightly"]["runs"]) for f in report["findings"]
              if f["rule"] == "link-broken"}  # fmt: skip
    assert len(states) == 6 and set(states.values()) == {("still", 3)}
    assert report["nightly"]["baseline"] is False
    assert "paperlint: warning" not in err


@pytest.mark.parametrize(
    "block",
    [
        # the crash reported: 1e400 in a block of the first format
        "<!-- paperlint-history v1\n"
        + base64.b64encode(
            zlib.compress(b'{"runs": [["2026-11-03T04:00:00Z", 1e400, 0, 0]], "targets": {}}')
        ).decode()
        + "\n-->",
        "<!-- paperlint-history v2\n"
        + base64.b64encode(
            zlib.compress(
                b'{"v": 2, "id": "x", "parts": 0, "runs": [], "times": ["<img src=x>"], '
                b'"rules": [], "t": {"k": "", "f": [], "l": [], "n": [], "c": [], "r": []}}'
            )
        ).decode()
        + "\n-->",
        "<!-- paperlint-history v2\n"
        + base64.b64encode(zlib.compress(b"[" * 50_000)).decode()
        + "\n-->",
        "<!-- paperlint-history v2\n"
        + base64.b64encode(
            zlib.compress(
                b'{"v": 2, "id": "x", "parts": 0, "runs": [["2026-11-03T04:00:00Z", '
                + b"9" * 5000
                + b', 0, 0]], "times": [], "rules": [], "t": {}}'
            )
        ).decode()
        + "\n-->",
    ],
    ids=["1e400-v1", "html-time", "nesting", "5000-digits"],
)
def test_a_hostile_block_in_the_issue_body_never_crashes_a_run(
    fake: FakeServices,
    site: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    block: str,
) -> None:
    tracker = issues_of(fake.world)
    mine = tracker.add("paperlint: link rot report", f"{MARKER}\nreport\n\n{block}\n",
                       labels=["paperlint"])  # fmt: skip
    for n in range(2):  # and the run after it, which reads what the first one wrote
        report, err = nightly(site, tmp_path / "c.sqlite3", capsys)
        lines = [line for line in err.splitlines() if "history" in line]
        assert len(lines) == (1 - n), err
        if n == 0:
            assert lines[0].startswith("paperlint: warning: issue #") and "damaged" in lines[0]
            assert report["nightly"]["baseline"] is True
    assert "<img" not in mine.body and block not in mine.body
