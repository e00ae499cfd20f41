"""Nothing from the list made live (issue 14.11, 14.13): every URL and every text a pull request
wrote reaches the job summary, the nightly report, the terminal and the annotations as the
characters it holds — no line break, no heading, no `@mention`, no HTML, no table cell of its own,
no workflow command, nothing that opens or closes the hidden history block."""

from __future__ import annotations

import json
import re
import urllib.parse
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from action_runner import on_actions
from fakes import FakeServices, Page
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from checker import mirror
from checker.cli import main
from checker.formats import escape, markdown
from checker.formats import text as text_format
from checker.model import Finding, Fix, NightlyReport, NightlyRun, Report, Severity, Summary

# What a pull request can put in a link destination: entities are decoded by the parser, so
# `&#13;&#10;` is a real line break in the URL paperlint reports.
INJECTED = (
    "&#13;&#10;@octocat&#13;&#10;##&#32;Heading&#13;&#10;&#60;img&#32;src=x&#62;"
    "&#13;&#10;&#60;!--&#32;paperlint-history&#32;v1&#13;&#10;AAAA&#13;&#10;--&#62;"
    "&#13;&#10;::error::pwned&#13;&#10;&#124;`x`*y*_z_[a](b)#12www.evil.example&#x202e;"
)
# ... and in a title, where entities are decoded too
TITLE = (
    "A &lt;img src=x&gt; paper by @octocat, see #12 \\| `code` *not bold* "
    "&lt;!-- paperlint-history v1 --&gt; www.evil.example &#x202e;"
)
# what must never be live in text GitHub renders: a mention, an issue reference, an autolink
LIVE_TEXT = re.compile(r"@\w|#\d|(?i:gh)-\d|://|(?i:www)\.")
HOSTILE_STRINGS = [
    "a\r\nb",
    "line\n## Heading",
    "@octocat and @org/team",
    "<img src=x onerror=alert(1)>",
    "<!-- paperlint-history v1\nAAAA\n-->",
    "cell | cell || `tick` ``two`` \\|",
    "*em* _em_ **strong** ~~del~~ $x^2$",
    "[link](https://evil.example) ![img](https://evil.example/x.png)",
    "see #12, owner/repo#3, GH-4 and https://evil.example or www.evil.example",
    "a@b.example mail",
    "&amp; &#64;octocat &lt;b&gt;",
    "\x1b[31mred\x1b[0m \u202eevil\u202c \u200b\ufeff \u2028\u2029 \x85 \udcff",
    "trailing backslash \\",
    "`",
    "  ",
    "",
]


# ---------------------------------------------------------------------------------------------
# What "nothing live" means in rendered Markdown (GitHub Flavored: tables, strikethrough)


def _md() -> MarkdownIt:
    return MarkdownIt("commonmark").enable("table").enable("strikethrough")


def _walk(tokens: list[Token]) -> Iterator[Token]:
    for token in tokens:
        yield token
        if token.children:
            yield from _walk(token.children)


def _inert_inline(tokens: list[Token]) -> None:
    """Inline tokens of paperlint's own markup around text from the list: only `<code>` HTML,
    no image, no strikethrough, no mention, reference or autolink in any text."""
    inside_code = 0
    for token in _walk(tokens):
        assert token.type not in ("image", "s_open", "html_block"), token
        if token.type == "html_inline":
            assert token.content in ("<code>", "</code>"), token.content
            inside_code += 1 if token.content == "<code>" else -1
        if token.type == "text":
            assert not LIVE_TEXT.search(token.content), token.content


def assert_inert(markdown: str, *, links: Callable[[str], bool], headings: set[str]) -> None:
    """`markdown` as GitHub would read it: headings and links are paperlint's own, every table
    row has its header's cells, and the raw text holds no HTML comment and no history block."""
    outside_chart = markdown.split("```mermaid")[0]  # the chart's axis is `0 --> N`
    assert "<!--" not in outside_chart and "-->" not in outside_chart
    assert mirror.decode(markdown).history is None
    tokens = _md().parse(markdown)
    cells, expected = 0, None
    for i, token in enumerate(tokens):
        assert token.type not in ("html_block", "code_block"), token
        if token.type == "fence":
            assert token.info == "mermaid"
        if token.type == "heading_open":
            assert tokens[i + 1].content in headings or any(
                tokens[i + 1].content.startswith(h) for h in headings
            ), tokens[i + 1].content
        if token.type == "tr_open":
            cells = 0
        if token.type in ("th_open", "td_open"):
            cells += 1
        if token.type == "tr_close":
            expected = cells if expected is None else expected
            assert cells == expected
        if token.type == "table_close":
            expected = None
        if token.type == "inline":
            _inert_inline(token.children or [])
            for child in _walk(token.children or []):
                if child.type == "link_open":
                    assert links(str(child.attrs["href"])), child.attrs["href"]


def _cell_text(markdown: str) -> str:
    """The text a one-row table's second cell renders to (entities decoded, no markup)."""
    tokens = _md().parse(markdown)
    rows = [i for i, t in enumerate(tokens) if t.type == "td_open"]
    assert len(rows) == 2, markdown  # two cells: the text made no cell of its own
    inline = tokens[rows[1] + 1]
    parts = []
    for child in _walk(inline.children or []):
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
    return "".join(parts)


def unzwsp(text: str) -> str:
    """Without the zero-width spaces `escape.text` puts in mentions and autolinks (the list's
    own are kept as they are: the comparison drops both)."""
    return text.replace("\u200b", "").strip()


def _table(cell: str) -> str:
    return f"| a | b |\n|---|---|\n| x | {cell} |\n"


# ---------------------------------------------------------------------------------------------
# The escaping functions


@pytest.mark.parametrize("value", HOSTILE_STRINGS)
def test_text_renders_as_the_characters_it_holds_and_nothing_else(value: str) -> None:
    cell = escape.text(value)
    assert "\n" not in cell and "\r" not in cell
    assert_inert(_table(cell), links=lambda _: False, headings=set())
    assert unzwsp(_cell_text(_table(cell))) == unzwsp(escape.visible(value))


@pytest.mark.parametrize("value", HOSTILE_STRINGS)
def test_code_renders_as_the_characters_it_holds(value: str) -> None:
    cell = escape.code(value)
    assert_inert(_table(cell), links=lambda _: False, headings=set())
    assert unzwsp(_cell_text(_table(cell))) == unzwsp(escape.visible(value))


def test_code_is_a_plain_code_span_where_it_can_be() -> None:
    assert escape.code("README.md:12") == "`README.md:12`"
    assert escape.code("Neurips 2020") == "`Neurips 2020`"
    assert escape.code("l\\xffst.md:3") == "`l\\xffst.md:3`"  # a backslash is literal in a span
    assert escape.code("a|b") == "<code>a&#124;b</code>"
    assert escape.code("<!--") == "<code>&lt;!--</code>"


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab @#:/w.<>!-|`\\*_[]()~$&;\r\n\x1b\u202e"))))
def test_text_and_code_hold_anything(value: str) -> None:
    for cell in (escape.text(value), escape.code(value)):
        assert_inert(_table(cell), links=lambda _: False, headings=set())
        assert unzwsp(_cell_text(_table(cell))) == unzwsp(escape.visible(value))


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://arxiv.org/abs/2106.09685", "`https://arxiv.org/abs/2106.09685`"),
        ("https://example.org/a b", "`https://example.org/a%20b`"),
        ("https://example.org/a\r\nb", "`https://example.org/a%0D%0Ab`"),
        ("https://example.org/<!--|`x`-->", "`https://example.org/%3C!--%7C%60x%60--%3E`"),
        ("https://example.org/\\\u202e", "`https://example.org/%5C%E2%80%AE`"),
        ("https://例え.jp/論文", "`https://例え.jp/論文`"),  # letters of any script stay
    ],
)
def test_url_is_percent_encoded_code(url: str, shown: str) -> None:
    assert escape.url(url) == shown
    assert urllib.parse.unquote(shown.strip("`")) == url  # the same URL, still usable


@pytest.mark.parametrize("value", HOSTILE_STRINGS)
def test_url_never_breaks_out_of_its_code_span(value: str) -> None:
    cell = escape.url("https://example.org/" + value)
    assert cell.startswith("`") and cell.count("`") == 2
    assert_inert(_table(cell), links=lambda _: False, headings=set())


def test_visible_shows_control_and_format_characters_and_keeps_writing() -> None:
    assert escape.visible("a\r\nb\t\x1b[31m\x85\u202e\u2066\u2028\udcff") == (
        "a\\r\\nb\\t\\x1b[31m\\x85\\u202e\\u2066\\u2028\\xff"
    )
    kept = "Café 中文 Attention\u00a0Is\u3000All 👨\u200d👩\u200d👧 می\u200cخواهم"
    assert escape.visible(kept) == kept


def test_path_never_starts_a_workflow_command() -> None:
    assert escape.path("::error::x.md") == "./::error::x.md"
    assert escape.path("  ::error::x.md") == "./  ::error::x.md"  # read without the spaces
    assert escape.path("##[error]x.md") == "#\\x23[error]x.md"  # read anywhere in a line
    assert escape.path("docs/list.md") == "docs/list.md"
    assert escape.path("a\nb.md") == "a\\nb.md"


# ---------------------------------------------------------------------------------------------
# Through the command: job summary, nightly report, text, annotations


@pytest.fixture
def hostile_list(tmp_path: Path) -> Path:
    """Offline findings that carry the hostile URL (link-private names it) and title."""
    path = tmp_path / "list.md"
    path.write_text(
        "# Papers\n\n"
        "| Title | Pub | Link |\n|---|---|---|\n"
        f"| {TITLE} | Neurips 2020 | [x](http://127.0.0.1/a{INJECTED}) |\n",
        encoding="utf-8",
    )
    return path


def _ours(href: str) -> bool:
    return href.startswith("https://github.example/o/r/blob/0123abc/")


def test_job_summary_and_annotations_of_a_hostile_list(
    hostile_list: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = on_actions(monkeypatch, hostile_list.parent)
    code = main(["check", "--offline", "list.md"])
    out, err = capsys.readouterr()
    assert code == 1 and err == ""
    text = summary.read_text(encoding="utf-8")
    assert_inert(text, links=_ours, headings={"paperlint report"})
    assert "link-private" in text and "venue-format" in text
    assert "&lt;img src=x&gt;" in text  # the HTML is there, as text
    # annotations: one line each, no second command, the line breaks shown
    lines = out.splitlines()
    assert [line.split(" ", 1)[0] for line in lines[:-1]] == ["::error", "::warning"]
    assert lines[-1] == "paperlint: 1 error, 1 warning, 0 infos in 1 file"
    assert "\\r\\n::error::pwned" in lines[0] and "\\u202e" in lines[0]


def test_text_output_of_a_hostile_list_is_one_line_per_finding(
    hostile_list: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    code = main(["check", "--offline", "--format", "text", str(hostile_list)])
    out, _ = capsys.readouterr()
    assert code == 1
    lines = out.splitlines()
    finding = next(line for line in lines if "link-private" in line)
    assert "\\r\\n@octocat\\r\\n## Heading" in finding and "\\u202e" in finding
    assert "\r" not in out and "\x1b" not in out and "\u202e" not in out
    assert not any(line.startswith(("::", "##")) for line in lines)


def test_text_output_shows_terminal_escapes_from_the_list() -> None:
    """markdown-it decodes no reference to a C0 control (`&#27;`), but a title can hold one as it
    is, and a server's answer (a title from arXiv) can too."""
    message = "title differs from arXiv: 'A \x1b]0;pwned\x07\x1b[2J paper\r\n::error::x'"
    fix = Fix(3, "A \x1b[31m paper", "A paper")
    finding = Finding("title-mismatch", Severity.WARNING, "\x1b[2Jl.md", 3, 1, message, fix=fix)
    report = Report(findings=[finding], summary=Summary(files=1, warnings=1))
    for out in (text_format.render(report), text_format.render(report, color=True)):
        assert "\x1b]" not in out and "\x1b[2J" not in out and "\x07" not in out
        assert "\\x1b]0;pwned\\x07\\x1b[2J paper\\r\\n::error::x" in out
        assert "\\x1b[2Jl.md:3:1:" in out and "'A \\x1b[31m paper'" in out


def test_a_file_named_like_a_workflow_command_stays_a_file_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    name = "::error::pwned.md"
    table = "| Title | Pub | Link |\n|---|---|---|\n"
    rows = "".join(
        f"| P{i} | Neurips 2020 | [x](https://arxiv.org/abs/2001.{i:05d}) |\n" for i in range(12)
    )
    (tmp_path / name).write_text(table + rows, encoding="utf-8")
    for fmt in ("text", "github"):
        main(["check", "--offline", "--format", fmt, name])
        out, _ = capsys.readouterr()
        commands = [line for line in out.splitlines() if line.startswith(("::", "##["))]
        if fmt == "text":
            assert commands == []
            assert "./::error::pwned.md:3:" in out
        else:  # ten annotations of ours; the two past GitHub's cap are plain lines
            assert len(commands) == 10 and all(c.startswith("::warning file=") for c in commands)
            assert all("file=%3A%3Aerror%3A%3Apwned.md," in c for c in commands)
            assert out.count("./: :error: :pwned.md:") == 2


ANNOTATIONS = ("::error file=", "::warning file=", "::notice file=")  # read as `::` commands


def test_no_line_written_holds_an_old_style_workflow_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """GitHub Actions reads `##[error]` anywhere in a line, not only at its start: a file name, a
    configuration key or a title of a pull request's never brings one to the log, in any format
    or on stderr. Only paperlint's own annotations may hold one: the runner reads a line that
    begins with `::` as that command first. JSON keeps its values (`\\u0023` is `#`), and every
    report the file's true name."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "docs").mkdir()
    name = "docs/##[error]forged.md"
    title = "A ##[add-mask]paper ###[stop-commands]x"
    row = f"- [{title}](https://arxiv.org/abs/1706.03762) Neurips 2017\n"
    (tmp_path / name).write_text(f"# Papers\n\n{row}", encoding="utf-8")
    for fmt in ("github", "text", "json", "sarif", "markdown"):
        main(["check", "--offline", "--no-cache", "--format", fmt, name])
        out, err = capsys.readouterr()
        lines = [line for line in (out + err).splitlines() if not line.startswith(ANNOTATIONS)]
        assert not [line for line in lines if "##[" in line], fmt
        if fmt == "json":
            (finding,) = json.loads(out)["findings"]
            assert finding["file"] == name
        if fmt == "github":
            assert f"::warning file={name},line=3," in out
    (tmp_path / ".paperlint.toml").write_text('"##[error]forged" = 1\n', encoding="utf-8")
    assert main(["check", "--offline", "--no-cache", name]) == 2
    out, err = capsys.readouterr()
    assert "##[" not in out + err and "unknown option" in err


def test_a_text_output_that_cannot_carry_unicode_spells_out_no_workflow_command() -> None:
    """Degraded to ASCII, a full-width `：：error：：` or `＃＃［error］` of the list's would be
    `::error::` or `##[error]`: never spelt."""
    from checker.formats.plain import degrade

    out = degrade("：：error：：x.md ＃＃［error］x café →", "ascii")
    assert "::" not in out and "##[" not in out and out.endswith("cafe ->")
    # an accent or a variation selector between two marks is never dropped to join them
    for joined in (":\u0301:error:\u0301:x", "#\u0301#[error]", "#\ufe0f#[error]"):
        for encoding in ("ascii", "cp1252"):
            out = degrade(joined, encoding)
            assert "::" not in out and "##[" not in out, (joined, encoding, out)
    assert degrade("ℹ️ ⚠️ naïve", "ascii") == "i ! naive"


def test_a_fix_hint_in_the_text_format_holds_no_workflow_command() -> None:
    fix = Fix(3, "](https://example.com/##[error]pwned", "](https://example.com/x)")
    finding = Finding("link-syntax", Severity.ERROR, "l.md", 3, 1, "m", fix=fix)
    out = text_format.render(Report(findings=[finding], summary=Summary(files=1, errors=1)))
    assert "##[" not in out and "'](https://example.com/#\\x23[error]pwned' → " in out


def test_nightly_report_of_a_hostile_list(
    fake: FakeServices, paperlint: Any, tmp_path: Path
) -> None:
    fake.world.add(Page("/ok"))
    path = tmp_path / "README.md"
    path.write_text(
        f"# Links\n\n- [{TITLE}]({fake.web('/gone')}{INJECTED})\n- [fine]({fake.web('/ok')})\n",
        encoding="utf-8",
    )
    run = paperlint(str(path), "--nightly", "--confirm-after", "1", "--allow-private",
                    "--no-cache", fmt="markdown")  # fmt: skip
    assert run.code == 0, run.err
    report = run.out
    assert "### New: confirmed since the last report (1)" in report
    assert_inert(
        report,
        links=lambda _: False,
        headings={"paperlint: link rot report", "New: confirmed since the last report"},
    )
    (row,) = [line for line in report.splitlines() if line.startswith("| ❌")]
    assert "/gone%0D%0A@octocat%0D%0A##%20Heading%0D%0A%3Cimg%20src=x%3E" in row
    assert "A &lt;img src=x&gt; paper by @&#8203;octocat" in row  # the entry, by its title


def test_a_comment_line_names_the_entry_and_makes_nothing_live() -> None:
    """What the nightly issue's comments list (one line per newly confirmed failure)."""
    url = "https://example.org/a\r\n@octocat\r\n<!-- paperlint-history v1\r\nAAAA\r\n-->"
    finding = Finding(
        "link-broken", Severity.ERROR, "README.md", 7, 3, "link is broken: HTTP 404", url
    )
    report = Report(findings=[finding], titles={("README.md", 7): "A <b>bold</b> @octocat paper"})
    links = markdown.LineLinks("https://github.example", "o/r", "0123abc", ".")
    line = markdown.bullet(report, finding, links)
    assert line.startswith(
        "- [`README.md:7`](https://github.example/o/r/blob/0123abc/README.md?plain=1#L7) "
        "A &lt;b&gt;bold&lt;/b&gt; @&#8203;octocat paper: link is broken: HTTP 404 "
        "`https://example.org/a%0D%0A@octocat%0D%0A%3C!--"
    )
    assert "\n" not in line and "\r" not in line
    assert_inert(line + "\n", links=_ours, headings=set())


def test_a_forged_history_cannot_break_out_of_the_chart() -> None:
    """The chart's dates come from the history, which whoever edits the issue can forge."""
    forged = NightlyRun('2026-1"\n```\n@octocat <img src=x>', 1, 0)
    report = Report(nightly=NightlyReport(2, "2026-11-04T04:00:00Z", runs=[forged]))
    text = markdown.render(report)
    chart = text[text.index("```mermaid") :]
    assert chart.count("```") == 2 and "@octocat" not in text and "<img" not in text
    assert 'x-axis ["1"]' in chart
