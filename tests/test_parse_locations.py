"""Every field points at its text: a fix replaces exactly the text at `line:column`.

A hypothesis property over generated tables: rows wrapped onto two lines (the venue in either
half), CRLF or LF, rows with and without their outer pipes.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from checker.model import Document, Field
from checker.parse import parse_text
from checker.venues import VenueTable

VENUES = ["NeurIPS 2020", "Neurips 2020", "ICLR 2022", "ICML 2021", "arXiv", "CVPR 2024 (Oral)"]
WORDS = ["Attention", "Sparse", "Funnel-Transformer:", "Linear", "Complexity", "Efficient", "LoRA"]


def starts_at(doc: Document, f: Field, text: str) -> bool:
    return doc.lines[f.line - 1][f.column - 1 :].startswith(text)


@st.composite
def tables(draw: st.DrawFn) -> tuple[str, list[tuple[str, str]]]:
    """A Title | Venue | Link table; some rows wrapped onto two lines at a random cell."""
    rows: list[str] = []
    written: list[tuple[str, str]] = []  # (title, venue) of each row, as written
    for n in range(draw(st.integers(1, 6))):
        title = " ".join(draw(st.lists(st.sampled_from(WORDS), min_size=2, max_size=5)))
        venue = draw(st.sampled_from([*VENUES, ""]))
        link = f"[arXiv](https://arxiv.org/abs/2001.{10000 + n})"
        cells = [title, venue, link]
        outer = draw(st.booleans())
        wrap = draw(st.sampled_from([None, 0, 1]))  # wrap inside the title or the venue cell
        if wrap is None or (wrap == 1 and " " not in venue):
            line = " | ".join(cells)
            rows.append(f"| {line} |" if outer else line)
        else:
            words = cells[wrap].split(" ")
            cut = draw(st.integers(1, len(words) - 1))
            first = " | ".join([*cells[:wrap], " ".join(words[:cut])])
            second = " | ".join([" ".join(words[cut:]), *cells[wrap + 1 :]])
            rows += ["| " + first, " " + second + (" |" if outer else "")]
        written.append((title, venue))
    eol = draw(st.sampled_from(["\n", "\r\n"]))
    text = eol.join(["| Title | Venue | Link |", "|---|---|---|", *rows]) + eol
    return text, written


@settings(max_examples=60, deadline=None, database=None)
@given(tables())
def test_titles_venues_and_links_stand_where_they_are_reported(
    table: tuple[str, list[tuple[str, str]]],
) -> None:
    text, written = table
    doc = parse_text("t.md", text, VenueTable())
    assert len(doc.entries) == len(written)
    for entry, (title, venue) in zip(doc.entries, written, strict=True):
        if entry.title is not None:  # (a title of generic words is no title)
            assert starts_at(doc, entry.title, title.split()[0])
        if venue:
            assert entry.venue is not None
            # the venue as written on its own line: a fix replaces exactly this text there
            assert starts_at(doc, entry.venue, entry.venue.text)
            assert venue.startswith(entry.venue.text) or entry.venue.text == venue
        for link in entry.links:
            assert starts_at(doc, link, link.url)


def test_a_venue_on_the_second_line_of_a_split_row_is_placed_there() -> None:
    doc = parse_text(
        "t.md",
        "| Title | Venue | Link |\r\n"
        "|---|---|---|\r\n"
        "| Funnel-Transformer: Filtering out Sequential\r\n"
        " Redundancy | Neurips 2020 | [arXiv](https://arxiv.org/abs/2006.03236) |\r\n",
        VenueTable(),
    )
    (entry,) = doc.entries
    assert entry.venue == Field("Neurips 2020", 4, 15)
    assert entry.title is not None and (entry.title.line, entry.title.column) == (3, 3)
    assert entry.title.text == "Funnel-Transformer: Filtering out Sequential Redundancy"


def test_rows_longer_and_shorter_than_the_header_keep_their_places() -> None:
    doc = parse_text(
        "t.md",
        "| Title | Venue |\n|---|---|\n"
        "| [Sparse Attention](https://arxiv.org/abs/2001.10000) | ICLR 2022 | x |\n"
        "| [Linear Attention](https://arxiv.org/abs/2001.10001) |\n",
        VenueTable(),
    )
    first, second = doc.entries
    assert first.venue == Field("ICLR 2022", 3, 58)
    assert second.venue is None and second.has_venue_slot
