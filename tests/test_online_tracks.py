"""End to end: venues with tracks (Findings, workshops, oral/spotlight labels) against the
loopback Semantic Scholar and DBLP, which name them as the real services do."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fakes import S2_WORKSHOPS, FakeServices, Paper, Venue, corr_hit, track_hit

ONLINE_VENUE_RULES = ("--select", "venue-mismatch,venue-missing,service-unavailable")


def venue_table(tmp_path: Path, rows: list[tuple[str, str, str]]) -> Path:
    lines = ["| Title | Venue | Paper |", "|---|---|---|"]
    lines += [
        f"| {title} | {venue} | [pdf](https://arxiv.org/abs/{ident}) |"
        for title, venue, ident in rows
    ]
    path = tmp_path / "venues.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def published(
    fake: FakeServices,
    arxiv_id: str,
    title: str,
    dblp: tuple[str, str, int] | None,
    s2_venue: str,
    publication_venue: str | None,
    s2_year: int | None = None,
    journal_ref: str | None = None,
) -> None:
    """A paper, what S2 says of it (its year: the preprint's unless `s2_year`), and its DBLP
    record (conference, track, year) next to CoRR."""
    paper = Paper(
        arxiv_id, title, published=f"20{arxiv_id[:2]}-{arxiv_id[2:4]}-15", journal_ref=journal_ref
    )
    records = [corr_hit(arxiv_id, title, paper.authors)]
    if dblp is not None:
        records.insert(0, track_hit(title, *dblp, authors=paper.authors))
    fake.world.add(
        paper,
        Venue(
            arxiv_id,
            s2_venue=s2_venue,
            s2_year=s2_year,
            publication_venue=publication_venue,
            dblp=records,
        ),
    )


ACL = "Annual Meeting of the Association for Computational Linguistics"
EMNLP = "Conference on Empirical Methods in Natural Language Processing"


def test_findings_workshop_and_labelled_venues_give_no_false_mismatch(
    fake: FakeServices, paperlint: Any, tmp_path: Path
) -> None:
    rows = [
        # Findings written every way lists write it; S2 files it under the conference, under the
        # bare word "Findings", or under the journal of that name; DBLP says "(Findings)".
        ("Sparse Probing of Findings One", "ACL 2023 Findings", "2305.00001"),
        ("Sparse Probing of Findings Two", "EMNLP 2023 (Findings)", "2305.00002"),
        ("Sparse Probing of Findings Three", "Findings of NAACL 2024", "2311.00003"),
        ("Sparse Probing of Findings Four", "ACL23 (Findings)", "2305.00004"),
        # satellite events: never compared with the main conference, not even looked up
        ("A Workshop Paper Later at ICLR", "NeurIPS 2023 Workshop", "2310.00005"),
        ("A Tiny Paper on Probing", "ICLR 2024 Tiny Paper", "2403.00006"),
        ("A CVPR Workshop Paper", "CVPR 2024 Workshop", "2404.00007"),
        # labels of the main track
        ("An Oral Paper at CVPR", "CVPR 2024 (Oral)", "2403.00008"),
        ("A Spotlight Paper at NeurIPS", "NeurIPS 2023 (Spotlight)", "2305.00009"),
    ]
    findings = [("ACL", 2023), ("EMNLP", 2023), ("NAACL", 2024), ("ACL", 2023)]
    s2: list[tuple[str, str | None]] = [(ACL, "ACL"), ("Findings", None), ("Findings", "Findings"),
                                        (ACL, "ACL")]  # fmt: skip
    for (title, _, ident), (conference, year), said in zip(rows, findings, s2, strict=False):
        published(fake, ident, title, (conference, "findings", year), *said)
    iclr = "International Conference on Learning Representations"
    published(fake, "2310.00005", rows[4][0], ("ICLR", "main", 2024), iclr, "ICLR")
    published(fake, "2403.00006", rows[5][0], ("ICLR", "tiny paper", 2024), "", None)
    published(
        fake, "2404.00007", rows[6][0], ("CVPR", "workshop", 2024), S2_WORKSHOPS["CVPR"], None
    )
    cvpr = "Computer Vision and Pattern Recognition"
    published(fake, "2403.00008", rows[7][0], ("CVPR", "main", 2024), cvpr, "CVPR")
    neurips = "Neural Information Processing Systems"
    published(fake, "2305.00009", rows[8][0], ("NeurIPS", "main", 2023), neurips, "NeurIPS")

    run = paperlint(str(venue_table(tmp_path, rows)), "--no-cache", *ONLINE_VENUE_RULES)

    assert run.findings == [], run.findings
    assert run.code == 0
    asked = {str(r.param("q")) for r in fake.requests_to("dblp")}
    assert not any("Workshop" in q or "Tiny" in q for q in asked)  # satellite events: not asked
    assert any(q.startswith("Sparse Probing of Findings") for q in asked)


def test_findings_and_main_track_mixed_up_are_mismatches_fixed_once(
    fake: FakeServices, paperlint: Any, tmp_path: Path
) -> None:
    rows = [
        ("Main Track Paper Listed as Findings", "Findings of ACL 2023", "2305.00011"),
        ("Findings Paper Listed as Main", "ACL 2023", "2305.00012"),
        ("Findings Paper With the Wrong Year", "ACL 2022 Findings", "2305.00013"),
        ("A Spotlight at Another Venue", "ICLR 2024 (Spotlight)", "2305.00014"),
    ]
    published(fake, "2305.00011", rows[0][0], ("ACL", "main", 2023), ACL, "ACL")
    published(fake, "2305.00012", rows[1][0], ("ACL", "findings", 2023), ACL, "ACL")
    published(fake, "2305.00013", rows[2][0], ("ACL", "findings", 2023), "Findings", None)
    neurips = "Neural Information Processing Systems"
    published(fake, "2305.00014", rows[3][0], ("NeurIPS", "main", 2023), neurips, "NeurIPS")
    path = venue_table(tmp_path, rows)

    run = paperlint(str(path), "--no-cache", *ONLINE_VENUE_RULES)

    found = {f["line"]: f for f in run.findings}
    assert [(f["rule"], f["line"]) for f in run.findings] == [
        ("venue-mismatch", n) for n in (3, 4, 5, 6)
    ]
    assert found[3]["message"] == (
        "listed as 'Findings of ACL 2023', but arXiv 2305.00011 was published in ACL 2023 (DBLP)"
    )
    assert "published in Findings of ACL 2023" in found[4]["message"]
    fixes = [(found[n]["fix"]["old"], found[n]["fix"]["new"]) for n in (3, 4, 5, 6)]
    assert fixes == [
        ("Findings of ACL 2023", "ACL 2023"),
        ("ACL 2023", "Findings of ACL 2023"),
        ("ACL 2022 Findings", "ACL 2023 Findings"),  # the track written as this entry writes it
        ("ICLR 2024", "NeurIPS 2023"),
    ]

    assert {found[n]["fix"]["applicability"] for n in (3, 4, 5, 6)} == {"unsafe"}
    before = path.read_text(encoding="utf-8")
    paperlint(str(path), "--no-cache", *ONLINE_VENUE_RULES, "--fix")
    assert path.read_text(encoding="utf-8") == before  # another venue: only --unsafe-fixes
    paperlint(str(path), "--no-cache", *ONLINE_VENUE_RULES, "--fix", "--unsafe-fixes")
    text = path.read_text(encoding="utf-8")
    assert "Findings of ACL 2023 Findings" not in text
    assert text.count("| Findings of ACL 2023 |") == text.count("| ACL 2023 Findings |") == 1
    assert "| NeurIPS 2023 (Spotlight) |" in text  # the label is kept as written
    again = paperlint(str(path), "--no-cache", *ONLINE_VENUE_RULES)
    assert again.findings == [] and again.code == 0


NEURIPS = "Neural Information Processing Systems"


def test_a_wrong_year_under_the_right_venue_is_a_mismatch_when_dblp_agrees(
    fake: FakeServices, paperlint: Any, tmp_path: Path
) -> None:
    """Issue 15.12: S2 naming the listed venue no longer settles it when its year differs; DBLP
    is asked for those papers only, and its proceedings year decides, unless the sources
    disagree among themselves."""
    rows = [
        # S2 says 2022, and so does DBLP: the listed 2021 is wrong
        ("Sparse Mixtures Listed a Year Early", "NeurIPS 2021 (Oral)", "2205.00101"),
        # S2 gives the preprint's year (2022); DBLP the proceedings' (2023): the list is right
        ("A Preprint Year Before Its Venue", "ICLR 2023", "2209.00102"),
        # S2 agrees on venue and year: DBLP is not asked
        ("A Paper Both Agree On", "CVPR 2022", "2203.00103"),
        # S2 says 2022; DBLP says 2023 but the arXiv journal reference 2022: sources disagree
        ("Sources That Disagree on the Year", "ICLR 2021", "2202.00104"),
        # no year listed: nothing to compare, nothing asked
        ("A Venue Without a Year", "NeurIPS", "2205.00105"),
    ]
    published(fake, "2205.00101", rows[0][0], ("NeurIPS", "main", 2022), NEURIPS, "NeurIPS")
    iclr = "International Conference on Learning Representations"
    published(fake, "2209.00102", rows[1][0], ("ICLR", "main", 2023), iclr, "ICLR")
    cvpr = "Computer Vision and Pattern Recognition"
    published(fake, "2203.00103", rows[2][0], ("CVPR", "main", 2022), cvpr, "CVPR")
    published(
        fake, "2202.00104", rows[3][0], ("ICLR", "main", 2023), iclr, "ICLR",
        journal_ref="ICLR 2022",
    )  # fmt: skip
    published(fake, "2205.00105", rows[4][0], ("NeurIPS", "main", 2022), NEURIPS, "NeurIPS")
    path = venue_table(tmp_path, rows)

    run = paperlint(str(path), "--no-cache", *ONLINE_VENUE_RULES)

    (found,) = run.findings
    assert (found["rule"], found["line"], found["severity"]) == ("venue-mismatch", 3, "warning")
    assert found["message"] == (
        "listed as 'NeurIPS 2021', but arXiv 2205.00101 was published in NeurIPS 2022 (DBLP)"
    )
    assert found["fix"] == {
        "line": 3, "old": "NeurIPS 2021", "new": "NeurIPS 2022", "column": 41,
        "applicability": "unsafe",
    }  # fmt: skip
    asked = sorted(str(r.param("q")) for r in fake.requests_to("dblp"))
    assert asked == sorted(title for title, _, _ in (rows[0], rows[1], rows[3]))
    assert len(fake.requests_to("s2")) == 1

    paperlint(str(path), "--no-cache", *ONLINE_VENUE_RULES, "--fix", "--unsafe-fixes")
    assert "| NeurIPS 2022 (Oral) |" in path.read_text(encoding="utf-8")  # the label kept


def test_venues_from_the_published_record_are_written_in_the_lists_own_style(
    fake: FakeServices, paperlint: Any, tmp_path: Path
) -> None:
    """Issue 17.3: venue-missing fills the empty cell and venue-mismatch rewrites the venue, as
    unsafe fixes, written as the list writes venues: its house style (`NAME'YY`), its Findings
    track after the year, its labels kept."""
    house = ["CVPR'19", "ICCV'21", "NeurIPS'20", "ACL'23 Findings"]
    rows = [(f"Unknown Paper Number {i}", house[i % 4], f"1901.{i:05d}") for i in range(20)]
    rows += [
        ("A Paper Published at ICLR", "", "2110.00201"),
        ("A Spotlight a Year Off", "NeurIPS'21 (Oral)", "2205.00202"),
        ("A Findings Paper Without a Venue", "", "2305.00203"),
    ]
    path = venue_table(tmp_path, rows)
    iclr = "International Conference on Learning Representations"
    published(fake, "2110.00201", rows[20][0], ("ICLR", "main", 2022), iclr, "ICLR")
    published(fake, "2205.00202", rows[21][0], ("NeurIPS", "main", 2022), NEURIPS, "NeurIPS",
              s2_year=2022)  # fmt: skip
    published(fake, "2305.00203", rows[22][0], ("EMNLP", "findings", 2023), EMNLP, "EMNLP")

    run = paperlint(str(path), "--no-cache", *ONLINE_VENUE_RULES)

    assert [(f["rule"], f["line"], f["severity"]) for f in run.findings] == [
        ("venue-missing", 23, "info"),
        ("venue-mismatch", 24, "warning"),
        ("venue-missing", 25, "info"),
    ]
    fixes = [f["fix"] for f in run.findings]
    assert [(x["old"], x["new"], x["applicability"]) for x in fixes] == [
        ("  |", " ICLR'22 |", "unsafe"),  # the cell, blank, and its closing pipe
        ("NeurIPS'21", "NeurIPS'22", "unsafe"),
        ("  |", " EMNLP'23 Findings |", "unsafe"),
    ]
    before = path.read_text(encoding="utf-8")
    paperlint(str(path), "--no-cache", *ONLINE_VENUE_RULES, "--fix")
    assert path.read_text(encoding="utf-8") == before  # from the record: only --unsafe-fixes
    diff = paperlint(str(path), "--no-cache", *ONLINE_VENUE_RULES, "--diff", "--unsafe-fixes",
                     fmt=None).out  # fmt: skip
    assert diff.count("\n+| ") == 3 and path.read_text(encoding="utf-8") == before
    paperlint(str(path), "--no-cache", *ONLINE_VENUE_RULES, "--fix", "--unsafe-fixes")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[22] == (
        "| A Paper Published at ICLR | ICLR'22 | [pdf](https://arxiv.org/abs/2110.00201) |"
    )
    assert "| NeurIPS'22 (Oral) |" in lines[23]
    assert "| EMNLP'23 Findings |" in lines[24]
    again = paperlint(str(path), "--no-cache", *ONLINE_VENUE_RULES)
    assert again.findings == [] and again.code == 0


def test_an_empty_cell_is_filled_with_the_canonical_venue_keeping_the_column_width(
    fake: FakeServices, paperlint: Any, tmp_path: Path
) -> None:
    path = tmp_path / "aligned.md"
    pdf = "[pdf](https://arxiv.org/abs"
    path.write_text(
        "| Title                        | Venue        | Paper |\n"
        "|------------------------------|--------------|-------|\n"
        f"| A Paper Published at ICLR    |              | {pdf}/2110.00301) |\n"
        f"| A Paper With No Space Around || {pdf}/2305.00302) |\n"
        f"| A Paper Only Its Authors Say |              | {pdf}/2305.00303) |\n",
        encoding="utf-8",
    )
    iclr = "International Conference on Learning Representations"
    published(fake, "2110.00301", "A Paper Published at ICLR", ("ICLR", "main", 2022), iclr, "ICLR")
    published(fake, "2305.00302", "A Paper With No Space Around", ("ACL", "findings", 2023), ACL,
              "ACL")  # fmt: skip
    # only the authors' comment says where it appeared: reported, never written into the list
    fake.world.add(
        Paper("2305.00303", "A Paper Only Its Authors Say", comment="Accepted at ICML 2023"),
        Venue("2305.00303", s2_venue="ICML", publication_venue="ICML",
              dblp=[corr_hit("2305.00303", "A Paper Only Its Authors Say", ["Jane Doe"])]),
    )  # fmt: skip

    run = paperlint(str(path), "--no-cache", *ONLINE_VENUE_RULES)
    assert [(f["rule"], f["line"], "fix" in f) for f in run.findings] == [
        ("venue-missing", 3, True),
        ("venue-missing", 4, True),
        ("venue-missing", 5, False),
    ]
    shown = paperlint(str(path), "--no-cache", *ONLINE_VENUE_RULES, "--show-infos", fmt="text")
    hint = "    unsafe fix (with --unsafe-fixes): fill the empty cell with 'ICLR 2022'\n"
    assert hint in shown.out
    shown = paperlint(str(path), "--no-cache", *ONLINE_VENUE_RULES, "--show-infos", fmt="github")
    assert "(unsafe fix, with --unsafe-fixes: fill the empty cell with 'ICLR 2022')" in shown.out
    shown = paperlint(str(path), "--no-cache", *ONLINE_VENUE_RULES, fmt="markdown")
    assert "fill the empty cell with `ICLR 2022`" in shown.out and "`  |`" not in shown.out
    body = tmp_path / "pull-request.md"
    paperlint(str(path), "--no-cache", *ONLINE_VENUE_RULES, "--fix", "--unsafe-fixes",
              "--fix-report", str(body))  # fmt: skip
    assert "fill the empty cell with `ICLR 2022`" in body.read_text(encoding="utf-8")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[2] == (
        "| A Paper Published at ICLR    | ICLR 2022    | [pdf](https://arxiv.org/abs/2110.00301) |"
    )
    assert lines[3] == (
        "| A Paper With No Space Around | Findings of ACL 2023 |"
        " [pdf](https://arxiv.org/abs/2305.00302) |"
    )


def test_venue_fixes_from_the_record_wait_for_unsafe_fixes(
    fake: FakeServices, paperlint: Any, tmp_path: Path
) -> None:
    """Issue 17.3: plain --fix and --diff apply neither the filled cell nor the rewritten venue;
    the text summary counts both as fixable with --unsafe-fixes, the hidden info among them."""
    rows = [
        ("A Paper Published at ICLR", "", "2110.00401"),
        ("A Paper Listed a Year Early", "NeurIPS 2021", "2205.00402"),
    ]
    path = venue_table(tmp_path, rows)
    iclr = "International Conference on Learning Representations"
    published(fake, "2110.00401", rows[0][0], ("ICLR", "main", 2022), iclr, "ICLR")
    published(fake, "2205.00402", rows[1][0], ("NeurIPS", "main", 2022), NEURIPS, "NeurIPS",
              s2_year=2022)  # fmt: skip
    before = path.read_text(encoding="utf-8")

    text = paperlint(str(path), "--no-cache", *ONLINE_VENUE_RULES, "--fix", fmt="text").out
    assert path.read_text(encoding="utf-8") == before
    assert "    unsafe fix (with --unsafe-fixes): 'NeurIPS 2021' → 'NeurIPS 2022'\n" in text
    assert "; 2 fixable with --unsafe-fixes (1 of them an info, not shown) (" in text
    assert "fixable with --fix" not in text
    diff = paperlint(str(path), "--no-cache", *ONLINE_VENUE_RULES, "--diff", fmt=None)
    assert diff.out == "" and diff.code == 0

    paperlint(str(path), "--no-cache", *ONLINE_VENUE_RULES, "--fix", "--unsafe-fixes")
    assert path.read_text(encoding="utf-8") == before.replace("|  |", "| ICLR 2022 |").replace(
        "NeurIPS 2021", "NeurIPS 2022"
    )


def test_an_empty_venue_beside_a_year_column_is_reported_without_a_fix(
    fake: FakeServices, paperlint: Any, tmp_path: Path
) -> None:
    """The year has a cell of its own there: writing `ICLR 2022` into the venue cell would say
    the year twice, and `ICLR` alone would leave the year cell unchecked."""
    path = tmp_path / "years.md"
    path.write_text(
        "| Title | Venue | Year | Paper |\n|---|---|---|---|\n"
        "| A Paper Published at ICLR |  | 2022 | [pdf](https://arxiv.org/abs/2110.00501) |\n",
        encoding="utf-8",
    )
    iclr = "International Conference on Learning Representations"
    published(fake, "2110.00501", "A Paper Published at ICLR", ("ICLR", "main", 2022), iclr, "ICLR")
    before = path.read_text(encoding="utf-8")
    run = paperlint(str(path), "--no-cache", *ONLINE_VENUE_RULES)
    assert [(f["rule"], f["line"], "fix" in f) for f in run.findings] == [
        ("venue-missing", 3, False)
    ]
    paperlint(str(path), "--no-cache", *ONLINE_VENUE_RULES, "--fix", "--unsafe-fixes")
    assert path.read_text(encoding="utf-8") == before


def test_a_venue_written_apart_is_fixed_in_its_year_whatever_the_house_style(
    fake: FakeServices, paperlint: Any, tmp_path: Path
) -> None:
    """In a list whose venues are `NAME'YY`, an entry that writes `CVPR, 2021.` has no one form
    to follow: the fix rewrites the year where it stands."""
    house = ["CVPR'19", "ICCV'21", "NeurIPS'20", "ICLR'22"]
    rows = [(f"Unknown Paper Number {i}", house[i % 4], f"1901.{i:05d}") for i in range(20)]
    path = venue_table(tmp_path, rows)
    title = "A Paper Listed Two Years Early"
    with path.open("a", encoding="utf-8") as out:
        out.write(f"\n- {title}, CVPR, 2021. [[paper]](https://arxiv.org/abs/2303.00601)\n")
    cvpr = "Computer Vision and Pattern Recognition"
    published(fake, "2303.00601", title, ("CVPR", "main", 2023), cvpr, "CVPR", s2_year=2023)

    run = paperlint(str(path), "--no-cache", *ONLINE_VENUE_RULES)
    (found,) = run.findings
    assert (found["rule"], found["line"]) == ("venue-mismatch", 24)
    assert (found["fix"]["old"], found["fix"]["new"]) == ("2021", "2023")
    paperlint(str(path), "--no-cache", *ONLINE_VENUE_RULES, "--fix", "--unsafe-fixes")
    assert f"- {title}, CVPR, 2023. [[paper]]" in path.read_text(encoding="utf-8")
