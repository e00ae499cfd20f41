"""A configuration that cannot be used is one line on stderr and exit 2, through the real
command: no traceback, no hang (max-concurrency = 0), no run that calls every link broken
(timeout = 0). Messages name the key and the type or value it must have."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from checker.config import ConfigError, Options, apply_config, find_config, load_config

LIST = "- [Funnel](https://arxiv.org/abs/2006.03236) [code](https://example.com/funnel)\n"


CONCURRENCY = "max-concurrency must be a whole number of at least 1, not "
TIMEOUT = "timeout must be a finite number greater than 0, not "
BAD_REGEX = (
    "invalid regular expression '(unclosed': missing ), unterminated subpattern at position 0"
)


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
        ("timeout = 1979-05-27",
         "timeout must be a non-negative number greater than 0, not a date or time"),
        ("arxiv-delay = -1", "arxiv-delay must be a finite number 0 or more, not -1"),
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
