"""Work done in a thread of its own while the caller goes on: for work that lets other threads
run while it waits (SQLite writing its log back, OpenSSL loading certificates)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def meanwhile(work: Callable[[], T], name: str) -> Callable[[], T]:
    """`work` started in a thread named `name`; call what this returns to wait for its result,
    or for its error, raised there. Light on purpose (no concurrent.futures): a warm run uses it."""
    done: list[T] = []
    failed: list[BaseException] = []

    def run() -> None:
        try:
            done.append(work())
        except BaseException as exc:  # raised where it is waited for
            failed.append(exc)

    thread = threading.Thread(target=run, name=name)
    thread.start()

    def wait() -> T:
        thread.join()
        if failed:
            raise failed[0]
        return done[0]

    return wait
