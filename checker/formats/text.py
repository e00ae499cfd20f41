"""For a person at a terminal: `file:line:col severity rule message`, grouped by file, a summary.

Text from the list is shown through `escape` (`\\r`, `\\n`, `\\x1b` as such: one finding per line,
no terminal escape sequence, no workflow command when the log is a runner's)."""

from __future__ import annotations

import io
from itertools import groupby

from rich.console import Console
from rich.text import Text

from checker.formats import escape
from checker.formats.words import plural
from checker.model import Report, Severity

STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def _show(text: str) -> str:
    """Quoted, with a line break shown as ⏎ so a fix that joins lines reads as one."""
    return repr(" ⏎ ".join(part.strip() for part in text.split("\n")) if "\n" in text else text)


def render_to(console: Console, report: Report) -> None:
    for _, group in groupby(report.findings, key=lambda f: f.file):
        for f in group:
            line = Text()
            line.append(f"{escape.path(f.file)}:{f.line}:{f.column}:", style="bold")
            line.append(" ")
            line.append(f"{f.severity.value:<7}", style=STYLE[f.severity])
            line.append(" ")
            line.append(f.rule, style="magenta")
            line.append(" ")
            line.append(escape.visible(f.message))
            if f.nightly is not None:
                n = f.nightly
                line.append(
                    f" [{n.state}: failing since {escape.visible(n.since[:10])}, "
                    f"{plural(n.runs, 'run')}]",
                    style="dim",
                )
            console.print(line, soft_wrap=True, highlight=False)
            if f.fix is not None:
                old, new = f.fix.old, f.fix.new
                hint = Text("    fix: ", style="green")
                if "\n" in old and f.rule == "table-shape":
                    hint.append(
                        f"replace lines {f.fix.line}-{f.fix.line + old.count(chr(10))} with: "
                    )
                    hint.append(escape.visible(new.strip()))
                else:
                    hint.append(f"{_show(old)} → {_show(new)}")
                console.print(hint, soft_wrap=True, highlight=False)
        console.print()
    console.print(summary_line(report), highlight=False, soft_wrap=True)


def summary_line(report: Report) -> Text:
    s = report.summary
    text = Text()
    counted = report.counted
    if not counted:
        text.append("No problems found", style="bold green")
    else:
        parts = [
            plural(s.errors, "error"),
            plural(s.warnings, "warning"),
            plural(s.infos, "info"),
        ]
        text.append(f"Found {plural(len(counted), 'problem')} ", style="bold")
        text.append(f"({', '.join(parts)})")
    text.append(
        f" in {plural(s.files, 'file')}: {plural(s.entries, 'entry', 'entries')}, "
        f"{plural(s.arxiv_ids, 'arXiv ID')}, {plural(s.repos, 'repository', 'repositories')}, "
        f"{plural(s.links, 'link')}"
    )
    if s.unverified:
        text.append(f"; {s.unverified} could not be verified", style="yellow")
    suspects = len(report.findings) - len(counted)
    if suspects:
        text.append(f"; {suspects} suspect (failed once, not counted until confirmed)")
    fixable = sum(1 for f in counted if f.fix is not None)
    if fixable:
        text.append(f"; {fixable} fixable with --fix", style="green")
    text.append(f" ({s.duration_s:.2f}s)")
    return text


def render(report: Report, color: bool = False, width: int = 100) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=color, no_color=not color, width=width)
    render_to(console, report)
    return buffer.getvalue()
