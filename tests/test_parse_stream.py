"""The token stream the walk reads: markdown-it's own tokens, each inline run read on demand."""

from __future__ import annotations

import gc
import importlib.util
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.parse import parse_text
from checker.parse.gfm import TokenStream, markdown, split_row
from checker.sources import read_markdown

CORPUS = Path(__file__).parent / "data" / "corpus"

# A reference used before its definition, links in a heading and a table, a `www.` domain and an
# email address (linked by a core rule after `inline`), an HTML block, a list inside a quote.
MIXED = (
    "# Title [link][ref]\n\n"
    "- **Paper A** [[paper]][a] [code][c] NeurIPS 2020\n"
    "- [Paper B](https://arxiv.org/abs/2101.00001) www.example.com/x and me@example.org\n\n"
    "| Title | Venue | Code |\n|---|---|---|\n| [T][a] | Neurips 2020 | [c] |\n"
    "| **Split\nrow** | ICML 2020 | https://github.com/o/r |\n\n"
    '<table><tr><td><a href="https://arxiv.org/abs/2101.00003">X</a></td></tr></table>\n\n'
    "> - quoted *item* <https://arxiv.org/abs/2101.00004>\n\n"
    "[a]: https://arxiv.org/abs/2101.00001\n[c]: https://github.com/x/y\n[ref]: #title\n"
)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(MIXED, id="mixed"),
        pytest.param(MIXED.replace("\n", "\r\n"), id="crlf"),
        pytest.param(MIXED.replace("\n", "\r"), id="cr"),
        pytest.param(
            read_markdown(str(CORPUS / "cedrickchee__awesome-transformer-nlp__README.md")),
            id="cedrickchee",
        ),
    ],
)
def test_the_stream_gives_markdown_its_own_tokens(text: str) -> None:
    streamed = list(TokenStream(text))
    assert streamed == markdown().parse(text)
    assert any(t.children and any(c.type == "link_open" for c in t.children) for t in streamed)


def test_each_token_is_let_go_once_read() -> None:
    stream = TokenStream(MIXED)
    total = len(markdown().parse(MIXED))
    tokens = iter(stream)
    next(tokens)
    next(tokens)
    assert len(stream) == total - 2


def test_a_reference_defined_after_its_use_is_linked() -> None:
    doc = parse_text("x.md", MIXED)
    assert next(lk.url for lk in doc.links if lk.line == 3) == "https://arxiv.org/abs/2101.00001"
    assert "mailto:me@example.org" in [lk.url for lk in doc.links]


@pytest.mark.parametrize("enabled", [True, False])
def test_the_cycle_collector_is_left_as_it_was(enabled: bool) -> None:
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        parse_text("x.md", MIXED)
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


def test_parsing_leaves_no_reference_cycles_behind() -> None:
    """Why the cycle collector may rest while we parse: every object the parse drops is freed
    by its reference count, so there is nothing for the collector to find."""
    text = read_markdown(str(next(CORPUS.glob("BradyFU__*.md"))))
    gc.collect()
    was = gc.isenabled()
    gc.disable()
    try:
        doc = parse_text("x.md", text + MIXED)
        assert doc.entries
        assert gc.collect() == 0
    finally:
        if was:
            gc.enable()


# Text made of what starts an inline rule (and what does not), in a paragraph and in table cells.
INLINE_TEXT = st.text(alphabet=st.sampled_from(list("ab :/|\\`~*_[]!<>&#-.()@w\n")), max_size=40)


@settings(max_examples=300, deadline=None)
@given(INLINE_TEXT, INLINE_TEXT)
def test_plain_text_is_read_as_markdown_it_reads_it(cell: str, paragraph: str) -> None:
    """A run where no inline rule can start is made one text token without markdown-it's inline
    parse: the tokens are still markdown-it's own."""
    cell = cell.replace("\n", " ")
    text = f"| a | b |\n|---|---|\n| {cell} | ICLR 2024 |\n\n{paragraph}\n\nhttps://x.org/a: b\n"
    assert list(TokenStream(text)) == markdown().parse(text)


def _markdown_its_own_split() -> Callable[[str], list[str]]:
    """markdown-it's `escapedSplit`, from a fresh copy of its module (ours replaces it)."""
    origin = importlib.util.find_spec("markdown_it.rules_block.table")
    assert origin is not None and origin.origin is not None
    spec = importlib.util.spec_from_file_location("markdown_it.rules_block.table_as_shipped",
                                                  origin.origin)  # fmt: skip
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    split: Callable[[str], list[str]] = module.escapedSplit
    return split


@settings(max_examples=300)
@given(st.text(alphabet=st.sampled_from(list("|\\a `")), max_size=30))
def test_a_table_row_is_split_as_markdown_it_splits_it(line: str) -> None:
    assert split_row(line) == _markdown_its_own_split()(line)
