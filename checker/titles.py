"""What counts as a paper title in a cell or list item, and how titles are compared."""

from __future__ import annotations

import re
import unicodedata

GENERIC = frozenset(
    """pdf paper papers arxiv code github link links project page website homepage demo blog
    slides video talk poster repo repository model models data dataset docs doc report here
    openreview abstract html bib bibtex citation star official unofficial pytorch tensorflow
    jax implementation supplementary tweet""".split()
)

_EMOJI = re.compile(
    "[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\ufe0f\u200d\u2300-\u23ff]+"
)
_SHORTCODE = re.compile(r":[a-z0-9_+-]+:")
_NUMBERING = re.compile(r"^\s*(?:\d+[.)]|\(\d+\))\s+")
_TAG_PREFIX = re.compile(r"^\s*\[[^\]]{1,40}\]\s*")
_AFFILIATION = re.compile(r"\s*\(@[^)]*\)\s*$")
_QUOTED = re.compile(r"[\"“]([^\"”]{8,400})[\"”]")


def is_generic_text(text: str) -> bool:
    """`[pdf]`, `Paper`, `[code & model]`, a URL or a bare ID say nothing about the title."""
    t = text.strip().strip("[]()").strip().lower()
    if not t or t.startswith(("http://", "https://", "www.")):
        return True
    if re.fullmatch(r"(arxiv[:\s]*)?\d{4}\.\d{4,5}(v\d+)?", t):
        return True
    words = re.split(r"[\s&/,+-]+", t)
    return all(w in GENERIC or not w for w in words)


def clean_title(text: str) -> str:
    """Strip what lists wrap around a title: emoji, numbering, `[Tag]` prefixes, `(@org)`."""
    t = _SHORTCODE.sub(" ", _EMOJI.sub(" ", text))
    t = _NUMBERING.sub("", t)
    t = _TAG_PREFIX.sub("", t, count=1) if re.match(r"^\s*\[[^\]]+\]\s*\S", t) else t
    t = _AFFILIATION.sub("", t)
    # "Title  Long summary…" (two spaces) in digest-style lists: keep the title part.
    head, _, rest = t.strip().partition("  ")
    if len(rest.split()) > 12:
        t = head
    t = t.strip().strip("\"“”'").strip()
    t = re.sub(r"[.,;:]+$", "", t).strip()
    return " ".join(t.split())


def pick_quoted_title(text: str) -> str | None:
    """`**CodePlan**: "Repository-level Coding using LLMs and Planning"` names the paper in quotes."""
    m = _QUOTED.search(text)
    if m and len(m.group(1).split()) >= 3:
        return clean_title(m.group(1))
    return None


_LATEX_ACCENTS = {
    '\\"o': "ö", '\\"a': "ä", '\\"u': "ü", '\\"O': "Ö", '\\"A': "Ä", '\\"U': "Ü",
    "\\'e": "é", "\\'a": "á", "\\`e": "è", "\\'o": "ó", "\\ss": "ß", "\\~n": "ñ",
}
_LATEX_SYMBOLS = {"\\infty": "∞", "\\alpha": "α", "\\beta": "β", "\\gamma": "γ", "\\mu": "μ",
                  "\\epsilon": "ε", "\\lambda": "λ", "\\pi": "π", "\\times": "×", "\\sim": "~"}


def normalize_title(text: str) -> str:
    """Case, spacing, punctuation, LaTeX and Unicode forms alone never make titles differ."""
    t = text
    for src, dst in {**_LATEX_ACCENTS, **_LATEX_SYMBOLS}.items():
        t = t.replace(src, dst)
    t = re.sub(r"\\[a-zA-Z]+\s*", "", t)  # other LaTeX commands: \textbf, \emph, …
    t = unicodedata.normalize("NFKD", t)
    t = "".join(ch for ch in t if not unicodedata.combining(ch))
    t = t.casefold()
    t = re.sub(r"[^\w\s]", " ", t)
    return " ".join(t.replace("_", " ").split())
