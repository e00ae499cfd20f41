"""Issue 15.2-15.4 and 15.8 through the command, offline: each form's title and venue show up in
the findings (venue-format, venue-year, duplicate-entry), and the table shapes in table-shape."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from checker.cli import main

FORMS = Path(__file__).parent / "data" / "forms"


@pytest.fixture(autouse=True)
def _plain_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


def check(capsys: pytest.CaptureFixture[str], path: Path, *args: str) -> tuple[int, Any]:
    code = main(["check", "--offline", "--format", "json", *args, str(path)])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, json.loads(out) if out.strip().startswith("{") else out


def found(report: Any) -> dict[tuple[str, int], dict[str, Any]]:
    return {(f["rule"], f["line"]): f for f in report["findings"]}


def write(tmp_path: Path, text: str, name: str = "list.md") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------------------------------------
# 15.2: venues wherever a list writes them

VENUES_IN_TEXT = (
    "# Papers\n"
    "\n"
    '* **Linformer**: "Linformer: Self-Attention with Linear Complexity", Neurips, 2020'
    " (*Meta*). [[Paper](https://arxiv.org/abs/2006.04768)]\n"
    "+ 2015-ICML - WGAN - Wasserstein GAN. [[Paper]](https://arxiv.org/abs/1701.07875)\n"
    "- Few-Shot Object Detection With Attention-RPN | **[CVPR' 20]** |"
    "[`[pdf]`](https://arxiv.org/pdf/1908.01998.pdf)\n"
    '1. A. Vaswani et al. "Attention Is All You Need." NeurIPS (2015).'
    " [pdf](https://arxiv.org/abs/1706.03762)\n"
    "- [Chain-of-Thought Prompting Elicits Reasoning in Large Language Models]"
    "(https://arxiv.org/abs/2201.11903) (Jan., 2020 | NeurIPS)\n"
)


def test_venues_written_in_text_are_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, VENUES_IN_TEXT)
    code, report = check(capsys, path)
    lines = VENUES_IN_TEXT.splitlines()
    got = found(report)
    assert set(got) == {
        ("venue-format", 3),
        ("venue-year", 4),
        ("venue-format", 5),
        ("venue-year", 6),
        ("venue-year", 7),
    }
    neurips = got[("venue-format", 3)]
    assert neurips["message"] == "venue 'Neurips 2020' is not written canonically: 'NeurIPS 2020'"
    # the fix edits the name where it stands; the year after the comma stays as written
    at = lines[2].index("Neurips") + 1
    assert neurips["column"] == at
    assert (neurips["fix"]["old"], neurips["fix"]["new"], neurips["fix"]["column"]) == (
        "Neurips",
        "NeurIPS",
        at,
    )
    # the year written before the name: the finding stands on the name
    assert got[("venue-year", 4)]["column"] == lines[3].index("ICML") + 1
    assert got[("venue-year", 4)]["message"].startswith("venue year 2015 is earlier than arXiv")
    assert got[("venue-format", 5)]["fix"]["new"] == "CVPR 2020"
    assert got[("venue-year", 7)]["column"] == lines[6].index("NeurIPS)") + 1
    assert code == 0  # warnings only

    code = main(["check", "--offline", "--fix", str(path)])
    capsys.readouterr()
    text = path.read_text(encoding="utf-8")
    assert '"Linformer: Self-Attention with Linear Complexity", NeurIPS, 2020' in text
    assert "**[CVPR 2020]**" in text


def test_paragraph_entries_get_venue_checks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (
        'A. Vaswani, N. Shazeer et al. "Attention Is All You Need." Neurips (2017).'
        " [pdf](https://arxiv.org/abs/1706.03762)\n"
    )
    _, report = check(capsys, write(tmp_path, text))
    (fmt,) = report["findings"]
    assert (fmt["rule"], fmt["line"], fmt["column"]) == (
        "venue-format",
        1,
        text.index("Neurips") + 1,
    )
    assert (fmt["fix"]["old"], fmt["fix"]["new"]) == ("Neurips", "NeurIPS")


VENUE_AND_YEAR = (
    "| Title | Venue | Year | Code |\n"
    "| ----- | ----- | ---- | ---- |\n"
    "| [InfLoRA: Interference-Free Low-Rank Adaptation for Continual Learning]"
    "(http://arxiv.org/abs/2404.00228) | Cvpr  | 2024 | [Official](https://github.com/a/b) |\n"
    "| [Learning to Prompt for Continual Learning](https://arxiv.org/abs/2112.08654) | CVPR |"
    " 2019 | [Official](https://github.com/google-research/l2p) |\n"
)


def test_venue_and_year_columns_are_checked_as_one_venue(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, VENUE_AND_YEAR)
    _, report = check(capsys, path)
    got = found(report)
    assert set(got) == {("venue-format", 3), ("venue-year", 4)}
    fmt = got[("venue-format", 3)]
    assert fmt["message"] == "venue 'Cvpr 2024' is not written canonically: 'CVPR 2024'"
    assert (fmt["fix"]["old"], fmt["fix"]["new"]) == ("Cvpr", "CVPR")
    year = got[("venue-year", 4)]
    assert year["message"].startswith("venue year 2019 is earlier than arXiv 2112.08654")
    assert year["column"] == VENUE_AND_YEAR.splitlines()[3].index("CVPR") + 1

    main(["check", "--offline", "--fix", str(path)])
    capsys.readouterr()
    assert "| CVPR  | 2024 |" in path.read_text(encoding="utf-8")


HTML_TABLE = (
    "<table>\n"
    "<tr><th>Title</th><th>Venue</th><th>Year</th></tr>\n"
    "<tr>\n"
    '  <td><a href="https://arxiv.org/abs/1706.03762">Attention Is All You Need</a></td>\n'
    "  <td>Neurips</td>\n"
    "  <td>2017</td>\n"
    "</tr>\n"
    "<tr>\n"
    '  <td><a href="https://arxiv.org/abs/2106.09685">LoRA: Low-Rank Adaptation</a></td>\n'
    "  <td>ICLR 2019</td>\n"
    "  <td></td>\n"
    "</tr>\n"
    "</table>\n"
)


def test_html_table_rows_get_venue_checks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, HTML_TABLE)
    _, report = check(capsys, path)
    got = found(report)
    assert set(got) == {("venue-format", 5), ("venue-year", 10)}
    assert got[("venue-format", 5)]["fix"] == {
        "line": 5,
        "old": "Neurips",
        "new": "NeurIPS",
        "column": 7,
        "applicability": "safe",
    }
    main(["check", "--offline", "--fix", str(path)])
    capsys.readouterr()
    assert "  <td>NeurIPS</td>\n  <td>2017</td>" in path.read_text(encoding="utf-8")


def test_real_lists_of_these_layouts_give_their_findings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The five real lists: bold tags written `ICCV' 17` are read (and, like `ACL'23` today,
    not canonical); the other four have no venue written wrong."""
    for name, expected in (
        ("object_detection.md", {6, 8, 16, 18, 20, 24, 27}),
        ("gan_training.md", set()),
        ("transformer_attention.md", set()),
        ("class_incremental.md", set()),
        ("eccv2022_cjk.md", set()),
    ):
        _, report = check(capsys, FORMS / name)
        assert {line for rule, line in found(report) if rule == "venue-format"} == expected, name
        assert all(f["severity"] != "error" for f in report["findings"]), name
    _, report = check(capsys, FORMS / "object_detection.md")
    pelee = found(report)[("venue-format", 24)]
    assert pelee["message"] == "venue 'NIPS' 18' is not written canonically: 'NeurIPS 2018'"


# ---------------------------------------------------------------------------------------------
# 15.3: entries in line-break layouts


def test_line_break_layouts_are_one_entry_per_paper(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (
        "### 图像复原(Image Restoration)\n"
        "\n"
        "[9] Unsupervised Night Image Enhancement: When Layer Decomposition Meets Light-Effects"
        " Suppression (无监督夜间图像增强)<br>\n"
        "[paper](https://arxiv.org/abs/2207.10564) | [code](https://github.com/jinyeying/night-enhancement)<br><br>\n"
        "[8] Bringing Rolling Shutter Images Alive with Dual Reversed Distortion (**Oral**)<br>\n"
        "[paper](https://arxiv.org/abs/2203.06451) | [code](https://github.com/zzh-tech/dual-reversed-rs)<br><br>\n"
        "[7] Unsupervised Night Image Enhancement: When Layer Decomposition Meets Light-Effects"
        " Suppression (无监督夜间图像增强)<br>\n"
        "[paper](https://arxiv.org/abs/2207.10564) | [code](https://github.com/jinyeying/night-enhancement)<br><br>\n"
        "\n"
        "## Notes\n"
        "\n"
        "### [Learning to Prompt for Continual Learning](https://arxiv.org/abs/2112.08654)"
        " (CVPR 2019)\n"
        "\n"
        "Prompts as memory.\n"
    )
    path = write(tmp_path, text)
    _, report = check(capsys, path)
    assert report["summary"]["entries"] == 4
    got = found(report)
    assert set(got) == {("duplicate-entry", 8), ("venue-year", 12)}
    # one paragraph of three papers: the third repeats the first, in the same section
    assert got[("duplicate-entry", 8)]["severity"] == "warning"
    assert "already listed at line 3 in the same section" in got[("duplicate-entry", 8)]["message"]


def test_a_real_cjk_list_is_read_paper_by_paper(capsys: pytest.CaptureFixture[str]) -> None:
    _, report = check(capsys, FORMS / "eccv2022_cjk.md")
    assert report["summary"]["entries"] == 8
    assert report["summary"]["arxiv_ids"] == 8


# ---------------------------------------------------------------------------------------------
# 15.4 and 15.8: table shapes


def test_a_row_split_before_a_pipe_is_a_table_shape_error_whose_fix_joins_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (
        "| Title | Venue | Paper | Code |\n"
        "|---|---|---|---|\n"
        "| Attention Is All You Need | NeurIPS 2017 |"
        " [1706.03762](https://arxiv.org/abs/1706.03762) | |\n"
        "| LoRA: Low-Rank Adaptation of Large Language Models\n"
        "| | [2106.09685](https://arxiv.org/abs/2106.09685) | |\n"
    )
    path = write(tmp_path, text)
    code, report = check(capsys, path)
    (shape,) = report["findings"]
    assert (shape["rule"], shape["severity"], shape["line"]) == ("table-shape", "error", 4)
    assert shape["message"].startswith("table row is split across lines 4-5")
    assert code == 1
    main(["check", "--offline", "--fix", str(path)])
    capsys.readouterr()
    fixed = path.read_text(encoding="utf-8").splitlines()
    assert fixed[3] == (
        "| LoRA: Low-Rank Adaptation of Large Language Models | | "
        "[2106.09685](https://arxiv.org/abs/2106.09685) | |"
    )
    assert len(fixed) == 4
    assert check(capsys, path)[0] == 0


def test_a_row_with_shifted_cells_is_a_table_shape_warning_naming_the_columns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = ["| Title | Venue | Year | Paper | Code |", "|---|---|---|---|---|"]
    lines += [
        f"| Paper {i} | ICLR | 2023 | [arXiv](https://arxiv.org/abs/2301.{i:05d}) |"
        f" [code](https://github.com/a/b{i}) |"
        for i in range(12)
    ]
    lines.append(
        "| A Shifted Paper CVPR | 2019 | [arXiv](https://arxiv.org/abs/1901.01234) |"
        " [code](https://github.com/a/c) |"
    )
    path = write(tmp_path, "\n".join(lines) + "\n")
    _, report = check(capsys, path)
    (shape,) = report["findings"]
    assert (shape["rule"], shape["severity"], shape["line"]) == ("table-shape", "warning", 15)
    assert shape["message"] == (
        "table row has 4 cells but the header has 5, and its cells stand one column left of "
        "their own (a year under 'Venue', an arXiv link under 'Year', a GitHub link under "
        "'Paper'): a `|` is missing"
    )
    assert "fix" not in shape or shape["fix"] is None


def test_the_shifted_cells_check_is_silent_on_the_corpus_tables(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """BradyFU line 588 is one cell short of five: GitHub pads it, and nothing in it moved."""
    corpus = Path(__file__).parent / "data" / "corpus"
    name = "BradyFU__Awesome-Multimodal-Large-Language-Models__README.md"
    shutil.copyfile(corpus / name, tmp_path / name)
    _, report = check(capsys, tmp_path / name, "--select", "table-shape")
    assert [(f["line"], f["severity"]) for f in report["findings"]] == [(710, "error")]
