"""Text from the list, made inert for every place paperlint writes it.

A pull request writes the list, so anything from it — a URL (entities decoded: `&#13;&#10;` is a
real line break), a title, a venue, a file name, and what a server answered about it — may try to
start a line of its own, a workflow command, a heading, an `@mention` that notifies someone, an
`<img>`, or paperlint's own hidden history block (`<!-- … -->`). Every format shows such text
through this module and nowhere else:

- `visible`: control characters (line breaks, ANSI escapes), bidirectional controls and the bytes
  of an undecodable file name become `\\n`, `\\x1b`, `\\u202e`, `\\xff`; for the terminal, the
  annotations and, under everything below, Markdown (stderr uses the same `sources.printable`).
- `text`: Markdown inline text (never at the start of a line) that renders as the characters it
  holds and nothing else, in a paragraph, a list item or a table cell: Markdown and HTML syntax
  as character references, mentions, issue references and autolinks broken by a zero-width space.
- `code`: the same as code (a code span when that is safe as it is, else `<code>` around `text`).
- `url`: a URL as code, with what a URL may not hold as it is percent-encoded (so it can still be
  copied and opened, and it never holds a backtick, a pipe, `<` or `>`).
- `path`: a file name that begins a line of the log, never read as a workflow command.

Every function is one pass over its input.
"""

from __future__ import annotations

import re

from checker.sources import LOG_COMMAND, inert, is_command, printable


def visible(text: str) -> str:
    """Control characters (C0, DEL, C1), line and paragraph separators, bidirectional controls
    and the bytes of a name that is not UTF-8 as `\\n`, `\\x1b`, `\\u202e`, `\\xff`: the text stays
    on one line and shows what it holds. The same escape as every stderr line (`sources.printable`),
    so a name reads the same in a report and in an error."""
    return printable(text)


# ---------------------------------------------------------------------------------------------
# Markdown (GitHub Flavored, as GitHub renders it in job summaries, issues and comments)

# A character reference is literal text wherever inline Markdown is parsed, and a table row is
# split before its cells are parsed, so a reference can never end a cell (a backslash escape can:
# `\\|` is read differently by different parsers). `@`, `#`, `:` and `www`/`gh` are kept but broken
# by a zero-width space where GitHub would make them live: `@name` (a notification), `#12`, `GH-12`
# and `owner/repo#12` (a cross-reference on that issue), `https://…` and `www.…` (autolinks).
_ZWSP = "&#8203;"
_REFERENCES = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    "\\": "&#92;",
    "`": "&#96;",
    "*": "&#42;",
    "_": "&#95;",
    "[": "&#91;",
    "]": "&#93;",
    "|": "&#124;",
    "~": "&#126;",
    "$": "&#36;",
}
_MARKDOWN = re.compile(r"[&<>\\`*_\[\]|~$]|@(?=\w)|#(?=\d)|:(?=//)|(?i:www)(?=\.)|(?i:gh)(?=-\d)")


def _reference(m: re.Match[str]) -> str:
    found = m.group(0)
    return _REFERENCES.get(found) or found + _ZWSP


def text(value: str) -> str:
    """Markdown inline text that shows `value` as it is (its invisible characters `visible`) and
    makes nothing live: no markup, no HTML, no mention, no reference, no autolink, one line."""
    return _MARKDOWN.sub(_reference, visible(value))


# What a code span cannot carry as it is: a backtick ends it, a pipe ends a table cell (and
# `\|` in a span is read differently by different parsers), and `<` and `>` could spell
# `<!--`/`-->` in the raw text, where the hidden history block is looked for. A backslash may
# stay (no escape works in a span, and no pipe follows it), and so may brackets (a span binds
# tighter than a link's brackets).
_NOT_IN_SPAN = re.compile(r"[`|<>]")


def code(value: str) -> str:
    """`value` as code: a code span when it can hold it as it is, else `<code>` around `text`
    (so too for `##[`: printed to a log, the report's line would be a workflow command)."""
    shown = visible(value)
    spannable = shown.strip() == shown != "" and not _NOT_IN_SPAN.search(shown)
    if not spannable or LOG_COMMAND in shown:
        return f"<code>{text(value)}</code>"
    return f"`{shown}`"


# RFC 3986 allows none of these in a URL as they are; a browser percent-encodes them anyway.
_URL_UNSAFE = frozenset(' "<>\\^`{|}')


def url_encoded(value: str) -> str:
    """`value` with spaces, control and format characters and the characters a URL may not hold
    (`"<>\\^`{|}`) percent-encoded as UTF-8; letters of any script and `%` are left as they are."""
    if value.isprintable() and not (_URL_UNSAFE & set(value)):
        return value
    out = []
    for ch in value:
        if ch in _URL_UNSAFE or ch.isspace() or not ch.isprintable():
            out.append("".join(f"%{b:02X}" for b in ch.encode("utf-8", "surrogatepass")))
        else:
            out.append(ch)
    return "".join(out)


def url(value: str) -> str:
    """A URL from the list as code: shown, never a link, a mention or a reference."""
    return code(url_encoded(value))


# ---------------------------------------------------------------------------------------------
# Lines of a log that GitHub Actions reads: `::name::` starts a workflow command where a line
# begins with it (spaces before it aside), the older `##[name]` anywhere in a line.


def log_text(value: str) -> str:
    """`visible`, for a line of a log: no `##[` in it (`sources.inert`)."""
    return inert(visible(value))


def path(value: str) -> str:
    """A file name to begin a line of the log with: `log_text`, and `./` before a name that
    would read as a workflow command (`::error::x.md` is the file `./::error::x.md`, and so is
    ` ::error::x.md`: GitHub reads the line without its leading spaces)."""
    shown = log_text(value)
    return "./" + shown if is_command(shown) else shown


def log_safe(serialized_json: str) -> str:
    """JSON that no line of a log takes for a workflow command, the same value when decoded:
    `#` is JSON syntax nowhere, so each `##[` is inside a string, where `\\u0023` is `#`. (No
    line of indented JSON begins with `::`.)"""
    return serialized_json.replace(LOG_COMMAND, "#\\u0023[")
