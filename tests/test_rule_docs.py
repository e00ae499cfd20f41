"""Every rule explains itself (`paperlint rule NAME`, issue 17.5), and what it says is true: its
offline examples fire and do not fire as documented, its fixes are of the kinds it names."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from fakes import FakeServices, Paper

from checker.config import Options
from checker.engine import offline_findings
from checker.model import Applicability
from checker.parse import parse_text
from checker.rules import BY_NAME, RULES, Rule
from checker.venues import VenueTable

SAFE, UNSAFE = Applicability.SAFE, Applicability.UNSAFE
OFFLINE = [r for r in RULES if not r.network]


def command(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "checker", *args], capture_output=True,
                          text=True, timeout=60, check=False)  # fmt: skip


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
def test_every_rule_is_documented(rule: Rule) -> None:
    for part in (rule.summary, rule.what, rule.why, rule.fires, rule.passes):
        assert part.strip(), rule.name
    assert rule.fires != rule.passes


def test_the_fixes_each_rule_names() -> None:
    named = {r.name: set(r.fixes) for r in RULES if r.fixes}
    assert named == {
        "table-shape": {SAFE},  # the joined split row
        "venue-format": {SAFE},
        "title-mismatch": {SAFE, UNSAFE},  # a typo / the right ID for a wrong one
        "github-moved": {SAFE},
        "link-redirect": {SAFE},
        "venue-mismatch": {UNSAFE},  # the published venue, in the list's style
        "venue-missing": {UNSAFE},  # the empty cell filled from the published record
        "arxiv-not-found": {UNSAFE},
        "link-broken": {UNSAFE},  # an archived copy
        "link-syntax": {SAFE},  # the brackets, the space, the doubled slash written right
    }


def rule_findings(text: str) -> list[Any]:
    table = VenueTable([])
    doc = parse_text("example.md", text, table)
    return list(offline_findings([doc], Options(paths=["example.md"]), table))


@pytest.mark.parametrize("rule", OFFLINE, ids=lambda r: r.name)
def test_offline_examples_fire_and_do_not_fire_as_documented(rule: Rule) -> None:
    fired = [f for f in rule_findings(rule.fires) if f.rule == rule.name]
    assert fired, f"{rule.name}: its example does not fire"
    assert {f.fix.applicability for f in fired if f.fix is not None} <= set(rule.fixes)
    assert not [f for f in rule_findings(rule.passes) if f.rule == rule.name]


def test_the_arxiv_examples_fire_and_do_not_fire_online(
    fake: FakeServices, paperlint: Any, tmp_path: Path
) -> None:
    fake.world.add(
        Paper("2106.09685", "LoRA: Low-Rank Adaptation of Large Language Models"),
        Paper("2305.14314", "QLoRA: Efficient Finetuning of Quantized LLMs"),
    )
    for name in ("title-mismatch", "arxiv-not-found"):
        rule = BY_NAME[name]
        for example, fires in ((rule.fires, True), (rule.passes, False)):
            path = tmp_path / f"{name}-{fires}.md"
            path.write_text("# Papers\n\n" + example, encoding="utf-8")
            run = paperlint(str(path), "--no-cache")
            mine = [f for f in run.findings if f["rule"] == name]
            assert bool(mine) is fires, (name, run.findings)
            for f in mine:  # the right ID, found by title, is offered as an unsafe fix
                assert f["fix"]["new"].endswith("2106.09685")
                assert f["fix"]["applicability"] == "unsafe"


def test_rule_explains_one_rule() -> None:
    done = command("rule", "link-broken")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    sections = ["link-broken", "What it checks", "Why", "Example that fires",
                "Example that does not"]  # fmt: skip
    assert [line for line in out.splitlines() if line and not line.startswith(" ")][:5] == (
        sections
    )
    assert "    - [Project page](https://example.org/a-page-that-is-gone)" in out
    assert "Default severity: error\n" in out
    assert "Needs the network: yes\n" in out
    assert out.endswith(
        "Fix: unsafe (applied only with --unsafe-fixes, beside --fix or --diff)\n"
    )
    offline = command("rule", "venue-format").stdout
    assert "Needs the network: no\n" in offline
    assert offline.endswith("Fix: safe (--fix applies it)\n")
    assert command("rule", "anchor-missing").stdout.endswith("Fix: none (reported only)\n")


def test_rule_as_json() -> None:
    done = command("rule", "title-mismatch", "--format", "json")
    data = json.loads(done.stdout)
    rule = BY_NAME["title-mismatch"]
    assert data == {
        "name": "title-mismatch",
        "severity": "error",
        "network": True,
        "fix": ["safe", "unsafe"],
        "summary": rule.summary,
        "what": rule.what,
        "why": rule.why,
        "example_fires": rule.fires,
        "example_passes": rule.passes,
    }


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("venue-fromat", "unknown rule 'venue-fromat'; did you mean 'venue-format'?"),
        ("link-brokn", "unknown rule 'link-brokn'; did you mean 'link-broken'?"),
        ("no-such-thing", "unknown rule 'no-such-thing'"),
        ("x\x1b[31m", "unknown rule 'x\\x1b[31m'"),  # escaped: no terminal sequence gets out
    ],
)
def test_an_unknown_rule_is_a_usage_error_with_a_close_match(name: str, said: str) -> None:
    done = command("rule", name)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == f"paperlint: error: {said} (see `paperlint rules`)\n"


def test_rules_lists_the_fix_of_each_rule() -> None:
    lines = command("rules").stdout.splitlines()
    columns = {line.split()[0]: line.split()[3] for line in lines}
    assert columns["title-mismatch"] == "safe/unsafe"
    assert columns["link-broken"] == "unsafe"
    assert columns["venue-format"] == "safe"
    assert columns["anchor-missing"] == "-"
    data = json.loads(command("rules", "--format", "json").stdout)
    assert {r["name"]: r["fix"] for r in data} == {
        r.name: [a.value for a in r.fixes] for r in RULES
    }
