"""parse → plan → fetch in batches → judge → filter → Report. The only place rules are run."""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

from checker import changes
from checker.config import Options
from checker.model import Document, Finding, Report, Severity, Summary
from checker.parse import parse_text
from checker.rules import arxiv as arxiv_rules
from checker.rules import links as link_rules
from checker.rules import structure, venue
from checker.sources import SourceError, display_path, read_markdown
from checker.suppress import Suppressions
from checker.venues import VenueTable

if TYPE_CHECKING:
    from checker.nightly import Nightly

OfflineRule = Callable[[Document, venue.VenueContext], Iterable[Finding]]

OFFLINE: dict[str, OfflineRule] = {
    "table-shape": lambda d, _: structure.table_shape(d),
    "arxiv-id-malformed": lambda d, _: arxiv_rules.arxiv_id_malformed(d),
    "link-text-mismatch": lambda d, _: link_rules.link_text_mismatch(d),
    "duplicate-entry": lambda d, _: structure.duplicate_entry(d),
    "anchor-missing": lambda d, _: structure.anchor_missing(d),
    "venue-format": venue.venue_format,
    "venue-year": venue.venue_year,
    "link-private": lambda d, _: link_rules.link_private(d),
}


def load_documents(options: Options, table: VenueTable, report: Report) -> list[Document]:
    docs = []
    for path in options.paths:
        try:
            text = read_markdown(path)
        except SourceError as exc:
            report.problems.append(str(exc))
            continue
        docs.append(parse_text(display_path(path), text, table))
    return docs


def offline_findings(
    docs: Iterable[Document], options: Options, table: VenueTable
) -> Iterator[Finding]:
    ctx = venue.VenueContext(table=table, this_year=dt.date.today().year)
    for doc in docs:
        for name, rule in OFFLINE.items():
            if name == "link-private" and options.allow_private:
                continue  # the user allows fetching them: they are checked like any other link
            if options.enabled(name):
                yield from rule(doc, ctx)


def finish(findings: Iterable[Finding], docs: list[Document], options: Options) -> list[Finding]:
    """Suppressions, selection and severity overrides, in one place; sorted and de-duplicated."""
    hidden = {doc.path: Suppressions(doc.lines) for doc in docs}
    out: dict[tuple[object, ...], Finding] = {}
    for f in findings:
        if not options.enabled(f.rule):
            continue
        if f.file in hidden and hidden[f.file].hides(f):
            continue
        if f.rule in options.severity:
            f = dataclasses.replace(f, severity=options.severity[f.rule])
        out.setdefault((f.file, f.line, f.column, f.rule, f.message), f)
    return sorted(out.values(), key=lambda f: f.sort_key)


def summarize(docs: list[Document], findings: list[Finding], unverified: int) -> Summary:
    findings = [f for f in findings if not f.suspect]  # failed once: not counted until confirmed
    return Summary(
        files=len(docs),
        entries=sum(len(d.entries) for d in docs),
        links=sum(1 for d in docs for lk in d.links if lk.is_http),
        arxiv_ids=len({lk.arxiv_id for d in docs for lk in d.links if lk.arxiv_id}),
        repos=len({lk.repo.lower() for d in docs for lk in d.links if lk.repo}),
        errors=sum(1 for f in findings if f.severity is Severity.ERROR),
        warnings=sum(1 for f in findings if f.severity is Severity.WARNING),
        infos=sum(1 for f in findings if f.severity is Severity.INFO),
        unverified=unverified,
    )


def run(options: Options, nightly: Nightly | None = None) -> tuple[Report, list[Document]]:
    """One check. With `nightly`, a full run whose findings are judged against the history."""
    started = time.perf_counter()
    report = Report()
    table = VenueTable(options.venues)
    docs = load_documents(options, table, report)
    findings = list(offline_findings(docs, options, table))
    to_verify = docs
    scope: dict[str, set[int]] | None = None
    if options.changed_since:
        scope = {d.path: changes.changed_lines(d.path, options.changed_since) for d in docs}
        to_verify = [changes.restrict(d, scope[d.path]) for d in docs]
        scope = {d.path: changes.touched(d, scope[d.path]) for d in docs}
    unverified = 0
    if nightly is not None:
        nightly.prepare(docs)  # before asking: what failed last time must not come from the cache
    unanswered: dict[str, dict[str, str]] = {}  # service → items it left unverified
    if docs and not (options.offline and options.no_cache):
        from checker.evidence import Evidence  # the network side, imported only when used
        from checker.verify import verify

        ev = Evidence()
        online, unverified, report.requests = verify(to_verify, options, ev)
        findings.extend(online)
        unanswered = ev.unavailable
    if scope is not None:
        findings = [f for f in findings if f.line in scope.get(f.file, set())]
    report.findings = finish(findings, docs, options)
    report.summary = summarize(docs, report.findings, unverified)
    if nightly is not None and not report.problems:  # an unread file must not erase history
        nightly.judge(report, docs, unanswered)
        recount(report)
        nightly.save()
    report.summary.duration_s = time.perf_counter() - started
    return report, docs


def recount(report: Report) -> None:
    """After --fix removed what it mended (or --nightly set suspects apart), what counts."""
    s = report.summary
    counted = report.counted
    s.errors = sum(1 for f in counted if f.severity is Severity.ERROR)
    s.warnings = sum(1 for f in counted if f.severity is Severity.WARNING)
    s.infos = sum(1 for f in counted if f.severity is Severity.INFO)
