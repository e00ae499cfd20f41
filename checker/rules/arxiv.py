"""arXiv: identifiers that cannot exist (offline); existence, withdrawal and titles (online)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from checker.links import written_arxiv_id
from checker.model import Document, Entry, Field, Finding, Fix, LinkKind, Severity
from checker.rules import finding
from checker.titles import (
    OTHER_PAPER,
    SAME,
    SMALL,
    clean_title,
    compare_titles,
    is_generic_text,
    name_appears,
)

if TYPE_CHECKING:  # the services, for annotations only: an offline run never loads them
    from checker.evidence import Evidence
    from checker.services.arxiv import ArxivPaper


def arxiv_id_malformed(doc: Document) -> Iterator[Finding]:
    for link in doc.links:
        if link.kind is not LinkKind.ARXIV_MALFORMED:
            continue
        ident = written_arxiv_id(link.url)
        yield finding(
            "arxiv-id-malformed",
            doc.path,
            link.line,
            link.column,
            f"'{ident}' is not a valid arXiv identifier (YYMM.NNNNN[vN] or archive/YYMMNNN[vN])",
            url=link.url,
        )


def arxiv_not_found(doc: Document, ev: Evidence) -> Iterator[Finding]:
    for link in doc.links:
        ident = link.arxiv_id
        if link.kind is not LinkKind.ARXIV or ident is None:
            continue
        paper = ev.arxiv.get(ident)
        if ident in ev.arxiv_missing:
            message = f"arXiv {ident} does not exist"
        elif ident in ev.arxiv_rejected:
            message = f"arXiv rejects the identifier {ident} as malformed"
        elif paper and link.arxiv_version and link.arxiv_version > paper.version:
            message = (
                f"arXiv {ident}v{link.arxiv_version} does not exist "
                f"(the latest version is v{paper.version})"
            )
        else:
            continue
        yield finding("arxiv-not-found", doc.path, link.line, link.column, message, url=link.url)


def arxiv_withdrawn(doc: Document, ev: Evidence) -> Iterator[Finding]:
    for link in doc.links:
        paper = ev.arxiv.get(link.arxiv_id or "")
        if link.kind is LinkKind.ARXIV and paper and paper.withdrawn:
            why = f": {paper.comment}" if paper.comment else ""
            yield finding(
                "arxiv-withdrawn",
                doc.path,
                link.line,
                link.column,
                f"arXiv {paper.arxiv_id} has been withdrawn{why}",
                url=link.url,
            )


OTHER_PAPER_MESSAGE = "the ID points at another paper"  # verify/repair.py searches the title


def title_mismatch(doc: Document, ev: Evidence) -> Iterator[Finding]:
    for entry in doc.entries:
        link = entry.primary_arxiv
        if link is None or link.arxiv_id is None:
            continue
        paper = ev.arxiv.get(link.arxiv_id)
        if paper is None or paper.withdrawn:
            continue
        if entry.title is not None:
            yield from _title_findings(doc, entry, link.url, paper)
        elif entry.name is not None:
            yield from _name_findings(doc, entry.name, link.url, paper)


def _title_findings(doc: Document, entry: Entry, url: str, paper: ArxivPaper) -> Iterator[Finding]:
    assert entry.title is not None
    verdict, change = compare_titles(entry.title.text, paper.title, paper.abstract)
    if verdict == SAME or (verdict != SMALL and _link_names_the_paper(entry, paper)):
        return
    where = f"arXiv {paper.arxiv_id}: '{paper.title}'"
    if verdict == OTHER_PAPER:
        yield finding(
            "title-mismatch",
            doc.path,
            entry.title.line,
            entry.title.column,
            f"{OTHER_PAPER_MESSAGE}: {where}",
            url=url,
            severity=Severity.ERROR,
        )
        return
    fix = _locate_fix(doc, entry, change) if verdict == SMALL and change else None
    yield finding(
        "title-mismatch",
        doc.path,
        fix.line if fix else entry.title.line,
        entry.title.column,
        f"title differs from {where}",
        url=url,
        fix=fix,
        severity=Severity.WARNING,
    )


def _link_names_the_paper(entry: Entry, paper: ArxivPaper) -> bool:
    """The arXiv link's own text is the paper's title: the ID is right, whatever phrase of the
    entry was read as its title (`[Fast Transformer Decoding (paper)](…) … **multi-query
    attention**`)."""
    link = entry.primary_arxiv
    if link is None or not link.text or is_generic_text(link.text):
        return False
    text = clean_title(link.text)
    if len(text.split()) < 3 or (entry.title is not None and text == entry.title.text):
        return False
    return compare_titles(text, paper.title)[0] in (SAME, SMALL)


def _name_findings(doc: Document, name: Field, url: str, paper: ArxivPaper) -> Iterator[Finding]:
    """A model's name is no title: it is looked for in arXiv's title and abstract (BLOOMZ and mT0
    share one paper and are both named in its abstract). Unknown abstract: no verdict."""
    if paper.abstract is None or name_appears(name.text, paper.title, paper.abstract):
        return
    yield finding(
        "title-mismatch",
        doc.path,
        name.line,
        name.column,
        f"name '{name.text}' appears in neither the title nor the abstract of arXiv "
        f"{paper.arxiv_id}: '{paper.title}'",
        url=url,
        severity=Severity.WARNING,
    )


def _locate_fix(doc: Document, entry: Entry, change: tuple[str, str]) -> Fix | None:
    """Find the words to change in the file itself (they may wrap onto the next line)."""
    assert entry.title is not None
    old, new = change
    words = r"\s+".join(re.escape(w) for w in old.split())
    pattern = re.compile(rf"(?<!\w){words}(?!\w)")  # whole words: never "Model" in "Modeling"
    first = entry.title.line
    last = max(entry.end_line, first)
    block = "\n".join(doc.lines[first - 1 : last])
    start = max(0, entry.title.column - 1)
    m = pattern.search(block, start)
    if not m:
        return None
    line = first + block.count("\n", 0, m.start())
    line_start = block.rfind("\n", 0, m.start()) + 1
    return Fix(line, m.group(0), new, m.start() - line_start + 1)
