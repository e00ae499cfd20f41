"""Bare URLs, `www.` domains and email addresses linked as GitHub links them.

The rules are cmark-gfm's autolink extension (extensions/autolink.c), followed one by one:
- `http://`, `https://` and `ftp://` URLs are found where the `:` stands (the scheme is the run
  of letters before it), `www.` domains only at the start of text or after a space or one of
  `*_~(`, email addresses in text that is not a link;
- a link runs to the next ASCII whitespace or `<`; then a trailing `?!.,:*_~'"`, a `)` that is
  not balanced within the link, and an entity-like `&name;` are cut off, again and again
  (`autolink_delim`): `~~https://arxiv.org/abs/2106.09685~~` links the ID, `(code:
  https://github.com/o/r.)` the repository;
- a domain with `_` in one of its last two labels is no link; nothing is linked inside link
  text or after a `[` that is still open.
The link tokens carry markup "linkify" and info "auto", as markdown-it's own linkify does, and
`meta["written"]` holds the link exactly as it stands in the source.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

_ASCII_SPACE = " \t\n\v\f\r"
_TRAILING = frozenset("?!.,:*_~'\"")
_UNICODE_SPACE = frozenset("\t\n\f\r \u00a0\u1680\u202f\u205f\u3000") | frozenset(
    chr(c) for c in range(0x2000, 0x200B)
)
_SCHEMES = ("http://", "https://", "ftp://")
_WWW_AFTER = frozenset("*_~(") | frozenset(_ASCII_SPACE)
_BRACKET = re.compile(r"\\.|[\[\]]")


def install(md: MarkdownIt) -> None:
    md.inline.ruler.before("linkify", "gfm_url", _url_rule)
    md.core.ruler.push("gfm_www_email", _www_and_email)


def _is_punct(ch: str) -> bool:
    if ch < "\x80":
        return not ch.isalnum() and ch.isprintable() and ch != " "
    return unicodedata.category(ch).startswith("P")


def _valid_host_char(ch: str) -> bool:
    return ch not in _UNICODE_SPACE and not _is_punct(ch)


def link_length(text: str) -> int:
    """How much of `text` (a candidate link) GitHub links: `autolink_delim`."""
    end = text.find("<")
    end = len(text) if end < 0 else end
    opening, closing = text.count("(", 0, end), text.count(")", 0, end)
    while end > 0:
        ch = text[end - 1]
        if ch == ")":
            if closing <= opening:
                return end
            closing -= 1
            end -= 1
        elif ch in _TRAILING:
            end -= 1
        elif ch == ";":
            start = end - 2
            while start > 0 and _ascii_letter(text[start]):
                start -= 1
            end = start if 0 <= start < end - 2 and text[start] == "&" else end - 1
        else:
            return end
    return end


def _domain_length(text: str, allow_short: bool) -> int:
    """`check_domain`: 0 when an underscore sits in one of the last two labels (or, unless
    `allow_short`, when there is no dot). cmark-gfm walks bytes, so it stops after the first
    byte of any non-ASCII character; walking code points, we stop after that character."""
    dots = underscores_last = underscores_before = 0
    i = 1
    while i < len(text) - 1:
        ch = text[i]
        if ch == "\\" and i < len(text) - 2:
            i += 1
            ch = text[i]
        if ch == "_":
            underscores_last += 1
        elif ch == ".":
            underscores_before, underscores_last = underscores_last, 0
            dots += 1
        elif not _valid_host_char(ch) and ch != "-":
            break
        elif not ch.isascii():
            i += 1
            break
        i += 1
    if (underscores_before or underscores_last) and dots <= 10:
        return 0
    return i if allow_short or dots else 0


def _run_end(text: str, start: int) -> int:
    """Where a link starting before `start` stops at the latest: ASCII whitespace or `<`."""
    end = start
    while end < len(text) and text[end] not in _ASCII_SPACE and text[end] != "<":
        end += 1
    return end


def _in_open_bracket(src: str, pos: int) -> bool:
    positions, depths = _bracket_depths(src)
    k = bisect.bisect_left(positions, pos)  # the brackets before pos
    return k > 0 and depths[k - 1] > 0


@lru_cache(maxsize=1)
def _bracket_depths(src: str) -> tuple[list[int], list[int]]:
    """Where the bracket depth of an inline run changes, and the depth from there on (`\\[`
    is no bracket, a `]` with none open changes nothing). Found once per run, not once per
    URL in it: a paragraph of a thousand bare URLs is read in linear time."""
    positions: list[int] = []
    depths: list[int] = []
    depth = 0
    for m in _BRACKET.finditer(src):
        if m.group() == "[":
            depth += 1
        elif m.group() == "]" and depth:
            depth -= 1
        else:
            continue
        positions.append(m.start())
        depths.append(depth)
    return positions, depths


def _url_rule(state: StateInline, silent: bool) -> bool:
    """At a `:`: a URL whose scheme is the run of letters just before it."""
    src, pos = state.src, state.pos
    if src[pos] != ":" or not src.startswith("//", pos + 1) or pos + 3 >= state.posMax:
        return False
    if state.linkLevel > 0:
        return False
    before = state.pending
    rewind = 0
    while rewind < len(before) and _ascii_letter(before[-rewind - 1]):
        rewind += 1
    scheme = state.pending[len(state.pending) - rewind :].lower() + "://"
    after = pos + 3
    if scheme not in _SCHEMES or not _valid_host_char(src[after]):
        return False
    if _in_open_bracket(src, pos):
        return False
    stop = _run_end(src, after)
    if _domain_length(src[after : stop + 1], allow_short=True) == 0:
        return False
    end = pos + link_length(src[pos:stop])
    if end <= after:
        return False
    if not silent:
        written = state.pending[len(state.pending) - rewind :] + src[pos:end]
        state.pending = state.pending[: len(state.pending) - rewind]
        for made in _link_tokens(written, written):
            pushed = state.push(made.type, made.tag, made.nesting)
            pushed.attrs, pushed.markup, pushed.info = made.attrs, made.markup, made.info
            pushed.meta, pushed.content = made.meta, made.content
    state.pos = end
    return True


def _link_tokens(href: str, written: str) -> list[Token]:
    """link_open, text, link_close, marked as markdown-it marks its own bare-URL links."""
    opening = Token("link_open", "a", 1, attrs={"href": href}, markup="linkify", info="auto")
    opening.meta = {"written": written}
    text = Token("text", "", 0, content=written)
    closing = Token("link_close", "a", -1, markup="linkify", info="auto")
    return [opening, text, closing]


def _www_and_email(state: StateCore) -> None:
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        if "www." not in block.content and "@" not in block.content:
            continue
        block.children = _link_text_tokens(block.children)


def _link_text_tokens(children: list[Token]) -> list[Token]:
    out: list[Token] = []
    depth = 0
    for i, tok in enumerate(children):
        if tok.type == "link_open":
            depth += 1
        elif tok.type == "link_close":
            depth -= 1
        linkable = "www." in tok.content or "@" in tok.content
        if tok.type != "text" or depth > 0 or not linkable:
            out.append(tok)
            continue
        prev = children[i - 1].type if i else ""
        starts_free = not prev or prev in _OPENS_WWW
        out.extend(_split_text(tok.content, starts_free))
    return out


# After these tokens the text starts where a delimiter `*_~`, a line break or nothing stood.
_OPENS_WWW = frozenset(
    ("em_open", "em_close", "strong_open", "strong_close", "s_open", "s_close", "softbreak")
) | {"hardbreak"}


def _split_text(text: str, starts_free: bool) -> list[Token]:
    pieces: list[tuple[str, str | None]] = []  # (text, href or None)
    for chunk, href in _www_pieces(text, starts_free):
        if href is None:
            pieces.extend(_email_pieces(chunk))
        else:
            pieces.append((chunk, href))
    tokens: list[Token] = []
    for chunk, href in pieces:
        if href is None:
            tokens.append(Token("text", "", 0, content=chunk))
        else:
            tokens.extend(_link_tokens(href, chunk))
    return tokens


def _www_pieces(text: str, starts_free: bool) -> list[tuple[str, str | None]]:
    pieces: list[tuple[str, str | None]] = []
    done = 0
    at = text.find("www.")
    while at >= 0:
        before_ok = (at == 0 and starts_free) or (at > 0 and text[at - 1] in _WWW_AFTER)
        stop = _run_end(text, at)
        size = _domain_length(text[at : stop + 1], allow_short=False) if before_ok else 0
        end = at + link_length(text[at:stop]) if size else at
        if end > at:
            if at > done:
                pieces.append((text[done:at], None))
            pieces.append((text[at:end], "http://" + text[at:end]))
            done = end
        at = text.find("www.", max(end, at + 1))
    if done < len(text):
        pieces.append((text[done:], None))
    return pieces


def _email_pieces(text: str) -> list[tuple[str, str | None]]:
    """`foo@bar.baz` → a mailto: link; the local part is letters, digits and `.+-_`."""
    pieces: list[tuple[str, str | None]] = []
    done = floor = 0  # the local part never reaches back before `floor`
    at = text.find("@")
    while at >= 0:
        start = at
        while start > floor and (_alnum(text[start - 1]) or text[start - 1] in ".+-_"):
            start -= 1
        if start == at:  # nothing before the `@`
            floor = at + 1
            at = text.find("@", floor)
            continue
        end, dots = at + 1, 0
        while end < len(text):
            ch = text[end]
            if ch == "@":  # another `@`: try again from there
                break
            if ch == "." and end + 1 < len(text) and _alnum(text[end + 1]):
                dots += 1
            elif not _alnum(ch) and ch not in "-_":
                break
            end += 1
        if end < len(text) and text[end] == "@":
            floor, at = at + 1, end
            continue
        last = text[end - 1]
        ends_well = _ascii_letter(last) or last == "."
        length = link_length(text[at:end]) if end - at >= 2 and dots and ends_well else 0
        if length:
            if start > done:
                pieces.append((text[done:start], None))
            address = text[start : at + length]
            pieces.append((address, "mailto:" + address))
            done = floor = at + length
        else:
            floor = end
        at = text.find("@", floor)
    if done < len(text):
        pieces.append((text[done:], None))
    return pieces


def _alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _ascii_letter(ch: str) -> bool:
    return ch.isascii() and ch.isalpha()
