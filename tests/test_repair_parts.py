"""The parts of repairing, one at a time: which dead links the archive is asked about, how an
ID is rewritten in a line, what an availability answer is worth, how a title becomes a query,
and fix safety in the fix engine and the text report."""

from __future__ import annotations

import pytest

from checker.evidence import Evidence
from checker.fix import fix_text
from checker.formats import text
from checker.model import (
    Applicability,
    Finding,
    Fix,
    NightlyState,
    Report,
    Severity,
    Summary,
)
from checker.parse import parse_text
from checker.services.arxiv import ArxivPaper
from checker.services.arxiv_search import title_query
from checker.services.http import Unavailable
from checker.services.wayback import Snapshot, snapshot_from
from checker.services.web import LinkStatus
from checker.venues import VenueTable
from checker.verify.amend import amend, archivable, id_fix


def broken(url: str, suspect: bool = False) -> Finding:
    state = NightlyState("suspect", "2026-12-01T00:00:00Z", 1) if suspect else None
    return Finding("link-broken", Severity.ERROR, "l.md", 3, 1, "link is broken", url,
                   nightly=state)  # fmt: skip


@pytest.mark.parametrize(
    ("url", "status", "allow_private", "asked"),
    [
        ("https://example.org/gone", LinkStatus("", status=404, error="HTTP 404"), False, True),
        ("https://example.org/gone", LinkStatus("", status=410, error="HTTP 410"), False, True),
        ("https://gone.example/", LinkStatus("", error="DNS: host not found (x)"), False, True),
        ("https://example.org/", LinkStatus("", error="connection failed: refused"), False, True),
        # failing for a while is not gone: no archived copy instead of the page
        ("https://example.org/busy", LinkStatus("", status=500, error="HTTP 500"), False, False),
        ("https://example.org/slow", LinkStatus("", error="timed out after 20s"), False, False),
        ("https://example.org/tls", LinkStatus("", error="TLS: bad certificate"), False, False),
        # arXiv and GitHub have better repairs; the archive is not asked about itself
        ("https://github.com/orgs/gone", LinkStatus("", status=404, error="HTTP 404"), False,
         False),
        ("https://web.archive.org/web/2020/https://x.org/", LinkStatus("", status=404,
         error="HTTP 404"), False, False),
        ("https://arxiv.org/list/cs.LG", LinkStatus("", status=404, error="HTTP 404"), False,
         False),
        # a private address is never named to anyone, unless the user allows fetching it
        ("http://192.168.1.20/gone", LinkStatus("", status=404, error="HTTP 404"), False, False),
        ("http://192.168.1.20/gone", LinkStatus("", status=404, error="HTTP 404"), True, True),
    ],
)  # fmt: skip
def test_which_dead_links_the_archive_is_asked_about(
    url: str, status: LinkStatus, allow_private: bool, asked: bool
) -> None:
    ev = Evidence(web={url: status})
    assert archivable(broken(url), ev, allow_private) is asked


def test_a_nightly_suspect_or_an_unchecked_link_is_not_asked_about() -> None:
    url = "https://example.org/gone"
    ev = Evidence(web={url: LinkStatus(url, status=404, error="HTTP 404")})
    assert archivable(broken(url, suspect=True), ev, False) is False
    assert archivable(broken(url), Evidence(), False) is False


@pytest.mark.parametrize(
    ("line", "fixed"),
    [
        # the text names the ID: text and URL in one edit; another paper's version dropped
        ("- T [arXiv:2305.14314v2](https://arxiv.org/abs/2305.14314v2)",
         "- T [arXiv:2106.09685](https://arxiv.org/abs/2106.09685)"),
        # a title as the text: the URL alone; every link of the entry on the line
        ("- [T](https://arxiv.org/abs/2305.14314) [[pdf]](https://arxiv.org/pdf/2305.14314.pdf)",
         "- [T](https://arxiv.org/abs/2106.09685) [[pdf]](https://arxiv.org/pdf/2106.09685.pdf)"),
        # an ID that only starts like the wrong one is another ID
        ("- [T](https://arxiv.org/abs/2305.14314) see 2305.143140",
         "- [T](https://arxiv.org/abs/2106.09685) see 2305.143140"),
        # a text naming the ID where it cannot be placed: no fix rather than a half one
        ('- <a href="https://arxiv.org/abs/2305.14314">2305.14314</a>', None),
    ],
)  # fmt: skip
def test_the_right_id_is_written_where_the_wrong_one_stands(line: str, fixed: str | None) -> None:
    doc = parse_text("l.md", "# P\n\n" + line + "\n", VenueTable([]))
    (entry,) = doc.entries
    link = entry.links[0]
    fix = id_fix(doc, entry, link, "2305.14314", "2106.09685")
    if fixed is None:
        assert fix is None
        return
    assert fix is not None and fix.applicability is Applicability.UNSAFE
    assert fix.column is not None
    at = fix.column - 1
    assert line[at : at + len(fix.old)] == fix.old
    assert line[:at] + fix.new + line[at + len(fix.old) :] == fixed


def test_an_availability_answer_offers_only_an_available_capture_of_a_200() -> None:
    closest = {
        "available": True,
        "url": "http://web.archive.org/web/20130919044612/http://example.com/",
        "timestamp": "20130919044612",
        "status": "200",
    }
    documented = {"archived_snapshots": {"closest": closest}}
    assert snapshot_from(documented) == Snapshot("20130919044612")
    assert snapshot_from({"url": "example.com", "archived_snapshots": {}}) is None
    for spoiled in ({"status": "404"}, {"available": False}, {"timestamp": "2013"},
                    {"timestamp": None}):  # fmt: skip
        assert snapshot_from({"archived_snapshots": {"closest": {**closest, **spoiled}}}) is None
    with pytest.raises(Unavailable):
        snapshot_from({"error": "too many requests"})
    with pytest.raises(Unavailable):
        snapshot_from(["not", "an", "object"])
    copy = Snapshot("20130919044612")
    assert copy.copy_of("http://example.com/a?b=c") == (
        "https://web.archive.org/web/20130919044612/http://example.com/a?b=c"
    )
    assert copy.date == "2013-09-19"


def test_a_title_becomes_a_phrase_of_its_words() -> None:
    assert title_query("LoRA: Low-Rank Adaptation (of) \"LLMs\"") == (
        'ti:"LoRA Low Rank Adaptation of LLMs"'
    )
    assert title_query("Ünïcode — Wörds ANDNOT Others") == 'ti:"Ünïcode Wörds ANDNOT Others"'
    assert title_query("$\\alpha$_beta") == 'ti:"alpha beta"'
    assert title_query("?!") is None
    assert title_query(" ".join(f"w{i}" for i in range(40))) == (
        'ti:"' + " ".join(f"w{i}" for i in range(30)) + '"'
    )


def test_fix_applies_the_safe_fixes_and_the_unsafe_ones_only_when_asked() -> None:
    original = "a Neurips 2020 b http://x.org/gone c\n"
    findings = [
        Finding("venue-format", Severity.WARNING, "l.md", 1, 3, "venue",
                fix=Fix(1, "Neurips 2020", "NeurIPS 2020", 3)),
        Finding("link-broken", Severity.ERROR, "l.md", 1, 18, "gone",
                fix=Fix(1, "http://x.org/gone", "https://web.archive.org/web/1/http://x.org/gone",
                        18, Applicability.UNSAFE)),
    ]  # fmt: skip

    def check(current: str) -> list[Finding]:
        return [f for f in findings if f.fix is not None and f" {f.fix.old} " in current]

    safe = fix_text(original, check, findings)
    assert safe.after == "a NeurIPS 2020 b http://x.org/gone c\n"
    assert [f.rule for f in safe.remaining] == ["link-broken"]
    every = fix_text(original, check, findings, unsafe=True)
    assert every.after == "a NeurIPS 2020 b https://web.archive.org/web/1/http://x.org/gone c\n"
    assert every.remaining == []


def test_the_summary_counts_fixes_of_findings_left_out_of_the_listing_and_says_so() -> None:
    def one(rule: str, severity: Severity, applicability: Applicability) -> Finding:
        return Finding(rule, severity, "l.md", 1, 1, rule,
                       fix=Fix(1, "a", "b", 1, applicability))  # fmt: skip

    findings = [
        one("venue-format", Severity.WARNING, Applicability.SAFE),
        one("link-redirect", Severity.INFO, Applicability.SAFE),
        one("link-broken", Severity.ERROR, Applicability.UNSAFE),
        Finding("anchor-missing", Severity.ERROR, "l.md", 2, 1, "no fix"),
    ]
    report = Report(findings=findings, summary=Summary(files=1, errors=2, warnings=1, infos=1))
    assert text.fixable(findings) == "2 fixable with --fix, 1 more with --unsafe-fixes"
    hidden = frozenset({Severity.INFO})
    assert text.fixable(findings, hidden) == (
        "2 fixable with --fix, 1 more with --unsafe-fixes (1 of them an info, not shown)"
    )
    out = text.render(report, hide=hidden)
    assert "link-redirect" not in out
    assert "l.md:1:1: warning venue-format [*] venue-format" in out
    assert "(1 of them an info, not shown)" in out.splitlines()[-1]
    assert text.fixable([findings[2]]) == "1 fixable with --unsafe-fixes"
    assert text.fixable([findings[3]]) == ""


def test_only_a_real_arxiv_id_from_the_search_is_ever_written_into_the_list() -> None:
    title = "LoRA: Low-Rank Adaptation of Large Language Models"
    doc = parse_text(
        "l.md", f"# P\n\n- [{title}](https://arxiv.org/abs/2305.14314)\n", VenueTable([])
    )
    (entry,) = doc.entries
    assert entry.title is not None
    wrong = Finding("title-mismatch", Severity.ERROR, "l.md", entry.title.line,
                    entry.title.column, "the ID points at another paper: arXiv 2305.14314: 'Q'",
                    url="https://arxiv.org/abs/2305.14314")  # fmt: skip
    query = title_query(title)
    assert query is not None

    def amended(found_id: str) -> Finding:
        ev = Evidence(titles={query: [ArxivPaper(found_id, 1, title)]})
        (f,) = amend([wrong], [doc], ev)
        return f

    hostile = amended("2106.09685](https://evil.example/x")
    assert hostile.fix is None
    assert hostile.message.endswith("title search finds no other paper with the listed title")
    right = amended("2106.09685")
    assert right.fix is not None and (right.fix.old, right.fix.new) == ("2305.14314", "2106.09685")


def test_an_annotation_says_which_fix_waits_for_unsafe_fixes() -> None:
    from checker.formats import github

    def annotated(applicability: Applicability) -> str:
        f = Finding("link-broken", Severity.ERROR, "l.md", 3, 5, "link is broken: HTTP 404",
                    fix=Fix(3, "http://x.org/a", "https://web.archive.org/web/1/http://x.org/a",
                            5, applicability))  # fmt: skip
        return github.annotation(f)

    assert annotated(Applicability.SAFE).endswith(
        "::link is broken: HTTP 404 (fix: 'http://x.org/a' → "
        "'https://web.archive.org/web/1/http://x.org/a')"
    )
    assert "(unsafe fix, with --unsafe-fixes: 'http://x.org/a' → " in annotated(
        Applicability.UNSAFE
    )


@pytest.mark.parametrize("hashed_keys", [False, True])
def test_the_archive_is_asked_about_when_the_history_last_saw_the_link_fine(
    hashed_keys: bool,
) -> None:
    """From the cache's history (keys as written) or from the issue's mirror (keys hashed, as
    after an evicted cache): the same last-fine time, not the file's last commit."""
    from checker.config import Options
    from checker.history import History, TargetHistory, hashed
    from checker.nightly import Nightly
    from checker.verify.repair import _last_alive

    url = "https://example.org/gone"
    key = hashed(f"url:{url}") if hashed_keys else f"url:{url}"
    target = TargetHistory("2026-12-02T03:00:00Z", "2026-11-30T03:04:05Z", 2, True)
    night = Nightly(Options(paths=["l.md"]), before=History(targets={key: target}))
    assert _last_alive([url], [broken(url)], night.options, {}, night) == {url: "20261130030405"}
