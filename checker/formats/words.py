"""Counts and names as every format writes them: "1 error", "2 warnings", a title cut short."""

from __future__ import annotations

from checker.model import Finding, Fix, Severity, Summary


def plural(count: int, word: str, many: str | None = None) -> str:
    """`1 error`, `0 errors`, `2 entries` (`many` where adding an s is wrong)."""
    return f"{count} {word if count == 1 else many or word + 's'}"


def severities(summary: Summary, zeros: bool = True) -> str:
    """`2 errors, 1 warning, 0 infos`; without `zeros`, only the severities that occur."""
    counts = (("error", summary.errors), ("warning", summary.warnings), ("info", summary.infos))
    return ", ".join(plural(n, word) for word, n in counts if n or zeros)


def hidden(findings: list[Finding], hide: frozenset[Severity]) -> str:
    """`2 infos not shown (--show-infos shows them)`: what `hide` leaves out ("" when nothing)."""
    counts = [
        plural(n, severity.value)
        for severity in sorted(hide, key=lambda v: -v.rank)
        if (n := sum(1 for f in findings if f.severity is severity))
    ]
    if not counts:
        return ""
    shown_by = " (--show-infos shows them)" if Severity.INFO in hide else ""
    return f"{' and '.join(counts)} not shown{shown_by}"


def filled(fix: Fix) -> str | None:
    """What a fix writes into an empty table cell (it replaces the blank cell and its closing
    pipe: `venue-missing`), or None for any other fix."""
    if fix.old.endswith("|") and not fix.old[:-1].strip() and fix.new.endswith("|"):
        return fix.new[:-1].strip()
    return None


def shorten(value: str, width: int = 60) -> str:
    """At most `width` characters, cut at a word where one is near, with `…` for what was cut."""
    head = " ".join(value[: width * 4].split())  # one line, spaces collapsed (bounded work)
    if len(head) <= width and len(value) <= width * 4:
        return head
    value = head
    cut = value[: width - 1]  # room for the …
    space = cut.rfind(" ")
    if space >= width // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:-–—") + "…"
