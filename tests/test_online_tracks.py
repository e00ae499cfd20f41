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
) -> None:
    """A paper, what S2 says of it, and its DBLP record (conference, track, year) next to CoRR."""
    paper = Paper(arxiv_id, title, published=f"20{arxiv_id[:2]}-{arxiv_id[2:4]}-15")
    records = [corr_hit(arxiv_id, title, paper.authors)]
    if dblp is not None:
        records.insert(0, track_hit(title, *dblp, authors=paper.authors))
    fake.world.add(
        paper,
        Venue(arxiv_id, s2_venue=s2_venue, publication_venue=publication_venue, dblp=records),
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
        ("ACL 2022 Findings", "Findings of ACL 2023"),
        ("ICLR 2024", "NeurIPS 2023"),
    ]

    assert {found[n]["fix"]["applicability"] for n in (3, 4, 5, 6)} == {"unsafe"}
    before = path.read_text(encoding="utf-8")
    paperlint(str(path), "--no-cache", *ONLINE_VENUE_RULES, "--fix")
    assert path.read_text(encoding="utf-8") == before  # another venue: only --unsafe-fixes
    paperlint(str(path), "--no-cache", *ONLINE_VENUE_RULES, "--fix", "--unsafe-fixes")
    text = path.read_text(encoding="utf-8")
    assert "Findings of ACL 2023 Findings" not in text and text.count("Findings of ACL 2023") == 2
    assert "| NeurIPS 2023 (Spotlight) |" in text  # the label is kept as written
    again = paperlint(str(path), "--no-cache", *ONLINE_VENUE_RULES)
    assert again.findings == [] and again.code == 0
