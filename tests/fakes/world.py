"""What the fake services know: papers, repositories, published venues and web pages.

A `World` is plain mutable data. The servers read it on every request, so a test may change it
between two runs of `paperlint` (or even between two requests). Fault switches live on the world
too; the counters among them (`*_times`) go down by one each time the fault is served.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
import unicodedata
import zlib
from dataclasses import dataclass, field

WITHDRAWN_NOTE = "This paper has been withdrawn by the authors."


def stable_int(text: str, low: int, span: int) -> int:
    return low + zlib.crc32(text.encode()) % span


@dataclass
class Paper:
    """One arXiv paper. `versions` counts every version, including a withdrawal.

    `published` is the v1 date (``YYYY-MM-DD`` or a full ISO timestamp); later versions are
    dated 40 days apart. When `withdrawn`, the latest version is the withdrawal: its comment is
    `withdrawn_comment` and its summary says the same, as arXiv shows it by default.
    """

    arxiv_id: str
    title: str
    versions: int = 1
    published: str = "2020-01-01"
    journal_ref: str | None = None
    comment: str | None = None
    withdrawn: bool = False
    authors: list[str] = field(default_factory=lambda: ["Jane Doe", "John Smith"])
    summary: str | None = None
    categories: list[str] = field(default_factory=lambda: ["cs.LG"])
    doi: str | None = None
    withdrawn_comment: str = WITHDRAWN_NOTE

    def version_date(self, version: int) -> dt.datetime:
        text = self.published
        if len(text) == 10:
            start = dt.datetime.fromisoformat(text + "T12:00:00+00:00")
        else:
            start = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        if start.tzinfo is None:
            start = start.replace(tzinfo=dt.timezone.utc)
        return start + dt.timedelta(days=40 * (version - 1), minutes=7 * (version - 1))

    def abstract(self, version: int) -> str:
        if self.withdrawn and version == self.versions:
            return self.withdrawn_comment
        if self.summary is not None:
            return self.summary
        return (
            f"We present {self.title}. This abstract was made up for the tests of paperlint; "
            "it has no hard line-wraps, like the answers of arXiv's new API backend."
        )

    def comment_for(self, version: int) -> str | None:
        if self.withdrawn and version == self.versions:
            return self.withdrawn_comment
        return self.comment


@dataclass
class Repo:
    """A GitHub repository. `moved_to` names the repository it was renamed or transferred to
    (the fakes create that one on the fly if the world does not hold it). A `private` repository
    answers exactly like a missing one (404 / NOT_FOUND), as it does for anyone without access.
    `dmca` blocks it (451 with GitHub's "Repository access blocked" body)."""

    full_name: str
    archived: bool = False
    moved_to: str | None = None
    private: bool = False
    id: int = 0
    disabled: bool = False
    dmca: bool = False
    stars: int = 0
    description: str | None = None
    pushed_at: str = "2024-05-02T10:11:12Z"
    archived_at: str | None = None

    def __post_init__(self) -> None:
        if not self.id:
            self.id = stable_int(self.full_name.lower(), 100_000_000, 800_000_000)

    @property
    def owner(self) -> str:
        return self.full_name.split("/", 1)[0]

    @property
    def name(self) -> str:
        return self.full_name.split("/", 1)[1]


@dataclass
class PublicationVenue:
    """Semantic Scholar's `publicationVenue` object."""

    id: str
    name: str
    type: str | None = "conference"
    alternate_names: list[str] = field(default_factory=list)
    url: str | None = None
    issn: str | None = None

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {"id": self.id, "name": self.name}
        if self.type is not None:
            out["type"] = self.type
        if self.alternate_names:
            out["alternate_names"] = list(self.alternate_names)
        if self.issn:
            out["issn"] = self.issn
        if self.url:
            out["url"] = self.url
        return out


# Venue objects as Semantic Scholar gives them. The ICLR and arXiv.org ids are the real ones seen
# in recorded answers; the others are made up in the same form.
S2_VENUES: dict[str, PublicationVenue] = {
    "arXiv.org": PublicationVenue(
        "1901e811-ee72-4b20-8f7e-de08cd395a10",
        "arXiv.org",
        None,
        ["ArXiv"],
        "https://arxiv.org",
        "2331-8422",
    ),
    "ICLR": PublicationVenue(
        "939c6e1d-0d17-4d6e-8a82-66d960df0e40",
        "International Conference on Learning Representations",
        "conference",
        ["Int Conf Learn Represent", "ICLR"],
        "https://iclr.cc/",
    ),
    "ICML": PublicationVenue(
        "fc0a208c-acb7-47dc-a0d4-af8190e21d29",
        "International Conference on Machine Learning",
        "conference",
        ["ICML", "Int Conf Mach Learn"],
        "https://icml.cc/",
    ),
    "NeurIPS": PublicationVenue(
        "d9720b90-d60b-48bc-9df8-87a30b9a60dd",
        "Neural Information Processing Systems",
        "conference",
        ["Neural Inf Process Syst", "NeurIPS", "NIPS"],
        "http://neurips.cc/",
    ),
    "AAAI": PublicationVenue(
        "bdc2e585-4e48-4e36-8af1-6d859763d405",
        "AAAI Conference on Artificial Intelligence",
        "conference",
        [
            "National Conference on Artificial Intelligence",
            "National Conf Artif Intell",
            "AAAI Conf Artif Intell",
            "AAAI",
        ],
        "http://www.aaai.org/",
    ),
    "EMNLP": PublicationVenue(
        "41bf9ed3-85b3-4c90-b015-150e31690253",
        "Conference on Empirical Methods in Natural Language Processing",
        "conference",
        [
            "Empir Method Nat Lang Process",
            "Empirical Methods in Natural Language Processing",
            "Conf Empir Method Nat Lang Process",
            "EMNLP",
        ],
        "https://www.aclweb.org/portal/emnlp",
    ),
    "ACL": PublicationVenue(
        "1e33b3be-b2ab-46e9-96e8-d4eb4bad6e44",
        "Annual Meeting of the Association for Computational Linguistics",
        "conference",
        [
            "Annu Meet Assoc Comput Linguistics",
            "Meeting of the Association for Computational Linguistics",
            "ACL",
            "Meet Assoc Comput Linguistics",
        ],
        "https://www.aclweb.org/anthology/venues/acl/",
    ),
    "WACV": PublicationVenue(
        "acd15673-e6c5-4cd7-9d2e-1ce0e4d6a5c4",
        "IEEE Workshop/Winter Conference on Applications of Computer Vision",
        "conference",
        ["WACV", "IEEE Work Conf Appl Comput Vis", "Workshop on Applications of Computer Vision"],
        "http://wacv2021.thecvf.com/",
    ),
    "NAACL": PublicationVenue(
        "3c5fa5d6-2a5d-4e0d-9b1c-6a1f4b8f2f10",
        "North American Chapter of the Association for Computational Linguistics",
        "conference",
        ["NAACL", "North Am Chapter Assoc Comput Linguistics"],
        "https://www.aclweb.org/portal/naacl",
    ),
    "CVPR": PublicationVenue(
        "768b87bd-8a20-4d16-8d3a-8e5f1e4c5f2b",
        "Computer Vision and Pattern Recognition",
        "conference",
        ["CVPR", "Comput Vis Pattern Recognit"],
        "https://cvpr.thecvf.com/",
    ),
    # Recorded (semanticscholar cassette, 2024-12): the journal "Findings" (findingspress.org), a
    # name S2 also attaches to papers of the ACL Findings track. It says nothing about ACL.
    "Findings": PublicationVenue(
        "479d5605-51be-4346-b1d6-4334084504df",
        "Findings",
        "journal",
        [],
        "https://findingspress.org/",
        "2652-8800",
    ),
}

# How Semantic Scholar names a paper of a conference's track (its `venue` string): a Findings paper
# is filed under the conference itself, or under the bare word "Findings"; a workshop paper under
# the workshop proceedings (recorded: "AAAI Workshops", "2023 IEEE/CVF International Conference on
# Computer Vision Workshops (ICCVW)", both with a null `publicationVenue`).
S2_WORKSHOPS: dict[str, str] = {
    "AAAI": "AAAI Workshops",
    "ICCV": "2023 IEEE/CVF International Conference on Computer Vision Workshops (ICCVW)",
    "CVPR": "2024 IEEE/CVF Conference on Computer Vision and Pattern Recognition Workshops (CVPRW)",
}

# How DBLP names a conference's tracks (its `venue` field, as in DBLP's own citations: "In
# NAACL-HLT (Findings), pp. ..."). Findings records sit in the conference's key stream
# (`conf/acl/...`) with "(Findings)"; the main track of ACL carries its volume, "ACL (1)";
# satellite events are "... Workshops" or the "@" shorthand ("Tiny Papers @ ICLR").
DBLP_TRACKS: dict[tuple[str, str], str] = {
    ("ACL", "main"): "ACL (1)",
    ("ACL", "findings"): "ACL (Findings)",
    ("EMNLP", "main"): "EMNLP",
    ("EMNLP", "findings"): "EMNLP (Findings)",
    ("NAACL", "main"): "NAACL-HLT (1)",
    ("NAACL", "findings"): "NAACL-HLT (Findings)",
    ("EACL", "findings"): "EACL (Findings)",
    ("CVPR", "main"): "CVPR",
    ("CVPR", "workshop"): "CVPR Workshops",
    ("ICCV", "workshop"): "ICCV (Workshops)",
    ("ICLR", "main"): "ICLR",
    ("ICLR", "tiny paper"): "Tiny Papers @ ICLR",
    ("NeurIPS", "main"): "NeurIPS",
}


@dataclass
class DblpHit:
    """One DBLP publication record. `title` is DBLP's (it ends with "."); `venue` is DBLP's
    abbreviation ("ICLR", "NeurIPS", "ACL (Findings)", "EMNLP (Findings)", "CoRR") or a list of
    them; `year` is kept as given and sent as a string."""

    title: str
    venue: str | list[str]
    year: int | str
    key: str
    authors: list[str] = field(default_factory=list)
    type: str = "Conference and Workshop Papers"
    volume: str | None = None
    number: str | None = None
    pages: str | None = None
    doi: str | None = None
    ee: str | None = None
    access: str = "open"

    @property
    def hit_id(self) -> int:
        return stable_int(self.key, 1_000_000, 9_000_000)


def corr_hit(arxiv_id: str, title: str, authors: list[str]) -> DblpHit:
    """The CoRR (arXiv) record DBLP keeps for a new-style arXiv preprint."""
    yymm, num = arxiv_id.split(".", 1)
    return DblpHit(
        title=title.rstrip(".") + ".",
        venue="CoRR",
        year=2000 + int(yymm[:2]),
        key=f"journals/corr/abs-{yymm}-{num}",
        authors=list(authors),
        type="Informal and Other Publications",
        volume=f"abs/{arxiv_id}",
        ee=f"https://arxiv.org/abs/{arxiv_id}",
    )


def track_hit(
    title: str, conference: str, track: str, year: int, authors: list[str] | None = None
) -> DblpHit:
    """A DBLP conference record of `conference`'s `track` ("main", "findings", "workshop", ...),
    named as DBLP names it (`DBLP_TRACKS`), keyed in the conference's stream."""
    people = list(authors or ["Jane Doe", "John Smith"])
    surname = "".join(ch for ch in fold(people[0].split()[-1]).title() if ch.isalpha()) or "X"
    stream = {"NeurIPS": "nips", "NAACL": "naacl"}.get(conference, conference.lower())
    # DBLP's key is surname + co-authors' initials + year; a title digest keeps made-up ones apart
    tag = f"{stable_int(title, 0, 26 * 26):03d}"
    return DblpHit(
        title=title.rstrip(".") + ".",
        venue=DBLP_TRACKS[(conference, track)],
        year=year,
        key=f"conf/{stream}/{surname}{year % 100:02d}-{tag}",
        authors=people,
    )


@dataclass
class Venue:
    """What Semantic Scholar and DBLP say about one arXiv paper.

    `s2_known=False` makes Semantic Scholar answer null for it. `s2_venue` is S2's `venue`
    string (full name; "" when unknown; "arXiv.org" for preprints). `publication_venue` is a
    `PublicationVenue`, a key of `S2_VENUES` ("ICLR", "ACL", ...) or any other name.
    `s2_year` is often the preprint's year, not the venue's. `journal` is S2's `journal`
    object (default ``{"name": "ArXiv", "volume": "abs/<id>"}``, which S2 gives even for
    conference papers). `dblp` lists the paper's DBLP records; None = the CoRR record only."""

    arxiv_id: str
    s2_venue: str | None = "arXiv.org"
    s2_year: int | None = None
    publication_venue: PublicationVenue | str | None = None
    dblp: list[DblpHit] | None = None
    s2_known: bool = True
    title: str | None = None
    journal: dict[str, str] | None = None
    publication_date: str | None = None
    publication_types: list[str] = field(default_factory=lambda: ["JournalArticle"])
    dblp_key: str | None = None
    doi: str | None = None

    def __post_init__(self) -> None:
        if self.s2_venue is None:
            self.s2_venue = ""  # S2 sends "" for an unknown venue
        if isinstance(self.publication_venue, str):
            known = S2_VENUES.get(self.publication_venue)
            if known is None:
                name = self.publication_venue
                known = PublicationVenue(hashlib.md5(name.encode()).hexdigest(), name)
            self.publication_venue = known

    @property
    def paper_id(self) -> str:
        return hashlib.sha1(("s2:" + self.arxiv_id).encode()).hexdigest()

    @property
    def corpus_id(self) -> int:
        return stable_int(self.arxiv_id, 200_000_000, 90_000_000)


@dataclass
class Page:
    """A plain web page of the fake web host, by path (a path with a query matches exactly first).

    `location` may hold placeholders `{web}` and `{canary}` (origins of the fake web server and of
    the canary server, which only records who reached it). `head_status` answers HEAD differently
    (405 for servers that refuse HEAD). The first `fail_times` requests get `fail_status` (503;
    429 for a rate limit), with `Retry-After: retry_after` when set; `retry_after` is also sent
    with a 429/503 `status`. `delay` seconds pass before the answer; `drop` closes the connection
    without any answer."""

    path: str
    status: int = 200
    location: str | None = None
    head_status: int | None = None
    fail_times: int = 0
    fail_status: int = 503
    retry_after: int | None = None
    delay: float = 0.0
    body: str | None = None
    content_type: str = "text/html; charset=utf-8"
    drop: bool = False
    hits: int = 0


@dataclass
class Capture:
    """A capture of `url` in the fake Wayback Machine, at `timestamp` (YYYYMMDDhhmmss), with the
    status the page answered then."""

    url: str
    timestamp: str
    status: int = 200


@dataclass
class GithubState:
    """The fake GitHub's rate-limit counters (requests used per credential class). They live in
    the world, so a fresh world starts with a full quota."""

    used: dict[str, int] = field(default_factory=dict)
    reset_at: int = field(default_factory=lambda: int(time.time()) + 3600)


def fold(text: str) -> str:
    """Lower case without diacritics: how the fakes compare names and titles."""
    norm = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in norm if not unicodedata.combining(ch)).lower()


@dataclass
class World:
    papers: dict[str, Paper] = field(default_factory=dict)
    repos: dict[str, Repo] = field(default_factory=dict)
    venues: dict[str, Venue] = field(default_factory=dict)
    pages: dict[str, Page] = field(default_factory=dict)
    latency: float = 0.0
    dblp_extra: list[DblpHit] = field(default_factory=list)

    # arXiv faults
    arxiv_rate_limited_times: int = 0  # 429 "Rate exceeded." (text/plain)
    arxiv_empty_times: int = 0  # 200 with zero entries (the new backend's suppressed errors)
    arxiv_unavailable_times: int = 0  # 503
    arxiv_links_without_rel: bool = False  # entry links without rel/type/title (Nov 2025)
    # GitHub faults and limits
    github_rate_limited: bool = False  # REST primary limit: x-ratelimit-remaining 0
    github_rate_limit_status: int = 403  # GitHub uses 403 or 429
    github_reset_in: int = 3600  # seconds until x-ratelimit-reset, when limited
    github_secondary_limited_times: int = 0  # 403 + Retry-After: 1 ("secondary rate limit")
    github_graphql_rate_limited: bool = False  # 200 with a RATE_LIMITED error, remaining 0
    github_unauthenticated_limit: int = 60  # REST requests without a token before the limit
    github_authenticated_limit: int = 5000
    # Semantic Scholar faults
    s2_429_times: int = 0
    s2_error_times: int = 0  # 500
    s2_api_keys: set[str] | None = None  # when set, another x-api-key gets 403
    # DBLP faults
    dblp_html_challenge: bool = False  # 500 text/html bot challenge (Anubis)
    dblp_429_times: int = 0
    dblp_retry_after: int = 1
    # the Wayback Machine: its captures, faults, and the (url, timestamp) of every question
    captures: list[Capture] = field(default_factory=list)
    wayback_429_times: int = 0
    wayback_retry_after: int = 1
    wayback_unavailable_times: int = 0
    wayback_asked: list[tuple[str, str | None]] = field(default_factory=list)
    # state kept by the fakes
    github_state: GithubState = field(default_factory=GithubState)

    @classmethod
    def of(
        cls, *items: Paper | Repo | Venue | Page | DblpHit | Capture, **options: object
    ) -> World:
        world = cls(**options)  # type: ignore[arg-type]
        world.add(*items)
        return world

    def add(self, *items: Paper | Repo | Venue | Page | DblpHit | Capture) -> World:
        for item in items:
            if isinstance(item, Paper):
                self.papers[item.arxiv_id] = item
            elif isinstance(item, Repo):
                self.repos[item.full_name] = item
            elif isinstance(item, Venue):
                self.venues[item.arxiv_id] = item
            elif isinstance(item, Page):
                self.pages[item.path] = item
            elif isinstance(item, DblpHit):
                self.dblp_extra.append(item)
            elif isinstance(item, Capture):
                self.captures.append(item)
            else:
                raise TypeError(f"cannot add {item!r} to a World")
        return self

    # Look-ups used by the servers -------------------------------------------------------------

    def paper(self, arxiv_id: str) -> Paper | None:
        found = self.papers.get(arxiv_id)
        if found is not None:
            return found
        return next((p for p in self.papers.values() if p.arxiv_id == arxiv_id), None)

    def repo(self, full_name: str) -> Repo | None:
        want = full_name.lower()
        return next((r for r in self.repos.values() if r.full_name.lower() == want), None)

    def repo_by_id(self, repo_id: int) -> Repo | None:
        found = next((r for r in self.repos.values() if r.id == repo_id), None)
        if found is not None:
            return found
        for r in self.repos.values():
            if r.moved_to and Repo(r.moved_to).id == repo_id:
                return self.resolve_repo(r.moved_to)
        return None

    def resolve_repo(self, full_name: str) -> Repo | None:
        """Follow renames; the target of a rename exists even when the world omits it."""
        repo = self.repo(full_name)
        for _ in range(10):
            if repo is None or not repo.moved_to:
                return repo
            target = self.repo(repo.moved_to)
            repo = target if target is not None else Repo(repo.moved_to)
        return repo

    def venue(self, arxiv_id: str) -> Venue | None:
        """The venue record of a paper; papers without one are arXiv-only preprints."""
        found = self.venues.get(arxiv_id)
        if found is None:
            found = next((v for v in self.venues.values() if v.arxiv_id == arxiv_id), None)
        if found is not None:
            return found
        paper = self.paper(arxiv_id)
        if paper is None:
            return None
        return Venue(arxiv_id)

    def dblp_hits(self) -> list[DblpHit]:
        hits: list[DblpHit] = []
        seen: set[str] = set()
        ids = list(dict.fromkeys([*self.venues, *(p.arxiv_id for p in self.papers.values())]))
        for arxiv_id in ids:
            venue = self.venue(arxiv_id)
            if venue is None:
                continue
            records = venue.dblp
            if records is None:
                paper = self.paper(arxiv_id)
                records = []
                if paper is not None and "." in arxiv_id and "/" not in arxiv_id:
                    records = [corr_hit(arxiv_id, paper.title, paper.authors)]
            for hit in records:
                if hit.key not in seen:
                    seen.add(hit.key)
                    hits.append(hit)
        for hit in self.dblp_extra:
            if hit.key not in seen:
                seen.add(hit.key)
                hits.append(hit)
        return hits
