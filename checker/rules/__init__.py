"""Every rule paperlint knows: its name, default severity, whether it needs the network, and why.

Rules are data plus a function over a parsed Document; the functions live in one small module per
family (structure, arxiv, venue, github, links). Severity overrides and selection happen once, in
the engine, never inside a rule.
"""

from __future__ import annotations

from dataclasses import dataclass

from checker.model import Finding, Fix, Severity


@dataclass(frozen=True)
class Rule:
    name: str
    severity: Severity
    network: bool
    summary: str


RULES: tuple[Rule, ...] = (
    Rule(
        "table-shape",
        Severity.ERROR,
        False,
        "a table row loses content as GitHub renders it: split across lines, or more cells than"
        " the header with text or links in the excess (fewer cells are padded: not reported)",
    ),
    Rule(
        "arxiv-id-malformed",
        Severity.ERROR,
        False,
        "an arXiv link or ID is not a valid identifier (YYMM.NNNNN[vN] or archive/YYMMNNN[vN])",
    ),
    Rule(
        "link-text-mismatch",
        Severity.ERROR,
        False,
        "a link's text names an arXiv ID or GitHub owner/repo other than its target; the same"
        " repository name under another owner (an organisation nickname) is info",
    ),
    Rule(
        "duplicate-entry",
        Severity.WARNING,
        False,
        "the same arXiv paper twice: warning for the same name, title or table row in one"
        " section; info across sections, or under clearly different titles or names",
    ),
    Rule(
        "anchor-missing",
        Severity.ERROR,
        False,
        "a #fragment link within the document names no heading or HTML anchor",
    ),
    Rule(
        "venue-format",
        Severity.WARNING,
        False,
        "a venue is written in a non-canonical form (Neurips 2020 → NeurIPS 2020); fix offered;"
        " info for a Findings track written after the year; labels and workshops left alone",
    ),
    Rule(
        "venue-year",
        Severity.WARNING,
        False,
        "the arXiv ID is past June of the year after the venue's (later than a late upload), or"
        " the year is not plausible",
    ),
    Rule(
        "link-private",
        Severity.ERROR,
        False,
        "a link points at a loopback, private or link-local address (not fetched)",
    ),
    Rule("arxiv-not-found", Severity.ERROR, True, "the arXiv ID does not exist"),
    Rule("arxiv-withdrawn", Severity.WARNING, True, "the arXiv paper has been withdrawn"),
    Rule(
        "title-mismatch",
        Severity.ERROR,
        True,
        "the title differs from arXiv's: error for another paper (short titles sharing no word"
        " included), warning with a fix for a typo; a name in neither title nor abstract: warning",
    ),
    Rule(
        "venue-mismatch",
        Severity.WARNING,
        True,
        "the published record gives another venue or year (Findings vs main conference"
        " included; workshops never compared)",
    ),
    Rule(
        "venue-missing",
        Severity.INFO,
        True,
        "no venue is given but the paper has been published; suggestion offered",
    ),
    Rule("github-not-found", Severity.ERROR, True, "the repository does not exist (or is private)"),
    Rule(
        "github-moved",
        Severity.WARNING,
        True,
        "the repository was renamed or transferred; fix to the new URL offered",
    ),
    Rule("github-archived", Severity.INFO, True, "the repository is archived"),
    Rule(
        "link-broken",
        Severity.ERROR,
        True,
        "an http(s) link fails after retries: 4xx/5xx, DNS, TLS, connection or timeout",
    ),
    Rule(
        "link-redirect",
        Severity.INFO,
        True,
        "an http(s) link permanently redirects; fix to the final URL offered",
    ),
    Rule(
        "service-unavailable",
        Severity.WARNING,
        True,
        "a service could not be asked (rate limit, outage): its entries are unverified",
    ),
)

BY_NAME: dict[str, Rule] = {r.name: r for r in RULES}


def finding(
    rule: str,
    file: str,
    line: int,
    column: int,
    message: str,
    *,
    url: str | None = None,
    fix: Fix | None = None,
    severity: Severity | None = None,
) -> Finding:
    return Finding(
        rule=rule,
        severity=severity or BY_NAME[rule].severity,
        file=file,
        line=line,
        column=column,
        message=message,
        url=url,
        fix=fix,
    )
