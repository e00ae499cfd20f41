"""Inline suppression comments, as markdownlint and eslint spell them.

`<!-- paperlint-disable-next-line RULE[,RULE] -->` silences the next line;
`<!-- paperlint-disable RULE -->` … `<!-- paperlint-enable RULE -->` a block.
No rule names means every rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from checker.model import Finding
from checker.rules import BY_NAME

_VERB = re.compile(r"\s*+paperlint-(?P<verb>disable-next-line|disable-line|disable|enable)\b")
ALL = "*"
_NONE: frozenset[str] = frozenset()


class Suppressions:
    def __init__(self, lines: Sequence[str]) -> None:
        self.by_line: dict[int, frozenset[str]] = {}
        active = _NONE
        for number, text in enumerate(lines, start=1):
            here = active  # shared, never copied: a block of many lines costs one set
            for verb, written in comments(text):
                rules = _rules(written)
                if verb == "disable":
                    active, here = active | rules, here | rules
                elif verb == "enable":
                    active = _NONE if ALL in rules else active - rules
                elif verb == "disable-line":
                    here = here | rules
                else:
                    after = self.by_line.get(number + 1, _NONE)
                    self.by_line[number + 1] = after | rules
            if here:
                before = self.by_line.get(number)
                self.by_line[number] = here if before is None else before | here

    def hides(self, finding: Finding) -> bool:
        rules = self.by_line.get(finding.line, _NONE)
        return ALL in rules or finding.rule in rules


def _rules(written: str) -> frozenset[str]:
    """The rules a comment names, or every rule; a name that is no rule silences nothing, so
    it is not kept (a comment naming thousands of them would be carried along every line)."""
    names = {r for r in re.split(r"[\s,]+", written.strip()) if r}
    if not names:
        return frozenset((ALL,))
    return frozenset(names.intersection(BY_NAME))


def comments(line: str) -> Iterator[tuple[str, str]]:
    """(verb, what follows it) of each comment on a line, as the pattern
    `<!--\\s*paperlint-VERB\\b([^>]*?)-->` finds them, in one pass over the line: the first `-->`
    and the first `>` after the point reached are looked up once, not again from every `<!--`
    (a line of unclosed comments would be read once for each of them)."""
    close = gt = -1  # the first `-->` at or after the body, the first `>` at or after the verb
    at = line.find("<!--")
    while at >= 0:
        body = at + 4
        if close < body:
            close = line.find("-->", body)
            if close < 0:
                return  # no comment opened here or further on is closed on this line
        m = _VERB.match(line, body, close)
        if m:
            if gt < m.end():
                gt = line.find(">", m.end())
            if gt == close + 2:  # no `>` between the verb and the comment's end
                yield m.group("verb"), line[m.end() : close]
                at = line.find("<!--", close + 3)
                continue
        at = line.find("<!--", at + 1)
