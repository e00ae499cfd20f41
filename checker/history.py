"""Nightly history, per target (a link's URL, an arXiv ID, a repository — never a line, so a row
that moves keeps its history): when it first failed, when it was last fine, how many runs in a row
it failed, and whether the last report counted it as broken.

It lives beside the answer cache, in two tables of the same SQLite file, and is mirrored in the
nightly issue (`checker.mirror`), because an Actions cache can be evicted at any time: with
either one, nothing is lost; with neither, the run starts a new baseline.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import sqlite3
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from checker.model import NightlyRun

KEEP_RUNS = 30  # the chart's width
SCHEMA = (
    """
    CREATE TABLE IF NOT EXISTS nightly_targets_v1 (
        scope TEXT NOT NULL,
        key TEXT NOT NULL,
        first_failed TEXT,
        last_fine TEXT,
        runs INTEGER NOT NULL,
        confirmed INTEGER NOT NULL,
        rule TEXT NOT NULL,
        file TEXT NOT NULL,
        line INTEGER NOT NULL,
        url TEXT,
        PRIMARY KEY (scope, key)
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS nightly_runs_v1 (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        scope TEXT NOT NULL,
        at TEXT NOT NULL,
        broken INTEGER NOT NULL,
        unverified INTEGER NOT NULL,
        suspects INTEGER NOT NULL
    )
    """,
)
TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
RULE = re.compile(r"[a-z][a-z0-9-]{0,63}")
LONGEST_RUN = 2**62  # what SQLite's integers hold, with room to add one
KEY_BYTES = 8  # a hashed key: no collision to fear among thousands of targets


def hashed(key: str) -> str:
    """How a target is named in the issue's mirror (and in a History read from it)."""
    return "#" + digest(key).hex()


def digest(key: str) -> bytes:
    if key.startswith("#") and len(key) == 1 + 2 * KEY_BYTES:
        return bytes.fromhex(key[1:])  # hashed already
    return hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=KEY_BYTES).digest()


def valid_time(text: str) -> bool:
    """An ISO time as the history writes it (shown in the report: nothing else gets through)."""
    if not TIME.fullmatch(text):
        return False
    try:
        dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        return False
    return True


def valid_rule(text: str) -> bool:
    return text == "" or RULE.fullmatch(text) is not None


@dataclass
class TargetHistory:
    first_failed: str | None  # ISO time; None while fine
    last_fine: str | None
    runs: int  # failures in a row
    confirmed: bool  # counted as broken by the last run
    rule: str = ""  # what it failed with last, and where (the mirror keeps the rule only)
    file: str = ""
    line: int = 0
    url: str | None = None

    def row(self) -> list[Any]:
        return [
            self.first_failed,
            self.last_fine,
            self.runs,
            int(self.confirmed),
            self.rule,
            self.file,
            self.line,
            self.url,
        ]

    @classmethod
    def from_row(cls, row: list[Any] | tuple[Any, ...]) -> TargetHistory:
        first, last, runs, confirmed, rule, file, line, url = row
        for value in (first, last):
            if value is not None and not (isinstance(value, str) and valid_time(value)):
                raise ValueError("not a history row")
        if url is not None and not isinstance(url, str):
            raise ValueError("not a history row")
        if not (isinstance(runs, int) and isinstance(line, int) and 0 <= runs < LONGEST_RUN):
            raise ValueError("not a history row")
        if not (isinstance(rule, str) and valid_rule(rule)):
            raise ValueError("not a history row")
        return cls(first, last, runs, bool(confirmed), rule, str(file), line, url)


@dataclass
class History:
    """`targets` by key (`url:…`, `arxiv:…`, `repo:…`), or by hashed key (`#…`) when read from
    the issue's mirror: `lookup` finds a target either way."""

    targets: dict[str, TargetHistory] = field(default_factory=dict)
    runs: list[NightlyRun] = field(default_factory=list)  # oldest first

    @property
    def last_at(self) -> str:
        return self.runs[-1].at if self.runs else ""

    @property
    def failing(self) -> dict[str, TargetHistory]:
        return {k: t for k, t in self.targets.items() if t.runs > 0}

    def lookup(self, key: str) -> TargetHistory | None:
        found = self.targets.get(key)
        if found is None and not key.startswith("#"):
            found = self.targets.get(hashed(key))
        return found


class HistoryStore:
    """The history tables in the cache database. Like the cache, a database that cannot be
    opened costs memory, not the run: the issue's mirror still carries the history."""

    def __init__(self, path: Path | None) -> None:
        self.db: sqlite3.Connection | None = None
        self.problem: str | None = None  # why it could not be opened or written, for one line
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(path, timeout=10)
            for statement in SCHEMA:
                self.db.execute(statement)
        except (sqlite3.Error, OSError) as exc:
            self.problem = _why(exc)
            if self.db is not None:
                self.db.close()
            self.db = None

    def load(self, scope: str) -> History | None:
        if self.db is None:
            return None
        try:
            with closing(self.db.cursor()) as cur:
                cur.execute(
                    "SELECT at, broken, unverified, suspects FROM nightly_runs_v1 "
                    "WHERE scope = ? ORDER BY id DESC LIMIT ?",
                    (scope, KEEP_RUNS),
                )
                runs = [_run(*row) for row in reversed(cur.fetchall())]
                cur.execute(
                    "SELECT key, first_failed, last_fine, runs, confirmed, rule, file, line, url "
                    "FROM nightly_targets_v1 WHERE scope = ?",
                    (scope,),
                )
                targets = {row[0]: TargetHistory.from_row(row[1:]) for row in cur.fetchall()}
        except sqlite3.Error as exc:
            self.problem = _why(exc)
            return None
        except ValueError:
            return None  # rows no version of paperlint wrote: as if there were none
        if not runs:
            return None
        return History(targets=targets, runs=runs)

    def save(self, scope: str, history: History) -> bool:
        if self.db is None:
            return False
        try:
            with self.db:
                self.db.execute("DELETE FROM nightly_targets_v1 WHERE scope = ?", (scope,))
                self.db.executemany(
                    "INSERT INTO nightly_targets_v1 (scope, key, first_failed, last_fine, runs, "
                    "confirmed, rule, file, line, url) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [(scope, key, *t.row()) for key, t in history.targets.items()],
                )
                self.db.execute("DELETE FROM nightly_runs_v1 WHERE scope = ?", (scope,))
                self.db.executemany(
                    "INSERT INTO nightly_runs_v1 (scope, at, broken, unverified, suspects) "
                    "VALUES (?, ?, ?, ?, ?)",
                    [
                        (scope, r.at, r.broken, r.unverified, r.suspects)
                        for r in history.runs[-KEEP_RUNS:]
                    ],
                )
        except (sqlite3.Error, OverflowError) as exc:
            self.problem = _why(exc)
            return False
        return True

    def close(self) -> None:
        if self.db is not None:
            self.db.close()


def _run(at: Any, broken: Any, unverified: Any, suspects: Any) -> NightlyRun:
    if not (isinstance(at, str) and valid_time(at)):
        raise ValueError("not a run")
    if not all(isinstance(n, int) and n >= 0 for n in (broken, unverified, suspects)):
        raise ValueError("not a run")
    return NightlyRun(at, broken, unverified, suspects)


def _why(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        return exc.strerror or type(exc).__name__
    return str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
