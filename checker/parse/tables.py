"""GFM tables: rows → entries, the header tells which column holds what; row shapes are checked.

Table rows are also read raw, because markdown-it pads short rows and drops extra cells as GitHub
does: `table-shape` must see the cells GitHub drops, and the rows wrapped onto two lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from markdown_it.token import Token

from checker.model import Field, ShapeProblem
from checker.parse.draft import Draft
from checker.parse.inline import Inline, Segment
from checker.titles import clean_title, is_generic_text

# Which column holds what, from the header (read without markup, lower-cased). A paper title
# comes from a title column, else a paper column; a name column holds a model's, method's or
# benchmark's name (`BLOOMZ`, `HumanEval`), which is not the paper's title. In the corpus:
# BradyFU `Name | Paper`, Hannibal046 `keywords | Paper` (RWKV, DPO), codefuse-ai `Benchmark`
# and `Keyword`, model and method tables elsewhere.
TITLE_HEADERS = ("title", "paper title", "title & authors", "title and authors")
PAPER_HEADERS = ("paper", "papers", "paper name")
NAME_HEADERS = (
    "name",
    "model",
    "models",
    "model name",
    "method",
    "methods",
    "method name",
    "attack",
    "attacks",
    "benchmark",
    "benchmarks",
    "dataset",
    "datasets",
    "keyword",
    "keywords",
)
VENUE_HEADERS = (
    "pub",
    "pub.",
    "venue",
    "venues",
    "conference",
    "conf",
    "conf.",
    "publication",
    "published",
    "published in",
    "journal",
    "where",
)


def raw_cells(line: str) -> list[str]:
    """A table line's cells as GFM splits them, untrimmed (see `row_cells`)."""
    return [text for _, text in row_cells(line)]


def row_cells(line: str) -> list[tuple[int, str]]:
    """A table line's cells as cmark-gfm splits them: (0-based offset in the line, raw text).

    Cells end at every `|` not written `\\|`, even inside a code span: GitHub splits the row
    before it reads inline code. A leading `|` opens the row and a trailing `|` closes it
    without starting a cell.
    """
    cells: list[tuple[int, str]] = []
    start = len(line) - len(line.lstrip())
    if line.startswith("|", start):
        start += 1
    at = start
    while True:
        bar = line.find("|", at)
        while bar > 0 and line[bar - 1] == "\\":
            bar = line.find("|", bar + 1)
        if bar < 0:
            if line[start:].strip() or not cells:
                cells.append((start, line[start:]))
            return cells
        cells.append((start, line[start:bar]))
        start = at = bar + 1


# What authors write in a cell past the header's width because GitHub drops it unseen: a
# Markdown comment (`[//]: # note`, `[comment]: <> (note)`) or an HTML comment. Matched on the
# stripped cell: spaces on either side of an optional group, tried at every split of a long run
# of them, made this quadratic.
_INVISIBLE = re.compile(r"\[[^\]]*+\]:\s*+(?:#|<>).*|<!--.*?-->")


def dropped_text(cells: list[str]) -> list[str]:
    """The cells past the header's width that hold something a reader would miss."""
    stripped = (c.strip() for c in cells)
    return [c for c in stripped if c and not _INVISIBLE.fullmatch(c)]


def _header_key(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[*_`:]", "", text)).strip().lower()


@dataclass
class Columns:
    title: int | None
    venue: int | None
    name: int | None = None

    @classmethod
    def from_header(cls, names: list[str]) -> Columns:
        keys = [_header_key(n) for n in names]

        def first(options: tuple[str, ...]) -> int | None:
            return next((i for i, k in enumerate(keys) if k in options), None)

        title = first(TITLE_HEADERS)
        if title is None:
            title = first(PAPER_HEADERS)
        return cls(title=title, venue=first(VENUE_HEADERS), name=first(NAME_HEADERS))


def read_table(draft: Draft, tokens: Iterator[Token]) -> None:
    """Read a table whose table_open was just read, through its table_close."""
    rows: list[tuple[int, list[Inline]]] = []
    row: list[Inline] | None = None
    row_line = 0
    for tok in tokens:
        if tok.type == "table_close":
            break
        if tok.type == "tr_open" and tok.map:
            row, row_line = [], tok.map[0] + 1
        elif tok.type == "inline" and row is not None:
            inline = draft.inline.read(tok, row_line)
            draft.links.extend(inline.links)
            row.append(inline)
        elif tok.type == "tr_close" and row is not None:
            rows.append((row_line, row))
            row = None
    if rows:
        _read_rows(draft, rows)


# Where one piece of a cell's text stands: (line, 0-based offset in the line, raw text). A cell
# of a row wrapped onto two lines has a piece on each.
Piece = tuple[int, int, str]


@dataclass(slots=True)
class _Cell:
    inline: Inline
    pieces: tuple[Piece, ...]


def _cells(line: int, raw: list[tuple[int, str]], inlines: list[Inline]) -> list[_Cell]:
    pieces: list[tuple[Piece, ...]] = [((line, offset, text),) for offset, text in raw]
    pieces = pieces[: len(inlines)] + [()] * (len(inlines) - len(pieces))  # as GitHub: cut, pad
    return [_Cell(inline, piece) for inline, piece in zip(inlines, pieces, strict=True)]


def _read_rows(draft: Draft, rows: list[tuple[int, list[Inline]]]) -> None:
    header_line, header = rows[0]
    columns = Columns.from_header([c.text for c in header])
    lines = draft.lines
    width = len(raw_cells(lines[header_line - 1]))
    body = rows[1:]
    k = 0
    while k < len(body):
        line, inlines = body[k]
        raw = row_cells(lines[line - 1])
        count = len(raw)
        if count < width and k + 1 < len(body):
            next_line, next_inlines = body[k + 1]
            next_raw = row_cells(lines[next_line - 1])
            next_count = len(next_raw)
            broken = not lines[line - 1].rstrip().endswith("|") and not lines[
                next_line - 1
            ].lstrip().startswith("|")
            if broken and count + next_count - 1 == width and next_line == line + 1:
                _split_row(draft, line, width, count)
                upper = _cells(line, raw, inlines)[:count]
                lower = _cells(next_line, next_raw, next_inlines)[:next_count]
                seam = _Cell(
                    _join_cells(upper[-1].inline, lower[0].inline),
                    upper[-1].pieces + lower[0].pieces,
                )
                _table_entry(draft, line, next_line, [*upper[:-1], seam, *lower[1:]], columns)
                k += 2
                continue
        # GitHub pads a short row, so it renders like a full one; it drops the cells past the
        # header's width, which matters only when they hold something a reader would miss.
        if count > width:
            _extra_cells(draft, line, width, raw)
        _table_entry(draft, line, line, _cells(line, raw, inlines), columns)
        k += 1


def _extra_cells(draft: Draft, line: int, width: int, raw: list[tuple[int, str]]) -> None:
    """A row longer than its header: a problem only when GitHub drops text a reader would miss."""
    extra = raw[width:]
    dropped = dropped_text([text for _, text in extra])
    if dropped:
        draft.shape.append(
            ShapeProblem(
                line=line,
                expected=width,
                found=len(raw),
                column=extra[0][0] + 1,
                dropped=tuple(dropped),
            )
        )


def _split_row(draft: Draft, line: int, width: int, count: int) -> None:
    first, second = draft.lines[line - 1], draft.lines[line]
    joined = first.rstrip() + " " + second.strip()
    if not joined.lstrip().startswith("|"):
        joined = "| " + joined.lstrip()
    draft.shape.append(
        ShapeProblem(
            line=line,
            expected=width,
            found=count,
            end_line=line + 1,
            old=first + "\n" + second,
            joined=joined,
        )
    )


def _table_entry(draft: Draft, line: int, end: int, cells: list[_Cell], columns: Columns) -> None:
    links = [lk for c in cells for lk in c.inline.links]
    title: Field | None = None
    if columns.title is not None and columns.title < len(cells):
        title = _title_from_cell(cells[columns.title])
    if title is None:
        title = next(
            (
                draft.field_at(clean_title(lk.text), lk.line, fallback=lk.column)
                for lk in links
                if lk.text and len(lk.text.split()) >= 3 and not is_generic_text(lk.text)
            ),
            None,
        )
    venue = name = None
    if columns.venue is not None and columns.venue < len(cells):
        venue = _text_of_cell(cells[columns.venue])
    if columns.name is not None and columns.name < len(cells):
        name = _text_of_cell(cells[columns.name])
    draft.add_entry(
        line,
        end,
        links,
        title,
        venue,
        has_venue_slot=columns.venue is not None,
        name=name,
        is_row=True,
    )


def _place(text: str, cell: _Cell) -> tuple[int, int] | None:
    """(line, 1-based column) of `text` within the cell as written, if it stands there."""
    for line, offset, raw in cell.pieces:
        at = raw.find(text) if text else -1
        if at >= 0:
            return line, offset + at + 1
    return None


def _text_of_cell(cell: _Cell) -> Field | None:
    """A venue's or name's text as rendered, where it stands verbatim; else the cell's text as
    written, so that a fix can always find it at its place."""
    text = cell.inline.text.strip()
    if not text:
        return None
    placed = _place(text, cell)
    if placed:
        return Field(text, *placed)
    for line, offset, raw in cell.pieces:
        written = raw.strip()
        if written:
            return Field(written, line, offset + raw.index(written) + 1)
    return None


def _title_from_cell(cell: _Cell) -> Field | None:
    candidates: list[str] = []
    segments = cell.inline.segments
    for seg in segments:
        candidates.extend(seg.strongs)
    for seg in segments:
        candidates.extend(lk.text for lk in seg.links if len(lk.text.split()) >= 2)
    for seg in segments:
        if seg.text.strip() and not seg.links and not seg.strongs:
            candidates.append(seg.text)
            break
    for cand in candidates:
        cleaned = clean_title(cand)
        if cleaned and not is_generic_text(cleaned) and len(cleaned.split()) <= 40:
            placed = _place(cleaned[:20], cell) or _place(cleaned.split()[0], cell)
            if placed is None and cell.pieces:
                line, offset, raw = cell.pieces[0]
                placed = (line, offset + len(raw) - len(raw.lstrip()) + 1)
            return Field(cleaned, *(placed or (cell.inline.line, 1)))
    return None


def _join_cells(upper: Inline, lower: Inline) -> Inline:
    """The cell a split row broke in two, read as one: its text runs on across the break."""
    if not upper.segments or not lower.segments:
        return Inline(upper.segments + lower.segments, upper.line)
    last, first = upper.segments[-1], lower.segments[0]
    seam = Segment(
        text=f"{last.text.rstrip()} {first.text.lstrip()}",
        strongs=last.strongs + first.strongs,
        links=last.links + first.links,
        line=last.line,
        end_line=first.end_line or first.line,
    )
    return Inline([*upper.segments[:-1], seam, *lower.segments[1:]], upper.line)
