"""Inline runs: links placed at their line and column, bare URLs, code and images."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st
from parse_helpers import http_urls, only_entry, parse

from checker.model import LinkKind
from checker.parse import parse_text
from checker.parse.autolinks import _in_open_bracket


def test_paragraph_soft_breaks_give_exact_lines() -> None:
    doc = parse(
        "Intro text.\n"
        "\n"
        "**A Title Here**\n"
        "by someone,\n"
        "see [pdf](https://arxiv.org/pdf/1706.03762) or\n"
        "[code](https://github.com/a/b)\n"
    )
    e = only_entry(doc)
    assert (e.line, e.end_line) == (3, 6)
    assert [(lk.line, lk.column) for lk in e.links] == [(5, 11), (6, 8)]


def test_repeated_url_on_one_line_gets_two_columns() -> None:
    url = "https://arxiv.org/abs/1706.03762"
    doc = parse(f"- [a]({url}) and [b]({url})\n")
    assert [lk.column for lk in doc.links] == [7, 49]
    assert doc.lines[0][6:].startswith(url) and doc.lines[0][48:].startswith(url)


def test_bare_urls_are_linkified_and_trailing_punctuation_dropped() -> None:
    doc = parse(
        "- see https://arxiv.org/abs/1706.03762.\n"
        "- code (https://github.com/c/d), done\n"
        "- *Foo, https://arxiv.org/abs/1311.2542*\n"
        "- <https://arxiv.org/abs/2106.09685>\n"
        "- x.py and arxiv.org/abs/2106.09685 are not links\n"
    )
    assert http_urls(doc) == [
        "https://arxiv.org/abs/1706.03762",
        "https://github.com/c/d",
        "https://arxiv.org/abs/1311.2542",
        "https://arxiv.org/abs/2106.09685",
    ]
    assert [e.line for e in doc.entries] == [1, 2, 3, 4]
    assert [lk.column for lk in doc.links] == [7, 9, 9, 4]


def test_www_urls_are_linkified_as_on_github() -> None:
    doc = parse("- code: www.github.com/a/b\n")
    assert [lk.repo for lk in doc.links] == ["a/b"]


def test_bare_url_inside_open_bracket_is_not_a_link() -> None:
    doc = parse("- [[data(https://zenodo.org/records/2593787)]]\n")
    assert http_urls(doc) == []


def test_bare_url_as_link_text_counts_once() -> None:
    doc = parse("- [https://llmbook-zh.github.io/](https://llmbook-zh.github.io/)\n")
    assert http_urls(doc) == ["https://llmbook-zh.github.io/"]


def test_inline_html_link_inside_markdown() -> None:
    doc = parse('- See <a href="https://arxiv.org/abs/1706.03762">the paper</a> here\n')
    e = only_entry(doc)
    (link,) = e.links
    assert (link.arxiv_id, link.text, link.line, link.column) == ("1706.03762", "the paper", 1, 16)


def test_links_in_code_are_not_links() -> None:
    doc = parse(
        "```bibtex\n"
        "url={http://arxiv.org/abs/2303.18223}\n"
        "[x](https://arxiv.org/abs/1706.03762)\n"
        "```\n"
        "\n"
        "~~~\n"
        "https://github.com/a/b\n"
        "~~~\n"
        "\n"
        "    https://arxiv.org/abs/2106.09685\n"
        "\n"
        "- `https://arxiv.org/abs/2106.09685` and `[x](https://github.com/a/b)`\n"
        '- ``<a href="https://example.com">x</a>``\n'
    )
    assert doc.links == ()
    assert doc.entries == ()


def test_images_are_not_links() -> None:
    doc = parse("- ![fig](https://arxiv.org/html/2402.17764v1/x1.png) text\n")
    assert doc.links == ()


def test_bare_urls_end_where_github_ends_them() -> None:
    doc = parse(
        "- ~~https://arxiv.org/abs/2106.09685~~ superseded\n"
        "- (code: https://github.com/o/r.)\n"
        "- see https://example.com/a?q=1&hl; and https://example.com/b?!\n"
        "- *https://arxiv.org/abs/1706.03762*, 'https://github.com/q/s'\n"
        "- https://en.wikipedia.org/wiki/Pikachu_(Electric)) and https://x.org/(a)\n"
    )
    assert [(lk.url, lk.line, lk.column) for lk in doc.links] == [
        ("https://arxiv.org/abs/2106.09685", 1, 5),
        ("https://github.com/o/r", 2, 10),
        ("https://example.com/a?q=1", 3, 7),
        ("https://example.com/b", 3, 41),
        ("https://arxiv.org/abs/1706.03762", 4, 4),
        ("https://github.com/q/s", 4, 40),
        ("https://en.wikipedia.org/wiki/Pikachu_(Electric)", 5, 3),
        ("https://x.org/(a)", 5, 57),
    ]
    assert doc.entries[0].arxiv_ids == ("2106.09685",)
    assert doc.entries[1].repos == ("o/r",)


def test_what_github_does_not_autolink() -> None:
    doc = parse(
        "- xhttps://example.com/a and https://ex_ample.com_x/b\n"
        "- [https://github.com/a/b is text here\n"
        "- `https://github.com/c/d` and wwww.github.com/e/f\n"
    )
    assert http_urls(doc) == []


def test_www_and_email_autolinks() -> None:
    doc = parse("- code: www.github.com/a/b. Mail me@example.org, please\n")
    assert [(lk.url, lk.column, lk.kind.value) for lk in doc.links] == [
        ("http://www.github.com/a/b", 9, "github"),
        ("mailto:me@example.org", 34, "other"),
    ]


def _scanned_open_bracket(src: str, pos: int) -> bool:
    depth = 0
    for m in re.finditer(r"\\.|[\[\]]", src[:pos]):
        if m.group() == "[":
            depth += 1
        elif m.group() == "]" and depth:
            depth -= 1
    return depth > 0


@settings(max_examples=300, deadline=None)
@given(src=st.text(alphabet="[]\\a:", max_size=30), pos=st.integers(0, 31))
def test_open_brackets_are_found_as_a_scan_from_the_start_finds_them(src: str, pos: int) -> None:
    """Bracket depths are found once per inline run; at any position they must say what a scan
    of the text before it says (no bare URL is linked inside a `[` still open)."""
    assert _in_open_bracket(src, pos) == _scanned_open_bracket(src, pos)


def test_a_paragraph_of_many_bare_urls_links_every_one() -> None:
    text = "\n".join(
        f"see https://github.com/o/r{i} and [x](https://arxiv.org/abs/2101.{i:05d})"
        for i in range(300)
    )
    doc = parse_text("t.md", text + "\n[open https://example.com/in-bracket\n")
    assert sum(lk.kind is LinkKind.GITHUB for lk in doc.links) == 300
    assert "https://example.com/in-bracket" not in [lk.url for lk in doc.links]
