"""Venues wherever lists write them (issue 15.2): in text with the year apart, as bracket and bold
tags, as a year-venue prefix, in Venue and Year columns, in HTML tables; a tag is never a title."""

from __future__ import annotations

from pathlib import Path

from parse_helpers import only_entry, parse

from checker.model import Applicability, Entry, Field, Fix
from checker.parse import parse_text
from checker.sources import read_markdown
from checker.venues import VenueTable

FORMS = Path(__file__).parent / "data" / "forms"


def read(name: str) -> list[Entry]:
    return list(parse_text(name, read_markdown(str(FORMS / name)), VenueTable()).entries)


def written(doc_text: str, field: Field) -> str:
    """What stands in the document where a field says it does."""
    line = doc_text.splitlines()[field.line - 1]
    return line[field.column - 1 : field.column - 1 + len(field.text)]


def parts(field: Field | None) -> list[tuple[str, int, int]]:
    assert field is not None
    return [(p.text, p.line, p.column) for p in field.parts]


# ---------------------------------------------------------------------------------------------
# A venue whose year is written apart: one venue, each part where it is written


def test_abbreviation_quoted_title_venue_comma_year() -> None:
    md = (
        '* **CrossViT**: "CrossViT: Cross-Attention Multi-Scale Vision Transformer", ICCV, 2021'
        " (*MIT-IBM*). [[Paper](https://arxiv.org/abs/2103.14899)]\n"
    )
    e = only_entry(parse(md))
    assert e.title is not None
    assert e.title.text == "CrossViT: Cross-Attention Multi-Scale Vision Transformer"
    assert e.name is not None and e.name.text == "CrossViT"
    assert e.venue is not None and e.venue.text == "ICCV 2021"
    at = md.index("ICCV, 2021") + 1
    assert (e.venue.line, e.venue.column) == (1, at)
    assert parts(e.venue) == [("ICCV", 1, at), ("2021", 1, at + 6)]
    for part in e.venue.parts:
        assert written(md, part) == part.text


def test_authors_quoted_title_then_venue_with_the_year_in_parentheses() -> None:
    md = '1. A. Vaswani et al. "Attention Is All You Need." NeurIPS (2017). [pdf](https://arxiv.org/abs/1706.03762)\n'
    e = only_entry(parse(md))
    assert e.title is not None and e.title.text == "Attention Is All You Need"
    assert e.venue is not None and e.venue.text == "NeurIPS 2017"
    assert [p.text for p in e.venue.parts] == ["NeurIPS", "2017"]
    assert all(written(md, p) == p.text for p in e.venue.parts)


def test_paragraph_entries_with_the_title_in_quotes_after_the_authors() -> None:
    md = (
        'A. Vaswani, N. Shazeer et al. "Attention Is All You Need." Neurips (2017).'
        " [pdf](https://arxiv.org/abs/1706.03762)\n"
        "\n"
        'K. He et al. "Deep Residual Learning for Image Recognition." CVPR 2016.'
        " [pdf](https://arxiv.org/abs/1512.03385)\n"
        "\n"
        # a quote in a sentence is no entry: the paragraph is about the list
        'The organization refers to our survey [**"A Survey of Large Language Models"**]'
        "(https://arxiv.org/abs/2303.18223).\n"
    )
    first, second = parse(md).entries
    assert first.title is not None and first.title.text == "Attention Is All You Need"
    assert first.venue is not None and first.venue.text == "Neurips 2017"
    assert second.line == 3 and second.venue is not None and second.venue.text == "CVPR 2016"


def test_month_and_year_then_venue_in_parentheses() -> None:
    md = (
        "- [Chain-of-Thought Prompting Elicits Reasoning in Large Language Models]"
        "(https://arxiv.org/abs/2201.11903) (Jan., 2022 | NeurIPS)\n"
    )
    e = only_entry(parse(md))
    assert e.venue is not None and e.venue.text == "NeurIPS 2022"
    # the name comes first in the venue's text, wherever it stands in the line
    (name, year) = e.venue.parts
    assert (name.text, year.text) == ("NeurIPS", "2022")
    assert year.column < name.column
    assert (e.venue.line, e.venue.column) == (name.line, name.column)


def test_year_venue_prefix_before_the_title() -> None:
    md = (
        "+ 2017-ICML - WGAN - Wasserstein GAN. [[Paper]](https://arxiv.org/abs/1701.07875)"
        "[[Code]](https://github.com/wiseodd/generative-models)\n"
    )
    e = only_entry(parse(md))
    assert e.title is not None and e.title.text == "Wasserstein GAN"
    assert e.venue is not None and e.venue.text == "ICML 2017"
    assert parts(e.venue) == [("ICML", 1, 8), ("2017", 1, 3)]


def test_a_name_that_may_be_a_person_is_no_venue_apart_from_its_year() -> None:
    # `Chi` (CHI) and `Acl` (ACL) in an author list are people; in capitals they are venues
    e = only_entry(
        parse(
            '- "A Paper About Something Useful", Zhang Chi, 2021. [x](https://arxiv.org/abs/2101.00001)\n'
        )
    )
    assert e.venue is None
    e = only_entry(
        parse(
            '- "A Paper About Something Useful", CHI, 2021. [x](https://arxiv.org/abs/2101.00001)\n'
        )
    )
    assert e.venue is not None and e.venue.text == "CHI 2021"


def test_a_workshop_beside_a_venue_apart_from_its_year_is_not_read_as_the_conference() -> None:
    for text in ("Workshop on Robustness at ICML, 2021", "ICML, 2021 Workshop"):
        md = f'- "A Paper About Something Useful", {text}. [x](https://arxiv.org/abs/2101.00001)\n'
        assert only_entry(parse(md)).venue is None, text


# ---------------------------------------------------------------------------------------------
# Tags


def test_bold_venue_tag_is_the_venue_and_the_plain_text_before_it_the_title() -> None:
    md = (
        "- Few-Shot Object Detection With Attention-RPN and Multi-Relation Detector |"
        " **[CVPR' 20]** |[`[pdf]`](https://arxiv.org/pdf/1908.01998.pdf)"
        " [`[official code - pytorch]`](https://github.com/fanq15/FewX)\n"
    )
    e = only_entry(parse(md))
    assert e.title is not None
    assert (
        e.title.text == "Few-Shot Object Detection With Attention-RPN and Multi-Relation Detector"
    )
    assert (e.title.line, e.title.column) == (1, 3)
    assert e.venue is not None and e.venue.text == "CVPR' 20"
    assert written(md, e.venue) == "CVPR' 20"


def test_bold_tags_are_never_titles() -> None:
    """Today's bug: `**[ICCV' 17]**` or `**[Mask R-CNN]**` was the entry's title, which online
    is a false title-mismatch error."""
    md = (
        "- **[Mask R-CNN]** Mask R-CNN | Kaiming He, et al. | **[ICCV' 17]** |"
        "[`[pdf]`](https://arxiv.org/pdf/1703.06870.pdf) [`[official code - caffe2]`]"
        "(https://github.com/facebookresearch/Detectron)\n"
        "- (**GC**) Fast Video Object Segmentation using the Global Context Module | "
        "**[CVPR' 20]** |[`[pdf]`](https://arxiv.org/pdf/2001.11243v2.pdf)\n"
        "- **[ICCV' 21]** A Paper Whose Tag Comes First [pdf](https://arxiv.org/abs/2101.00001)\n"
    )
    first, second, third = parse(md).entries
    assert first.title is not None and first.title.text == "Mask R-CNN"
    assert first.venue is not None and first.venue.text == "ICCV' 17"
    assert second.title is not None
    assert second.title.text == "Fast Video Object Segmentation using the Global Context Module"
    assert third.title is not None and third.title.text == "A Paper Whose Tag Comes First"
    assert third.venue is not None and third.venue.text == "ICCV' 21"


def test_venue_tag_inside_the_bold_title() -> None:
    md = (
        "- **[3DV' 25] 3D Reconstruction with Spatial Memory**, Wang and Agapito, arXiv 2024 |"
        " [Paper](https://arxiv.org/abs/2408.16061)\n"
    )
    e = only_entry(parse(md))
    assert e.title is not None and e.title.text == "3D Reconstruction with Spatial Memory"
    assert e.venue is not None and e.venue.text == "3DV' 25"
    assert (e.venue.line, e.venue.column) == (1, 6)


def test_bracket_tag_after_the_title() -> None:
    e = only_entry(
        parse("- [Deep Residual Learning](https://arxiv.org/abs/1512.03385) [CVPR 2016]\n")
    )
    assert e.venue is not None and e.venue.text == "CVPR 2016"


def test_a_venue_alone_in_bold_is_not_a_title() -> None:
    e = only_entry(
        parse("- **CVPR 2019** [Some Paper Title Here](https://arxiv.org/abs/1901.00001)\n")
    )
    assert e.title is not None and e.title.text == "Some Paper Title Here"


# ---------------------------------------------------------------------------------------------
# Venue and Year columns


def test_venue_and_year_columns_are_one_venue() -> None:
    md = (
        "| Title | Venue | Year | Code |\n"
        "|---|---|---|---|\n"
        "| [Learning to Prompt for Continual Learning](https://arxiv.org/abs/2112.08654) | CVPR  |"
        " 2022 | [Official](https://github.com/google-research/l2p) |\n"
    )
    e = only_entry(parse(md))
    assert e.venue is not None and e.venue.text == "CVPR 2022"
    row = md.splitlines()[2]
    assert parts(e.venue) == [
        ("CVPR", 3, row.index("CVPR") + 1),
        ("2022", 3, row.index("2022") + 1),
    ]
    assert e.has_venue_slot


def test_a_venue_cell_with_its_own_year_or_a_label_is_read_as_it_is() -> None:
    md = (
        "| Title | Venue | Year |\n|---|---|---|\n"
        "| [A First Paper Title](https://arxiv.org/abs/2101.00001) | ICLR 2021 | 2021 |\n"
        "| [A Second Paper Title](https://arxiv.org/abs/2101.00002) | ICLR Workshop | 2021 |\n"
        "| [A Third Paper Title](https://arxiv.org/abs/2101.00003) | ICLR | 2021.05 |\n"
        "| [A Fourth Paper Title](https://arxiv.org/abs/2101.00004) |  | 2021 |\n"
    )
    first, second, third, fourth = parse(md).entries
    assert first.venue is not None and (first.venue.text, first.venue.parts) == ("ICLR 2021", ())
    assert second.venue is not None and second.venue.text == "ICLR Workshop"
    assert third.venue is not None and third.venue.text == "ICLR"
    assert fourth.venue is None and fourth.has_venue_slot


def test_a_fix_to_a_joined_venue_edits_the_one_part_it_changes() -> None:
    venue = Field("Neurips 2020", 3, 10, (Field("Neurips", 3, 10), Field("2020", 3, 20)))
    assert venue.edit(0, "Neurips 2020", "NeurIPS 2020") == Fix(3, "Neurips", "NeurIPS", 10)
    assert venue.edit(0, "Neurips 2020", "Neurips 2021") == Fix(3, "2020", "2021", 20)
    unsafe = venue.edit(0, "Neurips 2020", "ICML 2020", Applicability.UNSAFE)
    assert unsafe == Fix(3, "Neurips", "ICML", 10, Applicability.UNSAFE)
    # no one edit turns both parts into another venue and year
    assert venue.edit(0, "Neurips 2020", "ICML 2021") is None
    # a field read in one place is edited where it stands, as before
    assert Field("ICLR'22", 4, 7).edit(0, "ICLR'22", "ICLR 2022") == Fix(
        4, "ICLR'22", "ICLR 2022", 7
    )


# ---------------------------------------------------------------------------------------------
# HTML tables


def test_html_table_title_and_venue_columns_are_read_as_in_markdown() -> None:
    md = (
        "<table>\n"
        "<thead>\n"
        "<tr><th>Title</th><th>Venue</th><th>Year</th><th>Code</th></tr>\n"
        "</thead>\n"
        "<tr>\n"
        '<td><a href="https://arxiv.org/abs/1706.03762">Attention Is All You Need</a></td>\n'
        "<td>Neurips</td>\n"
        "<td>2017</td>\n"
        '<td><a href="https://github.com/tensorflow/tensor2tensor">code</a></td>\n'
        "</tr>\n"
        "<tr><td><strong>Deep Residual Learning for Image Recognition</strong> "
        '<a href="https://arxiv.org/abs/1512.03385">pdf</a></td><td>CVPR 2016</td><td></td>'
        "<td></td></tr>\n"
        "</table>\n"
    )
    first, second = parse(md).entries
    assert first.title is not None and first.title.text == "Attention Is All You Need"
    assert (first.title.line, first.title.column) == (6, md.splitlines()[5].index("Attention") + 1)
    assert first.venue is not None and first.venue.text == "Neurips 2017"
    assert parts(first.venue) == [("Neurips", 7, 5), ("2017", 8, 5)]
    assert first.has_venue_slot and first.is_row
    assert second.title is not None
    assert second.title.text == "Deep Residual Learning for Image Recognition"
    assert second.venue is not None and second.venue.text == "CVPR 2016"
    assert written(md, second.venue) == "CVPR 2016"


def test_html_rowspans_and_colspans_keep_the_columns_in_place() -> None:
    md = (
        "<table>\n"
        "<tr><th>Category</th><th>Paper</th><th>Conference</th></tr>\n"
        '<tr><th rowspan="2">Vision</th>'
        '<td><a href="https://arxiv.org/abs/2010.11929">An Image is Worth 16x16 Words</a></td>'
        "<td>ICLR 2021</td></tr>\n"
        '<tr><td><a href="https://arxiv.org/abs/2103.14030">Swin Transformer: Hierarchical'
        " Vision Transformer</a></td><td>ICCV 2021</td></tr>\n"
        '<tr><td colspan="2"><a href="https://arxiv.org/abs/1706.03762">Attention Is All You'
        " Need</a></td><td>NIPS 2017</td></tr>\n"
        "</table>\n"
    )
    first, second, third = parse(md).entries
    assert first.title is not None and first.title.text == "An Image is Worth 16x16 Words"
    assert first.venue is not None and first.venue.text == "ICLR 2021"
    assert second.title is not None
    assert second.title.text == "Swin Transformer: Hierarchical Vision Transformer"
    assert second.venue is not None and second.venue.text == "ICCV 2021"
    # a cell spanning the first two columns: the Paper column is inside it, not read from it
    assert third.venue is not None and third.venue.text == "NIPS 2017"


def test_html_table_without_a_header_row_reads_no_columns() -> None:
    md = (
        "<table>\n"
        '<tr><td><a href="https://arxiv.org/abs/1706.03762">Attention Is All You Need</a></td>'
        "<td>NeurIPS 2017</td></tr>\n"
        "</table>\n"
    )
    e = only_entry(parse(md))
    assert (e.title, e.venue, e.has_venue_slot) == (None, None, False)


# ---------------------------------------------------------------------------------------------
# Real lists of these layouts (tests/data/forms, each with its origin in a comment)


def test_real_list_year_venue_prefix() -> None:
    entries = read("gan_training.md")
    got = [(e.title.text if e.title else None, e.venue.text if e.venue else None) for e in entries]
    assert got == [
        ("Generative Adversarial Networks", "NIPS 2014"),
        ("Least Squares Generative Adversarial Networks", "ICCV 2017"),
        ("Wasserstein GAN", "ICML 2017"),
        ("Improved Training of Wasserstein GANs", "NIPS 2017"),
        ("The relativistic discriminator: a key element missing from standard gan", "ICLR 2019"),
        ("Image-to-Image Translation with Conditional Adversarial Nets", "CVPR 2017"),
        ("Spectral Normalization for Generative Adversarial Networks", "ICLR 2018"),
        ("Progressive Growing of GANs for Improved Quality, Stability, and Variation", "ICLR 2018"),
    ]


def test_real_list_abbreviation_quoted_title_venue_year() -> None:
    entries = read("transformer_attention.md")
    assert len(entries) == 11
    venues = [e.venue.text if e.venue else None for e in entries]
    assert venues == [
        "ICML 2020", "ICCV 2021", "ICCV 2021", "NeurIPS 2021", None, None,  # `arXiv, 2021`
        "WACV 2022", "ICLR 2022", "CVPR 2022", "ICCV 2021", "BMVC 2021",
    ]  # fmt: skip
    assert all(e.title is not None and e.title.text[0].isupper() for e in entries)
    assert [e.name.text for e in entries if e.name][:3] == ["iGPT", "MoCo-V3", "DINO"]


def test_real_list_bold_tags() -> None:
    entries = read("object_detection.md")
    titles = [e.title.text if e.title else None for e in entries]
    assert titles == [
        "Mask R-CNN",
        "DSOD: Learning Deeply Supervised Object Detectors from Scratch",
        "YOLOv3: An Incremental Improvement",
        "Zoom Out-and-In Network with Recursive Training for Object Proposal",
        "An Analysis of Scale Invariance in Object Detection – SNIP",
        "Relation Networks for Object Detection",
        "Cross-Domain Weakly-Supervised Object Detection through Progressive Domain Adaptation",
        "ShapeShifter: Robust Physical Adversarial Attack on Faster R-CNN Object Detector",
        "Pelee: A Real-Time Object Detection System on Mobile Devices",
        "M2Det: A Single-Shot Object Detector based on Multi-Level Feature Pyramid Network",
    ]
    venues = [e.venue.text if e.venue else None for e in entries]
    # `arXiv' 18`, `IJCV' 18` and `ECML-PKDD' 18` are no venues of the table: left alone
    assert venues == [
        "ICCV' 17", "ICCV' 17", None, None, "CVPR' 18", "CVPR' 18", "CVPR' 18", None,
        "NIPS' 18", "AAAI' 19",
    ]  # fmt: skip


def test_real_list_venue_and_year_columns() -> None:
    entries = read("class_incremental.md")
    venues = [e.venue.text if e.venue else None for e in entries]
    assert venues == [
        "TPAMI 2024", "IJCAI 2024", None, "CVPR 2024", "CVPR 2024", "CVPR 2023", "ECCV 2022",
        "CVPR 2022", "ECCV 2022", "CVPR 2021", "CVPR 2017",
    ]  # fmt: skip
    assert all(len(e.venue.parts) == 2 for e in entries if e.venue)
