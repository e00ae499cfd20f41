"""GitHub Actions workflow commands: each finding becomes an annotation on the pull request.

GitHub keeps only 10 error, 10 warning and 10 notice annotations per step (and 50 per job) and
drops the rest silently, in print order. So errors are printed first, each level stops at its
cap, what is left goes to the log as plain lines, and the last line says how many were left out:
the job summary (the Markdown report) holds every finding.

Infos are left out (`hide`) unless `--show-infos` asks for them: a pull request shows what to
act on; the last line counts them and the job summary lists them.

Text from the list is `escape.visible` first (one line, control characters shown), then escaped
as the runner expects (`%`, CR, LF; `:` and `,` in properties); a plain line never starts with a
workflow command (`::`, `##[`).
"""

from __future__ import annotations

from collections import Counter

from checker.formats import escape
from checker.formats.markdown import by_importance
from checker.formats.words import filled, hidden, plural, severities
from checker.model import Finding, Report, Severity
from checker.sources import inert

LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
PER_LEVEL = 10  # annotations GitHub shows per level and step


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _message(f: Finding) -> str:
    message = escape.visible(f.message)
    if f.fix is not None and "\n" not in f.fix.old:
        label = "fix" if f.fix.safe else "unsafe fix, with --unsafe-fixes"
        cell = filled(f.fix)
        if cell is not None:
            message += f" ({label}: fill the empty cell with {cell!r})"
        else:  # repr: control characters shown
            message += f" ({label}: {f.fix.old!r} → {f.fix.new!r})"
    return message


def annotation(f: Finding) -> str:
    props = ",".join(
        [
            f"file={_escape_property(escape.visible(f.file))}",
            f"line={f.line}",
            f"col={f.column}",
            f"title={_escape_property('paperlint ' + f.rule)}",
        ]
    )
    return f"::{LEVEL[f.severity]} {props}::{_escape_data(_message(f))}"


def plain_line(f: Finding) -> str:
    """A finding GitHub would not show as an annotation, for the log (no workflow command)."""
    text = f"{escape.path(f.file)}:{f.line}:{f.column}: {f.severity.value} {f.rule} {_message(f)}"
    return inert(text.replace("::", ": :"))


def render(
    report: Report, per_level: int = PER_LEVEL, hide: frozenset[Severity] = frozenset()
) -> str:
    every = by_importance(report.counted)  # errors first: GitHub drops past its caps
    counted = [f for f in every if f.severity not in hide]
    shown: Counter[Severity] = Counter()
    left: Counter[Severity] = Counter()  # per level, the findings printed as plain lines
    lines: list[str] = []
    rest: list[str] = []
    for f in counted:
        if shown[f.severity] < per_level:
            shown[f.severity] += 1
            lines.append(annotation(f))
        else:
            left[f.severity] += 1
            rest.append(plain_line(f))
    lines += rest
    s = report.summary
    summary = f"paperlint: {severities(s)} in {plural(s.files, 'file')}"
    left_out = hidden(every, hide)
    if left_out:
        summary += f"; {left_out}"
    suspects = len(report.findings) - len(every)
    if suspects:
        summary += f"; {suspects} suspect (failed once, not counted until confirmed)"
    if rest:
        parts = ", ".join(plural(left[sev], LEVEL[sev]) for sev in LEVEL if left[sev])
        summary += (
            f"; {len(rest)} not annotated ({parts}): GitHub shows {per_level} per level and "
            "step; every finding is in the log above and in the job summary"
        )
    lines.append(summary)
    return "\n".join(lines) + "\n"
