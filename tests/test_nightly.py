"""--nightly: per-target history in the cache database, suspects and confirmation, outages that
count for nothing, recovered targets, the link-rot Markdown report; the history's mirror block."""

from __future__ import annotations

import base64
import json
import sqlite3
import zlib
from pathlib import Path
from typing import Any

import pytest
from fakes import FakeServices, Page, Paper

from checker import mirror
from checker.formats import markdown
from checker.history import History, HistoryStore, TargetHistory, hashed
from checker.model import (
    Finding,
    NightlyReport,
    NightlyRun,
    NightlyState,
    Recovered,
    Report,
    Severity,
    Summary,
)
from checker.nightly import target_key


def states(run: Any) -> dict[str, tuple[str, int]]:
    """Path of each broken link → (nightly state, failures in a row)."""
    out = {}
    for f in run.findings:
        if f["rule"] == "link-broken":
            out[f["url"].rsplit("/", 1)[-1]] = (f["nightly"]["state"], f["nightly"]["runs"])
    return out


def recovered(run: Any) -> list[str]:
    return sorted(r["url"].rsplit("/", 1)[-1] for r in run.report["recovered"])


@pytest.fixture
def site(fake: FakeServices, tmp_path: Path) -> Path:
    fake.world.add(*(Page(f"/{name}") for name in "abcd"))
    path = tmp_path / "list.md"
    path.write_text(
        "# Links\n\n" + "".join(f"- [{n}]({fake.web('/' + n)})\n" for n in "abcd"),
        encoding="utf-8",
    )
    return path


def test_three_nights_then_all_recovered(
    fake: FakeServices, paperlint: Any, site: Path, tmp_path: Path
) -> None:
    db = tmp_path / "cache.sqlite3"
    pages = fake.world.pages

    def night(*broken: str) -> Any:
        for name in "abcd":
            pages[f"/{name}"].status = 404 if name in broken else 200
        fake.clear_log()
        run = paperlint(str(site), "--nightly", "--cache", str(db), "--allow-private")
        assert run.code == 0, run.err  # --nightly reports, it does not fail the job
        return run

    first = night("a", "b")
    assert states(first) == {"a": ("suspect", 1), "b": ("suspect", 1)}
    assert first.report["nightly"]["baseline"] is True
    assert first.report["summary"]["errors"] == 0  # suspects do not count
    assert first.report["recovered"] == []
    since = {f["url"]: f["nightly"]["since"] for f in first.findings}

    second = night("a", "b", "c")
    assert states(second) == {"a": ("new", 2), "b": ("new", 2), "c": ("suspect", 1)}
    assert second.report["summary"]["errors"] == 2
    assert {f["url"]: f["nightly"]["since"] for f in second.findings if "/c" not in f["url"]} == (
        since
    )
    assert {r.path for r in fake.requests_to("web")} >= {"/a", "/b", "/c", "/d"}  # every night

    third = night("a")
    assert states(third) == {"a": ("still", 3)}
    assert recovered(third) == ["b", "c"]
    back = {r["url"].rsplit("/", 1)[-1]: r for r in third.report["recovered"]}
    assert back["b"]["since"] == since[fake.web("/b")]
    assert (back["b"]["rule"], back["b"]["line"]) == ("link-broken", 4)

    fourth = night()
    assert states(fourth) == {}
    assert recovered(fourth) == ["a"]
    runs = fourth.report["nightly"]["runs"]
    assert [(r["broken"], r["suspects"]) for r in runs] == [(0, 2), (2, 1), (1, 0), (0, 0)]


def test_what_failed_is_asked_again_and_sound_papers_come_from_the_cache(
    fake: FakeServices, paperlint: Any, tmp_path: Path
) -> None:
    fake.world.add(Paper("1706.03762", "Attention Is All You Need"))
    path = tmp_path / "list.md"
    path.write_text(
        "# Papers\n\n- [Attention Is All You Need](https://arxiv.org/abs/1706.03762)\n"
        "- [Gone](https://arxiv.org/abs/2301.99999)\n",
        encoding="utf-8",
    )
    args = (str(path), "--nightly", "--cache", str(tmp_path / "c.sqlite3"))
    first = paperlint(*args)
    assert [(f["rule"], f["nightly"]["state"]) for f in first.findings] == [
        ("arxiv-not-found", "suspect")
    ]
    fake.clear_log()
    second = paperlint(*args)  # a missing ID is cached for a day: this one is asked again
    assert [(f["rule"], f["nightly"]["state"]) for f in second.findings] == [
        ("arxiv-not-found", "new")
    ]
    (request,) = fake.requests_to("arxiv")
    assert request.param("id_list") == "2301.99999"


def test_an_outage_is_no_evidence(
    fake: FakeServices, paperlint: Any, site: Path, tmp_path: Path
) -> None:
    db = tmp_path / "cache.sqlite3"
    page = fake.world.pages["/a"]
    page.status = 404
    args = (str(site), "--nightly", "--cache", str(db), "--allow-private")
    assert states(paperlint(*args)) == {"a": ("suspect", 1)}

    page.status, page.retry_after = 429, 0  # rate limited after retries: unverified
    held = paperlint(*args)
    assert states(held) == {}
    assert held.report["recovered"] == []
    assert [h["url"] for h in held.report["nightly"]["held"]] == [fake.web("/a")]
    assert any(f["rule"] == "service-unavailable" for f in held.findings)

    page.status, page.retry_after = 404, None
    assert states(paperlint(*args)) == {"a": ("new", 2)}  # the outage neither broke nor mended


def test_confirm_after_one_counts_at_once(
    fake: FakeServices, paperlint: Any, site: Path, tmp_path: Path
) -> None:
    fake.world.pages["/b"].status = 410
    run = paperlint(str(site), "--nightly", "--confirm-after", "1", "--no-cache", "--allow-private")
    assert states(run) == {"b": ("new", 1)}
    assert run.report["summary"]["errors"] == 1
    assert run.code == 0
    failing = paperlint(
        str(site), "--nightly", "--confirm-after", "1", "--no-cache", "--allow-private",
        "--fail-on", "error",
    )  # fmt: skip
    assert failing.code == 1  # an explicit --fail-on overrides the nightly's default


def test_history_is_per_target_not_per_line(
    fake: FakeServices, paperlint: Any, site: Path, tmp_path: Path
) -> None:
    db = tmp_path / "cache.sqlite3"
    fake.world.pages["/d"].status = 404
    args = (str(site), "--nightly", "--cache", str(db), "--allow-private")
    paperlint(*args)
    text = site.read_text(encoding="utf-8")
    site.write_text(text.replace("# Links\n\n", "# Links\n\nSome words first.\n\n"), "utf-8")
    run = paperlint(*args)
    (broken,) = [f for f in run.findings if f["rule"] == "link-broken"]
    assert broken["line"] == 8 and broken["nightly"]["state"] == "new"
    rows = sqlite3.connect(db).execute("SELECT key, runs FROM nightly_targets_v1").fetchall()
    assert (f"url:{fake.web('/d')}", 2) in rows


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--nightly", "--offline"], "cannot run --offline"),
        (["--nightly", "--changed-since", "HEAD"], "cannot be limited by --changed-since"),
        (["--nightly", "--confirm-after", "0"], "must be at least 1"),
    ],
)
def test_nightly_usage_errors(
    paperlint: Any, tmp_path: Path, args: list[str], message: str
) -> None:
    path = tmp_path / "l.md"
    path.write_text("# x\n\n- [a](https://arxiv.org/abs/1706.03762)\n", encoding="utf-8")
    run = paperlint(str(path), *args)
    assert run.code == 2 and run.out == ""
    assert len(run.err.splitlines()) == 1 and message in run.err


# ---------------------------------------------------------------------------------------------
# Units: targets, the store, the mirror


def test_target_keys() -> None:
    assert target_key("https://arxiv.org/pdf/2106.09685v2") == "arxiv:2106.09685"
    assert target_key("https://github.com/Owner/Repo/tree/main") == "repo:owner/repo"
    assert target_key("https://example.org/x?y=1") == "url:https://example.org/x?y=1"
    assert target_key("#anchor") is None and target_key(None) is None


def sample_history() -> History:
    return History(
        targets={
            "url:https://example.org/gone": TargetHistory(
                "2026-11-01T04:00:00Z",
                "2026-10-31T04:00:00Z",
                3,
                True,
                "link-broken",
                "README.md",
                12,
                "https://example.org/gone",
            ),
            "arxiv:2106.09685": TargetHistory(None, "2026-11-03T04:00:00Z", 0, False),
        },
        runs=[NightlyRun(f"2026-11-0{d}T04:00:00Z", d % 2, 1, 0) for d in range(1, 4)],
    )


def test_store_keeps_one_history_per_scope(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "c.sqlite3")
    assert store.load("README.md") is None
    assert store.save("README.md", sample_history())
    assert store.load("README.md") == sample_history()
    assert store.load("other.md") is None
    store.close()


def test_mirror_round_trip_keeps_failing_targets_only() -> None:
    blocks = mirror.encode(sample_history())
    block = blocks.block
    assert blocks.parts == []  # a small history: the body alone
    assert block.startswith("<!-- paperlint-history v2\n") and block.endswith("\n-->")
    assert "--" not in block[len("<!-- ") : -len("-->")]  # never closes the comment early
    back = mirror.decode(f"# Report\n\nwords\n\n{block}\n")
    assert back.history is not None and back.note is None
    assert back.history.runs == sample_history().runs
    gone = sample_history().targets["url:https://example.org/gone"]
    assert back.history.targets == {
        hashed("url:https://example.org/gone"): TargetHistory(
            gone.first_failed, gone.last_fine, gone.runs, gone.confirmed, gone.rule
        )
    }
    assert back.history.lookup("url:https://example.org/gone") is not None
    assert back.history.lookup("arxiv:2106.09685") is None


def test_mirror_too_big_drops_suspects_first() -> None:
    history = History(
        targets={
            f"url:https://example.org/{i}": TargetHistory(
                "2026-11-01T04:00:00Z",
                None,
                1 + (i < 5),
                i < 5,
                "link-broken",
                "R.md",
                i,
                f"https://example.org/{i}-{'x' * 40}-{i * 7919 % 1000}",
            )
            for i in range(400)
        }
    )
    blocks = mirror.encode(history, keep=50)
    back = mirror.decode(blocks.block, blocks.parts).history
    assert back is not None and len(back.targets) == 50
    assert all(back.lookup(f"url:https://example.org/{i}") for i in range(5))


def test_mirror_parts_of_another_update_are_left_out_and_said() -> None:
    def history(runs: int) -> History:
        return History(
            targets={
                f"url:https://example.org/{i}": TargetHistory(
                    "2026-11-01T04:00:00Z", None, runs + i % 5, True, "link-broken"
                )
                for i in range(300)
            },
            runs=[NightlyRun("2026-11-03T04:00:00Z", 300, 0, 0)],
        )

    tonight = mirror.encode(history(3), body_room=600, part_room=1500)
    last_night = mirror.encode(history(2), body_room=600, part_room=1500)
    assert len(tonight.parts) >= 3
    whole = mirror.decode(tonight.block, tonight.parts)
    assert whole.note is None and whole.history is not None
    assert len(whole.history.targets) == 300

    # spares, a damaged block and yesterday's parts beside tonight's: only tonight's are read
    noise = [mirror.spare(), "<!-- paperlint-history-part v2\n!!!!\n-->", *last_night.parts]
    read = mirror.decode(tonight.block, noise + tonight.parts[::-1])
    assert read.note is None and read.history == whole.history

    # a part an interrupted update left behind: its targets start again, and one line says so
    mixed = mirror.decode(tonight.block, [last_night.parts[0], *tonight.parts[1:]])
    assert mixed.history is not None and len(mixed.history.targets) < 300
    assert mixed.note is not None and mixed.note.startswith(f"1 of {len(tonight.parts)} hidden")


def test_mirror_a_block_of_the_first_format_is_still_read() -> None:
    """Issues written before the hidden comments existed keep their history."""
    data = {
        "runs": [["2026-11-03T04:00:00Z", 1, 0, 0]],
        "targets": {
            "url:https://example.org/gone": [
                "2026-11-01T04:00:00Z", None, 3, 1, "link-broken", "R.md", 4, "https://x",
            ]
        },
    }  # fmt: skip
    back = mirror.decode(v1_block(data)).history
    assert back is not None and back.last_at == "2026-11-03T04:00:00Z"
    old = back.lookup("url:https://example.org/gone")
    assert old is not None and (old.runs, old.confirmed, old.rule) == (3, True, "link-broken")


def v1_block(data: Any) -> str:
    raw = json.dumps(data).encode() if not isinstance(data, bytes) else data
    return "<!-- paperlint-history v1\n" + base64.b64encode(zlib.compress(raw)).decode() + "\n-->"


def v2_block(data: Any, head: str = "<!-- paperlint-history v2\n") -> str:
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    return head + base64.b64encode(zlib.compress(raw)).decode() + "\n-->"


def v2_body(**change: Any) -> dict[str, Any]:
    """A sound body block's data, with `change` applied."""
    data: dict[str, Any] = {
        "v": 2, "id": "ab", "parts": 0, "runs": [["2026-11-03T04:00:00Z", 1, 0, 0]],
        "times": ["2026-11-01T04:00:00Z"], "rules": ["link-broken"],
        "t": {"k": base64.b64encode(b"12345678").decode(), "f": [0], "l": [-1], "n": [2],
              "c": [1], "r": [0]},
    }  # fmt: skip
    for key, value in change.items():
        if key in data["t"]:
            data["t"][key] = value
        else:
            data[key] = value
    return data


def test_mirror_v2_sound_sample_is_read() -> None:
    back = mirror.decode(v2_block(v2_body()))
    assert back.history is not None and back.note is None
    assert back.history.targets["#" + b"12345678".hex()].runs == 2


HOSTILE = {
    "1e400 in a run": v2_block(v2_body(runs=[["2026-11-03T04:00:00Z", 1e400, 0, 0]])),
    "1e400, first format": v1_block(
        b'{"runs": [["2026-11-03T04:00:00Z", 1e400, 0, 0]], "targets": {}}'
    ),
    "a huge number": v2_block(v2_body(n=[10**200])),
    "4,000 digits": v1_block(
        b'{"runs": [["2026-11-03T04:00:00Z", ' + b"9" * 4000 + b', 0, 0]], "targets": {}}'
    ),
    "negative runs": v2_block(v2_body(n=[-1])),
    "a bool for a number": v2_block(v2_body(c=[True])),
    "a string for a number": v2_block(v2_body(n=["2"])),
    "nesting": v2_block(b"[" * 100_000 + b"]" * 100_000),
    "nested targets": v2_block(v2_body(t=[[[[[]]]]])),
    "a time that is HTML": v2_block(v2_body(times=["<img src=x onerror=alert(1)>"])),
    "month 13": v2_block(v2_body(runs=[["2026-13-03T04:00:00Z", 1, 0, 0]])),
    "a rule that is Markdown": v2_block(v2_body(rules=["x` @admin <b>"])),
    "an index out of range": v2_block(v2_body(f=[7])),
    "columns of different lengths": v2_block(v2_body(n=[1, 2])),
    "keys not base64": v2_block(v2_body(k="!!")),
    "NaN": v2_block(b'{"v": 2, "id": "a", "parts": NaN}'),
    "too many parts": v2_block(v2_body(parts=10**6)),
    "not zlib": "<!-- paperlint-history v2\n" + base64.b64encode(b"not zlib").decode() + "\n-->",
    "inflates past any sensible size": v2_block(b"[" + b" " * 20_000_000 + b"]"),
    "first format, a time that is HTML": v1_block(
        {"runs": [], "targets": {"k": ["<b>", None, 1, 1, "link-broken", "R", 1, None]}}
    ),
    "first format, a huge run count": v1_block(
        {"runs": [], "targets": {"k": [None, None, 10**30, 1, "link-broken", "R", 1, None]}}
    ),
}


@pytest.mark.parametrize("body", list(HOSTILE.values()), ids=list(HOSTILE))
def test_mirror_hostile_values_are_ignored_with_one_note(body: str) -> None:
    back = mirror.decode(f"{body}\n")
    assert back.history is None
    assert back.note is not None and "\n" not in back.note and len(back.note) < 200


@pytest.mark.parametrize(
    "body",
    [
        "",
        "no block here",
        "<!-- paperlint-history v1\nnot base64!\n-->",
        "<!-- paperlint-history v1\n" + base64.b64encode(b"not zlib").decode() + "\n-->",
        "<!-- paperlint-history v1\n"
        + base64.b64encode(zlib.compress(b'{"runs": 1, "targets": []}')).decode()
        + "\n-->",
        "<!-- paperlint-history v1\n"
        + base64.b64encode(
            zlib.compress(json.dumps({"runs": [], "targets": {"k": [1]}}).encode())
        ).decode()
        + "\n-->",
        # a small block that inflates past any sensible size
        "<!-- paperlint-history v1\n"
        + base64.b64encode(zlib.compress(b"[" + b" " * 20_000_000 + b"]", 9)).decode()
        + "\n-->",
    ],
)
def test_mirror_damaged_or_hostile_is_ignored(body: str) -> None:
    assert mirror.decode(body).history is None


# ---------------------------------------------------------------------------------------------
# The link-rot report


def nightly_report() -> Report:
    def broken(line: int, state: str, runs: int, sev: Severity = Severity.ERROR) -> Finding:
        url = f"https://example.org/{line}"
        nightly = NightlyState(state, f"2026-11-0{4 - min(runs, 3)}T04:00:00Z", runs)
        return Finding(
            "link-broken", sev, "README.md", line, 3, "link is broken: HTTP 404", url,
            nightly=nightly,
        )  # fmt: skip

    findings = [
        broken(10, "still", 5),
        broken(11, "new", 2),
        broken(12, "suspect", 1),
        Finding("table-shape", Severity.ERROR, "README.md", 3, 1, "row is split"),
    ]
    return Report(
        findings=findings,
        summary=Summary(files=1, entries=20, links=30, errors=3, unverified=1),
        recovered=[Recovered("github-not-found", "README.md", 20, "https://github.com/a/b", "x")],
        nightly=NightlyReport(
            2,
            "2026-11-04T04:00:00Z",
            runs=[NightlyRun(f"2026-11-0{d}T04:00:00Z", d, 1, 0) for d in range(1, 5)],
        ),
    )


def test_link_rot_report_sections_in_order() -> None:
    links = markdown.LineLinks("https://github.com", "o/r", "abc123", ".")
    text = markdown.render(nightly_report(), links)
    heads = [line for line in text.splitlines() if line.startswith("### ")]
    assert heads == [
        "### New: confirmed since the last report (1)",
        "### Still failing (1)",
        "### Recovered (1)",
        "### Suspect: not confirmed until it fails 2 runs in a row (1)",
        "### Everything else (1)",
    ]
    assert text.splitlines()[2].startswith("**2 broken** (1 new) · 1 recovered · 1 suspect")
    assert "[`README.md:11`](https://github.com/o/r/blob/abc123/README.md?plain=1#L11)" in text
    assert "| 2026-11-01 | 5 |" in text  # still failing: since when, how many runs
    chart = text[text.index("```mermaid") :]
    assert "xychart-beta" in chart
    assert 'x-axis ["11-01", "11-02", "11-03", "11-04"]' in chart
    assert "bar [1, 2, 3, 4]" in chart and "line [1, 1, 1, 1]" in chart


def test_link_rot_report_within_an_issue_body_keeps_new_first() -> None:
    report = nightly_report()
    extra = [
        Finding("venue-format", Severity.WARNING, "README.md", 100 + i, 1, "venue " * 20)
        for i in range(300)
    ]
    report.findings += extra
    text = markdown.render(report, limit=4000)
    assert len(text.encode("utf-8")) <= 4000
    assert "### New: confirmed since the last report (1)" in text
    assert "### Still failing (1)" in text
    assert "more not shown here" in text and "other findings" in text
    assert "```mermaid" in text
