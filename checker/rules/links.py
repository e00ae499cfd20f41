"""Links: text that contradicts its target, private addresses (offline); liveness (online)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from checker.links import (
    TEXT_ARXIV_ID,
    badge_arxiv_id,
    badge_repo,
    classify,
    doubled_slash,
    github_repo,
    private_host,
)
from checker.model import Document, Finding, Fix, Link, LinkKind, LinkSyntax, Severity
from checker.rules import finding, shorten

if TYPE_CHECKING:  # the services, for annotations only: an offline run never loads them
    from checker.evidence import Evidence

_OWNER_REPO = re.compile(r"^(?:https?://(?:www\.)?github\.com/)?([\w.-]+)/([\w.-]+?)/?$")


def link_text_mismatch(doc: Document) -> Iterator[Finding]:
    for link in doc.links:
        if link.image is not None and not link.text:
            message, severity = _badge_mismatch(link)
        elif not link.text or link.text == link.url or link.in_text:
            continue  # a bare URL (or an ID written as text) names just what it links to
        else:
            message = _arxiv_text_mismatch(link)
            severity = None
            if message is None:
                message, severity = _github_text_mismatch(link)
        if message:
            yield finding(
                "link-text-mismatch",
                doc.path,
                link.line,
                link.column,
                message,
                url=link.url,
                severity=severity,
            )


def _arxiv_text_mismatch(link: Link) -> str | None:
    if link.kind is not LinkKind.ARXIV or not link.text:
        return None
    named = classify(link.text).arxiv_id if link.text.startswith("http") else None
    if named is None:
        m = TEXT_ARXIV_ID.search(link.text)
        named = m.group("id") if m else None
    if named and named != link.arxiv_id:
        return f"link text names arXiv {named} but the link points to {link.arxiv_id}"
    return None


def _github_text_mismatch(link: Link) -> tuple[str | None, Severity | None]:
    if link.kind is not LinkKind.GITHUB or not link.repo or not link.text:
        return None, None
    m = _OWNER_REPO.match(link.text.strip())
    if not m:
        return None, None
    named = github_repo(f"/{m.group(1)}/{m.group(2)}")
    if named is None:
        return None, None
    # Only a text that names the same owner or the whole URL is a claim about the target;
    # "Paper/Code" is a label, not a repository.
    claims = link.text.strip().startswith("http")
    return _other_repo(f"link text names {named}", named, link.repo, claims)


def _other_repo(
    said: str, named: str, target: str, claims: bool
) -> tuple[str | None, Severity | None]:
    """`said` (naming `named`) about a link to `target`: the same repository, an organisation's
    nickname for it (info), or another repository (error) when the naming is a claim about the
    target (`claims`, or the same owner)."""
    owner, name = named.lower().split("/")
    target_owner, target_name = target.lower().split("/")
    if (owner, name) == (target_owner, target_name):
        return None, None
    if name == target_name:
        # `facebook/fairseq` for pytorch/fairseq or facebookresearch/fairseq: the organisation's
        # nickname on the same repository name is a label, not a wrong link.
        return (
            f"{said} but the link points to {target} "
            "(the same repository name under another owner)",
            Severity.INFO,
        )
    if claims or owner == target_owner:
        return f"{said} but the link points to {target}", None
    return None, None


def _badge_mismatch(link: Link) -> tuple[str | None, Severity | None]:
    """A badge names what it shows in its image's URL: a GitHub badge its repository (copied
    from another entry with the link changed, or the other way round), an arXiv badge its ID."""
    assert link.image is not None
    if link.kind is LinkKind.GITHUB and link.repo:
        named = badge_repo(link.image)
        if named is not None:
            return _other_repo(f"the badge shows {named}", named, link.repo, claims=True)
    if link.kind is LinkKind.ARXIV and link.arxiv_id:
        ident = badge_arxiv_id(link.image)
        if ident is not None and ident != link.arxiv_id:
            return f"the badge shows arXiv {ident} but the link points to {link.arxiv_id}", None
    return None, None


def link_syntax(doc: Document) -> Iterator[Finding]:
    """Links that render as text or point nowhere; and arXiv URLs with a doubled slash."""
    for p in doc.link_syntax:
        yield _syntax_finding(doc.path, p)
    for link in doc.links:
        if link.in_text or link.kind is not LinkKind.ARXIV:
            continue  # a malformed one has more wrong with it than its slashes (a URL inside it)
        fixed = doubled_slash(link.url)
        if fixed is not None:
            yield finding(
                "link-syntax",
                doc.path,
                link.line,
                link.column,
                f"the URL has a doubled slash: {fixed}",
                url=link.url,
                fix=Fix(link.line, link.url, fixed, link.column),
                severity=Severity.WARNING,
            )


def _syntax_finding(path: str, p: LinkSyntax) -> Finding:
    fix = None
    if p.old is not None and p.new is not None:
        fix = Fix(p.line, p.old, p.new, p.fix_column)
    shown = shorten(p.text)
    if p.kind == "empty":
        message = f"link '{shown}' has an empty target: it points nowhere"
        return finding("link-syntax", path, p.line, p.column, message)
    if p.kind == "reversed":
        message = (
            f"'({shown})[…]' has its brackets reversed and renders as text: "
            f"write '[{shown}](…)'"
        )
    else:
        message = (
            f"a space between '[{shown}]' and '(…)' breaks the link: GitHub shows the brackets"
            " and the bare URL"
        )
    return finding(
        "link-syntax", path, p.line, p.column, message, fix=fix, severity=Severity.WARNING
    )


def link_private(doc: Document) -> Iterator[Finding]:
    for link in doc.links:
        if link.is_http and private_host(link.url):
            yield finding(
                "link-private",
                doc.path,
                link.line,
                link.column,
                f"link points at a loopback, private or link-local address: {link.url}",
                url=link.url,
            )


def web_findings(doc: Document, ev: Evidence) -> Iterator[Finding]:
    for link in doc.links:
        status = ev.web.get(link.url)
        if status is None:
            continue
        if status.private:
            yield finding(
                "link-private",
                doc.path,
                link.line,
                link.column,
                f"link leads to a private address, not fetched: {status.private}",
                url=link.url,
            )
        elif status.error:
            yield finding(
                "link-broken",
                doc.path,
                link.line,
                link.column,
                f"link is broken: {status.error}",
                url=link.url,
            )
        elif status.moved_to:
            yield finding(
                "link-redirect",
                doc.path,
                link.line,
                link.column,
                f"link redirects permanently to {status.moved_to}",
                url=link.url,
                fix=Fix(link.line, link.url, status.moved_to, link.column),
            )
