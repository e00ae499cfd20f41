"""Counts and names as every format writes them: "1 error", "2 warnings", a title cut short."""

from __future__ import annotations

from checker.model import Summary


def plural(count: int, word: str, many: str | None = None) -> str:
    """`1 error`, `0 errors`, `2 entries` (`many` where adding an s is wrong)."""
    return f"{count} {word if count == 1 else many or word + 's'}"


def severities(summary: Summary, zeros: bool = True) -> str:
    """`2 errors, 1 warning, 0 infos`; without `zeros`, only the severities that occur."""
    counts = (("error", summary.errors), ("warning", summary.warnings), ("info", summary.infos))
    return ", ".join(plural(n, word) for word, n in counts if n or zeros)


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
