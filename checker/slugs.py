"""GitHub's heading anchors, as github-slugger makes them.

Lower-case the heading's rendered text, drop every code point of github-slugger's table (most
punctuation and symbols, other numbers such as `²` and `①`, but no letter: `Ⓐ` stays), and turn
each space into `-`. Repeated slugs get `-1`, `-2`, … in document order.
"""

from __future__ import annotations

import re

from checker.slug_ranges import STRIPPED

_STRIP = re.compile("[" + "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in STRIPPED) + "]")


def slugify(text: str) -> str:
    return _STRIP.sub("", text.lower()).replace(" ", "-")


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
