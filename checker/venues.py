"""The canonical venue table: names, the aliases lists use, and how to read `Venue YEAR`.

A venue is written canonically as `NAME YEAR` (`NeurIPS 2020`, `Findings of ACL 2022`). Forms in
`accepted` are other correct spellings (the full name, `NIPS` before the 2018 rename) and are not
reported; every other alias, case or spacing variant is, with the canonical form as the fix.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Venue:
    name: str
    aliases: tuple[str, ...] = ()
    accepted: tuple[str, ...] = ()
    accepted_until: Mapping[str, int] = field(default_factory=dict)  # alias → last year it is right


def _findings(short: str, full: str) -> Venue:
    return Venue(
        f"Findings of {short}",
        aliases=(
            f"{short} Findings",
            f"Findings-{short}",
            f"{short}-Findings",
            f"{short} (Findings)",
            f"Findings of the {short}",
            f"Findings {short}",
        ),
        accepted=(f"Findings of the Association for Computational Linguistics: {short}",)
        if short != full
        else (),
    )


DEFAULT_VENUES: tuple[Venue, ...] = (
    Venue(
        "NeurIPS",
        aliases=("NIPS", "Neural Information Processing Systems"),
        accepted=(
            "Advances in Neural Information Processing Systems",
            "Neural Information Processing Systems",
        ),
        accepted_until={"NIPS": 2017},
    ),
    Venue("ICLR", accepted=("International Conference on Learning Representations",)),
    Venue("ICML", accepted=("International Conference on Machine Learning",)),
    _findings("ACL", "ACL"),
    _findings("EMNLP", "EMNLP"),
    _findings("NAACL", "NAACL"),
    _findings("EACL", "EACL"),
    Venue(
        "ACL",
        accepted=(
            "Annual Meeting of the Association for Computational Linguistics",
            "ACL/IJCNLP",
            "COLING-ACL",
            "COLING/ACL",
        ),
    ),
    Venue(
        "EMNLP",
        accepted=(
            "Conference on Empirical Methods in Natural Language Processing",
            "EMNLP/IJCNLP",
            "EMNLP-IJCNLP",
        ),
    ),
    Venue(
        "NAACL",
        aliases=("NAACL-HLT",),
        accepted=(
            "NAACL-HLT",
            "North American Chapter of the Association for Computational Linguistics",
        ),
    ),
    Venue("EACL"),
    Venue("AACL", aliases=("AACL-IJCNLP",), accepted=("AACL-IJCNLP",)),
    Venue("COLING", accepted=("International Conference on Computational Linguistics",)),
    Venue(
        "TACL",
        accepted=(
            "Transactions of the Association for Computational Linguistics",
            "Trans. Assoc. Comput. Linguistics",
        ),
    ),
    Venue("LREC", aliases=("LREC-COLING",), accepted=("LREC-COLING",)),
    Venue("CoNLL"),
    Venue(
        "CVPR",
        accepted=(
            "Computer Vision and Pattern Recognition",
            "IEEE/CVF Conference on Computer Vision and Pattern Recognition",
        ),
    ),
    Venue(
        "ICCV",
        accepted=(
            "IEEE International Conference on Computer Vision",
            "International Conference on Computer Vision",
        ),
    ),
    Venue("ECCV", accepted=("European Conference on Computer Vision",)),
    Venue(
        "WACV",
        accepted=(
            "IEEE Workshop/Winter Conference on Applications of Computer Vision",
            "Winter Conference on Applications of Computer Vision",
        ),
    ),
    Venue("BMVC"),
    Venue("3DV"),
    Venue("MICCAI"),
    Venue("AAAI", accepted=("AAAI Conference on Artificial Intelligence",)),
    Venue("IJCAI", accepted=("International Joint Conference on Artificial Intelligence",)),
    Venue("KDD", aliases=("SIGKDD",), accepted=("SIGKDD", "Knowledge Discovery and Data Mining")),
    Venue("WWW", aliases=("TheWebConf",), accepted=("TheWebConf", "The Web Conference")),
    Venue("SIGIR"),
    Venue("WSDM"),
    Venue("CIKM"),
    Venue("ICDM"),
    Venue(
        "TMLR", accepted=("Transactions on Machine Learning Research", "Trans. Mach. Learn. Res.")
    ),
    Venue("JMLR", accepted=("Journal of Machine Learning Research", "J. Mach. Learn. Res.")),
    Venue(
        "TPAMI",
        aliases=("T-PAMI", "IEEE TPAMI", "IEEE T-PAMI"),
        accepted=(
            "IEEE TPAMI",
            "IEEE Transactions on Pattern Analysis and Machine Intelligence",
            "IEEE Trans. Pattern Anal. Mach. Intell.",
        ),
    ),
    Venue("COLM", accepted=("Conference on Language Modeling",)),
    Venue("MLSys"),
    Venue("UAI"),
    Venue("AISTATS"),
    Venue("CoRL"),
    Venue("ICRA"),
    Venue("IROS"),
    Venue("ICASSP"),
    Venue("Interspeech", accepted=("INTERSPEECH",)),
    Venue("ACM MM", aliases=("ACMMM", "ACM Multimedia"), accepted=("ACM Multimedia",)),
    Venue("OSDI"),
    Venue("SOSP"),
    Venue("NSDI"),
    Venue("EuroSys"),
    Venue("ASPLOS"),
    Venue("ISCA"),
    Venue("HPCA"),
    Venue("PPoPP"),
    Venue("USENIX ATC", aliases=("ATC",), accepted=("ATC",)),
    Venue("DAC"),
    Venue("ICDE"),
    Venue("VLDB", aliases=("PVLDB",), accepted=("PVLDB",)),
    Venue("SIGMOD"),
    Venue("ICSE"),
    Venue("FSE", aliases=("ESEC/FSE",), accepted=("ESEC/FSE",)),
    Venue("ASE"),
    Venue("ISSTA"),
    Venue("PLDI"),
    Venue("CHI"),
)

_YEAR = r"(?:[\s-]*(?P<y4>(?:19|20)\d{2})|\s*['’](?P<y2>\d{2}))(?!\d)"


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


@dataclass(frozen=True)
class VenueRef:
    """A venue as written, read against the table."""

    venue: Venue
    written: str  # the matched text, name and year
    name_written: str
    year: int | None
    start: int
    end: int

    @property
    def canonical(self) -> str:
        return f"{self.venue.name} {self.year}" if self.year else self.venue.name

    @property
    def is_canonical(self) -> bool:
        name_ok = self.name_written == self.venue.name or self.name_written in self.venue.accepted
        until = self.venue.accepted_until.get(self.name_written)
        if until is not None and self.year is not None:
            name_ok = self.year <= until
        year_ok = self.year is None or self.written.endswith(f"{self.name_written} {self.year}")
        return name_ok and year_ok

    @property
    def suggestion(self) -> str:
        until = self.venue.accepted_until.get(self.name_written)
        if until is not None and self.year is not None and self.year <= until:
            return f"{self.name_written} {self.year}"
        if self.name_written in self.venue.accepted and self.year:
            return f"{self.name_written} {self.year}"
        return self.canonical


class VenueTable:
    def __init__(self, extra: Iterable[Venue] = ()) -> None:
        self.venues = tuple(extra) + DEFAULT_VENUES
        self.by_key: dict[str, Venue] = {}
        names: list[str] = []
        for venue in self.venues:
            for form in (venue.name, *venue.aliases, *venue.accepted, *venue.accepted_until):
                self.by_key.setdefault(_key(form), venue)
                names.append(form)
        names.sort(key=len, reverse=True)
        alternation = "|".join(
            r"[\s-]*".join(re.escape(part) for part in re.split(r"[\s-]+", n)) for n in names
        )
        self.name_re = re.compile(rf"(?<![A-Za-z])(?P<name>{alternation})(?![A-Za-z])", re.I)
        self.with_year_re = re.compile(
            rf"(?<![A-Za-z])(?P<name>{alternation})(?![A-Za-z]){_YEAR}", re.I
        )
        # In running text only `NAME YEAR` or `NAME'YY` counts: "CoNLL-2003" names a dataset.
        self.in_text_re = re.compile(
            rf"(?<![A-Za-z])(?P<name>{alternation})"
            r"(?: (?P<y4>(?:19|20)\d{2})|['’](?P<y2>\d{2}))(?![\w-])",
            re.I,
        )

    def lookup(self, name: str) -> Venue | None:
        return self.by_key.get(_key(name))

    def lookup_record(self, name: str) -> Venue | None:
        """A venue as a database names it: `ACL (1)`, `EMNLP/IJCNLP (1)`, `ECCV (12)`."""
        name = re.sub(r"\s*\(\d+\)\s*$", "", name.strip())
        return self.lookup(name) or (self.lookup(name.split("/")[0]) if "/" in name else None)

    def parse(self, text: str) -> VenueRef | None:
        """Read a venue cell: the venue must open it (`ICLR 2022 (Oral)` → ICLR, 2022)."""
        stripped = text.lstrip(" [(*_")
        offset = len(text) - len(stripped)
        m = self.with_year_re.match(stripped) or self.name_re.match(stripped)
        if not m:
            return None
        return self._ref(m, offset)

    def search(self, text: str) -> str | None:
        """The first `Venue YEAR` in free text, as written (`NAACL 2019`, `[ICLR 2025]`)."""
        for m in self.in_text_re.finditer(text):
            before = text[m.start() - 1] if m.start() else " "
            if before in " [(,;*_":
                return m.group(0).strip()
        return None

    def _ref(self, m: re.Match[str], offset: int) -> VenueRef | None:
        name = m.group("name")
        venue = self.lookup(name)
        if venue is None:
            return None
        year: int | None = None
        groups = m.groupdict()
        if groups.get("y4"):
            year = int(groups["y4"])
        elif groups.get("y2"):
            year = 2000 + int(groups["y2"])
        return VenueRef(
            venue=venue,
            written=m.group(0),
            name_written=name,
            year=year,
            start=offset + m.start(),
            end=offset + m.end(),
        )


def venues_from_config(table: Mapping[str, object]) -> list[Venue]:
    """`[tool.paperlint.venues]` `"MyConf" = ["MYCONF", "My Conf"]`: more names and aliases."""
    out = []
    for name, aliases in table.items():
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise ValueError(f"venues.{name} must be a list of alias strings")
        out.append(Venue(name, aliases=tuple(aliases)))
    return out
