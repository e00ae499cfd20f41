"""Precision on real lists: every offline finding over tests/data/corpus, pinned after review.

Every error and warning below was read by hand, as the list's maintainer would read it, and is a
real defect (`python bench/precision.py --show error --show warning` prints them). The infos are
pinned by count: they are notes, not verdicts, but a change in their number is a change in what
paperlint reads and must be looked at, never re-pinned blindly.
"""

from __future__ import annotations

from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from parse_helpers import corpus_document

from checker.config import Options
from checker.engine import offline_findings
from checker.model import Finding
from checker.venues import VenueTable

CORPUS = Path(__file__).parent / "data" / "corpus"
FILES = sorted(p.name for p in CORPUS.glob("*.md") if p.name != "NOTES.md")

RUCAIBOX_TOC = (124, 125, 126, 127, 128, 129)

# file prefix → (rule, line, severity) of every warning and error, with the verdict
REVIEWED: dict[str, set[tuple[str, int, str]]] = {
    # a row with an extra empty cell: its description lands past the header's 4 columns and
    # GitHub drops it (line 588, one cell short, is padded by GitHub and renders fine)
    "BradyFU": {("table-shape", 710, "error")},
    # the table of contents still links headings renamed since (`#chinese-version`, `#new-…`);
    # "Automatic Chain of Thought Prompting" twice in the CoT section (arXiv 2022 / arXiv);
    # the list's only `ACL'23` among `ACL 2022`, `ICLR 2023`, ...
    "RUCAIBox": {("anchor-missing", n, "error") for n in RUCAIBOX_TOC}
    | {("duplicate-entry", 838, "warning"), ("venue-format", 970, "warning")},
    # `[VDC](#vdc)` and `[Ensemble](#ensemble)`: no row carries those ids; MetaSSA's link
    # `https://arxiv.org//abs/2405.03193` has a doubled slash
    "Trustworthy-AI-Group": {("anchor-missing", 719, "error"), ("link-syntax", 482, "warning")},
    # the BugPilot line repeated; "CodePlan: Repository-level Coding using LLMs and Planning"
    # under RepoFusion's ID (2306.10998, line 2458): a wrong ID
    "codefuse-ai": {("duplicate-entry", 2582, "warning"), ("duplicate-entry", 2460, "warning")},
    # `#efficient_moe` for the heading `Efficient MOE` (slug `efficient-moe`)
    "horseee": {("anchor-missing", 44, "error")},
    # the generated list repeats papers (other arXiv versions, other citation counts)
    "metame-ai": {("duplicate-entry", n, "warning") for n in (358, 706, 766, 1007, 1184)},
    # a corrupted URL: `1511.07289.pdf%5Cnhttp://arxiv.org/abs/1511.07289%5Cn...`; `[[pdf]]
    # (https://www.transacl.org/…)`: the space shows `[[pdf]]` as text and links the bare URL
    "terryum": {("arxiv-id-malformed", 349, "error"), ("link-syntax", 356, "warning")},
    # `[[pdf]]()` for the YunChang/USP paper: its pdf link has no target
    "DefTruth": {("link-syntax", 116, "error")},
}

# file prefix → how many infos each rule gives (the rest: none)
INFOS: dict[str, dict[str, int]] = {
    # duplicate-entry: one paper under several names (models, datasets) or catchwords; the same
    # paper under the same title in two sections (cross-listing) is not reported
    "BradyFU": {"duplicate-entry": 3},  # with CLEVR-ATVC / Fruit-ATVC, side by side
    "DefTruth": {"duplicate-entry": 4},
    "Hannibal046": {"duplicate-entry": 2},
    # RUCAIBox: BLOOMZ/mT0, Flan-*; its HTML table's Model column against the later sections'
    # names (`mT0` / `mT0 && BLOOMZ`, `T5` / `C4`, `T5` / `T5 bias`, `Galatica` / `Galactica`)
    "RUCAIBox": {"duplicate-entry": 8},
    "cedrickchee": {"link-text-mismatch": 2},
    "codefuse-ai": {"duplicate-entry": 30, "venue-format": 125},
    "dair-ai": {"duplicate-entry": 2},
}


@cache
def findings(name: str) -> tuple[Finding, ...]:
    table = VenueTable()
    doc = corpus_document(name)
    return tuple(offline_findings([doc], Options(paths=[name], offline=True), table))


@pytest.mark.parametrize("name", FILES, ids=[n.split("__")[0] for n in FILES])
def test_every_warning_and_error_is_a_reviewed_defect(name: str) -> None:
    found = {(f.rule, f.line, f.severity.value) for f in findings(name)}
    found = {(rule, line, severity) for rule, line, severity in found if severity != "info"}
    assert found == REVIEWED.get(name.split("__")[0], set())


@pytest.mark.parametrize("name", FILES, ids=[n.split("__")[0] for n in FILES])
def test_infos_are_as_many_as_reviewed(name: str) -> None:
    counts = Counter(f.rule for f in findings(name) if f.severity.value == "info")
    assert dict(counts) == INFOS.get(name.split("__")[0], {})


def infos(prefix: str, rule: str) -> list[int]:
    (name,) = [n for n in FILES if n.startswith(prefix)]
    return [f.line for f in findings(name) if f.rule == rule and f.severity.value == "info"]


def test_what_is_no_longer_an_error_or_warning_is_still_said_as_info() -> None:
    assert {433, 439} <= set(infos("cedrickchee", "link-text-mismatch"))  # facebook/fairseq
    # MBXP / Multilingual HumanEval / MathQA-X sharing a paper
    assert {4879, 4880} <= set(infos("codefuse-ai", "duplicate-entry"))
    # wrong IDs under catchwords ("Tensor Product" / "HADACORE"): found online
    assert {415, 499} <= set(infos("DefTruth", "duplicate-entry"))
    assert {296, 506, 512} <= set(infos("RUCAIBox", "duplicate-entry"))  # BLOOMZ/mT0, Flan-*
    assert len(infos("codefuse-ai", "venue-format")) == 125  # `ACL 2025 Findings` and the like
