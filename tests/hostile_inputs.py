"""Pathological lists (issue 14, items 1-7) and a realistic list of the same size.

Each pattern grows its hostile part with the size asked for (one run of spaces as long as the
file, one paper listed as many times as fit), so that a pass quadratic in that part shows as a
time per byte that grows with the size. Used by `bench/hostile_bench.py` and the tests in
`tests/test_hostile.py`; deterministic. `fill_cache` stores an arXiv answer (a title and a 1 KB
abstract) for every ID of a list, so that an `--offline` run judges the online rules too: a
Model/Name cell is looked for in the abstract.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from pathlib import Path

from checker.cache import Cache
from checker.services.arxiv import ArxivPaper

SEED = Path(__file__).resolve().parent / "data" / "seed" / "efficiency.md"

_ID = re.compile(r"\b(\d{2})(\d{2})\.(\d{5})\b")
_TABLE = "| Title | Pub | Preprint | Code |\n|---|---|---|---|\n"
_NAMES = "| Model | Paper |\n|---|---|\n"


def arxiv_id(i: int) -> str:
    """The i-th of 960,000 distinct valid new-style identifiers (2015-2022)."""
    return f"{15 + i // 120000 % 8:02d}{1 + i // 10000 % 12:02d}.{10000 + i % 10000:05d}"


def arxiv_ids(text: str) -> set[str]:
    return {m.group(0) for m in _ID.finditer(text)}


def _row(i: int, venue: str = "ICLR 2021", title: str | None = None) -> str:
    ident = arxiv_id(i)
    title = title if title is not None else f"Efficient Attention Number {i} for Long Inputs"
    return f"| {title} | {venue} | [arXiv](https://arxiv.org/abs/{ident}) | |\n"


def _fill(head: str, size: int, unit: Callable[[int], str], tail: str = "") -> str:
    """`head`, then units until the text is `size` bytes (about), then `tail`."""
    parts, length, i = [head], len(head.encode()), 0
    while length + len(tail.encode()) < size:
        piece = unit(i)
        parts.append(piece)
        length += len(piece.encode())
        i += 1
    parts.append(tail)
    return "".join(parts)


def _pad(size: int, fixed: str, char: str = " ") -> int:
    """How many `char` make `fixed` plus them `size` bytes."""
    return max(16, (size - len(fixed.encode())) // len(char.encode()))


def realistic(size: int) -> str:
    """The seed list's sections repeated, each copy under its own arXiv IDs (a real list does
    not list one paper a hundred times: that is a pattern of its own)."""
    text = SEED.read_text(encoding="utf-8")
    head, _, body = text.partition("## Papers")
    body = "## Papers" + body
    copy = [0]

    def renumbered(_: int) -> str:
        k = copy[0]
        copy[0] += 1
        return _ID.sub(lambda m: arxiv_id(k * 40 + int(m.group(3)) % 40), body)

    return _fill(head, size, renumbered)


def venue_spaces(size: int) -> str:
    """Item 1: a venue followed by a run of spaces, in a table cell and in a list item."""
    fixed = _TABLE + _row(0) * 2
    half = _pad(size, fixed) // 2
    item = f"- **Efficient Attention for Long Inputs** ICLR 2021{' ' * half}"
    item += f"[paper](https://arxiv.org/abs/{arxiv_id(2)})\n\n"
    return _TABLE + _row(0) + _row(1, venue="ICLR 2021" + " " * half) + "\n" + item


def name_spaces(size: int) -> str:
    """Item 2: a Model/Name cell holding a run of spaces between two words."""
    fixed = _NAMES + "| Lla ma | [paper](https://arxiv.org/abs/0000.00000) |\n"
    name = "Lla" + " " * _pad(size, fixed) + "ma"
    return _NAMES + f"| {name} | [paper](https://arxiv.org/abs/{arxiv_id(0)}) |\n"


def name_digits(size: int) -> str:
    """Item 2: a Model/Name cell of digits."""
    fixed = _NAMES + "| M | [paper](https://arxiv.org/abs/0000.00000) |\n"
    name = "M" + "7" * _pad(size, fixed)
    return _NAMES + f"| {name} | [paper](https://arxiv.org/abs/{arxiv_id(0)}) |\n"


def name_suffixes(size: int) -> str:
    """Item 2: a Model/Name cell of a name and thousands of `-7b` size suffixes."""
    fixed = _NAMES + "| Llama | [paper](https://arxiv.org/abs/0000.00000) |\n"
    name = "Llama" + "-7b" * (_pad(size, fixed) // 3)
    return _NAMES + f"| {name} | [paper](https://arxiv.org/abs/{arxiv_id(0)}) |\n"


def extra_cell_spaces(size: int) -> str:
    """Item 3: a row with one cell more than its header, of whitespace (then text)."""
    fixed = _TABLE + _row(0) + "| t | v | p | c | x |\n" * 2
    run = " \t" * (_pad(size, fixed) // 4)
    row = f"| Efficient Attention | ICLR 2021 | [arXiv](https://arxiv.org/abs/{arxiv_id(1)}) | |"
    return _TABLE + _row(0) + row + run + "|\n" + row + run + "x |\n"


def link_text_dashes(size: int) -> str:
    """Item 3: the text of an arXiv link, and of a GitHub link, a run of dashes."""
    fixed = "- [](https://arxiv.org/abs/0000.00000)\n" * 2
    half = _pad(size, fixed, "-") // 2
    return (
        f"- [{'-' * half}](https://arxiv.org/abs/{arxiv_id(0)})\n"
        f"- [{'-' * half}](https://github.com/owner/repo) [paper](https://arxiv.org/abs/"
        f"{arxiv_id(1)})\n"
    )


def title_ideographic(size: int) -> str:
    """Item 4: whitespace inside titles: ideographic spaces in a table title and a bold title."""
    fixed = _TABLE + _row(0) * 2 + "- **Efficient Attention** [paper](https://arxiv.org/abs/x)\n"
    half = _pad(size, fixed, "\u3000") // 2
    title = "Efficient" + "\u3000" * half + "Attention for Long Inputs"
    return (
        _TABLE
        + _row(0)
        + _row(1, title=title)
        + f"\n- **{title}** [paper](https://arxiv.org/abs/{arxiv_id(2)})\n"
    )


def unclosed_disable(size: int) -> str:
    """Item 5: suppression comments. One that names thousands of rules above a table; then
    `<!-- paperlint-disable` never closed, on many lines (one HTML block: the first is never
    closed) and many times on one line."""
    quarter = size // 4
    rules = " ".join(f"rule-{i}" for i in range(quarter // 10))
    table = _fill(f"<!-- paperlint-disable {rules} -->\n\n" + _TABLE, 2 * quarter, _row)
    lines = "<!-- paperlint-disable\n" * (quarter // 23)
    return table + "\n" + lines + "<!-- paperlint-disable " * (quarter // 23) + "\n"


def duplicate_paper(size: int) -> str:
    """Item 6: one paper listed as many times as fit, in one table."""
    return _fill(_TABLE, size, lambda _: _row(0))


def reference_links(size: int) -> str:
    """Item 7: reference-style links, all on one line, their definitions below."""
    defs = "".join(f"[r{i}]: https://arxiv.org/abs/{arxiv_id(i)}\n" for i in range(100))
    head = "- **Efficient Attention for Long Inputs**"
    line = _fill(head, size - len(defs) - 2, lambda i: f" [p][r{i % 100}]")
    return f"{line}\n\n{defs}"


PATTERNS: dict[str, Callable[[int], str]] = {
    "venue-spaces": venue_spaces,
    "name-spaces": name_spaces,
    "name-digits": name_digits,
    "name-suffixes": name_suffixes,
    "extra-cell-spaces": extra_cell_spaces,
    "link-text-dashes": link_text_dashes,
    "title-ideographic": title_ideographic,
    "unclosed-disable": unclosed_disable,
    "duplicate-paper": duplicate_paper,
    "reference-links": reference_links,
}


ABSTRACT = (
    "Transformers are slow and memory-hungry on long sequences, since the time and memory "
    "complexity of self-attention are quadratic in sequence length. We argue that a missing "
    "principle is making attention algorithms IO-aware, accounting for reads and writes between "
    "levels of GPU memory. We propose an IO-aware exact attention algorithm that uses tiling to "
    "reduce the number of memory reads and writes between GPU high bandwidth memory and on-chip "
    "SRAM, and we analyze its IO complexity, showing that it requires fewer memory accesses than "
    "standard attention and is optimal for a range of SRAM sizes. We also extend it to block-"
    "sparse attention, yielding an approximate attention algorithm that is faster than any "
    "existing approximate attention method. It trains Transformers faster than existing "
    "baselines: a 15% end-to-end wall-clock speedup on BERT-large, 3x speedup on GPT-2, and 2.4x "
    "speedup on long-range arena, and enables longer context, yielding higher quality models "
    "(0.7 better perplexity on GPT-2 and 6.4 points of lift on long-document classification) "
    "and entirely new capabilities, the first Transformers to achieve better-than-chance "
    "performance on the Path-X challenge and Path-256."
)


def fill_cache(path: Path, text: str) -> None:
    """An arXiv answer for every ID in `text`, stored in the cache at `path`."""
    cache = Cache(path)
    paper = ArxivPaper("", 1, "Efficient Attention for Long Inputs", year=2021, abstract=ABSTRACT)
    answers = {
        ident: dataclasses.asdict(dataclasses.replace(paper, arxiv_id=ident))
        for ident in arxiv_ids(text)
    }
    cache.put_many("arxiv", answers)
    cache.close()
