"""The cache file over time: a damaged one is moved aside (and said so) instead of making every
nightly run a silent baseline; a lock held by a concurrent run or a folder that cannot be written
is never taken for damage; `--offline` reads a cache it cannot write; answers that change from one
day to the next live 20 hours, so a daily run always asks again (time set by the cache's clock)."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fakes import FakeServices, Page, Repo

from checker import cache as cache_module
from checker.cache import LIFETIMES, Cache, repair
from checker.cli import main


@pytest.fixture
def site(fake: FakeServices, tmp_path: Path) -> Path:
    fake.world.add(Page("/a", status=404), Page("/b"))
    path = tmp_path / "list.md"
    path.write_text(
        "# Links\n\n" + "".join(f"- [{n}]({fake.web('/' + n)})\n" for n in "ab"), "utf-8"
    )
    return path


def nightly(paperlint: Any, site: Path, db: Path) -> Any:
    run = paperlint(str(site), "--nightly", "--cache", str(db), "--allow-private")
    assert run.code == 0, run.err
    return run


def warnings(run: Any) -> list[str]:
    """paperlint's own lines (in this process the fakes' threads may log a reset connection)."""
    return [line for line in run.err.splitlines() if line.startswith("paperlint")]


def state_of_a(run: Any) -> tuple[str, int]:
    (f,) = [f for f in run.findings if f["rule"] == "link-broken"]
    return f["nightly"]["state"], f["nightly"]["runs"]


def truncate(db: Path) -> None:
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 2])


def garbage(db: Path) -> None:
    db.write_bytes(b"this is not a database, it is a text file\n" * 300)


def zero_header(db: Path) -> None:
    data = db.read_bytes()
    db.write_bytes(b"\0" * 100 + data[100:])


def scribble_on_a_page(db: Path) -> None:
    """Damage inside the file: it opens, and only a check of its pages tells."""
    data = bytearray(db.read_bytes())
    page = 4096
    last = len(data) // page - 1
    data[last * page : (last + 1) * page] = b"\xa5" * page
    db.write_bytes(bytes(data))


def checkpointed(db: Path) -> None:
    """Everything in the main file (as after the last run closed it), no log beside it."""
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)


@pytest.mark.parametrize("damage", [truncate, garbage, zero_header, scribble_on_a_page])
def test_a_damaged_cache_is_moved_aside_once_and_the_nightly_confirms_again(
    fake: FakeServices, paperlint: Any, site: Path, tmp_path: Path, damage: Any
) -> None:
    db = tmp_path / "cache.sqlite3"
    filler = Cache(db)  # enough answers that the file has pages to damage beyond the schema
    filler.put_many("arxiv", {f"{i}": {"abstract": "x" * 500} for i in range(200)})
    filler.close()
    assert state_of_a(nightly(paperlint, site, db)) == ("suspect", 1)
    checkpointed(db)
    damage(db)

    hurt = nightly(paperlint, site, db)
    (line,) = warnings(hurt)
    assert line.startswith(f"paperlint: warning: the cache {db} is damaged (")
    assert line.endswith(": moved it to cache.sqlite3.corrupt, starting a fresh one")
    assert (tmp_path / "cache.sqlite3.corrupt").is_file()
    assert hurt.report["nightly"]["baseline"] is True  # the history went with the file
    assert state_of_a(hurt) == ("suspect", 1)

    after = nightly(paperlint, site, db)
    assert warnings(after) == []  # said once
    assert state_of_a(after) == ("new", 2)  # no longer a silent baseline every night


def test_a_cache_locked_by_a_concurrent_run_is_not_damage(tmp_path: Path) -> None:
    db = tmp_path / "cache.sqlite3"
    first = Cache(db)
    first.put_many("web", {"https://example.org/": {"status": 200}})
    first.close()
    holder = sqlite3.connect(db, isolation_level=None)
    try:  # a writer that keeps the file to itself: a reader gets "database is locked"
        holder.execute("PRAGMA locking_mode=EXCLUSIVE")
        holder.execute("BEGIN EXCLUSIVE")
        holder.execute("INSERT INTO answers_v1 VALUES ('web', 'k', '1', 0)")
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0).execute(
                "SELECT count(*) FROM answers_v1"
            ).fetchone()
        assert repair(db, thorough=True) is None
        assert db.is_file() and not (tmp_path / "cache.sqlite3.corrupt").exists()
    finally:
        holder.close()
    assert Cache(db).get_many("web", ["https://example.org/"]) == {
        "https://example.org/": {"status": 200}
    }


def test_a_sound_cache_is_left_alone(tmp_path: Path) -> None:
    db = tmp_path / "cache.sqlite3"
    first = Cache(db)
    first.put_many("web", {"u": {"status": 200}})
    first.close()
    assert repair(db, thorough=True) is None and repair(db) is None
    assert repair(tmp_path / "missing.sqlite3") is None and repair(None) is None
    assert Cache(db).get_many("web", ["u"]) == {"u": {"status": 200}}


@pytest.fixture
def unwritable(tmp_path: Path) -> Iterator[Path]:
    """A folder nobody can write, root included (where chmod is not enough: chattr +i)."""
    folder = tmp_path / "ro"
    folder.mkdir()
    yield folder
    subprocess.run(["chattr", "-i", str(folder)], capture_output=True, check=False)
    folder.chmod(0o755)


def lock(folder: Path) -> None:
    folder.chmod(0o555)
    if os.access(folder, os.W_OK) and shutil.which("chattr"):
        subprocess.run(["chattr", "+i", str(folder)], capture_output=True, check=False)
    if os.access(folder, os.W_OK):
        pytest.skip("cannot make a folder unwritable here (root without chattr +i)")


def test_offline_reads_a_cache_in_a_folder_it_cannot_write(
    fake: FakeServices, paperlint: Any, site: Path, unwritable: Path
) -> None:
    db = unwritable / "cache.sqlite3"
    online = paperlint(str(site), "--cache", str(db), "--allow-private")
    assert {f["rule"] for f in online.findings} == {"link-broken"}
    lock(unwritable)
    fake.clear_log()

    offline = paperlint(str(site), "--offline", "--cache", str(db), "--allow-private")
    assert warnings(offline) == []  # not damage: nothing moved, nothing said
    assert [f["rule"] for f in offline.findings] == ["link-broken"]  # from the cache
    assert fake.log == []
    assert sorted(p.name for p in unwritable.iterdir()) == ["cache.sqlite3"]

    night = paperlint(str(site), "--nightly", "--cache", str(db), "--allow-private")
    (line,) = warnings(night)  # no silent baseline: one line says why
    assert line.startswith("paperlint: warning: the nightly history cannot be kept in the cache")


def test_a_damaged_cache_in_a_folder_that_cannot_be_written_stays_where_it_is(
    unwritable: Path,
) -> None:
    db = unwritable / "cache.sqlite3"
    garbage(db)
    lock(unwritable)
    line = repair(db, thorough=True)
    assert line is not None and "is damaged (file is not a database)" in line
    assert "cannot be moved aside" in line
    assert sorted(p.name for p in unwritable.iterdir()) == ["cache.sqlite3"]


# ---------------------------------------------------------------------------------------------
# Lifetimes: a daily run asks links and repositories again, a run hours later does not


def test_links_and_repositories_live_less_than_a_day() -> None:
    for kind in ("web", "github", "arxiv-missing"):
        assert 12 * 3600 <= LIFETIMES[kind] <= 22 * 3600


def test_a_run_21_hours_later_asks_again_a_run_4_hours_later_does_not(
    fake: FakeServices,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    fake.world.add(Page("/page"), Repo("octo/tool"))
    path = tmp_path / "list.md"
    path.write_text(
        f"# L\n\n- [page]({fake.web('/page')})\n- [tool](https://github.com/octo/tool)\n", "utf-8"
    )
    start = 1_790_000_000.0

    def run_at(hours: float) -> set[str]:
        """A plain check `hours` after the first, as the cache's clock sees it."""
        clock = types.SimpleNamespace(time=lambda: start + hours * 3600)
        monkeypatch.setattr(cache_module, "time", clock)
        fake.clear_log()
        code = main([str(path), "--cache", str(tmp_path / "c.sqlite3"), "--allow-private",
                     "--no-progress", "--format", "json"])  # fmt: skip
        assert code == 0
        assert json.loads(capsys.readouterr().out)["findings"] == []
        return {r.service for r in fake.log}

    assert run_at(0) == {"web", "github"}
    assert run_at(4) == set()  # a pull request after the nightly run: its answers reused
    assert run_at(21) == {"web", "github"}  # the next daily run, however late: asked again


def test_many_answers_are_written_in_a_few_statements_and_read_back_as_written(
    tmp_path: Path,
) -> None:
    """Python lets other threads run during each statement: a row a statement, a thousand
    answers written while the parse runs beside the network waited their turn a thousand times
    (half a second: cache.WRITE_STEP)."""
    cache = Cache(tmp_path / "cache.sqlite3")
    assert cache.db is not None
    answers: dict[str, Any] = {
        f"2301.{k:05d}": {"title": f"Paper {k}", "names": ["a", "b'c"], "year": 2023}
        for k in range(1000)
    }
    answers |= {"true": True, "text": 'it\'s "quoted"', "nothing": None, "number": 1.5}
    statements: list[str] = []
    cache.db.set_trace_callback(statements.append)
    cache.put_many("s2", answers)
    cache.db.set_trace_callback(None)
    inserts = [s for s in statements if s.lstrip().upper().startswith("INSERT")]
    assert len(inserts) == -(-len(answers) // cache_module.WRITE_STEP)
    assert cache.get_many("s2", list(answers)) == answers
    cache.close()


def test_a_cache_closed_meanwhile_says_why_it_could_not_close(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache.sqlite3")
    cache.put_many("arxiv", {"2301.00001": {"title": "A paper"}})

    class Refuses:
        def close(self) -> None:
            raise RuntimeError("the disk is gone")

    real = cache.db
    cache.db = Refuses()  # type: ignore[assignment]
    waited = cache.close_meanwhile()
    with pytest.raises(RuntimeError, match="the disk is gone"):
        waited()
    assert real is not None
    real.close()
