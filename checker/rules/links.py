"""Links: text that contradicts its target, private addresses (offline); liveness (online)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from checker.links import TEXT_ARXIV_ID, classify, github_repo, private_host
from checker.model import Document, Finding, Fix, Link, LinkKind, Severity
from checker.rules import finding

if TYPE_CHECKING:  # the services, for annotations only: an offline run never loads them
    from checker.evidence import Evidence

_OWNER_REPO = re.compile(r"^(?:https?://(?:www\.)?github\.com/)?([\w.-]+)/([\w.-]+?)/?$")


def link_text_mismatch(doc: Document) -> Iterator[Finding]:
    for link in doc.links:
        if not link.text or link.text == link.url:
            continue  # a bare URL names just what it links to
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
    owner, name = named.lower().split("/")
    target_owner, target_name = link.repo.lower().split("/")
    if (owner, name) == (target_owner, target_name):
        return None, None
    if name == target_name:
        # `facebook/fairseq` for pytorch/fairseq or facebookresearch/fairseq: the organisation's
        # nickname on the same repository name is a label, not a wrong link.
        return (
            f"link text names {named} but the link points to {link.repo} "
            "(the same repository name under another owner)",
            Severity.INFO,
        )
    # Only a text that names the same owner or the whole URL is a claim about the target;
    # "Paper/Code" is a label, not a repository.
    if link.text.strip().startswith("http") or owner == target_owner:
        return f"link text names {named} but the link points to {link.repo}", None
    return None, None


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
