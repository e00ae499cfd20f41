"""A paper's title and venue inside free text (list items, paragraphs), placed where they stand."""

from __future__ import annotations

import re
from collections.abc import Iterable

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
    """The first venue written after the title (a venue inside a title is part of the title)."""
    text = inline.text
    if title:
        at = text.find(title.text)
        if at >= 0:
            text = text[at + len(title.text) :]
    found = draft.venues.search(text)
    if not found:
        return None
    placed = _first_line(draft, found, ((seg.line, seg.line + 8) for seg in inline.segments))
    return None if placed is None else Field(found, *placed)


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
