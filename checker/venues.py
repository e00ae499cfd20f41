"""The canonical venue table: names, the aliases lists use, and how to read `Venue YEAR`.

A venue is written canonically as `NAME YEAR` (`NeurIPS 2020`, `Findings of ACL 2022`). Forms in
`accepted` are other correct spellings (the full name, `NIPS` before the 2018 rename) and are not
reported; every other alias, case or spacing variant is, with the canonical form as the fix.

Tracks are part of the venue, never dropped: Findings is a venue of its own (`ACL 2025 Findings`
and `ACL23 (Findings)` are `Findings of ACL 2025` / `2023`); a workshop, tiny paper, demo or
similar satellite event is not the main conference and is left alone; oral, spotlight and poster
are labels of the main track, kept as written and never part of the venue's span.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property


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
    _findings("AACL", "AACL"),
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

# `ICLR 2022`, `ICLR-2022`, `ICLR2022`, `ICLR'22`, `CVPR' 19`, `CVPR' 2026`, and in a cell of its
# own `ACL23`
_APOSTROPHE_YEAR = r"['’] ?(?:(?P<y4a>(?:19|20)\d{2})|(?P<y2>\d{2}))"
_CELL_YEAR = (
    rf"(?:[\s-]*+(?P<y4>(?:19|20)\d{{2}})|\s*+{_APOSTROPHE_YEAR}|(?P<y2b>\d{{2}}))(?!\d)"
)
# `ACL 2025 Findings`, `EMNLP 2023 (Findings)`, `ACL23 [Findings]`: the Findings track, after
_FINDINGS_AFTER = re.compile(
    r"[\s,-]*+(?:\(\s*+findings\s*+\)|\[\s*+findings\s*+\]|findings\b)", re.I
)
# Satellite events of a conference: not its main track, so never compared with it. `@` is
# DBLP's and the lists' shorthand (`Tiny Papers @ ICLR`, `ENLSP@NeurIPS 2023`).
_SIDE_WORDS = (
    r"workshops?|tiny[\s-]*+papers?|demos?|demonstrations?|student research|srw|tutorials?|"
    r"extended abstracts?|doctoral|datasets?\s*+(?:and|&)\s*+benchmarks?|d&b|blog\s*+posts?|"
    r"industry|companion"
)
SIDE_TRACK = re.compile(rf"\b(?:{_SIDE_WORDS})\b|(?<=\w)\s*+@\s*+(?=[A-Za-z])", re.I)


# A record's volume `(1)`, year and Findings mark, at its end. A match starts only where a run of
# spaces starts (`(?<!\s)`): tried inside the run, it would read the rest of the run again.
_RECORD_PART = re.compile(r"(?<!\s)\s*+\(\d++\)\s*+$")
_RECORD_YEAR = re.compile(r"(?<!\s)\s++(?:19|20)\d{2}$")
_RECORD_FINDINGS = re.compile(r"(?<!\s)\s*+\(\s*+findings\s*+\)\Z", re.I)


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


@dataclass(frozen=True)
class VenueRef:
    """A venue as written, read against the table.

    `written` spans the name, the year and a Findings mark, never a label such as `(Oral)`: a fix
    rewrites that span only, so the label stays as the author wrote it.
    """

    venue: Venue
    written: str  # the matched text: name, year, and a Findings mark written after them
    name_written: str
    year: int | None
    start: int
    end: int
    findings_after: Venue | None = None  # `ACL 2025 Findings`: the conference written first
    side_track: str | None = None  # `Workshop`, `Tiny Paper`, …: a satellite event, left alone

    @property
    def canonical(self) -> str:
        return f"{self.venue.name} {self.year}" if self.year else self.venue.name

    @property
    def track_after_only(self) -> bool:
        """`ACL 2025 Findings`: right but for where the track stands (a house style, not a slip)."""
        base = self.findings_after
        if base is None or self.year is None:
            return False
        named = self.name_written == base.name or self.name_written in base.accepted
        return named and self.written.startswith(f"{self.name_written} {self.year}")

    @property
    def is_canonical(self) -> bool:
        if self.findings_after:
            return False
        name_ok = self.name_written == self.venue.name or self.name_written in self.venue.accepted
        until = self.venue.accepted_until.get(self.name_written)
        if until is not None and self.year is not None:
            name_ok = self.year <= until
        year_ok = self.year is None or self.written.endswith(f"{self.name_written} {self.year}")
        return name_ok and year_ok

    @property
    def suggestion(self) -> str:
        if self.findings_after:
            return self.canonical
        until = self.venue.accepted_until.get(self.name_written)
        if until is not None and self.year is not None and self.year <= until:
            return f"{self.name_written} {self.year}"
        if self.name_written in self.venue.accepted and self.year:
            return f"{self.name_written} {self.year}"
        return self.canonical


@dataclass(frozen=True)
class Spotted:
    """A venue found in free text: its name and year, together or apart."""

    start: int  # where it starts in the text searched
    written: str  # the text from there through its last part
    parts: tuple[tuple[int, int], ...]  # (offset in `written`, length) of each part, name first

    @property
    def text(self) -> str:
        """The venue read as one: its parts joined by a space (`ICCV 2021`)."""
        return " ".join(self.written[at : at + n] for at, n in self.parts)


_AFTER_SIDE_TRACK = re.compile(rf"\s*+(?:[(\[]\s*+)?(?:{_SIDE_WORDS})\b", re.I)


def _by_side_track(text: str, m: re.Match[str]) -> bool:
    """A workshop or other satellite event named in the venue's clause, before it (`Workshop
    at ICML, 2021`) or right after (`ICCV, 2021 Workshop`): not the conference."""
    clause = re.split(r"[.;|]\s|\n\n", text[max(0, m.start() - 200) : m.start()])[-1]
    return bool(SIDE_TRACK.search(clause) or _AFTER_SIDE_TRACK.match(text, m.end()))


def _apart(m: re.Match[str]) -> Spotted:
    """A venue whose name and year were matched apart, in either order."""
    start = min(m.start("name"), m.start("year"))
    end = max(m.end("name"), m.end("year"))
    parts = tuple((m.start(g) - start, m.end(g) - m.start(g)) for g in ("name", "year"))
    return Spotted(start, m.string[start:end], parts)


class VenueTable:
    def __init__(self, extra: Iterable[Venue] = ()) -> None:
        self.venues = tuple(extra) + DEFAULT_VENUES
        self.by_key: dict[str, Venue] = {}
        self.by_name: dict[str, Venue] = {}
        self._parsed: dict[str, VenueRef | None] = {}
        self._records: dict[str, Venue | None] = {}
        names: list[str] = []
        for venue in self.venues:
            self.by_name.setdefault(venue.name, venue)
            for form in (venue.name, *venue.aliases, *venue.accepted, *venue.accepted_until):
                self.by_key.setdefault(_key(form), venue)
                names.append(form)
        names.sort(key=len, reverse=True)
        # what a name can start with: a search skips every other character without trying the
        # alternation of every name there (a long run of dashes or spaces, a CJK paragraph)
        starts = "".join(sorted({re.escape(n[0].lower()) for n in names if n}))
        # The patterns below are compiled when first used: each is an alternation of every
        # name, a hundredth of a second to compile, and a run needs only some of them.
        self._alternation = "|".join(
            r"[\s-]*+".join(re.escape(part) for part in re.split(r"[\s-]+", n)) for n in names
        )
        self._starts = starts
        self._forms = frozenset(names)

    @cached_property
    def name_re(self) -> re.Pattern[str]:
        return re.compile(rf"(?<![A-Za-z])(?P<name>{self._alternation})(?![A-Za-z])", re.I)

    @cached_property
    def with_year_re(self) -> re.Pattern[str]:
        return re.compile(
            rf"(?<![A-Za-z])(?P<name>{self._alternation})(?![A-Za-z]){_CELL_YEAR}", re.I
        )

    # In running text only `NAME YEAR` or `NAME'YY` counts: "CoNLL-2003" names a dataset. A
    # track written right after it belongs to the venue (`ACL 2023 Findings`). Every run of
    # spaces is read once (`*+` never gives back): a venue followed by a long run of them would
    # otherwise be tried at every split of the run between two `\s*`.
    @cached_property
    def in_text_re(self) -> re.Pattern[str]:
        return re.compile(
            rf"(?<![A-Za-z])(?=[{self._starts}])(?P<name>{self._alternation})"
            rf"(?: (?P<y4>(?:19|20)\d{{2}})|{_APOSTROPHE_YEAR})(?![\w-])"
            rf"(?:\s*+(?:[(\[]\s*+)?(?:findings|{_SIDE_WORDS})\b\s*+[)\]]?)?",
            re.I,
        )

    # A venue whose year is written apart from it (see `spot`). Each run of spaces is read once,
    # and what may stand before a year in parentheses is bounded.
    @cached_property
    def _year_after_re(self) -> re.Pattern[str]:
        return re.compile(
            rf"(?<![A-Za-z])(?=[{self._starts}])(?P<name>{self._alternation})"
            r"(?:\s*+,|\s*+(?P<open>\())\s*+(?P<year>(?:19|20)\d{2})(?![\w-])(?P<close>\s*+\))?",
            re.I,
        )

    @cached_property
    def _year_in_parens_re(self) -> re.Pattern[str]:
        return re.compile(
            r"(?P<open>\()[^()|\n]{0,24}?(?<![\w.])(?P<year>(?:19|20)\d{2})\s*+\|\s*+"
            rf"(?P<name>{self._alternation})(?P<close>\s*+\))",
            re.I,
        )

    @cached_property
    def _year_prefix_re(self) -> re.Pattern[str]:
        return re.compile(
            r"\s*+(?P<open>)(?P<year>(?:19|20)\d{2})\s*+-\s*+"
            rf"(?P<name>{self._alternation})(?![A-Za-z])(?P<close>)(?=\s*+[-–—:|]\s)",
            re.I,
        )

    def lookup(self, name: str) -> Venue | None:
        return self.by_key.get(_key(name))

    def findings_of(self, venue: Venue) -> Venue | None:
        """`Findings of ACL` for ACL; None for a venue without a Findings track."""
        if venue.name.startswith("Findings of "):
            return venue
        return self.by_name.get(f"Findings of {venue.name}")

    def lookup_record(self, name: str) -> Venue | None:
        """A venue as a database names it: `ACL (1)`, `EMNLP/IJCNLP (1)`, `ACL (Findings)`.

        DBLP writes the Findings track as `ACL (Findings)`, `NAACL-HLT (Findings)`,
        `ACL/IJCNLP (Findings)`; satellite events as `CVPR Workshops`, `ICCV (Workshops)`,
        `Tiny Papers @ ICLR`, which are not the conference: None.
        """
        try:
            return self._records[name]
        except KeyError:  # the databases name a few venues many times: each is read once
            venue = self._records[name] = self._lookup_record(name)
            return venue

    def _lookup_record(self, name: str) -> Venue | None:
        name = _RECORD_PART.sub("", name.strip())
        name = _RECORD_YEAR.sub("", name)
        findings = _RECORD_FINDINGS.search(name)
        if findings and name[: findings.start()].strip():
            base = self.lookup_record(name[: findings.start()])
            return self.findings_of(base) if base is not None else None
        if SIDE_TRACK.search(name):
            return None
        return self.lookup(name) or (self.lookup(name.split("/")[0]) if "/" in name else None)

    def parse(self, text: str) -> VenueRef | None:
        """Read a venue cell: the venue must open it (`ICLR 2022 (Oral)` → ICLR, 2022)."""
        try:
            return self._parsed[text]
        except KeyError:  # a list writes a few venues many times: each is read once
            ref = self._parsed[text] = self._parse(text)
            return ref

    def _parse(self, text: str) -> VenueRef | None:
        stripped = text.lstrip(" [(*_")
        offset = len(text) - len(stripped)
        m = self.with_year_re.match(stripped) or self.name_re.match(stripped)
        if not m:
            return None
        ref = self._ref(m, offset)
        if ref is None:
            return None
        after = _FINDINGS_AFTER.match(stripped, m.end())
        if after and not ref.venue.name.startswith("Findings of "):
            findings = self.findings_of(ref.venue)
            if findings is None:
                return replace(ref, side_track="Findings")  # no such track: leave it alone
            ref = replace(
                ref,
                venue=findings,
                written=stripped[m.start() : after.end()],
                end=offset + after.end(),
                findings_after=ref.venue,
            )
        side = SIDE_TRACK.search(text)
        if side:
            ref = replace(ref, side_track=side.group(0))
        return ref

    def search(self, text: str) -> str | None:
        """The first `Venue YEAR` in free text, as written (`NAACL 2019`, `[ICLR 2025]`), with a
        track written after it (`ACL 2023 Findings`, `NeurIPS 2023 Workshop`). A satellite event
        named before it (`Workshop at NeurIPS 2023`) is given from that word on."""
        span = self._with_year(text)
        return None if span is None else text[span[0] : span[1]]

    def _with_year(self, text: str) -> tuple[int, int] | None:
        for m in self.in_text_re.finditer(text):
            before = text[m.start() - 1] if m.start() else " "
            if before not in " [(,;*_":
                continue
            clause = re.split(r"[.;|]\s|\n\n", text[: m.start()])[-1]
            side = SIDE_TRACK.search(clause)
            start = m.start() if side is None else m.start() - len(clause) + side.start()
            written = text[start : m.end()]
            start += len(written) - len(written.lstrip())
            return start, start + len(written.strip())
        return None

    def spot(self, text: str, prefix: bool = False) -> Spotted | None:
        """The first venue in free text: `Venue YEAR` as `search` finds it, or a venue whose year
        is written apart: `ICCV, 2021`, `NeurIPS (2023)`, `(Jan., 2024 | ICLR)`, and with
        `prefix` (the text is an entry's own, from its start) `2017-ICLR - Title`. A venue named
        apart from its year is read only where its name could not be a person's: `Chi, 2021` is
        an author's name."""
        found: list[Spotted] = []
        span = self._with_year(text)
        if span is not None:
            found.append(Spotted(span[0], text[span[0] : span[1]], ((0, span[1] - span[0]),)))
        for pattern in (self._year_after_re, self._year_in_parens_re):
            for m in pattern.finditer(text):
                if m.group("open") and not m.group("close"):
                    continue
                if self._as_written(m.group("name")) and not _by_side_track(text, m):
                    found.append(_apart(m))
                    break
        if prefix:
            lead = self._year_prefix_re.match(text)
            if lead and self._as_written(lead.group("name")) and not _by_side_track(text, lead):
                found.append(_apart(lead))
        return min(found, key=lambda s: s.start, default=None)

    def _as_written(self, name: str) -> bool:
        """A name as the table writes it, in capitals, or too long to be a person's (`Neurips`
        is read, `Chi` and `Acl` are not)."""
        return name in self._forms or (name.isupper() and len(name) >= 3) or len(name) >= 5

    def _ref(self, m: re.Match[str], offset: int) -> VenueRef | None:
        name = m.group("name")
        venue = self.lookup(name)
        if venue is None:
            return None
        year: int | None = None
        groups = m.groupdict()
        if groups.get("y4") or groups.get("y4a"):
            year = int(groups.get("y4") or groups["y4a"])
        elif groups.get("y2") or groups.get("y2b"):
            year = 2000 + int(groups.get("y2") or groups["y2b"])
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
            raise ValueError(f"venues.{name!r} must be a list of alias strings")
        out.append(Venue(name, aliases=tuple(aliases)))
    return out
