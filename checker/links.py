"""Classify a URL: arXiv paper, GitHub repository, in-document anchor, or other web link.

The patterns are a table, not branches, so that a new arXiv or GitHub URL form is one line.
"""

from __future__ import annotations

import ipaddress
import re
import socket
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
    if host in ARXIV_HOSTS and ARXIV_PAPER_PATH.match(path):
        return _classify_arxiv(path)
    if host in GITHUB_HOSTS:
        repo = github_repo(path)
        if repo:
            return Classified(LinkKind.GITHUB, repo=repo)
    return Classified(LinkKind.WEB)


def _classify_arxiv(path: str) -> Classified:
    m = ARXIV_PATH.match(unquote(path))
    if not m:
        return Classified(LinkKind.ARXIV_MALFORMED)
    ident = m.group("new") or m.group("old")
    # ARXIV_PATH has matched the ID and says which form it is: only its dates are left to check.
    if not (valid_new_id(ident) if m.group("new") else valid_old_id(ident)):
        return Classified(LinkKind.ARXIV_MALFORMED)
    version = int(m.group("version")) if m.group("version") else None
    if m.group("old"):
        ident = canonical_old_id(ident)  # the API answers math/0309136, not math.GT/0309136
    return Classified(LinkKind.ARXIV, arxiv_id=ident, arxiv_version=version)


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
