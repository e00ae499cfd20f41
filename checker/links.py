"""Classify a URL: arXiv paper, GitHub repository, in-document anchor, or other web link.

The patterns are a table, not branches, so that a new arXiv or GitHub URL form is one line.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from checker.model import LinkKind

# Archives that used the old `archive/YYMMNNN` scheme (before April 2007).
OLD_ARCHIVES = frozenset(
    [
        "acc-phys",
        "adap-org",
        "alg-geom",
        "ao-sci",
        "astro-ph",
        "atom-ph",
        "bayes-an",
        "chao-dyn",
        "chem-ph",
        "cmp-lg",
        "comp-gas",
        "cond-mat",
        "cs",
        "dg-ga",
        "funct-an",
        "gr-qc",
        "hep-ex",
        "hep-lat",
        "hep-ph",
        "hep-th",
        "math",
        "math-ph",
        "mtrl-th",
        "nlin",
        "nucl-ex",
        "nucl-th",
        "patt-sol",
        "physics",
        "plasm-ph",
        "q-alg",
        "q-bio",
        "quant-ph",
        "solv-int",
        "supr-con",
    ]
)

NEW_ID = r"(?P<new>\d{4}\.\d{4,5})"
OLD_ID = r"(?P<old>[a-z][a-z-]*(?:\.[A-Za-z]{2})?/\d{7})"
VERSION = r"(?:v(?P<version>\d+))?"
ARXIV_HOSTS = {"arxiv.org", "www.arxiv.org", "export.arxiv.org"}
# An HTML paper's figures and sections sit below its ID: /html/2402.17764v1/x1.png.
ARXIV_PATH = re.compile(
    rf"^/(?:abs|pdf|format|(?P<html>html))/(?:{NEW_ID}|{OLD_ID}){VERSION}(?:\.pdf)?"
    r"(?(html)(?:/.*)?|/?)$"
)
ARXIV_PAPER_PATH = re.compile(r"^/(?:abs|pdf|html)/")
ARXIV_ID = re.compile(rf"(?:{NEW_ID}|{OLD_ID}){VERSION}")

# Other sites' pages of an arXiv paper, under its ID: each is checked through the arXiv API like
# an arXiv link, never fetched (host → its path with the ID as `id`). The DOI prefix 10.48550 is
# arXiv's own (DOIs are case-insensitive).
ARXIV_MIRRORS: tuple[tuple[frozenset[str], re.Pattern[str], str], ...] = (
    (
        frozenset(("huggingface.co", "www.huggingface.co", "hf.co")),
        re.compile(r"^/papers/(?P<id>[^/]+)/?$"),
        "hf",
    ),
    (
        frozenset(("alphaxiv.org", "www.alphaxiv.org")),
        re.compile(r"^/abs/(?P<id>[^/]+)/?$"),
        "alphaxiv",
    ),
    (
        frozenset(("doi.org", "dx.doi.org", "www.doi.org")),
        re.compile(r"^/10\.48550/arxiv\.(?P<id>.+?)/?$", re.IGNORECASE),
        "doi",
    ),
)
# What a mirror's path holds where an ID should be and is not one: a typo (`2106.9685`), not
# another of the site's pages (`/papers/trending`).
_ID_LIKE = re.compile(r"[\d.v]+|[a-z-]+(?:\.[A-Za-z]{2})?/[\d.v]+", re.IGNORECASE)
_SLASHES = re.compile(r"//+")

# An arXiv ID a list writes as text beside an entry's links: `arXiv:2106.09685`, `arXiv
# 2106.09685v2`, `arXiv: hep-th/9711200`, or the DOI arXiv gives each paper,
# `10.48550/arXiv.2106.09685`. Never part of a word or a URL (`?other=arxiv:…`), nor followed by
# more digits. A match starts only where a run of word characters does, and the look-ahead reads
# no further than that run: one pass over the text.
WRITTEN_ARXIV_ID = re.compile(
    r"(?<![\w./=?&-])(?:arxiv(?::\s*+|\s++)|10\.48550/arxiv\.)"
    r"(?:(?P<new>\d{4}\.\d{4,5})|(?P<old>[a-z][a-z-]*+(?:\.[a-z]{2})?/\d{7}))"
    r"(?:v(?P<version>\d+))?"
    r"(?![\w.]*\d)",
    re.IGNORECASE,
)

# In text: "arXiv:2106.09685", "arXiv 2106.09685v2", or a bare new-style ID. An old-style ID
# starts where its run of letters and dashes starts (`(?<![\w.-])`): tried at every dash of a
# long run of them, each try would read the rest of the run again.
TEXT_ARXIV_ID = re.compile(
    r"(?<![\w.])(?:arxiv[:\s]\s*+)?"
    r"(?P<id>\d{4}\.\d{4,5}|(?<![\w.-])[a-z-]++/\d{7})(?:v\d+)?(?![\w.]*\d)",
    re.IGNORECASE,
)

GITHUB_HOSTS = {"github.com", "www.github.com"}
GITHUB_NAME = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$")
REPO_NAME = re.compile(r"^[A-Za-z0-9._-]{1,100}$")
# github.com/<first segment> pages that are not owners.
GITHUB_RESERVED = frozenset(
    [
        "about",
        "advisories",
        "apps",
        "resources",
        "solutions",
        "user-attachments",
        "collections",
        "contact",
        "customer-stories",
        "enterprise",
        "events",
        "explore",
        "features",
        "issues",
        "login",
        "marketplace",
        "new",
        "notifications",
        "orgs",
        "organizations",
        "pricing",
        "pulls",
        "search",
        "security",
        "settings",
        "site",
        "sponsors",
        "topics",
        "trending",
        "users",
        "readme",
        "codespaces",
        "copilot",
        "team",
        "join",
    ]
)


@dataclass(frozen=True, slots=True)
class Classified:
    kind: LinkKind
    arxiv_id: str | None = None
    arxiv_version: int | None = None
    repo: str | None = None


def valid_new_id(ident: str) -> bool:
    """New-style IDs started in 0704; five-digit numbers from 1501 on."""
    yymm, number = ident.split(".")
    mm = int(yymm[2:])
    if not 1 <= mm <= 12 or int(yymm) < 704:
        return False
    five = int(yymm) >= 1501
    return len(number) == (5 if five else 4)


def valid_old_id(ident: str) -> bool:
    archive, number = ident.split("/")
    archive = archive.split(".")[0]
    yy, mm = int(number[:2]), int(number[2:4])
    in_range = yy >= 91 or yy <= 7
    return archive in OLD_ARCHIVES and 1 <= mm <= 12 and in_range


# The URL patterns' own ID forms, so an ID checked alone is read exactly as in a link.
_NEW_ID = re.compile(NEW_ID)
_OLD_ID = re.compile(OLD_ID)


def valid_arxiv_id(ident: str) -> bool:
    """True for `YYMM.NNNN[N]` or `archive/YYMMNNN`, without a version: an ID on its own, where
    no URL pattern has said yet which form it is."""
    if _NEW_ID.fullmatch(ident):
        return valid_new_id(ident)
    if _OLD_ID.fullmatch(ident):
        return valid_old_id(ident)
    return False


def canonical_old_id(ident: str) -> str:
    """The API knows old IDs without their sub-archive: `math.GT/0309136` → `math/0309136`."""
    archive, number = ident.split("/")
    return f"{archive.split('.')[0]}/{number}"


# Nearly every link in a list is `https://host/plain/path`: for that shape urlsplit's reading is
# known (the scheme, the host in lower case, the path as written), and one match gives it.
_PLAIN_URL = re.compile(
    r"(?P<scheme>https?)://(?P<host>[A-Za-z0-9.-]+)(?P<path>/[\w.~/-]*)?", re.ASCII
)


def split_url(url: str) -> tuple[str, str | None, str] | None:
    """(scheme, host name, path) as urlsplit reads them, scheme and host in lower case; None
    when urlsplit refuses the URL."""
    m = _PLAIN_URL.fullmatch(url)
    if m:
        return m["scheme"], m["host"].lower(), m["path"] or ""
    try:
        parts = urlsplit(url)
        return parts.scheme.lower(), parts.hostname, parts.path
    except ValueError:
        return None


def classify(url: str) -> Classified:
    if url.startswith("#"):
        return Classified(LinkKind.ANCHOR)
    split = split_url(url)
    if split is None:
        return Classified(LinkKind.OTHER)
    scheme, host, path = split
    if scheme not in ("http", "https") or not host:
        return Classified(LinkKind.OTHER)
    if host in ARXIV_HOSTS:
        path = _SLASHES.sub("/", path)  # `abs//2106.09685`: a slip of the pen (link-syntax)
        if ARXIV_PAPER_PATH.match(path):
            return _classify_arxiv(path)
    for hosts, pattern, _ in ARXIV_MIRRORS:
        if host in hosts:
            m = pattern.match(_SLASHES.sub("/", unquote(path)))
            if m:
                return _classify_id(m.group("id"))
    if host in GITHUB_HOSTS:
        repo = github_repo(path)
        if repo:
            return Classified(LinkKind.GITHUB, repo=repo)
    return Classified(LinkKind.WEB)


def _classify_arxiv(path: str) -> Classified:
    m = ARXIV_PATH.match(unquote(path))
    return arxiv_id_of(m) if m else Classified(LinkKind.ARXIV_MALFORMED)


def _classify_id(written: str) -> Classified:
    """An ID as a mirror's path writes it: arXiv's, a typo of one (malformed), or another page."""
    m = ARXIV_ID.fullmatch(written)
    if m is None:
        return Classified(LinkKind.ARXIV_MALFORMED if _ID_LIKE.fullmatch(written) else LinkKind.WEB)
    return arxiv_id_of(m)


def arxiv_id_of(m: re.Match[str]) -> Classified:
    """A match of an ID form (groups `new` or `old`, and `version`), its dates checked."""
    ident = m.group("new") or m.group("old")
    # The pattern has matched the ID and says which form it is: only its dates are left to check.
    if not (valid_new_id(ident) if m.group("new") else valid_old_id(ident)):
        return Classified(LinkKind.ARXIV_MALFORMED)
    version = int(m.group("version")) if m.group("version") else None
    if m.group("old"):
        ident = canonical_old_id(ident)  # the API answers math/0309136, not math.GT/0309136
    return Classified(LinkKind.ARXIV, arxiv_id=ident, arxiv_version=version)


def written_arxiv_id(url: str) -> str:
    """The part of an arXiv (or mirror) URL that should be the ID, as written: for messages."""
    split = split_url(url)
    if split is None:
        return url
    host, path = split[1], split[2]
    for hosts, pattern, _ in ARXIV_MIRRORS:
        m = pattern.match(_SLASHES.sub("/", path)) if host in hosts else None
        if m:
            return m.group("id")
    parts = path.lstrip("/").split("/", 1)
    return parts[1].lstrip("/") if len(parts) == 2 and parts[1].strip("/") else path


def arxiv_page(url: str) -> str | None:
    """Which page of an arXiv paper a URL is: `abs`, `pdf`, `html`, `figure` (an image or a
    section below an HTML paper: /html/ID/x1.png), `hf`, `alphaxiv`, `doi`; None for none."""
    split = split_url(url)
    if split is None or not split[1]:
        return None
    host, path = split[1], _SLASHES.sub("/", split[2])
    if host in ARXIV_HOSTS:
        m = ARXIV_PATH.match(unquote(path))
        if m is None:
            return None
        page = path.split("/")[1]
        if page == "html" and path.rstrip("/").count("/") > 2:
            return "figure"
        return "abs" if page == "format" else page
    for hosts, pattern, name in ARXIV_MIRRORS:
        if host in hosts and pattern.match(unquote(path)):
            return name
    return None


def doubled_slash(url: str) -> str | None:
    """The URL with the doubled slashes of its path made single (`arxiv.org/abs//2106.09685`),
    or None when its path has none."""
    split = split_url(url)
    if split is None or "//" not in split[2]:
        return None
    scheme_host = url.find("//") + 2
    at = url.find(split[2][:1] or "/", scheme_host)  # where the path starts, as written
    path_end = len(url)
    for stop in "?#":
        found = url.find(stop, at)
        if found >= 0:
            path_end = min(path_end, found)
    return url[:at] + _SLASHES.sub("/", url[at:path_end]) + url[path_end:]


def github_repo(path: str) -> str | None:
    segments = [s for s in path.split("/") if s]
    if len(segments) < 2:
        return None
    owner, name = segments[0], segments[1]
    if name.endswith(".git"):
        name = name[:-4]
    if owner.lower() in GITHUB_RESERVED or not GITHUB_NAME.match(owner):
        return None
    if not REPO_NAME.match(name) or name in (".", ".."):
        return None
    return f"{owner}/{name}"


# Badge services whose GitHub badges name a repository in their path: `img.shields.io/github/
# stars/OWNER/REPO.svg`, `badgen.net/github/forks/OWNER/REPO`. Per kind of badge, how many path
# segments follow `github` before the owner (`languages/top/OWNER/REPO`, `v/release/…`).
BADGE_HOSTS = frozenset(("img.shields.io", "shields.io", "badgen.net", "flat.badgen.net"))
_BADGE_KINDS = {
    "stars": 1,
    "forks": 1,
    "watchers": 1,
    "issues": 1,
    "issues-pr": 1,
    "issues-closed": 1,
    "last-commit": 1,
    "license": 1,
    "contributors": 1,
    "release": 1,
    "tag": 1,
    "downloads": 1,
    "repo-size": 1,
    "languages": 2,
    "commit-activity": 2,
    "v": 2,
}
_IMAGE_SUFFIX = re.compile(r"\.(?:svg|png|json)$", re.IGNORECASE)


def badge_repo(image: str) -> str | None:
    """The repository a GitHub badge's image names (`owner/name` as written), if it is one."""
    split = split_url(image)
    if split is None or split[1] not in BADGE_HOSTS:
        return None
    parts = [p for p in split[2].split("/") if p]
    skip = _BADGE_KINDS.get(parts[1]) if len(parts) > 1 and parts[0] == "github" else None
    if skip is None or len(parts) < skip + 3:
        return None
    owner, name = parts[1 + skip], _IMAGE_SUFFIX.sub("", parts[2 + skip])
    return github_repo(f"/{owner}/{name}")


def badge_arxiv_id(image: str) -> str | None:
    """The arXiv ID a static badge shows (`img.shields.io/badge/arXiv-2106.09685-b31b1b`)."""
    split = split_url(image)
    if split is None or split[1] not in BADGE_HOSTS or not split[2].startswith("/badge/"):
        return None
    label = unquote(split[2][len("/badge/") :])
    if "arxiv" not in label.lower():
        return None
    m = TEXT_ARXIV_ID.search(label)
    return m.group("id") if m else None


def private_host(url: str) -> bool:
    """True when the URL names a loopback, private, link-local or unspecified host by itself."""
    split = split_url(url)
    # Lower-cased again: split_url's host is lower case only up to a `%` (urlsplit keeps a zone
    # ID's case), and `foo%2E.LOCALHOST` names localhost too.
    host = (split[1] or "").lower().rstrip(".") if split else ""
    if not host:
        return False
    if host == "localhost" or host.endswith(".localhost"):
        return True
    if ":" in host:  # only an IPv6 address has colons
        try:
            return not_public(ipaddress.ip_address(host))
        except ValueError:
            return False
    # inet_aton reads every IPv4 form, the plain dotted quad too; a name is none of them.
    address = _legacy_ipv4(host)
    return address is not None and not_public(address)


# Browsers read `0177.0.0.1`, `0x7f.1` and `2130706433` as 127.0.0.1 (WHATWG URL: octal, hex,
# fewer than four parts); ipaddress does not, so these are read as inet_aton reads them.
_LEGACY_IPV4 = re.compile(r"(?:0x[0-9a-f]*|\d+)(?:\.(?:0x[0-9a-f]*|\d+)){0,3}")


def _legacy_ipv4(host: str) -> ipaddress.IPv4Address | None:
    if not _LEGACY_IPV4.fullmatch(host):
        return None
    # A bare `0x` part is 0 to a browser (`http://0x/` is 0.0.0.0); inet_aton refuses it.
    host = ".".join("0" if part == "0x" else part for part in host.split("."))
    import socket  # a run without such a host never loads it

    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        return None


def not_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Anything but a globally routable unicast address (shared 100.64/10 and site-local too)."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = (
            address.ipv4_mapped
            or address.sixtofour
            or (address.teredo[1] if address.teredo else None)
        )
        if embedded is not None:
            address = embedded
    return (
        not address.is_global
        or (isinstance(address, ipaddress.IPv6Address) and address.is_site_local)
        or address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_unspecified
        or address.is_reserved
        or address.is_multicast
    )
