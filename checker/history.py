"""Nightly history, per target (a link's URL, an arXiv ID, a repository — never a line, so a row
that moves keeps its history): when it first failed, when it was last fine, how many runs in a row
it failed, and whether the last report counted it as broken.

It lives beside the answer cache, in two tables of the same SQLite file, and is mirrored in the
nightly issue's body (a hidden block), because an Actions cache can be evicted at any time: with
either one, nothing is lost; with neither, the run starts a new baseline.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import sqlite3
import zlib
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
MIRROR = re.compile(r"<!-- paperlint-history v1\n([A-Za-z0-9+/=\n]*)\n-->")
MAX_MIRROR_JSON = 8 * 1024 * 1024  # a damaged or hostile block never inflates past this


@dataclass
class TargetHistory:
    first_failed: str | None  # ISO time; None while fine
    last_fine: str | None
    runs: int  # failures in a row
    confirmed: bool  # counted as broken by the last run
    rule: str = ""  # what it failed with last, and where
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
        for value in (first, last, url):
            if value is not None and not isinstance(value, str):
                raise ValueError("not a history row")
        if not (isinstance(runs, int) and isinstance(line, int) and runs >= 0):
            raise ValueError("not a history row")
        return cls(first, last, runs, bool(confirmed), str(rule), str(file), line, url)


@dataclass
class History:
    targets: dict[str, TargetHistory] = field(default_factory=dict)
    runs: list[NightlyRun] = field(default_factory=list)  # oldest first

    @property
    def last_at(self) -> str:
        return self.runs[-1].at if self.runs else ""

    @property
    def failing(self) -> dict[str, TargetHistory]:
        return {k: t for k, t in self.targets.items() if t.runs > 0}

    # -- the mirror in the issue body ---------------------------------------------------------

    def to_mirror(self, max_chars: int = 30_000) -> str:
        """The failing targets and the runs, compressed into a hidden block. Too big a block
        drops the least established failures first (suspects before confirmed)."""
        failing = sorted(self.failing.items(), key=lambda kv: (kv[1].confirmed, kv[1].runs))
        runs = [[r.at, r.broken, r.unverified, r.suspects] for r in self.runs[-KEEP_RUNS:]]
        while True:
            data = {"runs": runs, "targets": {k: t.row() for k, t in failing}}
            raw = json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
            blob = base64.b64encode(zlib.compress(raw, 9)).decode("ascii")
            lines = [blob[i : i + 76] for i in range(0, len(blob), 76)]
            block = "<!-- paperlint-history v1\n" + "\n".join(lines) + "\n-->"
            if len(block) <= max_chars or not failing:
                return block
            failing = failing[max(1, len(failing) // 10) :]

    @classmethod
    def from_mirror(cls, body: str) -> History | None:
        """The history kept in an issue body; None when there is none or it is unreadable."""
        m = MIRROR.search(body or "")
        if m is None:
            return None
        try:
            packed = base64.b64decode(m.group(1).replace("\n", ""), validate=True)
            inflate = zlib.decompressobj()
            raw = inflate.decompress(packed, MAX_MIRROR_JSON)
            if inflate.unconsumed_tail:
                return None
            data = json.loads(raw.decode("utf-8"))
            runs = [
                NightlyRun(str(at), int(broken), int(unverified), int(suspects))
                for at, broken, unverified, suspects in data["runs"]
            ]
            targets = {str(k): TargetHistory.from_row(v) for k, v in data["targets"].items()}
        except (binascii.Error, zlib.error, ValueError, TypeError, KeyError, AttributeError):
            return None  # edited by hand or damaged: as if there were none
        return cls(targets=targets, runs=runs)


class HistoryStore:
    """The history tables in the cache database. Like the cache, a database that cannot be
    opened costs memory, not the run: the issue's mirror still carries the history."""

    def __init__(self, path: Path | None) -> None:
        self.db: sqlite3.Connection | None = None
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(path, timeout=10)
            for statement in SCHEMA:
                self.db.execute(statement)
        except (sqlite3.Error, OSError):
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
                runs = [NightlyRun(*row) for row in reversed(cur.fetchall())]
                cur.execute(
                    "SELECT key, first_failed, last_fine, runs, confirmed, rule, file, line, url "
                    "FROM nightly_targets_v1 WHERE scope = ?",
                    (scope,),
                )
                targets = {row[0]: TargetHistory.from_row(row[1:]) for row in cur.fetchall()}
        except (sqlite3.Error, ValueError):
            return None
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
        except sqlite3.Error:
            return False
        return True

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
