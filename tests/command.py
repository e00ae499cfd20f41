"""The `paperlint` command as a test runs it: in this process, the way a fresh Python process
would run it, or in a real one where the interpreter's start-up is what a test is about.

A Python process per run costs 0.25-0.45 s of start-up and imports; in this process the suite
pays that once. What a fresh process would not share with the test is arranged around each run
and put back after it, so the two give the same exit status, stdout and stderr:

- stdout and stderr are pipes, never terminals, with the encoding and error handler a child
  process gets (asked of one child, once); the test reads them decoded the way
  `subprocess.run(text=True)` decodes (the locale's encoding, universal newlines); stdin is empty;
- the working directory, os.environ, sys.argv, the std streams and signal handlers are put back
  afterwards; `checker`'s functools caches and rich's global console start empty, as at start-up;
- what an interpreter prints on stderr by itself is printed there: warnings under the default
  filters, log records from WARNING up (logging's last resort), exceptions in threads and
  unraisable ones (garbage is collected at the end, as at exit), so a traceback in any of them
  fails the test as it did from a subprocess;
- an exception escaping `main` fails the test; SystemExit is an exit status, as in `python -m`;
- a thread the run leaves behind that would keep a process from exiting fails the test, and so
  does a run still going after TIMEOUT seconds (it is interrupted as by Ctrl-C).

Writes below `sys.stdout` (to file descriptor 1 itself) are not captured here: the command has
none (git runs with its output captured). A change since the session started of what the
interpreter reads at start-up (PYTHON*, LANG, LC_*), or a warnings or development mode this
module does not imitate, makes the run a real process: only that can honour it.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import io
import logging
import os
import signal
import subprocess
import sys
import threading
import types
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path

import checker

TIMEOUT = 120.0  # seconds a run may take before the test fails
THREAD_GRACE = 2.0  # seconds a thread the run started may take to end after it
PROCESS_ONLY = ("PYTHONWARNINGS", "PYTHONDEVMODE")  # modes not imitated in this process


def _interpreter_environment(env: Mapping[str, str]) -> dict[str, str]:
    """The variables a Python process reads as it starts (its I/O encoding, locale, modes)."""
    return {
        k: v for k, v in env.items() if k.startswith(("PYTHON", "LC_")) or k in ("LANG", "LANGUAGE")
    }


_AT_START = _interpreter_environment(os.environ)


def needs_a_process() -> bool:
    """Only a real process honours these: see the module's docstring."""
    return (
        _interpreter_environment(os.environ) != _AT_START
        or any(os.environ.get(k) for k in PROCESS_ONLY)
        or bool(sys.flags.dev_mode)
    )


@functools.cache
def _child_streams() -> tuple[tuple[str, str], tuple[str, str]]:
    """(encoding, errors) of stdout and of stderr in a child process writing to pipes."""
    probe = (
        "import sys; o, e = sys.stdout, sys.stderr; "
        "print(o.encoding, o.errors, e.encoding, e.errors)"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    out_encoding, out_errors, err_encoding, err_errors = done.stdout.split()
    return (out_encoding, out_errors), (err_encoding, err_errors)


def _pipe(encoding: str, errors: str) -> io.TextIOWrapper:
    return io.TextIOWrapper(
        io.BytesIO(), encoding=encoding, errors=errors, newline="\n", write_through=True
    )


def _as_read_by_a_parent(stream: io.TextIOWrapper) -> str:
    """What `subprocess.run(..., text=True)` returns for these bytes."""
    stream.flush()
    data = stream.buffer.getvalue()  # type: ignore[attr-defined]
    parent = io.TextIOWrapper(io.BytesIO())  # the encoding a parent's pipe reader defaults to
    text = data.decode(parent.encoding, parent.errors)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def run_in_process(
    main: Callable[[list[str]], int], argv: Sequence[str], cwd: Path | None
) -> tuple[int, str, str]:
    """`main(argv)` as `python -m checker ARGV` in `cwd` runs it: exit status, stdout, stderr."""
    (out_encoding, out_errors), (err_encoding, err_errors) = _child_streams()
    out, err = _pipe(out_encoding, out_errors), _pipe(err_encoding, err_errors)
    threads_before = set(threading.enumerate())
    timed_out = threading.Event()
    gc.freeze()  # what exists now is not the run's: the collection at its end skips it
    try:
        with _fresh_process_state(argv, out, err, cwd), _watchdog(timed_out):
            code = _exit_status(main, list(argv), err)
            gc.collect()  # the run's garbage, finalized as an exiting interpreter would
            left = _threads_left(threads_before)
    except KeyboardInterrupt:
        if not timed_out.is_set():
            raise
    finally:
        gc.unfreeze()
    if timed_out.is_set():
        raise AssertionError(f"paperlint {' '.join(argv)} did not finish in {TIMEOUT:g} s")
    assert not left, f"the run left threads that would keep a process from exiting: {left}"
    return code, _as_read_by_a_parent(out), _as_read_by_a_parent(err)


def _exit_status(main: Callable[[list[str]], int], argv: list[str], err: io.TextIOWrapper) -> int:
    """`raise SystemExit(main())`, as the interpreter turns it into a process's exit status."""
    try:
        code: object = main(argv)
    except SystemExit as exc:
        code = exc.code
    if code is None:
        return 0
    if isinstance(code, int):
        return code % 256
    print(code, file=err)
    return 1


def _threads_left(before: set[threading.Thread]) -> list[threading.Thread]:
    """Non-daemon threads the run started and did not end: a process would wait for them."""
    left = []
    for thread in set(threading.enumerate()) - before:
        if not thread.daemon:
            thread.join(timeout=THREAD_GRACE)
            if thread.is_alive():
                left.append(thread)
    return left


@contextlib.contextmanager
def _watchdog(fired: threading.Event) -> Iterator[None]:
    """Interrupt the run (KeyboardInterrupt, as Ctrl-C would) once it has taken TIMEOUT seconds,
    and every second after. By SIGALRM: a test process started in the background ignores SIGINT."""

    def interrupt(signum: int, frame: object) -> None:
        fired.set()
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGALRM, interrupt)
    except ValueError:  # not the main thread, where handlers run: no watchdog
        yield
        return
    signal.setitimer(signal.ITIMER_REAL, TIMEOUT, 1.0)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def _fresh_process_state(
    argv: Sequence[str], out: io.TextIOWrapper, err: io.TextIOWrapper, cwd: Path | None
) -> Iterator[None]:
    streams = (sys.stdin, sys.stdout, sys.stderr)
    saved_argv, folder, environ = list(sys.argv), os.getcwd(), dict(os.environ)
    handlers = _signal_handlers()
    hooks = (sys.unraisablehook, threading.excepthook)
    last_resort = logging.StreamHandler(err)  # logging's own last resort, to this stderr
    last_resort.setLevel(logging.WARNING)
    _forget_caches()
    try:
        sys.stdin = io.TextIOWrapper(io.BytesIO(), encoding=out.encoding)  # like /dev/null
        sys.stdout, sys.stderr = out, err
        sys.argv = [str(Path(checker.__file__).with_name("__main__.py")), *argv]
        sys.unraisablehook, threading.excepthook = sys.__unraisablehook__, threading.__excepthook__
        logging.getLogger().addHandler(last_resort)
        if cwd is not None:
            os.chdir(cwd)
        with warnings.catch_warnings():
            _default_warning_filters()
            yield
    finally:
        logging.getLogger().removeHandler(last_resort)
        sys.unraisablehook, threading.excepthook = hooks
        sys.stdin, sys.stdout, sys.stderr = streams
        sys.argv = saved_argv
        os.chdir(folder)
        if dict(os.environ) != environ:
            os.environ.clear()
            os.environ.update(environ)
        for signum, handler in handlers.items():
            if signal.getsignal(signum) is not handler:
                signal.signal(signum, handler)


def _default_warning_filters() -> None:
    """The filters of a Python started without -W or PYTHONWARNINGS; shown on sys.stderr."""
    warnings.resetwarnings()
    for category in (DeprecationWarning, PendingDeprecationWarning, ImportWarning, ResourceWarning):
        warnings.simplefilter("ignore", category)
    warnings.filterwarnings("default", category=DeprecationWarning, module="__main__")
    warnings.showwarning = _show_warning


def _show_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: object = None,
    line: str | None = None,
) -> None:
    sys.stderr.write(warnings.formatwarning(message, category, filename, lineno, line))


def _signal_handlers() -> dict[signal.Signals, object]:
    handlers: dict[signal.Signals, object] = {}
    for signum in signal.valid_signals():
        with contextlib.suppress(OSError, ValueError):
            handler = signal.getsignal(signum)
            if handler is not None:  # None: installed outside Python, cannot be put back
                handlers[signal.Signals(signum)] = handler
    return handlers


_cache_clears: dict[types.ModuleType, list[Callable[[], None]]] = {}  # found once a module


def _forget_caches() -> None:
    """A fresh process has empty functools caches in `checker` and no global rich console."""
    for name, module in list(sys.modules.items()):
        if name != "checker" and not name.startswith("checker."):
            continue
        if module not in _cache_clears:
            _cache_clears[module] = _cache_clears_of(module)
        for clear in _cache_clears[module]:
            clear()
    rich = sys.modules.get("rich")
    if rich is not None:
        rich._console = None  # type: ignore[attr-defined]


def _cache_clears_of(module: types.ModuleType) -> list[Callable[[], None]]:
    """The `cache_clear` of every cached function of `module`, and of its classes' methods."""
    clears = []
    for value in list(vars(module).values()):
        for member in (value, *(vars(value).values() if isinstance(value, type) else ())):
            try:
                clear = getattr(getattr(member, "__func__", member), "cache_clear", None)
            except Exception:  # an object whose attributes cannot be asked: no cache of ours
                continue
            if callable(clear):
                clears.append(clear)
    return clears
