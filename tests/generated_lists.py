"""Generated paper tables for the fix property tests (tests/ is on sys.path, see conftest.py):
split rows (a venue to fix on the row's second physical line), venues written oddly
(`Neurips 2020`), malformed arXiv IDs (an error no fix mends), LF/CRLF/CR and mixed line
endings, a BOM, Unicode line separators and other odd characters inside cells, no final newline.
"""

from __future__ import annotations

from hypothesis import strategies as st

VENUES = ["ICML 2020", "Neurips 2020", "neurips 2021", "ICLR 2022", "iclr 2019", "Acl 2021", ""]
ODD = ["", "\u2028", "\u2029", "\x85", "\v", "\f", "é", "`|`"]
WORDS = st.sampled_from(["Attention", "Linear", "Sparse", "Transformers", "Efficient", "Scaling"])


@st.composite
def rows(draw: st.DrawFn, number: int) -> list[str]:
    """One table row: one physical line, or split after its title (as the corpus has them)."""
    title = " ".join(draw(st.lists(WORDS, min_size=1, max_size=3)))
    title += draw(st.sampled_from(ODD))
    venue = draw(st.sampled_from(VENUES))
    month = draw(st.sampled_from([f"{2001 + number % 9}", f"{2001 + number % 9}", "2113"]))
    arxiv_id = f"{month}.0{number:04d}"  # 2113: no 13th month, a malformed ID
    link = f"[{arxiv_id}](https://arxiv.org/abs/{arxiv_id})"
    if draw(st.booleans()):
        tail = draw(st.sampled_from(["Model", "for Vision", "Revisited"]))
        return [f"| {title}", f" {tail} | {venue} | {link} |"]
    return [f"| {title} | {venue} | {link} |"]


@st.composite
def documents(draw: st.DrawFn) -> bytes:
    lines = ["# Papers", "", "| Title | Venue | Code |", "|---|---|---|"]
    for number in range(draw(st.integers(1, 5))):
        lines += draw(rows(number))
    style = draw(st.sampled_from(["lf", "crlf", "cr", "mixed"]))
    if style == "mixed":
        breaks = draw(st.lists(st.sampled_from(["\n", "\r\n", "\r"]), min_size=len(lines),
                               max_size=len(lines)))  # fmt: skip
    else:
        breaks = [{"lf": "\n", "crlf": "\r\n", "cr": "\r"}[style]] * len(lines)
    if draw(st.booleans()):
        breaks[-1] = ""  # no final newline
    text = "".join(line + brk for line, brk in zip(lines, breaks, strict=True))
    bom = "\ufeff" if draw(st.booleans()) else ""
    return (bom + text).encode("utf-8")
