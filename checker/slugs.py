"""GitHub's heading anchors, as github-slugger makes them.

Lower-case the heading's rendered text, drop every code point of github-slugger's table (most
punctuation and symbols, other numbers such as `²` and `①`, but no letter: `Ⓐ` stays), and turn
each space into `-`. Repeated slugs get `-1`, `-2`, … in document order.
"""

from __future__ import annotations

import re
from functools import cache

from checker.slug_ranges import STRIPPED

# An ASCII heading (most are) drops the table's ASCII code points by `str.translate`; the whole
# table, a character class of a few hundred ranges and a few hundredths of a second to compile,
# is compiled only for a heading that needs it.
_ASCII_DROPPED = {cp: None for a, b in STRIPPED if a < 0x80 for cp in range(a, min(b, 0x7F) + 1)}


@cache
def _stripped() -> re.Pattern[str]:
    return re.compile("[" + "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in STRIPPED) + "]")


def slugify(text: str) -> str:
    lower = text.lower()
    if lower.isascii():
        return lower.translate(_ASCII_DROPPED).replace(" ", "-")
    return _stripped().sub("", lower).replace(" ", "-")


class Slugger:
    """Numbers repeated headings as GitHub does: `intro`, `intro-1`, `intro-2`."""

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}

    def slug(self, text: str) -> str:
        base = slugify(text)
        result = base
        while result in self.seen:
            self.seen[base] += 1
            result = f"{base}-{self.seen[base]}"
        self.seen[result] = 0
        return result
