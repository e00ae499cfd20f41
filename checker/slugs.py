"""GitHub's heading anchors (github-slugger): lower-case, drop punctuation, spaces → '-'."""

from __future__ import annotations

import unicodedata


def slugify(text: str) -> str:
    kept = []
    for ch in text.lower():
        if ch in " -":
            kept.append(ch)
            continue
        category = unicodedata.category(ch)
        if category[0] in "LMN" or category == "Pc":
            kept.append(ch)
    return "".join(kept).replace(" ", "-")


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
