"""parse → plan → fetch in batches → judge → filter → Report. The only place rules are run."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from checker import entry_titles
from checker.config import Options
from checker.model import ChangedScope, Document, Finding, Report, Severity, Summary
from checker.sources import SourceError, display_path, read_markdown
from checker.suppress import Suppressions
from checker.venues import VenueTable

if TYPE_CHECKING:  # the network side is imported only when a run asks
    from checker.evidence import Evidence
    from checker.nightly import Nightly
    from checker.rules.venue import VenueContext
    from checker.verify.network import Network

OfflineRule = Callable[[Document, "VenueContext"], Iterable[Finding]]


@functools.cache
def offline_rules() -> dict[str, OfflineRule]:
    """The rules that need no answer, by name. Imported when first run: a cold run's first
    requests go before them (verify/early.py)."""
    from checker.rules import arxiv as arxiv_rules
    from checker.rules import conflicts, structure, venue
    from checker.rules import links as link_rules

    return {
        "table-shape": lambda d, _: structure.table_shape(d),
        "arxiv-id-malformed": lambda d, _: arxiv_rules.arxiv_id_malformed(d),
        "link-text-mismatch": lambda d, _: link_rules.link_text_mismatch(d),
        "duplicate-entry": lambda d, _: structure.duplicate_entry(d),
        "anchor-missing": lambda d, _: structure.anchor_missing(d),
        "venue-format": venue.venue_format,
        "venue-year": venue.venue_year,
        "link-private": lambda d, _: link_rules.link_private(d),
        "arxiv-id-conflict": lambda d, _: conflicts.arxiv_id_conflict(d),
        "link-syntax": lambda d, _: link_rules.link_syntax(d),
    }


def load_documents(
    options: Options,
    table: VenueTable,
    report: Report,
    files: dict[str, str] | None = None,
    before_parsing: Callable[[list[str]], None] | None = None,
) -> list[Document]:
    """`files`, when given, learns each document's path as given (to read and write) by the
    name it is shown under (`Document.path`, printable). A document read before from exactly
    this text is taken from the cache rather than parsed again (`parsed`); `before_parsing` is
    given the texts that are to be parsed, before the first is."""
    from checker import parsed
    from checker.cache import Cache, cache_path

    where = cache_path(options)
    cache = Cache(where, read_only=options.offline) if where is not None else None
    # each file: its path, as shown, its text, its stored parse, and where that is kept
    read: list[tuple[str, str, str, Document | None, tuple[str, str] | None]] = []
    try:
        for path in options.paths:
            try:
                text = read_markdown(path)
            except SourceError as exc:
                report.problems.append(str(exc))
                continue
            shown = display_path(path)
            doc = key = None
            if cache is not None:
                key = (parsed.place(path), parsed.fingerprint(shown, text, options.venues))
                doc = parsed.load(cache, *key, shown, text)
            read.append((path, shown, text, doc, key))
        if before_parsing is not None and any(doc is None for *_, doc, _ in read):
            before_parsing([text for _, _, text, doc, _ in read if doc is None])
        docs = []
        for path, shown, text, doc, key in read:
            if doc is None:
                doc = parse_text(shown, text, table)
                if cache is not None and key is not None and not options.offline:
                    parsed.store(cache, *key, doc)  # (--offline writes nothing)
            docs.append(doc)
            if files is not None:
                files[doc.path] = path
    finally:
        if cache is not None:
            cache.close()
    return docs


def parse_text(path: str, text: str, table: VenueTable) -> Document:
    """The parser, imported when a text is to be parsed (not on a run the cache serves)."""
    from checker.parse import parse_text as parse

    return parse(path, text, table)


def offline_findings(
    docs: Iterable[Document], options: Options, table: VenueTable
) -> Iterator[Finding]:
    from checker.rules.venue import VenueContext

    ctx = VenueContext(table=table, this_year=dt.date.today().year)
    rules = offline_rules()
    for doc in docs:
        for name, rule in rules.items():
            if name == "link-private" and options.allow_private:
                continue  # the user allows fetching them: they are checked like any other link
            if options.enabled(name):
                yield from rule(doc, ctx)


def finish(findings: Iterable[Finding], docs: list[Document], options: Options) -> list[Finding]:
    """Suppressions, selection and severity overrides, in one place; sorted and de-duplicated."""
    hidden = {doc.path: Suppressions(doc.lines) for doc in docs}
    texts = {doc.path: doc.text for doc in docs}
    starts: dict[str, list[int]] = {}
    out: dict[tuple[object, ...], Finding] = {}
    for f in findings:
        if not options.enabled(f.rule):
            continue
        if f.file in hidden and hidden[f.file].hides(f):
            continue
        if f.fix is not None and f.file in texts:
            # a fix offered is a fix --fix can make: one whose text is not where it points (a
            # reference-style link's URL stands on its definition's line) is not offered
            from checker.fix import line_starts, locate

            text = texts[f.file]
            if f.file not in starts:
                starts[f.file] = line_starts(text)
            place = locate(text, f.fix, starts[f.file])
            if place is None or (f.fix.old == f.url and _runs_on(text, place[1])):
                # nor one that would replace only the start of a URL written longer than the
                # address read from it (`…&amp;` read as `…&`)
                f = dataclasses.replace(f, fix=None)
        if f.rule in options.severity:
            f = dataclasses.replace(f, severity=options.severity[f.rule])
        out.setdefault((f.file, f.line, f.column, f.rule, f.message), f)
    return sorted(out.values(), key=lambda f: f.sort_key)


def _runs_on(text: str, end: int) -> bool:
    """Whether a URL found in `text` ending at `end` runs on there (a letter, digit or one of
    `&;=%/#` follows), so that it is only a prefix of the URL written."""
    return end < len(text) and (text[end].isalnum() or text[end] in "&;=%/#")


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


def _name_entries(report: Report, docs: list[Document]) -> None:
    places = [(f.file, f.line) for f in report.findings]
    places += [(r.file, r.line) for r in report.recovered]
    report.titles = entry_titles.at(docs, places)


@dataclass
class Run:
    """One check, kept so that a new text of one of its files can be judged the way the file was:
    the same venue table, the answers the services already gave, the same --changed-since scope.
    `report` and `docs` are what to show; `recheck` and `update` serve --fix."""

    options: Options
    table: VenueTable
    report: Report = field(default_factory=Report)
    docs: list[Document] = field(default_factory=list)
    # what the services answered (and the cache held); None when nothing was asked or read
    evidence: Evidence | None = None
    # --changed-since: per file, the lines of the text as read that differ from REF
    changed: dict[str, set[int]] | None = None
    read: dict[str, Document] = field(default_factory=dict)  # each file as read
    files: dict[str, str] = field(default_factory=dict)  # shown path → path as given (for I/O)
    unverified: int = 0
    started: float = field(default_factory=time.perf_counter)
    _followed: Evidence | None = field(default=None, repr=False)  # see recheck
    # (path, text, its parse) of the last recheck: --fix's last pass checks the text it writes,
    # so update need not parse it again
    _rechecked: tuple[str, str, Document] | None = field(default=None, repr=False)
    # the network, started before the parse with arXiv's first batches (verify/early.py)
    network: Network | None = field(default=None, repr=False)

    @property
    def texts(self) -> dict[str, str]:
        """Each file's text as the findings describe it (the fixed text once --fix wrote it)."""
        return {doc.path: doc.text for doc in self.docs}


def run(options: Options, nightly: Nightly | None = None) -> Run:
    """One check. With `nightly`, a full run whose findings are judged against the history."""
    checked = Run(options, VenueTable(options.venues))
    try:
        return _run(checked, nightly)
    finally:
        if checked.network is not None:
            checked.network.close()


def _run(checked: Run, nightly: Nightly | None) -> Run:
    options, report, table = checked.options, checked.report, checked.table

    def ask_early(texts: list[str]) -> None:
        """A list is to be parsed: arXiv's first batches are asked meanwhile (verify/early.py)."""
        from checker.verify import early

        checked.network = early.start(texts, options)

    before_parsing = None if options.offline else ask_early
    docs = checked.docs = load_documents(options, table, report, checked.files, before_parsing)
    checked.read = {doc.path: doc for doc in docs}
    findings = list(offline_findings(docs, options, table))
    to_verify = docs
    scope: dict[str, set[int]] | None = None
    if options.changed_since:
        from checker import changes  # git, only for --changed-since

        ref, files = options.changed_since, checked.files
        changed = checked.changed = {
            d.path: changes.changed_lines(files[d.path], ref) for d in docs
        }
        to_verify = [changes.restrict(d, changed[d.path]) for d in docs]
        scope = {d.path: changes.touched(d, changed[d.path]) for d in docs}
        in_scope = sum(len(d.entries) for d in to_verify)
        report.changed = ChangedScope(ref, in_scope, tuple(d.path for d in docs))
    if nightly is not None:
        nightly.prepare(docs)  # before asking: what failed last time must not come from the cache
    unanswered: dict[str, dict[str, str]] = {}  # service → items it left unverified
    if docs and not (options.offline and options.no_cache):
        from checker.evidence import Evidence  # the network side, imported only when used
        from checker.verify import verify

        checked.evidence = Evidence()
        network, checked.network = checked.network, None  # verify closes it
        online, checked.unverified, report.requests = verify(
            to_verify, options, checked.table, checked.evidence, network
        )
        findings.extend(online)
        unanswered = checked.evidence.unavailable
    if scope is not None:
        findings = [f for f in findings if f.line in scope.get(f.file, set())]
    report.findings = finish(findings, docs, options)
    if nightly is not None and not report.problems:  # an unread file must not erase history
        nightly.judge(report, unanswered, checked.unverified)
        nightly.save()
    if checked.evidence is not None:  # after judging: a nightly suspect is not repaired
        _repair(checked, nightly)
    # counted after judging: a suspect (failed once) does not count
    report.summary = summarize(docs, report.findings, checked.unverified)
    _name_entries(report, docs)
    report.summary.duration_s = time.perf_counter() - checked.started
    return checked


def _repair(checked: Run, nightly: Nightly | None) -> None:
    """Archived copies for dead links, the right arXiv ID for a wrong one (verify/repair.py)."""
    from checker.verify.repair import repair

    report, options = checked.report, checked.options
    assert checked.evidence is not None
    amended, asked = repair(
        report.findings, checked.docs, options, checked.evidence, checked.files, nightly
    )
    report.findings = finish(amended, checked.docs, options)
    for service, count in asked.items():
        report.requests[service] = report.requests.get(service, 0) + count


def recheck(checked: Run, path: str, text: str) -> list[Finding]:
    """The findings `checked` would have reported had `path` held `text`.

    The text is parsed and the offline rules run on it; the online rules judge it with the
    answers the run already has — no request is sent and nothing is written to the cache. Those
    answers also stand for the targets a fix leads to (a moved repository's new name, a
    redirect's final URL: `verify.followed`); any other target the run never asked about gives
    no finding, as an unknown never does. Selection, suppressions and severity overrides apply
    as in the run.

    With --changed-since, the scope is the lines of the new text that differ from REF, found
    without asking git again: a line the new text keeps from the file as read keeps git's answer
    for it, a line it writes anew counts as changed; then widened to whole entries, as in the
    run. (A fix that writes back exactly REF's line is the one case where a fresh run would see
    that line unchanged.)
    """
    options, table = checked.options, checked.table
    doc = parse_text(path, text, table)
    checked._rechecked = (path, text, doc)
    findings = list(offline_findings([doc], options, table))
    judged = doc
    scope: set[int] | None = None
    if checked.changed is not None and path in checked.changed:
        from checker import changes

        lines = carried_changes(checked.read[path].lines, doc.lines, checked.changed[path])
        judged = changes.restrict(doc, lines)
        scope = changes.touched(doc, lines)
    if checked.evidence is not None:
        from checker.verify.judge import followed, judge

        if checked._followed is None:
            checked._followed = followed(checked.evidence, options)
        findings.extend(judge([judged], checked._followed, table))
    if scope is not None:
        findings = [f for f in findings if f.line in scope]
    found = finish(findings, [doc], options)
    if checked.evidence is not None:  # the repairs the run found, again: nothing is asked
        from checker.verify.amend import amend

        found = finish(amend(found, [doc], checked.evidence), [doc], options)
    return found


def carried_changes(before: Sequence[str], after: Sequence[str], changed: set[int]) -> set[int]:
    """1-based lines of `after` that differ from REF, given `before` and its lines that do: a line
    `after` keeps from `before` keeps its state, a line `after` writes anew is changed."""
    out: set[int] = set()
    import difflib  # --fix with --changed-since only

    matcher = difflib.SequenceMatcher(None, before, after)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out.update(j1 + k + 1 for k in range(i2 - i1) if i1 + k + 1 in changed)
        else:
            out.update(range(j1 + 1, j2 + 1))
    return out


def update(checked: Run, path: str, text: str, findings: Sequence[Finding]) -> None:
    """`path` now holds `text` (written by --fix) and `findings` are its findings: the report,
    its summary and `texts` say so from now on; the other files' findings are left as they were."""
    last = checked._rechecked
    if last is not None and last[0] == path and last[1] == text:
        doc = last[2]  # the fix's last recheck parsed exactly this text
    else:
        doc = parse_text(path, text, checked.table)
    checked.docs = [doc if d.path == path else d for d in checked.docs]
    report = checked.report
    kept = [f for f in report.findings if f.file != path]
    report.findings = sorted([*kept, *findings], key=lambda f: f.sort_key)
    report.summary = summarize(checked.docs, report.findings, checked.unverified)
    _name_entries(report, checked.docs)
    report.summary.duration_s = time.perf_counter() - checked.started

