"""Apply the fixes findings offer — exactly what was reported — and never lose a byte.

Only safe fixes are applied unless `unsafe` says otherwise (`--unsafe-fixes`): an unsafe fix
changes what the list says (another arXiv ID, an archived copy), so it waits for a person to ask.

What the command line calls (`--fix`, `--diff`), per file:

    outcome = fix_file(path, doc.text, check, findings, unsafe=False)
        # doc.text: the text the engine parsed; findings: that file's findings (None: check it)
        # check(text) -> list[Finding]: a fresh check of a text as this file (no new requests)
    outcome.remaining     # the findings of a fresh check of outcome.after: report and exit on these
    outcome.applied       # the Fix records applied, pass after pass (how many were fixed)
    outcome.changed       # whether there is anything to write or show
    outcome.diff(names)   # unified diff that turns the file into write()'s (names: patch_names)
    outcome.write(allow_hardlinks=False)   # atomic; FixError has the one line for the user

Fixes that overlap are never applied together: the first wins and the re-check offers the
others again on the fixed text, so a venue inside a split row is fixed once the row is joined.
Passes stop when nothing more applies, when the text comes back to an earlier state, or after
MAX_PASSES; whatever is left is in `remaining`, so what paperlint reports is always true of the
file it leaves.

A Fix writes "\n" for any line break; in the file a line may end in LF, CRLF or a lone CR (the
three that end a line for markdown-it), and each keeps its own.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from checker.model import Finding, Fix
from checker.sources import BOM, Source, SourceError, describe_os_error, digest, read_source, shown

MAX_PASSES = 4
_BREAK = re.compile(r"\r\n|\r|\n")

Check = Callable[[str], Sequence[Finding]]


class FixError(OSError):
    """The fixes were not written; the message is the one line the user sees (exit 2).

    An OSError, so that a caller that already reports write failures reports these too."""


class FileChangedError(FixError):
    """The file changed after paperlint read it: writing would lose that edit."""


class HardLinkError(FixError):
    """The file has several names: replacing it would leave the other names with the old text."""


# ---------------------------------------------------------------------------------------------
# Applying fixes to a text


def line_starts(text: str) -> list[int]:
    """The offset each line starts at (LF, CRLF and a lone CR end a line). Built once per text
    and passed to `locate`, which would otherwise scan the whole text for every fix."""
    return [0, *(m.end() for m in _BREAK.finditer(text))]


def _pattern(old: str) -> re.Pattern[str]:
    return re.compile("(?:\r\n|\r|\n)".join(re.escape(part) for part in _BREAK.split(old)))


def locate(text: str, fix: Fix, starts: Sequence[int] | None = None) -> tuple[int, int] | None:
    """Where `fix.old` stands in the text: at its line and column exactly when it has a column,
    else first on its line (it may run on over the next lines). None when it is not there."""
    starts = line_starts(text) if starts is None else starts
    if not fix.old or not 1 <= fix.line <= len(starts):
        return None
    start = starts[fix.line - 1]
    limit = starts[fix.line] if fix.line < len(starts) else len(text) + 1
    pattern = _pattern(fix.old)
    if fix.column is not None:
        at = start + fix.column - 1
        if fix.column < 1 or at >= limit:
            return None
        m = pattern.match(text, at)
    else:  # a match that starts on this line ends within twice old's length (CRLF for LF)
        m = pattern.search(text, start, min(len(text), limit + 2 * len(fix.old)))
    if m is None or m.start() >= limit:
        return None
    return m.start(), m.end()


def _new_text(text: str, fix: Fix, span: tuple[int, int]) -> str:
    """`fix.new` with each "\n" written as the line break the file has there (a Fix writes
    "\n" for any), so a CRLF or CR file keeps its own."""
    if "\n" not in fix.new:
        return fix.new
    inside = _BREAK.search(text, span[0], span[1])
    if inside is None:  # the line's own ending
        inside = _BREAK.search(text, span[0])
    return fix.new.replace("\n", inside.group(0) if inside else "\n")


def apply_fix_list(text: str, fixes: Iterable[Fix]) -> tuple[str, list[Fix]]:
    """The text with every fix that stands where it says applied, and those fixes. Of fixes that
    overlap, the one earliest in the file (the more precise first) wins; the others wait for a
    re-check of the result."""
    starts = line_starts(text)
    spans: list[tuple[int, int, str, Fix]] = []
    ordered = sorted(set(fixes), key=lambda f: (f.line, f.column is None, f.column or 0, f.old))
    for fix in ordered:
        if fix.old == fix.new:
            continue
        span = locate(text, fix, starts)
        if span is None:
            continue  # stale or misplaced: no edit rather than a wrong one
        start, end = span
        if any(start < e and s < end for s, e, _, _ in spans):
            continue
        spans.append((start, end, _new_text(text, fix, span), fix))
    pieces = []
    done = 0
    for start, end, new, _ in sorted(spans, key=lambda s: s[0]):
        pieces += [text[done:start], new]
        done = end
    pieces.append(text[done:])
    return "".join(pieces), [s[3] for s in spans]


def apply_fixes(text: str, fixes: Iterable[Fix]) -> tuple[str, int]:
    """One pass: the fixed text and how many fixes applied (overlapping ones are skipped)."""
    fixed, applied = apply_fix_list(text, fixes)
    return fixed, len(applied)


@dataclass(frozen=True)
class FixResult:
    after: str
    applied: tuple[Fix, ...]
    remaining: list[Finding]  # a fresh check of `after` (the findings given, when none applied)


def applicable(findings: Iterable[Finding], unsafe: bool = False) -> list[Fix]:
    """The fixes of these findings that may be applied: the safe ones, and with `unsafe` all."""
    return [f.fix for f in findings if f.fix is not None and (unsafe or f.fix.safe)]


def fix_text(
    text: str,
    check: Check,
    findings: Sequence[Finding] | None = None,
    max_passes: int = MAX_PASSES,
    unsafe: bool = False,
) -> FixResult:
    """Apply, re-check, apply again while something fixable remains and the text moves on.
    Only safe fixes, unless `unsafe` (`--unsafe-fixes`)."""
    current = text
    found = list(check(text) if findings is None else findings)
    applied: list[Fix] = []
    seen = {text}
    for _ in range(max_passes):
        fixed, done = apply_fix_list(current, applicable(found, unsafe))
        if not done or fixed in seen:
            break
        seen.add(fixed)
        current = fixed
        applied += done
        found = list(check(current))
    return FixResult(current, tuple(applied), found)


# ---------------------------------------------------------------------------------------------
# A file: fix, show, write


@dataclass(frozen=True)
class FixOutcome:
    source: Source  # the file as read just before fixing (text without BOM, digest of bytes)
    after: str  # the fixed text, without the BOM (write() and diff() put it back)
    applied: tuple[Fix, ...] = ()
    remaining: list[Finding] = field(default_factory=list)

    @property
    def path(self) -> str:
        return self.source.path

    @property
    def before(self) -> str:
        return self.source.text

    @property
    def changed(self) -> bool:
        return self.after != self.source.text

    @property
    def bom(self) -> str:
        return BOM if self.source.bom else ""

    def diff(self, names: tuple[str, str] | None = None) -> str:
        """`names`: the file's names on the ---/+++ lines (see `patch_names`)."""
        return unified_diff(self.path, self.bom + self.before, self.bom + self.after, names)

    def write(self, allow_hardlinks: bool = False) -> None:
        if self.changed:  # the BOM read is written back as read; any after it is text
            write_atomically(
                self.path,
                self.bom + self.after,
                expected=self.source,
                allow_hardlinks=allow_hardlinks,
            )


def fix_file(
    path: str,
    text: str,
    check: Check,
    findings: Sequence[Finding] | None = None,
    unsafe: bool = False,
) -> FixOutcome:
    """Fix what `check` finds in `text`, the text of `path` as the engine read it (the safe
    fixes; with `unsafe`, every fix).

    Raises FileChangedError when the file no longer holds that text."""
    try:
        source = read_source(path)
    except SourceError as exc:
        raise FileChangedError(f"{exc}; not fixed") from None
    if source.text != text:
        raise FileChangedError(_changed(path))
    result = fix_text(text, check, findings, unsafe=unsafe)
    return FixOutcome(source, result.after, result.applied, result.remaining)


def _changed(path: str) -> str:
    return f"{shown(path)}: changed since paperlint read it; not fixed (run paperlint again)"


# ---------------------------------------------------------------------------------------------
# Diff


def _lines(text: str) -> list[str]:
    """Split on LF only, as `patch` and `git apply` do (str.splitlines also splits on CR,
    U+2028, U+0085, form feeds…, which would make hunks that apply nowhere)."""
    parts = text.split("\n")
    lines = [p + "\n" for p in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def patch_names(paths: Sequence[str]) -> dict[str, tuple[str, str]]:
    """The names each file gets on the ---/+++ lines of a diff, chosen so that one command
    applies the whole diff of a run:

    - every file under the current folder: its path from there, with git's `a/` and `b/`
      (`git apply`, `patch -p1`);
    - otherwise, every file by its absolute path without the leading `/` and without prefixes
      (`patch -p0 -d /`, `git -C / apply -p0`): patch refuses names that are absolute or hold
      `..` (it will not write outside the folder it applies in), so a file outside the current
      folder can only be named from the root."""
    try:
        absolute = {p: os.path.abspath(p) for p in paths}
        relative = {p: os.path.relpath(a) for p, a in absolute.items()}
    except (OSError, ValueError):  # no current folder, or another drive: named from the root
        relative = None
    if relative is not None and all(_inside(r) for r in relative.values()):
        return {p: ("a/" + _slashed(r), "b/" + _slashed(r)) for p, r in relative.items()}
    out: dict[str, tuple[str, str]] = {}
    for path in paths:
        try:
            full = os.path.abspath(path)
        except OSError:  # no current folder to resolve a relative path against: as given
            full = path
        rooted = _slashed(os.path.splitdrive(full)[1]).lstrip("/")
        out[path] = (rooted, rooted)
    return out


def _inside(relative: str) -> bool:
    return not (
        os.path.isabs(relative)
        or relative == os.pardir
        or relative.startswith(os.pardir + os.sep)
    )


def _slashed(path: str) -> str:
    return path.replace(os.sep, "/") if os.sep != "/" else path


def unified_diff(
    path: str, before: str, after: str, names: tuple[str, str] | None = None
) -> str:
    """A unified diff from `before` to `after`; `names` for its ---/+++ lines, by default as
    `patch_names` gives them for this one file."""
    import difflib  # only a diff loads it, not every run that locates a fix

    old, new = names or patch_names([path])[path]
    out: list[str] = []
    for line in difflib.unified_diff(
        _lines(before),
        _lines(after),
        fromfile=_header_name(old),
        tofile=_header_name(new),
        lineterm="\n",
    ):
        if line.endswith("\n"):
            out.append(line)
        else:  # the last line of a file without a final newline
            out.append(line + "\n\\ No newline at end of file\n")
    return "".join(out)


_C_ESCAPES = {"\a": "a", "\b": "b", "\t": "t", "\n": "n", "\v": "v", "\f": "f", "\r": "r"}


def _header_name(name: str) -> str:
    """A file name on a ---/+++ line as git writes it: C-quoted when it holds a quote, a
    backslash, a control character or a byte that is not UTF-8 (read by Python as a lone
    surrogate, written as its octal byte so the diff stays UTF-8 and names the file exactly);
    followed by a tab when it holds a space (GNU patch reads a bare name up to the first
    space)."""
    if any(ch in '"\\' or _unsafe(ch) for ch in name):
        quoted = []
        for ch in name:
            if ch in '"\\':
                quoted.append("\\" + ch)
            elif ch in _C_ESCAPES:
                quoted.append("\\" + _C_ESCAPES[ch])
            elif _unsafe(ch):
                quoted.append("".join(f"\\{byte:03o}" for byte in os.fsencode(ch)))
            else:
                quoted.append(ch)
        return '"' + "".join(quoted) + '"'
    return name + "\t" if " " in name else name


def _unsafe(ch: str) -> bool:
    """A control character, or a byte of a file name that is not UTF-8."""
    return ord(ch) < 0x20 or ord(ch) == 0x7F or 0xDC80 <= ord(ch) <= 0xDCFF


# ---------------------------------------------------------------------------------------------
# Writing


def write_atomically(
    path: str, text: str, *, expected: Source | None = None, allow_hardlinks: bool = False
) -> None:
    """Write beside the file, then rename over it: a crash leaves the old file or the new one.

    - a symlink is followed: the file it points at is replaced, the link stays a link;
    - mode, and owner and group where the process may, are kept; a UTF-8 BOM the file starts
      with is kept;
    - `expected` (the file as paperlint read it): when the file no longer holds those bytes,
      nothing is written (FileChangedError), so an edit made meanwhile is never lost;
    - a file with several hard links is refused (HardLinkError): a rename would give this name
      a new file and leave the other names with the old text. With `allow_hardlinks`, the file
      is rewritten in place instead, so every name sees the fix (not atomic: a crash in the
      middle of that write can leave it half written).
    """
    target = os.path.realpath(path)
    try:
        info = os.stat(target)
        if not stat.S_ISREG(info.st_mode):  # before opening it: a FIFO would block the open
            raise FixError(f"{shown(path)}: not a regular file; not fixed")
        with open(target, "rb") as handle:
            current = handle.read()
    except FileNotFoundError:
        raise FileChangedError(f"{shown(path)}: no longer exists; not fixed") from None
    except FixError:
        raise
    except OSError as exc:
        raise FixError(f"{shown(path)}: cannot read it again: {describe_os_error(exc)}") from None
    if expected is not None and digest(current) != expected.digest:
        raise FileChangedError(_changed(path))
    keep_bom = current.startswith(BOM.encode()) and not text.startswith(BOM)
    data = (BOM + text if keep_bom else text).encode("utf-8")
    if info.st_nlink > 1:
        if not allow_hardlinks:
            raise HardLinkError(
                f"{shown(path)}: has {info.st_nlink} hard links; replacing it would split them, "
                "so it was not fixed"
            )
        _write_in_place(target, data, current)
        return
    import tempfile

    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(target), prefix=".paperlint.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, stat.S_IMODE(info.st_mode))
        _keep_owner(tmp, info)
        if _moved(target, info):
            raise FileChangedError(_changed(path))
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _sync_folder(os.path.dirname(target))


def _keep_owner(tmp: str, info: os.stat_result) -> None:
    """Best effort: root may give the file back to its owner; a user may keep the group."""
    if not hasattr(os, "chown"):
        return
    mine = os.stat(tmp)
    if (mine.st_uid, mine.st_gid) == (info.st_uid, info.st_gid):
        return
    try:
        os.chown(tmp, info.st_uid, info.st_gid)
    except OSError:
        with contextlib.suppress(OSError):
            os.chown(tmp, -1, info.st_gid)


def _moved(target: str, before: os.stat_result) -> bool:
    """Did the file change while the new one was being written (a last look before renaming)?"""
    try:
        now = os.stat(target)
    except OSError:
        return True
    return (now.st_ino, now.st_size, now.st_mtime_ns) != (
        before.st_ino,
        before.st_size,
        before.st_mtime_ns,
    )


def _write_in_place(target: str, data: bytes, current: bytes) -> None:
    with open(target, "r+b") as handle:
        if handle.read() != current:
            raise FileChangedError(_changed(target))
        handle.seek(0)
        handle.write(data)
        handle.truncate()
        handle.flush()
        os.fsync(handle.fileno())


def _sync_folder(folder: str) -> None:
    """Make the rename itself durable (POSIX); nothing to do where folders cannot be opened."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
