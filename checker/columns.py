"""The headers that say which column of a table holds what: the parse reads the columns by them
(parse/cells.py), and the glance before it whether a list has a venue column at all
(verify/early.py), which must not load the parser to know."""

import re

# Which column holds what, from the header (read without markup, lower-cased). A paper title
# comes from a title column, else a paper column; a name column holds a model's, method's or
# benchmark's name (`BLOOMZ`, `HumanEval`), which is not the paper's title. In the corpus:
# BradyFU `Name | Paper`, Hannibal046 `keywords | Paper` (RWKV, DPO), codefuse-ai `Benchmark`
# and `Keyword`, model and method tables elsewhere.
TITLE_HEADERS = ("title", "paper title", "title & authors", "title and authors")
PAPER_HEADERS = ("paper", "papers", "paper name")
NAME_HEADERS = (
    "name",
    "model",
    "models",
    "model name",
    "method",
    "methods",
    "method name",
    "attack",
    "attacks",
    "benchmark",
    "benchmarks",
    "dataset",
    "datasets",
    "keyword",
    "keywords",
)
VENUE_HEADERS = (
    "pub",
    "pub.",
    "venue",
    "venues",
    "conference",
    "conf",
    "conf.",
    "publication",
    "published",
    "published in",
    "journal",
    "where",
)
# A year of its own beside the venue (`| CVPR | 2019 |`): read with it as one venue
YEAR_HEADERS = ("year", "years", "pub. year", "pub year", "publication year")


def header_key(text: str) -> str:
    """A header as the names above are written: without markup, lower-cased."""
    return re.sub(r"\s+", " ", re.sub(r"[*_`:]", "", text)).strip().lower()
