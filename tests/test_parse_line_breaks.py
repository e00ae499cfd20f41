"""Entries in line-break layouts (issue 15.3): `[N] Title<br>` then a line of links, a heading
that is one link followed by notes, a title line over badge lines."""

from __future__ import annotations

from pathlib import Path

from parse_helpers import only_entry, parse

from checker.parse import parse_text
from checker.sources import read_markdown
from checker.venues import VenueTable

FORMS = Path(__file__).parent / "data" / "forms"


def summary(md: str) -> list[tuple[int, int, str | None, list[str]]]:
    return [
        (e.line, e.end_line, e.title.text if e.title else None, [lk.url for lk in e.links])
        for e in parse(md).entries
    ]


# ---------------------------------------------------------------------------------------------
# `[N] Title<br>` then `[paper](…) | [code](…)<br>`


def test_numbered_titles_over_lines_of_links_in_one_paragraph_are_one_entry_each() -> None:
    md = (
        "### 检测\n"
        "\n"
        "[3] Point-to-Box Network for Accurate Object Detection (点对盒网络)<br>\n"
        "[paper](https://arxiv.org/abs/2207.06827) | [code](https://github.com/ucas-vg/p2bnet)"
        "<br><br>\n"
        "[2] You Should Look at All Objects (您应该查看所有物体)<br>\n"
        "[paper](https://arxiv.org/abs/2207.07889) | [code](https://github.com/charlespikachu/yslao)"
        "<br><br>\n"
        "[1] Adversarially-Aware Robust Object Detector (对抗性感知鲁棒目标检测器)(**Oral**))<br>\n"
        "[paper](https://arxiv.org/abs/2207.06202)<br><br>\n"
    )
    assert summary(md) == [
        (3, 4, "Point-to-Box Network for Accurate Object Detection",
         ["https://arxiv.org/abs/2207.06827", "https://github.com/ucas-vg/p2bnet"]),
        (5, 6, "You Should Look at All Objects",
         ["https://arxiv.org/abs/2207.07889", "https://github.com/charlespikachu/yslao"]),
        (7, 8, "Adversarially-Aware Robust Object Detector", ["https://arxiv.org/abs/2207.06202"]),
    ]  # fmt: skip
    doc = parse(md)
    for e in doc.entries:
        assert e.title is not None and e.section == ("检测",)
        line = doc.lines[e.title.line - 1]
        assert line[e.title.column - 1 :].startswith(e.title.text)


def test_a_numbered_title_and_its_links_across_a_blank_line() -> None:
    md = (
        "[4] Multimodal Object Detection via Probabilistic Ensembling"
        " (基于概率集成的多模态目标检测) (**Oral**)<br>\n"
        "\n"
        "[paper](https://arxiv.org/abs/2104.02904) | [code](https://github.com/Jamie725/RGBT-detection)"
        "<br><br>\n"
    )
    e = only_entry(parse(md))
    assert (e.line, e.end_line) == (1, 3)
    assert e.title is not None
    assert (e.title.text, e.title.line, e.title.column) == (
        "Multimodal Object Detection via Probabilistic Ensembling",
        1,
        5,
    )
    assert e.repos == ("Jamie725/RGBT-detection",)


def test_a_line_of_links_under_a_paragraph_that_is_not_a_title_is_no_entry() -> None:
    md = (
        "Some words about this list and why it exists.\n"
        "\n"
        "[paper](https://arxiv.org/abs/2104.02904) | [code](https://github.com/a/b)\n"
    )
    assert parse(md).entries == ()
    # and a line of text followed by more text, then links, is a paragraph, not a title
    md = (
        "Update 2022/07/29: fifty papers added<br>\n"
        "see the announcement for the full list of what changed this week<br>\n"
        "[announcement](https://example.org/news)\n"
    )
    assert parse(md).entries == ()


def test_a_numbered_title_with_a_label_beside_its_links() -> None:
    md = (
        "[1] AdderSR: Towards Energy Efficient Image Super-Resolution"
        "(将加法网路应用到图像超分辨率中)<br>\n"
        "[paper](https://arxiv.org/pdf/2009.08891.pdf) | [code](https://github.com/huawei-noah/AdderNet)"
        "<br>\n"
        "解读：[华为开源加法神经网络](https://zhuanlan.zhihu.com/p/113536045)<br><br>\n"
    )
    e = only_entry(parse(md))
    assert e.title is not None
    assert e.title.text == "AdderSR: Towards Energy Efficient Image Super-Resolution"
    assert len(e.links) == 3


# ---------------------------------------------------------------------------------------------
# Headings that are one link, followed by notes


def test_a_heading_that_is_one_link_followed_by_notes_is_an_entry() -> None:
    md = (
        "## Reading notes\n"
        "\n"
        "### [Attention Is All You Need](https://arxiv.org/abs/1706.03762)\n"
        "\n"
        "The Transformer, with attention only.\n"
        "Code: [tensor2tensor](https://github.com/tensorflow/tensor2tensor).\n"
        "\n"
        "Read it twice.\n"
        "\n"
        "### 2. [Deep Residual Learning for Image Recognition](https://arxiv.org/abs/1512.03385)"
        " (CVPR 2016)\n"
        "\n"
        "Residual connections.\n"
    )
    first, second = parse(md).entries
    assert (first.line, first.end_line) == (3, 8)
    assert first.title is not None and (first.title.text, first.title.column) == (
        "Attention Is All You Need",
        6,
    )
    assert first.repos == ("tensorflow/tensor2tensor",)
    assert first.section == ("Reading notes", "Attention Is All You Need")
    assert second.title is not None
    assert second.title.text == "Deep Residual Learning for Image Recognition"
    assert second.venue is not None and second.venue.text == "CVPR 2016"


def test_a_heading_link_followed_by_entries_or_nothing_names_a_section() -> None:
    md = (
        "### [BERTology](https://huggingface.co/transformers/bertology.html)\n"
        "\n"
        "1. [XLNet Explained](https://www.youtube.com/watch?v=naOuE9gLbZo) by NLP Breakfasts.\n"
        "\n"
        "### [Awesome](https://awesome.re)\n"
        "\n"
        "### Papers [![badge](https://img.shields.io/x.svg)](https://example.org)\n"
        "\n"
        "Some notes about the papers.\n"
        "\n"
        "### [A Paper Title Here](https://arxiv.org/abs/1706.03762)\n"
        "\n"
        "**Bold Paper Title** [pdf](https://arxiv.org/abs/1512.03385)\n"
    )
    titles = [e.title.text if e.title else None for e in parse(md).entries]
    # the list item and the bold paragraph are entries of their own; no heading is one
    assert titles == ["XLNet Explained", "Bold Paper Title"]


# ---------------------------------------------------------------------------------------------
# A title line over badge lines


def test_a_title_line_over_indented_badge_lines() -> None:
    md = (
        "Segment Anything\n"
        "  [![arXiv](https://img.shields.io/badge/arXiv-2304.02643-b31b1b.svg)]"
        "(https://arxiv.org/abs/2304.02643)\n"
        "  [![GitHub](https://img.shields.io/github/stars/facebookresearch/segment-anything)]"
        "(https://github.com/facebookresearch/segment-anything)\n"
        "\n"
        "- Grounding DINO: Marrying DINO with Grounded Pre-Training\n"
        "  [![arXiv](https://img.shields.io/badge/arXiv-2303.05499-b31b1b.svg)]"
        "(https://arxiv.org/abs/2303.05499)\n"
    )
    first, second = parse(md).entries
    assert first.title is not None and (first.title.text, first.title.line) == (
        "Segment Anything",
        1,
    )
    assert (first.line, first.end_line) == (1, 3)
    assert [lk.arxiv_id for lk in first.links] == ["2304.02643", None]
    assert second.title is not None
    assert second.title.text == "Grounding DINO: Marrying DINO with Grounded Pre-Training"


def test_a_sentence_before_a_link_on_the_same_line_is_not_a_title() -> None:
    md = "- Introduces reinforcement learning from human feedback [paper](https://arxiv.org/abs/2203.02155)\n"
    assert only_entry(parse(md)).title is None


# ---------------------------------------------------------------------------------------------
# A real list of this layout


def test_real_cjk_list_reads_one_entry_per_paper() -> None:
    doc = parse_text("eccv.md", read_markdown(str(FORMS / "eccv2022_cjk.md")), VenueTable())
    assert [e.title.text if e.title else None for e in doc.entries] == [
        "Multimodal Object Detection via Probabilistic Ensembling",
        "Point-to-Box Network for Accurate Object Detection via Single Point Supervision",
        "You Should Look at All Objects",
        "Adversarially-Aware Robust Object Detector",
        "Densely Constrained Depth Estimator for Monocular 3D Object Detection",
        "Rethinking IoU-based Optimization for Single-stage 3D Object Detection",
        "Semantic-Sparse Colorization Network for Deep Exemplar-based Colorization",
        "Geometry-aware Single-image Full-body Human Relighting",
    ]
    assert [len(e.arxiv_ids) for e in doc.entries] == [1] * 8
    assert doc.entries[4].section[-1] == "3D目标检测(3D Object Detection)"
