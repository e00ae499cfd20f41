"""The readings of issue 15 keep their pace on hostile lists of their own forms.

Each list below, at 30 KB, is one form grown without end: a paragraph of `[N] Title<br>` papers,
a line of links under a title, notes under a heading, an HTML table of huge spans, a table of
shifted and of split rows, a line of `|` fields, of parentheses or of bold tags. Each must be
parsed within 20 times what a realistic list of the same size takes in the same session (CPU
time): a bound no machine trips, since each takes about what the list takes, while a pattern
that backtracks over the grown part, or a pass over it inside a pass over it inside a third,
takes seconds to hours. (The new passes are linear by construction: each reads a line, a
segment or a cell once, and bounds what it looks at beside it.)
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from hostile_inputs import realistic

from checker.parse import parse_text
from checker.venues import VenueTable

SIZE = 30_000


def _repeat(unit: Callable[[int], str], size: int, head: str = "", tail: str = "") -> str:
    parts, total, i = [head], len(head) + len(tail), 0
    while total < size:
        piece = unit(i)
        parts.append(piece)
        total += len(piece)
        i += 1
    return "".join(parts) + tail


def _arxiv(i: int) -> str:
    return f"https://arxiv.org/abs/21{1 + i // 90000 % 12:02d}.{10000 + i % 90000:05d}"


PATTERNS: dict[str, Callable[[int], str]] = {
    "cjk-paragraph": lambda n: _repeat(
        lambda i: (
            f"[{i}] A Paper Title Number {i} (中文标题)<br>\n[paper]({_arxiv(i)}) |"
            f" [code](https://github.com/a/b{i})<br><br>\n"
        ),
        n,
    ),
    "title-over-links": lambda n: _repeat(
        lambda i: f" [p{i}](https://e.org/{i}) |", n, head="A Paper Title Here\n"
    ),
    "heading-notes": lambda n: _repeat(
        lambda i: f"Note {i} on it: [c](https://e.org/{i}).\n\n",
        n,
        head=f"### [A Paper Title Here]({_arxiv(0)})\n\n",
    ),
    "html-spans": lambda n: _repeat(
        lambda i: (
            f'<tr><td colspan="9999" rowspan="99999"><a href="https://e.org/{i}">x</a>'
            "</td><td>ICLR</td><td>2021</td></tr>\n"
        ),
        n,
        head="<table>\n<tr><th>Title</th><th>Venue</th><th>Year</th></tr>\n",
        tail="</table>\n",
    ),
    "shifted-rows": lambda n: _repeat(
        lambda i: f"| T{i} CVPR | 2019 | [a]({_arxiv(i)}) | [c](https://github.com/a/b{i}) |\n",
        n,
        head="| Title | Venue | Year | Paper | Code |\n|---|---|---|---|---|\n",
    ),
    "pipe-split-rows": lambda n: _repeat(
        lambda i: f"| Title {i}\n| | [x]({_arxiv(i)}) | |\n",
        n,
        head="| Title | Venue | Paper | Code |\n|---|---|---|---|\n",
    ),
    "pipe-fields": lambda n: _repeat(
        lambda i: f"f{i} | ", n, head="- ", tail=f" [x]({_arxiv(0)})\n"
    ),
    "parentheses": lambda n: _repeat(
        lambda i: "(Jan., ", n, head="- Title ", tail=f" [x]({_arxiv(0)})\n"
    ),
    "bold-tags": lambda n: _repeat(
        lambda i: f"(**t{i}**) ", n, head="- ", tail=f" [x]({_arxiv(0)})\n"
    ),
}


def _seconds(text: str, runs: int = 1) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.process_time()
        parse_text("list.md", text, VenueTable())
        best = min(best, time.process_time() - start)
    return best


@pytest.fixture(scope="module")
def realistic_seconds() -> float:
    text = realistic(SIZE)
    _seconds(text)  # imports, compiled patterns
    return max(_seconds(text, runs=2), 0.05)


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_a_hostile_list_of_a_new_form_parses_at_a_realistic_pace(
    name: str, realistic_seconds: float
) -> None:
    text = PATTERNS[name](SIZE)
    assert len(text) >= SIZE
    assert _seconds(text) < 20 * realistic_seconds, name
