"""Heading anchors as GitHub makes them: github-slugger's whole fixture file, in order."""

from __future__ import annotations

import json
import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from parse_helpers import parse

from checker.slugs import Slugger, _stripped, slugify

FIXTURES = json.loads(
    (Path(__file__).parent / "data" / "github-slugger" / "fixtures.json").read_text("utf-8")
)


def test_the_whole_fixture_file_is_there() -> None:
    assert len(FIXTURES) == 78
    assert {"Other_Number", "Other_Symbol", "Letter", "Format"} <= {f["name"] for f in FIXTURES}


def test_every_fixture_in_order_with_one_slugger() -> None:
    slugger = Slugger()
    got = [slugger.slug(f["input"]) for f in FIXTURES]
    assert got == [f["expected"] for f in FIXTURES]


def _heading(fixture: dict[str, str]) -> str:
    """The fixture as a Markdown heading whose rendered text is exactly its input."""
    if "markdownOverwrite" in fixture:
        return fixture["markdownOverwrite"]
    return "# " + re.sub(r"([!-/:-@\[-`{-~])", r"\\\1", fixture["input"])


def test_every_fixture_as_a_heading_of_one_document() -> None:
    doc = parse("\n\n".join(_heading(f) for f in FIXTURES) + "\n")
    assert [h.slug for h in doc.headings] == [f["expected"] for f in FIXTURES]
    assert {f["expected"] for f in FIXTURES} <= doc.anchors


def test_other_numbers_go_circled_letters_stay() -> None:
    assert slugify("x² ½ ① Ⓐ") == "x---ⓐ"
    assert slugify("H₂O 🔥 News") == "ho--news"


def test_a_heading_is_slugged_from_its_rendered_text() -> None:
    doc = parse(
        "## [LoRA](https://github.com/microsoft/LoRA) & `foo_bar`\n"
        "## ![badge](https://img.shields.io/x.svg) Title :smile:\n"
        "## Tom &amp; Jerry <a name='x'></a>\n"
        "## Title ##\n"
        "## Title\n"
    )
    assert [h.slug for h in doc.headings] == [
        "lora--foo_bar",
        "-title-smile",
        "tom--jerry-",
        "title",
        "title-1",
    ]


def test_top_is_always_an_anchor() -> None:
    assert "top" in parse("# Only heading\n").anchors


@settings(max_examples=300)
@given(st.text(alphabet=st.characters(max_codepoint=0x7F)))
def test_an_ascii_heading_is_slugged_as_by_the_whole_table(text: str) -> None:
    """ASCII text is slugged without the table's pattern: the same slug, every code point."""
    assert slugify(text) == _stripped().sub("", text.lower()).replace(" ", "-")


def test_every_ascii_code_point_is_dropped_or_kept_as_the_table_says() -> None:
    every = "".join(map(chr, range(0x80)))
    assert slugify(every) == _stripped().sub("", every.lower()).replace(" ", "-")
    assert slugify(every) == "--0123456789abcdefghijklmnopqrstuvwxyz_abcdefghijklmnopqrstuvwxyz"
