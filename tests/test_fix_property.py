"""Property tests of the fix machinery over generated tables: split rows, venues to fix inside
them, LF/CRLF/CR and mixed line endings, a BOM, Unicode line separators inside cells, no final
newline. Checked with the real offline check (parse + offline rules) as the re-check callback.

- what fix_text reports left is what a fresh check of its result finds;
- a second fix changes nothing, and nothing fixable is left;
- line endings are kept (a join removes one; nothing turns into another kind);
- the diff applies with `git apply` and gives exactly the bytes write() puts on disk.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.config import Options
from checker.engine import offline_findings
from checker.fix import apply_fix_list, fix_file, fix_text
from checker.model import Finding
from checker.parse import parse_text
from checker.sources import read_source
from checker.venues import VenueTable

OPTIONS = Options()
TABLE = VenueTable(OPTIONS.venues)


def check(text: str) -> list[Finding]:
    return list(offline_findings([parse_text("list.md", text, TABLE)], OPTIONS, TABLE))


VENUES = ["ICML 2020", "Neurips 2020", "neurips 2021", "ICLR 2022", "iclr 2019", "Acl 2021", ""]
ODD = ["", "\u2028", "\u2029", "\x85", "\v", "\f", "é", "`|`"]
WORDS = st.sampled_from(["Attention", "Linear", "Sparse", "Transformers", "Efficient", "Scaling"])


@st.composite
def rows(draw: st.DrawFn, number: int) -> list[str]:
    """One table row: one physical line, or split after its title (as the corpus has them)."""
    title = " ".join(draw(st.lists(WORDS, min_size=1, max_size=3)))
    title += draw(st.sampled_from(ODD))
    venue = draw(st.sampled_from(VENUES))
    arxiv_id = f"{2001 + number % 9}.0{number:04d}"
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


def _breaks(text: str) -> Counter[str]:
    return Counter(re.findall(r"\r\n|\r|\n", text))


@settings(max_examples=100, deadline=None)
@given(documents())
def test_fix_text_leaves_nothing_fixable_and_reports_the_truth(data: bytes) -> None:
    text = data.decode("utf-8").removeprefix("\ufeff")
    result = fix_text(text, check)
    fresh = check(result.after)
    assert result.remaining == fresh
    assert apply_fix_list(result.after, (f.fix for f in fresh if f.fix))[1] == []
    again = fix_text(result.after, check)
    assert again.after == result.after and again.applied == ()
    before, after = _breaks(text), _breaks(result.after)
    assert all(after[kind] <= before[kind] for kind in after)
    # the rows the parser could not join stay as they were; everything else is fixed
    assert not [f for f in fresh if f.fix is not None and f.rule == "table-shape"]


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_the_diff_applies_and_equals_what_is_written(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "fixed").mkdir()
        (root / "work").mkdir()
        fixed = root / "fixed" / "list.md"
        fixed.write_bytes(data)
        (root / "work" / "list.md").write_bytes(data)
        outcome = fix_file(str(fixed), read_source(str(fixed)).text, check)
        diff = outcome.diff().replace(f"/{fixed}", "/list.md")
        outcome.write()
        if not outcome.changed:
            assert diff == "" and fixed.read_bytes() == data
            return
        (root / "fix.diff").write_bytes(diff.encode("utf-8"))
        done = subprocess.run(
            ["git", "apply", str(root / "fix.diff")],
            cwd=root / "work",
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert (root / "work" / "list.md").read_bytes() == fixed.read_bytes()
