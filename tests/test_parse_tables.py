"""GFM tables: columns, row shapes, split rows, raw cells."""

from __future__ import annotations

from pathlib import Path

from parse_helpers import http_urls, only_entry, parse

from checker.model import LinkKind
from checker.parse import parse_text, raw_cells
from checker.parse.cells import Columns
from checker.venues import VenueTable


def test_table_title_and_pub_columns() -> None:
    doc = parse(
        "# Papers\n"
        "\n"
        "| Title | Pub | Link |\n"
        "|---|---|---|\n"
        "| Attention Is All You Need | NeurIPS 2017 | [arXiv](https://arxiv.org/abs/1706.03762) |\n"
    )
    e = only_entry(doc)
    assert (e.line, e.end_line, e.section) == (5, 5, ("Papers",))
    assert e.title is not None and e.title.text == "Attention Is All You Need"
    assert (e.title.line, e.title.column) == (5, 3)
    assert e.venue is not None and e.venue.text == "NeurIPS 2017"
    assert (e.venue.line, e.venue.column) == (5, 31)
    assert e.has_venue_slot
    (link,) = e.links
    assert link.kind is LinkKind.ARXIV and link.arxiv_id == "1706.03762"
    assert (link.line, link.column, link.text) == (5, 54, "arXiv")


def test_table_paper_and_venue_columns_title_is_link_text() -> None:
    doc = parse(
        "| Paper | Venue |\n"
        "|---|---|\n"
        "| [Attention Is All You Need](https://arxiv.org/abs/1706.03762) | NIPS 2017 |\n"
    )
    e = only_entry(doc)
    assert e.title is not None and e.title.text == "Attention Is All You Need"
    assert e.venue is not None and e.venue.text == "NIPS 2017"
    assert e.primary_arxiv is not None and e.primary_arxiv.text == "Attention Is All You Need"


def test_table_name_and_conference_columns() -> None:
    doc = parse(
        "| Name | Conference | Code |\n"
        "|---|---|---|\n"
        "| **LoRA** | ICLR 2022 | [code](https://github.com/microsoft/LoRA) |\n"
    )
    e = only_entry(doc)
    assert e.title is None  # a name column holds names, not titles
    assert e.name is not None and (e.name.text, e.name.line, e.name.column) == ("LoRA", 3, 5)
    assert e.venue is not None and e.venue.text == "ICLR 2022"
    assert e.repos == ("microsoft/LoRA",)


def test_a_table_with_a_name_and_a_paper_column_sets_both() -> None:
    doc = parse(
        "| Model | Paper | Venue |\n"
        "|---|---|---|\n"
        "| BLOOMZ, mT0 | [Crosslingual Generalization through Multitask Finetuning]"
        "(https://arxiv.org/abs/2211.01786) | ACL 2023 |\n"
    )
    e = only_entry(doc)
    assert e.name is not None and e.name.text == "BLOOMZ, mT0"
    assert e.title is not None
    assert e.title.text == "Crosslingual Generalization through Multitask Finetuning"


def test_name_like_headers() -> None:
    for header in (
        "Name",
        "Model",
        "Models",
        "Method",
        "Methods",
        "Attack",
        "Benchmark",
        "keywords",
    ):
        columns = Columns.from_header(["Date", f"**{header}**", "Paper Title", "Pub."])
        assert (columns.name, columns.title, columns.venue) == (1, 2, 3), header


def test_table_without_venue_column_has_no_venue_slot() -> None:
    doc = parse(
        "| Title | Link |\n|---|---|\n| A title | [x](https://arxiv.org/abs/2106.09685) |\n"
    )
    e = only_entry(doc)
    assert e.venue is None
    assert not e.has_venue_slot


def test_empty_venue_cell_keeps_the_slot() -> None:
    doc = parse(
        "| Title | Pub | Link |\n|---|---|---|\n| T | | [x](https://arxiv.org/abs/2106.09685) |\n"
    )
    e = only_entry(doc)
    assert e.venue is None
    assert e.has_venue_slot


def test_badges_and_br_in_title_cell() -> None:
    doc = parse(
        "| Title | Pub |\n"
        "|---|---|\n"
        "| [![Star](https://img.shields.io/github/stars/microsoft/LoRA.svg)]"
        "(https://github.com/microsoft/LoRA)<br>**LoRA: Low-Rank Adaptation of Large Language "
        "Models**<br>Edward J. Hu, Yelong Shen | ICLR 2022 |\n"
    )
    e = only_entry(doc)
    assert e.title is not None
    assert e.title.text == "LoRA: Low-Rank Adaptation of Large Language Models"
    assert e.venue is not None and e.venue.text == "ICLR 2022"
    # the badge image is not a link; the link around it is
    assert http_urls(doc) == ["https://github.com/microsoft/LoRA"]
    assert e.repos == ("microsoft/LoRA",)


def test_row_without_closing_pipe_is_a_full_row() -> None:
    doc = parse(
        "| Title | Pub | Link |\n"
        "|---|---|---|\n"
        "| LoRA | ICLR 2022 | [x](https://arxiv.org/abs/2106.09685)\n"
    )
    assert doc.shape_problems == ()
    e = only_entry(doc)
    assert e.title is not None and e.title.text == "LoRA"
    assert e.venue is not None and e.venue.text == "ICLR 2022"


def test_row_starting_with_space_pipe_is_a_full_row() -> None:
    doc = parse(
        "| Title | Link |\n|---|---|\n | A title | [x](https://arxiv.org/abs/2106.09685) |\n"
    )
    assert doc.shape_problems == ()
    assert only_entry(doc).line == 3


def test_split_row_is_one_entry_and_a_shape_problem_with_the_joined_row() -> None:
    doc = parse(
        "| Title | Pub | Link |\n"
        "|---|---|---|\n"
        "| Linformer: Self-Attention with Linear Complexity\n"
        " Transformer | | [x](https://arxiv.org/abs/2006.04768) |\n"
        "| Reformer | ICLR 2020 | [y](https://arxiv.org/abs/2001.04451) |\n"
    )
    (p,) = doc.shape_problems
    assert (p.line, p.end_line, p.expected, p.found) == (3, 4, 3, 1)
    assert p.old == (
        "| Linformer: Self-Attention with Linear Complexity\n"
        " Transformer | | [x](https://arxiv.org/abs/2006.04768) |"
    )
    assert p.joined == (
        "| Linformer: Self-Attention with Linear Complexity Transformer | | "
        "[x](https://arxiv.org/abs/2006.04768) |"
    )
    assert len(raw_cells(p.joined)) == 3
    first, second = doc.entries
    assert (first.line, first.end_line) == (3, 4)
    assert first.title is not None and first.title.text.startswith("Linformer")
    assert first.primary_arxiv is not None and first.primary_arxiv.line == 4
    assert second.line == 5 and second.primary_arxiv is not None
    assert second.primary_arxiv.arxiv_id == "2001.04451"


def test_short_rows_are_padded_and_extra_text_is_dropped_as_on_github() -> None:
    doc = parse(
        "| Title | Pub | Link |\n"
        "|---|---|---|\n"
        "| A | ICLR 2020 | [x](https://arxiv.org/abs/2001.04451) | extra |\n"
        "| B | [y](https://arxiv.org/abs/2006.04768) |\n"
        "| C | ICLR 2021 | [z](https://arxiv.org/abs/2010.11929) |\n"
    )
    # the short row renders as a full one; "extra" is a fourth cell GitHub drops unseen
    shapes = [(p.line, p.expected, p.found, p.end_line) for p in doc.shape_problems]
    assert shapes == [(3, 3, 4, None)]
    assert [e.line for e in doc.entries] == [3, 4, 5]


def test_dropped_cells_that_hold_nothing_a_reader_would_miss_are_silent() -> None:
    doc = parse(
        "| Title | Link |\n"
        "|---|---|\n"
        "| A | [x](https://arxiv.org/abs/2001.04451) |[//]: #12/30\n"
        "| B | [y](https://arxiv.org/abs/2006.04768) | [//]: # (Recommend) |\n"
        "| C | [z](https://arxiv.org/abs/2010.11929) | <!-- todo: venue --> |\n"
        "| D | [w](https://arxiv.org/abs/1706.03762) | |\n"
        "| E | [v](https://arxiv.org/abs/1810.04805) | [comment]: <> (hidden) |\n"
    )
    assert doc.shape_problems == ()
    assert len(doc.entries) == 5


def test_a_dropped_cell_with_a_link_is_a_shape_problem() -> None:
    doc = parse(
        "| Title | Link |\n"
        "|---|---|\n"
        "| A | [x](https://arxiv.org/abs/2001.04451) | [code](https://github.com/a/b) |\n"
    )
    (p,) = doc.shape_problems
    assert (p.line, p.expected, p.found) == (3, 2, 3)


def test_one_cell_category_row_is_not_joined_with_the_next_row() -> None:
    doc = parse(
        "| Title | Pub | Link |\n"
        "|---|---|---|\n"
        "| **Vision** |\n"
        "| LoRA | ICLR 2022 | [x](https://arxiv.org/abs/2106.09685) |\n"
    )
    # one short row: GitHub pads it, and joining it would give a 5-cell row
    assert doc.shape_problems == ()
    e = only_entry(doc)
    assert e.line == 4
    assert e.title is not None and e.title.text == "LoRA"


def test_cells_split_as_gfm_splits_them() -> None:
    # an unescaped pipe ends a cell even inside a code span; `\\|` never does
    assert raw_cells(r"| a \| b | `x | y` | c |") == [r" a \| b ", " `x ", " y` ", " c "]
    assert raw_cells(r"| `\|` | b \\| c |") == [r" `\|` ", r" b \\| c "]
    assert raw_cells("| a | b") == [" a ", " b"]
    assert raw_cells("a | b |") == ["a ", " b "]
    assert raw_cells("  | a || b |  ") == [" a ", "", " b "]
    assert raw_cells("| a | b | [//]: #12/30") == [" a ", " b ", " [//]: #12/30"]
    assert raw_cells("|") == [""]


def test_header_only_table_has_no_entries() -> None:
    doc = parse("| Title | Link |\n|---|---|\n")
    assert doc.entries == ()
    assert doc.shape_problems == ()


def test_seed_file_entries() -> None:
    path = Path(__file__).parent / "data" / "seed" / "efficiency.md"
    doc = parse_text("efficiency.md", path.read_text(encoding="utf-8"), VenueTable())
    assert len(doc.entries) == 25
    assert [(p.line, p.end_line) for p in doc.shape_problems] == [(36, 37), (42, 43)]
    by_line = {e.line: e for e in doc.entries}
    funnel = by_line[38]
    assert funnel.venue is not None and funnel.venue.text == "Neurips 2020"
    assert funnel.arxiv_ids == ("2006.03236",)
    # line 32 has no trailing pipe but is a full row
    assert by_line[32].arxiv_ids == ("2103.03404",)
    assert by_line[32].venue is not None and by_line[32].venue.text == "ICML 2021"


def test_rows_know_they_are_rows() -> None:
    """duplicate-entry compares two rows by the whole row (one model or benchmark each), two
    list items by their titles: the parser says which an entry is."""
    doc = parse(
        "| Model | Paper |\n|---|---|\n| BLOOMZ | [p](https://arxiv.org/abs/2211.01786) |\n\n"
        "<table><tr><td><a href='https://arxiv.org/abs/2211.01786'>mT0</a></td></tr></table>\n\n"
        "- A list item | with a pipe [p](https://arxiv.org/abs/2211.01786)\n"
    )
    assert [(e.line, e.is_row) for e in doc.entries] == [(3, True), (5, True), (7, False)]


# ---------------------------------------------------------------------------------------------
# Rows split before a pipe (issue 15.4)

PIPE_SPLIT = (
    "| Title | Venue | Paper | Code |\n"
    "|---|---|---|---|\n"
    "| Attention Is All You Need | NeurIPS 2017 |"
    " [1706.03762](https://arxiv.org/abs/1706.03762) | |\n"
    "| LoRA: Low-Rank Adaptation of Large Language Models\n"
    "| | [2106.09685](https://arxiv.org/abs/2106.09685) | |\n"
    "| Deep Residual Learning | CVPR 2016 | [1512.03385](https://arxiv.org/abs/1512.03385) | |\n"
)


def test_a_row_split_before_a_pipe_is_one_row_and_a_shape_problem() -> None:
    """On GitHub `| LoRA…` and `| | [ID](…) | |` are two short rows, the ID in the Venue
    column; the two lines joined have the header's four cells."""
    doc = parse(PIPE_SPLIT)
    (p,) = doc.shape_problems
    assert (p.line, p.end_line, p.expected, p.found) == (4, 5, 4, 1)
    assert p.joined == (
        "| LoRA: Low-Rank Adaptation of Large Language Models | | "
        "[2106.09685](https://arxiv.org/abs/2106.09685) | |"
    )
    assert len(raw_cells(p.joined)) == 4
    first, lora, third = doc.entries
    assert (lora.line, lora.end_line) == (4, 5)
    assert lora.title is not None and lora.title.text.startswith("LoRA")
    assert lora.venue is None and lora.arxiv_ids == ("2106.09685",)
    assert first.arxiv_ids == ("1706.03762",) and third.arxiv_ids == ("1512.03385",)


def test_a_short_row_then_a_row_starting_with_a_pipe_is_split_only_where_it_is_sure() -> None:
    # the two lines together are not the header's width: two short rows, as GitHub shows them
    wider = PIPE_SPLIT.replace(
        "| | [2106.09685](https://arxiv.org/abs/2106.09685) | |",
        "| | | [2106.09685](https://arxiv.org/abs/2106.09685) | |",
    )
    assert parse(wider).shape_problems == ()
    # another row of the table has no closing pipe either: that is the table's style, not a slip
    closed = "[1512.03385](https://arxiv.org/abs/1512.03385) | |"
    open_style = PIPE_SPLIT.replace(closed, closed[:-2] + " none")
    assert len(raw_cells(open_style.splitlines()[5])) == 4
    assert parse(open_style).shape_problems == ()
    # a blank line between them ends the table
    apart = PIPE_SPLIT.replace("Models\n|", "Models\n\n|")
    assert parse(apart).shape_problems == ()


# ---------------------------------------------------------------------------------------------
# Shifted cells (issue 15.8)


def typed_table(extra: list[str], rows: int = 12, last: str = "Code") -> str:
    """A table whose columns each hold one kind of value: a venue, a year, an arXiv link and a
    GitHub link (or notes, with `last="Notes"`)."""
    lines = [f"| Title | Venue | Year | Paper | {last} |", "|---|---|---|---|---|"]
    for i in range(rows):
        code = f"[code](https://github.com/a/b{i})" if last == "Code" else "fine"
        lines.append(
            f"| Paper number {i} | ICLR | 2023 | [arXiv](https://arxiv.org/abs/2301.{i:05d}) |"
            f" {code} |"
        )
    return "\n".join(lines + extra) + "\n"


def test_a_row_whose_cells_stand_one_column_left_is_a_missing_pipe() -> None:
    doc = parse(
        typed_table(
            [
                "| Shifted Paper CVPR | 2019 | [arXiv](https://arxiv.org/abs/1901.01234) |"
                " [code](https://github.com/a/c) |"
            ]
        )
    )
    (p,) = doc.shape_problems
    assert (p.line, p.expected, p.found, p.shift) == (15, 5, 4, 1)
    assert p.shifted == (
        ("a year", "Venue"),
        ("an arXiv link", "Year"),
        ("a GitHub link", "Paper"),
    )


def test_a_row_whose_cells_stand_one_column_right_is_a_doubled_pipe() -> None:
    row = "| Shifted Paper | | ICLR | 2019 | [arXiv](https://arxiv.org/abs/1901.01234) | |"
    doc = parse(typed_table([row], last="Notes"))
    (p,) = doc.shape_problems
    assert (p.line, p.found, p.shift) == (15, 6, -1)
    assert p.shifted == (("a venue", "Year"), ("a year", "Paper"), ("an arXiv link", "Notes"))


def test_no_shift_is_told_without_unmistakable_evidence() -> None:
    rows = [
        # one cell short at the end (no code): GitHub pads it, nothing moved
        "| Short Paper | ICLR | 2019 | [arXiv](https://arxiv.org/abs/1901.01234) |",
        # right width, wrong contents: not a shift of the row's cells
        "| Odd Paper | 2019 | ICLR | [arXiv](https://arxiv.org/abs/1901.01235) | |",
        # one short, but only one column's kind stands beside it
        "| Another Paper ICLR | 2019 | | |",
    ]
    assert parse(typed_table(rows)).shape_problems == ()
    # too few rows to say what a column holds
    shifted = "| Shifted Paper CVPR | 2019 | [arXiv](https://arxiv.org/abs/1901.01234) | |"
    assert parse(typed_table([shifted], rows=6)).shape_problems == ()
    # columns that hold no one kind in nine rows of ten
    mixed = typed_table([shifted]).replace("| 2023 |", "| 2023.01 |")
    assert all(p.shift == 0 for p in parse(mixed).shape_problems)


def test_a_shifted_row_that_loses_text_is_told_once() -> None:
    doc = parse(
        typed_table(
            [
                "| Shifted Paper | | ICLR | 2019 | [arXiv](https://arxiv.org/abs/1901.01234) |"
                " [code](https://github.com/a/c) |"
            ]
        )
    )
    (p,) = doc.shape_problems
    assert (p.shift, p.dropped) == (0, ("[code](https://github.com/a/c)",))
