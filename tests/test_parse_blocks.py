"""Lists, paragraphs and bold-title groups; sections and headings; documents as a whole."""

from __future__ import annotations

from parse_helpers import http_urls, only_entry, parse

from checker.model import Document, LinkKind
from checker.parse import parse_text
from checker.venues import VenueTable


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


def test_plain_paragraph_with_link_is_not_an_entry_but_its_link_counts() -> None:
    doc = parse("See [our site](https://example.com) for more.\n")
    assert doc.entries == ()
    assert http_urls(doc) == ["https://example.com"]


def test_anchor_only_item_is_not_an_entry() -> None:
    doc = parse("- [Intro](#intro)\n\n# Intro\n")
    assert doc.entries == ()
    assert [lk.kind for lk in doc.links] == [LinkKind.ANCHOR]


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


def test_names_beside_titles_in_list_items() -> None:
    doc = parse(
        '1. **CodePlan**: "Repository-level Coding using LLMs and Planning" [2023-09] '
        "[[paper](https://arxiv.org/abs/2309.12499)]\n"
        '2. **Codex** (GPT-3): "Evaluating Large Language Models Trained on Code" '
        "[[paper](https://arxiv.org/abs/2107.03374)]\n"
        '3. <u>T5</u>: **"Exploring the Limits of Transfer Learning with a Unified Text-to-Text '
        'Transformer"**. JMLR 2019. [[Paper](https://arxiv.org/abs/1910.10683)]\n'
        "4. **Deep contextualized word representations**. NAACL 2018. "
        "[[pdf](https://arxiv.org/pdf/1802.05365.pdf)] (**ELMo**)\n"
        '5. [How to Build GPT-2: "The AI That Is Too Dangerous"](https://example.com/a)\n'
        '6. "**CoCo-Bench**: A Comprehensive Code Benchmark" [[paper](https://arxiv.org/abs/2504.20673)]\n'
    )
    got = [(e.name.text, e.name.line, e.name.column) if e.name else None for e in doc.entries]
    assert got == [("CodePlan", 1, 6), ("Codex", 2, 6), ("T5", 3, 7), ("ELMo", 4, 111), None, None]
    titles = [e.title.text if e.title else None for e in doc.entries]
    assert titles[:4] == [
        "Repository-level Coding using LLMs and Planning",
        "Evaluating Large Language Models Trained on Code",
        "Exploring the Limits of Transfer Learning with a Unified Text-to-Text Transformer",
        "Deep contextualized word representations",
    ]
