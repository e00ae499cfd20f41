"""For a person at a terminal: `file:line:col severity rule message`, grouped by file, a summary.

A finding `--fix` would fix is marked `[*]` after its rule; each fix is shown below its finding,
an unsafe one as such (applied only with `--unsafe-fixes`). The summary counts both kinds, over
every finding that counts, shown or not (`hide`: severities left out of the listing — infos,
unless `--show-infos` — which the summary still counts, saying how to see them).

Text from the list is shown through `escape` (`\\r`, `\\n`, `\\x1b` as such: one finding per line,
no terminal escape sequence, no workflow command when the log is a runner's)."""

from __future__ import annotations

import io
from itertools import groupby

from rich.console import Console
from rich.text import Text

from checker.formats import escape
from checker.formats.words import filled, hidden, plural, severities
from checker.model import Finding, Report, Severity

STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def _show(text: str) -> str:
    """Quoted, with a line break shown as ⏎ so a fix that joins lines reads as one; escaped as
    every text of a line of the log (`escape.log_text`)."""
    joined = " ⏎ ".join(part.strip() for part in text.split("\n")) if "\n" in text else text
    return f"'{escape.log_text(joined)}'"


def render_to(
    console: Console, report: Report, hide: frozenset[Severity] = frozenset()
) -> None:
    shown = [f for f in report.findings if f.severity not in hide]
    for _, group in groupby(shown, key=lambda f: f.file):
        for f in group:
            line = Text()
            line.append(f"{escape.path(f.file)}:{f.line}:{f.column}:", style="bold")
            line.append(" ")
            line.append(f"{f.severity.value:<7}", style=STYLE[f.severity])
            line.append(" ")
            line.append(f.rule, style="magenta")
            if f.fix is not None and f.fix.safe:
                line.append(" [*]", style="green")
            line.append(" ")
            line.append(escape.log_text(f.message))
            if f.nightly is not None:
                n = f.nightly
                line.append(
                    f" [{n.state}: failing since {escape.log_text(n.since[:10])}, "
                    f"{plural(n.runs, 'run')}]",
                    style="dim",
                )
            console.print(line, soft_wrap=True, highlight=False)
            if f.fix is not None:
                old, new = f.fix.old, f.fix.new
                if f.fix.safe:
                    hint = Text("    fix: ", style="green")
                else:
                    hint = Text("    unsafe fix (with --unsafe-fixes): ", style="yellow")
                if "\n" in old and f.rule == "table-shape":
                    hint.append(
                        f"replace lines {f.fix.line}-{f.fix.line + old.count(chr(10))} with: "
                    )
                    hint.append(escape.log_text(new.strip()))
                elif (cell := filled(f.fix)) is not None:
                    hint.append(f"fill the empty cell with {_show(cell)}")
                else:
                    hint.append(f"{_show(old)} → {_show(new)}")
                console.print(hint, soft_wrap=True, highlight=False)
        console.print()
    console.print(summary_line(report, hide), highlight=False, soft_wrap=True)


def summary_line(report: Report, hide: frozenset[Severity] = frozenset()) -> Text:
    s = report.summary
    text = Text()
    counted = report.counted
    if not counted:
        text.append("No problems found", style="bold green")
    else:
        text.append(f"Found {plural(len(counted), 'problem')} ", style="bold")
        text.append(f"({severities(s)})")
    text.append(
        f" in {plural(s.files, 'file')}: {plural(s.entries, 'entry', 'entries')}, "
        f"{plural(s.arxiv_ids, 'arXiv ID')}, {plural(s.repos, 'repository', 'repositories')}, "
        f"{plural(s.links, 'link')}"
    )
    left_out = hidden(counted, hide)
    if left_out:
        text.append(f"; {left_out}")
    if s.unverified:
        text.append(f"; {s.unverified} could not be verified", style="yellow")
    suspects = len(report.findings) - len(counted)
    if suspects:
        text.append(f"; {suspects} suspect (failed once, not counted until confirmed)")
    fixes = fixable(counted, hide)
    if fixes:
        text.append(f"; {fixes}", style="green")
    text.append(f" ({s.duration_s:.2f}s)")
    return text


def fixable(findings: list[Finding], hide: frozenset[Severity] = frozenset()) -> str:
    """`N fixable with --fix, M more with --unsafe-fixes`, counting the findings `hide` leaves
    out of the listing too, and saying how many of them it left out ("" when nothing is)."""
    with_fix = [f for f in findings if f.fix is not None]
    safe = sum(1 for f in with_fix if f.fix is not None and f.fix.safe)
    unsafe = len(with_fix) - safe
    if safe and unsafe:
        out = f"{safe} fixable with --fix, {unsafe} more with --unsafe-fixes"
    elif safe:
        out = f"{safe} fixable with --fix"
    elif unsafe:
        out = f"{unsafe} fixable with --unsafe-fixes"
    else:
        return ""
    left_out = [f for f in with_fix if f.severity in hide]
    if left_out:
        if len(left_out) == 1:
            kind = left_out[0].severity.value
            out += f" (1 of them {'an' if kind[0] in 'aeiou' else 'a'} {kind}, not shown)"
        else:
            kinds = sorted({f.severity for f in left_out}, key=lambda v: -v.rank)
            names = " and ".join(f"{v.value}s" for v in kinds)
            out += f" ({len(left_out)} of them {names}, not shown)"
    return out


def render(
    report: Report, color: bool = False, width: int = 100, hide: frozenset[Severity] = frozenset()
) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=color, no_color=not color, width=width)
    render_to(console, report, hide)
    return buffer.getvalue()
