"""duplicate-entry: the same listing twice in one group is a duplicate (warning); one ID under
clearly different titles is a wrong ID (warning); one paper listed for several models or
benchmarks is deliberate (info); the same paper under the same title in two sections is
cross-listing (nothing)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from checker.model import Document, Entry, Field, Finding, Link, LinkKind
from checker.parse import parse_text
from checker.rules.structure import _THEMATIC_BREAK, _Rules, duplicate_entry


def duplicates(md: str) -> list[tuple[str, int]]:
    return [(f.severity.value, f.line) for f in duplicate_entry(parse_text("t.md", md))]


def findings(md: str) -> list[Finding]:
    return list(duplicate_entry(parse_text("t.md", md)))


def test_duplicates_through_the_command(paperlint: Any, tmp_path: Path) -> None:
    """Issue 15.9/15.10 as a maintainer meets them: the wrong ID and the repeated row are
    warnings the text output lists; one paper for two models is an info it only counts; the
    paper cross-listed under its own title in another section is not reported at all."""
    lora = "https://arxiv.org/abs/2106.09685"
    path = tmp_path / "list.md"
    path.write_text(
        "# Models\n\n"
        "| Model | Paper |\n|---|---|\n"
        "| BLOOMZ | [p](https://arxiv.org/abs/2211.01786) |\n"
        "| mT0 | [p](https://arxiv.org/abs/2211.01786) |\n"
        "\n# Adapters\n\n"
        "| Title | Venue | Paper |\n|---|---|---|\n"
        f"| LoRA: Low-Rank Adaptation of Large Language Models | ICLR 2022 | [arXiv]({lora}) |\n"
        f"| LoRA - low rank adaptation of large language models | ICLR 2022 | [arXiv]({lora}v2) |\n"
        "\n# Fine-tuning\n\n"
        f"- [LoRA: Low-Rank Adaptation of Large Language Models]({lora})\n"
        "- [Direct Preference Optimization: Your Language Model is Secretly a Reward Model]"
        f"({lora})\n",
        encoding="utf-8",
    )
    run = paperlint(str(path), "--offline", "--no-cache")
    assert [(f["line"], f["severity"]) for f in run.findings] == [
        (6, "info"),
        (13, "warning"),
        (18, "warning"),
    ]
    assert run.findings[1]["message"] == (
        "arXiv 2106.09685 is already listed at line 12 in the same section"
    )
    assert run.findings[2]["message"] == (
        "arXiv 2106.09685 is also listed at line 12 as 'LoRA: Low-Rank Adaptation of Large "
        "Language Models'; one of them carries a wrong ID"
    )
    text = paperlint(str(path), "--offline", "--no-cache", fmt="text").out
    listed = [line.split()[1:3] for line in text.splitlines() if line.startswith(str(path))]
    assert listed == [["warning", "duplicate-entry"], ["warning", "duplicate-entry"]]
    assert "1 info not shown (--show-infos shows them)" in text


def test_near_same_titles_in_one_section_are_a_duplicate() -> None:
    # metame-ai lines 581/706: "LayerSkip:" and "Layer Skip:", other versions, other citations
    md = (
        "- **LayerSkip: Enabling Early Exit Inference and Self-Speculative Decoding**, "
        "[arxiv](http://arxiv.org/abs/2404.16710v3), cication: [**25**](https://scholar.google.com/x)\n"
        "- **Layer Skip: Enabling Early Exit Inference and Self-Speculative Decoding**, "
        "[arxiv](http://arxiv.org/abs/2404.16710v1), cication: [**-1**](None)\n"
    )
    assert duplicates(md) == [("warning", 2)]


def test_clearly_different_titles_are_a_warning_naming_the_other() -> None:
    # codefuse-ai lines 2458/2460: CodePlan carries RepoFusion's ID (a wrong ID)
    md = (
        '- "RepoFusion: Training Code Models to Understand Your Repository" [2023-06] '
        "[[paper](https://arxiv.org/abs/2306.10998)]\n"
        '- "CodePlan: Repository-level Coding using LLMs and Planning" [2023-09] '
        "[[paper](https://arxiv.org/abs/2306.10998)]\n"
    )
    (f,) = findings(md)
    assert (f.severity.value, f.line) == ("warning", 2)
    assert f.message == (
        "arXiv 2306.10998 is also listed at line 1 as 'RepoFusion: Training Code Models to "
        "Understand Your Repository'; one of them carries a wrong ID"
    )


def test_clearly_different_titles_in_other_sections_are_a_warning_too() -> None:
    md = (
        "## Vision\n\n"
        "- [Masked Autoencoders Are Scalable Vision Learners](https://arxiv.org/abs/2111.06377)\n"
        "\n## Language\n\n"
        "- [Direct Preference Optimization: Your Language Model is Secretly a Reward Model]"
        "(https://arxiv.org/abs/2111.06377)\n"
        "\n## Again\n\n"  # a third listing under the first title: cross-listed, nothing
        "- [Masked Autoencoders Are Scalable Vision Learners](https://arxiv.org/abs/2111.06377)\n"
    )
    (f,) = findings(md)
    assert (f.severity.value, f.line) == ("warning", 7)
    assert "listed at line 3 as 'Masked Autoencoders Are Scalable Vision Learners'" in f.message


def test_cross_listing_under_the_same_title_is_not_reported() -> None:
    # most of the infos on real lists: one paper under two topics, on purpose
    md = (
        "## Efficient Attention\n\n"
        "- [Linformer: Self-Attention with Linear Complexity](https://arxiv.org/abs/2006.04768)\n"
        "\n## Long Context\n\n"
        "- [Linformer: Self-attention with linear complexity](https://arxiv.org/pdf/2006.04768v3)\n"
        "\n## Surveys\n\n"
        "| Title | Paper |\n|---|---|\n"
        "| Linformer -- Self-Attention With Linear Complexity |"
        " [pdf](https://arxiv.org/abs/2006.04768) |\n"
    )
    assert findings(md) == []


def test_short_titles_are_catchwords_never_a_wrong_id() -> None:
    # DefTruth 160/287 `[**vLLM**]` and `[**PagedAttention**]`, dair-ai 1562/1650 "Factuality
    # Detection in LLMs" and "FacTool": one paper under two catchwords, not two papers
    md = (
        "## Serving\n\n- **vLLM** [pdf](https://arxiv.org/abs/2309.06180)\n"
        "\n## Memory\n\n- **PagedAttention** [pdf](https://arxiv.org/abs/2309.06180)\n"
    )
    (f,) = findings(md)
    assert f.severity.value == "info"
    assert "as 'vLLM' (here 'PagedAttention')" in f.message


def test_a_catchword_written_in_the_other_title_is_the_same_paper() -> None:
    # codefuse-ai: the SWE-bench paper under Issue Resolution, its benchmark in a table later
    md = (
        "## Issue Resolution\n\n"
        "- [SWE-bench: Can Language Models Resolve Real-World GitHub Issues?]"
        "(https://arxiv.org/abs/2310.06770)\n"
        "\n## Benchmarks\n\n"
        "| Title | Paper |\n|---|---|\n| SWE-Bench | [p](https://arxiv.org/abs/2310.06770) |\n"
        "\n## News\n\n"
        "- **YOCO** [p](https://arxiv.org/abs/2405.05254)\n"
        "- [You Only Cache Once: Decoder-Decoder Architectures for Language Models]"
        "(https://arxiv.org/abs/2405.05254)\n"  # one section: a duplicate
    )
    assert duplicates(md) == [("warning", 14)]


def test_table_rows_are_compared_by_their_titles() -> None:
    # titles that differ only in case, hyphens or punctuation: one paper twice in one table
    md = (
        "| Title | Venue | Code |\n|---|---|---|\n"
        "| LoRA: Low-Rank Adaptation of Large Language Models | ICLR 2022 |"
        " [arXiv](https://arxiv.org/abs/2106.09685) |\n"
        "| QLoRA: Efficient Finetuning of Quantized LLMs | NeurIPS 2023 |"
        " [arXiv](https://arxiv.org/abs/2305.14314) |\n"
        "| LoRA - low rank adaptation of large language models | ICLR'22 |"
        " [arXiv](https://arxiv.org/abs/2106.09685v2) [code](https://github.com/microsoft/LoRA) |\n"
    )
    (f,) = findings(md)
    assert (f.severity.value, f.line) == ("warning", 5)
    assert f.message == "arXiv 2106.09685 is already listed at line 3 in the same section"


def test_rows_that_say_nothing_of_their_paper_elsewhere_are_not_reported() -> None:
    # RUCAIBox: a model table whose rows have only a `Paper` link, then the paper in a list
    rows = "".join(
        f"  <tr><td>{size}</td><td><a href='https://arxiv.org/abs/1910.10683'>Paper</a></td></tr>\n"
        for size in ("11", "3")
    )
    md = (
        f"## Models\n\n<table>\n{rows}</table>\n\n## Papers\n\n"
        '1. <u>T5</u>: **"Exploring the Limits of Transfer Learning with a Unified Text-to-Text '
        'Transformer"**. JMLR 2020. [[Paper](https://arxiv.org/abs/1910.10683)]\n'
    )
    assert duplicates(md) == [("info", 5)]  # the second row of one table: one paper, two rows


def test_benchmark_rows_sharing_their_paper_are_info() -> None:
    # codefuse-ai lines 4878-4880: MBXP, Multilingual HumanEval and MathQA-X from one paper
    md = (
        "| Date | Venue | Benchmark | Source |\n|---|---|---|---|\n"
        '| 2022-10 | ICLR 2023 | MBXP | "Multi-lingual Evaluation of Code Generation Models" '
        "[[paper](https://arxiv.org/abs/2210.14868)] |\n"
        '| 2022-10 | ICLR 2023 | Multilingual HumanEval | "Multi-lingual Evaluation of Code '
        'Generation Models" [[paper](https://arxiv.org/abs/2210.14868)] |\n'
        '| 2022-10 | ICLR 2023 | MBXP | "Multi-lingual Evaluation of Code Generation Models" '
        "[[paper](https://arxiv.org/abs/2210.14868)] |\n"
    )
    assert duplicates(md) == [("info", 4), ("warning", 5)]  # the repeated MBXP row is a duplicate


def test_model_rows_of_an_html_table_sharing_their_paper_are_info() -> None:
    # RUCAIBox/LLMSurvey: Flan-T5, Flan-PaLM and Flan-U-PaLM all link 2210.11416
    rows = "".join(
        f'  <tr>\n    <td align="center">{name}</td>\n    <td>2022/10</td>\n    <td>540</td>\n'
        '    <td><a href="https://arxiv.org/abs/2210.11416">Paper</a></td>\n  </tr>\n'
        for name in ("Flan-T5", "Flan-PaLM", "Flan-U-PaLM")
    )
    md = f"<table>\n<tbody>\n{rows}</tbody>\n</table>\n"
    assert [severity for severity, _ in duplicates(md)] == ["info", "info"]


def test_two_names_side_by_side_stay_a_note_though_the_paper_is_cross_listed() -> None:
    # BradyFU lines 470, 750-751: the paper under its title in one section, then two datasets
    # of it (CLEVR-ATVC, Fruit-ATVC) side by side in another; the cross-listing says nothing
    title = (
        "Accountable Textual-Visual Chat Learns to Reject Human Instructions in Image Re-creation"
    )
    link = f"[{title}](https://arxiv.org/pdf/2303.05983.pdf)"
    md = (
        f"## Instruction Tuning\n\n- {link}\n\n## Others\n\n"
        "| Name | Paper | Notes |\n|---|---|---|\n"
        f"| **CLEVR-ATVC** | {link} | A synthetic dataset |\n"
        f"| **Fruit-ATVC** | {link} | A manually pictured dataset |\n"
    )
    (f,) = findings(md)
    assert (f.severity.value, f.line) == ("info", 10)
    assert "at line 9 in this section, as 'CLEVR-ATVC' (here 'Fruit-ATVC')" in f.message


def test_a_horizontal_rule_starts_another_group() -> None:
    # BradyFU lines 11 and 49: the MME survey in the "Surveys" group and in the "MME" group, on
    # purpose (cross-listing); the same under no rule is a duplicate
    group = (
        "- **MME-Survey: A Comprehensive Survey on Evaluation of Multimodal LLMs**\n"
        "arXiv 2025, [Paper](https://arxiv.org/pdf/2411.15296.pdf)\n\n"
    )
    assert findings(f"## Highlights\n\n{group}---\n\n{group}") == []
    assert duplicates(f"## Highlights\n\n{group}{group}") == [("warning", 7)]


def test_bare_links_twice_are_a_duplicate_and_text_decides_without_titles() -> None:
    md = "- [pdf](https://arxiv.org/abs/2106.09685)\n- [pdf](https://arxiv.org/pdf/2106.09685v2)\n"
    assert duplicates(md) == [("warning", 2)]


def entry(line: int, name: str | None, title: str | None) -> Entry:
    link = Link("https://arxiv.org/abs/2211.01786", "paper", line, 20, LinkKind.ARXIV, "2211.01786")
    return Entry(
        line=line,
        end_line=line,
        section=("Models",),
        links=(link,),
        title=Field(title, line, 5) if title else None,
        name=Field(name, line, 3) if name else None,
    )


def test_names_decide_before_titles() -> None:
    title = "Crosslingual Generalization through Multitask Finetuning"
    doc = Document(
        path="t.md",
        text="",
        lines=("row",) * 4,
        entries=(
            entry(1, "BLOOMZ", title),
            entry(2, "mT0", title),  # same paper, another model: deliberate
            entry(3, "bloomz", None),  # the same name again: a duplicate
            entry(4, None, title),
        ),
        links=(),
        headings=(),
        anchors=frozenset(),
    )
    found = [(f.severity.value, f.line) for f in duplicate_entry(doc)]
    assert found == [("info", 2), ("warning", 3), ("warning", 4)]


_LINE = st.sampled_from(["", "   ", "---", "***", " - - -", "___ ", "text", "- item", "| a | b |"])


@settings(max_examples=300, deadline=None)
@given(lines=st.lists(_LINE, max_size=14), a=st.integers(1, 14), b=st.integers(1, 16))
def test_rules_between_entries_are_found_as_a_scan_of_the_lines_finds_them(
    lines: list[str], a: int, b: int
) -> None:
    """The rules are indexed once per document; whether one separates two entries is still
    what reading the lines between them says: a rule on the first of them or after a blank."""
    doc = Document("t.md", "\n".join(lines), tuple(lines), (), (), (), frozenset())
    first = Entry(line=a, end_line=a, section=(), links=())
    second = Entry(line=b, end_line=b, section=(), links=())
    between = list(lines[first.end_line : second.line - 1])
    scanned = any(
        _THEMATIC_BREAK.match(line) and (i == 0 or not between[i - 1].strip())
        for i, line in enumerate(between)
    )
    assert _Rules(doc.lines).between(first, second) == scanned
