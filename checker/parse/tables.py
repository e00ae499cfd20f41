"""GFM tables: rows → entries, the header tells which column holds what; row shapes are checked.

Table rows are also read raw, because markdown-it pads short rows and drops extra cells as GitHub
does: `table-shape` must see the cells GitHub drops, and the rows wrapped onto two lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from markdown_it.token import Token

from checker.model import Field, LinkKind, ShapeProblem
from checker.parse.cells import YEAR, Cell, Columns, Piece, is_venue, row_fields
from checker.parse.draft import Draft
from checker.parse.inline import Inline, Segment
from checker.titles import clean_title, is_generic_text


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


def _cells(line: int, raw: list[tuple[int, str]], inlines: list[Inline]) -> list[Cell]:
    pieces: list[tuple[Piece, ...]] = [((line, offset, text),) for offset, text in raw]
    pieces = pieces[: len(inlines)] + [()] * (len(inlines) - len(pieces))  # as GitHub: cut, pad
    return [Cell(inline, piece) for inline, piece in zip(inlines, pieces, strict=True)]


def _read_rows(draft: Draft, rows: list[tuple[int, list[Inline]]]) -> None:
    header_line, header = rows[0]
    columns = Columns.from_header([c.text for c in header])
    lines = draft.lines
    width = len(raw_cells(lines[header_line - 1]))
    body = rows[1:]
    raws = [row_cells(lines[line - 1]) for line, _ in body]
    pipe_split = _pipe_split_rows(lines, header_line, body, raws, width)
    single: list[tuple[int, list[Cell], int]] = []  # rows on one line: (line, cells, count)
    k = 0
    while k < len(body):
        line, inlines = body[k]
        raw = raws[k]
        count = len(raw)
        if count < width and k + 1 < len(body):
            next_line, next_inlines = body[k + 1]
            next_raw = raws[k + 1]
            next_count = len(next_raw)
            broken = not _closed(lines[line - 1]) and not _opened(lines[next_line - 1])
            if broken and count + next_count - 1 == width and next_line == line + 1:
                _split_row(draft, line, width, count)
                upper = _cells(line, raw, inlines)[:count]
                lower = _cells(next_line, next_raw, next_inlines)[:next_count]
                seam = Cell(
                    _join_cells(upper[-1].inline, lower[0].inline),
                    upper[-1].pieces + lower[0].pieces,
                )
                _table_entry(draft, line, next_line, [*upper[:-1], seam, *lower[1:]], columns)
                k += 2
                continue
            if k in pipe_split:
                # `| Title` then `| | [ID](…) | |`: the second line's pipe starts a cell
                _split_row(draft, line, width, count)
                upper = _cells(line, raw, inlines)[:count]
                lower = _cells(next_line, next_raw, next_inlines)[:next_count]
                _table_entry(draft, line, next_line, [*upper, *lower], columns)
                k += 2
                continue
        # GitHub pads a short row, so it renders like a full one; it drops the cells past the
        # header's width, which matters only when they hold something a reader would miss.
        if count > width:
            _extra_cells(draft, line, width, raw)
        cells = _cells(line, raw, inlines)
        _table_entry(draft, line, line, cells, columns)
        single.append((line, cells, count))
        k += 1
    _shifted_rows(draft, [c.text for c in header], width, single)


def _closed(line: str) -> bool:
    return line.rstrip().endswith("|")


def _opened(line: str) -> bool:
    return line.lstrip().startswith("|")


def _pipe_split_rows(
    lines: list[str],
    header_line: int,
    body: list[tuple[int, list[Inline]]],
    raws: list[list[tuple[int, str]]],
    width: int,
) -> set[int]:
    """The rows (indices in `body`) split before a pipe: a short row without a closing pipe,
    then on the next line a row that starts with one, the two of exactly the header's width
    together. Read so only in a table whose every other row, and the header, ends with a pipe:
    there a missing one is a slip, and the next line's cells are this row's."""
    found: set[int] = set()
    for k in range(len(body) - 1):
        line, next_line = body[k][0], body[k + 1][0]
        if (
            next_line == line + 1
            and not _closed(lines[line - 1])
            and _opened(lines[next_line - 1])
            and len(raws[k]) + len(raws[k + 1]) == width
        ):
            found.add(k)
    if not found or not _closed(lines[header_line - 1]):
        return set()
    unclosed = [k for k, (line, _) in enumerate(body) if not _closed(lines[line - 1])]
    return found if all(k in found for k in unclosed) else set()


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


def _table_entry(draft: Draft, line: int, end: int, cells: list[Cell], columns: Columns) -> None:
    links = [lk for c in cells for lk in c.inline.links]
    fields = row_fields(list(cells), columns, draft.venues)
    title = fields.title
    if title is None:
        title = next(
            (
                draft.field_at(clean_title(lk.text), lk.line, fallback=lk.column)
                for lk in links
                if lk.text and len(lk.text.split()) >= 3 and not is_generic_text(lk.text)
            ),
            None,
        )
    draft.add_entry(
        line,
        end,
        links,
        title,
        fields.venue,
        has_venue_slot=fields.has_venue_slot,
        name=fields.name,
        is_row=True,
        venue_slot=_empty_venue_cell(cells, columns) if fields.venue is None else None,
    )


def _empty_venue_cell(cells: list[Cell], columns: Columns) -> Field | None:
    """The venue cell as written between its pipes, where it is blank, for a fix to fill it. Not
    beside a Year column: there the year has a cell of its own."""
    if columns.venue is None or columns.venue >= len(cells) or columns.year is not None:
        return None
    pieces = cells[columns.venue].pieces
    if len(pieces) != 1 or pieces[0][2].strip():
        return None
    line, offset, raw = pieces[0]
    return Field(raw, line, offset + 1)


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


# ---------------------------------------------------------------------------------------------
# Shifted cells: a pipe missing or doubled moves every cell after it one column over. Told only
# where the table leaves no doubt: its columns hold one kind of value each (a year, a venue, a
# GitHub link, an arXiv link), and the row's cells, one too few or one too many, each hold the
# kind of the column beside their own.

_KIND_SHARE = 0.9  # a column holds one kind when this share of its rows hold it
_KIND_ROWS = 10  # a share of fewer rows says little
_KIND_NAMES = {
    "year": "a year",
    "venue": "a venue",
    "github": "a GitHub link",
    "arxiv": "an arXiv link",
}
def _kinds(draft: Draft, cell: Cell) -> frozenset[str]:
    text = cell.inline.text.strip()
    kinds = set()
    if YEAR.fullmatch(text):
        kinds.add("year")
    elif text and is_venue(draft.venues, text):
        kinds.add("venue")
    for lk in cell.inline.links:
        if lk.kind is LinkKind.GITHUB:
            kinds.add("github")
        elif lk.kind is LinkKind.ARXIV:
            kinds.add("arxiv")
    return frozenset(kinds)


def _shifted_rows(
    draft: Draft, names: list[str], width: int, rows: list[tuple[int, list[Cell], int]]
) -> None:
    if len(rows) < _KIND_ROWS or not any(abs(count - width) == 1 for _, _, count in rows):
        return  # only a row one cell off the header's width can stand shifted
    kinds = [[_kinds(draft, c) for c in cells[:count]] for _, cells, count in rows]
    typed: dict[int, str] = {}  # column → the one kind it holds
    for column in range(width):
        counts: dict[str, int] = {}
        for row in kinds:
            for kind in row[column] if column < len(row) else ():
                counts[kind] = counts.get(kind, 0) + 1
        held = [k for k, n in counts.items() if n >= _KIND_SHARE * len(rows)]
        if len(held) == 1:
            typed[column] = held[0]
    if len(typed) < 2:
        return
    told = {p.line for p in draft.shape}  # rows with a shape problem already: told once
    for (line, _, count), row in zip(rows, kinds, strict=True):
        shift = {width - 1: 1, width + 1: -1}.get(count)
        if shift is None or line in told:
            continue
        found = _shift_of(row, typed, shift)
        if found:
            shifted = tuple((_KIND_NAMES[typed[j]], names[j - shift]) for j in found)
            draft.shape.append(
                ShapeProblem(line=line, expected=width, found=count, shift=shift, shifted=shifted)
            )


def _shift_of(row: list[frozenset[str]], typed: dict[int, str], shift: int) -> list[int]:
    """The typed columns (two or more) whose kind stands in the cell beside theirs, every typed
    column after the first of them too, and none of them in its own: else []. A missing pipe
    merges two cells, so the first column of the shift may hold nothing of its own kind."""

    def holds(cell: int, kind: str) -> bool:
        return 0 <= cell < len(row) and kind in row[cell]

    columns = sorted(typed)
    first = next((j for j in columns if not holds(j, typed[j])), None)
    if first is None:
        return []
    after = [j for j in columns if j >= first]
    if shift == 1 and not holds(first - 1, typed[first]):
        after = after[1:]  # merged into the cell before: the value is there, with another
    if len(after) < 2:
        return []
    for j in after:
        beside = j - shift
        if holds(j, typed[j]) or not holds(beside, typed[j]):
            return []
        if typed.get(beside) == typed[j]:
            return []  # two columns of one kind side by side: a shift could not be told
    return after
