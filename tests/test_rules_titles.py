"""title-mismatch on names (Entry.name) and short titles, judged from built Documents and
Evidence; answers cached before abstracts were kept are asked again."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from checker.cache import Cache
from checker.evidence import Evidence
from checker.model import Document, Entry, Field, Finding, Link, LinkKind
from checker.parse import parse_text
from checker.rules.arxiv import title_mismatch
from checker.services.arxiv import ArxivPaper
from checker.verify.plan import Plan
from checker.verify.stored import from_cache

BLOOMZ = ArxivPaper(
    arxiv_id="2211.01786",
    version=2,
    title="Crosslingual Generalization through Multitask Finetuning",
    abstract="We apply MTF to the pretrained multilingual BLOOM and mT5 model families to produce "
    "finetuned variants called BLOOMZ and mT0.",
)


def model_row(line: int, name: str | None, title: str | None = None) -> Entry:
    link = Link("https://arxiv.org/abs/2211.01786", "Paper", line, 30, LinkKind.ARXIV, "2211.01786")
    return Entry(
        line=line,
        end_line=line,
        section=("Models",),
        links=(link,),
        title=Field(title, line, 12) if title else None,
        name=Field(name, line, 3) if name else None,
    )


def judge(*entries: Entry, paper: ArxivPaper = BLOOMZ) -> list[Finding]:
    doc = Document(
        path="models.md",
        text="",
        lines=("| row |",) * max(e.line for e in entries),
        entries=entries,
        links=tuple(lk for e in entries for lk in e.links),
        headings=(),
        anchors=frozenset(),
    )
    return list(title_mismatch(doc, Evidence(arxiv={paper.arxiv_id: paper})))


def test_names_found_in_the_abstract_are_silent() -> None:
    assert judge(model_row(1, "BLOOMZ"), model_row(2, "mT0"), model_row(3, "BLOOMZ-7B1")) == []


def test_a_name_in_neither_title_nor_abstract_is_a_warning_at_the_name() -> None:
    (f,) = judge(model_row(1, "BLOOMZ"), model_row(2, "Galactica"))
    assert (f.rule, f.severity.value, f.line, f.column) == ("title-mismatch", "warning", 2, 3)
    assert f.message == (
        "name 'Galactica' appears in neither the title nor the abstract of arXiv 2211.01786: "
        "'Crosslingual Generalization through Multitask Finetuning'"
    )
    assert f.url == "https://arxiv.org/abs/2211.01786"


def test_an_unknown_abstract_never_makes_a_name_absent() -> None:
    unknown = dataclasses.replace(BLOOMZ, abstract=None)
    assert judge(model_row(1, "Galactica"), paper=unknown) == []


def test_a_title_decides_when_there_is_one() -> None:
    right = "Crosslingual Generalization through Multitask Finetuning"
    assert judge(model_row(1, "Galactica", right)) == []  # the ID is right; the name is a label
    (f,) = judge(model_row(1, "BLOOMZ", "Scaling Instruction-Finetuned Language Models"))
    assert (f.severity.value, f.column) == ("error", 12)  # another paper: at the title


def test_a_short_title_sharing_no_word_is_an_error() -> None:
    (f,) = judge(model_row(1, None, "HadaCore"))
    assert (f.severity.value, f.message) == (
        "error",
        "the ID points at another paper: arXiv 2211.01786: "
        "'Crosslingual Generalization through Multitask Finetuning'",
    )
    assert judge(model_row(1, None, "BLOOMZ")) == []  # written in the abstract


def test_answers_cached_without_an_abstract_are_asked_again(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache.sqlite3")
    old = {k: v for k, v in dataclasses.asdict(BLOOMZ).items() if k != "abstract"}
    kept = dataclasses.asdict(dataclasses.replace(BLOOMZ, arxiv_id="2210.11416"))
    cache.put_many("arxiv", {"2211.01786": old, "2210.11416": kept})
    ev = Evidence()
    left = from_cache(Plan(arxiv={"2211.01786", "2210.11416"}), cache, ev)
    assert left.arxiv == {"2211.01786"}
    assert ev.arxiv["2210.11416"].abstract == BLOOMZ.abstract
    cache.close()


def test_a_misread_title_is_no_error_when_the_link_names_the_paper() -> None:
    # cedrickchee line 171: the bold phrase of the description is read as the title
    md = (
        "13. [A Length-Extrapolatable Transformer (paper)](https://arxiv.org/abs/2212.10554) by "
        "Microsoft (2022) - This improves **modeling capability** of scaling Transformers.\n"
        "14. [paper](https://arxiv.org/abs/2212.10555) - This improves **modeling capability**.\n"
    )
    doc = parse_text("t.md", md)
    assert [e.title.text for e in doc.entries if e.title] == ["modeling capability"] * 2
    papers = {
        i: ArxivPaper(
            arxiv_id=i, version=1, title="A Length-Extrapolatable Transformer", abstract=""
        )
        for i in ("2212.10554", "2212.10555")
    }
    found = list(title_mismatch(doc, Evidence(arxiv=papers)))
    assert [(f.line, f.severity.value) for f in found] == [(2, "error")]  # only "[paper]" alone
