"""Offline venue rules with tracks: venue-format offers the Findings rewrite, leaves labels and
satellite events alone, and follows a list's own house style; venue-year never judges a
workshop."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from checker.config import Options
from checker.engine import finish, offline_findings
from checker.model import Finding
from checker.parse import parse_text
from checker.venues import VenueTable


def run_rules(md: str) -> list[Finding]:
    table = VenueTable()
    doc = parse_text("t.md", md, table)
    opts = Options(paths=["t.md"], offline=True)
    return finish(offline_findings([doc], opts, table), [doc], opts)


def table_with_venues(*rows: tuple[str, str]) -> str:
    lines = ["| Title | Venue | Paper |", "|---|---|---|"]
    lines += [f"| Some paper title | {v} | [x](https://arxiv.org/abs/{i}) |" for v, i in rows]
    return "\n".join(lines) + "\n"


def test_venue_format_offers_the_canonical_findings_form() -> None:
    md = table_with_venues(
        ("ACL 2025 Findings", "2502.00001"),
        ("ACL23 (Findings)", "2305.00001"),
        ("EMNLP 2023 (Findings)", "2310.00001"),
        ("Findings of NAACL 2024", "2403.00001"),
    )
    findings = run_rules(md)
    # only where the track stands: a house style, so `info`; `ACL23` is a slip as well: `warning`
    assert [(f.rule, f.line, f.severity.value) for f in findings] == [
        ("venue-format", 3, "info"),
        ("venue-format", 4, "warning"),
        ("venue-format", 5, "info"),
    ]
    fixes = [(f.fix.old, f.fix.new, f.fix.column) for f in findings if f.fix]
    lines = md.splitlines()
    assert fixes == [
        ("ACL 2025 Findings", "Findings of ACL 2025", lines[2].index("ACL 2025") + 1),
        ("ACL23 (Findings)", "Findings of ACL 2023", lines[3].index("ACL23") + 1),
        ("EMNLP 2023 (Findings)", "Findings of EMNLP 2023", lines[4].index("EMNLP") + 1),
    ]
    assert findings[0].message == (
        "venue 'ACL 2025 Findings' is not written canonically: 'Findings of ACL 2025'"
    )


def test_a_label_is_never_reported_nor_rewritten() -> None:
    findings = run_rules(
        table_with_venues(
            ("CVPR 2024 (Oral)", "2403.00001"),
            ("NeurIPS 2023 (Spotlight)", "2305.00001"),
            ("ICLR 2024 Spotlight", "2310.00001"),
            ("Cvpr 2020 Oral", "2003.00001"),
        )
    )
    ((rule, line, old, new),) = [(f.rule, f.line, f.fix.old, f.fix.new) for f in findings if f.fix]
    assert (rule, line, old, new) == ("venue-format", 6, "Cvpr 2020", "CVPR 2020")
    assert len(findings) == 1


def test_satellite_events_are_left_alone() -> None:
    findings = run_rules(
        table_with_venues(
            ("Neurips 2023 Workshop", "2310.00001"),  # would be venue-format on the main track
            ("NeurIPS 2019 Workshop", "2107.00001"),  # would be venue-year on the main track
            ("ICLR 2024 Tiny Paper", "2403.00001"),
            ("iclr 2020 workshop", "2104.00001"),
            ("CVPR 2019 Findings", "2111.00001"),
        )
    )
    assert findings == []


def test_a_list_item_reads_the_track_after_the_venue() -> None:
    md = (
        "1. **Sparse Probing of Findings**. *Doe et al.* ACL 2023 Findings. "
        "[[paper](https://arxiv.org/abs/2305.00001)]\n"
        "2. **A Workshop Paper**. *Doe et al.* Neurips 2019 Workshop on X. "
        "[[paper](https://arxiv.org/abs/2108.00001)]\n"
        "3. **Another Workshop Paper**. *Doe et al.* Workshop at Neurips 2019. "
        "[[paper](https://arxiv.org/abs/2108.00002)]\n"
    )
    (f,) = run_rules(md)
    assert (f.rule, f.line, f.column) == ("venue-format", 1, md.index("ACL 2023 Findings") + 1)
    assert f.fix is not None and (f.fix.old, f.fix.new) == (
        "ACL 2023 Findings",
        "Findings of ACL 2023",
    )


# ---------------------------------------------------------------------------------------------
# The list's own house style (issue 15.13)

HOUSE = [
    ("CVPR'19", "1904.0"),
    ("ICCV'21", "2103.0"),
    ("NeurIPS'20", "2006.0"),
    ("ICLR'22", "2110.0"),
]


def house_rows(count: int, *outliers: tuple[str, str]) -> list[tuple[str, str]]:
    """`count` venues written `NAME'YY`, then the outliers."""
    rows = [(HOUSE[i % 4][0], f"{HOUSE[i % 4][1]}{i:04d}") for i in range(count)]
    return rows + list(outliers)


def test_a_house_style_is_kept_and_its_outliers_are_fixed_to_it() -> None:
    md = table_with_venues(
        *house_rows(
            20,
            ("ECCV 2020", "2003.00001"),  # canonical, but not this list's way
            ("Eccv'20", "2003.00002"),  # the house form with a miscased name
            ("ECCV-2020 (Oral)", "2003.00003"),  # the label stays as written
            ("ACL 2023 Findings", "2305.00004"),  # the track after the year, as written
            ("CVPR'19", "1904.00005"),  # in style: nothing
            ("ICLR 2024 Workshop", "2403.00006"),  # a satellite event: left alone
        )
    )
    findings = run_rules(md)
    assert [(f.rule, f.line, f.severity.value) for f in findings] == [
        ("venue-format", n, "warning") for n in (23, 24, 25, 26)
    ]
    assert [(f.fix.old, f.fix.new) for f in findings if f.fix] == [
        ("ECCV 2020", "ECCV'20"),
        ("Eccv'20", "ECCV'20"),
        ("ECCV-2020", "ECCV'20"),
        ("ACL 2023 Findings", "ACL'23 Findings"),
    ]
    assert findings[0].message == (
        "venue 'ECCV 2020' is not written in this list's own style ('CVPR'19', as 22 of its 25 "
        "venues are): 'ECCV'20'"
    )


def test_a_list_without_a_house_style_keeps_the_canonical_form() -> None:
    # 19 venues are too few to call one form a style; 20 with 75% in one form, too mixed
    few = run_rules(table_with_venues(*house_rows(18, ("Neurips 2020", "2006.00001"))))
    assert [(f.fix.old, f.fix.new) for f in few if f.fix][-2:] == [
        ("ICCV'21", "ICCV 2021"),
        ("Neurips 2020", "NeurIPS 2020"),
    ]
    assert len(few) == 19
    mixed = house_rows(15) + [("ECCV 2020", f"2003.{i:05d}") for i in range(5)]
    found = run_rules(table_with_venues(*mixed))
    assert len(found) == 15 and all(f.fix and " 20" in f.fix.new for f in found)


def test_the_house_style_through_the_command(paperlint: Any, tmp_path: Path) -> None:
    """Issue 15.13: 24 venues `NAME'YY`; the two outliers get a safe fix to that form, --fix
    writes it, and the list is clean afterwards."""
    path = tmp_path / "list.md"
    path.write_text(
        table_with_venues(
            *house_rows(24, ("ECCV 2020", "2003.10001"), ("Neurips'20 (Oral)", "2006.10002"))
        ),
        encoding="utf-8",
    )
    run = paperlint(str(path), "--offline", "--no-cache")
    assert run.code == 0  # warnings do not fail by default
    assert [(f["rule"], f["line"], f["severity"]) for f in run.findings] == [
        ("venue-format", 27, "warning"),
        ("venue-format", 28, "warning"),
    ]
    assert [
        (f["fix"]["old"], f["fix"]["new"], f["fix"]["applicability"]) for f in run.findings
    ] == [("ECCV 2020", "ECCV'20", "safe"), ("Neurips'20", "NeurIPS'20", "safe")]
    assert "as 25 of its 26 venues are" in run.findings[0]["message"]

    paperlint(str(path), "--offline", "--no-cache", "--fix")
    text = path.read_text(encoding="utf-8")
    assert "| ECCV'20 |" in text and "| NeurIPS'20 (Oral) |" in text
    assert "ECCV 2020" not in text and "Neurips" not in text
    again = paperlint(str(path), "--offline", "--no-cache")
    assert again.findings == [] and again.code == 0


def test_eighty_percent_of_twenty_venues_make_a_house_style(paperlint: Any, tmp_path: Path) -> None:
    path = tmp_path / "list.md"
    canonical = [("ECCV 2020", f"2003.{i:05d}") for i in range(4)]
    path.write_text(table_with_venues(*house_rows(16), *canonical), encoding="utf-8")
    run = paperlint(str(path), "--offline", "--no-cache")
    assert [(f["line"], f["fix"]["new"]) for f in run.findings] == [
        (n, "ECCV'20") for n in (19, 20, 21, 22)
    ]  # 16 of 20: the four canonical ones are this list's outliers


def test_a_list_without_a_house_style_gets_canonical_fixes_through_the_command(
    paperlint: Any, tmp_path: Path
) -> None:
    """15 of 20 venues in one form (75%), or 19 venues all in one: no house style; today's
    canonical fixes, applied by --fix."""
    mixed = tmp_path / "mixed.md"
    canonical = [("ECCV 2020", f"2003.{i:05d}") for i in range(5)]
    mixed.write_text(
        table_with_venues(*house_rows(15), *canonical, ("Neurips 2020", "2006.10001")),
        encoding="utf-8",
    )
    few = tmp_path / "few.md"
    few.write_text(table_with_venues(*house_rows(19)), encoding="utf-8")
    run = paperlint(str(mixed), str(few), "--offline", "--no-cache")
    by_file = Counter(Path(f["file"]).name for f in run.findings)
    assert by_file == {"mixed.md": 16, "few.md": 19}
    assert all(f["rule"] == "venue-format" and "canonically" in f["message"] for f in run.findings)

    paperlint(str(mixed), str(few), "--offline", "--no-cache", "--fix")
    for path in (mixed, few):
        text = path.read_text(encoding="utf-8")
        assert "'" not in text and "Neurips" not in text
        assert "| CVPR 2019 |" in text and "| NeurIPS 2020 |" in text
    again = paperlint(str(mixed), str(few), "--offline", "--no-cache")
    assert again.findings == []


def test_the_house_style_of_venue_tags_in_a_bulleted_list(paperlint: Any, tmp_path: Path) -> None:
    """Tags before the title (`**[CVPR' 19]**`) are a house style too; a venue written apart
    from its year (`ICCV, 2021.`) has no one form and is left alone."""
    tags = ["CVPR' 19", "ICCV' 21", "ECCV' 20", "ICLR' 22"]
    lines = ["# Papers", ""]
    lines += [
        f"- **[{tags[i % 4]}]** Learning Sparse Probes Number {i} "
        f"[[paper]](https://arxiv.org/abs/1904.{i:05d})"
        for i in range(20)
    ]
    lines += [
        "- **[ECCV 2020]** An Outlier Written Canonically [[paper]](https://arxiv.org/abs/2003.00001)",
        "- A Venue Written Apart, ICCV, 2021. [[paper]](https://arxiv.org/abs/2103.00002)",
    ]
    path = tmp_path / "tags.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run = paperlint(str(path), "--offline", "--no-cache")
    assert [(f["rule"], f["line"], f["fix"]["new"]) for f in run.findings] == [
        ("venue-format", 23, "ECCV' 20")
    ]
    paperlint(str(path), "--offline", "--no-cache", "--fix")
    assert "- **[ECCV' 20]** An Outlier" in path.read_text(encoding="utf-8")
