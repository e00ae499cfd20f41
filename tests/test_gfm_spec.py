"""The GFM spec's extension examples (tables, strikethrough, autolinks) read as GitHub does.

tests/data/gfm-spec/extensions.txt holds them as written in github/cmark-gfm's test/spec.txt. Our
markdown-it set-up must render each one to the spec's HTML: that is what the parser reads.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from checker.parse.gfm import markdown

FENCE = "`" * 32
SPEC = (Path(__file__).parent / "data" / "gfm-spec" / "extensions.txt").read_text("utf-8")
EXAMPLES = [
    (m.group(1), m.group(2) + "\n", m.group(3))
    for m in re.finditer(FENCE + r" example (\w+)\n(.*?)\n\.\n(.*?)" + FENCE, SPEC, re.S)
]


def _render(src: str) -> str:
    html = markdown().render(src)
    # markdown-it writes alignment as a style and strikethrough as <s>; the spec align and <del>
    html = re.sub(r' style="text-align:(\w+)"', r' align="\1"', html)
    return html.replace("<s>", "<del>").replace("</s>", "</del>")


def _examples(kind: str) -> list[object]:
    found = [e for e in EXAMPLES if e[0] == kind]
    return [pytest.param(src, html, id=f"{kind}-{i + 1}") for i, (_, src, html) in enumerate(found)]


def test_every_example_is_there() -> None:
    kinds = [kind for kind, _, _ in EXAMPLES]
    counts = (kinds.count("table"), kinds.count("strikethrough"), kinds.count("autolink"))
    assert counts == (9, 2, 11)


@pytest.mark.parametrize(("src", "html"), _examples("table") + _examples("strikethrough"))
def test_tables_and_strikethrough_render_as_in_the_spec(src: str, html: str) -> None:
    assert _render(src) == html


@pytest.mark.parametrize(("src", "html"), _examples("autolink"))
def test_autolinks_render_as_in_the_spec(src: str, html: str) -> None:
    assert _render(src) == html
