"""The parser: Markdown tables, lists, paragraphs and HTML → entries, links, headings, shapes."""

from __future__ import annotations

from pathlib import Path

from checker.model import Document, Entry, LinkKind
from checker.parse import parse_text, raw_cells
from checker.venues import VenueTable


def parse(md: str) -> Document:
    return parse_text("test.md", md, VenueTable())


def only_entry(doc: Document) -> Entry:
    assert len(doc.entries) == 1, doc.entries
    return doc.entries[0]


def http_urls(doc: Document) -> list[str]:
    return [lk.url for lk in doc.links if lk.is_http]


# ---------------------------------------------------------------------------------------------
# Tables


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
        "| LoRA: Low-Rank Adaptation | ICLR 2022 | [code](https://github.com/microsoft/LoRA) |\n"
    )
    e = only_entry(doc)
    assert e.title is not None and e.title.text == "LoRA: Low-Rank Adaptation"
    assert e.venue is not None and e.venue.text == "ICLR 2022"
    assert e.repos == ("microsoft/LoRA",)


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


def test_row_with_too_many_or_too_few_cells() -> None:
    doc = parse(
        "| Title | Pub | Link |\n"
        "|---|---|---|\n"
        "| A | ICLR 2020 | [x](https://arxiv.org/abs/2001.04451) | extra |\n"
        "| B | [y](https://arxiv.org/abs/2006.04768) |\n"
        "| C | ICLR 2021 | [z](https://arxiv.org/abs/2010.11929) |\n"
    )
    shapes = [(p.line, p.expected, p.found, p.end_line) for p in doc.shape_problems]
    assert shapes == [(3, 3, 4, None), (4, 3, 2, None)]
    assert [e.line for e in doc.entries] == [3, 4, 5]


def test_one_cell_category_row_is_not_joined_with_the_next_row() -> None:
    doc = parse(
        "| Title | Pub | Link |\n"
        "|---|---|---|\n"
        "| **Vision** |\n"
        "| LoRA | ICLR 2022 | [x](https://arxiv.org/abs/2106.09685) |\n"
    )
    (p,) = doc.shape_problems
    # one short row; joining it would give a 5-cell row, so no split-row fix
    assert (p.line, p.found, p.end_line, p.joined) == (3, 1, None, None)
    e = only_entry(doc)
    assert e.line == 4
    assert e.title is not None and e.title.text == "LoRA"


def test_escaped_pipes_and_pipes_in_code_are_not_cell_borders() -> None:
    assert raw_cells(r"| a \| b | `x | y` | c |") == [r" a \| b ", " `x | y` ", " c "]
    assert raw_cells("| a | b") == [" a ", " b"]
    assert raw_cells("a | b |") == ["a ", " b "]
    # a trailing invisible comment after the last pipe is not a cell (horseee corpus file)
    assert raw_cells("| a | b | [//]: #12/30") == [" a ", " b "]


def test_header_only_table_has_no_entries() -> None:
    doc = parse("| Title | Link |\n|---|---|\n")
    assert doc.entries == ()
    assert doc.shape_problems == ()


# ---------------------------------------------------------------------------------------------
# Lists and paragraphs


def test_bullet_list_items_are_entries() -> None:
    doc = parse(
        "## Sec\n"
        "\n"
        "- [Attention Is All You Need](https://arxiv.org/abs/1706.03762), NeurIPS 2017\n"
        "- LoRA. ICLR 2022. [[pdf]](https://arxiv.org/pdf/2106.09685.pdf) "
        "[[code]](https://github.com/microsoft/LoRA)\n"
    )
    first, second = doc.entries
    assert (first.line, first.section) == (3, ("Sec",))
    assert first.title is not None and first.title.text == "Attention Is All You Need"
    assert first.venue is not None and first.venue.text == "NeurIPS 2017"
    assert second.line == 4
    assert second.arxiv_ids == ("2106.09685",)
    assert second.repos == ("microsoft/LoRA",)
    assert [lk.text for lk in second.links] == ["[pdf]", "[code]"]
    assert second.venue is not None and second.venue.text == "ICLR 2022"


def test_numbered_list_with_bold_title_and_pdf_link() -> None:
    doc = parse(
        "1. **Deep Residual Learning for Image Recognition**. *K. He et al.* CVPR 2016. "
        "[[pdf]](http://arxiv.org/pdf/1512.03385v1)\n"
        "2. **BERT: Pre-training of Deep Bidirectional Transformers**. NAACL 2019. "
        "[[pdf](https://arxiv.org/abs/1810.04805)] [[code & model](https://github.com/google-research/bert)]\n"
    )
    first, second = doc.entries
    assert first.title is not None
    assert first.title.text == "Deep Residual Learning for Image Recognition"
    assert (first.title.line, first.title.column) == (1, 6)
    assert first.venue is not None and first.venue.text == "CVPR 2016"
    link = first.primary_arxiv
    assert link is not None and (link.arxiv_id, link.arxiv_version) == ("1512.03385", 1)
    assert second.title is not None
    assert second.title.text == "BERT: Pre-training of Deep Bidirectional Transformers"
    assert second.venue is not None and second.venue.text == "NAACL 2019"
    assert second.repos == ("google-research/bert",)


def test_quoted_title_in_code_llm_style_item() -> None:
    doc = parse(
        '1. **CodePlan**: "Repository-level Coding using LLMs and Planning" [2023-09] '
        "[FSE 2024] [[paper](https://arxiv.org/abs/2309.12499)]\n"
    )
    e = only_entry(doc)
    assert e.title is not None
    assert e.title.text == "Repository-level Coding using LLMs and Planning"


def test_bold_title_paragraph_with_pdf_link() -> None:
    doc = parse(
        "**Deep Residual Learning for Image Recognition** (2016), K. He et al. "
        "[[pdf]](http://arxiv.org/pdf/1512.03385v1)\n"
    )
    e = only_entry(doc)
    assert e.title is not None
    assert e.title.text == "Deep Residual Learning for Image Recognition"
    assert e.primary_arxiv is not None and e.primary_arxiv.arxiv_id == "1512.03385"


def test_bold_title_paragraph_followed_by_label_list_is_one_entry() -> None:
    doc = parse(
        "**3DSSD: Point-based 3D Single Stage Object Detector**\n"
        "\n"
        "- 论文：https://arxiv.org/abs/2002.10187\n"
        "\n"
        "- 代码：https://github.com/tomztyang/3DSSD\n"
    )
    e = only_entry(doc)
    assert (e.line, e.end_line) == (1, 5)
    assert e.title is not None
    assert e.title.text == "3DSSD: Point-based 3D Single Stage Object Detector"
    assert e.arxiv_ids == ("2002.10187",)
    assert e.repos == ("tomztyang/3DSSD",)
    assert [(lk.line, lk.column) for lk in e.links] == [(3, 6), (5, 6)]


def test_bold_title_group_with_a_linkless_item_keeps_its_links() -> None:
    # amusi corpus file, line 513: the paper link is kept in doc.links but no entry has it
    doc = parse(
        "**Pixel Consensus Voting for Panoptic Segmentation**\n"
        "\n"
        "- 论文：https://arxiv.org/abs/2004.01849\n"
        "- 代码：还未公布\n"
    )
    e = only_entry(doc)
    assert e.arxiv_ids == ("2004.01849",)
    assert e.title is not None and e.title.text.startswith("Pixel Consensus Voting")


def test_bold_title_group_with_a_venue_item_stays_one_entry() -> None:
    doc = parse(
        "**3DSSD: Point-based 3D Single Stage Object Detector**\n"
        "\n"
        "- CVPR 2020 Oral\n"
        "\n"
        "- 论文：https://arxiv.org/abs/2002.10187\n"
        "\n"
        "- 代码：https://github.com/tomztyang/3DSSD\n"
    )
    e = only_entry(doc)
    assert e.arxiv_ids == ("2002.10187",)
    assert e.repos == ("tomztyang/3DSSD",)
    assert e.title is not None and e.title.text.startswith("3DSSD")
    assert e.venue is not None and (e.venue.text, e.venue.line, e.venue.column) == (
        "CVPR 2020", 3, 3,
    )  # fmt: skip


def test_list_that_opens_with_label_items_belongs_to_the_bold_title() -> None:
    # amusi corpus file, lines 5-10: a longer item further down is still part of the group
    doc = parse(
        "**Reading**\n"
        "\n"
        "- [CVPR 2020 virtual](http://cvpr20.com/)\n"
        "- a collection of earlier conference papers: https://github.com/a/b\n"
    )
    e = only_entry(doc)
    assert (e.line, e.end_line) == (1, 4)
    assert [lk.url for lk in e.links] == ["http://cvpr20.com/", "https://github.com/a/b"]


def test_list_that_opens_with_a_real_item_under_a_bold_line_is_not_grouped() -> None:
    doc = parse(
        "**Surveys**\n"
        "\n"
        "- A Survey of Large Language Models, Zhao et al. [paper](https://arxiv.org/abs/2303.18223)\n"
        "- [BERT](https://arxiv.org/abs/1810.04805)\n"
    )
    assert [e.arxiv_ids for e in doc.entries] == [("2303.18223",), ("1810.04805",)]
    assert [e.line for e in doc.entries] == [3, 4]


def test_list_item_over_several_lines_places_each_link_on_its_line() -> None:
    doc = parse(
        "- Item title that goes on\n"
        "  and on, NeurIPS 2020\n"
        "  [code](https://github.com/a/b) and [paper](https://arxiv.org/abs/2006.03236)\n"
    )
    e = only_entry(doc)
    assert (e.line, e.end_line) == (1, 3)
    assert [(lk.line, lk.column) for lk in e.links] == [(3, 10), (3, 46)]


def test_paragraph_soft_breaks_give_exact_lines() -> None:
    doc = parse(
        "Intro text.\n"
        "\n"
        "**A Title Here**\n"
        "by someone,\n"
        "see [pdf](https://arxiv.org/pdf/1706.03762) or\n"
        "[code](https://github.com/a/b)\n"
    )
    e = only_entry(doc)
    assert (e.line, e.end_line) == (3, 6)
    assert [(lk.line, lk.column) for lk in e.links] == [(5, 11), (6, 8)]


def test_repeated_url_on_one_line_gets_two_columns() -> None:
    url = "https://arxiv.org/abs/1706.03762"
    doc = parse(f"- [a]({url}) and [b]({url})\n")
    assert [lk.column for lk in doc.links] == [7, 49]
    assert doc.lines[0][6:].startswith(url) and doc.lines[0][48:].startswith(url)


def test_plain_paragraph_with_link_is_not_an_entry_but_its_link_counts() -> None:
    doc = parse("See [our site](https://example.com) for more.\n")
    assert doc.entries == ()
    assert http_urls(doc) == ["https://example.com"]


def test_anchor_only_item_is_not_an_entry() -> None:
    doc = parse("- [Intro](#intro)\n\n# Intro\n")
    assert doc.entries == ()
    assert [lk.kind for lk in doc.links] == [LinkKind.ANCHOR]


# ---------------------------------------------------------------------------------------------
# Bare URLs, HTML, code


def test_bare_urls_are_linkified_and_trailing_punctuation_dropped() -> None:
    doc = parse(
        "- see https://arxiv.org/abs/1706.03762.\n"
        "- code (https://github.com/c/d), done\n"
        "- *Foo, https://arxiv.org/abs/1311.2542*\n"
        "- <https://arxiv.org/abs/2106.09685>\n"
        "- x.py and arxiv.org/abs/2106.09685 are not links\n"
    )
    assert http_urls(doc) == [
        "https://arxiv.org/abs/1706.03762",
        "https://github.com/c/d",
        "https://arxiv.org/abs/1311.2542",
        "https://arxiv.org/abs/2106.09685",
    ]
    assert [e.line for e in doc.entries] == [1, 2, 3, 4]
    assert [lk.column for lk in doc.links] == [7, 9, 9, 4]


def test_www_urls_are_linkified_as_on_github() -> None:
    doc = parse("- code: www.github.com/a/b\n")
    assert [lk.repo for lk in doc.links] == ["a/b"]


def test_bare_url_inside_open_bracket_is_not_a_link() -> None:
    doc = parse("- [[data(https://zenodo.org/records/2593787)]]\n")
    assert http_urls(doc) == []


def test_bare_url_as_link_text_counts_once() -> None:
    doc = parse("- [https://llmbook-zh.github.io/](https://llmbook-zh.github.io/)\n")
    assert http_urls(doc) == ["https://llmbook-zh.github.io/"]


def test_html_table_rows_are_entries() -> None:
    doc = parse(
        "## Attacks\n"
        "\n"
        "<table>\n"
        '<tr><th rowspan="2">Category</th><th>Paper</th></tr>\n'
        '<tr><td><a href="https://arxiv.org/abs/1706.03762">Transformer (Vaswani et al., 2017)'
        "</a></td></tr>\n"
        "<tr>\n"
        "<td><a href='https://github.com/a/b'>code</a></td>\n"
        "</tr>\n"
        "</table>\n"
    )
    first, second = doc.entries
    assert (first.line, first.end_line, first.section) == (5, 5, ("Attacks",))
    assert first.links[0].text == "Transformer (Vaswani et al., 2017)"
    assert (first.links[0].line, first.links[0].column) == (5, 18)
    assert (second.line, second.end_line) == (6, 8)
    assert second.repos == ("a/b",)
    assert (second.links[0].line, second.links[0].column) == (7, 14)


def test_unclosed_html_tr_is_still_a_row() -> None:
    doc = parse(
        "<table>\n"
        '<tr><td>PaLM</td><td><a href="https://arxiv.org/abs/2204.02311">Paper</a></td>\n'
        '<tr><td>Cohere</td><td><a href="https://cohere.ai/">Home</a></td></tr>\n'
        "</table>\n"
    )
    assert http_urls(doc) == ["https://arxiv.org/abs/2204.02311", "https://cohere.ai/"]
    assert [e.line for e in doc.entries] == [2, 3]


def test_inline_html_link_inside_markdown() -> None:
    doc = parse('- See <a href="https://arxiv.org/abs/1706.03762">the paper</a> here\n')
    e = only_entry(doc)
    (link,) = e.links
    assert (link.arxiv_id, link.text, link.line, link.column) == ("1706.03762", "the paper", 1, 16)


def test_links_in_code_are_not_links() -> None:
    doc = parse(
        "```bibtex\n"
        "url={http://arxiv.org/abs/2303.18223}\n"
        "[x](https://arxiv.org/abs/1706.03762)\n"
        "```\n"
        "\n"
        "~~~\n"
        "https://github.com/a/b\n"
        "~~~\n"
        "\n"
        "    https://arxiv.org/abs/2106.09685\n"
        "\n"
        "- `https://arxiv.org/abs/2106.09685` and `[x](https://github.com/a/b)`\n"
        '- ``<a href="https://example.com">x</a>``\n'
    )
    assert doc.links == ()
    assert doc.entries == ()


def test_images_are_not_links() -> None:
    doc = parse("- ![fig](https://arxiv.org/html/2402.17764v1/x1.png) text\n")
    assert doc.links == ()


def test_html_comment_links_are_not_links() -> None:
    doc = parse("<!-- [x](https://arxiv.org/abs/1706.03762) -->\n\n- text\n")
    assert doc.links == ()


# ---------------------------------------------------------------------------------------------
# Sections, headings, line numbers


def test_sections_follow_the_heading_path() -> None:
    doc = parse(
        "# A\n"
        "\n"
        "## B\n"
        "\n"
        "### C\n"
        "\n"
        "- [x](https://example.com/1)\n"
        "\n"
        "## D\n"
        "\n"
        "- [y](https://example.com/2)\n"
        "\n"
        "Setext E\n"
        "========\n"
        "\n"
        "- [z](https://example.com/3)\n"
    )
    assert [(e.line, e.section) for e in doc.entries] == [
        (7, ("A", "B", "C")),
        (11, ("A", "D")),
        (16, ("Setext E",)),
    ]


def test_heading_text_and_slugs() -> None:
    doc = parse(
        "# C++ & Python\n"
        "## 🔥 News\n"
        "## `foo_bar` baz\n"
        "## Title ##\n"
        "## [LoRA](https://github.com/microsoft/LoRA)\n"
        "## Intro\n"
        "## Intro\n"
        "## Résumé\n"
    )
    got = [(h.text, h.level, h.line, h.slug) for h in doc.headings]
    assert got == [
        ("C++ & Python", 1, 1, "c--python"),
        ("🔥 News", 2, 2, "-news"),
        ("foo_bar baz", 2, 3, "foo_bar-baz"),
        ("Title", 2, 4, "title"),
        ("LoRA", 2, 5, "lora"),
        ("Intro", 2, 6, "intro"),
        ("Intro", 2, 7, "intro-1"),
        ("Résumé", 2, 8, "résumé"),
    ]
    # a link in a heading is a link of the document
    assert doc.links[0].repo == "microsoft/LoRA"


def test_html_ids_and_names_are_anchors() -> None:
    doc = parse('<a name="CNN"></a>\n\n<div id="my-id">x</div>\n\n- <a id="inline">t</a>\n')
    assert {"cnn", "my-id", "inline"} <= doc.anchors


def _positions(doc: Document) -> tuple[object, ...]:
    return (
        [(e.line, e.end_line, e.section, e.title, e.venue) for e in doc.entries],
        [(lk.url, lk.line, lk.column) for lk in doc.links],
        [(h.text, h.line) for h in doc.headings],
        doc.shape_problems,
    )


def test_crlf_gives_the_same_lines_as_lf() -> None:
    md = (
        "# Top\n"
        "\n"
        "| Title | Pub | Link |\n"
        "|---|---|---|\n"
        "| A title | ICLR 2020 | [x](https://arxiv.org/abs/2001.04451) |\n"
        "| Split\n"
        " row | | [y](https://arxiv.org/abs/2006.04768) |\n"
        "\n"
        "## Next\n"
        "\n"
        "- item\n"
        "  [p](https://arxiv.org/abs/1706.03762)\n"
        "\n"
        "<table>\n"
        '<tr><td><a href="https://github.com/a/b">c</a></td></tr>\n'
        "</table>\n"
    )
    lf = parse(md)
    crlf = parse(md.replace("\n", "\r\n"))
    assert _positions(crlf) == _positions(lf)
    assert [e.line for e in lf.entries] == [5, 6, 11, 15]
    assert len(crlf.lines) == len(lf.lines)


def test_document_lines_and_path() -> None:
    doc = parse_text("dir/list.md", "a\nb\r\nc\rd", VenueTable())
    assert doc.path == "dir/list.md"
    assert doc.lines == ("a", "b", "c", "d")


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
