"""How many offline findings fire on real lists, per rule and file: the raw material of a precision
review. Every error and warning it prints should be read as that list's maintainer would; the
verdicts are pinned in tests/test_corpus_rules.py.

    python bench/precision.py                 # the 15 corpus lists (../shared, else tests/data)
    python bench/precision.py --show error    # also print each error (or: warning, info)
    python bench/precision.py a.md b.md       # other lists
"""

from __future__ import annotations

import argparse
import collections
import sys
from pathlib import Path

from checker.config import Options
from checker.engine import finish, offline_findings
from checker.model import Finding
from checker.parse import parse_text
from checker.sources import read_markdown
from checker.venues import VenueTable

HERE = Path(__file__).resolve().parent.parent
CORPORA = (HERE.parent / "shared" / "data" / "corpus", HERE / "tests" / "data" / "corpus")


def corpus() -> list[Path]:
    for folder in CORPORA:
        files = sorted(p for p in folder.glob("*.md") if p.name != "NOTES.md")
        if files:
            return files
    return []


def findings_of(path: Path) -> list[Finding]:
    options = Options(paths=[str(path)], offline=True, no_cache=True)
    table = VenueTable()
    doc = parse_text(path.name, read_markdown(str(path)), table)
    return finish(offline_findings([doc], options, table), [doc], options)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--show", choices=("error", "warning", "info"), action="append")
    args = parser.parse_args(argv)
    paths = args.paths or corpus()
    if not paths:
        print("no lists found", file=sys.stderr)
        return 2
    totals: collections.Counter[tuple[str, str]] = collections.Counter()
    rows = []
    for path in paths:
        found = findings_of(path)
        counts = collections.Counter((f.rule, f.severity.value) for f in found)
        totals.update(counts)
        rows.append((path.name.split("__")[0], counts))
        for f in found:
            if args.show and f.severity.value in args.show:
                print(f"  {path.name}:{f.line}:{f.column}: {f.severity.value} {f.rule} {f.message}")
    columns = sorted(totals, key=lambda k: (-"info warning error".index(k[1]), k[0]))
    head = ["file", *(f"{rule} ({sev[0].upper()})" for rule, sev in columns)]
    widths = [max(len(h), 6) for h in head]
    widths[0] = max(len(name) for name, _ in rows) + 1
    print("  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)))
    for name, counts in [*rows, ("TOTAL", totals)]:
        cells = [name, *(str(counts.get(k, 0) or "·") for k in columns)]
        print("  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
