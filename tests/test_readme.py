"""The README documents every option the command has."""

from __future__ import annotations

import argparse
from pathlib import Path

from checker.cli import build_parser

README = Path(__file__).parent.parent / "README.md"


def check_options() -> list[str]:
    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    check = sub.choices["check"]
    return [o for a in check._actions for o in a.option_strings if o.startswith("--")]


def test_every_option_of_check_is_in_the_options_table() -> None:
    text = README.read_text(encoding="utf-8")
    start = text.index("### Options of `check`")
    table = text[start : text.index("\n\n", text.index("| option |", start))]
    missing = [o for o in check_options() if o != "--help" and f"`{o}" not in table]
    assert missing == []
    assert "`--fix-hardlinks`" in table
