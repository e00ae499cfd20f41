"""The block walk: headings, lists and paragraphs, bold-title groups; tables and HTML handed on.

A list item or a paragraph with links is an entry. A paragraph holding only a bold title, followed
by a short list of labelled links (`- 论文：…`, `- 代码：…`), is one entry with them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from markdown_it.token import Token

from checker.model import Field, Heading, Link
from checker.parse.draft import Draft
from checker.parse.fields import described, lead_title, links_only, locate, venue_in_text
from checker.parse.inline import Inline, Segment
from checker.parse.tables import read_table
from checker.titles import clean_title, is_generic_text, pick_quoted_title


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
class _LoneTitle:
    """A paragraph holding only a numbered title (`[4] Title<br>`); a paragraph of links below
    it (`[paper](…) | [code](…)`) completes it."""

    title: Field
    line: int


@dataclass
class _HeadingEntry:
    """A heading that is one link (`### [Title](…)`): a paper, when notes follow it."""

    title: Field
    venue: Field | None
    line: int
    end_line: int
    links: list[Link]
    section: tuple[str, ...]
    notes: int = 0


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
    pending: _PendingTitle | _LoneTitle | None = None
    group: _Group | None = None
    titled: _HeadingEntry | None = None  # a heading that may be an entry, and its notes
    list_depth = 0
    for tok in tokens:
        kind = tok.type
        if kind == "heading_open":
            _close_heading(draft, titled)
            titled = _heading(draft, tok, next(tokens))
            next(tokens)  # heading_close
            pending = None
        elif kind == "table_open":
            _close_heading(draft, titled)
            titled = None
            read_table(draft, tokens)
            pending = None
        elif kind == "html_block" and tok.map:
            draft.html.feed_block(tok.content, tok.map[0] + 1, draft.section_path)
        elif kind in ("bullet_list_open", "ordered_list_open"):
            _close_heading(draft, titled)
            titled = None
            if (
                list_depth == 0
                and isinstance(pending, _PendingTitle)
                and kind == "bullet_list_open"
            ):
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
            elif titled is not None and not _is_entry(draft, inline):
                titled.notes += 1  # a note on the heading's paper: its links are the paper's
                titled.links.extend(inline.links)
                titled.end_line = max(titled.end_line, tok.map[1])
            else:
                _close_heading(draft, titled)
                titled = None
                pending = _paragraph(draft, inline, tok.map[1], pending)
    _close_heading(draft, titled)


def _heading(draft: Draft, open_tok: Token, inline_tok: Token) -> _HeadingEntry | None:
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
    return _heading_entry(draft, inline, line)


# A letter: what a heading that is one link may not hold beside it (numbering, punctuation and
# emoji it may)
_LETTER = re.compile(r"[^\W\d_]")


def _heading_entry(draft: Draft, inline: Inline, line: int) -> _HeadingEntry | None:
    """`### [Title](…)` (or `### 3. [Title](…) (CVPR 2020)`): the paper the notes below are
    about, when the heading is one link and a venue at most."""
    links = [lk for lk in inline.links if lk.is_http]
    if len(links) != 1 or not links[0].text:
        return None
    rest = inline.text.replace(links[0].text, " ", 1)
    venue = draft.venues.spot(rest)
    if venue is not None:
        rest = rest.replace(venue.written, " ", 1)
    if _LETTER.search(rest):
        return None
    title = clean_title(links[0].text)
    if not title or is_generic_text(title):
        return None
    field = draft.field_at(title, links[0].line, fallback=links[0].column)
    return _HeadingEntry(
        field, venue_in_text(draft, inline, field), line, line, list(links), draft.section_path
    )


def _close_heading(draft: Draft, titled: _HeadingEntry | None) -> None:
    """A heading followed by notes is an entry; one followed by entries of their own is a
    section's name."""
    if titled is not None and titled.notes:
        draft.add_entry(
            titled.line,
            titled.end_line,
            titled.links,
            titled.title,
            titled.venue,
            section=titled.section,
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


def _starts_bold(inline: Inline) -> bool:
    first = inline.segments[0]
    return bool(first.strongs) and first.text.lstrip().startswith(first.strongs[0][:1])


def _described(inline: Inline) -> bool:
    """A paragraph that reads as one paper: a bold title first, or a title in quotes after
    its authors and before its links (`A. Author et al. "Title." Venue (2023). [pdf](…)`),
    not a quote in a sentence (`…refers to our survey [**"Title"**](…)`)."""
    if _starts_bold(inline):
        return True
    first = inline.segments[0]
    lead = first.text[: first.lead] if first.lead >= 0 else first.text
    quote = min((at for at in (lead.find('"'), lead.find("“")) if at >= 0), default=-1)
    if quote < 0 or pick_quoted_title(lead[quote:]) is None:
        return False
    before = lead[:quote].rstrip()
    return not before or before[-1] in ".,:;"


def _is_entry(draft: Draft, inline: Inline) -> bool:
    """Whether a paragraph is an entry of its own (see `_paragraph`)."""
    if not inline.links:
        return False
    return _described(inline) or any(lead_title(draft, group) for group in _line_groups(inline))


def _paragraph(
    draft: Draft, inline: Inline, end: int, before: _PendingTitle | _LoneTitle | None
) -> _PendingTitle | _LoneTitle | None:
    """A paragraph with links is an entry when it starts with a bold title, and each of its
    line groups (`Title<br>` then a line of links) is one; one holding only a title waits
    for what follows it."""
    links = inline.links
    first = inline.segments[0]
    if links and _described(inline):
        title, venue, name = described(draft, inline)
        draft.add_entry(inline.line, end, links, title, venue, name=name)
        return None
    if links and isinstance(before, _LoneTitle) and links_only(_pieces(inline)):
        venue = venue_in_text(draft, inline, None)
        draft.add_entry(before.line, end, links, before.title, venue)
        return None
    if links:
        for group in _line_groups(inline):
            _line_entry(draft, group, end)
        return None
    strong_only = first.strongs and first.text.strip() == first.strongs[0]
    if strong_only and clean_title(first.strongs[0]):
        return _PendingTitle(
            draft.field_at(first.strongs[0], inline.line), inline.line, draft.section_path
        )
    return _lone_title(draft, inline)


def _pieces(inline: Inline) -> list[tuple[str, list[Link]]]:
    return [(seg.text, seg.links) for seg in inline.segments]


def _line_groups(inline: Inline) -> list[Inline]:
    """A paragraph of `[N] Title<br>[paper](…) | [code](…)<br>` papers, one group each: a
    group starts at a line of text without links that follows a line with links."""
    groups: list[list[Segment]] = []
    for seg in inline.segments:
        titled = bool(seg.text.strip()) and not seg.links
        if not groups or (titled and any(s.links for s in groups[-1])):
            groups.append([seg])
        else:
            groups[-1].append(seg)
    return [Inline(group, group[0].line) for group in groups]


def _line_entry(draft: Draft, group: Inline, end: int) -> None:
    """A group whose first line is a title and the rest its links (see `lead_title`)."""
    lead = lead_title(draft, group) if group.links else None
    if lead is None:
        return
    title = locate(draft, lead, group)
    # a group that starts after a `<br>` starts on the line its title is written on
    first = min(title.line, group.links[0].line)
    last = max(max(seg.end_line or seg.line for seg in group.segments), first)
    draft.add_entry(first, min(last, end), group.links, title, venue_in_text(draft, group, title))


# `[4] Multimodal Object Detection via Probabilistic Ensembling (…) (**Oral**)<br>`
_NUMBERED = re.compile(r"\s*+\[\d{1,4}\]")


def _lone_title(draft: Draft, inline: Inline) -> _LoneTitle | None:
    text = inline.text
    if not _NUMBERED.match(text):
        return None
    title = clean_title(text)
    if len(title.split()) < 2 or is_generic_text(title):
        return None
    return _LoneTitle(locate(draft, title, inline), inline.line)


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
