"""Repairs, judged: what the archive and arXiv's title search said, written onto the findings.

No I/O: the answers are in the evidence (`verify/repair.py` asked for them, or the cache had
them), so a text `--fix` rewrote is amended exactly as the run's own findings were. Every
repair is an unsafe fix: it changes what the list says (an archived copy instead of the page,
another paper's ID), so it is offered, and applied only with `--unsafe-fixes`.

- `link-broken` for a page that is gone: the archived copy closest to when the link last
  worked, `https://web.archive.org/web/<timestamp>/<url>`; the message says the copy's date.
- `title-mismatch` (another paper) and `arxiv-not-found` under a title: the one paper arXiv's
  title search finds with that title (as title-mismatch compares titles) is the right ID; the
  fix rewrites the ID in the entry's links on that line, and in a link text that names it.
  Several such papers, or none: the message says so, and there is no fix.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from checker.evidence import Evidence
from checker.links import ARXIV_HOSTS, GITHUB_HOSTS, TEXT_ARXIV_ID, classify, private_host
from checker.model import Applicability, Document, Entry, Finding, Fix, Link, LinkKind
from checker.rules import finding
from checker.rules.arxiv import OTHER_PAPER_MESSAGE
from checker.services.arxiv import ArxivPaper
from checker.services.arxiv_search import title_query
from checker.titles import SAME, compare_titles

WAYBACK = "the Wayback Machine"
TITLE_SEARCH = "arXiv's title search"
# a page that is gone, not one that failed for a while: worth an archived copy
_GONE_STATUSES = (404, 410)
_GONE_ERRORS = ("DNS", "connection failed")
# hosts whose links have better repairs than an archived copy (or are the archive itself)
_NOT_ARCHIVED = ARXIV_HOSTS | GITHUB_HOSTS | {"web.archive.org", "archive.org"}


@dataclass(frozen=True)
class IdRepair:
    """An entry whose arXiv ID is wrong, and the title that may find the right one."""

    doc: Document
    entry: Entry
    link: Link
    wrong: str  # the version-less ID the link carries
    query: str  # title_query of the entry's title


def archivable(f: Finding, ev: Evidence, allow_private: bool) -> bool:
    """A confirmed `link-broken` web link whose page is gone, that the archive may be asked
    about: never an arXiv or GitHub link, never a private address unless allowed."""
    if f.rule != "link-broken" or f.url is None or f.suspect:
        return False
    status = ev.web.get(f.url)
    if status is None:
        return False
    gone = status.status in _GONE_STATUSES or (status.error or "").startswith(_GONE_ERRORS)
    if not gone or classify(f.url).kind is not LinkKind.WEB:
        return False
    host = (urlsplit(f.url).hostname or "").lower()
    if host in _NOT_ARCHIVED:
        return False
    return allow_private or not private_host(f.url)


Place = tuple[str, int, int, str]  # a finding's file, line, column and rule


def id_repairs(
    findings: Iterable[Finding], docs: Iterable[Document], ev: Evidence
) -> dict[Place, IdRepair]:
    """The findings that say an entry's arXiv ID is wrong — `title-mismatch` for another paper,
    `arxiv-not-found` for an ID arXiv does not know — by (file, line, column, rule), where the
    entry has a title to search for."""
    wanted = [f for f in findings if _wrong_id(f, ev)]
    if not wanted:
        return {}
    by_file = {doc.path: doc for doc in docs}
    asked = {_place(f) for f in wanted}
    places: dict[Place, IdRepair] = {}
    for path in {f.file for f in wanted}:
        doc = by_file.get(path)
        if doc is None:
            continue
        for entry in doc.entries:
            if entry.title is None:
                continue
            # where this entry's findings would stand: its title, each of its arXiv links
            primary = entry.primary_arxiv
            here: list[tuple[Place, Link]] = []
            if primary is not None and primary.arxiv_id:
                title = entry.title
                here.append(((path, title.line, title.column, "title-mismatch"), primary))
            for link in entry.links:
                if link.kind is LinkKind.ARXIV and link.arxiv_id:
                    here.append(((path, link.line, link.column, "arxiv-not-found"), link))
            here = [(key, link) for key, link in here if key in asked]
            query = title_query(entry.title.text) if here else None
            if query is None:
                continue
            for key, link in here:
                assert link.arxiv_id is not None
                places[key] = IdRepair(doc, entry, link, link.arxiv_id, query)
    return {k: places[k] for k in (_place(f) for f in wanted) if k in places}


def _place(f: Finding) -> Place:
    return (f.file, f.line, f.column, f.rule)


def _wrong_id(f: Finding, ev: Evidence) -> bool:
    if f.rule == "title-mismatch":
        return f.message.startswith(OTHER_PAPER_MESSAGE)
    if f.rule == "arxiv-not-found" and f.url is not None:
        ident = classify(f.url).arxiv_id
        return ident is not None and (ident in ev.arxiv_missing or ident in ev.arxiv_rejected)
    return False


def amend(
    findings: Iterable[Finding],
    docs: list[Document],
    ev: Evidence,
    repairs: dict[Place, IdRepair] | None = None,
) -> list[Finding]:
    """The findings with the repairs the evidence holds written onto them, and one
    `service-unavailable` per file and repair that could not be asked. `repairs`: their
    `id_repairs`, when the caller has them."""
    findings = list(findings)
    repairs = id_repairs(findings, docs, ev) if repairs is None else repairs
    out = []
    for f in findings:
        if f.rule == "link-broken" and f.url in ev.wayback and not f.suspect:
            f = _with_copy(f, ev.wayback[f.url])
        elif _place(f) in repairs:
            f = _with_id(f, repairs[_place(f)], ev)
        out.append(f)
    out.extend(_unasked(findings, repairs, ev))
    return out


def _with_copy(f: Finding, snapshot: object) -> Finding:
    from checker.services.wayback import Snapshot

    assert f.url is not None
    if not isinstance(snapshot, Snapshot):
        return f  # the archive has no copy: nothing to offer, nothing more to say
    fix = Fix(f.line, f.url, snapshot.copy_of(f.url), f.column, Applicability.UNSAFE)
    return dataclasses.replace(
        f, message=f"{f.message}; {WAYBACK} has a copy of {snapshot.date}", fix=fix
    )


def _with_id(f: Finding, repair: IdRepair, ev: Evidence) -> Finding:
    found = ev.titles.get(repair.query)
    if found is None:
        return f
    assert repair.entry.title is not None
    listed = repair.entry.title.text
    same = {
        p.arxiv_id: p
        for p in found
        if p.arxiv_id != repair.wrong
        and _valid_id(p.arxiv_id)  # it is written into the list: nothing but an ID
        and not p.withdrawn
        and compare_titles(listed, p.title, p.abstract)[0] == SAME
    }
    if not same:
        note = f"{TITLE_SEARCH} finds no other paper with the listed title"
        return dataclasses.replace(f, message=f"{f.message}; {note}")
    if len(same) > 1:
        named = ", ".join(sorted(same)[:3]) + (", …" if len(same) > 3 else "")
        note = f"{TITLE_SEARCH} finds {len(same)} papers with the listed title ({named})"
        return dataclasses.replace(f, message=f"{f.message}; {note}: not fixed")
    right: ArxivPaper = next(iter(same.values()))
    fix = id_fix(repair.doc, repair.entry, repair.link, repair.wrong, right.arxiv_id)
    note = f"the listed title is arXiv {right.arxiv_id}: '{right.title}'"
    return dataclasses.replace(f, message=f"{f.message}; {note}", fix=fix or f.fix)


def id_fix(doc: Document, entry: Entry, link: Link, wrong: str, right: str) -> Fix | None:
    """One edit on the link's line that writes `right` for `wrong` (its version dropped: it was
    another paper's) in the URLs of the entry's links there, and in a link text that names it.
    None when the link is not written as parsed, or a text naming the ID cannot be placed (a
    fix that left it would only trade this finding for link-text-mismatch)."""
    if not 1 <= link.line <= len(doc.lines):
        return None
    raw = doc.lines[link.line - 1]
    pattern = re.compile(rf"(?<![\w.]){re.escape(wrong)}(?:v\d+)?(?!\w)")
    spans: list[tuple[int, int]] = []
    for other in entry.links:
        if other.line != link.line or other.arxiv_id != wrong:
            continue
        at = other.column - 1
        if raw[at : at + len(other.url)] != other.url:
            if other is link:
                return None
            continue
        spans += [(m.start(), m.end()) for m in pattern.finditer(raw, at, at + len(other.url))]
        if other.text and other.text != other.url and _names(other.text, wrong):
            text_at = at - 2 - len(other.text)
            if text_at < 1 or raw[text_at - 1 : at] != f"[{other.text}](":
                return None
            spans += [(m.start(), m.end()) for m in pattern.finditer(raw, text_at, at - 2)]
    if not spans:
        return None
    spans.sort()
    start, end = spans[0][0], spans[-1][1]
    pieces, done = [], start
    for s, e in spans:
        pieces += [raw[done:s], right]
        done = e
    pieces.append(raw[done:end])
    return Fix(link.line, raw[start:end], "".join(pieces), start + 1, Applicability.UNSAFE)


def _valid_id(ident: str) -> bool:
    return classify(f"https://arxiv.org/abs/{ident}").arxiv_id == ident


def _names(text: str, ident: str) -> bool:
    named = classify(text).arxiv_id if text.startswith("http") else None
    if named is None:
        m = TEXT_ARXIV_ID.search(text)
        named = m.group("id") if m else None
    return named == ident


def _unasked(
    findings: list[Finding], repairs: dict[Place, IdRepair], ev: Evidence
) -> Iterator[Finding]:
    """One `service-unavailable` per file and reason for the repairs that could not be asked:
    the findings stand as they are, only the repair is missing."""
    lost_copies = ev.repairs_unavailable.get(WAYBACK, {})
    lost_titles = ev.repairs_unavailable.get(TITLE_SEARCH, {})
    groups: dict[tuple[str, str, str], list[int]] = {}
    for f in findings:
        if f.rule == "link-broken" and f.url in lost_copies and not f.suspect:
            groups.setdefault((f.file, WAYBACK, lost_copies[f.url]), []).append(f.line)
        repair = repairs.get(_place(f))
        if repair is not None and repair.query in lost_titles:
            groups.setdefault((f.file, TITLE_SEARCH, lost_titles[repair.query]), []).append(
                f.line
            )
    for (path, service, reason), lines in groups.items():
        what = "archived copy" if service == WAYBACK else "right arXiv ID"
        count = len(lines)
        yield finding(
            "service-unavailable",
            path,
            min(lines),
            1,
            f"{service} could not be asked ({reason}): no {what} looked up for "
            f"{count} finding{'s' * (count != 1)}, which stand as reported",
        )
