"""Inline suppression comments, as markdownlint and eslint spell them.

`<!-- paperlint-disable-next-line RULE[,RULE] -->` silences the next line;
`<!-- paperlint-disable RULE -->` … `<!-- paperlint-enable RULE -->` a block.
No rule names means every rule.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from checker.model import Finding

_COMMENT = re.compile(
    r"<!--\s*paperlint-(?P<verb>disable-next-line|disable-line|disable|enable)\b(?P<rules>[^>]*?)-->"
)
ALL = "*"


class Suppressions:
    def __init__(self, lines: Sequence[str]) -> None:
        self.by_line: dict[int, set[str]] = {}
        active: set[str] = set()
        for number, text in enumerate(lines, start=1):
            here = set(active)
            for m in _COMMENT.finditer(text):
                rules = {r for r in re.split(r"[\s,]+", m.group("rules").strip()) if r} or {ALL}
                verb = m.group("verb")
                if verb == "disable":
                    active |= rules
                    here |= rules
                elif verb == "enable":
                    active = set() if ALL in rules else active - rules
                elif verb == "disable-line":
                    here |= rules
                else:
                    self.by_line.setdefault(number + 1, set()).update(rules)
            if here:
                self.by_line.setdefault(number, set()).update(here)

    def hides(self, finding: Finding) -> bool:
        rules = self.by_line.get(finding.line, set())
        return ALL in rules or finding.rule in rules
