"""A configuration that cannot be used is one line on stderr and exit 2, through the real
command: no traceback, no hang (max-concurrency = 0), no run that calls every link broken
(timeout = 0). Messages name the key and the type or value it must have."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from checker import config as config_module
from checker.config import ConfigError, Options, apply_config, find_config, load_config

LIST = "- [Funnel](https://arxiv.org/abs/2006.03236) [code](https://example.com/funnel)\n"


CONCURRENCY = "max-concurrency must be a whole number from 1 to 256, not "
TIMEOUT = "timeout must be a number of seconds from 0.5 to 600, not "
DELAY = "arxiv-delay must be a number of seconds from 0 to 60, not "
BAD_REGEX = "invalid regular expression '(unclosed': missing ) at position 9"


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("max-concurrency = 0", CONCURRENCY + "0"),
        ("max-concurrency = 0.5", CONCURRENCY + "0.5"),
        ("max-concurrency = true", CONCURRENCY + "a boolean (true)"),
        ('max-concurrency = "8"', CONCURRENCY + "a string ('8')"),
        ("timeout = 0", TIMEOUT + "0"),
        ("timeout = -1.5", TIMEOUT + "-1.5"),
        ("timeout = nan", TIMEOUT + "nan"),
        ("timeout = inf", TIMEOUT + "inf"),
        ("timeout = 1979-05-27", TIMEOUT + "a date or time"),
        # types-valid but absurd (issue 14.10): every live link broken, a sleep without end, a
        # socket per link
        ("timeout = 1e-9", TIMEOUT + "1e-09"),
        ("timeout = 0.4", TIMEOUT + "0.4"),
        ("timeout = 86400", TIMEOUT + "86400"),
        ("max-concurrency = 1_000_000_000", CONCURRENCY + "1000000000"),
        ("max-concurrency = 257", CONCURRENCY + "257"),
        ("arxiv-delay = -1", DELAY + "-1"),
        ("arxiv-delay = 1e12", DELAY + "1000000000000.0"),
        ("arxiv-delay = 61", DELAY + "61"),
        # one line naming what is wrong, never a traceback (issue 14.20)
        ("exclude = ['a{4294967296}']",
         "exclude: the regular expression 'a{4294967296}' repeats too much to compile (its "
         "length times its repetition counts comes to over 1,000,000)"),
        ("exclude = ['(?<=a+)b', '[']",
         "exclude: invalid regular expression '[': unterminated character set at position 1"),
        ("tool = 3", "tool must be a table ([tool.paperlint]) or absent, not an integer"),
        ('exclude = ["(unclosed"]', "exclude: " + BAD_REGEX),
        ("exclude = 3", "exclude must be a list of strings, not an integer (3)"),
        ('exclude = ["ok", 4]', "exclude must be a list of strings, but holds an integer (4)"),
        ("severity = 3", "severity must be a table, not an integer (3)"),
        ('venues = "NeurIPS"', "venues must be a table, not a string ('NeurIPS')"),
        ("venues = { MyConf = 3 }", "venues.MyConf must be a list of alias strings"),
        ("select = [1]", "select must be a list of strings, but holds an integer (1)"),
        ("ignore = { a = 1 }", "ignore must be a list of strings, not a table"),
        ("cache = 3", "cache must be a file name (a string), not an integer (3)"),
    ],
)  # fmt: skip
def test_a_bad_value_is_one_line_naming_the_key(
    paperlint: Any, tmp_path: Path, toml: str, message: str
) -> None:
    (tmp_path / ".paperlint.toml").write_text(toml + "\n", encoding="utf-8")
    (tmp_path / "list.md").write_text(LIST, encoding="utf-8")
    run = paperlint(str(tmp_path / "list.md"), "--no-cache", fmt=None)
    assert run.code == 2
    assert run.err == f"paperlint: error: {tmp_path / '.paperlint.toml'}: {message}\n"


def test_a_paperlint_table_that_is_not_a_table(paperlint: Any, tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool]\npaperlint = 3\n", encoding="utf-8")
    (tmp_path / "list.md").write_text(LIST, encoding="utf-8")
    run = paperlint(str(tmp_path / "list.md"), "--offline", fmt=None)
    assert run.code == 2
    assert run.err == (
        f"paperlint: error: {tmp_path / 'pyproject.toml'}: "
        "[tool.paperlint] must be a table, not an integer\n"
    )


@pytest.mark.parametrize("kind", ["fifo", "folder", "not-utf8", "loop"])
def test_a_configuration_file_that_cannot_be_read(
    paperlint: Any, tmp_path: Path, kind: str
) -> None:
    config = tmp_path / "config.toml"
    if kind == "fifo":
        import os

        os.mkfifo(config)  # opening it for reading would wait for a writer forever
    elif kind == "folder":
        config.mkdir()
    elif kind == "loop":
        config.symlink_to(config)
    else:
        config.write_bytes(b"timeout = \xff\n")
    (tmp_path / "list.md").write_text(LIST, encoding="utf-8")
    run = paperlint("--config", str(config), str(tmp_path / "list.md"), "--offline", fmt=None)
    assert run.code == 2
    assert len(run.err.splitlines()) == 1
    assert run.err.startswith(f"paperlint: error: {config}: cannot read the configuration: ")


def test_good_values_are_taken() -> None:
    options = Options()
    apply_config(
        options,
        {"timeout": 2, "max-concurrency": 4.0, "arxiv-delay": 0, "exclude": "^https://x/"},
        "c.toml",
    )
    assert (options.timeout, options.max_concurrency, options.arxiv_delay) == (2.0, 4, 0.0)
    assert options.exclude == ["^https://x/"]


def test_a_dotfile_with_a_tool_table_but_no_paperlint_reads_as_options(tmp_path: Path) -> None:
    config = tmp_path / ".paperlint.toml"
    config.write_text("timeout = 3\n[tool.other]\nx = 1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown option tool"):
        apply_config(Options(), load_config(config), str(config))


def test_the_search_survives_a_first_path_that_cannot_be_resolved(tmp_path: Path) -> None:
    (tmp_path / ".paperlint.toml").write_text("timeout = 3\n", encoding="utf-8")
    loop = tmp_path / "loop.md"
    loop.symlink_to(loop)
    assert find_config(loop) == tmp_path / ".paperlint.toml"
    assert find_config(tmp_path / ("a" * 5000)) == tmp_path / ".paperlint.toml"


@pytest.mark.parametrize(
    ("timeout", "delay", "concurrency"), [(0.5, 0, 1), (600, 60, 256), (20, 3.0, 32)]
)
def test_the_bounds_themselves_are_taken(timeout: float, delay: float, concurrency: int) -> None:
    options = Options()
    apply_config(
        options,
        {"timeout": timeout, "arxiv-delay": delay, "max-concurrency": concurrency},
        "c.toml",
    )
    assert (options.timeout, options.arxiv_delay, options.max_concurrency) == (
        timeout,
        delay,
        concurrency,
    )


def test_toml_nested_past_the_parser_s_depth_is_one_line(paperlint: Any, tmp_path: Path) -> None:
    """Issue 14.20: tomllib reads nested arrays by recursion; 100,000 of them raised
    RecursionError out of the run."""
    config = tmp_path / ".paperlint.toml"
    config.write_text("exclude = " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    (tmp_path / "list.md").write_text(LIST, encoding="utf-8")
    run = paperlint(str(tmp_path / "list.md"), "--offline", fmt=None)
    assert run.code == 2
    assert run.err == f"paperlint: error: {config}: invalid TOML: nested too deeply\n"


@pytest.mark.parametrize(
    ("toml", "shown"),
    [
        ('"bad\\nkey" = 1', "unknown option 'bad\\nkey'"),
        ('"::error::x\\r\\n::add-mask::y" = 1', "unknown option '::error::x\\r\\n::add-mask::y'"),
        ('"\\u001b[31mred" = 1', "unknown option '\\x1b[31mred'"),
        ("[venues]\n\"A\\nB\" = 3", "venues.'A\\nB' must be a list of alias strings"),
        ('[severity]\nanchor-missing = "fatal\\n"',
         "severity of anchor-missing must be error, warning or info, not a string ('fatal\\n')"),
    ],
)
def test_keys_and_values_in_a_message_are_escaped(
    paperlint: Any, tmp_path: Path, toml: str, shown: str
) -> None:
    """Issue 14.12: a key holding a line break was echoed raw, so a pull request could write a
    line of its own on stderr (`::error::`, `::add-mask::` workflow commands in CI). Keys and
    values are shown as Python writes them: quoted, escaped, on one line."""
    config = tmp_path / ".paperlint.toml"
    config.write_text(toml + "\n", encoding="utf-8")
    (tmp_path / "list.md").write_text(LIST, encoding="utf-8")
    run = paperlint(str(tmp_path / "list.md"), "--offline", fmt=None)
    assert run.code == 2
    assert run.err == f"paperlint: error: {config}: {shown}\n"
    assert run.err.count("\n") == 1 and "\r" not in run.err and "\x1b" not in run.err


def test_a_configuration_path_with_a_line_break_is_one_line(paperlint: Any, tmp_path: Path) -> None:
    folder = tmp_path / "a\nb"
    folder.mkdir()
    config = folder / "c.toml"
    config.write_text("timeout = 0\n", encoding="utf-8")
    (tmp_path / "list.md").write_text(LIST, encoding="utf-8")
    run = paperlint("--config", str(config), str(tmp_path / "list.md"), "--offline", fmt=None)
    assert run.code == 2
    assert run.err.count("\n") == 1 and "a\\nb" in run.err


# ---------------------------------------------------------------------------------------------
# exclude: user patterns run by `regex`, with a time limit (issue 14.8)


def test_an_exclude_pattern_that_backtracks_without_end_stops_the_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nested quantifiers take exponential time on a URL that almost matches: the pattern is
    stopped at its time limit (here 0.05 s of CPU, 1 s by default) and the run with it, exit 2,
    one line naming it. Nothing is fetched: the plan is made before anything is asked."""
    from checker.cli import main

    monkeypatch.setattr(config_module, "MATCH_SECONDS", 0.05)
    (tmp_path / ".paperlint.toml").write_text("exclude = ['(a|aa)+$']\n", encoding="utf-8")
    listing = tmp_path / "list.md"
    listing.write_text(f"- [x](https://example.org/{'a' * 60}!)\n", encoding="utf-8")
    code = main(["check", "--no-progress", "--cache", str(tmp_path / "c.db"), str(listing)])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err == (
        f"paperlint: error: {tmp_path / '.paperlint.toml'}: exclude: the regular expression "
        "'(a|aa)+$' takes too long (over 0.05 s on a URL of 81 characters, or 20 s in all): it "
        "backtracks; write it without nested repetition\n"
    )


@pytest.mark.parametrize(
    "pattern",
    [
        "(?:(?:a{1000}){1000}){1000}",  # tens of gigabytes to compile, before any match
        "(?:(?:a{,1000}){,1000}){,1000}",
        "(?:[ab]{1000}x{1000}){1000,}",
        "((a{400}){400})",
        "a{10000000}",  # 2.7 GB
        "(?x)(?:#)\nx{10000}){10000}",  # the `)` after `#` is a comment: still nested
        "(?V1)(?:[[a])]x{10000}){10000}",  # a nested set holds the first `]`
        "x{" + "0" * 30 + "10000000}",  # leading zeros
        "(?:x{1000}){1000}?",  # lazy
    ],
)
def test_an_exclude_pattern_too_big_to_compile_is_refused_before_compiling(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], pattern: str
) -> None:
    """`regex` writes out counted repetitions, nested ones multiplied: the pattern's size is
    bounded first (one pass over it) and a pattern past the bound is exit 2, one line."""
    from checker.cli import main

    escaped = pattern.replace("\\", "\\\\").replace("\n", "\\n")
    (tmp_path / ".paperlint.toml").write_text(f'exclude = ["{escaped}"]\n', encoding="utf-8")
    listing = tmp_path / "list.md"
    listing.write_text("- [x](https://example.org/)\n", encoding="utf-8")
    code = main(["check", "--offline", "--no-progress", "--no-cache", str(listing)])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err.startswith(
        f"paperlint: error: {tmp_path / '.paperlint.toml'}: exclude: the regular expression "
        f"{pattern!r} repeats too much to compile"
    ), err
    assert err.count("\n") == 1


@pytest.mark.parametrize(
    ("pattern", "size"),
    [
        (r"^https://web\.archive\.org/", 27),  # no count: its length
        ("[a-z]{2,5}", 50),  # length times the count
        ("(?:a{30}){30}", 11_700),  # nested
        ("a{100000}", 900_000),  # compiles in some 30 MB: allowed
        (r"[]{}]{3}\{5}", 180),  # a count anywhere counts, in a class or escaped too
        ("x{,3}(a|b)*c+", 39),  # unbounded repetitions are not written out
        ("a{b}{}", 6),  # not counts
    ],
)
def test_a_patterns_size_bounds_what_compiling_writes_out(pattern: str, size: int) -> None:
    assert config_module.pattern_size(pattern) == size
    config_module.compile_pattern(pattern)  # within the bound: compiled


def test_exclude_patterns_have_a_budget_for_the_whole_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each URL may be quick and all of them together not: past the run's budget, the next
    pattern stops the run too."""
    monkeypatch.setattr(config_module, "ALL_MATCHES_SECONDS", 0.0)
    excluded = config_module.Excluded(["^https://twitter\\.com/"], "c.toml")
    with pytest.raises(ConfigError, match=re.escape("'^https://twitter\\\\.com/' takes too long")):
        excluded("https://example.org/")


def test_exclude_patterns_match_as_re_does() -> None:
    excluded = config_module.Excluded(["^https://twitter\\.com/", "(?i)\\.PDF$"])
    assert excluded("https://twitter.com/x")
    assert excluded("https://example.org/paper.pdf")
    assert not excluded("https://example.org/twitter.com/")
    assert not config_module.Excluded([])("https://twitter.com/x")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--timeout", "1e-9"], "--timeout: must be from 0.5 to 600 seconds: '1e-9'"),
        (["--timeout", "0"], "--timeout: must be greater than 0 (from 0.5 to 600 seconds)"),
        (["--timeout", "0.1"], "--timeout: must be from 0.5 to 600 seconds: '0.1'"),
        (["--timeout", "1e5"], "--timeout: must be from 0.5 to 600 seconds: '1e5'"),
        (["--arxiv-delay", "1e12"], "--arxiv-delay: must be from 0 to 60 seconds: '1e12'"),
        (["--arxiv-delay", "-3"], "--arxiv-delay: must not be negative (from 0 to 60 seconds)"),
        (["--max-concurrency", "1000000000"], "--max-concurrency: must be at most 256"),
        (["--max-concurrency", "0"], "--max-concurrency: must be at least 1 (at most 256)"),
    ],
)
def test_the_same_bounds_on_the_command_line(
    paperlint: Any, tmp_path: Path, args: list[str], message: str
) -> None:
    """Issue 14.10: the command line refuses what the configuration refuses, saying the bounds."""
    (tmp_path / "list.md").write_text(LIST, encoding="utf-8")
    run = paperlint(str(tmp_path / "list.md"), "--offline", *args, fmt=None)
    assert run.code == 2
    assert len(run.err.splitlines()) == 1 and message in run.err, run.err


@pytest.mark.parametrize(
    ("name", "value", "why"),
    [
        ("PAPERLINT_ARXIV_API_URL", "export.arxiv.org/api/query", "not an http:// or https://"),
        ("PAPERLINT_S2_API_URL", "http://[::1/graph/v1", "not a URL (Invalid IPv6 URL)"),
        ("PAPERLINT_DBLP_API_URL", "ftp://dblp.org/search", "not an http:// or https://"),
        ("GITHUB_API_URL", "https://api.github.com:x", "not a URL (Port could not be cast"),
        ("PAPERLINT_GITHUB_API_URL", "x\n::error::pwned", "not an http:// or https://"),
    ],
)
def test_an_endpoint_that_is_no_http_url_is_one_line_and_exit_2(
    name: str, value: str, why: str, paperlint: Any, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A typo in an endpoint would read as the service's outage, run after run: named instead."""
    if name == "GITHUB_API_URL":  # read where PAPERLINT_GITHUB_API_URL is not set
        monkeypatch.delenv("PAPERLINT_GITHUB_API_URL")
    monkeypatch.setenv(name, value)
    path = tmp_path / "list.md"
    path.write_text("- [Attention](https://arxiv.org/abs/1706.03762)\n", encoding="utf-8")
    run = paperlint(str(path), "--no-cache")
    assert run.code == 2 and run.out == ""
    assert run.err.startswith(f"paperlint: error: {name}=") and run.err.count("\n") == 1
    assert why in run.err
    assert "::error::pwned" not in run.err.replace("\\n::error::pwned", "")


def test_the_archive_endpoint_is_checked_as_the_others() -> None:
    """Checked at start, as the others: not only on a night a link has died."""
    from checker.config import Endpoints

    assert Endpoints.from_env({}).wayback == "https://archive.org/wayback/available"
    given = {"PAPERLINT_WAYBACK_API_URL": "http://127.0.0.1:9/w"}
    assert Endpoints.from_env(given).wayback == "http://127.0.0.1:9/w"
    with pytest.raises(ConfigError, match=r"PAPERLINT_WAYBACK_API_URL=archive\.org: not an http"):
        Endpoints.from_env({"PAPERLINT_WAYBACK_API_URL": "archive.org"})


def test_an_endpoint_pasted_with_a_line_break_is_trimmed_and_one_inside_is_refused() -> None:
    from checker.config import Endpoints

    pasted = {"PAPERLINT_GITHUB_API_URL": " https://ghe.example.com/api/v3\n"}
    assert Endpoints.from_env(pasted).github == "https://ghe.example.com/api/v3"
    for inside in ("https://ghe.example.com/api\nv3", "https://ghe.example.com/api v3"):
        with pytest.raises(ConfigError, match="no space or line break inside"):
            Endpoints.from_env({"PAPERLINT_GITHUB_API_URL": inside})


def test_an_endpoint_is_shown_without_its_password() -> None:
    from checker.config import Endpoints

    with pytest.raises(ConfigError) as refused:
        Endpoints.from_env({"PAPERLINT_S2_API_URL": "ftp://me:s3cret@example.org/graph"})
    assert "s3cret" not in str(refused.value) and "ftp://…@example.org/graph" in str(refused.value)
