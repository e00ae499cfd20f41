"""SARIF: fixes replace exactly the faulty text, URIs are URI references, the log has the shape
SARIF 2.1.0 requires (checked key by key against the schema's definitions we use)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from checker.config import Options
from checker.engine import offline_findings
from checker.fix import apply_fixes, line_starts
from checker.formats import sarif
from checker.model import Finding, Fix, Report, Severity
from checker.parse import parse_text
from checker.venues import VenueTable

SEED = Path(__file__).parent / "data" / "seed" / "efficiency.md"


def findings_of(text: str, path: str = "list.md") -> list[Finding]:
    options = Options()
    table = VenueTable(options.venues)
    return list(offline_findings([parse_text(path, text, table)], options, table))


def log_of(findings: list[Finding], texts: dict[str, str] | None = None) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(sarif.render(Report(findings=findings), texts))
    return data


def replacements(log: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        r
        for result in log["runs"][0]["results"]
        for fix in result.get("fixes", [])
        for change in fix["artifactChanges"]
        for r in change["replacements"]
    ]


def apply_sarif(text: str, reps: list[dict[str, Any]]) -> str:
    """Apply replacements as a SARIF viewer does: line/column (code points; CRLF, LF and CR end
    a line, as the log declares) to offsets, last first."""
    starts = [0, *(m.end() for m in re.finditer(r"\r\n|\r|\n", text))]

    def offset(line: int, column: int) -> int:
        return starts[line - 1] + column - 1

    spans = []
    for r in reps:
        region = r["deletedRegion"]
        start = offset(region["startLine"], region["startColumn"])
        end = offset(region["endLine"], region["endColumn"])
        spans.append((start, end, r["insertedContent"]["text"]))
    for start, end, new in sorted(spans, reverse=True):
        text = text[:start] + new + text[end:]
    return text


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_sarif_fixes_change_what_fix_changes(newline: str) -> None:
    text = SEED.read_text(encoding="utf-8").replace("\n", newline)
    found = findings_of(text)
    fixes = [f.fix for f in found if f.fix]
    assert len(fixes) >= 3
    for texts in ({"list.md": text}, None):
        log = log_of(found, texts)
        reps = replacements(log)
        expected, count = apply_fixes(text, fixes)
        assert len(reps) == count  # the seed's fixes do not overlap: each one is offered
        assert apply_sarif(text, reps) == expected


def test_a_venue_fix_deletes_the_venue_not_the_line() -> None:
    text = "- **Funnel**. Neurips 2020. [[pdf]](https://arxiv.org/abs/2006.03236)\n"
    found = [f for f in findings_of(text) if f.rule == "venue-format"]
    (rep,) = replacements(log_of(found, {"list.md": text}))
    column = text.index("Neurips") + 1
    assert rep == {
        "deletedRegion": {
            "startLine": 1,
            "startColumn": column,
            "endLine": 1,
            "endColumn": column + len("Neurips 2020"),
        },
        "insertedContent": {"text": "NeurIPS 2020"},
    }
    assert replacements(log_of(found)) == [rep]  # the same without the text


def test_a_split_row_fix_spans_exactly_the_two_lines() -> None:
    second = " with Linear Complexity | ICML 2020 | [a](https://arxiv.org/abs/2006.04768) |"
    text = "| Title | Venue | Code |\n|---|---|---|\n| Linformer\n" + second + "\n"
    found = [f for f in findings_of(text) if f.rule == "table-shape"]
    for texts in ({"list.md": text}, None):
        (rep,) = replacements(log_of(found, texts))
        region = rep["deletedRegion"]
        assert region == {
            "startLine": 3,
            "startColumn": 1,
            "endLine": 4,
            "endColumn": len(second) + 1,  # up to the line break, not over it
        }


def test_a_stale_fix_is_not_offered_when_the_text_is_known() -> None:
    stale = Finding(
        "venue-format", Severity.WARNING, "list.md", 1, 3, "m", fix=Fix(1, "Neurips", "NeurIPS", 3)
    )
    log = log_of([stale], {"list.md": "- ICML 2020\n"})
    assert "fixes" not in log["runs"][0]["results"][0]


@pytest.mark.parametrize(
    ("path", "sep", "uri"),
    [
        ("docs/list.md", "/", "docs/list.md"),
        ("my list #1.md", "/", "my%20list%20%231.md"),
        ("café/papers 100%.md", "/", "caf%C3%A9/papers%20100%25.md"),
        ("a:b.md", "/", "a%3Ab.md"),  # would read as a URI scheme
        ("/home/me/list.md", "/", "file:///home/me/list.md"),
        ("C:\\docs\\list.md", "/", "C%3A%5Cdocs%5Clist.md"),  # on POSIX: one odd file name
        ("docs\\my list.md", "\\", "docs/my%20list.md"),
        ("C:\\docs\\my list.md", "\\", "file:///C:/docs/my%20list.md"),
        ("\\\\server\\share\\list.md", "\\", "file://server/share/list.md"),
    ],
)
def test_artifact_uris_are_percent_encoded(path: str, sep: str, uri: str) -> None:
    assert sarif.artifact_uri(path, sep) == uri


def test_uris_in_the_log_are_encoded_everywhere() -> None:
    text = "- **Funnel**. Neurips 2020. [[pdf]](https://arxiv.org/abs/2006.03236)\n"
    found = findings_of(text, "my list #1.md")
    result = log_of(found)["runs"][0]["results"][0]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == (
        "my%20list%20%231.md"
    )
    change = result["fixes"][0]["artifactChanges"][0]
    assert change["artifactLocation"]["uri"] == "my%20list%20%231.md"


# The properties SARIF 2.1.0 allows on the objects we write ("additionalProperties": false in
# the schema), and the ones it requires.
ALLOWED = {
    "log": ({"$schema", "version", "runs", "inlineExternalProperties", "properties"},
            {"version", "runs"}),
    "run": ({"tool", "results", "columnKind", "newlineSequences", "invocations", "artifacts",
             "language", "properties", "originalUriBaseIds"}, {"tool"}),
    "result": ({"ruleId", "ruleIndex", "rule", "kind", "level", "message", "locations", "fixes",
                "properties", "guid", "analysisTarget"}, {"message"}),
    "fix": ({"description", "artifactChanges", "properties"}, {"artifactChanges"}),
    "artifactChange": ({"artifactLocation", "replacements", "properties"},
                       {"artifactLocation", "replacements"}),
    "replacement": ({"deletedRegion", "insertedContent", "properties"}, {"deletedRegion"}),
    "region": ({"startLine", "startColumn", "endLine", "endColumn", "charOffset", "charLength",
                "byteOffset", "byteLength", "snippet", "message", "sourceLanguage",
                "properties"}, set()),
    "artifactLocation": ({"uri", "uriBaseId", "index", "description", "properties"}, set()),
}  # fmt: skip


def shape(kind: str, obj: dict[str, Any]) -> None:
    allowed, required = ALLOWED[kind]
    assert set(obj) <= allowed, (kind, set(obj) - allowed)
    assert required <= set(obj), (kind, required - set(obj))


def test_the_log_has_the_shape_sarif_requires() -> None:
    text = SEED.read_text(encoding="utf-8")
    log = log_of(findings_of(text, "my list.md"), {"my list.md": text})
    shape("log", log)
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    shape("run", run)
    assert run["columnKind"] in ("utf16CodeUnits", "unicodeCodePoints")
    assert run["tool"]["driver"]["name"] == "paperlint"
    rules = run["tool"]["driver"]["rules"]
    assert len({r["id"] for r in rules}) == len(rules)
    assert run["results"]
    for result in run["results"]:
        shape("result", result)
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in ("none", "note", "warning", "error")
        for loc in result["locations"]:
            shape("artifactLocation", loc["physicalLocation"]["artifactLocation"])
            shape("region", loc["physicalLocation"]["region"])
        for fix in result.get("fixes", []):
            shape("fix", fix)
            assert len(fix["artifactChanges"]) >= 1
            for change in fix["artifactChanges"]:
                shape("artifactChange", change)
                shape("artifactLocation", change["artifactLocation"])
                assert len(change["replacements"]) >= 1
                for rep in change["replacements"]:
                    shape("replacement", rep)
                    region = rep["deletedRegion"]
                    shape("region", region)
                    assert all(region[k] >= 1 for k in region)
                    assert (region["startLine"], region["startColumn"]) < (
                        region["endLine"],
                        region["endColumn"],
                    )


def test_nightly_suspects_are_left_out_as_from_the_annotations() -> None:
    from checker.model import NightlyState

    def broken(url: str, state: str) -> Finding:
        return Finding(
            "link-broken", Severity.ERROR, "list.md", 3, 5, f"{url}: HTTP 404", url=url,
            nightly=NightlyState(state, "2026-11-01T00:00:00Z", 1),
        )  # fmt: skip

    report = Report(
        findings=[broken("https://a.test/x", "suspect"), broken("https://b.test/y", "new")]
    )
    results = json.loads(sarif.render(report))["runs"][0]["results"]
    assert [r["message"]["text"] for r in results] == ["https://b.test/y: HTTP 404"]


MIXED = "# Papers\r\n- **Funnel**. Neurips 2020.\n- café 漢字 Icml 2021\r| a\n b |\r\n\r\nend"


def scan_position(text: str, offset: int) -> tuple[int, int]:
    """Line and column of an offset by scanning the text up to it (how regions were first
    computed; a CR just before the offset counts as a line break even when an LF follows)."""
    line, line_start = 1, 0
    for m in re.finditer(r"\r\n|\r|\n", text[:offset]):
        line, line_start = line + 1, m.end()
    return line, offset - line_start + 1


def test_regions_in_a_file_of_mixed_line_endings_with_several_fixes() -> None:
    fixes = [
        (Fix(2, "Neurips", "NeurIPS", 15), (2, 15, 2, 22)),
        (Fix(3, "Icml 2021", "ICML 2021"), (3, 11, 3, 20)),  # after a CRLF, before a lone CR
        (Fix(4, "| a\n b |", "| a b |", 1), (4, 1, 5, 5)),
        (Fix(1, "\n", "\n\n", 10), (2, 1, 2, 1)),  # starts between the CR and the LF of a CRLF
        (Fix(5, "b |\n\nend", "x", 2), (5, 2, 7, 4)),
        (Fix(3, "stale", "x", 1), None),
    ]
    found = [
        Finding("venue-format", Severity.WARNING, path, fix.line, fix.column or 1, "m", fix=fix)
        for path in ("a.md", "b.md")
        for fix, _ in fixes
    ]
    results = log_of(found, {"a.md": MIXED, "b.md": MIXED})["runs"][0]["results"]
    expected = [region for _ in ("a.md", "b.md") for _, region in fixes]
    regions = []
    for result in results:
        if "fixes" not in result:
            regions.append(None)
            continue
        r = result["fixes"][0]["artifactChanges"][0]["replacements"][0]["deletedRegion"]
        regions.append((r["startLine"], r["startColumn"], r["endLine"], r["endColumn"]))
    assert regions == expected


def test_positions_are_those_of_a_scan_of_the_text() -> None:
    starts = line_starts(MIXED)
    for offset in range(len(MIXED) + 1):
        assert sarif._position(MIXED, starts, offset) == scan_position(MIXED, offset), offset


# ---------------------------------------------------------------------------------------------
# tool.driver.informationUri (issue 13.10): this project's own README, or nothing


def action_folder(root: Path, paperlint: bool) -> Path:
    """An action's folder as the runner checks it out: paperlint's holds its code."""
    folder = root / "action"
    (folder / "checker").mkdir(parents=True)
    (folder / "action.yml").write_text("name: some action\n", encoding="utf-8")
    if paperlint:
        (folder / "checker" / "cli.py").write_text("", encoding="utf-8")
    return folder


def driver_through_the_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, env: dict[str, str]
) -> dict[str, Any]:
    from checker.cli import main

    for name, value in env.items():
        monkeypatch.setenv(name, value)
    (tmp_path / "list.md").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "report.sarif"
    main(["check", "--offline", "--format", "sarif", "-o", str(out), str(tmp_path / "list.md")])
    driver: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))["runs"][0]["tool"][
        "driver"
    ]
    return driver


def test_information_uri_is_the_actions_own_readme_when_paperlint_runs_as_its_action(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = {
        "GITHUB_SERVER_URL": "https://github.example.com",
        "GITHUB_ACTION_REPOSITORY": "someone/paperlint",
        "GITHUB_ACTION_PATH": str(action_folder(tmp_path, paperlint=True)),
    }
    driver = driver_through_the_command(tmp_path, monkeypatch, env)
    assert driver["informationUri"] == "https://github.example.com/someone/paperlint#readme"
    assert list(driver)[:3] == ["name", "version", "informationUri"]


@pytest.mark.parametrize(
    "env",
    [
        {},  # a terminal, pre-commit, a `run:` step
        {"GITHUB_SERVER_URL": "https://github.com"},  # a `run:` step on Actions
        {  # a step of another action that happens to run paperlint
            "GITHUB_SERVER_URL": "https://github.com",
            "GITHUB_ACTION_REPOSITORY": "someone/other-action",
            "GITHUB_ACTION_PATH": "{other}",
        },
        {  # a composite action's steps: the runner leaves the repository empty
            "GITHUB_SERVER_URL": "https://github.com",
            "GITHUB_ACTION_REPOSITORY": "",
            "GITHUB_ACTION_PATH": "{paperlint}",
        },
        {  # nothing that is not an address makes it into the log
            "GITHUB_SERVER_URL": "javascript:alert(1)//",
            "GITHUB_ACTION_REPOSITORY": "someone/paperlint",
            "GITHUB_ACTION_PATH": "{paperlint}",
        },
    ],
    ids=["terminal", "run-step", "other-action", "composite-without-repository", "bad-server"],
)
def test_information_uri_is_left_out_where_no_true_address_is_known(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, env: dict[str, str]
) -> None:
    folders = {
        "{other}": str(action_folder(tmp_path / "o", paperlint=False)),
        "{paperlint}": str(action_folder(tmp_path / "p", paperlint=True)),
    }
    env = {k: folders.get(v, v) for k, v in env.items()}
    driver = driver_through_the_command(tmp_path, monkeypatch, env)
    assert "informationUri" not in driver
    assert "pypi" not in json.dumps(driver)  # no package index page that is not ours
    assert driver["name"] == "paperlint" and driver["rules"]
