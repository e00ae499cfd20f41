"""`--nightly`: judge tonight's findings against the history, per target.

A failure seen once on something that was fine is *suspect*: hosts flake, and a report that turns
red for one bad night teaches maintainers to ignore it. It is confirmed when it lasts
`confirm_after` runs in a row. An outage (`service-unavailable`) is no evidence either way: the
targets it hid keep their history unchanged. What failed last time is always asked again — its
cached answer is dropped before the run — so a cached failure never counts as another night. Links
and repositories are asked afresh every night anyway (each night is one observation of them);
arXiv metadata, which does not rot, still comes from the cache unless it failed.

Failures are network findings of severity error or warning. Info findings (a redirect, an archived
repository, a venue suggestion) are notes, not failures: they carry the state of their target only
when it fails for another reason. A moved repository (`github-moved`) is not a failure either: its
link still works, and the fix is offered every night without history.

`--fix` (and `--diff`) with `--nightly` apply only the fixes of confirmed findings (`confirmed`):
a suspect's fix waits, as its failure does, until it is confirmed. A finding that is not a failure
(what the file itself says, a moved repository, a permanent redirect) has no state and is fixed
at once.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from checker.cache import Cache, cache_path
from checker.config import Options
from checker.history import KEEP_RUNS, History, HistoryStore, TargetHistory
from checker.links import classify
from checker.model import (
    Document,
    Finding,
    LinkKind,
    NightlyReport,
    NightlyRun,
    NightlyState,
    Recovered,
    Report,
)
from checker.rules import BY_NAME

# the services whose silence leaves a target unobserved, and the kind of target they answer for
SERVICE_TARGETS = {
    "arXiv": "arxiv",
    "Semantic Scholar": "arxiv",
    "DBLP": "arxiv",
    "GitHub": "repo",
    "web": "url",
}
# findings that are never failures of their target, whatever their severity
NOT_FAILURES = frozenset({"service-unavailable", "github-moved"})
# the cache kinds a target's answers live in
CACHE_KINDS = {"arxiv": ("arxiv", "arxiv-missing", "s2"), "repo": ("github",), "url": ("web",)}


def now_iso() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def target_key(url: str | None) -> str | None:
    """`arxiv:<id>`, `repo:<owner/name>` (lower case) or `url:<url>`; None for anything else."""
    if not url:
        return None
    c = classify(url)
    if c.kind is LinkKind.ARXIV and c.arxiv_id:
        return f"arxiv:{c.arxiv_id}"
    if c.kind is LinkKind.GITHUB and c.repo:
        return f"repo:{c.repo.lower()}"
    if c.kind is LinkKind.WEB:
        return f"url:{url}"
    return None


def _split(key: str) -> tuple[str, str]:
    kind, _, ident = key.partition(":")
    return kind, ident


@dataclass
class Nightly:
    """One nightly run: the history before (database or issue mirror, whichever is newer),
    the states it gives tonight's findings, and the history after."""

    options: Options
    confirm_after: int = 2
    mirror: History | None = None  # from the issue body, when --issue found one
    at: str = field(default_factory=now_iso)
    before: History | None = None
    after: History = field(default_factory=History)
    # every target in the files and where it stands: found by prepare, used again by judge
    where: dict[str, tuple[str, int, str]] = field(default_factory=dict)
    # tonight's state of every failing target: judge gives it, confirmed reads it again
    states: dict[str, NightlyState] = field(default_factory=dict)
    judged: bool = False  # not when a file could not be read: then nothing is confirmed
    mirror_note: str | None = None  # what reading the issue's mirror had to drop
    store_note: str | None = None  # why the cache database could not keep the history

    @property
    def notes(self) -> list[str]:
        """One line each, for stderr."""
        return [note for note in (self.mirror_note, self.store_note) if note]

    @property
    def scope(self) -> str:
        """One history per set of files, so two lists sharing a cache never mix."""
        return "\n".join(sorted(os.path.normpath(p) for p in self.options.paths))

    def _db_path(self) -> Path | None:
        return cache_path(self.options)

    def prepare(self, docs: list[Document]) -> None:
        """Load the history; drop the cached answers of whatever failed last time, and of every
        link and repository in the files."""
        self.where = _locations(docs)
        store = HistoryStore(self._db_path())
        try:
            stored = store.load(self.scope)
        finally:
            store.close()
        if store.problem is not None:
            self._cannot_keep(store.problem)
        candidates = [h for h in (stored, self.mirror) if h is not None]
        self.before = max(candidates, key=lambda h: h.last_at) if candidates else None
        if self.options.no_cache:
            return
        before = self.before or History()
        ask_again = {k for k in self.where if _split(k)[0] in ("url", "repo")}
        ask_again |= {k for k in self.where if (old := before.lookup(k)) and old.runs > 0}
        cache = Cache(self._db_path())
        try:
            by_kind: dict[str, list[str]] = {}
            for key in sorted(ask_again):
                kind, ident = _split(key)
                for cache_kind in CACHE_KINDS.get(kind, ()):
                    by_kind.setdefault(cache_kind, []).append(ident)
            for cache_kind, idents in by_kind.items():
                cache.forget(cache_kind, idents)
        finally:
            cache.close()

    def judge(
        self, report: Report, unavailable: dict[str, dict[str, str]], unverified: int
    ) -> None:
        """Give every network finding of a failing target of the files `prepare` was given its
        state; fill `recovered`, the chart's runs and the history after this run. The caller
        summarizes the report afterwards: suspects do not count."""
        before = self.before or History()
        where = self.where
        failing = _failing_targets(report.findings)
        broken = {k for k, fs in failing.items() if any(f.severity.rank >= 2 for f in fs)}
        held_back = _unobserved(unavailable) - broken

        after = History()
        states: dict[str, NightlyState] = {}
        recovered: list[Recovered] = []
        held: list[Recovered] = []
        for key in sorted(set(where) | broken):
            old = before.lookup(key)
            was_failing = old is not None and old.runs > 0
            if key in broken:
                first = sorted(failing[key], key=lambda f: (-f.severity.rank, f.sort_key))[0]
                runs = old.runs + 1 if old is not None and was_failing else 1
                since = (old.first_failed if old is not None and was_failing else None) or self.at
                confirmed = runs >= self.confirm_after
                if not confirmed:
                    state = "suspect"
                else:
                    state = "still" if old is not None and old.confirmed else "new"
                states[key] = NightlyState(state, since, runs)
                after.targets[key] = TargetHistory(
                    since,
                    old.last_fine if old else None,
                    runs,
                    confirmed,
                    first.rule,
                    first.file,
                    first.line,
                    first.url,
                )
            elif key in held_back:
                if old is not None:
                    after.targets[key] = old
                    if was_failing:
                        held.append(_recovered(key, old, where))
            else:
                if old is not None and was_failing:
                    recovered.append(_recovered(key, old, where))
                after.targets[key] = TargetHistory(None, self.at, 0, False)

        self.states, self.judged = states, True
        report.findings = [_with_state(f, states) for f in report.findings]
        report.recovered = recovered
        tonight = NightlyRun(
            self.at,
            broken=sum(1 for s in states.values() if s.state != "suspect"),
            unverified=unverified,  # counts papers, repositories and links
            suspects=sum(1 for s in states.values() if s.state == "suspect"),
        )
        after.runs = [*before.runs[-(KEEP_RUNS - 1) :], tonight]
        report.nightly = NightlyReport(
            confirm_after=self.confirm_after,
            at=self.at,
            baseline=self.before is None,
            runs=list(after.runs),
            held=held,
        )
        self.after = after

    def confirmed(self, findings: Iterable[Finding]) -> list[Finding]:
        """The findings whose fixes a nightly `--fix` may apply: each given its target's state
        tonight (a re-check of a fixed text knows no history: without this, a suspect's fix
        would come back in the next pass), the suspects left out. Nothing before `judge`."""
        if not self.judged:
            return []
        return [f for f in (_with_state(f, self.states) for f in findings) if not f.suspect]

    def save(self) -> None:
        """Store the history after this run. A database that cannot be written loses nothing
        the issue's mirror does not carry, so whether it was saved is not kept."""
        store = HistoryStore(self._db_path())
        try:
            store.save(self.scope, self.after)
        finally:
            store.close()
        if store.problem is not None:
            self._cannot_keep(store.problem)

    def _cannot_keep(self, why: str) -> None:
        """Without a database and without an issue every run would silently be a baseline."""
        if self.store_note is None:  # one line is enough
            issue = " (the issue's hidden history still carries it)" if self.mirror else ""
            self.store_note = (
                f"the nightly history cannot be kept in the cache database ({why}){issue}"
            )


def _with_state(f: Finding, states: dict[str, NightlyState]) -> Finding:
    target = _finding_target(f)
    if target is None or target not in states:
        return f
    return dataclasses.replace(f, nightly=states[target])


def _finding_target(f: Finding) -> str | None:
    rule = BY_NAME.get(f.rule)
    if rule is None or not rule.network or f.rule in NOT_FAILURES:
        return None
    return target_key(f.url)


def _failing_targets(findings: Iterable[Finding]) -> dict[str, list[Finding]]:
    out: dict[str, list[Finding]] = {}
    for f in findings:
        key = _finding_target(f)
        if key is not None:
            out.setdefault(key, []).append(f)
    return out


def _locations(docs: list[Document]) -> dict[str, tuple[str, int, str]]:
    """Every target in the files, at its first link: (file, line, url)."""
    where: dict[str, tuple[str, int, str]] = {}
    for doc in docs:
        for link in doc.links:
            key = target_key(link.url) if link.is_http else None
            if key is not None:
                where.setdefault(key, (doc.path, link.line, link.url))
    return where


def _unobserved(unavailable: dict[str, dict[str, str]]) -> set[str]:
    out: set[str] = set()
    for service, items in unavailable.items():
        kind = SERVICE_TARGETS.get(service)
        if kind is None:
            continue
        for item in items:
            out.add(f"{kind}:{item.lower() if kind == 'repo' else item}")
    return out


def _recovered(key: str, old: TargetHistory, where: dict[str, tuple[str, int, str]]) -> Recovered:
    """Shown where the target stands now (rows move), else where it failed."""
    file, line, url = where.get(key, (old.file, old.line, old.url or ""))
    return Recovered(old.rule, file, line, url or old.url or None, old.first_failed or "")
