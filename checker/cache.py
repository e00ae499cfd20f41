"""A small SQLite cache of answers, so the next run asks only what is new or stale.

Only definite answers are stored (never "unavailable"), each kind with its own lifetime: an arXiv
paper's title and venue change rarely, a link's health changes often. `--offline` reads what is
still fresh and asks nothing — from a cache folder it cannot write, too (read only).

A cache that cannot be opened costs speed, not correctness, and the run goes on without it; but
a file that is definitely damaged (not a lock held by a concurrent run, not a folder that cannot
be written) would cost every later run the same, and a nightly run its whole history: `repair`
moves it aside before the run, so that a fresh one starts, and says so.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from contextlib import closing, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

    from checker.config import Options

HOUR = 3600.0
DAY = 24 * HOUR
# What can change from one day to the next is an observation kept under a day: a daily scheduled
# run asks it again however late cron starts it, and a pull request a few hours after that run
# reuses its answers.
OBSERVATION = 20 * HOUR
LIFETIMES: dict[str, float] = {
    "arxiv": 30 * DAY,
    "arxiv-missing": OBSERVATION,
    "s2": 7 * DAY,
    "dblp": 30 * DAY,
    "github": OBSERVATION,
    "web": OBSERVATION,
    "wayback": 30 * DAY,  # a dead link's archived copy, or that there is none
    "arxiv-title": 7 * DAY,  # arXiv's title search (new papers appear)
    "arxiv-title-none": OBSERVATION,  # a search that found nothing (or an answer left empty)
    "document": 30 * DAY,  # a file as parsed, while its text and paperlint are the same (parsed.py)
}
# Rows written by one statement. Each statement is one step of SQLite's, and Python lets other
# threads run during each: row by row (`executemany`), a thousand answers written while another
# thread computes (the parse, an answer read) waited a switch interval a row, half a second in
# all, holding back the event loop and arXiv's next request with it. 2 + 2 × 400 parameters
# stay under the 999 of an older SQLite.
WRITE_STEP = 400

SCHEMA = """
CREATE TABLE IF NOT EXISTS answers_v1 (
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    stored REAL NOT NULL,
    PRIMARY KEY (kind, key)
)
"""
# SQLite's primary result codes for a file that is not (or no longer) a database
SQLITE_CORRUPT, SQLITE_NOTADB = 11, 26


def default_path() -> Path:
    import platformdirs  # only where no --cache names the file

    return Path(platformdirs.user_cache_dir("paperlint")) / "cache.sqlite3"


def cache_path(options: Options) -> Path | None:
    """The cache a run opens: --cache, else the user's cache folder; None with --no-cache.
    One expression, so that every reader and writer of the cache opens the same file."""
    return None if options.no_cache else Path(options.cache or default_path())


def damaged(exc: BaseException) -> bool:
    """A definite corruption: "database is locked", a full disk or a folder that cannot be
    written are something else, and never a reason to move a file aside."""
    code = getattr(exc, "sqlite_errorcode", None)
    return isinstance(code, int) and code & 0xFF in (SQLITE_CORRUPT, SQLITE_NOTADB)


def open_read_only(
    path: Path, timeout: float = 5.0, immutable: bool = True
) -> tuple[sqlite3.Connection | None, sqlite3.Error | None]:
    """The database as it is, for reading, or why it cannot be read. In a folder that cannot be
    written SQLite cannot make the files its write-ahead log needs: `immutable` (nothing can write
    there either) is tried last. Never to judge damage: it reads around a concurrent writer."""
    try:
        uri = path.resolve().as_uri()
    except (OSError, ValueError):
        return None, None
    error: sqlite3.Error | None = None
    for how in ("mode=ro", "mode=ro&immutable=1")[: 2 if immutable else 1]:
        db: sqlite3.Connection | None = None
        try:
            # one thread at a time, not always the one that opened it (Cache.close_meanwhile)
            db = sqlite3.connect(f"{uri}?{how}", uri=True, timeout=timeout, check_same_thread=False)
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return db, None
        except sqlite3.Error as exc:
            error = error if error is not None and damaged(error) else exc
            if db is not None:
                db.close()
    return None, error


def repair(path: Path | None, thorough: bool = False) -> str | None:
    """Check the cache file before a run; a definitely damaged one is moved aside (`NAME.corrupt`)
    so that the run starts a fresh one. `thorough` (a nightly run, whose history is at stake)
    also checks every page, which costs a few milliseconds per megabyte. Returns the one line to
    show, or None when there is nothing to say."""
    if path is None or not path.is_file():
        return None
    # read only, as SQLite sees it with every lock: a concurrent run's lock is not damage
    db, error = open_read_only(path, timeout=0.5, immutable=False)
    why = str(error) if error is not None and damaged(error) else ""
    if db is not None:
        try:
            if thorough:
                (result,) = db.execute("PRAGMA quick_check(1)").fetchone()
                why = "" if result == "ok" else str(result).splitlines()[0][:120]
        except sqlite3.Error as exc:
            why = str(exc) if damaged(exc) else ""
        finally:
            db.close()
    if not why:
        return None  # sound, locked by a concurrent run, or unreadable: not ours to move
    return _move_aside(path, why)


def _move_aside(path: Path, why: str) -> str:
    aside = path.with_name(path.name + ".corrupt")
    shown = str(path)  # the command line escapes what it prints
    try:
        os.replace(path, aside)
    except FileNotFoundError:
        return f"the cache {shown} was damaged ({why}); a concurrent run has moved it aside"
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        return f"the cache {shown} is damaged ({why}) and cannot be moved aside ({reason})"
    for suffix in ("-wal", "-shm"):  # a log of the damaged file must not meet the fresh one
        with suppress(OSError):
            os.replace(f"{path}{suffix}", f"{aside}{suffix}")
    return f"the cache {shown} is damaged ({why}): moved it to {aside.name}, starting a fresh one"


class Cache:
    """`read_only`: when the cache cannot be opened for writing (a folder that cannot be
    written), read it as it is rather than run without it. Only for a run that writes nothing
    (`--offline`): a nightly run must be able to drop what failed last time."""

    def __init__(
        self, path: Path | None, now: float | None = None, read_only: bool = False
    ) -> None:
        self.now = now if now is not None else time.time()
        self.db: sqlite3.Connection | None = None
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # used by one thread at a time, but not always the one that opened it: a run's
            # asking goes on in the network's own thread (verify/early.py)
            self.db = sqlite3.connect(path, check_same_thread=False)
            self.db.execute("PRAGMA journal_mode=WAL")
            # with a write-ahead log, NORMAL never corrupts the file; a power cut may cost the
            # last answers written, which the next run asks again: no disk sync per write
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute(SCHEMA)
        except (sqlite3.Error, OSError):
            # A cache that cannot be opened (read-only home, a lock, a damaged file) costs speed,
            # not correctness: run without it (`repair` has moved a damaged one aside).
            if self.db is not None:
                self.db.close()
            self.db = None
            if read_only and path.is_file():
                self.db, _ = open_read_only(path)

    def get_many(self, kind: str, keys: list[str]) -> dict[str, Any]:
        if self.db is None or not keys:
            return {}
        oldest = self.now - LIFETIMES[kind]
        try:
            return self._get_many(kind, keys, oldest)
        except (sqlite3.Error, ValueError):
            return {}  # locked by another run, or damaged: ask the services instead

    def _get_many(self, kind: str, keys: list[str], oldest: float) -> dict[str, Any]:
        assert self.db is not None
        with closing(self.db.cursor()) as cur:
            try:  # one query for all the keys, whatever their number (SQLite's JSON functions)
                cur.execute(
                    "SELECT key, value FROM answers_v1 WHERE kind = ? AND stored >= ? "
                    "AND key IN (SELECT value FROM json_each(?))",
                    (kind, oldest, json.dumps(keys)),
                )
                rows = cur.fetchall()
            except sqlite3.DatabaseError as exc:
                if "json_each" not in str(exc):
                    raise
                rows = []  # an SQLite built without them: in chunks of bound parameters
                for start in range(0, len(keys), 500):
                    chunk = keys[start : start + 500]
                    marks = ",".join("?" * len(chunk))
                    cur.execute(
                        f"SELECT key, value FROM answers_v1 WHERE kind = ? AND stored >= ? "
                        f"AND key IN ({marks})",
                        (kind, oldest, *chunk),
                    )
                    rows += cur.fetchall()
        return {key: json.loads(value) for key, value in rows}

    def put_many(self, kind: str, items: dict[str, Any]) -> None:
        if self.db is None or not items:
            return
        pairs = [(k, json.dumps(v)) for k, v in items.items()]
        try:
            with self.db:  # one transaction, a statement per WRITE_STEP rows
                for start in range(0, len(pairs), WRITE_STEP):
                    chunk = pairs[start : start + WRITE_STEP]
                    self.db.execute(
                        "INSERT OR REPLACE INTO answers_v1 (kind, key, value, stored) "
                        "SELECT ?, column1, column2, ? FROM (VALUES "
                        + ",".join(["(?, ?)"] * len(chunk))
                        + ")",
                        (kind, self.now, *(x for pair in chunk for x in pair)),
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

    def close_meanwhile(self) -> Callable[[], None]:
        """Closed in a thread of its own, while this one goes on: closing writes the log back
        into the file (a fiftieth of a second after a cold run), and lets other threads run
        meanwhile. Call what it returns to wait for it, and for its error if any."""
        from checker.threads import meanwhile

        return meanwhile(self.close, "paperlint-cache-close")
