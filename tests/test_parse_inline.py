"""Inline runs: links placed at their line and column, bare URLs, code and images."""

from __future__ import annotations

import re

import pytest
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


# ---------------------------------------------------------------------------------------------
# arXiv IDs written as text beside an entry's links (issue 15.1)


def test_an_id_written_as_text_is_carried_by_its_entry_at_its_place() -> None:
    line = (
        "- **LoRA**. *Hu et al.* arXiv preprint arXiv:2106.09685v2, 2021."
        " [[code](https://github.com/microsoft/LoRA)]"
    )
    e = only_entry(parse(line + "\n"))
    written, code = e.links
    assert (written.kind, written.arxiv_id, written.arxiv_version) == (
        LinkKind.ARXIV, "2106.09685", 2,
    )  # fmt: skip
    assert written.in_text and not written.is_http
    assert (written.line, written.column) == (1, line.index("arXiv:2106") + 1)
    assert written.url == "https://arxiv.org/abs/2106.09685v2"
    assert e.primary_arxiv is written and e.arxiv_ids == ("2106.09685",)
    assert code.repo == "microsoft/LoRA"
    assert e.title is not None and e.title.text == "LoRA"


def test_the_doi_written_as_text_and_old_style_ids() -> None:
    doc = parse(
        "- [LoRA](https://github.com/microsoft/LoRA) doi:10.48550/arXiv.2106.09685\n"
        "- [Beyond](https://example.org/beyond) arXiv: hep-th/9711200\n"
    )
    assert [(lk.arxiv_id, lk.column) for lk in doc.links if lk.in_text] == [
        ("2106.09685", 49), ("hep-th/9711200", 40),
    ]  # fmt: skip


def test_ids_in_free_prose_make_no_entry_and_no_link() -> None:
    doc = parse(
        "Our survey is arXiv:2303.18223; cite it as 10.48550/arXiv.2303.18223.\n"
        "\n"
        "- If you use this list, please cite arXiv:2303.18223\n"
        "\n"
        "| Year | Note |\n|---|---|\n| 2023 | see arXiv:2303.18223 |\n"
    )
    assert doc.entries == () and doc.links == ()


def test_ids_in_code_and_in_link_texts_are_not_read_again() -> None:
    e = only_entry(
        parse(
            "- [arXiv:2106.09685](https://arxiv.org/abs/2106.09685) `arXiv:2305.14314`\n"
            "  ```\n  arXiv:1706.03762\n  ```\n"
        )
    )
    assert [(lk.arxiv_id, lk.in_text) for lk in e.links] == [("2106.09685", False)]


def test_an_id_written_as_text_is_never_taken_for_a_title() -> None:
    doc = parse(
        "| Paper | Links |\n|---|---|\n"
        "| arXiv 2106.09685 | [LoRA: Low-Rank Adaptation](https://github.com/microsoft/LoRA) |\n"
        "\n"
        "- arXiv 2305.14314 [QLoRA: Efficient Finetuning](https://github.com/artidoro/qlora)\n"
    )
    row, item = doc.entries
    assert row.title is not None and row.title.text == "LoRA: Low-Rank Adaptation"
    assert item.title is not None and item.title.text == "QLoRA: Efficient Finetuning"
    assert [lk.arxiv_id for lk in doc.links if lk.in_text] == ["2106.09685", "2305.14314"]


# ---------------------------------------------------------------------------------------------
# The image a link wraps (issue 15.6)


def test_a_badge_keeps_its_image_and_has_no_text() -> None:
    star = "https://img.shields.io/github/stars/IST-DASLab/sparsegpt.svg?style=social&label=Star"
    doc = parse(
        f"- [![Star]({star})](https://github.com/IST-DASLab/sparsegpt) [code](https://github.com/a/b)\n"
        '- <a href="https://github.com/c/d"><img src="https://badgen.net/github/stars/c/d"></a>\n'
    )
    badge, code, html = doc.links
    assert (badge.text, badge.image, badge.repo) == ("", star, "IST-DASLab/sparsegpt")
    assert code.image is None
    assert (html.image, html.repo) == ("https://badgen.net/github/stars/c/d", "c/d")


# ---------------------------------------------------------------------------------------------
# Links that render as text or point nowhere (issue 15.7), recorded where they stand


def test_an_empty_target_is_recorded_at_its_bracket() -> None:
    doc = parse("| Title | Code |\n|---|---|\n| LoRA | [[pdf]]() [code](https://a.org/b) |\n")
    (p,) = doc.link_syntax
    assert (p.kind, p.line, p.column, p.text, p.old) == ("empty", 3, 10, "[pdf]", None)
    assert doc.lines[2][9:].startswith("[[pdf]]()")


def test_placeholders_and_badges_without_target_are_not_recorded() -> None:
    doc = parse(
        "- [Coming soon]() [Comins Soon]() [TBD]() [N/A]() [-]() [代码还未公布]() []()\n"
        "- [![Publish](https://img.shields.io/badge/Conference-ICML'23-blue)]()\n"
        "- [paper][missing-ref] and <a href=\"\">x</a>\n"
    )
    assert doc.link_syntax == ()


def test_reversed_brackets_are_recorded_with_their_fix() -> None:
    line = "- LoRA (paper)[https://arxiv.org/abs/2106.09685] [code](https://github.com/a/b)"
    (p,) = parse(line + "\n").link_syntax
    assert (p.kind, p.column, p.text) == ("reversed", 8, "paper")
    assert (p.old, p.new, p.fix_column) == (
        "(paper)[https://arxiv.org/abs/2106.09685]",
        "[paper](https://arxiv.org/abs/2106.09685)",
        8,
    )


def test_a_space_before_the_parenthesis_is_recorded_with_its_fix() -> None:
    url = "https://www.transacl.org/ojs/index.php/tacl/article/download/570/124"
    line = f"- Improving distributional similarity, O. Levy et al. [[pdf]] ({url})"
    (p,) = parse(line + "\n").link_syntax
    assert (p.kind, p.column, p.text) == ("space", line.index("[[pdf]]") + 1, "[pdf]")
    assert (p.old, p.new, p.fix_column) == (f"] ({url}", f"]({url}", line.index("] (") + 1)


@pytest.mark.parametrize(
    "md",
    [
        "- `(paper)[https://arxiv.org/abs/2106.09685]` and `[paper] (https://a.org/x)`\n",
        "```\n[paper]() (x)[https://a.org] [y] (https://a.org)\n```\n",
        "    [paper]() (x)[https://a.org]\n",  # indented code
        "- [(x)[https://a.org/b]](https://a.org/c)\n",  # inside a link's text
        "- [1] (2019) and (see)[12] and (a) [b] (c)\n",  # no URL: citations, not links
        "- [ref] (https://a.org/x)\n\n[ref]: https://a.org/y\n",  # a reference link, then a URL
        "- [paper](https://a.org/x) (https://a.org/y)\n",
    ],
)
def test_no_link_syntax_problem_in_code_in_links_or_in_citations(md: str) -> None:
    assert parse(md).link_syntax == ()
