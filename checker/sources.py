"""Read a Markdown file the way a maintainer means it, or say in one line why it cannot be read."""

from __future__ import annotations

import os
from pathlib import Path


class SourceError(Exception):
    """A file that cannot be checked; the message is the one line the user sees."""


def read_markdown(path: str) -> str:
    p = Path(path)
    try:
        if p.is_dir():
            raise SourceError(f"{path}: is a directory (give Markdown files)")
        data = p.read_bytes()
    except FileNotFoundError:
        raise SourceError(f"{path}: no such file") from None
    except PermissionError:
        raise SourceError(f"{path}: permission denied") from None
    except OSError as exc:
        raise SourceError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if not data.strip():
        raise SourceError(f"{path}: file is empty")
    if b"\x00" in data[:8192]:
        raise SourceError(f"{path}: looks like a binary file, not Markdown")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SourceError(
            f"{path}: not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "save it as UTF-8"
        ) from None
    return text.removeprefix("\ufeff")


def display_path(path: str) -> str:
    """As given on the command line, with the OS separator."""
    return os.path.normpath(path) if path not in ("", ".") else path
