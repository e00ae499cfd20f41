"""The JSON report of the contract: version 1 (plus `recovered` and `nightly` with --nightly)."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from checker import __version__
from checker.formats.escape import log_safe
from checker.model import Finding, Report


def finding_dict(f: Finding) -> dict[str, Any]:
    out: dict[str, Any] = {
        "rule": f.rule,
        "severity": f.severity.value,
        "file": f.file,
        "line": f.line,
        "column": f.column,
        "message": f.message,
    }
    if f.url is not None:
        out["url"] = f.url
    if f.fix is not None:
        fix = asdict(f.fix)
        if fix["column"] is None:
            del fix["column"]
        fix["applicability"] = f.fix.applicability.value  # "safe": --fix; "unsafe": --unsafe-fixes
        out["fix"] = fix
    if f.nightly is not None:
        out["nightly"] = asdict(f.nightly)
    return out


def render(report: Report) -> str:
    summary = asdict(report.summary)
    summary["duration_s"] = round(report.summary.duration_s, 3)
    data: dict[str, Any] = {
        "version": 1,
        "tool": {"name": "paperlint", "version": __version__},
        "summary": summary,
        "findings": [finding_dict(f) for f in report.findings],
    }
    if report.nightly is not None:
        data["recovered"] = [asdict(r) for r in report.recovered]
        night = report.nightly
        data["nightly"] = {  # extension: the history behind the states
            "at": night.at,
            "confirm_after": night.confirm_after,
            "baseline": night.baseline,
            "suspects": sum(1 for f in report.findings if f.suspect),
            "held": [asdict(r) for r in night.held],
            "runs": [asdict(r) for r in night.runs],
        }
    return log_safe(json.dumps(data, indent=2, ensure_ascii=False)) + "\n"
