"""The runner behind the `paperlint` fixture (tests/command.py): a command run in this process
gives what a real `python -m checker` gives, and what an interpreter prints on stderr by itself
still reaches the test."""

from __future__ import annotations

import logging
import os
import re
import signal
import subprocess
import sys
import threading
import time
import warnings
from pathlib import Path
from typing import Any

import command
import pytest

from checker.cli import main
from checker.parse import gfm

LIST = (
    "# Papers\n\n- [Attention — Is All You Need](https://arxiv.org/abs/2113.01234) Neurips 2017\n"
)
CASES = {
    "version": ["--version"],
    "usage-error": ["check", "--timeout", "0"],
    "missing-file": ["check", "--offline", "gone.md"],
    "text-report": ["check", "--offline", "--no-progress", "list.md"],
    "diff-of-a-crlf-file": ["check", "--offline", "--diff", "crlf.md"],
}


PRINT_STREAM = "print(s.isatty(), s.encoding, s.errors)"


def without_duration(text: str) -> str:
    return re.sub(r"\(\d+\.\d+s\)", "(…s)", text)


@pytest.mark.parametrize("case", sorted(CASES))
def test_in_process_gives_what_a_process_gives(tmp_path: Path, case: str) -> None:
    (tmp_path / "list.md").write_text(LIST, encoding="utf-8")
    (tmp_path / "crlf.md").write_bytes(LIST.replace("\n", "\r\n").encode())
    argv = CASES[case]
    done = subprocess.run(
        [sys.executable, "-m", "checker", *argv],
        cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    code, out, err = command.run_in_process(main, argv, tmp_path)
    assert (code, without_duration(out), err) == (
        done.returncode, without_duration(done.stdout), done.stderr
    )  # fmt: skip


def test_stdout_and_stderr_are_pipes_in_a_childs_encoding() -> None:
    def probe(argv: list[str]) -> int:
        for s in (sys.stdout, sys.stderr):
            exec(PRINT_STREAM, {"s": s})
        return 0

    done = subprocess.run(
        [sys.executable, "-c", f"import sys\nfor s in sys.stdout, sys.stderr: {PRINT_STREAM}"],
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    assert command.run_in_process(probe, [], None) == (0, done.stdout, "")


def test_what_an_interpreter_prints_by_itself_is_on_stderr() -> None:
    def noisy(argv: list[str]) -> int:
        warnings.warn("a user warning", UserWarning, stacklevel=1)
        warnings.warn("hidden by the default filters", DeprecationWarning, stacklevel=1)
        logging.getLogger("asyncio").error("Task exception was never retrieved")
        logging.getLogger("httpx").info("below logging's last resort")
        failing = threading.Thread(target=lambda: 1 / 0)
        failing.start()
        failing.join()
        return 0

    code, out, err = command.run_in_process(noisy, [], None)
    assert (code, out) == (0, "")
    assert "UserWarning: a user warning" in err
    assert "Task exception was never retrieved" in err
    assert "ZeroDivisionError" in err and "Traceback" in err
    assert "hidden" not in err and "last resort" not in err


def test_system_exit_is_the_exit_status() -> None:
    def exits(code: object) -> int:
        raise SystemExit(code)

    assert command.run_in_process(lambda _: exits(None), [], None) == (0, "", "")
    assert command.run_in_process(lambda _: exits(258), [], None) == (2, "", "")
    assert command.run_in_process(lambda _: exits("goodbye"), [], None) == (1, "", "goodbye\n")


def test_each_run_starts_afresh_and_leaves_nothing_behind(tmp_path: Path) -> None:
    parsers = []
    here, environ, handler = os.getcwd(), dict(os.environ), signal.getsignal(signal.SIGTERM)

    def meddles(argv: list[str]) -> int:
        parsers.append(gfm.markdown())
        os.chdir(tmp_path)
        os.environ["PAPERLINT_LEFT_BEHIND"] = "1"
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        sys.stdout.write(os.getcwd())
        return 0

    assert command.run_in_process(meddles, [], None) == (0, str(tmp_path), "")
    assert command.run_in_process(meddles, [], None) == (0, str(tmp_path), "")
    assert parsers[0] is not parsers[1]  # functools caches emptied, as in a new process
    assert (os.getcwd(), dict(os.environ)) == (here, environ)
    assert signal.getsignal(signal.SIGTERM) == handler


def test_a_thread_that_would_keep_a_process_alive_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(command, "THREAD_GRACE", 0.1)
    release = threading.Event()

    def leaves_a_thread(argv: list[str]) -> int:
        threading.Thread(target=release.wait, name="left-running").start()
        return 0

    with pytest.raises(AssertionError, match="left-running"):
        command.run_in_process(leaves_a_thread, [], None)
    release.set()


def test_a_run_that_hangs_is_interrupted_and_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    """Interrupted as Ctrl-C would (the command then exits 130), even where the test process
    ignores SIGINT, as one started in the background does."""
    interrupted = []

    def hangs(argv: list[str]) -> int:
        try:
            time.sleep(60)
        except KeyboardInterrupt:
            interrupted.append(True)
            return 130
        return 0

    monkeypatch.setattr(command, "TIMEOUT", 0.2)
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        with pytest.raises(AssertionError, match="did not finish"):
            command.run_in_process(hangs, ["hang"], None)
    finally:
        signal.signal(signal.SIGINT, previous)
    assert interrupted == [True]


def test_a_changed_interpreter_environment_runs_a_process(
    paperlint: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only a real process honours PYTHONIOENCODING: the report comes out in ASCII (a fix's
    arrow is `->`; in this process's UTF-8 it would be `→`)."""
    (tmp_path / "list.md").write_text(LIST, encoding="utf-8")
    monkeypatch.setenv("PYTHONIOENCODING", "ascii")
    assert command.needs_a_process()
    run = paperlint("--offline", "list.md", cwd=tmp_path, fmt="text")
    assert "'Neurips 2017' -> 'NeurIPS 2017'" in run.out and run.out.isascii()
