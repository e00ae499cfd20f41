"""Real awesome-lists: the parser's counts equal those of an independent counter.

tests/data/corpus_counts.json was written by tests/data/independent_count.py, a hand-written
GFM block/inline scanner that shares no code with checker/. Where the two disagree, the
Markdown was read as GitHub renders it to decide who is right; the files where the tool is
wrong are marked xfail(strict=True) with the line that shows it.
"""

from __future__ import annotations

import importlib.util
import json
from functools import cache
from pathlib import Path
from types import ModuleType

import pytest
from parse_helpers import corpus_document

from checker.model import Document
from checker.parse import parse_text, raw_cells
from checker.sources import read_markdown
from checker.venues import VenueTable

DATA = Path(__file__).parent / "data"
CORPUS = DATA / "corpus"
COUNTS = json.loads((DATA / "corpus_counts.json").read_text(encoding="utf-8"))

KNOWN_TOOL_BUGS: dict[str, str] = {}  # file → reason, where the tool is known to be wrong

FILES = sorted(p.name for p in CORPUS.glob("*.md") if p.name != "NOTES.md")


def _param(name: str) -> object:
    reason = KNOWN_TOOL_BUGS.get(name)
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(name, marks=marks, id=name.split("__")[0])


@cache
def document(path: Path) -> Document:
    if path.parent == CORPUS:  # parsed once per process for every corpus test
        return corpus_document(path.name)
    return parse_text(path.name, read_markdown(str(path)), VenueTable())


def counts(doc: Document) -> dict[str, int]:
    return {
        "entries": len(doc.entries),
        "links": sum(1 for lk in doc.links if lk.is_http),
        "arxiv_ids": len({lk.arxiv_id for lk in doc.links if lk.arxiv_id}),
        "repos": len({lk.repo.lower() for lk in doc.links if lk.repo}),
    }


def test_the_corpus_is_all_there() -> None:
    assert len(FILES) == 15
    assert set(COUNTS) == {*FILES, "efficiency.md"}


@pytest.mark.parametrize("name", [_param(n) for n in FILES])
def test_counts_match_the_independent_counter(name: str) -> None:
    doc = document(CORPUS / name)
    assert counts(doc) == COUNTS[name]


def test_seed_counts_match_the_independent_counter() -> None:
    assert counts(document(DATA / "seed" / "efficiency.md")) == COUNTS["efficiency.md"]


@pytest.mark.parametrize("name", FILES, ids=[n.split("__")[0] for n in FILES])
def test_parsed_positions_are_sane(name: str) -> None:
    doc = document(CORPUS / name)
    assert doc.entries, name
    n = len(doc.lines)
    for e in doc.entries:
        assert 1 <= e.line <= e.end_line <= n
        assert any(lk.is_http for lk in e.links)
        for lk in e.links:
            assert 1 <= lk.line <= n and lk.column >= 1
    lines = [e.line for e in doc.entries]
    assert lines == sorted(lines)
    for lk in doc.links:
        assert 1 <= lk.line <= n


def _independent_counter() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "independent_count", DATA / "independent_count.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_counts_file_is_what_the_independent_counter_writes() -> None:
    """corpus_counts.json is not edited by hand: re-running the counter gives the same numbers."""
    counter = _independent_counter()
    for name in FILES:
        result, _ = counter.count_file(str(CORPUS / name))
        assert result == COUNTS[name], name
    result, _ = counter.count_file(str(DATA / "seed" / "efficiency.md"))
    assert result == COUNTS["efficiency.md"]


# ---------------------------------------------------------------------------------------------
# The three reconciled disagreements, pinned to their lines


def test_amusi_bare_url_running_into_chinese_text_names_no_repository() -> None:
    # `- 代码：https://github.com/rFID-submit/RandomFID：不确定中没中`: GFM ends a bare URL only at
    # whitespace or `<`, so the link target includes the Chinese text and names no repository.
    # The tool was right (272 repos); the counter counted 15 such "repos" and was fixed.
    name = "amusi__CVPR2024-Papers-with-Code__CVPR2020-Papers-with-Code.md"
    doc = document(CORPUS / name)
    runs_on = [lk for lk in doc.links if "：不确定中没中" in lk.url]
    assert len(runs_on) == 15
    assert all(lk.repo is None for lk in runs_on)
    assert COUNTS[name]["repos"] == 272


def test_rucaibox_unclosed_tr_keeps_its_link() -> None:
    doc = document(CORPUS / "RUCAIBox__LLMSurvey__README.md")
    assert [lk.line for lk in doc.links if lk.url == "https://arxiv.org/abs/2204.02311"] == [
        465, 577,
    ]  # fmt: skip


def test_codefuse_url_inside_open_bracket_is_text() -> None:
    doc = document(CORPUS / "codefuse-ai__Awesome-Code-LLM__README.md")
    assert [lk.url for lk in doc.links if lk.line == 5217] == [
        "https://dl.acm.org/doi/10.1109/MSR.2019.00056"
    ]


# ---------------------------------------------------------------------------------------------
# Table shapes as GitHub renders them


def test_table_shapes_left_in_the_corpus_are_real() -> None:
    """Short rows are padded by GitHub and comment cells past the header vanish unseen: the only
    shape problems left are rows that lose text on GitHub, and the seed's two wrapped rows."""
    found = {
        name.split("__")[0]: [
            (p.line, p.expected, p.found) for p in document(CORPUS / name).shape_problems
        ]
        for name in FILES
    }
    # BradyFU 710: "| **SciMMIR** | … | [Link](…) | | A benchmark for …": the description is
    # a fifth cell under a four-column header, and GitHub drops it.
    assert {k: v for k, v in found.items() if v} == {"BradyFU": [(710, 4, 5)]}
    seed = document(DATA / "seed" / "efficiency.md")
    assert [(p.line, p.end_line) for p in seed.shape_problems] == [(36, 37), (42, 43)]


def test_bradyfu_588_has_four_cells_of_five_and_renders_padded() -> None:
    doc = document(CORPUS / "BradyFU__Awesome-Multimodal-Large-Language-Models__README.md")
    assert len(raw_cells(doc.lines[587])) == 4
    assert 588 in {e.line for e in doc.entries}


def test_horseee_comment_cells_past_the_header_are_silent() -> None:
    doc = document(CORPUS / "horseee__Awesome-Efficient-LLM__README.md")
    commented = [i + 1 for i, line in enumerate(doc.lines) if "[//]: #" in line]
    assert len(commented) == 214
    assert all(len(raw_cells(doc.lines[i - 1])) == 4 for i in commented)
    assert doc.shape_problems == ()


def test_in_document_links_resolve_but_for_the_real_broken_ones() -> None:
    """Every `#fragment` link of the corpus finds its heading slug or HTML id, but for nine:
    RUCAIBox's table of contents still links headings renamed since (`#chinese-version`, the
    `#new-…` ones), TransferAttack links `#vdc` and `#ensemble` that no row carries, horseee
    links `#efficient_moe` for the heading `Efficient MOE` (slug `efficient-moe`)."""
    broken = {}
    for name in FILES:
        doc = document(CORPUS / name)
        missing = [
            lk.url[1:].lower()
            for lk in doc.links
            if lk.url.startswith("#") and len(lk.url) > 1 and lk.url[1:].lower() not in doc.anchors
        ]
        if missing:
            broken[name.split("__")[0]] = missing
    assert broken == {
        "RUCAIBox": [
            "chinese-version",
            "new-the-trends-of-the-number-of-papers-related-to-llms-on-arxiv",
            "new-technical-evolution-of-gpt-series-models",
            "new-evolutionary-graph-of-llama-family",
            "new-prompts",
            "new-experiments",
        ],
        "Trustworthy-AI-Group": ["vdc", "ensemble"],
        "horseee": ["efficient_moe"],
    }
