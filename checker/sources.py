"""Read a Markdown file the way a maintainer means it, or say in one line why it cannot be read.

A file is stat'ed before it is opened: a FIFO, a device or a socket is refused without opening it
(opening a FIFO for reading blocks until someone writes). A UTF-8 byte order mark is not part of
the text the parser sees (columns on line 1 would be off by one), but `Source.bom` remembers it so
that `--fix` writes it back. An empty file (no bytes, only whitespace, only a BOM) is a valid
Markdown file that holds nothing to report.

A file's name is shown everywhere (reports, messages) as `display_path` makes it: printable, with
whatever a terminal or a log would act on written as an escape (see `printable`).
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import stat
from collections.abc import Sequence
from dataclasses import dataclass

BOM = "\ufeff"
_LONGEST_SHOWN = 120  # a path longer than this is shortened in messages: one readable line


def split_lines(text: str) -> list[str]:
    """Lines as markdown-it counts them (only CR, LF and CRLF end a line)."""
    return re.split(r"\r\n|\r|\n", text)


class SourceError(Exception):
    """A file that cannot be checked; the message is the one line the user sees."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{shown(path)}: {reason}")
        self.path = path
        self.reason = reason


@dataclass(frozen=True)
class Source:
    """A file as read: its text (without a BOM), whether it had one, and a digest of its bytes
    (what `--fix` compares before it replaces the file)."""

    path: str
    text: str
    bom: bool
    digest: str


def read_markdown(path: str) -> str:
    return read_source(path).text


def read_source(path: str) -> Source:
    try:
        data = read_regular_file(path)
    except SourceError as exc:
        if exc.reason == "is a directory":
            raise SourceError(path, "is a directory (give Markdown files)") from None
        raise
    if b"\x00" in data[:8192]:
        raise SourceError(path, "looks like a binary file, not Markdown")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SourceError(
            path,
            f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "save it as UTF-8",
        ) from None
    bom = text.startswith(BOM)
    return Source(path, text[1:] if bom else text, bom, digest(data))


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_regular_file(path: str) -> bytes:
    try:
        info = os.stat(path)
        if stat.S_ISDIR(info.st_mode):
            raise SourceError(path, "is a directory")
        if not stat.S_ISREG(info.st_mode):
            raise SourceError(path, f"not a regular file ({_kind(info.st_mode)})")
        # O_NONBLOCK: should the file be swapped for a FIFO after the stat, open does not hang
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise SourceError(path, "not a regular file")
            return handle.read()
    except FileNotFoundError:
        raise SourceError(path, "no such file") from None
    except PermissionError:
        raise SourceError(path, "permission denied") from None
    except OSError as exc:
        raise SourceError(path, f"cannot read: {describe_os_error(exc)}") from None
    except ValueError as exc:  # an embedded NUL character in the name
        raise SourceError(path, f"cannot read: {exc}") from None


def describe_os_error(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "too many levels of symbolic links (a symlink loop?)"
    if exc.errno == errno.ENAMETOOLONG:
        return "file name too long"
    return str(exc.strerror or exc)


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a file"


def distinct_files(paths: Sequence[str]) -> list[str]:
    """`paths` with every file named more than once (a symlink to it, `a.md ./a.md`, a hard
    link) kept under the first of its names only: one file is checked, reported and fixed once.
    A path that cannot be stat'ed is kept as it is (reading it says why), once per spelling."""
    seen: set[tuple[int, int] | str] = set()
    out: list[str] = []
    for path in paths:
        key: tuple[int, int] | str
        try:
            info = os.stat(path)
        except (OSError, ValueError):
            key = os.path.normpath(path) if path else path
        else:
            key = (info.st_dev, info.st_ino)
        if key not in seen:
            seen.add(key)
            out.append(path)
    return out


def printable(text: str) -> str:
    """`text` with every character that acts on a terminal or a log, rather than showing, written
    as an escape: line breaks (`\\n`, `\\r`, and the Unicode line and paragraph separators),
    other control characters (C0, DEL, C1: the ESC of an ANSI escape sequence is `\\x1b`), the
    bidirectional controls that reorder what is shown, and the bytes of a name that is not UTF-8
    (which Python reads as lone surrogates) as `\\xff`. What comes back is one line that a
    terminal shows as it is; a line of a log also needs `inert`. Everything else, spaces and any
    script included, is kept as it is: a name shown this way is still the file's name."""
    return _UNPRINTABLE.sub(_escape, text)


# GitHub Actions reads `::error::` as a workflow command only at the start of a line (spaces
# before it aside), but the older `##[error]` anywhere in a line.
LOG_COMMAND = "##["


def is_command(line: str) -> bool:
    """Whether GitHub Actions would read `line` as a workflow command."""
    return line.lstrip().startswith("::") or LOG_COMMAND in line


def inert(line: str) -> str:
    """A line of a log that GitHub Actions never takes for a workflow command: the second `#`
    of each `##[` written as `\\x23` (a line's start is the writer's to guard: it never begins
    with text of the document's)."""
    return line.replace(LOG_COMMAND, "#\\x23[")


_UNPRINTABLE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
    "\ud800-\udfff]"
)
_SHORT_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    ch = match.group(0)
    code = ord(ch)
    if ch in _SHORT_ESCAPES:
        return _SHORT_ESCAPES[ch]
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


def shown(path: str) -> str:
    """The path for a message: whole when it is reasonable, its two ends otherwise."""
    if len(path) <= _LONGEST_SHOWN:
        return path
    half = _LONGEST_SHOWN // 2
    return f"{path[:half]}...{path[-half:]} ({len(path)} characters)"


def display_path(path: str) -> str:
    """As given on the command line, with the OS separator, and printable (see `printable`): the
    name every report and message shows, in every format. Reading and writing use the path as
    given."""
    return printable(os.path.normpath(path) if path not in ("", ".") else path)
