"""Shared fixtures: an isolated environment for every test, loopback fakes of the services, and
a runner that invokes the `paperlint` command as a user would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # `fakes` is imported one way everywhere

import command
from fakes import FakeServices, World

DEAD = "http://127.0.0.1:9"  # nothing listens: a test that forgets the fakes fails, offline


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """No token, no CI detection, no real endpoint and no shared cache leak into a test."""
    for name in list(os.environ):
        if name.startswith(("PAPERLINT_", "GITHUB_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("PAPERLINT_ARXIV_API_URL", f"{DEAD}/api/query")
    monkeypatch.setenv("PAPERLINT_GITHUB_API_URL", DEAD)
    monkeypatch.setenv("PAPERLINT_S2_API_URL", f"{DEAD}/graph/v1")
    monkeypatch.setenv("PAPERLINT_DBLP_API_URL", f"{DEAD}/search/publ/api")
    monkeypatch.setenv("PAPERLINT_WAYBACK_API_URL", f"{DEAD}/wayback/available")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))


@pytest.fixture(scope="session")
def servers() -> Iterator[FakeServices]:
    with FakeServices() as fx:
        yield fx


@pytest.fixture
def fake(servers: FakeServices, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeServices]:
    """The fakes with an empty world (tests fill `fake.world`), pointed at by the environment."""
    servers.reset(World())
    for name, value in servers.env().items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("PAPERLINT_DBLP_DELAY", "0")
    yield servers
    assert servers.errors == [], "a fake server failed:\n" + "\n".join(servers.errors)


@pytest.fixture
def no_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    """In-process runs retry without tenacity's exponential back-off (a fault test asserts what a
    retried request ends as, not how long it pauses between tries)."""
    from checker.services import http

    monkeypatch.setattr(http.HttpSettings, "__init__", _without_backoff(http.HttpSettings.__init__))


def _without_backoff(init: Any) -> Any:
    def patched(self: Any, *args: Any, **kwargs: Any) -> None:
        init(self, *args, **kwargs)
        self.backoff = 0.0

    return patched


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def report(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.out)
        return data

    @property
    def findings(self) -> list[dict[str, Any]]:
        return list(self.report["findings"])

    def rules_at(self) -> set[tuple[str, int]]:
        return {(f["rule"], f["line"]) for f in self.findings}


@pytest.fixture
def paperlint(request: pytest.FixtureRequest) -> Any:
    """Run the command, JSON out, no arXiv pause, no progress bar: in this process as a fresh
    process would run it (tests/command.py), or, for a test marked `subprocess`, in a real one."""
    real_process = request.node.get_closest_marker("subprocess") is not None

    def run(*args: str, cwd: Path | None = None, fmt: str | None = "json") -> Run:
        argv = ["check", *args, "--no-progress"]
        if "--arxiv-delay" not in args:
            argv += ["--arxiv-delay", "0"]
        if fmt:
            argv += ["--format", fmt]
        if real_process or command.needs_a_process():
            done = subprocess.run(
                [sys.executable, "-m", "checker", *argv],
                capture_output=True,
                text=True,
                cwd=cwd,
                timeout=command.TIMEOUT,
                check=False,
            )
            code, out, err = done.returncode, done.stdout, done.stderr
        else:
            from checker.cli import main

            code, out, err = command.run_in_process(main, argv, cwd)
        assert "Traceback" not in err, err
        return Run(code, out, err)

    return run
