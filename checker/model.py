"""The records that flow through paperlint: parse → plan → fetch → judge → report.

All are frozen dataclasses so that a rule can never change what another rule sees, with slots:
a long list holds a hundred thousand links and entries, and a slot takes less room than a dict.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]


class LinkKind(str, enum.Enum):
    ARXIV = "arxiv"  # a link to an arXiv paper (abs, pdf or html page)
    ARXIV_MALFORMED = "arxiv-malformed"  # on arxiv.org/abs|pdf but not a valid identifier
    GITHUB = "github"  # a repository or a path inside one
    ANCHOR = "anchor"  # #fragment within the same document
    WEB = "web"  # any other http(s) link
    OTHER = "other"  # mailto:, relative paths, …: not checked


_NOT_HTTP = frozenset((LinkKind.ANCHOR, LinkKind.OTHER))


@dataclass(frozen=True, slots=True)
class Link:
    url: str
    text: str
    line: int
    column: int
    kind: LinkKind
    arxiv_id: str | None = None  # version-less, e.g. "2106.09685" or "hep-th/9711200"
    arxiv_version: int | None = None
    repo: str | None = None  # "owner/name" as written
    image: str | None = None  # the source of an image the link wraps (a badge), as written
    # an arXiv ID written as text (`arXiv:2106.09685`, the DOI `10.48550/arXiv.…`) beside an
    # entry's links: checked as its link would be, but no link (`url` is its abs page)
    in_text: bool = False

    @property
    def is_http(self) -> bool:
        return not self.in_text and self.kind not in _NOT_HTTP


@dataclass(frozen=True, slots=True)
class Field:
    """A piece of an entry's text (its title or venue) and where it stands.

    A venue written in two places (`| ICLR | 2022 |` in Venue and Year columns, `ICCV, 2021`,
    `2017-ICLR - Title`) is read as one: `text` is its parts' texts joined by a space, name
    first, and it stands where its first part does. Each part keeps its own place, so that a
    fix to the joined text edits the one part it changes (see `edit`)."""

    text: str
    line: int
    column: int
    parts: tuple[Field, ...] = ()

    def edit(
        self, start: int, old: str, new: str, applicability: Applicability | None = None
    ) -> Fix | None:
        """The Fix that turns `old`, at offset `start` of `text`, into `new` where it is written;
        None when the change spans two parts of a joined field (no one edit makes it)."""
        how = applicability or Applicability.SAFE
        if not self.parts:
            return Fix(self.line, old, new, self.column + start, how)
        if self.text[start : start + len(old)] != old:
            return None
        keep = 0  # the change is old[keep:len(old) - tail] → new[keep:len(new) - tail]
        while keep < min(len(old), len(new)) and old[keep] == new[keep]:
            keep += 1
        tail = 0
        while tail < min(len(old), len(new)) - keep and old[-1 - tail] == new[-1 - tail]:
            tail += 1
        first, last = start + keep, start + len(old) - tail  # the changed span of `text`
        offset = 0
        for part in self.parts:
            end = offset + len(part.text)
            if offset <= first and last <= end:
                written = part.text
                changed = new[keep : len(new) - tail]
                fixed = written[: first - offset] + changed + written[last - offset :]
                return Fix(part.line, written, fixed, part.column, how)
            offset = end + 1  # the space that joins two parts
        return None


@dataclass(frozen=True, slots=True)
class Entry:
    """One paper: a table row, a list item, or a paragraph that carries links."""

    line: int
    end_line: int
    section: tuple[str, ...]
    links: tuple[Link, ...]
    title: Field | None = None
    venue: Field | None = None
    has_venue_slot: bool = False  # a venue column exists, even if this cell is empty
    # the venue cell when it is empty, as written between its pipes (`text`: its spaces) and
    # where it starts: a fix fills it (venue-missing)
    venue_slot: Field | None = None
    # a model's or method's name (a `Model`/`Method`/`Name` column, `**BLOOMZ**: "Title"`): not a
    # title, so it is looked for in arXiv's title and abstract rather than compared with the title
    name: Field | None = None
    is_row: bool = False  # a table row (Markdown or HTML): it lists one thing, a model or a paper

    @property
    def arxiv_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(lk.arxiv_id for lk in self.links if lk.arxiv_id))

    @property
    def primary_arxiv(self) -> Link | None:
        for lk in self.links:
            if lk.kind is LinkKind.ARXIV:
                return lk
        return None

    @property
    def repos(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(lk.repo for lk in self.links if lk.repo))


@dataclass(frozen=True, slots=True)
class Heading:
    text: str
    level: int
    line: int
    slug: str


@dataclass(frozen=True, slots=True)
class ShapeProblem:
    """A table row whose cell count differs from its header's."""

    line: int
    expected: int
    found: int
    end_line: int | None = None  # set when the row is split across lines line..end_line
    old: str | None = None  # the raw text of the split row
    joined: str | None = None  # the row written on one line
    column: int = 1  # where the first cell GitHub drops begins
    dropped: tuple[str, ...] = ()  # the text of the cells GitHub drops (past the header's width)
    # a row whose cells stand one column off, a pipe missing (1: each holds what the column after
    # its own holds) or doubled (-1: what the column before holds); `shifted` gives, for each
    # column read so, the kind of value it holds and the column it stands under instead
    shift: int = 0
    shifted: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class LinkSyntax:
    """A link written so that it renders as text or points nowhere (`link-syntax`)."""

    kind: str  # "empty" `[x]()`, "reversed" `(x)[url]`, "space" `[x] (url)`
    line: int
    column: int  # where the link's text starts
    text: str  # the link's text
    old: str | None = None  # what the fix replaces, as written at (line, fix_column)
    new: str | None = None
    fix_column: int | None = None


@dataclass(frozen=True, slots=True)
class Document:
    path: str
    text: str
    lines: tuple[str, ...]
    entries: tuple[Entry, ...]
    links: tuple[Link, ...]
    headings: tuple[Heading, ...]
    anchors: frozenset[str]  # lower-cased fragment targets: heading slugs and HTML ids/names
    shape_problems: tuple[ShapeProblem, ...] = ()
    link_syntax: tuple[LinkSyntax, ...] = ()


class Applicability(str, enum.Enum):
    """Whether `--fix` may apply a fix on its own (ruff's convention).

    A safe fix keeps what the list says and only writes it right (a typo, a canonical venue, a
    moved repository's or a redirect's new address, a joined row). An unsafe fix changes what
    the list says (another arXiv ID, an archived copy instead of the page, another venue): it is
    reported, and applied only with `--unsafe-fixes`."""

    SAFE = "safe"
    UNSAFE = "unsafe"


@dataclass(frozen=True, slots=True)
class Fix:
    """Replace `old` by `new`, starting the search at 1-based `line` (old may span lines)."""

    line: int
    old: str
    new: str
    column: int | None = None  # 1-based column of `old` on its line, where known exactly
    applicability: Applicability = Applicability.SAFE

    @property
    def safe(self) -> bool:
        return self.applicability is Applicability.SAFE


@dataclass(frozen=True, slots=True)
class NightlyState:
    """Where a failing target stands in the nightly history (`--nightly`)."""

    state: str  # "new" (confirmed since the last report) | "still" | "suspect" (not confirmed)
    since: str  # ISO-8601 time of the first failure in this run of failures
    runs: int  # failures in a row, this run included


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    severity: Severity
    file: str
    line: int
    column: int
    message: str
    url: str | None = None
    fix: Fix | None = None
    nightly: NightlyState | None = None

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.file, self.line, self.column, self.rule)

    @property
    def suspect(self) -> bool:
        """Failed once: shown, but not counted, annotated or failing the run until confirmed."""
        return self.nightly is not None and self.nightly.state == "suspect"


@dataclass
class Summary:
    files: int = 0
    entries: int = 0
    links: int = 0
    arxiv_ids: int = 0
    repos: int = 0
    errors: int = 0
    warnings: int = 0
    infos: int = 0
    unverified: int = 0
    duration_s: float = 0.0


@dataclass(frozen=True)
class Applied:
    """A fix `--fix` applied: the finding it answers (its message is the evidence) and the paper
    it is about, where known. What a pull request's body lists."""

    finding: Finding
    entry: str | None = None


@dataclass(frozen=True)
class Recovered:
    """A target that failed on the previous nightly run and is fine now."""

    rule: str
    file: str
    line: int
    url: str | None
    since: str  # when it first failed


@dataclass(frozen=True)
class NightlyRun:
    """One point of the nightly chart."""

    at: str
    broken: int  # confirmed failing targets
    unverified: int
    suspects: int = 0


@dataclass
class NightlyReport:
    """What a `--nightly` run adds to the report: history, not findings."""

    confirm_after: int
    at: str
    baseline: bool = False  # no history was found: every failure starts as a suspect
    runs: list[NightlyRun] = field(default_factory=list)  # oldest first, this run last
    # failing targets that an outage kept from being asked this run: kept as they were
    held: list[Recovered] = field(default_factory=list)
    # with --fix: the fixes it applied to the files (of confirmed findings only)
    fixed: list[Applied] = field(default_factory=list)


@dataclass(frozen=True)
class ChangedScope:
    """What a `--changed-since` run checked: the entries that touch a line differing from REF."""

    ref: str  # as given on the command line
    entries: int  # entries checked, of `Summary.entries` in the files
    files: tuple[str, ...]  # the files, as shown


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    summary: Summary = field(default_factory=Summary)
    problems: list[str] = field(default_factory=list)  # files that could not be read
    requests: dict[str, int] = field(default_factory=dict)  # sent per service (benchmarks)
    recovered: list[Recovered] = field(default_factory=list)  # --nightly only
    nightly: NightlyReport | None = None  # --nightly only
    changed: ChangedScope | None = None  # --changed-since only
    # the title (or name) of the entry standing at (file, line), for the lines that findings and
    # recovered targets point at: a report names the paper, not only its line
    titles: dict[tuple[str, int], str] = field(default_factory=dict)

    def title_at(self, file: str, line: int) -> str | None:
        return self.titles.get((file, line))

    @property
    def counted(self) -> list[Finding]:
        """The findings that count: in the summary, the exit status and annotations."""
        return [f for f in self.findings if not f.suspect]
