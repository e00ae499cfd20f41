"""Property tests of the fix machinery over generated tables (generated_lists.py: split rows,
venues to fix inside them, LF/CRLF/CR and mixed line endings, a BOM, Unicode line separators
inside cells, no final newline). Checked with the real offline check (parse + offline rules) as
the re-check callback; test_cli_fix_property.py checks the same through the command.

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

from generated_lists import documents
from hypothesis import HealthCheck, given, settings

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
        diff = outcome.diff(("a/list.md", "b/list.md"))
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
