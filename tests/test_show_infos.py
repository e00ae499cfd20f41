"""Infos stay out of a maintainer's way (issue 15.11): `text` and `github` list errors and
warnings, and their summary line counts the infos and says how to see them (`--show-infos`);
JSON, SARIF and Markdown keep every finding."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

# one warning (the same paper twice in one section), two infos (one paper for two models; the
# Findings track written after the year, which has a safe fix)
LIST = (
    "# Models\n\n"
    "| Model | Venue | Paper |\n|---|---|---|\n"
    "| BLOOMZ | ACL 2023 Findings | [p](https://arxiv.org/abs/2211.01786) |\n"
    "| mT0 | | [p](https://arxiv.org/abs/2211.01786) |\n"
    "\n# Papers\n\n"
    "- [LoRA: Low-Rank Adaptation of Large Language Models](https://arxiv.org/abs/2106.09685)\n"
    "- [LoRA: Low-Rank Adaptation of Large Language Models](https://arxiv.org/pdf/2106.09685)\n"
)


@pytest.fixture(autouse=True)
def _plain_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def listed(tmp_path: Path) -> str:
    path = tmp_path / "list.md"
    path.write_text(LIST, encoding="utf-8")
    return str(path)


@pytest.fixture
def run(paperlint: Any) -> Any:
    """The command offline, in the format asked for, as a fresh process would run it."""

    def check(fmt: str, *args: str) -> tuple[int, str]:
        done = paperlint("--offline", "--no-cache", *args, fmt=fmt)
        return done.code, done.out

    return check


def test_text_lists_warnings_and_counts_the_infos(listed: str, run: Any) -> None:
    code, out = run("text", listed)
    lines = out.splitlines()
    assert code == 0
    assert [line.split()[1:3] for line in lines if line.startswith(listed)] == [
        ["warning", "duplicate-entry"]
    ]
    assert " info " not in out
    assert lines[-1].startswith("Found 3 problems (0 errors, 1 warning, 2 infos) in 1 file: ")
    assert "; 2 infos not shown (--show-infos shows them); " in lines[-1]
    # the fix of a hidden info is counted, and said to be hidden
    assert "; 1 fixable with --fix (1 of them an info, not shown) (" in lines[-1]


def test_show_infos_lists_them_all(listed: str, run: Any) -> None:
    _, out = run("text", "--show-infos", listed)
    shown = [line.split()[1:3] for line in out.splitlines() if line.startswith(listed)]
    assert shown == [
        ["info", "venue-format"],
        ["info", "duplicate-entry"],
        ["warning", "duplicate-entry"],
    ]
    assert "not shown" not in out


def test_github_annotates_warnings_only_unless_asked(listed: str, run: Any) -> None:
    _, out = run("github", listed)
    lines = out.splitlines()
    assert [line.split()[0] for line in lines[:-1]] == ["::warning"]
    assert lines[-1] == (
        "paperlint: 0 errors, 1 warning, 2 infos in 1 file; 2 infos not shown "
        "(--show-infos shows them)"
    )
    _, out = run("github", "--show-infos", listed)
    assert [line.split()[0] for line in out.splitlines()[:-1]] == [
        "::warning",
        "::notice",
        "::notice",
    ]
    assert out.splitlines()[-1] == "paperlint: 0 errors, 1 warning, 2 infos in 1 file"


def test_json_sarif_and_markdown_keep_every_finding(listed: str, run: Any, tmp_path: Path) -> None:
    sarif, text = tmp_path / "r.sarif", tmp_path / "r.txt"
    _, out = run("json", "--report", f"sarif={sarif}", "--report", f"text={text}", listed)
    assert [f["severity"] for f in json.loads(out)["findings"]] == ["info", "info", "warning"]
    results = json.loads(sarif.read_text(encoding="utf-8"))["runs"][0]["results"]
    assert sorted(r["level"] for r in results) == ["note", "note", "warning"]
    # a text report written beside them follows the same choice as the text on stdout
    assert "2 infos not shown" in text.read_text(encoding="utf-8")
    _, out = run("markdown", listed)
    assert out.count("`duplicate-entry`") == 2 and "`venue-format`" in out
