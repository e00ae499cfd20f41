"""Hostile lists for the link forms of issue 15 (items 1, 5-7): each new pass is linear.

As in tests/test_hostile.py: each pattern at 100 KB (half that file's size: a quadratic pass
still takes minutes, and the suite stays fast) is checked through the command (CPU time,
in this process) and must finish within 20 times what the realistic list of the same size takes
— a bound no machine can trip, while a quadratic pass takes seconds to minutes at this size.
Where a quadratic pass would not stand out, the work is counted instead.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import pytest
from hostile_inputs import realistic
from test_hostile import check_seconds

from checker.parse import parse_text
from checker.rules import conflicts

URL = "https://arxiv.org/abs/2106.09685"
SIZE = 100_000


def _repeat(head: str, unit: str, size: int, tail: str = "") -> str:
    return head + unit * max(1, (size - len(head) - len(tail)) // len(unit)) + tail


def text_ids(size: int) -> str:
    """Item 1: IDs written as text back to back, prefixes with no ID, a run of ID-like digits,
    beside an entry's link."""
    third = size // 3
    return (
        _repeat(f"- [LoRA]({URL}) ", "arXiv:2106.09685, ", third, "\n")
        + _repeat(f"- [LoRA]({URL}) ", "arXiv: ", third, "\n")
        + _repeat(f"- [LoRA]({URL}) arXiv:2106.0968", "5", third, "\n")
    )


def reversed_brackets(size: int) -> str:
    """Item 7: many `(text)[url]`, `(` opened again and again, a URL that never closes."""
    third = size // 3
    return (
        _repeat(f"- [LoRA]({URL}) ", "(a)[https://a.org/b] ", third, "\n")
        + _repeat(f"- [LoRA]({URL}) ", "(", third, "\n")
        + _repeat(f"- [LoRA]({URL}) (a)[https://", "b", third, "\n")
    )


def spaced_links(size: int) -> str:
    """Item 7: one `[…] (url)` around a long run of words (read back once to its `[`), and many
    `[x] (url)` on one line. (A run of `[` never closed costs markdown-it about 25 µs each, this
    pass nothing: not a pattern of ours.)"""
    half = size // 2
    return _repeat("- [", "a ", half, f"] ({URL})\n") + _repeat("- ", f"[x] ({URL}) ", half, "\n")


def empty_targets(size: int) -> str:
    """Item 7: a line of empty links, and a badge line."""
    half = size // 2
    badge = "[![b](https://img.shields.io/github/stars/a/b.svg)](https://github.com/c/d) "
    return _repeat(f"- [LoRA]({URL}) ", "[paper]() ", half, "\n") + _repeat("- ", badge, half, "\n")


def conflicting_links(size: int) -> str:
    """Item 5: one entry of thousands of arXiv links, of alternating forms and IDs."""
    links = [
        f"[arXiv](https://arxiv.org/abs/2106.{10000 + i:05d}) [pdf](https://arxiv.org/pdf/2106."
        f"{10000 + i + 1:05d}) "
        for i in range(0, 20000, 2)
    ]
    text = "- [LoRA: Low-Rank Adaptation](https://arxiv.org/abs/2106.09685) "
    for unit in links:
        if len(text) + len(unit) >= size:
            break
        text += unit
    return text + "\n"


PATTERNS: dict[str, Callable[[int], str]] = {
    "text-ids": text_ids,
    "reversed-brackets": reversed_brackets,
    "spaced-links": spaced_links,
    "empty-targets": empty_targets,
    "conflicting-links": conflicting_links,
}


@pytest.fixture(scope="module")
def realistic_seconds(tmp_path_factory: pytest.TempPathFactory) -> float:
    folder = tmp_path_factory.mktemp("realistic-links")
    text = realistic(SIZE)
    check_seconds(folder, "warm-up", text, within=math.inf)
    return max(check_seconds(folder, "realistic", text), 0.05)


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_a_hostile_list_of_links_takes_about_what_a_real_one_takes(
    name: str, realistic_seconds: float, tmp_path: Path
) -> None:
    bound = 20 * realistic_seconds
    seconds = check_seconds(tmp_path, name, PATTERNS[name](SIZE), within=bound)
    assert seconds <= bound, (seconds, realistic_seconds)


def test_the_patterns_hold_what_they_say() -> None:
    doc = parse_text("ids.md", text_ids(SIZE))
    assert len([lk for lk in doc.links if lk.in_text]) > 1500  # every ID read, once
    assert len(parse_text("r.md", reversed_brackets(SIZE)).link_syntax) > 1500
    spaced = parse_text("s.md", spaced_links(SIZE)).link_syntax
    assert len(spaced) > 1000 and spaced[0].text.count("a ") > 20_000
    assert len(parse_text("e.md", empty_targets(SIZE)).link_syntax) > 2000
    (entry,) = parse_text("c.md", conflicting_links(SIZE)).entries
    assert len(entry.links) > 1000


def test_each_link_of_an_entry_is_compared_with_a_few_before_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Item 5: never every pair of an entry's links."""
    calls = 0
    contradict = conflicts._contradict

    def counted(doc: object, a: object, b: object) -> bool:
        nonlocal calls
        calls += 1
        return contradict(doc, a, b)  # type: ignore[arg-type]

    monkeypatch.setattr(conflicts, "_contradict", counted)
    doc = parse_text("c.md", conflicting_links(SIZE))
    links = len(doc.entries[0].links)
    found = list(conflicts.arxiv_id_conflict(doc))
    assert len(found) == links - 1  # every ID after the title link's
    assert calls <= 4 * links  # with every earlier link: millions
