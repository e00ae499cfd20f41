"""A paper's title and venue inside free text (list items, paragraphs), placed where they stand."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable

from checker.model import Field, Link
from checker.parse.cells import bracketed, is_venue
from checker.parse.draft import Draft
from checker.parse.inline import Inline, Segment
from checker.titles import clean_title, is_generic_text, pick_quoted_title


def described(draft: Draft, inline: Inline) -> tuple[Field | None, Field | None, Field | None]:
    """(title, venue, name) of a paper written in free text. One reading for a paragraph and a
    list item alike: the venue and the name are looked for around the title."""
    title = title_in_text(draft, inline)
    return title, venue_in_text(draft, inline, title), name_in_text(draft, inline, title)


def title_in_text(draft: Draft, inline: Inline) -> Field | None:
    """A quoted title, else the first bold span, else a link text of two words or more, else
    plain text where a layout marks it as the title (see `lead_title`). A tag is never a title:
    a bold `**[CVPR' 20]**` is the venue, `**[YOLOv4]**` or `(**GC**)` a name."""
    text = inline.text
    quoted = pick_quoted_title(text)
    if quoted:
        return locate(draft, quoted, inline)
    strongs = ((strong, seg.text) for seg in inline.segments for strong in seg.strongs)
    for strong, seg_text in itertools.islice(strongs, _STRONGS):
        if _is_tag(strong, seg_text):
            continue
        cleaned = clean_title(strong)
        if cleaned and not is_generic_text(cleaned) and not is_venue(draft.venues, cleaned):
            return locate(draft, cleaned, inline)
    for lk in inline.links:
        if _BRACKETED.fullmatch(lk.text.strip()):
            continue  # `[[official code - keras]](…)`: a label
        if lk.text and not is_generic_text(lk.text) and len(lk.text.split()) >= 2:
            cleaned = clean_title(lk.text)
            if cleaned and not is_venue(draft.venues, cleaned):
                return draft.field_at(cleaned, lk.line, fallback=lk.column)
    lead = lead_title(draft, inline)
    return None if lead is None else locate(draft, lead, inline)


# A title is among an entry's first bold spans; past these, the others are not looked at (each
# is looked for in the entry's text, to tell a tag in parentheses)
_STRONGS = 16


def _is_tag(strong: str, text: str) -> bool:
    """`**[CVPR' 20]**`, `**[YOLOv4]**`, `(**GC**)`: a bold tag in brackets or parentheses."""
    return bracketed(strong) or f"({strong.strip()})" in text


# What may stand between the links of a line of links: `[paper](…) | [code](…)`, `·`, `,`
_BETWEEN_LINKS = frozenset(" \t|·•,;/()[]-–—:")
# A short label beside a line's links (`解读：[…](…)`, `Code:`) is no text of the entry's own
_LABEL = 12
# `(GC) Fast Video Object Segmentation…`: a name in parentheses before the title
_NAME_IN_PARENS = re.compile(r"^\s*+\([^()\s]{1,30}\)\s++")
# `Title | Authors | **[CVPR' 20]** |`: the fields looked at for a venue or a tag (a real line
# has a few)
_FIELDS = 8
# `[ICCV' 21] Title`: a tag before the title
_LEADING_TAG = re.compile(r"\s*+\[([^\[\]]{1,40})\]\s++")
# `[arXiv' 20]`: a tag in a field of its own
_BRACKETED = re.compile(r"\[[^\[\]]{1,40}\]")
# `WGAN - Wasserstein GAN`: a one-word name before the title, in the `2017-ICML - ` layout
_NAME_DASH = re.compile(r"^\S{1,30} [-–—] (?=\S)")


def lead_title(draft: Draft, inline: Inline) -> str | None:
    """Plain text at the start of an entry, read as its title only where the layout says so:
    a line (or `<br>` segment) of its own followed by nothing but links (`[N] Title<br>`
    `[paper](…) | [code](…)`, a title line over badge lines); the first of `|`-separated
    fields when another of them is a venue or a tag (`Title | **[CVPR' 20]** | [pdf](…)`);
    the text after a venue tag (`**[ICCV' 21]** Title [pdf](…)`) or a year-venue prefix
    (`2017-ICLR - Title. [[Paper]](…)`)."""
    segments = inline.segments
    first = segments[0]
    if first.lead >= 0:
        lead = first.text[: first.lead]
    elif any(seg.links for seg in segments[1:]):
        lead = first.text
    else:
        return None
    if not lead.strip():
        return None
    prefix = draft.venues.spot(lead, prefix=True)
    tag = _LEADING_TAG.match(lead)
    if tag is not None and is_venue(draft.venues, tag.group(1)):
        title = lead[tag.end() :]  # `**[ICCV' 21]** Title [pdf](…)`
    elif prefix is not None and prefix.start <= 4 and len(prefix.parts) == 2:
        title = lead[prefix.start + len(prefix.written) :].lstrip(" -–—:|")
        title = _NAME_DASH.sub("", title)
    elif "|" in lead:
        title, *fields = lead.split("|", _FIELDS)
        if not any(_BRACKETED.fullmatch(f.strip()) or draft.venues.spot(f) for f in fields):
            return None
    elif _own_line(inline, first) and _links_only(inline, first):
        title = lead
    else:
        return None
    cleaned = clean_title(_NAME_IN_PARENS.sub("", title))
    words = len(cleaned.split())
    if words < 2 or words > 40 or is_generic_text(cleaned) or is_venue(draft.venues, cleaned):
        return None
    return cleaned


def _own_line(inline: Inline, first: Segment) -> bool:
    """Whether the entry's first segment ends before its first link: at a `<br>`, or at the end
    of a line with the links on the lines below."""
    if first.lead < 0:
        return True
    if not first.links or first.links[0].line <= inline.line:
        return False
    return _letters(first.text[first.lead_break : first.lead]) == 0  # `Code: [x](…)` is a note


def _links_only(inline: Inline, first: Segment) -> bool:
    """Whether all that follows the entry's first line is links, with separators or a short
    label between them."""
    pieces = [(first.text[first.lead :], first.links)] if first.lead >= 0 else []
    pieces += [(seg.text, seg.links) for seg in inline.segments[1:]]
    return links_only(pieces)


def links_only(pieces: Iterable[tuple[str, list[Link]]]) -> bool:
    """Whether each text holds nothing but its links' texts, with separators or a short label
    between them. Counted, not cut out: the links' texts stand in the text, so what is left is
    what the text has past them (cutting each out would read the text once per link)."""
    for text, links in pieces:
        own = _letters(text) - sum(_letters(lk.text) for lk in links)
        if own > _LABEL:
            return False
    return True


def _letters(text: str) -> int:
    return sum(1 for ch in text if ch not in _BETWEEN_LINKS)


def locate(draft: Draft, text: str, inline: Inline) -> Field:
    """`text` placed on the first line of the run that holds its start (its first 20
    characters), else where `field_at` places it."""
    # `text` is never empty: "" would be found even on a line past the end.
    windows = ((seg.line, (seg.end_line or seg.line) + 1) for seg in inline.segments)
    found = _first_line(draft, text[:20], windows)
    if found is None:
        return draft.field_at(text, inline.line)
    return Field(text, *found)


def _first_line(
    draft: Draft, needle: str, windows: Iterable[tuple[int, int]]
) -> tuple[int, int] | None:
    """(line, 1-based column) of `needle` on the first line that holds it, lines read in the
    order the windows (ranges of lines, in order of their starts) give them, each line once: the
    segments of a run of many `<br>` share their lines, and would read them again each."""
    done = 0  # every line up to here has been read
    for first, stop in windows:
        for line in range(max(first, done + 1), stop):
            at = draft.line_text(line).find(needle)
            if at >= 0:
                return line, at + 1
        done = max(done, stop - 1)
    return None


def venue_in_text(draft: Draft, inline: Inline, title: Field | None) -> Field | None:
    """The first venue written after the title (a venue inside a title is part of the title),
    else one before it: a tag (`**[3DV' 25] Title**`) or a prefix (`2017-ICLR - Title`)."""
    text = inline.text
    head, tail = "", text
    if title:
        at = text.find(title.text)
        if at >= 0:
            head, tail = text[:at], text[at + len(title.text) :]
    found = draft.venues.spot(tail, prefix=not head)
    if found is None and head:
        found = draft.venues.spot(head, prefix=True)
    if found is None:
        return None
    placed = _first_line(
        draft, found.written, ((seg.line, seg.line + 8) for seg in inline.segments)
    )
    if placed is None:
        return None
    line, column = placed
    if len(found.parts) == 1:
        return Field(found.text, line, column)
    parts = tuple(Field(found.written[at : at + n], line, column + at) for at, n in found.parts)
    return Field(found.text, parts[0].line, parts[0].column, parts)


# `**CodePlan**: "Repository-level Coding…"`, `<u>T5</u>: **"Exploring the Limits…"**`: a short
# name, a colon, then the quoted title (as rendered: markup gone, the quotes kept).
_NAME_BEFORE_QUOTE = re.compile(r"^\s*+(?P<name>[^\"“”:\[\]]{1,40}?)\s*+:\s*+[\"“]")
_IN_PARENS = re.compile(r"\(([^()]*)\)")


def name_in_text(draft: Draft, inline: Inline, title: Field | None) -> Field | None:
    """A model's or method's name beside the title: before a quoted title (the bold part of it,
    if any: `**Codex** (GPT-3): "…"` names Codex), or in bold within parentheses after the
    title (`… [[pdf](…)] (**ELMo**)`). Never a piece of a link's text."""
    if title is None:
        return None
    text = inline.text
    strongs = [strong for seg in inline.segments for strong in seg.strongs]
    in_links = " ".join(lk.text for lk in inline.links)
    m = _NAME_BEFORE_QUOTE.match(text)
    if m and text[m.end() :].startswith(title.text[:20]):
        name = m.group("name")
        name = next((s for s in strongs if name.startswith(s)), name)
        return None if name in in_links else locate(draft, name, inline)
    at = text.find(title.text)
    after = text[at + len(title.text) :] if at >= 0 else ""
    # what stands in parentheses after the title, found once (not looked for once per strong)
    in_parens = {m.group(1) for m in _IN_PARENS.finditer(after)}
    for strong in dict.fromkeys(strongs):
        if strong in in_parens and strong != title.text and strong not in in_links:
            return locate(draft, strong, inline)
    return None
