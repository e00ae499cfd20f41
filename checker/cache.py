"""A small SQLite cache of answers, so the next run asks only what is new or stale.

Only definite answers are stored (never "unavailable"), each kind with its own lifetime: an arXiv
paper's title and venue change rarely, a link's health changes often. `--offline` reads what is
still fresh and asks nothing.
"""

from __future__ import annotations

import json
import sqlite3
import time
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING, Any

import platformdirs

if TYPE_CHECKING:
    from checker.config import Options

DAY = 86400.0
LIFETIMES: dict[str, float] = {
    "arxiv": 30 * DAY,
    "arxiv-missing": 1 * DAY,
    "s2": 7 * DAY,
    "dblp": 30 * DAY,
    "github": 1 * DAY,
    "web": 1 * DAY,
    "wayback": 30 * DAY,  # a dead link's archived copy, or that there is none
    "arxiv-title": 7 * DAY,  # arXiv's title search (new papers appear)
    "arxiv-title-none": 1 * DAY,  # a search that found nothing (or an answer left empty)
}
SCHEMA = """
CREATE TABLE IF NOT EXISTS answers_v1 (
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    stored REAL NOT NULL,
    PRIMARY KEY (kind, key)
)
"""


def default_path() -> Path:
    return Path(platformdirs.user_cache_dir("paperlint")) / "cache.sqlite3"


def cache_path(options: Options) -> Path | None:
    """The cache a run opens: --cache, else the user's cache folder; None with --no-cache.
    One expression, so that every reader and writer of the cache opens the same file."""
    return None if options.no_cache else Path(options.cache or default_path())


class Cache:
    def __init__(self, path: Path | None, now: float | None = None) -> None:
        self.now = now if now is not None else time.time()
        self.db: sqlite3.Connection | None = None
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(path)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute(SCHEMA)
        except (sqlite3.Error, OSError):
            # A cache that cannot be opened (read-only home, corrupt file) costs speed, not
            # correctness: run without it.
            self.db = None

    def get_many(self, kind: str, keys: list[str]) -> dict[str, Any]:
        if self.db is None or not keys:
            return {}
        oldest = self.now - LIFETIMES[kind]
        try:
            return self._get_many(kind, keys, oldest)
        except (sqlite3.Error, ValueError):
            return {}  # locked by another run, or damaged: ask the services instead

    def _get_many(self, kind: str, keys: list[str], oldest: float) -> dict[str, Any]:
        found: dict[str, Any] = {}
        with closing(self.db.cursor()) as cur:  # type: ignore[union-attr]
            for start in range(0, len(keys), 500):
                chunk = keys[start : start + 500]
                marks = ",".join("?" * len(chunk))
                cur.execute(
                    f"SELECT key, value FROM answers_v1 WHERE kind = ? AND stored >= ? "
                    f"AND key IN ({marks})",
                    (kind, oldest, *chunk),
                )
                for key, value in cur.fetchall():
                    found[key] = json.loads(value)
        return found

    def put_many(self, kind: str, items: dict[str, Any]) -> None:
        if self.db is None or not items:
            return
        rows = [(kind, k, json.dumps(v), self.now) for k, v in items.items()]
        try:
            with self.db:
                self.db.executemany(
                    "INSERT OR REPLACE INTO answers_v1 (kind, key, value, stored) "
                    "VALUES (?, ?, ?, ?)",
                    rows,
                )
        except sqlite3.Error:
            pass

    def forget(self, kind: str, keys: list[str]) -> None:
        """Drop these answers, so the next run asks again (--nightly: what failed last time)."""
        if self.db is None or not keys:
            return
        try:
            with self.db:  # one transaction; (kind, key) is the primary key: one lookup a row
                self.db.executemany(
                    "DELETE FROM answers_v1 WHERE kind = ? AND key = ?",
                    [(kind, key) for key in keys],
                )
        except sqlite3.Error:
            pass

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
