"""Parse time of the corpus files (the largest is about 1 MB): best of N runs, per file.

python bench/parse_bench.py [--repeat 5] [FILE ...]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from checker.parse import parse_text
from checker.sources import read_markdown

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent / "tests" / "data" / "corpus"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    files = args.files or sorted(CORPUS.glob("*.md"), key=lambda p: p.stat().st_size, reverse=True)
    if not files:
        print(f"no files given and no corpus at {CORPUS}", file=sys.stderr)
        return 2
    print(f"{'file':58} {'KB':>7} {'entries':>8} {'best s':>8} {'MB/s':>6}")
    for path in files:
        text = read_markdown(str(path))
        best = float("inf")
        doc = None
        for _ in range(args.repeat):
            start = time.perf_counter()
            doc = parse_text(str(path), text)
            best = min(best, time.perf_counter() - start)
        assert doc is not None
        size = len(text.encode()) / 1024
        print(
            f"{path.name[:58]:58} {size:7.0f} {len(doc.entries):8d} {best:8.3f} "
            f"{size / 1024 / best:6.2f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
