"""Hostile lists (issue 14, items 1-7): every pass over the Markdown runs in time linear in it.

Each pattern of `hostile_inputs` at 200 KB is checked through the command (`main`, in this
process, CPU time) and must finish within 20 times what the realistic list of the same size
takes in the same session: a bound no machine can trip, since the patterns now take about what
the list takes (`bench/hostile_bench.py` measures the real ratios), while before they took
seconds to minutes. Where a quadratic pass would not stand out at 200 KB against that bound, a
second test counts the work (comparisons, shared sets, lookups) instead of timing it.
"""

from __future__ import annotations

import math
import os
import re
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest
from hostile_inputs import PATTERNS, fill_cache, realistic

from checker.cli import main
from checker.parse import parse_text
from checker.parse.html import html_events
from checker.parse.inline import Locator
from checker.rules import structure
from checker.suppress import Suppressions, comments
from checker.titles import clean_title

SIZE = 200_000
ONLINE = {"name-spaces", "name-digits", "name-suffixes"}  # judged against the abstract


def check_seconds(
    folder: Path, name: str, text: str, online: bool = False, within: float = 0.0
) -> float:
    """CPU seconds of `paperlint check` on `text`, in this process: the fastest of two runs, or
    the first alone when it takes `within` or less (a hostile list under its bound)."""
    path = folder / f"{name}.md"
    path.write_text(text, encoding="utf-8")
    args = ["check", "--offline", "--no-progress", "--format", "json", "-o", os.devnull]
    if online:  # the cache answers for arXiv: the online rules judge the list
        cache = folder / f"{name}.sqlite3"
        fill_cache(cache, text)
        args += ["--cache", str(cache)]
    else:
        args.append("--no-cache")
    best = float("inf")
    for _ in range(2):
        start = time.process_time()
        code = main([*args, str(path)])
        best = min(best, time.process_time() - start)
        assert code in (0, 1)
        if best <= within:
            break
    return best


@pytest.fixture(scope="module")
def realistic_seconds(tmp_path_factory: pytest.TempPathFactory) -> float:
    folder = tmp_path_factory.mktemp("realistic")
    text = realistic(SIZE)
    check_seconds(folder, "warm-up", text, online=True, within=math.inf)  # imports, patterns
    return max(check_seconds(folder, "realistic", text, online=True), 0.05)


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_a_hostile_list_takes_about_what_a_real_one_takes(
    name: str, realistic_seconds: float, tmp_path: Path
) -> None:
    bound = 20 * realistic_seconds
    seconds = check_seconds(tmp_path, name, PATTERNS[name](SIZE), name in ONLINE, within=bound)
    assert seconds <= bound, (seconds, realistic_seconds)


def test_the_patterns_are_what_the_issue_describes() -> None:
    """Each pattern holds the construct its item names, grown to the size asked for."""
    assert re.search(r"ICLR 2021 {1000,}", PATTERNS["venue-spaces"](SIZE))
    assert "-7b" * 1000 in PATTERNS["name-suffixes"](SIZE)
    assert "7" * 10_000 in PATTERNS["name-digits"](SIZE)
    assert "\u3000" * 10_000 in PATTERNS["title-ideographic"](SIZE)
    assert re.search(r"\[-{10000,}\]", PATTERNS["link-text-dashes"](SIZE))
    assert PATTERNS["duplicate-paper"](SIZE).count("arxiv.org/abs/1501.10000") > 1800
    assert PATTERNS["reference-links"](SIZE).splitlines()[0].count("][r") > 10_000
    unclosed = PATTERNS["unclosed-disable"](SIZE)
    assert "<!-- paperlint-disable " * 1000 in unclosed and "rule-1000 " in unclosed
    for name, make in PATTERNS.items():
        assert 0.9 * SIZE <= len(make(SIZE).encode()) <= 1.1 * SIZE, name


# ---------------------------------------------------------------------------------------------
# Work counted, not timed


def test_one_paper_listed_thousands_of_times_is_compared_a_few_times_a_listing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Item 6: each listing is compared with its group's distinct forms, not every earlier one."""
    calls = 0
    relation = structure._Listings.relation

    def counted(self: structure._Listings, a: object, b: object) -> str:
        nonlocal calls
        calls += 1
        return relation(self, a, b)  # type: ignore[arg-type]

    monkeypatch.setattr(structure._Listings, "relation", counted)
    rows = "".join(
        f"| Model-{i % 20} | [p](https://arxiv.org/abs/2106.09685) |\n" for i in range(8000)
    )
    doc = parse_text("l.md", "| Model | Paper |\n|---|---|\n" + rows)
    found = list(structure.duplicate_entry(doc))
    assert len(found) == 7999
    assert calls <= 20 * 8000  # with every earlier listing: 32 million
    assert sum(f.severity.value == "warning" for f in found) == 7980  # 20 rows, each again


def test_a_paper_in_more_forms_than_remembered_is_compared_with_the_first_ones() -> None:
    """Item 6: a group remembers a paper's first 32 forms: a repeat of a later one is info
    (listed in this section), not a warning. No list a person keeps lists one paper in one
    section under 33 different rows."""
    rows = "".join(
        f"| Model-{i % 40} | [p](https://arxiv.org/abs/2106.09685) |\n" for i in range(80)
    )
    found = list(structure.duplicate_entry(parse_text("l.md", "| Model | P |\n|---|---|\n" + rows)))
    warnings = [f.line - 2 for f in found if f.severity.value == "warning"]
    assert warnings == list(range(41, 73))  # the repeats of forms 0-31


def test_a_disable_naming_thousands_of_rules_is_one_set_for_every_line() -> None:
    """Item 5: the rules a block disables are one set, shared by its lines, and only rules."""
    lines = [
        "<!-- paperlint-disable " + " ".join(f"rule-{i}" for i in range(5000)) + " link-broken -->",
        *["- a line" for _ in range(5000)],
    ]
    tracemalloc.start()
    hidden = Suppressions(lines)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert {frozenset(v) for v in hidden.by_line.values()} == {frozenset({"link-broken"})}
    assert len({id(v) for v in hidden.by_line.values()}) <= 2  # its own line's, the block's
    assert peak < 5_000_000  # a copy of 5,001 names on each of 5,001 lines: 2 GB


def test_suppression_comments_are_found_as_the_pattern_finds_them() -> None:
    """Item 5: one pass over a line gives what `<!--\\s*paperlint-VERB\\b([^>]*?)-->` gives."""
    pattern = re.compile(
        r"<!--\s*paperlint-(?P<verb>disable-next-line|disable-line|disable|enable)\b"
        r"(?P<rules>[^>]*?)-->"
    )
    pieces = ["<!--", "-->", ">", " ", "paperlint-", "disable", "enable", "-next-line", "-line",
              "a", ",", "-", "<", "!", "\t"]  # fmt: skip
    import random

    rng = random.Random(14)
    for _ in range(20_000):
        line = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 14)))
        expected = [(m.group("verb"), m.group("rules")) for m in pattern.finditer(line)]
        assert list(comments(line)) == expected, line


def test_a_line_of_unclosed_comments_is_read_once() -> None:
    """Item 5: 50,000 unclosed comments on one line (1.2 MB): the pattern read the rest of the
    line from each of them, 30 billion steps; one pass takes milliseconds."""
    line = "<!-- paperlint-disable " * 50_000
    seconds = _seconds(lambda: list(comments(line)))
    assert seconds < 20 * _realistic_parse_seconds(len(line))


def test_an_html_block_of_unclosed_comments_and_tags_is_read_once() -> None:
    """Item 5: HTMLParser read an unclosed `<!--` or `<a x` as text and tried again from the
    next `<`: a block of 20,000 of them took minutes. The tokenizer reads each character once:
    an unclosed comment or tag runs to the end of the block, as in a browser."""
    for unit in ("<!-- paperlint-disable\n", "<a x\n", "<a href='x\n", "</a x\n"):
        block = "<table>\n" + unit * 50_000
        seconds = _seconds(lambda block=block: list(html_events(block)))
        assert seconds < 20 * _realistic_parse_seconds(len(block)), unit
    assert list(html_events("<table>\n<!-- x\n<tr>\n")) == [_start("table"), "\n"]


def test_whitespace_and_punctuation_in_titles_are_cut_in_one_pass() -> None:
    """Item 4: `(@org)` was cut by a pattern starting with spaces, and trailing punctuation by
    one ending with `$`: each read a long run again from every character of it. 400,000
    ideographic spaces (1.2 MB) or dots would take hours that way."""
    assert clean_title("A Title  (@lab) ") == "A Title"
    assert clean_title("A Title (@lab) (x)") == "A Title (@lab) (x)"
    assert clean_title("A Title...;") == "A Title"
    for title in (
        "Efficient" + "\u3000" * 400_000 + "Attention (@lab",
        "Efficient Attention" + "." * 400_000 + "x",
        "Efficient Attention " + "(@" * 200_000,
    ):
        seconds = _seconds(lambda title=title: clean_title(title))
        assert seconds < 20 * _realistic_parse_seconds(len(title.encode())), title[:30]


def test_reference_links_are_placed_at_their_brackets_and_lookups_have_a_budget() -> None:
    """Item 7: a reference link's target is written on another line, so it was looked for in
    vain along its whole line, once per link. It is placed at its `[`; and a line spends at most
    32 times its length on lookups that fail (URLs written with entities, say)."""
    doc = parse_text("l.md", "- [a][r] [b][s] [c](https://x.org/c)\n\n[r]: https://x.org/a\n"
                     "[s]: https://x.org/b\n")  # fmt: skip
    assert [(lk.url, lk.column) for lk in doc.links] == [
        ("https://x.org/a", 3),
        ("https://x.org/b", 10),
        ("https://x.org/c", 21),
    ]
    line = "x" * 10_000
    locator = Locator([line])
    reads = 0
    for k in range(1000):
        start = locator.left.get(1, 10**9)
        assert locator.column(1, f"https://nowhere/{k}") == 1
        reads += start - locator.left[1] if start != 10**9 else len(line)
    assert reads <= 33 * len(line) + 256  # without the budget: 1000 times the line


def _start(name: str) -> object:
    from checker.parse.html import StartTag

    return StartTag(name, [], 0, False)


def _seconds(work: Callable[[], object]) -> float:
    start = time.process_time()
    work()
    return time.process_time() - start


_PER_BYTE: list[float] = []


def _realistic_parse_seconds(size: int) -> float:
    """What parsing a realistic list of `size` bytes takes here (measured once)."""
    if not _PER_BYTE:
        text = realistic(SIZE)
        parse_text("warm-up.md", text)
        _PER_BYTE.append(_seconds(lambda: parse_text("r.md", text)) / len(text))
    return max(_PER_BYTE[0] * size, 0.05)
