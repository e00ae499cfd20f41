"""What counts as a paper title in a cell or list item, and how titles are compared."""

from __future__ import annotations

import re
import unicodedata

GENERIC = frozenset(
    [
        "pdf",
        "paper",
        "papers",
        "arxiv",
        "code",
        "github",
        "link",
        "links",
        "project",
        "page",
        "website",
        "homepage",
        "demo",
        "blog",
        "slides",
        "video",
        "talk",
        "poster",
        "repo",
        "repository",
        "model",
        "models",
        "data",
        "dataset",
        "docs",
        "doc",
        "report",
        "here",
        "openreview",
        "abstract",
        "html",
        "bib",
        "bibtex",
        "citation",
        "star",
        "official",
        "unofficial",
        "pytorch",
        "tensorflow",
        "jax",
        "implementation",
        "supplementary",
        "tweet",
    ]
)

_EMOJI = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\ufe0f\u200d\u2300-\u23ff]+")
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
    """`**CodePlan**: "Repository-level Coding using LLMs"` names the paper in quotes."""
    m = _QUOTED.search(text)
    if m and len(m.group(1).split()) >= 3:
        return clean_title(m.group(1))
    return None


_LATEX_ACCENTS = {
    '\\"o': "ö",
    '\\"a': "ä",
    '\\"u': "ü",
    '\\"O': "Ö",
    '\\"A': "Ä",
    '\\"U': "Ü",
    "\\'e": "é",
    "\\'a": "á",
    "\\`e": "è",
    "\\'o": "ó",
    "\\ss": "ß",
    "\\~n": "ñ",
}
_LATEX_SYMBOLS = {
    "\\infty": "∞",
    "\\alpha": "α",
    "\\beta": "β",
    "\\gamma": "γ",
    "\\mu": "μ",
    "\\epsilon": "ε",
    "\\lambda": "λ",
    "\\pi": "π",
    "\\times": "×",
    "\\sim": "~",
}


_COMBINING = {
    '"': "\u0308",
    "'": "\u0301",
    "`": "\u0300",
    "^": "\u0302",
    "~": "\u0303",
    "=": "\u0304",
    ".": "\u0307",
    "c": "\u0327",
    "v": "\u030c",
    "u": "\u0306",
}
# \"o, \"{o}, {\"o}, \c{c}: the accent joins its letter, so NFKD can drop it below
_LATEX_ACCENT = re.compile(r"\{?\\([\"'`^~=.]|[cvu](?=\{))\s*\{?([A-Za-z])\}?\}?")


def normalize_title(text: str) -> str:
    """Case, spacing, punctuation, LaTeX and Unicode forms alone never make titles differ."""
    t = _LATEX_ACCENT.sub(lambda m: m.group(2) + _COMBINING[m.group(1)], text)
    for src, dst in {**_LATEX_ACCENTS, **_LATEX_SYMBOLS}.items():
        t = t.replace(src, dst)
    t = re.sub(r"\\[a-zA-Z]+\s*", "", t)  # other LaTeX commands: \textbf, \emph, …
    t = unicodedata.normalize("NFKD", t)
    t = "".join(ch for ch in t if not unicodedata.combining(ch))
    t = t.casefold()
    t = re.sub(r"[^\w\s]", " ", t)
    return " ".join(t.replace("_", " ").split())


# ---------------------------------------------------------------------------------------------
# Comparing a listed title with arXiv's


SAME, SMALL, DIFFERENT, OTHER_PAPER = "same", "small", "different", "other-paper"


def _word_key(word: str) -> str:
    return normalize_title(word)


def compare_titles(listed: str, actual: str) -> tuple[str, tuple[str, str] | None]:
    """Classify how far a listed title is from arXiv's, with a word-level fix for small slips.

    Returns (verdict, (old, new)); old/new are written with single spaces between words, the
    caller finds them in the file. Short names ("LoRA" for "LoRA: Low-Rank …") count as the same.
    """
    from rapidfuzz import fuzz

    a, b = normalize_title(listed), normalize_title(actual)
    if not a or a == b or a.replace(" ", "") == b.replace(" ", ""):
        return SAME, None  # also "Pre-training" / "Pretraining", "$k$-NN" / "kNN"
    head = normalize_title(actual.split(":")[0]) if ":" in actual else ""
    if a == head or (len(a.split()) <= 2 and b.startswith(a + " ")):
        return SAME, None
    if len(a.split()) < 4:
        return SAME, None  # a name ("LoRA v2", "MemGPT"), not a title: nothing to compare
    if fuzz.ratio(a, b) >= 85 or (
        min(len(a), len(b)) >= 0.6 * max(len(a), len(b)) and (b.startswith(a) or a.startswith(b))
    ):
        fix = _word_fix(listed, actual)
        if fix and any(ch in fix[1] for ch in "$\\|*_`<>[]"):
            fix = None  # arXiv's LaTeX or markup would change how the Markdown renders
        return SMALL, fix
    if fuzz.token_set_ratio(a, b) >= 75:
        return DIFFERENT, None
    if fuzz.token_set_ratio(a, b) < 50:
        return OTHER_PAPER, None
    return DIFFERENT, None


def _word_fix(listed: str, actual: str) -> tuple[str, str] | None:
    import difflib

    old_words, new_words = listed.split(), actual.split()
    matcher = difflib.SequenceMatcher(
        a=[_word_key(w) for w in old_words], b=[_word_key(w) for w in new_words], autojunk=False
    )
    changes = [op for op in matcher.get_opcodes() if op[0] != "equal"]
    if not changes:
        return None
    i1, j1 = changes[0][1], changes[0][3]
    i2, j2 = changes[-1][2], changes[-1][4]
    if i1 == i2 or j1 == j2:  # a pure insertion or deletion: keep a neighbouring word
        if i1 > 0 and j1 > 0:
            i1, j1 = i1 - 1, j1 - 1
        elif i2 < len(old_words) and j2 < len(new_words):
            i2, j2 = i2 + 1, j2 + 1
        else:
            return None
    return " ".join(old_words[i1:i2]), " ".join(new_words[j1:j2])
