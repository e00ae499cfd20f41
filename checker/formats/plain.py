"""For an output that cannot carry Unicode (`PYTHONIOENCODING=ascii`, an old console): the report
degrades to what it can carry instead of the run dying on its first arrow."""

from __future__ import annotations

import re
import unicodedata

# Symbols the formats print, in the ASCII a reader would have typed.
_SYMBOLS = {
    "→": "->",
    "⏎": "|",
    "—": "-",
    "–": "-",
    "…": "...",
    "‘": "'",
    "’": "'",
    "“": '"',
    "”": '"',
    "❌": "x",
    "⚠️": "!",
    "⚠": "!",
    "ℹ️": "i",
    "ℹ": "i",
    "✅": "ok",
}
_SYMBOL = re.compile("|".join(re.escape(s) for s in sorted(_SYMBOLS, key=len, reverse=True)))


def encodable(text: str, encoding: str | None) -> bool:
    try:
        text.encode(encoding or "utf-8")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


# What a workflow command is spelt with (`::error::`, `##[error]`): never made by degrading. It
# runs after escaping, so a full-width `：：` or `＃＃［` of the list's, or `#` + an accent + `#[`
# with the accent dropped, would become one.
_COMMAND_SYNTAX = frozenset("#:[]")


def _spelling(ch: str) -> str:
    """`ch` as NFKD spells it, or `?` where that would be a workflow command's syntax."""
    if ch.isascii():
        return ch
    spelt = unicodedata.normalize("NFKD", ch)
    return "?" if _COMMAND_SYNTAX.intersection(spelt) else spelt


def _marks_dropped(spelt: str) -> str:
    """Accents and variation selectors dropped after a letter or a digit (é → e); anywhere else
    they are `?`, so that dropping one never joins two marks of punctuation."""
    out: list[str] = []
    for ch in spelt:
        if unicodedata.combining(ch) or ch == "\ufe0f":
            if not (out and out[-1].isalnum()):
                out.append("?")
        else:
            out.append(ch)
    return "".join(out)


def degrade(text: str, encoding: str | None) -> str:
    """Known symbols spelled out, accents dropped (é → e), anything else as `?`."""
    text = _SYMBOL.sub(lambda m: _SYMBOLS[m.group(0)], text)
    text = _marks_dropped("".join(map(_spelling, text)))
    enc = encoding or "ascii"
    try:
        return text.encode(enc, errors="replace").decode(enc)
    except LookupError:
        return text.encode("ascii", errors="replace").decode("ascii")


def json_ascii(text: str) -> str:
    """JSON text with every non-ASCII character escaped: the same data, in ASCII."""
    out = []
    for ch in text:
        code = ord(ch)
        if code < 0x80:
            out.append(ch)
        elif code < 0x10000:
            out.append(f"\\u{code:04x}")
        else:
            code -= 0x10000
            out.append(f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}")
    return "".join(out)
