"""The command's entry point: `main`'s exit status, and an exit that skips the collector's last
passes (the `paperlint` script and `python -m checker` both go through it)."""

from __future__ import annotations

import gc
import sys
import tomllib
from pathlib import Path

import pytest

import checker
from checker.cli import entry

ROOT = Path(__file__).parent.parent


def test_the_command_exits_with_mains_status_once_the_collector_is_frozen(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    frozen: list[bool] = []
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append(True))
    for argv, status in ((["rules"], 0), (["check", "--offline", "no-such-file.md"], 2)):
        monkeypatch.setattr(sys, "argv", ["paperlint", *argv])
        with pytest.raises(SystemExit) as exit_:
            entry()
        assert exit_.value.code == status
    assert frozen == [True, True]
    assert "arxiv-not-found" in capsys.readouterr().out


def test_the_script_and_python_m_checker_go_through_entry() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["scripts"] == {"paperlint": "checker.cli:entry"}
    main_module = Path(checker.__file__).with_name("__main__.py").read_text(encoding="utf-8")
    assert "entry()" in main_module
