"""A list read before is taken from the cache as parsed (checker/parsed.py): exactly the document
the parser gives, and only while the text, the path, the configured venues and paperlint's code
are those that made it."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from parse_helpers import corpus_document

from checker import engine, parsed
from checker.model import Document, Entry, Field, Heading, Link, LinkSyntax, ShapeProblem
from checker.parse import parse_text
from checker.sources import read_markdown
from checker.venues import VenueTable

DATA = Path(__file__).parent / "data"
LISTS = sorted([*DATA.glob("forms/*.md"), *DATA.glob("seed/*.md")])
CORPUS = sorted(p.name for p in DATA.glob("corpus/*.md") if p.name != "NOTES.md")
# what no list above writes, read by each kind of record the document holds
ODDITIES = """\
# Odd *list*

<a name="kept"></a>

| Title | Venue | Year | Paper |
|---|---|---|---|
| A Title | ICCV | 2021 | [arXiv](https://arxiv.org/abs/2103.00001v2) | extra |
| Split row
 more | NeurIPS 2020 | 2020 | [x](https://arxiv.org/pdf/2004.00002) |

- [[pdf]]() [code] (https://github.com/a/b) arXiv:2105.00003 [![b](https://img.shields.io/x)](https://github.com/c/d)
- (reversed)[https://example.org/page] <https://example.org/auto>
"""


def roundtrip(doc: Document) -> Document:
    data = json.loads(json.dumps(parsed.encode(doc)))
    return parsed.decode(data, doc.path, doc.text)


@pytest.mark.parametrize("name", [*(p.name for p in LISTS), *CORPUS])
def test_a_stored_document_is_the_document_the_parser_gives(name: str) -> None:
    if name in CORPUS:
        doc = corpus_document(name)  # parsed once per process for the precision tests too
    else:
        doc = parse_text(
            name, read_markdown(str(next(p for p in LISTS if p.name == name))), VenueTable()
        )
    again = roundtrip(doc)
    assert again == doc
    # the entries' links are the document's own, as the parser leaves them
    mine = {id(lk) for lk in again.links}
    assert all(id(lk) in mine for e in again.entries for lk in e.links if not lk.in_text)


def test_every_kind_of_record_and_field_comes_back() -> None:
    doc = parse_text("odd.md", ODDITIES, VenueTable())
    assert doc.shape_problems and doc.link_syntax and doc.headings
    assert any(e.venue and e.venue.parts for e in doc.entries), "a venue read from two cells"
    assert any(lk.in_text for lk in doc.links) and any(lk.image for lk in doc.links)
    assert roundtrip(doc) == doc


@pytest.mark.parametrize(
    ("record", "stored"),
    [
        (Link, parsed.LINK),
        (Field, parsed.FIELD),
        (Entry, parsed.ENTRY),
        (Heading, parsed.HEADING),
        (ShapeProblem, parsed.SHAPE),
        (LinkSyntax, parsed.SYNTAX),
        (Document, parsed.DOCUMENT),
    ],
)
def test_the_stored_form_knows_every_field_of_the_model(
    record: type[Any], stored: tuple[str, ...]
) -> None:
    """A field added to the model and forgotten here would be lost on every warm run."""
    assert tuple(f.name for f in dataclasses.fields(record)) == stored


def test_a_warm_run_does_not_parse_what_it_read_before(
    paperlint: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parses: list[str] = []
    real = engine.parse_text

    def counted(path: str, text: str, table: VenueTable) -> Document:
        parses.append(path)
        return real(path, text, table)

    monkeypatch.setattr(engine, "parse_text", counted)
    listing = tmp_path / "list.md"
    listing.write_text(ODDITIES, encoding="utf-8")
    cache = str(tmp_path / "cache.sqlite3")
    run = lambda *more: paperlint(str(listing), "--cache", cache, "--offline", *more)  # noqa: E731

    first = run()  # --offline reads the cache but writes nothing
    assert len(parses) == 1
    online = paperlint(str(listing), "--cache", cache, "--select", "table-shape,link-syntax")
    assert len(parses) == 2 and online.code == first.code == 1
    warm = run()
    assert len(parses) == 2, "read from the cache"
    assert warm.out == first.out.replace(_duration(first), _duration(warm))

    listing.write_text(ODDITIES + "\n- [c](https://example.org/c)\n", encoding="utf-8")
    run()
    assert len(parses) == 3, "a changed text is parsed again"
    (tmp_path / ".paperlint.toml").write_text('[venues]\nFoo = ["FooConf"]\n', encoding="utf-8")
    paperlint(str(listing), "--cache", cache, "--offline", cwd=tmp_path)
    assert len(parses) == 4, "another venue table may read the text otherwise"


def _duration(run: Any) -> str:
    return json.dumps(run.report["summary"]["duration_s"])


def test_a_damaged_stored_document_is_parsed_again(paperlint: Any, tmp_path: Path) -> None:
    listing = tmp_path / "list.md"
    listing.write_text(ODDITIES, encoding="utf-8")
    cache = tmp_path / "cache.sqlite3"
    fresh = paperlint(str(listing), "--cache", str(cache), "--select", "table-shape")
    expected = {(f["rule"], f["line"]) for f in fresh.findings}
    assert expected
    for damage in (
        lambda d: d["document"]["entries"][0].__setitem__(0, "7"),  # a line that is text
        lambda d: d["document"]["links"][0].__setitem__(4, "telnet"),  # no such kind
        lambda d: d["document"]["entries"][0][3].__setitem__(0, -1),  # no such link
        lambda d: d["document"]["entries"][0][3].__setitem__(0, True),  # not a place
        lambda d: d["document"].pop("headings"),
        lambda d: d.__setitem__("document", [1, 2]),
    ):
        db = sqlite3.connect(cache)
        ((value,),) = db.execute("SELECT value FROM answers_v1 WHERE kind = 'document'")
        stored = json.loads(value)
        damage(stored)
        with db:
            db.execute(
                "UPDATE answers_v1 SET value = ? WHERE kind = 'document'", (json.dumps(stored),)
            )
        db.close()
        run = paperlint(str(listing), "--cache", str(cache), "--select", "table-shape")
        assert "Traceback" not in run.err
        assert {(f["rule"], f["line"]) for f in run.findings} == expected


def test_another_version_of_paperlint_parses_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from checker.cache import Cache

    doc = parse_text("list.md", ODDITIES, VenueTable())
    cache = Cache(tmp_path / "cache.sqlite3")
    key = parsed.place(str(tmp_path / "list.md"))
    made_by = parsed.fingerprint("list.md", ODDITIES, [])
    parsed.store(cache, key, made_by, doc)
    assert parsed.load(cache, key, made_by, "list.md", ODDITIES) == doc

    parsed._code.cache_clear()
    monkeypatch.setattr(parsed, "FORMAT", parsed.FORMAT + 1)  # as any edit to checker/ would
    now = parsed.fingerprint("list.md", ODDITIES, [])
    parsed._code.cache_clear()
    assert now != made_by and parsed.load(cache, key, now, "list.md", ODDITIES) is None
    assert parsed.fingerprint("other.md", ODDITIES, []) != made_by
    cache.close()


def test_a_document_too_large_to_keep_is_parsed_each_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from checker.cache import Cache

    doc = parse_text("list.md", ODDITIES, VenueTable())
    cache = Cache(tmp_path / "cache.sqlite3")
    made_by = parsed.fingerprint("list.md", ODDITIES, [])
    records = len(doc.links) + len(doc.entries) + len(doc.headings)
    monkeypatch.setattr(parsed, "LARGEST", records - 1)
    parsed.store(cache, "k", made_by, doc)
    assert parsed.load(cache, "k", made_by, "list.md", ODDITIES) is None
    monkeypatch.setattr(parsed, "LARGEST", records)
    parsed.store(cache, "k", made_by, doc)
    assert parsed.load(cache, "k", made_by, "list.md", ODDITIES) == doc
    cache.close()
