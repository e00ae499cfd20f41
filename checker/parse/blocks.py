"""The block walk: headings, lists and paragraphs, bold-title groups; tables and HTML handed on.

A list item or a paragraph with links is an entry. A paragraph holding only a bold title, followed
by a short list of labelled links (`- 论文：…`, `- 代码：…`), is one entry with them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from markdown_it.token import Token

from checker.model import Field, Heading, Link
from checker.parse.draft import Draft
from checker.parse.fields import described, venue_in_text
from checker.parse.inline import Inline
from checker.parse.tables import read_table
from checker.titles import clean_title


@dataclass
class _Item:
    """An open list item: its own inline runs, not its nested lists'."""

    line: int
    end_line: int
    inlines: list[Inline] = field(default_factory=list)


@dataclass
class _PendingTitle:
    """A paragraph holding only a bold title; a short list of links below it completes it."""

    title: Field
    line: int
    section: tuple[str, ...]


@dataclass
class _Group:
    """A bold title and the short label items below it (`- 论文：…`, `- 代码：还未公布`)."""

    pending: _PendingTitle
    last_line: int
    items: int = 0
    links: list[Link] = field(default_factory=list)
    venue: Field | None = None


def walk(draft: Draft, tokens: Iterator[Token]) -> None:
    """Read the block tokens once, first to last: each is let go as soon as it is read."""
    items: list[_Item] = []
    pending: _PendingTitle | None = None
    group: _Group | None = None
    list_depth = 0
    for tok in tokens:
        kind = tok.type
        if kind == "heading_open":
            _heading(draft, tok, next(tokens))
            next(tokens)  # heading_close
            pending = None
        elif kind == "table_open":
            read_table(draft, tokens)
            pending = None
        elif kind == "html_block" and tok.map:
            draft.html.feed_block(tok.content, tok.map[0] + 1, draft.section_path)
        elif kind in ("bullet_list_open", "ordered_list_open"):
            if list_depth == 0 and pending is not None and kind == "bullet_list_open":
                group = _Group(pending, pending.line)
            pending = None
            list_depth += 1
        elif kind in ("bullet_list_close", "ordered_list_close"):
            list_depth -= 1
            if list_depth == 0 and group is not None:
                _flush_group(draft, group)
                group = None
        elif kind == "list_item_open" and tok.map:
            items.append(_Item(line=tok.map[0] + 1, end_line=tok.map[1]))
        elif kind == "list_item_close" and items:
            item = items.pop()
            if group is None:
                _list_entry(draft, item)
            elif group.items or _short_label_item(item):
                # A list that opens with a label item (`- 论文：…`, `- 代码：还未公布`,
                # `- CVPR 2020 Oral`) is the title's: every item of it joins the entry.
                _extend_group(draft, group, item)
            else:  # a real list, not the title's labels: its items are entries
                _flush_group(draft, group)
                group = None
                _list_entry(draft, item)
        elif kind == "inline" and tok.map:
            inline = draft.inline.read(tok, tok.map[0] + 1)
            draft.links.extend(inline.links)
            if items:
                items[-1].inlines.append(inline)
            else:
                pending = _paragraph(draft, inline, tok.map[1])


def _heading(draft: Draft, open_tok: Token, inline_tok: Token) -> None:
    level = int(open_tok.tag[1])
    line = open_tok.map[0] + 1 if open_tok.map else 1
    inline = draft.inline.read(inline_tok, line)
    draft.links.extend(inline.links)
    text = inline.text
    raw_text = "".join(seg.text for seg in inline.segments)
    draft.open_section(level, text)
    draft.headings.append(
        Heading(text=text, level=level, line=line, slug=draft.slugger.slug(raw_text))
    )


# A label item holds a link or two (the corpus: never more than one); one with more is a list of
# links. Each link's text and URL is taken out of the whole item's text: with thousands of links
# that would read the text thousands of times.
_LABEL_LINKS = 8


def _short_label_item(item: _Item) -> bool:
    """`- 论文：https://…`, `- 代码：还未公布`, `- CVPR 2020 Oral`: a label, with or without
    a link, not a paper of its own."""
    links = [lk for inl in item.inlines for lk in inl.links]
    if len(links) > _LABEL_LINKS:
        return False
    text = " ".join(inl.text for inl in item.inlines)
    for lk in links:
        text = text.replace(lk.url, "").replace(lk.text, "")
    return len(text.strip()) <= 24


def _extend_group(draft: Draft, group: _Group, item: _Item) -> None:
    links = [lk for inl in item.inlines for lk in inl.links]
    group.items += 1
    group.links.extend(links)
    group.last_line = max(group.last_line, item.end_line)
    if group.venue is None and not links and _short_label_item(item):
        group.venue = next(
            (v for inl in item.inlines if (v := venue_in_text(draft, inl, None))), None
        )


def _flush_group(draft: Draft, group: _Group) -> None:
    title = group.pending
    draft.add_entry(
        title.line, group.last_line, group.links, title.title, group.venue, section=title.section
    )


def _paragraph(draft: Draft, inline: Inline, end: int) -> _PendingTitle | None:
    links = inline.links
    first = inline.segments[0]
    starts_bold = bool(first.strongs) and first.text.lstrip().startswith(first.strongs[0][:1])
    if links and starts_bold:
        title, venue, name = described(draft, inline)
        draft.add_entry(inline.line, end, links, title, venue, name=name)
        return None
    strong_only = first.strongs and first.text.strip() == first.strongs[0]
    if not links and strong_only and clean_title(first.strongs[0]):
        return _PendingTitle(
            draft.field_at(first.strongs[0], inline.line), inline.line, draft.section_path
        )
    return None


def _list_entry(draft: Draft, item: _Item) -> None:
    if not item.inlines:
        return
    merged = Inline(
        segments=[s for inl in item.inlines for s in inl.segments], line=item.inlines[0].line
    )
    links = merged.links  # the runs' links in order, as each run's own list holds them
    if not links:
        return
    title, venue, name = described(draft, merged)
    end = max(lk.line for lk in links)
    draft.add_entry(item.line, max(end, item.line), links, title, venue, name=name)
