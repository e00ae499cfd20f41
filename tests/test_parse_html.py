"""HTML blocks: <tr> rows as entries, <a href> links, id/name anchors, comments."""

from __future__ import annotations

import pytest
from parse_helpers import http_urls, parse


def test_html_table_rows_are_entries() -> None:
    doc = parse(
        "## Attacks\n"
        "\n"
        "<table>\n"
        '<tr><th rowspan="2">Category</th><th>Paper</th></tr>\n'
        '<tr><td><a href="https://arxiv.org/abs/1706.03762">Transformer (Vaswani et al., 2017)'
        "</a></td></tr>\n"
        "<tr>\n"
        "<td><a href='https://github.com/a/b'>code</a></td>\n"
        "</tr>\n"
        "</table>\n"
    )
    first, second = doc.entries
    assert (first.line, first.end_line, first.section) == (5, 5, ("Attacks",))
    assert first.links[0].text == "Transformer (Vaswani et al., 2017)"
    assert (first.links[0].line, first.links[0].column) == (5, 18)
    assert (second.line, second.end_line) == (6, 8)
    assert second.repos == ("a/b",)
    assert (second.links[0].line, second.links[0].column) == (7, 14)


def test_unclosed_html_tr_is_still_a_row() -> None:
    doc = parse(
        "<table>\n"
        '<tr><td>PaLM</td><td><a href="https://arxiv.org/abs/2204.02311">Paper</a></td>\n'
        '<tr><td>Cohere</td><td><a href="https://cohere.ai/">Home</a></td></tr>\n'
        "</table>\n"
    )
    assert http_urls(doc) == ["https://arxiv.org/abs/2204.02311", "https://cohere.ai/"]
    assert [e.line for e in doc.entries] == [2, 3]


def test_html_ids_and_names_are_anchors() -> None:
    doc = parse('<a name="CNN"></a>\n\n<div id="my-id">x</div>\n\n- <a id="inline">t</a>\n')
    assert {"cnn", "my-id", "inline"} <= doc.anchors


def test_html_comment_links_are_not_links() -> None:
    doc = parse("<!-- [x](https://arxiv.org/abs/1706.03762) -->\n\n- text\n")
    assert doc.links == ()


def test_html_row_link_reading_name_author_year_gives_the_name() -> None:
    doc = parse(
        "<table>\n"
        '<tr><td><a href="https://arxiv.org/abs/1905.11736">NI-FGSM (Lin et al., 2020)</a></td>'
        "<td>Nesterov</td></tr>\n"
        '<tr><td><a href="https://arxiv.org/abs/1706.03762">the paper</a></td></tr>\n'
        "</table>\n"
    )
    first, second = doc.entries
    assert first.name is not None and (first.name.text, first.name.line) == ("NI-FGSM", 2)
    assert doc.lines[1][first.name.column - 1 :].startswith("NI-FGSM (Lin")
    assert second.name is None


@pytest.mark.parametrize(
    ("written", "followed"),
    [
        ("https://e.org/p?a=1&amp;b=2", "https://e.org/p?a=1&b=2"),
        ("https://e.org/p?a=1&section=2", "https://e.org/p?a=1&section=2"),  # no `;`, `=` after
        ("https://e.org/p?a=1&copy=2&amp;b=3", "https://e.org/p?a=1&copy=2&b=3"),
        ("https://e.org/p?x&#38;y", "https://e.org/p?x&y"),
    ],
)
def test_an_href_reads_the_same_in_an_html_block_and_inline(written: str, followed: str) -> None:
    """As a browser reads an attribute: references decoded, but one without its `;` that a
    letter, digit or `=` follows is left as written; in a `<table>` as in a line of text."""
    text = (
        f'- <a href="{written}">inline</a>\n\n'
        f'<table>\n<tr><td><a href="{written}">block</a></td></tr>\n</table>\n'
    )
    doc = parse(text)
    assert [(link.url, link.line) for link in doc.links] == [(followed, 1), (followed, 4)]
    for link in doc.links:
        line = text.splitlines()[link.line - 1]
        assert line[link.column - 1 :].startswith(written)
