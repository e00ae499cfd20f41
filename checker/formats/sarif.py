"""SARIF 2.1.0, for GitHub code scanning and other SARIF viewers."""

from __future__ import annotations

import json
from typing import Any

from checker import __version__
from checker.model import Report, Severity
from checker.rules import RULES

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def render(report: Report) -> str:
    index = {r.name: i for i, r in enumerate(RULES)}
    results: list[dict[str, Any]] = []
    for f in report.findings:
        result: dict[str, Any] = {
            "ruleId": f.rule,
            "ruleIndex": index[f.rule],
            "level": LEVEL[f.severity],
            "message": {"text": f.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": f.file.replace("\\", "/")},
                        "region": {"startLine": f.line, "startColumn": f.column},
                    }
                }
            ],
        }
        if f.fix is not None:
            end_line = f.fix.line + f.fix.old.count("\n")
            result["fixes"] = [
                {
                    "description": {"text": f"replace {f.fix.old!r} with {f.fix.new!r}"},
                    "artifactChanges": [
                        {
                            "artifactLocation": {"uri": f.file.replace("\\", "/")},
                            "replacements": [
                                {
                                    "deletedRegion": {"startLine": f.fix.line, "endLine": end_line},
                                    "insertedContent": {"text": f.fix.new},
                                }
                            ],
                        }
                    ],
                }
            ]
        results.append(result)
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "paperlint",
                        "version": __version__,
                        "informationUri": "https://pypi.org/project/paperlint/",
                        "rules": [
                            {
                                "id": r.name,
                                "shortDescription": {"text": r.summary},
                                "defaultConfiguration": {"level": LEVEL[r.severity]},
                                "properties": {"network": r.network},
                            }
                            for r in RULES
                        ],
                    }
                },
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
