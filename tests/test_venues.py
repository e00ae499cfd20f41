"""The venue table: tracks read as part of the venue, as cells, running text and database records
write them."""

from __future__ import annotations

import pytest

from checker.venues import VenueTable

TABLE = VenueTable()


@pytest.mark.parametrize(
    ("cell", "venue", "year", "written", "suggestion"),
    [
        ("ACL 2025 Findings", "Findings of ACL", 2025, "ACL 2025 Findings", "Findings of ACL 2025"),
        ("EMNLP 2023 (Findings)", "Findings of EMNLP", 2023, "EMNLP 2023 (Findings)",
         "Findings of EMNLP 2023"),
        ("ACL23 (Findings)", "Findings of ACL", 2023, "ACL23 (Findings)", "Findings of ACL 2023"),
        ("EMNLP 2020 findings", "Findings of EMNLP", 2020, "EMNLP 2020 findings",
         "Findings of EMNLP 2020"),
        ("ACL Findings 2023", "Findings of ACL", 2023, "ACL Findings 2023", "Findings of ACL 2023"),
        ("Findings of NAACL 2024", "Findings of NAACL", 2024, "Findings of NAACL 2024",
         "Findings of NAACL 2024"),
        ("CVPR 2024 (Oral)", "CVPR", 2024, "CVPR 2024", "CVPR 2024"),
        ("Cvpr 2024 (Oral)", "CVPR", 2024, "Cvpr 2024", "CVPR 2024"),
        ("NeurIPS 2023 (Spotlight)", "NeurIPS", 2023, "NeurIPS 2023", "NeurIPS 2023"),
        ("ICLR 2024 Spotlight", "ICLR", 2024, "ICLR 2024", "ICLR 2024"),
        ("ACL'23", "ACL", 2023, "ACL'23", "ACL 2023"),
    ],
)  # fmt: skip
def test_a_track_is_part_of_the_venue_a_label_is_not(
    cell: str, venue: str, year: int, written: str, suggestion: str
) -> None:
    ref = TABLE.parse(cell)
    assert ref is not None
    assert (ref.venue.name, ref.year, ref.written, ref.suggestion) == (
        venue,
        year,
        written,
        suggestion,
    )
    assert ref.side_track is None
    assert ref.is_canonical == (written == suggestion)
    assert ref.track_after_only == (cell in ("ACL 2025 Findings", "EMNLP 2023 (Findings)",
                                             "EMNLP 2020 findings"))  # fmt: skip
    assert cell[ref.start : ref.end] == written


@pytest.mark.parametrize(
    ("cell", "track"),
    [
        ("NeurIPS 2023 Workshop", "Workshop"),
        ("ICLR 2024 Tiny Paper", "Tiny Paper"),
        ("ICML 2023 Workshop on Efficient Systems", "Workshop"),
        ("NeurIPS 2022 Datasets and Benchmarks Track", "Datasets and Benchmarks"),
        ("ACL 2023 (Demo)", "Demo"),
        ("CVPR 2023 Findings", "Findings"),  # CVPR has no Findings track: whatever it is, leave it
    ],
)
def test_a_satellite_event_is_marked_not_reduced_to_the_conference(cell: str, track: str) -> None:
    ref = TABLE.parse(cell)
    assert ref is not None and ref.side_track == track


@pytest.mark.parametrize(
    "cell", ["Tiny Papers @ ICLR 2024", "Workshop at NeurIPS 2023", "CVPRW 2023"]
)
def test_a_cell_not_opening_with_a_venue_is_not_read(cell: str) -> None:
    assert TABLE.parse(cell) is None


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("**T**. *A et al.* ACL 2023 Findings. [[paper](x)]", "ACL 2023 Findings"),
        ("T, EMNLP 2023 (Findings) [x]", "EMNLP 2023 (Findings)"),
        ("T. NeurIPS 2023 Workshop on X. [x]", "NeurIPS 2023 Workshop"),
        ("T. NeurIPS 2022 Datasets and Benchmarks Track.", "NeurIPS 2022 Datasets and Benchmarks"),
        ("T. Workshop at NeurIPS 2023. [x]", "Workshop at NeurIPS 2023"),
        ("T. Tiny Papers @ ICLR 2024. [x]", "Tiny Papers @ ICLR 2024"),
        ("T (@KAIST), ICLR 2024. [x]", "ICLR 2024"),  # an affiliation is no satellite event
        ("T. CVPR 2020 Oral. [x]", "CVPR 2020"),  # a label stays outside the venue
        ("uses CoNLL-2003 and ACL23 data", None),
    ],
)  # fmt: skip
def test_running_text_gives_the_venue_with_its_track(text: str, found: str | None) -> None:
    assert TABLE.search(text) == found


@pytest.mark.parametrize(
    ("record", "venue"),
    [
        ("ACL (Findings)", "Findings of ACL"),
        ("ACL/IJCNLP (Findings)", "Findings of ACL"),  # 2021
        ("EMNLP (Findings)", "Findings of EMNLP"),
        ("NAACL-HLT (Findings)", "Findings of NAACL"),  # 2022, 2024
        ("NAACL (Findings)", "Findings of NAACL"),  # 2025
        ("EACL (Findings)", "Findings of EACL"),
        ("ACL (1)", "ACL"),
        ("EMNLP/IJCNLP (1)", "EMNLP"),
        ("CVPR Workshops", None),
        ("ICCV (Workshops)", None),
        ("Tiny Papers @ ICLR", None),
        ("AAAI Workshops", None),
        ("2023 IEEE/CVF International Conference on Computer Vision Workshops (ICCVW)", None),
        ("Findings", None),  # S2's bare word names no conference
    ],
)
def test_database_records_name_tracks_their_own_way(record: str, venue: str | None) -> None:
    found = TABLE.lookup_record(record)
    assert (found.name if found else None) == venue


@pytest.mark.parametrize(
    ("cell", "canonical", "written"),
    [
        ("CVPR' 19", "CVPR 2019", "CVPR' 19"),
        ("[CVPR' 2026]", "CVPR 2026", "CVPR' 2026"),
        ("NIPS'18", "NeurIPS 2018", "NIPS'18"),
    ],
)
def test_an_apostrophe_year_with_a_space_is_read(cell: str, canonical: str, written: str) -> None:
    ref = VenueTable().parse(cell)
    assert ref is not None and (ref.canonical, ref.written, ref.is_canonical) == (
        canonical,
        written,
        False,
    )


@pytest.mark.parametrize(
    ("text", "prefix", "found"),
    [
        # the year beside the name
        ('"Title", ICCV, 2021 (*MIT-IBM*).', False, ("ICCV, 2021", "ICCV 2021")),
        ('"Title." NeurIPS (2023).', False, ("NeurIPS (2023", "NeurIPS 2023")),  # name to year
        ("Title (Jan., 2024 | ICLR)", False, ("2024 | ICLR", "ICLR 2024")),
        ("Title (2024 | ICLR)", False, ("2024 | ICLR", "ICLR 2024")),
        ("2017-ICLR - Towards Principled Methods", True, ("2017-ICLR", "ICLR 2017")),
        # together, as `search` reads them
        ("x [CVPR' 20] y", False, ("CVPR' 20", "CVPR' 20")),
        ("Title. NAACL 2019. [pdf]", False, ("NAACL 2019", "NAACL 2019")),
        # the first of two
        ("ICLR, 2021 and ICML 2020", False, ("ICLR, 2021", "ICLR 2021")),
        # none: a prefix only at the start, an unclosed parenthesis, a workshop, a person's name,
        # an unknown venue, a year that is no year
        ("2017-ICLR - Towards", False, None),
        ("see 2017-ICLR - Towards", True, None),
        ("NeurIPS (2023", False, None),
        ("Workshop on Robustness at ICML, 2021", False, None),
        ("ICML, 2021 Workshop", False, None),
        ("Li, Chi, 2021", False, None),
        ("2018-ECCVW - ESRGAN", True, None),
        ("ICLR, 1850", False, None),
    ],
)
def test_spot_finds_a_venue_with_its_year_together_or_apart(
    text: str, prefix: bool, found: tuple[str, str] | None
) -> None:
    spotted = VenueTable().spot(text, prefix=prefix)
    if found is None:
        assert spotted is None
        return
    assert spotted is not None and (spotted.written, spotted.text) == found
    assert text[spotted.start :].startswith(spotted.written)
