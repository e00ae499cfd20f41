"""A paper's title and venue inside free text (list items, paragraphs), placed where they stand."""

from __future__ import annotations

import re

from checker.model import Field
from checker.parse.draft import Draft
from checker.parse.inline import Inline
from checker.titles import clean_title, is_generic_text, pick_quoted_title


def described(draft: Draft, inline: Inline) -> tuple[Field | None, Field | None, Field | None]:
    """(title, venue, name) of a paper written in free text. One reading for a paragraph and a
    list item alike: the venue and the name are looked for around the title."""
    title = title_in_text(draft, inline)
    return title, venue_in_text(draft, inline, title), name_in_text(draft, inline, title)


def title_in_text(draft: Draft, inline: Inline) -> Field | None:
    """A quoted title, else the first bold span, else a link text of two words or more."""
    text = inline.text
    quoted = pick_quoted_title(text)
    if quoted:
        return locate(draft, quoted, inline)
    for seg in inline.segments:
        for strong in seg.strongs:
            cleaned = clean_title(strong)
            if cleaned and not is_generic_text(cleaned):
                return locate(draft, cleaned, inline)
    for lk in inline.links:
        if lk.text and not is_generic_text(lk.text) and len(lk.text.split()) >= 2:
            cleaned = clean_title(lk.text)
            if cleaned:
                return draft.field_at(cleaned, lk.line, fallback=lk.column)
    return None


def locate(draft: Draft, text: str, inline: Inline) -> Field:
    for seg in inline.segments:
        for line in range(seg.line, seg.line + seg.text.count(" ") + 1):
            # `text` is never empty: "" would be found even on a line past the end.
            at = draft.line_text(line).find(text[:20])
            if at >= 0:
                return Field(text, line, at + 1)
    return draft.field_at(text, inline.line)


def venue_in_text(draft: Draft, inline: Inline, title: Field | None) -> Field | None:
    """The first venue written after the title (a venue inside a title is part of the title)."""
    text = inline.text
    if title:
        at = text.find(title.text)
        if at >= 0:
            text = text[at + len(title.text) :]
    found = draft.venues.search(text)
    if not found:
        return None
    for seg in inline.segments:
        for offset in range(0, 8):
            line = seg.line + offset
            at = draft.line_text(line).find(found)
            if at >= 0:
                return Field(found, line, at + 1)
    return None


# `**CodePlan**: "Repository-level Coding…"`, `<u>T5</u>: **"Exploring the Limits…"**`: a short
# name, a colon, then the quoted title (as rendered: markup gone, the quotes kept).
_NAME_BEFORE_QUOTE = re.compile(r"^\s*(?P<name>[^\"“”:\[\]]{1,40}?)\s*:\s*[\"“]")


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
    for strong in strongs:
        if f"({strong})" in after and strong != title.text and strong not in in_links:
            return locate(draft, strong, inline)
    return None
