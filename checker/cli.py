"""Arguments → Options → engine → output. The only place that prints errors and exits."""

from __future__ import annotations

import argparse
import math
import os
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from checker import __version__
from checker.config import (
    ConfigError,
    Endpoints,
    Options,
    apply_config,
    find_config,
    load_config,
    parse_rule_list,
)
from checker.file_args import files_never_options
from checker.formats import FORMATS, plain
from checker.model import Applicability, Applied, Report, Severity
from checker.rules import BY_NAME, RULES, Rule
from checker.sources import describe_os_error, distinct_files, inert, is_command, printable

if TYPE_CHECKING:  # the network side is imported only when a run needs it
    from checker.engine import Run
    from checker.formats.markdown import LineLinks
    from checker.history import History
    from checker.issue import IssueSettings
    from checker.nightly import Nightly
    from checker.services.issues import Issue

EXIT_OK, EXIT_ERRORS, EXIT_FAILURE = 0, 1, 2
FAIL_ON = ("error", "warning", "never")
# Unverified (an outage, a rate limit) says nothing about the list: it never fails a run, whatever
# --fail-on says and whatever severity the configuration gives it.
NEVER_FAILS = frozenset({"service-unavailable"})
STEP_SUMMARY_LIMIT = 1024 * 1024  # GitHub refuses a larger job summary per step


@dataclass
class CiOptions:
    """What the command line adds beside the checking Options: CI reports, the nightly, and how
    --fix writes."""

    fail_on: str = "error"
    reports: list[tuple[str, str]] = field(default_factory=list)
    nightly: bool = False
    confirm_after: int = 2
    issue: IssueSettings | None = None
    fix_hardlinks: bool = False  # rewrite a file with several names in place (not atomic)
    unsafe_fixes: bool = False  # --fix / --diff (and SARIF) carry the unsafe fixes too
    show_infos: bool = False  # text and github list infos too (else only counted)
    fix_report: str | None = None  # the fixes --fix applied, as Markdown (a pull request's body)

    @property
    def hide(self) -> frozenset[Severity]:
        """What the text and github outputs leave out of their listing (their summary counts
        it): infos, unless --show-infos. JSON, SARIF and Markdown keep everything."""
        return frozenset() if self.show_infos else frozenset({Severity.INFO})


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see `{self.prog} --help`)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="paperlint", description="Keep Markdown lists of research papers honest.")
    parser.add_argument("--version", action="version", version=f"paperlint {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    check = sub.add_parser("check", help="check Markdown files (default: README.md)")
    check.add_argument("paths", nargs="*", metavar="PATH", help="Markdown files to check")
    check.add_argument(
        "--offline",
        action="store_true",
        help="no network: offline rules plus results still fresh in the cache",
    )
    check.add_argument(
        "--format",
        choices=FORMATS,
        help="output format (default: text; github when GITHUB_ACTIONS=true)",
    )
    check.add_argument(
        "--output", "-o", metavar="FILE", help="write the report to FILE (- = stdout)"
    )
    check.add_argument(
        "--report",
        action="append",
        type=_report_spec,
        default=[],
        metavar="FORMAT=FILE",
        help="also write the report in FORMAT to FILE (repeatable)",
    )
    check.add_argument("--config", metavar="FILE", help="configuration file (TOML)")
    check.add_argument("--select", metavar="RULE,...", help="run only these rules")
    check.add_argument("--ignore", metavar="RULE,...", help="skip these rules")
    check.add_argument(
        "--changed-since", metavar="REF", help="check only entries whose lines differ from git REF"
    )
    check.add_argument("--fix", action="store_true", help="apply the safe fixes findings offer")
    check.add_argument("--diff", action="store_true", help="print the safe fixes as a diff")
    check.add_argument(
        "--unsafe-fixes",
        action="store_true",
        help="with --fix or --diff: also the fixes that change what the list says (an archived "
        "copy of a dead link, the right arXiv ID for a wrong one, another venue)",
    )
    check.add_argument(
        "--fix-hardlinks",
        action="store_true",
        help="with --fix: rewrite files with several hard links in place so every name sees the "
        "fixes; not atomic",
    )
    check.add_argument(
        "--fix-report",
        metavar="FILE",
        help="with --fix or --diff: write the fixes applied, each with its evidence, as Markdown "
        "to FILE (the body of a pull request)",
    )
    check.add_argument("--cache", metavar="FILE", help="cache database (SQLite)")
    check.add_argument("--no-cache", action="store_true", help="do not read or write the cache")
    check.add_argument(
        "--allow-private",
        action="store_true",
        help="allow fetching loopback, private and link-local addresses",
    )
    check.add_argument(
        "--timeout", type=_positive, metavar="SECONDS", help="per-request timeout (default 20)"
    )
    check.add_argument(
        "--max-concurrency",
        type=_positive_int,
        metavar="N",
        help="global cap on requests in flight (default 32)",
    )
    check.add_argument(
        "--arxiv-delay",
        type=_non_negative,
        metavar="SECONDS",
        help="pause between arXiv API requests (default 3.0)",
    )
    check.add_argument("--no-progress", action="store_true", help="no progress bar")
    check.add_argument(
        "--show-infos",
        action="store_true",
        help="list info findings in text and github output too (by default they are only "
        "counted; json, sarif and markdown always hold them)",
    )
    check.add_argument(
        "--fail-on",
        choices=FAIL_ON,
        help="which severity makes the exit status 1 (default: error; never with --nightly); "
        "service-unavailable never does",
    )
    check.add_argument(
        "--exit-zero",
        action="store_true",
        help="exit 0 even with errors (a run that cannot be done still exits 2)",
    )
    check.add_argument(
        "--nightly",
        action="store_true",
        help="a full run that records per-target history and reports link rot (implies "
        "--exit-zero unless --fail-on is given)",
    )
    check.add_argument(
        "--issue",
        action="store_true",
        help="with --nightly: keep the report in one issue of $GITHUB_REPOSITORY (label "
        "paperlint): create, update, close or reopen it",
    )
    check.add_argument(
        "--issue-label",
        metavar="LABEL",
        type=_issue_label,
        help="with --issue: the label of the report's issue, reserved for it (default paperlint)",
    )
    check.add_argument(
        "--confirm-after",
        type=_positive_int,
        default=2,
        metavar="N",
        help="with --nightly: runs in a row a failure must last to count (default 2)",
    )

    rules = sub.add_parser("rules", help="list every rule")
    rules.add_argument("--format", choices=("text", "json"), default="text")

    rule = sub.add_parser("rule", help="explain one rule: what, why, examples, its fix")
    rule.add_argument("name", metavar="NAME", help="a rule's name (see `paperlint rules`)")
    rule.add_argument("--format", choices=("text", "json"), default="text")
    return parser


def _report_spec(value: str) -> tuple[str, str]:
    fmt, sep, path = value.partition("=")
    if not sep or not path:
        raise argparse.ArgumentTypeError(f"expected FORMAT=FILE, not {value!r}")
    if fmt not in FORMATS:
        raise argparse.ArgumentTypeError(
            f"unknown format {fmt!r} in {value!r} (choose from {', '.join(FORMATS)})"
        )
    if path == "-":
        raise argparse.ArgumentTypeError("--report writes a file; --format/--output for stdout")
    return fmt, path


def _positive(value: str) -> float:
    """--timeout: seconds, more than 0, within the bounds the configuration has too."""
    from checker.config import TIMEOUT_BOUNDS

    return _non_negative(value, TIMEOUT_BOUNDS)


def _non_negative(value: str, bounds: tuple[float, float] | None = None) -> float:
    """--arxiv-delay (and --timeout through `_positive`): seconds within bounds."""
    from checker.config import ARXIV_DELAY_BOUNDS

    low, high = bounds or ARXIV_DELAY_BOUNDS
    within = f"from {low:g} to {high:g} seconds"
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not math.isfinite(number):  # nan compares false with everything: it would pass below
        raise argparse.ArgumentTypeError(f"must be a finite number: {value!r}")
    if number < 0:
        raise argparse.ArgumentTypeError(f"must not be negative ({within}): {value!r}")
    if number == 0 and low > 0:
        raise argparse.ArgumentTypeError(f"must be greater than 0 ({within}): {value!r}")
    if not low <= number <= high:
        raise argparse.ArgumentTypeError(f"must be {within}: {value!r}")
    return number


def _positive_int(value: str) -> int:
    """--max-concurrency and --confirm-after: a whole number within the bounds of the one."""
    from checker.config import CONCURRENCY_BOUNDS

    low, high = CONCURRENCY_BOUNDS
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if number < low:
        raise argparse.ArgumentTypeError(f"must be at least {low} (at most {high}): {value!r}")
    if number > high:
        raise argparse.ArgumentTypeError(f"must be at most {high} (at least {low}): {value!r}")
    return number


def _issue_label(value: str) -> str:
    if not 0 < len(value) <= 50 or "," in value or not value.isprintable() or value.isspace():
        raise argparse.ArgumentTypeError(
            f"a label is 1 to 50 printable characters, no comma: {value!r}"
        )
    return value


def options_from_args(args: argparse.Namespace) -> Options:
    options = Options(paths=distinct_files(list(args.paths) or ["README.md"]))
    if args.config:
        config_path: Path | None = Path(args.config)
    else:
        config_path = find_config(Path(options.paths[0]))
    if config_path is not None:
        apply_config(options, load_config(config_path), str(config_path))
        options.config_file = str(config_path)
    if args.select:
        options.select = parse_rule_list(args.select, "--select")
    if args.ignore:
        options.ignore |= parse_rule_list(args.ignore, "--ignore")
    for name in ("timeout", "max_concurrency", "arxiv_delay", "cache", "changed_since", "output"):
        value = getattr(args, name)
        if value is not None:
            setattr(options, name, value)
    options.offline = args.offline
    options.no_cache = args.no_cache
    options.allow_private = options.allow_private or args.allow_private
    options.progress = not args.no_progress
    options.fix, options.diff = args.fix, args.diff
    options.format = args.format or default_format()
    reports = [options.output, args.fix_report, *(f for _, f in args.report)]
    refuse_overwriting_inputs(options.paths, reports)
    return options


def ci_options_from_args(args: argparse.Namespace) -> CiOptions:
    ci = CiOptions(
        reports=list(args.report),
        nightly=args.nightly,
        confirm_after=args.confirm_after,
        fix_hardlinks=args.fix_hardlinks,
        unsafe_fixes=args.unsafe_fixes,
        show_infos=args.show_infos,
        fix_report=args.fix_report,
    )
    if args.fix_hardlinks and not args.fix:
        raise UsageError("--fix-hardlinks says how --fix writes: add --fix")
    if args.unsafe_fixes and not (args.fix or args.diff):
        raise UsageError("--unsafe-fixes says which fixes --fix and --diff apply: add one of them")
    if args.fix_report and not (args.fix or args.diff):
        raise UsageError("--fix-report lists the fixes --fix or --diff apply: add one of them")
    if args.nightly:
        if args.offline:
            raise UsageError("--nightly asks every service; it cannot run --offline")
        if args.changed_since:
            raise UsageError("--nightly is a full run; it cannot be limited by --changed-since")
        # --fix and --diff apply only the fixes of confirmed findings (Nightly.confirmed)
        ci.fail_on = "never"  # the nightly reports through its issue, not a red run
    if args.issue:
        ci.issue = issue_settings(args)
    elif args.issue_label is not None:
        raise UsageError("--issue-label names the label of --issue: add --issue")
    if args.fail_on:
        ci.fail_on = args.fail_on
    if args.exit_zero:  # wins over everything: the same as --fail-on never
        ci.fail_on = "never"
    return ci


def issue_settings(args: argparse.Namespace) -> IssueSettings:
    if not args.nightly:
        raise UsageError("--issue reports a nightly run: add --nightly")
    repository = os.environ.get("GITHUB_REPOSITORY", "")
    owner, _, name = repository.partition("/")
    if not owner or not name or "/" in name:
        raise UsageError("--issue needs GITHUB_REPOSITORY=owner/name (set on GitHub Actions)")
    from checker.issue import IssueSettings

    endpoints = Endpoints.from_env()
    if not endpoints.github_token:
        raise UsageError("--issue needs a token with issues: write in GITHUB_TOKEN")
    return IssueSettings(
        endpoints.github,
        endpoints.github_token,
        repository,
        args.timeout or 20.0,
        args.issue_label or "paperlint",
    )


def refuse_overwriting_inputs(paths: Sequence[str], outputs: Sequence[str | None]) -> None:
    """A report written over the list it reports on would destroy the list."""
    for out in outputs:
        if out in (None, "-"):
            continue
        for path in paths:
            if _same_file(str(out), path):
                raise UsageError(f"{out}: is one of the input files; write the report elsewhere")


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        try:
            return Path(a).resolve() == Path(b).resolve()
        except (OSError, RuntimeError, ValueError):
            return False


def default_format() -> str:
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


def line_links() -> LineLinks | None:
    from checker.formats.markdown import LineLinks

    return LineLinks.from_env(os.environ, os.getcwd())


def full_report_url() -> str | None:
    """The workflow run's page, where the job summary and artifacts keep everything."""
    server, repo, run_id = (
        os.environ.get(k) for k in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_RUN_ID")
    )
    if server and repo and run_id:
        return f"{server.rstrip('/')}/{repo}/actions/runs/{run_id}"
    return None


def action_readme(env: Mapping[str, str]) -> str | None:
    """paperlint's README, where it can be named truthfully: paperlint has no public address of
    its own, but run as its action, the action's repository is where paperlint lives
    (`$GITHUB_ACTION_REPOSITORY` on `$GITHUB_SERVER_URL`, checked to be paperlint: the action's
    folder holds paperlint's code). Anywhere else None, and SARIF leaves its optional
    informationUri out rather than point at a page that is not ours."""
    server = env.get("GITHUB_SERVER_URL", "").rstrip("/")
    repository = env.get("GITHUB_ACTION_REPOSITORY", "")
    folder = env.get("GITHUB_ACTION_PATH", "")
    if not (_WEB_ORIGIN.fullmatch(server) and _REPOSITORY.fullmatch(repository) and folder):
        return None
    ours = all(
        os.path.isfile(os.path.join(folder, *part)) for part in (("action.yml",), _OWN_CODE)
    )
    return f"{server}/{repository}#readme" if ours else None


_WEB_ORIGIN = re.compile(r"https?://[A-Za-z0-9.-]+(?::[0-9]{1,5})?")
_REPOSITORY = re.compile(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")
_OWN_CODE = ("checker", "cli.py")  # this file, as the action's folder holds it


def render(
    report: Report,
    fmt: str,
    to_terminal: bool = False,
    limit: int | None = None,
    texts: Mapping[str, str] | None = None,
    unsafe_fixes: bool = False,
    hide: frozenset[Severity] = frozenset(),
) -> str | None:
    """The report as text, or None when it was printed straight to the terminal. `texts`: the
    files' texts the findings describe, by path (SARIF places each fix exactly in them).
    `unsafe_fixes`: SARIF carries the unsafe fixes too (a viewer may apply what it carries).
    `hide`: severities the text and github outputs count but do not list (see CiOptions)."""
    if fmt == "json":
        from checker.formats import json as json_format

        return json_format.render(report)
    if fmt == "github":
        from checker.formats import github

        return github.render(report, hide=hide)
    if fmt == "sarif":
        from checker.formats import sarif

        return sarif.render(report, texts, action_readme(os.environ), unsafe_fixes)
    if fmt == "markdown":
        from checker.formats import markdown

        return markdown.render(
            report, line_links(), limit, full_report_url(), action_readme(os.environ)
        )
    from checker.formats import text

    if to_terminal and plain.encodable("→⏎—", getattr(sys.stdout, "encoding", None)):
        from rich.console import Console

        text.render_to(Console(highlight=False), report, hide)
        return None
    return text.render(report, hide=hide)


def command_check(options: Options, ci: CiOptions | None = None) -> int:
    from checker import engine

    ci = ci or CiOptions()
    night = None
    found: Issue | None = None
    if not options.no_cache:
        from checker.cache import cache_path, repair

        damage = repair(cache_path(options), thorough=ci.nightly)  # moved aside: start afresh
        if damage:
            say(f"paperlint: warning: {damage}")
    if ci.nightly:
        from checker.nightly import Nightly

        night = Nightly(options, ci.confirm_after)
    if ci.issue is not None and night is not None:
        from checker import issue

        try:  # the issue's hidden blocks carry the history when the cache was evicted
            found, mirrored = issue.call(ci.issue, issue.load)
            night.mirror, night.mirror_note = mirrored.history, mirrored.note
        except issue.IssueError:
            found = None  # tried again, and reported, once the report is written
    checked = engine.run(options, night)
    report = checked.report
    for problem in report.problems:
        error(problem)
    for note in night.notes if night is not None else ():
        say(f"paperlint: warning: {note}")
    applied: list[Applied] = []
    if options.fix or options.diff:
        applied = fix_or_diff(checked, options, ci.fix_hardlinks, ci.unsafe_fixes, night)
        if report.nightly is not None and options.fix:
            report.nightly.fixed = applied  # the nightly report says so (and the issue)
    texts = checked.texts
    failed = False
    fmt = options.format or "text"
    to_stdout = options.output in (None, "-")
    if not (options.diff and to_stdout):
        terminal = to_stdout and sys.stdout.isatty()
        out = render(report, fmt, terminal, texts=texts, unsafe_fixes=ci.unsafe_fixes, hide=ci.hide)
        if out is not None:
            if to_stdout:
                write_stdout(out, fmt)
            else:
                failed |= not write_report(str(options.output), out)
    for extra_fmt, path in ci.reports:
        extra = render(report, extra_fmt, texts=texts, unsafe_fixes=ci.unsafe_fixes, hide=ci.hide)
        failed |= not write_report(path, extra or "")
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if fmt == "github" and summary_file:
        failed |= not append_step_summary(summary_file, report)
    issue_number: int | None = None
    if ci.issue is not None and night is not None and report.nightly is not None:
        updated, issue_number = update_issue(ci.issue, found, report, night.after)
        failed |= not updated
    if ci.fix_report is not None:  # last: it names the issue that reports the findings
        from checker.formats import markdown

        fixes = markdown.render_fixes(report, applied, issue_number)
        failed |= not _write(ci.fix_report, fixes, "the fix report", "w")
    if report.problems or failed:
        return EXIT_FAILURE
    return exit_status(report, ci.fail_on)


def update_issue(
    settings: IssueSettings, found: Issue | None, report: Report, history: History
) -> tuple[bool, int | None]:
    """Whether the issue is as the report says, and its number (None: there is none)."""
    from checker import issue
    from checker.formats import markdown

    links = line_links()
    mirror = issue.mirror_block(history)  # compressed once: the room and the body both need it
    text = markdown.render(report, links, issue.report_room(mirror), full_report_url())
    try:
        outcome = issue.call(
            settings,
            lambda service: issue.publish(service, found, report, text, mirror, links),
        )
    except issue.IssueError as exc:
        error(f"cannot update the nightly issue of {settings.repository}: {exc}")
        return False, None
    if outcome.number is not None:
        say(f"paperlint: issue #{outcome.number} {outcome.action}")
    return True, outcome.number


def exit_status(report: Report, fail_on: str) -> int:
    """The worst counted severity against --fail-on; suspects and NEVER_FAILS never fail a run."""
    if fail_on == "never":
        return EXIT_OK
    worst = max(
        (f.severity.rank for f in report.counted if f.rule not in NEVER_FAILS), default=0
    )
    return EXIT_ERRORS if worst >= Severity(fail_on).rank else EXIT_OK


def write_report(path: str, text: str) -> bool:
    return _write(path, text, "the report", "w")


def _write(path: str, text: str, what: str, mode: str) -> bool:
    """Write or append `text`; a failure is one line on stderr, and the run goes on."""
    try:
        with open(path, mode, encoding="utf-8") as handle:
            handle.write(text)
    except OSError as exc:
        error(f"{path}: cannot write {what}: {describe_os_error(exc)}")
        return False
    return True


def say(line: str) -> None:
    """Every line paperlint writes on stderr, escaped (see sources.printable): a message may
    quote a path, an argument, the configuration or the document, and a pull request must not
    be able to write a line of its own (a `::error::` or `::add-mask::` workflow command, a fake
    message) or drive the terminal through it."""
    print(inert(printable(line)), file=sys.stderr)


def error(message: str) -> None:
    say(f"paperlint: error: {message}")


def append_step_summary(path: str, report: Report) -> bool:
    """The Markdown report, appended to the job summary within GitHub's size limit."""
    try:
        used = os.path.getsize(path)
    except OSError:
        used = 0
    room = STEP_SUMMARY_LIMIT - used - 1024
    if room < 4096:  # too little left to say anything useful: not worth rendering the report
        text = "paperlint: the job summary is full; see the log and the JSON report.\n"
    else:
        text = render(report, "markdown", limit=room) or ""
    return _write(path, ("\n" if used else "") + text, "the job summary", "a")


def write_stdout(text: str, fmt: str) -> None:
    """Unicode where stdout carries it; where it does not, the same report in ASCII."""
    encoding = getattr(sys.stdout, "encoding", None)
    if not plain.encodable(text, encoding):
        text = plain.json_ascii(text) if fmt in ("json", "sarif") else plain.degrade(text, encoding)
    sys.stdout.write(text)


def write_patch(text: str) -> None:
    """A patch as `write_exact` writes it. One that holds a line GitHub Actions' runner would
    read as a workflow command (a line of the list's that begins with `::`, or holds `##[`),
    printed on Actions (not redirected to a file), is framed by `::stop-commands::TOKEN` and
    `::TOKEN::`: a patch cannot be escaped. git apply and patch pass over the two lines; any
    other patch is printed as it is."""
    on_actions = os.environ.get("GITHUB_ACTIONS") == "true"
    if on_actions and _commands_in(text) and not _stdout_is_a_file():
        import secrets

        token = secrets.token_hex(16)
        ending = "" if text.endswith("\n") else "\n"
        text = f"::stop-commands::{token}\n{text}{ending}::{token}::\n"
    write_exact(text)


def _commands_in(text: str) -> bool:
    """Whether a line of `text` (split as the runner splits: \\n, \\r\\n, a lone \\r) would be
    read as a workflow command."""
    return any(map(is_command, re.split(r"\r\n|\r|\n", text)))


def _stdout_is_a_file() -> bool:
    import io
    import stat

    try:
        return stat.S_ISREG(os.fstat(sys.stdout.fileno()).st_mode)
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        return False


def write_exact(text: str) -> None:
    """A patch must stay byte for byte what it patches: UTF-8 even where stdout is ASCII."""
    try:
        sys.stdout.write(text)
    except UnicodeEncodeError:
        sys.stdout.flush()
        sys.stdout.buffer.write(text.encode("utf-8"))
        sys.stdout.buffer.flush()


def fix_or_diff(
    checked: Run,
    options: Options,
    allow_hardlinks: bool = False,
    unsafe: bool = False,
    night: Nightly | None = None,
) -> list[Applied]:
    """--fix and --diff, file by file: the safe fixes, and with `unsafe` (--unsafe-fixes) all. A
    fixed file is re-checked (with the answers the run already has) until nothing more applies,
    and from then on the report — findings, summary, exit status — is that of the file as
    written. --diff alone prints the same change and leaves the file, and the report, as they
    were. A file that cannot be fixed (changed meanwhile, several hard links, not writable) is
    one line on stderr and exit status 2; it is left as it was, its findings stay reported, and
    the other files are still fixed. Returns the fixes applied (or, with --diff, shown).

    With `night` (--nightly): only the fixes of confirmed findings, never a suspect's (every
    re-check is given tonight's states too), and the report stays that of the files as read —
    the history and the issue follow the list as the repository holds it, and the fixes reach
    it through a pull request."""
    from checker import engine
    from checker.fix import FixError, applicable, fix_file, patch_names
    from checker.model import Finding, Fix
    from checker.sources import shown

    def eligible(findings: Sequence[Finding]) -> list[Finding]:
        return night.confirmed(findings) if night is not None else list(findings)

    report = checked.report
    offered_now = eligible(report.findings)
    fixable = {f.file for f in offered_now if applicable([f], unsafe)}
    files = {p: checked.files.get(p, p) for p in fixable}  # shown → as given, to read and write
    names = patch_names(list(files.values()))
    applied: list[Applied] = []
    for doc in list(checked.docs):
        path = doc.path
        if path not in fixable:
            continue
        fixable.discard(path)  # a name given twice is fixed once (cli.distinct_files: any name)
        given = [f for f in offered_now if f.file == path]
        # each fix offered, by the finding that offered it first (and whether the file as read
        # had it: only then is its line the one the report names a paper at)
        offered = {f.fix: (f, True) for f in reversed(given) if f.fix is not None}

        def check(
            text: str, path: str = path, offered: dict[Fix, tuple[Finding, bool]] = offered
        ) -> list[Finding]:
            found = eligible(engine.recheck(checked, path, text))
            for f in found:
                if f.fix is not None:
                    offered.setdefault(f.fix, (f, False))
            return found

        try:
            outcome = fix_file(files[path], doc.text, check, given, unsafe=unsafe)
            if options.fix:
                outcome.write(allow_hardlinks=allow_hardlinks)
        except FixError as exc:
            problem = str(exc)
        except OSError as exc:
            problem = f"{shown(path)}: cannot write the fixes: {describe_os_error(exc)}"
        else:
            if options.diff:
                write_patch(outcome.diff(names[files[path]]))
            for fix in dict.fromkeys(outcome.applied):
                finding, as_read = offered[fix]
                entry = report.title_at(finding.file, finding.line) if as_read else None
                applied.append(Applied(finding, entry))
            if options.fix and outcome.changed:
                if night is None:
                    engine.update(checked, path, outcome.after, outcome.remaining)
                count = len(outcome.applied)
                say(f"paperlint: fixed {count} problem{'s' * (count != 1)} in {path}")
            continue
        report.problems.append(problem)
        error(problem)
    return applied


def _rule_dict(r: Rule) -> dict[str, object]:
    """A rule in `paperlint rules --format json`, and the start of it in `paperlint rule`."""
    return {
        "name": r.name,
        "severity": r.severity.value,
        "network": r.network,
        "fix": [a.value for a in r.fixes],
        "summary": r.summary,
    }


def command_rules(fmt: str) -> int:
    if fmt == "json":
        import json

        data = [_rule_dict(r) for r in RULES]
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
        return EXIT_OK
    width = max(len(r.name) for r in RULES)
    fix_width = max(len(_fix_column(r)) for r in RULES)
    for r in RULES:
        where = "network" if r.network else "offline"
        fix = _fix_column(r)
        severity = r.severity.value
        print(f"{r.name:<{width}}  {severity:<7}  {where:<7}  {fix:<{fix_width}}  {r.summary}")
    return EXIT_OK


def _fix_column(rule: Rule) -> str:
    return "/".join(a.value for a in rule.fixes) or "-"


_FIX_WORDS = {
    Applicability.SAFE: "safe (--fix applies it)",
    Applicability.UNSAFE: "unsafe (applied only with --unsafe-fixes, beside --fix or --diff)",
}


def command_rule(name: str, fmt: str) -> int:
    """`paperlint rule NAME`, as `ruff rule`: the rule's own documentation, kept beside it."""
    rule = BY_NAME.get(name)
    if rule is None:
        import difflib

        close = difflib.get_close_matches(name, list(BY_NAME), n=1, cutoff=0.6)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise UsageError(f"unknown rule {name!r}{hint} (see `paperlint rules`)")
    if fmt == "json":
        import json

        data = {
            **_rule_dict(rule),
            "what": rule.what,
            "why": rule.why,
            "example_fires": rule.fires,
            "example_passes": rule.passes,
        }
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        return EXIT_OK
    write_stdout(rule_text(rule), "text")
    return EXIT_OK


def rule_text(rule: Rule) -> str:
    import textwrap

    def para(text: str) -> str:
        return textwrap.fill(text, 96, initial_indent="  ", subsequent_indent="  ")

    def example(text: str) -> str:
        return "".join(f"    {line}\n" for line in text.splitlines())

    fix = " and ".join(_FIX_WORDS[a] for a in rule.fixes) or "none (reported only)"
    return (
        f"{rule.name}\n\n"
        f"What it checks\n{para(rule.what)}\n\n"
        f"Why\n{para(rule.why)}\n\n"
        f"Example that fires\n{example(rule.fires)}\n"
        f"Example that does not\n{example(rule.passes)}\n"
        f"Default severity: {rule.severity.value}\n"
        f"Needs the network: {'yes' if rule.network else 'no'}\n"
        f"Fix: {fix}\n"
    )


def main(argv: Sequence[str] | None = None) -> int:
    args_list = files_never_options(sys.argv[1:] if argv is None else argv)
    if not args_list or args_list[0] not in ("check", "rules", "rule", "-h", "--help", "--version"):
        args_list.insert(0, "check")
    try:
        args = build_parser().parse_args(args_list)
        if args.command == "rules":
            return command_rules(args.format)
        if args.command == "rule":
            return command_rule(args.name, args.format)
        ci = ci_options_from_args(args)
        return command_check(options_from_args(args), ci)
    except (UsageError, ConfigError) as exc:
        error(str(exc))
        return EXIT_FAILURE
    except KeyboardInterrupt:
        say("paperlint: interrupted")
        return 130
    except RuntimeError as exc:
        # Ctrl-C while a class is made (an import): Python 3.11 wraps it ("Error calling
        # __set_name__"); it is still the user's Ctrl-C, not a failure of paperlint's
        if not isinstance(exc.__cause__, KeyboardInterrupt):
            raise
        say("paperlint: interrupted")
        return 130
    except BrokenPipeError:
        return EXIT_OK


def entry() -> NoReturn:
    """The `paperlint` command (and `python -m checker`): `main`, then an exit that spares the
    cycle collector its last passes over every object the run made, a fifth of a second after a
    long cold run; the process ends, so they would free nothing (tests call `main`)."""
    code = main()
    import gc

    gc.freeze()
    raise SystemExit(code)
