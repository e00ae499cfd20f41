"""GitHub Actions workflow commands: each finding becomes an annotation on the pull request."""

from __future__ import annotations

from checker.model import Report, Severity

LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(report: Report) -> str:
    lines = []
    for f in report.findings:
        message = f.message
        if f.fix is not None and "\n" not in f.fix.old:
            message += f" (fix: {f.fix.old!r} → {f.fix.new!r})"
        props = ",".join(
            [
                f"file={_escape_property(f.file)}",
                f"line={f.line}",
                f"col={f.column}",
                f"title={_escape_property('paperlint ' + f.rule)}",
            ]
        )
        lines.append(f"::{LEVEL[f.severity]} {props}::{_escape_data(message)}")
    s = report.summary
    lines.append(
        f"paperlint: {s.errors} errors, {s.warnings} warnings, {s.infos} infos in {s.files} files"
    )
    return "\n".join(lines) + "\n"
