"""Issue 15.2 and 15.3 online, against the loopback fakes: titles read in the new layouts are the
ones checked against arXiv (a venue tag is never one: no false title-mismatch), and a venue read
from two places is fixed where it is written, or not at all when no one edit makes the fix."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fakes import FakeServices, Paper, Venue, corr_hit, track_hit

TITLES = ("--select", "title-mismatch")


def by_line(run: Any) -> dict[int, dict[str, Any]]:
    return {f["line"]: f for f in run.findings}


def test_titles_of_tagged_cjk_html_and_heading_entries_are_checked(
    fake: FakeServices, paperlint: Any, tmp_path: Path
) -> None:
    fake.world.add(
        Paper("1703.06870", "Mask R-CNN"),
        Paper("1708.01241", "DSOD: Learning Deeply Supervised Object Detectors from Scratch"),
        Paper("1711.11575", "Relation Networks for Object Detection"),
        Paper("2207.07889", "You Should Look at All Objects"),
        Paper("2207.06202", "Adversarially-Aware Robust Object Detector"),
        Paper("1706.03762", "Attention Is All You Need"),
        Paper("1512.03385", "Deep Residual Learning for Image Recognition"),
        Paper("2112.08654", "Learning to Prompt for Continual Learning"),
    )
    path = tmp_path / "list.md"
    path.write_text(
        "## Detection\n"
        "\n"
        # 3-5: bold tags before and after the title; today `[ICCV' 17]` and `[Mask R-CNN]` were
        # read as titles, another paper's for arXiv: an error on a right entry
        "- **[Mask R-CNN]** Mask R-CNN | Kaiming He, et al. | **[ICCV' 17]** |"
        "[`[pdf]`](https://arxiv.org/pdf/1703.06870.pdf)\n"
        "- **[DSOD]** DSOD: Learning Deeply Supervised Object Detectors from Scratch |"
        " Zhiqiang Shen, et al. | **[ICCV' 17]** |[`[pdf]`](https://arxiv.org/pdf/1708.01241.pdf)\n"
        "- Relation Networks for Object Detectoin | Han Hu, et al. | **[CVPR' 18]** |"
        "[`[pdf]`](https://arxiv.org/pdf/1711.11575.pdf)\n"
        "\n"
        # 7-10: numbered titles with a translation, over lines of links
        "[2] You Should Look at All Objects (您应该查看所有物体)<br>\n"
        "[paper](https://arxiv.org/abs/2207.07889) | [code](https://github.com/a/yslao)<br><br>\n"
        "[1] Adversarially-Aware Robust Object Detectr (对抗性感知鲁棒目标检测器)(**Oral**))<br>\n"
        "[paper](https://arxiv.org/abs/2207.06202) | [code](https://github.com/a/robustdet)<br>\n"
        "\n"
        # 12-16: an HTML table with a title column
        "<table>\n"
        "<tr><th>Title</th><th>Venue</th></tr>\n"
        '<tr><td><a href="https://arxiv.org/abs/1706.03762">Attention Is All You Need</a></td>'
        "<td>NeurIPS 2017</td></tr>\n"
        '<tr><td><a href="https://arxiv.org/abs/1512.03385">Densely Connected Convolutional'
        " Networks</a></td><td>CVPR 2016</td></tr>\n"
        "</table>\n"
        "\n"
        # 18-20: a heading that is one link, with notes
        "### [Learning to Prompt for Continual Learnin](https://arxiv.org/abs/2112.08654)\n"
        "\n"
        "Prompts as memory.\n",
        encoding="utf-8",
    )
    run = paperlint(str(path), "--no-cache", *TITLES)

    found = by_line(run)
    assert sorted(found) == [5, 9, 15, 18]
    # a typo in a plain-text title before the tags: a warning, fixed where it is written
    assert found[5]["severity"] == "warning"
    assert (found[5]["fix"]["old"], found[5]["fix"]["new"]) == ("Detectoin", "Detection")
    # the CJK title, its translation and label left out: a typo, not another paper
    assert found[9]["severity"] == "warning"
    assert (found[9]["fix"]["old"], found[9]["fix"]["new"]) == ("Detectr", "Detector")
    # the HTML row's title names another paper
    assert found[15]["severity"] == "error"
    assert "'Deep Residual Learning for Image Recognition'" in found[15]["message"]
    assert found[18]["severity"] == "warning"
    assert found[18]["fix"]["new"] == "Learning"
    assert run.code == 1

    paperlint(str(path), "--no-cache", *TITLES, "--fix")
    text = path.read_text(encoding="utf-8")
    assert "Relation Networks for Object Detection |" in text
    assert "[1] Adversarially-Aware Robust Object Detector (对抗性" in text
    assert "### [Learning to Prompt for Continual Learning](" in text


def published(
    fake: FakeServices, arxiv_id: str, title: str, venue: str, year: int, s2_venue: str
) -> None:
    """A paper Semantic Scholar and DBLP both place at `venue` `year`."""
    paper = Paper(arxiv_id, title, published=f"20{arxiv_id[:2]}-{arxiv_id[2:4]}-15")
    records = [
        track_hit(title, venue, "main", year, authors=paper.authors),
        corr_hit(arxiv_id, title, paper.authors),
    ]
    fake.world.add(paper, Venue(arxiv_id, s2_venue=s2_venue, publication_venue=venue, dblp=records))


def test_a_venue_read_from_two_places_is_fixed_in_the_one_it_gets_wrong(
    fake: FakeServices, paperlint: Any, tmp_path: Path
) -> None:
    neurips = "Neural Information Processing Systems"
    published(fake, "2305.00101", "A Paper Listed Under the Wrong Venue", "NeurIPS", 2023, neurips)
    published(fake, "2305.00102", "A Paper Listed Under Another Venue and Year", "NeurIPS", 2023,
              neurips)  # fmt: skip
    path = tmp_path / "venues.md"
    path.write_text(
        "| Title | Venue | Year |\n"
        "|---|---|---|\n"
        "| [A Paper Listed Under the Wrong Venue](https://arxiv.org/abs/2305.00101) | ICLR |"
        " 2023 |\n"
        "| [A Paper Listed Under Another Venue and Year](https://arxiv.org/abs/2305.00102) |"
        " ICLR | 2024 |\n",
        encoding="utf-8",
    )
    select = ("--select", "venue-mismatch,venue-missing,service-unavailable")
    run = paperlint(str(path), "--no-cache", *select)

    found = by_line(run)
    assert sorted(found) == [3, 4]
    assert found[3]["message"] == (
        "listed as 'ICLR 2023', but arXiv 2305.00101 was published in NeurIPS 2023 (DBLP)"
    )
    # the venue's name is one cell: its fix edits that cell, the year's stays as it is
    fix = found[3]["fix"]
    assert (fix["old"], fix["new"], fix["applicability"]) == ("ICLR", "NeurIPS", "unsafe")
    assert fix["column"] == path.read_text(encoding="utf-8").splitlines()[2].index("ICLR") + 1
    # another venue and another year are two cells: no one edit fixes them, none is offered
    assert "listed as 'ICLR 2024'" in found[4]["message"]
    assert found[4].get("fix") is None

    paperlint(str(path), "--no-cache", *select, "--fix", "--unsafe-fixes")
    rows = path.read_text(encoding="utf-8").splitlines()
    assert rows[2].endswith("| NeurIPS | 2023 |")
    assert rows[3].endswith("| ICLR | 2024 |")
