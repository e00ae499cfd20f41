"""Repair, not only report (issue 17.1, 17.2 and fix safety), through the command against the
loopback fakes: archived copies for dead links, the right arXiv ID for a wrong or missing one,
applied only with --unsafe-fixes, asked politely (once, cached) and never as a failure."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from fakes import Capture, FakeServices, Page, Paper

LORA = Paper("2106.09685", "LoRA: Low-Rank Adaptation of Large Language Models")
QLORA = Paper("2305.14314", "QLoRA: Efficient Finetuning of Quantized LLMs")
REFORMER = Paper("2001.04451", "Reformer: The Efficient Transformer")
LONGFORMER = Paper("2004.05150", "Longformer: The Long-Document Transformer")
FUNNEL = Paper(
    "2006.03236",
    "Funnel-Transformer: Filtering out Sequential Redundancy for Efficient Language Processing",
)
REMOVED = "/removed"  # answers 410 Gone (a refused connection counts too: test_repair_parts)
# the archived copies a fresh run would fetch are on the internet: never from a test
NO_ARCHIVE = 'exclude = ["^https://web\\\\.archive\\\\.org/"]\n'


def the_list(fake: FakeServices, tmp_path: Path) -> Path:
    """Two dead links (a 404 and a 410), a wrong ID (another paper's), a
    misspelled ID that does not exist (in a table and in a list item with its pdf link), and
    a venue written wrongly (a safe fix)."""
    fake.world.add(LORA, QLORA, REFORMER, LONGFORMER, FUNNEL, Page("/alive"))
    fake.world.add(
        Page(REMOVED, status=410),
        Capture(fake.web("/gone"), "20210301120000"),
        Capture(fake.web(REMOVED), "20190102030405"),
    )
    path = tmp_path / "list.md"
    path.write_text(
        "# Efficient transformers\n"
        "\n"
        "| Title | Venue | Paper | Project |\n"
        "|---|---|---|---|\n"
        f"| LoRA: Low-Rank Adaptation of Large Language Models | ICLR 2022 |"
        f" [2305.14314](https://arxiv.org/abs/2305.14314) | [page]({fake.web('/gone')}) |\n"
        f"| Reformer: The Efficient Transformer | ICLR 2020 |"
        f" [2001.04452](https://arxiv.org/abs/2001.04452) | [demo]({fake.web(REMOVED)}) |\n"
        f"| {FUNNEL.title} | Neurips 2020 | [2006.03236](https://arxiv.org/abs/2006.03236) |"
        f" [ok]({fake.web('/alive')}) |\n"
        "\n"
        "- [Longformer: The Long-Document Transformer](https://arxiv.org/abs/2004.05105)"
        " [[pdf]](https://arxiv.org/pdf/2004.05105v2)\n",
        encoding="utf-8",
    )
    (tmp_path / ".paperlint.toml").write_text(NO_ARCHIVE, encoding="utf-8")
    return path


def repaired(fake: FakeServices) -> str:
    return (
        "# Efficient transformers\n"
        "\n"
        "| Title | Venue | Paper | Project |\n"
        "|---|---|---|---|\n"
        "| LoRA: Low-Rank Adaptation of Large Language Models | ICLR 2022 |"
        " [2106.09685](https://arxiv.org/abs/2106.09685) |"
        f" [page](https://web.archive.org/web/20210301120000/{fake.web('/gone')}) |\n"
        "| Reformer: The Efficient Transformer | ICLR 2020 |"
        " [2001.04451](https://arxiv.org/abs/2001.04451) |"
        f" [demo](https://web.archive.org/web/20190102030405/{fake.web(REMOVED)}) |\n"
        f"| {FUNNEL.title} | NeurIPS 2020 | [2006.03236](https://arxiv.org/abs/2006.03236) |"
        f" [ok]({fake.web('/alive')}) |\n"
        "\n"
        "- [Longformer: The Long-Document Transformer](https://arxiv.org/abs/2004.05150)"
        " [[pdf]](https://arxiv.org/pdf/2004.05150)\n"
    )


REPAIRED_RULES = {"title-mismatch", "arxiv-not-found", "link-broken"}


def searches(fake: FakeServices) -> list[str]:
    return [r.query["search_query"] for r in fake.requests_to("arxiv") if "search_query" in r.query]


def asked_archive(fake: FakeServices) -> list[str]:
    return [r.query["url"] for r in fake.requests_to("wayback")]


def by_rule(run: Any) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for f in run.findings:
        out.setdefault(f["rule"], []).append(f)
    return out


# ---------------------------------------------------------------------------------------------
# The "done when"


def test_unsafe_fixes_repair_dead_links_and_wrong_ids_end_to_end(
    fake: FakeServices, paperlint: Any, tmp_path: Path
) -> None:
    path = the_list(fake, tmp_path)
    before = path.read_text(encoding="utf-8")

    # the report says what each repair is, and marks it unsafe
    report = paperlint(str(path), "--allow-private", "--no-cache")
    assert report.code == 1, report.err
    found = by_rule(report)
    assert [f["fix"]["applicability"] for f in found["venue-format"]] == ["safe"]
    for rule in REPAIRED_RULES:
        assert all(f["fix"]["applicability"] == "unsafe" for f in found[rule]), found[rule]
    broken = {f["url"]: f["message"] for f in found["link-broken"]}
    assert broken[fake.web("/gone")].endswith("the Wayback Machine has a copy of 2021-03-01")
    assert broken[fake.web(REMOVED)].endswith("the Wayback Machine has a copy of 2019-01-02")
    (wrong,) = found["title-mismatch"]
    assert wrong["message"].endswith(f"the listed title is arXiv 2106.09685: '{LORA.title}'")
    assert len(found["arxiv-not-found"]) == 3  # the table's ID, the list item's abs and pdf

    # --diff --unsafe-fixes shows every repair, and changes nothing
    diff = paperlint(str(path), "--diff", "--unsafe-fixes", "--allow-private", "--no-cache",
                     fmt=None)  # fmt: skip
    assert path.read_text(encoding="utf-8") == before
    added = [line[1:] for line in diff.out.splitlines() if line.startswith("+|") or
             line.startswith("+-")]  # fmt: skip
    assert added == [line for line in repaired(fake).splitlines() if line not in before]

    # plain --fix applies the safe fix only
    safe = paperlint(str(path), "--fix", "--allow-private", "--no-cache")
    assert "fixed 1 problem in" in safe.err
    text = path.read_text(encoding="utf-8")
    assert "NeurIPS 2020" in text and "2305.14314" in text and "2004.05105" in text
    assert "web.archive.org" not in text
    assert {f["rule"] for f in safe.findings} == REPAIRED_RULES

    # --fix --unsafe-fixes applies them all; the report is that of the file as written
    fixed = paperlint(str(path), "--fix", "--unsafe-fixes", "--allow-private", "--no-cache")
    assert path.read_text(encoding="utf-8") == repaired(fake)
    # edits: 2 copies, 1 wrong ID, 2 missing IDs (the list item's two links in one edit)
    assert "fixed 5 problems in" in fixed.err
    assert fixed.findings == [] and fixed.code == 0

    # a fresh run asks again and finds nothing of that left
    fresh = paperlint(str(path), "--allow-private", "--no-cache")
    assert fresh.code == 0, fresh.findings
    assert fresh.findings == []
    assert fake.errors == []


def test_text_report_marks_fixes_and_counts_both_kinds(
    fake: FakeServices, paperlint: Any, tmp_path: Path
) -> None:
    path = the_list(fake, tmp_path)
    run = paperlint(str(path), "--allow-private", "--no-cache", fmt="text")
    lines = run.out.splitlines()
    venue = next(line for line in lines if " venue-format " in line)
    assert " venue-format [*] venue 'Neurips 2020'" in venue
    broken = next(line for line in lines if " link-broken " in line)
    assert "[*]" not in broken  # --fix alone would not fix it
    assert any(line.startswith("    unsafe fix (with --unsafe-fixes): ") for line in lines)
    assert lines[-1].count("; 1 fixable with --fix, 6 more with --unsafe-fixes") == 1


def test_unsafe_fixes_needs_fix_or_diff(paperlint: Any, tmp_path: Path) -> None:
    path = tmp_path / "list.md"
    path.write_text("# Papers\n", encoding="utf-8")
    run = paperlint(str(path), "--unsafe-fixes", "--offline")
    assert run.code == 2
    assert run.err.strip().splitlines() == [
        "paperlint: error: --unsafe-fixes says which fixes --fix and --diff apply: add one of them"
    ]


def test_sarif_carries_unsafe_fixes_only_with_unsafe_fixes(
    fake: FakeServices, paperlint: Any, tmp_path: Path
) -> None:
    path = the_list(fake, tmp_path)
    out = tmp_path / "out"
    out.mkdir()

    def fixed_rules(*extra: str) -> list[str]:
        sarif = out / "r.sarif"
        paperlint(str(path), "--diff", *extra, "--allow-private", "--no-cache",
                  "--report", f"sarif={sarif}", fmt=None)  # fmt: skip
        results = json.loads(sarif.read_text(encoding="utf-8"))["runs"][0]["results"]
        return sorted(r["ruleId"] for r in results if "fixes" in r)

    assert fixed_rules() == ["venue-format"]
    assert fixed_rules("--unsafe-fixes") == sorted(
        ["venue-format", "title-mismatch", "link-broken", "link-broken"]
        + ["arxiv-not-found"] * 3
    )


# ---------------------------------------------------------------------------------------------
# Polite and bounded


def test_one_request_per_dead_url_and_per_wrong_title_none_again_from_the_cache(
    fake: FakeServices, paperlint: Any, tmp_path: Path
) -> None:
    path = the_list(fake, tmp_path)
    cache = str(tmp_path / "cache.sqlite3")
    first = paperlint(str(path), "--allow-private", "--cache", cache)
    assert sorted(asked_archive(fake)) == sorted([fake.web("/gone"), fake.web(REMOVED)])
    assert sorted(searches(fake)) == [
        'ti:"LoRA Low Rank Adaptation of Large Language Models"',
        'ti:"Longformer The Long Document Transformer"',
        'ti:"Reformer The Efficient Transformer"',
    ]  # one search per wrong title: the list item's two links share one

    fake.clear_log()
    second = paperlint(str(path), "--allow-private", "--cache", cache)
    assert asked_archive(fake) == [] and searches(fake) == []
    assert second.findings == first.findings  # the same repairs, from the cache

    fake.clear_log()
    offline = paperlint(str(path), "--offline", "--allow-private", "--cache", cache)
    assert fake.log == []
    kept = {(f["rule"], f["line"]): f.get("fix") for f in offline.findings}
    for line, when in ((5, "2021"), (6, "2019")):  # the 404 and 410 answers were cached too
        fix = kept[("link-broken", line)]
        assert fix is not None and fix["new"].startswith(f"https://web.archive.org/web/{when}")
    assert kept[("title-mismatch", 5)] is not None


def test_the_archive_is_asked_about_the_time_of_the_files_last_commit(
    fake: FakeServices, paperlint: Any, tmp_path: Path
) -> None:
    fake.world.add(Capture(fake.web("/gone"), "20200101000000"))
    path = tmp_path / "list.md"
    path.write_text(f"# Links\n\n- [Project]({fake.web('/gone')})\n", encoding="utf-8")
    env = {**os.environ, "GIT_COMMITTER_DATE": "2021-03-04T05:06:07+00:00"}
    for args in (["init", "-q"], ["add", "list.md"], ["commit", "-q", "-m", "list"]):
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
                       cwd=tmp_path, env=env, check=True, capture_output=True)  # fmt: skip
    run = paperlint(str(path), "--allow-private", "--no-cache")
    assert fake.world.wayback_asked == [(fake.web("/gone"), "20210304050607")]
    assert run.findings[0]["fix"]["new"] == (
        f"https://web.archive.org/web/20200101000000/{fake.web('/gone')}"
    )


def test_nightly_asks_only_once_confirmed_and_from_when_it_was_last_fine(
    fake: FakeServices, paperlint: Any, tmp_path: Path
) -> None:
    fake.world.add(Page("/fading"), Capture(fake.web("/fading"), "20240101000000"))
    path = tmp_path / "list.md"
    path.write_text(f"# Links\n\n- [Project]({fake.web('/fading')})\n", encoding="utf-8")
    args = (str(path), "--nightly", "--allow-private", "--cache", str(tmp_path / "c.sqlite3"))
    alive = paperlint(*args)
    assert alive.findings == []
    del fake.world.pages["/fading"]  # gone: 404 from now on

    suspect = paperlint(*args)
    (f,) = suspect.findings
    assert f["nightly"]["state"] == "suspect" and "fix" not in f
    assert fake.world.wayback_asked == []  # a failure seen once is not repaired yet

    confirmed = paperlint(*args)
    (f,) = confirmed.findings
    assert f["nightly"]["state"] == "new"
    last_fine = "".join(ch for ch in alive.report["nightly"]["at"] if ch.isdigit())
    assert fake.world.wayback_asked == [(fake.web("/fading"), last_fine)]
    assert f["fix"]["applicability"] == "unsafe"
    assert f["message"].endswith("the Wayback Machine has a copy of 2024-01-01")


def test_a_rate_limit_is_waited_out_and_an_outage_is_unavailable_never_a_failure(
    fake: FakeServices, paperlint: Any, tmp_path: Path
) -> None:
    dead = [fake.web(f"/gone-{i}") for i in range(3)]
    fake.world.add(*(Capture(url, "20220202020202") for url in dead))
    path = tmp_path / "list.md"
    path.write_text("# Links\n\n" + "".join(f"- [p]({u})\n" for u in dead), encoding="utf-8")

    fake.world.wayback_429_times, fake.world.wayback_retry_after = 1, 0
    waited = paperlint(str(path), "--allow-private", "--no-cache")
    assert len(fake.requests_to("wayback")) == 4  # one asked twice, as Retry-After said
    assert all(f["fix"]["applicability"] == "unsafe" for f in waited.findings)

    fake.clear_log()
    fake.world.wayback_429_times = 100  # the archive refuses everything today
    refused = paperlint(str(path), "--allow-private", "--no-cache")
    assert len(set(asked_archive(fake))) < len(dead)  # the first refusal ended the asking
    found = by_rule(refused)
    assert all("fix" not in f for f in found["link-broken"])
    (outage,) = found["service-unavailable"]
    assert outage["severity"] == "warning"
    assert outage["message"] == (
        "the Wayback Machine could not be asked (rate limited (HTTP 429)): no archived copy "
        "looked up for 3 findings, which stand as reported"
    )
    # it is never what fails a run: the broken links do, and without them nothing does
    assert refused.code == 1
    quiet = paperlint(str(path), "--allow-private", "--no-cache", "--fail-on", "warning",
                      "--ignore", "link-broken")  # fmt: skip
    assert quiet.code == 0 and quiet.findings == []


# ---------------------------------------------------------------------------------------------
# The right ID: ambiguous, absent, quoted


def test_several_papers_or_none_with_the_title_are_said_and_not_fixed(
    fake: FakeServices, paperlint: Any, tmp_path: Path
) -> None:
    twin = Paper("2401.00001", "Scaling Laws for Everything")
    fake.world.add(QLORA, twin, Paper("2402.00002", twin.title))
    path = tmp_path / "list.md"
    path.write_text(
        "# Papers\n\n"
        "- [Scaling Laws for Everything](https://arxiv.org/abs/2305.14314)\n"
        "- [A Title Nobody Ever Wrote Down](https://arxiv.org/abs/2309.99999)\n",
        encoding="utf-8",
    )
    run = paperlint(str(path), "--no-cache")
    twins, nobody = run.findings
    assert twins["rule"] == "title-mismatch" and "fix" not in twins
    assert twins["message"].endswith(
        "arXiv's title search finds 2 papers with the listed title (2401.00001, 2402.00002): "
        "not fixed"
    )
    assert nobody["rule"] == "arxiv-not-found" and "fix" not in nobody
    assert nobody["message"] == (
        "arXiv 2309.99999 does not exist; arXiv's title search finds no other paper with the "
        "listed title"
    )


def test_the_title_is_searched_as_a_phrase_of_its_words(
    fake: FakeServices, paperlint: Any, tmp_path: Path
) -> None:
    title = 'Is "Attention" (Really) All-You-Need? A Study: Part 2'
    fake.world.add(Paper(QLORA.arxiv_id, QLORA.title, versions=3), Paper("2403.01234", title))
    path = tmp_path / "list.md"
    row = f"| {title} | [2305.14314](https://arxiv.org/abs/2305.14314v3) |\n"
    path.write_text("| Title | Paper |\n|---|---|\n" + row, encoding="utf-8")
    run = paperlint(str(path), "--no-cache")
    # no quote, parenthesis, colon or hyphen of the title reaches arXiv's query syntax
    assert searches(fake) == ['ti:"Is Attention Really All You Need A Study Part 2"']
    (f,) = run.findings
    assert f["fix"] == {
        "line": 3,
        "old": "2305.14314](https://arxiv.org/abs/2305.14314v3",
        "new": "2403.01234](https://arxiv.org/abs/2403.01234",  # another paper's version dropped
        "column": len(f"| {title} | [") + 1,
        "applicability": "unsafe",
    }


# ---------------------------------------------------------------------------------------------
# Where the written link is not the address followed


def test_a_fix_is_offered_only_where_fix_can_make_it(
    fake: FakeServices, paperlint: Any, tmp_path: Path
) -> None:
    """A reference-style link's URL stands on its definition's line, not where the link is
    used: its archived copy is said, not offered as a fix that --fix could never make (and
    would count on every run). An inline link to the same kind of page is fixed as before."""
    fake.world.add(Capture(fake.web("/ref"), "20200202020202"))
    fake.world.add(Capture(fake.web("/inline"), "20200202020202"))
    path = tmp_path / "list.md"
    path.write_text(
        f"# Links\n\n- [by reference][r1]\n- [inline]({fake.web('/inline')})\n\n"
        f"[r1]: {fake.web('/ref')}\n",
        encoding="utf-8",
    )
    (tmp_path / ".paperlint.toml").write_text(NO_ARCHIVE, encoding="utf-8")
    run = paperlint(str(path), "--allow-private", "--no-cache", "--format", "text", fmt=None)
    assert run.out.count("unsafe fix (with --unsafe-fixes)") == 1  # the inline link's
    report = paperlint(str(path), "--allow-private", "--no-cache")
    broken = {f["line"]: f for f in by_rule(report)["link-broken"]}
    assert set(broken) == {3, 4}
    assert broken[3]["message"].endswith("the Wayback Machine has a copy of 2020-02-02")
    assert "fix" not in broken[3]
    assert broken[4]["fix"]["applicability"] == "unsafe"
    assert "1 fixable with --unsafe-fixes" in run.out

    fixed = paperlint(str(path), "--fix", "--unsafe-fixes", "--allow-private", "--no-cache")
    assert "fixed 1 problem in" in fixed.err
    text = path.read_text(encoding="utf-8")
    assert f"[inline](https://web.archive.org/web/20200202020202/{fake.web('/inline')})" in text
    assert f"[r1]: {fake.web('/ref')}\n" in text  # untouched: nothing was offered for it
    left = [f for f in fixed.findings if f["rule"] == "link-broken"]
    assert [(f["line"], f.get("fix")) for f in left] == [(3, None)]


def test_an_html_link_is_followed_as_a_browser_follows_it(
    fake: FakeServices, paperlint: Any, tmp_path: Path
) -> None:
    """`&amp;` in an href is `&`: a page that answers at `?a=1&b=2` is alive, written inline,
    in an HTML block or as a Markdown link; a dead one is reported at its written href."""
    fake.world.add(Page("/page?a=1&b=2"), Page("/s?a=1&section=2"))
    alive, dead = fake.web("/page?a=1&amp;b=2"), fake.web("/gone?a=1&amp;b=2")
    path = tmp_path / "list.md"
    path.write_text(
        f'# Links\n\n- <a href="{alive}">inline html</a>\n- [markdown]({alive})\n\n'
        f'<table>\n<tr><td><a href="{alive}">block</a></td></tr>\n'
        f'<tr><td><a href="{dead}">dead</a></td></tr>\n</table>\n\n'
        f'- <a href="{fake.web("/s?a=1&section=2")}">no entity: as written</a>\n',
        encoding="utf-8",
    )
    run = paperlint(str(path), "--allow-private", "--no-cache")
    assert [(f["rule"], f["line"]) for f in run.findings] == [("link-broken", 8)]
    (gone,) = run.findings
    assert gone["url"] == fake.web("/gone?a=1&b=2")
    line = path.read_text(encoding="utf-8").splitlines()[7]
    assert line[gone["column"] - 1 :].startswith(dead)
    asked = sorted({tuple(r.query_items) for r in fake.requests_to("web")})
    assert asked == [(("a", "1"), ("b", "2")), (("a", "1"), ("section", "2"))], asked


def test_a_fix_never_replaces_only_the_start_of_a_url(
    fake: FakeServices, paperlint: Any, tmp_path: Path
) -> None:
    """`[p](…?a=1&amp;)` is read as `…?a=1&` (an entity, as CommonMark says), which is only the
    start of what the line holds: an archived copy of it is said, never offered as a fix that
    would leave `amp;)` behind."""
    dead = fake.web("/gone?a=1&")
    fake.world.add(Capture(dead, "20200202020202"))
    path = tmp_path / "list.md"
    text = f"# Links\n\n- [p]({fake.web('/gone?a=1&amp;')})\n"
    path.write_text(text, encoding="utf-8")
    (tmp_path / ".paperlint.toml").write_text(NO_ARCHIVE, encoding="utf-8")
    run = paperlint(str(path), "--allow-private", "--no-cache")
    (broken,) = run.findings
    assert broken["url"] == dead and "fix" not in broken
    assert broken["message"].endswith("the Wayback Machine has a copy of 2020-02-02")
    fixed = paperlint(str(path), "--fix", "--unsafe-fixes", "--allow-private", "--no-cache")
    assert path.read_text(encoding="utf-8") == text and "fixed" not in fixed.err


# ---------------------------------------------------------------------------------------------
# Bounded: a cap per run, a few at a time, the rest on the next run; an outage is unavailable


def test_the_archive_and_the_title_search_are_asked_a_bounded_number_of_times_per_run(
    fake: FakeServices, paperlint: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the caps at 3 archive questions and 2 title searches a run (100 and 50 by default),
    7 dead links and 3 wrong IDs take three runs on one cache, each asking only what is left,
    the archive never more than two at a time."""
    repair = importlib.import_module("checker.verify.repair")
    monkeypatch.setattr(repair, "WAYBACK_PER_RUN", 3)
    monkeypatch.setattr(repair, "SEARCHES_PER_RUN", 2)
    dead = [fake.web(f"/gone-{i}") for i in range(7)]
    fake.world.add(*(Capture(url, "20220202020202") for url in dead))
    resnet = Paper("1512.03385", "Deep Residual Learning for Image Recognition")
    bert = Paper("1810.04805", "BERT: Pre-training of Deep Bidirectional Transformers for"
                 " Language Understanding")  # fmt: skip
    gan = Paper("1406.2661", "Generative Adversarial Networks")
    fake.world.add(LORA, QLORA, REFORMER, resnet, bert, gan)
    wrong = [  # each title with the ID of a paper that shares no word with it
        (LORA.title, resnet.arxiv_id), (bert.title, QLORA.arxiv_id),
        (gan.title, REFORMER.arxiv_id),
    ]  # fmt: skip
    path = tmp_path / "list.md"
    path.write_text(
        "# Papers\n\n"
        + "".join(f"- [{t}](https://arxiv.org/abs/{i})\n" for t, i in wrong)
        + "".join(f"- [page]({u})\n" for u in dead),
        encoding="utf-8",
    )
    (tmp_path / ".paperlint.toml").write_text(NO_ARCHIVE, encoding="utf-8")
    cache = str(tmp_path / "cache.sqlite3")
    archive: list[str] = []
    titles: list[str] = []
    for expected in ((3, 2), (3, 1), (1, 0), (0, 0)):
        fake.clear_log()
        paperlint(str(path), "--allow-private", "--cache", cache)
        assert (len(asked_archive(fake)), len(searches(fake))) == expected
        assert fake.max_in_flight("wayback") <= 2
        archive += asked_archive(fake)
        titles += searches(fake)
    assert sorted(archive) == sorted(dead)  # each once, over the runs
    assert len(set(titles)) == len(titles) == 3


def test_an_archive_outage_is_unavailable_and_the_findings_stand(
    fake: FakeServices, paperlint: Any, tmp_path: Path, no_backoff: None
) -> None:
    dead = fake.web("/gone")
    fake.world.add(Capture(dead, "20220202020202"))
    fake.world.wayback_unavailable_times = 100  # 503, the archive's usual trouble
    path = tmp_path / "list.md"
    path.write_text(f"# Links\n\n- [p]({dead})\n", encoding="utf-8")
    run = paperlint(str(path), "--allow-private", "--no-cache")
    found = by_rule(run)
    (outage,) = found["service-unavailable"]
    assert outage["severity"] == "warning"
    assert outage["message"].startswith("the Wayback Machine could not be asked (HTTP 503")
    (broken,) = found["link-broken"]
    assert "fix" not in broken and broken["message"] == "link is broken: HTTP 404"
    assert run.code == 1  # the broken link fails the run, not the outage
