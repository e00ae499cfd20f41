"""SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.

Columns are Unicode code points (what paperlint counts; declared in `columnKind`), and a lone CR
ends a line as it does for markdown-it (declared in `newlineSequences`). A fix replaces exactly
the text the finding names (`deletedRegion` from its first character to the one after its
last), never whole lines, so a viewer that applies it changes what `--fix` would change.
"""

from __future__ import annotations

import bisect
import json
import os
import re
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote

from checker import __version__
from checker.fix import line_starts, locate
from checker.formats.escape import log_safe
from checker.model import Finding, Fix, Report, Severity
from checker.rules import RULES

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_BREAK = re.compile(r"\r\n|\r|\n")
_DRIVE = re.compile(r"^[A-Za-z]:/")


def artifact_uri(path: str, sep: str = os.sep) -> str:
    """A path as a URI reference: relative stays relative, absolute becomes file:///, every
    character a URI may not hold as it is (space, #, %, non-ASCII, …) percent-encoded."""
    name = path.replace(sep, "/") if sep != "/" else path
    if sep == "\\" and _DRIVE.match(name):  # C:/docs/list.md
        return "file:///" + name[:2] + quote(name[2:], safe="/")
    if name.startswith("//") and sep == "\\":  # a UNC path: //server/share/list.md
        return "file:" + quote(name, safe="/")
    if name.startswith("/"):
        return "file://" + quote(name, safe="/")
    return quote(name, safe="/")


def deleted_region(
    fix: Fix, text: str | None, fallback_column: int, starts: Sequence[int] | None = None
) -> dict[str, int] | None:
    """The region `fix.old` covers; None when the text is known and `old` is not where the fix
    says (a stale fix is not offered). Without the text, a fix without a column is taken to
    start at the finding's column. `starts`: `line_starts(text)`, when the caller has it (one
    scan of the text per file, not per fix)."""
    if text is not None:
        starts = line_starts(text) if starts is None else starts
        span = locate(text, fix, starts)
        if span is None:
            return None
        start_line, start_column = _position(text, starts, span[0])
        end_line, end_column = _position(text, starts, span[1])
        return {
            "startLine": start_line,
            "startColumn": start_column,
            "endLine": end_line,
            "endColumn": end_column,
        }
    column = fix.column if fix.column is not None else fallback_column
    pieces = _BREAK.split(fix.old)
    last = len(pieces[-1]) + 1 if len(pieces) > 1 else column + len(fix.old)
    return {
        "startLine": fix.line,
        "startColumn": column,
        "endLine": fix.line + len(pieces) - 1,
        "endColumn": last,
    }


def _position(text: str, starts: Sequence[int], offset: int) -> tuple[int, int]:
    """Line and column (code points, from 1) of an offset, by bisecting the line starts.

    An offset between the CR and the LF of a CRLF is taken as the start of a line, as a scan of
    the text up to the offset reads that CR alone (regions have always been written so)."""
    i = bisect.bisect_right(starts, offset) - 1
    if 0 < offset < len(text) and text[offset - 1] == "\r" and text[offset] == "\n":
        return i + 2, 1
    return i + 1, offset - starts[i] + 1


def _fixes(
    f: Finding, uri: str, text: str | None, starts: Sequence[int] | None, unsafe: bool
) -> list[dict[str, Any]]:
    if f.fix is None or not (unsafe or f.fix.safe):
        return []
    region = deleted_region(f.fix, text, f.column if f.line == f.fix.line else 1, starts)
    if region is None:
        return []
    return [
        {
            "description": {"text": f"replace {f.fix.old!r} with {f.fix.new!r}"},
            "artifactChanges": [
                {
                    "artifactLocation": {"uri": uri},
                    "replacements": [
                        {"deletedRegion": region, "insertedContent": {"text": f.fix.new}}
                    ],
                }
            ],
        }
    ]


def render(
    report: Report,
    texts: Mapping[str, str] | None = None,
    information_uri: str | None = None,
    unsafe_fixes: bool = False,
) -> str:
    """`texts`: the documents' texts by path, when known, to place every fix exactly.
    `information_uri`: paperlint's README, where the caller knows a true address for it (the
    field is optional in SARIF, and left out otherwise: see cli.action_readme).
    `unsafe_fixes` (--unsafe-fixes): the unsafe fixes are carried too; without it only the safe
    ones, since a viewer may apply whatever fix a result carries.

    Nightly suspects (failed once, not confirmed) are left out, as from the annotations: code
    scanning opens an alert for every result, and an alert is a claim that something is wrong."""
    index = {r.name: i for i, r in enumerate(RULES)}
    results: list[dict[str, Any]] = []
    starts: dict[str, list[int]] = {}  # line starts by path: one scan per file, not per fix
    for f in report.counted:
        uri = artifact_uri(f.file)
        result: dict[str, Any] = {
            "ruleId": f.rule,
            "ruleIndex": index[f.rule],
            "level": LEVEL[f.severity],
            "message": {"text": f.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": uri},
                        "region": {"startLine": f.line, "startColumn": f.column},
                    }
                }
            ],
        }
        text = (texts or {}).get(f.file)
        file_starts = None
        if text is not None and f.fix is not None:
            file_starts = starts.get(f.file)
            if file_starts is None:
                file_starts = starts[f.file] = line_starts(text)
        fixes = _fixes(f, uri, text, file_starts, unsafe_fixes)
        if fixes:
            result["fixes"] = fixes
        results.append(result)
    driver: dict[str, Any] = {"name": "paperlint", "version": __version__}
    if information_uri is not None:
        driver["informationUri"] = information_uri
    driver["rules"] = [
        {
            "id": r.name,
            "shortDescription": {"text": r.summary},
            "defaultConfiguration": {"level": LEVEL[r.severity]},
            "properties": {"network": r.network},
        }
        for r in RULES
    ]
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": driver},
                "columnKind": "unicodeCodePoints",
                "newlineSequences": ["\r\n", "\n", "\r"],
                "results": results,
            }
        ],
    }
    return log_safe(json.dumps(log, indent=2, ensure_ascii=False)) + "\n"
