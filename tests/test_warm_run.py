"""A warm run: every answer fresh in the cache is read in one query per kind, nothing is asked,
and neither the network side (httpx, tenacity, the arxiv package, asyncio) nor the Markdown
parser (the list as parsed is in the cache too) is even imported."""

from __future__ import annotations

import importlib.util
import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

from fakes import FakeServices, seed_world

from checker.cache import Cache

DATA = Path(__file__).parent / "data"
SEED = DATA / "seed" / "efficiency.md"
NO_BLOGS = 'exclude = ["^https://spaces\\\\.ac\\\\.cn/"]\n'
NETWORK_SIDE = ("httpx", "httpcore", "h2", "tenacity", "arxiv", "requests", "asyncio")
PARSER = ("markdown_it",)
# loaded only by the runs that use them: a configuration file, a numeric host or a DNS lookup,
# --diff, --fix, a markdown report
ONLY_WHEN_USED = ("tomllib", "socket", "difflib", "tempfile", "checker.formats.markdown")

# Runs the command in this process, then says which of the network side's modules it imported.
PROBE = """
import json, sys
from checker.cli import main
code = main(sys.argv[2:])
loaded = [name for name in json.loads(sys.argv[1]) if name in sys.modules]
print(json.dumps({"code": code, "loaded": loaded}), file=sys.stderr)
"""


def probe(
    *args: str, modules: tuple[str, ...] = NETWORK_SIDE + PARSER, cwd: Path | None = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The JSON report of `paperlint check ARGS`, and what the probe saw (exit code, which of
    `modules` were loaded)."""
    cmd = [sys.executable, "-c", PROBE, json.dumps(modules), "check", *args]
    cmd += ["--format", "json", "--no-progress", "--arxiv-delay", "0"]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False, cwd=cwd)
    assert "Traceback" not in done.stderr, done.stderr
    seen = json.loads(done.stderr.strip().splitlines()[-1])
    return json.loads(done.stdout), seen


def fresh_python(code: str) -> str:
    """What `code` prints, run by a Python of its own: which modules it loads is the point."""
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    ).stdout


def findings(report: dict[str, Any]) -> set[tuple[str, int]]:
    return {(f["rule"], f["line"]) for f in report["findings"]}


def test_a_warm_run_asks_nothing_and_never_imports_the_network_side_nor_the_parser(
    fake: FakeServices, tmp_path: Path
) -> None:
    fake.reset(seed_world())
    path = tmp_path / "efficiency.md"
    shutil.copyfile(SEED, path)
    (tmp_path / ".paperlint.toml").write_text(NO_BLOGS, encoding="utf-8")
    cache = str(tmp_path / "cache.sqlite3")

    cold, cold_seen = probe(str(path), "--cache", cache)
    asked = len(fake.log)
    warm, warm_seen = probe(str(path), "--cache", cache)
    offline, offline_seen = probe(str(path), "--cache", cache, "--offline")

    assert asked > 0 and "httpx" in cold_seen["loaded"], "the cold run asks, with httpx"
    assert "markdown_it" in cold_seen["loaded"], "the cold run parses the list"
    assert len(fake.log) == asked, "the warm run asked again"
    assert warm_seen["loaded"] == [] and offline_seen["loaded"] == []
    assert findings(warm) == findings(offline) == findings(cold) != set()
    assert warm_seen["code"] == cold_seen["code"] == 1
    assert warm["summary"]["unverified"] == 0


def test_a_plain_check_loads_only_what_it_uses(tmp_path: Path) -> None:
    """A list without a configuration, checked offline into a JSON report: none of what only
    other runs use is loaded (each costs the start-up of every pre-commit run a few ms)."""
    path = tmp_path / "efficiency.md"
    shutil.copyfile(SEED, path)
    report, seen = probe(str(path), "--offline", "--no-cache", modules=ONLY_WHEN_USED, cwd=tmp_path)
    assert seen["code"] == 1 and report["findings"]
    assert seen["loaded"] == []


def test_one_query_per_kind_however_many_keys(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache.sqlite3", now=1_000_000.0)
    cache.put_many("web", {f"https://example.org/{i}": {"ok": True} for i in range(1200)})
    cache.put_many("github", {"a/b": {"name": "a/b"}})
    assert cache.db is not None
    queries: list[str] = []
    cache.db.set_trace_callback(queries.append)

    wanted = [f"https://example.org/{i}" for i in range(1300)]  # 100 never stored
    found = cache.get_many("web", wanted)

    assert len(found) == 1200 and found["https://example.org/7"] == {"ok": True}
    assert len([q for q in queries if q.startswith("SELECT")]) == 1
    cache.close()


def test_without_sqlite_json_functions_the_keys_are_read_in_chunks(tmp_path: Path) -> None:
    """An SQLite built without its JSON functions (before 3.38 they were optional) reads the
    same answers, a few hundred keys a query."""
    cache = Cache(tmp_path / "cache.sqlite3", now=1_000_000.0)
    stored = {f"2301.{i:05d}": {"title": f"Paper {i}"} for i in range(1200)}
    cache.put_many("arxiv", stored)
    assert cache.db is not None

    def no_json_each(action: int, arg1: str | None, *_: object) -> int:
        if action == sqlite3.SQLITE_READ and arg1 == "json_each":
            return sqlite3.SQLITE_DENY
        return sqlite3.SQLITE_OK

    cache.db.set_authorizer(no_json_each)
    queries: list[str] = []
    cache.db.set_trace_callback(queries.append)

    assert cache.get_many("arxiv", sorted(stored)) == stored
    assert len([q for q in queries if q.startswith("SELECT key, value")]) == 3  # 500 a query
    cache.close()


def test_stale_answers_are_not_read(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    old = Cache(path, now=1_000_000.0)
    old.put_many("web", {"https://example.org/a": {"ok": True}})
    old.close()
    later = Cache(path, now=1_000_000.0 + 21 * 3600)  # links live 20 hours
    assert later.get_many("web", ["https://example.org/a"]) == {}
    later.close()


def test_the_network_side_never_loads_httpx_command_line_client() -> None:
    """httpx imports its command-line client (click, rich, pygments) whenever click is installed,
    as it is here; paperlint's services never load it, and httpx works without it."""
    code = (
        "import json, sys\n"
        "import checker.services.http, httpx\n"
        "client = httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(204)))\n"
        "status = client.get('https://example.org/').status_code\n"
        "cli = [m for m in ('httpx._main', 'click', 'pygments') if sys.modules.get(m)]\n"
        "print(json.dumps({'status': status, 'cli': cli}))\n"
    )
    assert importlib.util.find_spec("click") is not None, "click is what makes httpx load its CLI"
    assert json.loads(fresh_python(code)) == {"status": 204, "cli": []}


def test_titles_that_match_never_load_the_fuzzy_matcher() -> None:
    """A healthy list's titles are arXiv's: judging them loads no rapidfuzz (a warm run of
    such a list spends nothing on it)."""
    code = (
        "import sys\n"
        "from checker.titles import compare_titles\n"
        "same = [compare_titles(a, b) for a, b in (\n"
        "    ('LoRA: Low-Rank Adaptation of Large Language Models',\n"
        "     'LoRA: Low-Rank Adaptation of Large Language Models'),\n"
        "    ('Pre-training of Deep Bidirectional Transformers',\n"
        "     'Pretraining of Deep Bidirectional Transformers'),\n"
        "    ('LoRA', 'LoRA: Low-Rank Adaptation of Large Language Models'),\n"
        ")]\n"
        "print({v for v, _ in same}, 'rapidfuzz' in sys.modules)\n"
    )
    assert fresh_python(code).strip() == "{'same'} False"
