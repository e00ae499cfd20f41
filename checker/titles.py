"""What counts as a paper title in a cell or list item, and how titles are compared."""

from __future__ import annotations

import bisect
import re
import unicodedata
from functools import lru_cache

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
_QUOTED = re.compile(r"[\"“]([^\"”]{8,400}+)[\"”]")


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
    t = _without_affiliation(t)
    t = _without_trailing_asides(t)
    # "Title  Long summary…" (two spaces) in digest-style lists: keep the title part.
    head, _, rest = t.strip().partition("  ")
    if len(rest.split()) > 12:
        t = head
    t = t.strip().strip("\"“”'").strip()
    t = t.rstrip(".,;:").strip()
    return " ".join(t.split())


# What lists write after a title in parentheses that is no part of it: a translation
# (`(基于概率集成的多模态目标检测)`, in full-width parentheses too) or a label (`(Oral)`).
_LABELS = frozenset(("oral", "spotlight", "poster", "highlight", "best paper", "award"))
_CJK_FIRST = "\u3040"  # where the ranges below begin: a text of characters before it has none


@lru_cache(maxsize=1)
def _cjk() -> re.Pattern[str]:
    """Compiled when a list first needs it: its ranges take 5 ms to compile, a run's share."""
    return re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uff01-\uff5e]")


def _has_cjk(text: str) -> bool:
    return bool(text) and max(text) >= _CJK_FIRST and _cjk().search(text) is not None


def _without_trailing_asides(text: str) -> str:
    """`Title (基于…的目标检测) (**Oral**)`: the title. Each aside is found from the end (its
    opener is the last one before it), at most a few: a title never ends in many."""
    t = text.rstrip()
    for _ in range(3):
        if not t.endswith((")", "）")):
            break
        opener = max(t.rfind("(", 0, len(t) - 1), t.rfind("（", 0, len(t) - 1))
        inside = t[opener + 1 : -1].strip().strip("()（）")
        if opener <= 0 or not (inside.lower() in _LABELS or _has_cjk(inside)):
            break
        t = t[:opener].rstrip(" (（")
    return t


def _without_affiliation(text: str) -> str:
    """`Title (@org)`: the title. Found from the end, not by a pattern with spaces before it: a
    search would read a long run of spaces again from each of its characters."""
    end = text.rstrip()
    if not end.endswith(")"):
        return text
    at = end.find("(@", end.rfind(")", 0, len(end) - 1) + 1)  # no `)` inside the parentheses
    return text if at < 0 else text[:at].rstrip()


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


@lru_cache(maxsize=1 << 15)  # a title is normalised again by each rule that compares it
def normalize_title(text: str) -> str:
    """Case, spacing, punctuation, LaTeX and Unicode forms alone never make titles differ."""
    t = text
    if "\\" in t:  # LaTeX: every form below starts with a backslash
        t = _LATEX_ACCENT.sub(lambda m: m.group(2) + _COMBINING[m.group(1)], t)
        for src, dst in {**_LATEX_ACCENTS, **_LATEX_SYMBOLS}.items():
            t = t.replace(src, dst)
        t = re.sub(r"\\[a-zA-Z]+\s*", "", t)  # other LaTeX commands: \textbf, \emph, …
    if not t.isascii():  # ASCII has nothing to decompose
        t = unicodedata.normalize("NFKD", t)
        t = "".join(ch for ch in t if not unicodedata.combining(ch))
    t = t.casefold()
    t = re.sub(r"[^\w\s]", " ", t)
    return " ".join(t.replace("_", " ").split())


# ---------------------------------------------------------------------------------------------
# Comparing a listed title with arXiv's


SAME, SMALL, DIFFERENT, OTHER_PAPER = "same", "small", "different", "other-paper"

# Words that say nothing about which paper is meant: a short title sharing only these with
# arXiv's title shares nothing.
# fmt: off
STOP_WORDS = frozenset({
    "a", "an", "the", "of", "for", "in", "on", "at", "to", "and", "or", "with", "by", "from", "via",
    "into", "onto", "over", "under", "about", "as", "is", "are", "be", "been", "being", "was",
    "were", "it", "its", "this", "that", "these", "those", "we", "our", "you", "your", "can", "do",
    "does", "not", "no", "vs", "versus", "what", "how", "why", "when", "where", "which", "who",
    "whom", "all", "any", "each", "more", "most", "than", "toward", "towards", "through", "using",
    "based", "new", "beyond", "without", "within", "between", "against", "per", "up", "down",
    "out", "off", "so", "if", "only", "also", "just", "very",
}) | GENERIC
# fmt: on


def _word_key(word: str) -> str:
    return normalize_title(word)


def _stem(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def content_words(text: str) -> set[str]:
    """The words of a title that name something: no stop word, no bare number."""
    return {
        _stem(w) for w in normalize_title(text).split() if w not in STOP_WORDS and not w.isdigit()
    }


# What a name may carry that its paper does not: a size, a version, a variant ("LLaMA-2-7B",
# "BLOOMZ v2", "T5-XXL", "Vicuna-13B-v1.5", "Mistral-7B-Instruct"). A match starts only where
# nothing it could also take stands before it (`(?<!…)`): from inside a run of digits or spaces
# it would read the rest of the run again, once for each of its characters.
_NAME_SUFFIX = re.compile(
    r"(?<![\s_-])(?:[\s_-]*+(?:(?<!\d)\d++(?:\.\d++)?+\s*+[bmkt]\d*+|v\d++(?:\.\d++)*+)"
    r"|[\s_-]++(?:x*l|large|base|small|tiny|mini|medium|huge|instruct|chat|it))$",
    re.I,
)
_NAME_PARTS = re.compile(r"/|&|,|;|\band\b", re.I)  # the parts are stripped
_OPENERS = re.compile(r"[(\[]")
# Real names carry one to three suffixes ("Mistral-7B-Instruct-v0.2"); each one cut is one more
# key about as long as the name
_MAX_SUFFIXES = 4


def _without_asides(name: str) -> str:
    """`name` with each `(…)` and `[…]` a space, as the pattern `\\([^)]*\\)|\\[[^\\]]*\\]`
    replaces them (see `blank_spans`)."""
    return blank_spans(name, _OPENERS, _ASIDE_CLOSERS)


_ASIDE_CLOSERS = {"(": ")", "[": "]"}


def blank_spans(text: str, starts: re.Pattern[str], closers: dict[str, str]) -> str:
    """`text` with each span from a match of `starts` to the first closer after it a space: the
    closer is `closers[c]` for the match's first character `c`, and a start not in `closers`
    runs to the next whitespace. A start with no closer after it is left as it is. One pass: the
    first closer after a start is looked up once, not again from every start (a line of a
    thousand unclosed `(` would otherwise be read a thousand times)."""
    out: list[str] = []
    done = at = 0
    after = dict.fromkeys(closers.values(), -2)  # the first closer after the last start; -1: none
    while (m := starts.search(text, at)) is not None:
        start = m.start()
        closer = closers.get(text[start])
        if closer is None:  # runs to the next whitespace
            space = _WHITESPACE.search(text, start)
            end = len(text) if space is None else space.start()
        else:
            found = after[closer]
            if found != -1 and found <= start:
                found = after[closer] = text.find(closer, start + 1)
            if found < 0:
                at = start + 1
                continue
            end = found + 1
        out += (text[done:start], " ")
        done = at = end
    out.append(text[done:])
    return "".join(out)


_WHITESPACE = re.compile(r"\s")


def _name_keys(name: str) -> list[str]:
    """A name squashed to letters and digits, with and without its size or version suffixes
    (at most `_MAX_SUFFIXES` of them), sorted."""
    keys: set[str] = set()
    for part in _NAME_PARTS.split(_without_asides(name)):
        current = part.strip()
        for _ in range(_MAX_SUFFIXES + 1):
            key = "".join(normalize_title(current).split())
            if len(key) >= 2:
                keys.add(key)
            shorter = _NAME_SUFFIX.sub("", current).strip()
            if not shorter or shorter == current:
                break
            current = shorter
    return sorted(keys)


def name_appears(name: str, *texts: str) -> bool:
    """Whether a model's or method's name is written in one of the texts, whole words only.

    Case, hyphens and spaces do not matter ("Flan-T5" = "FlanT5" = "flan t5", "Llama2" =
    "Llama 2"), nor a size or version suffix ("LLaMA-2-7B" is found as "LLaMA 2"); a name is never
    found inside a longer word ("T5" is not in "mT5").
    """
    keys = _name_keys(name)
    if not keys:
        return True  # nothing we could look for: never report it
    acronym = _acronym(name)
    for text in texts:
        words = normalize_title(text).split()
        if acronym and _spelled_out(acronym, words):
            return True
        if _spells_a_key(words, keys):
            return True
    return False


def _spells_a_key(words: list[str], keys: list[str]) -> bool:
    """Whether some words in a row, joined, are one of the (sorted) keys. From each word, words
    are joined only while some key starts with them: a long name is not joined up against every
    word of the text."""
    for i in range(len(words)):
        joined = ""
        for j in range(i, len(words)):
            joined += words[j]
            k = bisect.bisect_left(keys, joined)
            if k == len(keys) or not keys[k].startswith(joined):
                break  # no key starts with these words, nor with any longer run of them
            if keys[k] == joined:
                return True
    return False


def _acronym(name: str) -> str | None:
    """`MQA`, `LoRA`, `ViT`: the capitals of a name written as an acronym of its words."""
    letters = "".join(ch for ch in name if ch.isupper())
    if len(letters) < 2 or len(name) > 12 or any(ch.isdigit() for ch in name):
        return None
    return letters.lower()


def _spelled_out(acronym: str, words: list[str]) -> bool:
    """`MQA` in "multi-query attention", `MoE` in "mixture of experts" (stop words skipped)."""
    for sequence in (words, [w for w in words if w not in STOP_WORDS]):
        initials = [w[0] for w in sequence]
        n = len(acronym)
        if any("".join(initials[i : i + n]) == acronym for i in range(len(initials) - n + 1)):
            return True
    return False


def compare_titles(
    listed: str, actual: str, abstract: str | None = None
) -> tuple[str, tuple[str, str] | None]:
    """Classify how far a listed title is from arXiv's, with a word-level fix for small slips.

    Returns (verdict, (old, new)); old/new are written with single spaces between words, the
    caller finds them in the file. A short title (one to three words) is a name or a catchword
    ("LoRA", "MemGPT", "Parallel Decoding"): the same paper when it shares a word with arXiv's
    title (or is written in its abstract), another paper when it shares none.
    """
    a, b = normalize_title(listed), normalize_title(actual)
    if not a or a == b or a.replace(" ", "") == b.replace(" ", ""):
        return SAME, None  # also "Pre-training" / "Pretraining", "$k$-NN" / "kNN"
    head = normalize_title(actual.split(":")[0]) if ":" in actual else ""
    if a == head or (len(a.split()) <= 2 and b.startswith(a + " ")):
        return SAME, None
    if len(a.split()) < 4:
        return _compare_short(listed, actual, abstract), None
    from rapidfuzz import fuzz  # loaded only for titles that differ: most lists have none

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


def _compare_short(listed: str, actual: str, abstract: str | None) -> str:
    words = content_words(listed)
    if not words or words & content_words(actual):
        return SAME  # "Paper", "arXiv"; or "LoRA" for "LoRA: Low-Rank Adaptation of …"
    if name_appears(listed, actual) or (abstract and name_appears(listed, abstract)):
        return SAME  # "TensorProduct" for "Tensor-Product …"; "ViT" for "An Image is Worth …"
    return OTHER_PAPER


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
