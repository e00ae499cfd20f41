"""Every offline rule, firing and not firing; suppression comments; selection; configuration."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checker.cli import main
from checker.config import ConfigError, Options, apply_config, find_config, load_config
from checker.engine import finish, offline_findings
from checker.model import Finding, Severity
from checker.parse import parse_text
from checker.venues import VenueTable


def run_rules(md: str, options: Options | None = None) -> list[Finding]:
    table = VenueTable()
    doc = parse_text("t.md", md, table)
    opts = options or Options(paths=["t.md"], offline=True)
    return finish(offline_findings([doc], opts, table), [doc], opts)


def brief(findings: list[Finding]) -> list[tuple[str, str, int]]:
    return [(f.rule, f.severity.value, f.line) for f in findings]


def of_rule(findings: list[Finding], rule: str) -> list[Finding]:
    return [f for f in findings if f.rule == rule]


CLEAN = (
    "# Papers\n"
    "\n"
    "## Attention\n"
    "\n"
    "| Title | Pub | Link | Code |\n"
    "|---|---|---|---|\n"
    "| Attention Is All You Need | NeurIPS 2017 | [1706.03762](https://arxiv.org/abs/1706.03762)"
    " | [tensor2tensor](https://github.com/tensorflow/tensor2tensor) |\n"
    "| LoRA | ICLR 2022 | [arXiv:2106.09685v2](https://arxiv.org/abs/2106.09685v2)"
    " | [microsoft/LoRA](https://github.com/microsoft/LoRA/tree/main/loralib) |\n"
    "\n"
    "- See [the top](#papers), [attention](#attention) and [LoRA](https://arxiv.org/abs/2106.09686)\n"
    "- Old: [Beyond](https://arxiv.org/abs/hep-th/9711200) NIPS 1998\n"
)


def test_clean_document_has_no_findings() -> None:
    assert run_rules(CLEAN) == []


# ---------------------------------------------------------------------------------------------
# table-shape


def test_table_shape_short_and_long_rows() -> None:
    findings = run_rules(
        "| Title | Pub | Link |\n"
        "|---|---|---|\n"
        "| A | ICLR 2020 | [x](https://arxiv.org/abs/2001.04451) | extra |\n"
        "| B | [y](https://arxiv.org/abs/2006.04768) |\n"
        "| C | ICLR 2021 | [z](https://arxiv.org/abs/2010.11929)\n"
    )
    # GitHub pads the short row on line 4 and drops the extra text on line 3
    assert brief(findings) == [("table-shape", "error", 3)]
    assert findings[0].message == (
        "table row has 4 cells but the header has 3: GitHub drops what is past column 3 ('extra')"
    )
    (finding,) = findings
    assert finding.fix is None
    line = "| A | ICLR 2020 | [x](https://arxiv.org/abs/2001.04451) | extra |"
    assert line[finding.column - 1 :].startswith(" extra")  # at the first cell GitHub drops


def test_table_shape_split_row_offers_the_joined_row() -> None:
    findings = run_rules(
        "| Title | Pub | Link |\n"
        "|---|---|---|\n"
        "| Explicit Sparse Transformer\n"
        "Transformers | | [x](https://arxiv.org/abs/1912.11637) |\n"
    )
    (f,) = findings
    assert (f.rule, f.severity, f.line) == ("table-shape", Severity.ERROR, 3)
    assert "split across lines 3-4" in f.message
    assert f.fix is not None
    assert f.fix.line == 3
    assert f.fix.old == (
        "| Explicit Sparse Transformer\nTransformers | | [x](https://arxiv.org/abs/1912.11637) |"
    )
    assert f.fix.new == (
        "| Explicit Sparse Transformer Transformers | | [x](https://arxiv.org/abs/1912.11637) |"
    )


def test_table_shape_silent_for_rows_without_outer_pipes() -> None:
    md = "Title | Link\n--- | ---\nA | [x](https://arxiv.org/abs/2001.04451)\n"
    assert run_rules(md) == []


# ---------------------------------------------------------------------------------------------
# arxiv-id-malformed


def test_arxiv_id_malformed_fires_on_impossible_ids() -> None:
    findings = run_rules(
        "- [x](https://arxiv.org/abs/2113.01234)\n"
        "- [y](https://arxiv.org/pdf/1501.0001.pdf)\n"
        "- [z](https://arxiv.org/abs/foo/9711200)\n"
        "- [ok](https://arxiv.org/abs/hep-th/9711200)\n"
        "- [ok](https://arxiv.org/abs/2106.09685v3)\n"
        "- [list](https://arxiv.org/list/cs.CL/recent)\n"
    )
    assert brief(findings) == [("arxiv-id-malformed", "error", n) for n in (1, 2, 3)]
    assert "'2113.01234' is not a valid arXiv identifier" in findings[0].message
    assert findings[0].url == "https://arxiv.org/abs/2113.01234"
    assert findings[0].column == 7


# ---------------------------------------------------------------------------------------------
# link-text-mismatch


def test_link_text_mismatch_arxiv() -> None:
    findings = run_rules(
        "- [2106.09685](https://arxiv.org/abs/2106.09686)\n"
        "- [arXiv:1706.03762](https://arxiv.org/pdf/1706.03763.pdf)\n"
        "- [https://arxiv.org/abs/2001.04451](https://arxiv.org/abs/2001.04452)\n"
        "- [arXiv:2010.11929v2](https://arxiv.org/abs/2010.11929)\n"
        "- [Paper](https://arxiv.org/abs/2006.04768)\n"
        "- [2006.03236](https://arxiv.org/abs/2006.03236v1)\n"
    )
    assert brief(findings) == [("link-text-mismatch", "error", n) for n in (1, 2, 3)]
    assert findings[0].message == (
        "link text names arXiv 2106.09685 but the link points to 2106.09686"
    )


def test_link_text_mismatch_github() -> None:
    findings = run_rules(
        "- [microsoft/LoRA](https://github.com/microsoft/LoRB)\n"
        "- [https://github.com/x/y](https://github.com/a/b)\n"
        "- [other/LoRA](https://github.com/microsoft/LoRA)\n"
        "- [Paper/Code](https://github.com/a/b)\n"
        "- [a/b](https://github.com/a/b/tree/main/x)\n"
        "- [A/B](https://github.com/a/b)\n"
        "- [code](https://github.com/a/b)\n"
    )
    assert brief(findings) == [
        ("link-text-mismatch", "error", 1),
        ("link-text-mismatch", "error", 2),
        ("link-text-mismatch", "info", 3),  # the same repository name under another owner
    ]
    assert findings[0].message == (
        "link text names microsoft/LoRA but the link points to microsoft/LoRB"
    )


def test_link_text_naming_the_repository_under_an_organisation_nickname_is_a_label() -> None:
    # cedrickchee/awesome-transformer-nlp, lines 433 and 439 (tests/data/corpus)
    findings = run_rules(
        "7. [facebook/fairseq](https://github.com/pytorch/fairseq/blob/master/examples/roberta)"
        " - RoBERTa\n"
        "13. [facebook/MMBT](https://github.com/facebookresearch/mmbt/) from Facebook AI\n"
        "14. [facebookresearch/fairseq](https://github.com/facebookresearch/fairseq-py)\n"
        "15. [https://github.com/facebook/fairseq](https://github.com/pytorch/fairseq)\n"
    )
    assert brief(findings) == [
        ("link-text-mismatch", "info", 1),
        ("link-text-mismatch", "info", 2),
        ("link-text-mismatch", "error", 3),  # another repository name: a wrong link
        ("link-text-mismatch", "info", 4),
    ]
    assert findings[0].message == (
        "link text names facebook/fairseq but the link points to pytorch/fairseq "
        "(the same repository name under another owner)"
    )


# ---------------------------------------------------------------------------------------------
# duplicate-entry


def test_duplicate_entry_warning_in_one_section_nothing_across_sections() -> None:
    findings = run_rules(
        "## A\n"
        "\n"
        "- [LoRA: Low-Rank Adaptation](https://arxiv.org/abs/2106.09685)\n"
        "- [LoRA: Low Rank Adaptation](https://arxiv.org/abs/2106.09685v2)\n"
        "\n"
        "## B\n"
        "\n"
        "- [LoRA: Low-Rank Adaptation](https://arxiv.org/pdf/2106.09685.pdf)\n"
        "- [Another paper entirely](https://arxiv.org/abs/2106.09686)\n"
    )
    # the same title under another heading is cross-listing: not reported
    assert brief(findings) == [("duplicate-entry", "warning", 4)]
    assert findings[0].message == "arXiv 2106.09685 is already listed at line 3 in the same section"


def test_duplicate_entry_across_table_and_list() -> None:
    findings = run_rules(
        "| Title | Link |\n|---|---|\n"
        "| Low-Rank Adaptation of Large Language Models | [x](https://arxiv.org/abs/2106.09685) |\n"
        "\n"
        "- [Low-Rank Adaptation of Large Language Models](https://arxiv.org/abs/2106.09685)\n"
    )
    assert brief(findings) == [("duplicate-entry", "warning", 5)]


def test_same_id_twice_in_one_entry_is_not_a_duplicate() -> None:
    md = "- [abs](https://arxiv.org/abs/2106.09685) [pdf](https://arxiv.org/pdf/2106.09685)\n"
    assert run_rules(md) == []


# ---------------------------------------------------------------------------------------------
# anchor-missing


HEADINGS = (
    "# Intro!\n"
    "\n"
    "## What's New? 🔥\n"
    "\n"
    "## Intro\n"
    "\n"
    "## C++ & Python\n"
    "\n"
    "## Résumé\n"
    "\n"
    "## LoRA Papers\n"
    "\n"
    '<a name="custom"></a>\n'
    "\n"
)


@pytest.mark.parametrize(
    "fragment",
    [
        "#intro",
        "#intro-1",  # the second "Intro"
        "#whats-new-",  # punctuation and emoji dropped, the space kept
        "#c--python",
        "#résumé",
        "#r%C3%A9sum%C3%A9",
        "#lora-papers",
        "#LoRA-Papers",  # fragments are compared without case
        "#custom",
        "#user-content-intro",
    ],
)
def test_anchor_present(fragment: str) -> None:
    assert run_rules(HEADINGS + f"- [x]({fragment})\n") == []


@pytest.mark.parametrize(
    "fragment",
    ["#intro-2", "#whats-new", "#what's-new-", "#c-python", "#lora_papers", "#nope"],
)
def test_anchor_missing(fragment: str) -> None:
    findings = run_rules(HEADINGS + f"- [x]({fragment})\n")
    assert brief(findings) == [("anchor-missing", "error", 15)]
    assert findings[0].message == f"no heading or anchor '{fragment}' in this document"
    assert findings[0].column == 7


def test_anchor_to_heading_below_the_link() -> None:
    assert run_rules("- [down](#later-on)\n\n## Later on\n") == []


# ---------------------------------------------------------------------------------------------
# venue-format and venue-year


def table_with_venues(*rows: tuple[str, str]) -> str:
    lines = ["| Title | Pub | Link |", "|---|---|---|"]
    for venue, arxiv_id in rows:
        lines.append(f"| Some paper title | {venue} | [x](https://arxiv.org/abs/{arxiv_id}) |")
    return "\n".join(lines) + "\n"


def test_venue_format_fires_with_fix() -> None:
    md = table_with_venues(
        ("Neurips 2020", "2006.03236"),
        ("NIPS 2019", "1906.00001"),
        ("iclr 2021", "2010.00001"),
        ("ICLR2022", "2110.00001"),
    )
    findings = run_rules(md)
    assert brief(findings) == [("venue-format", "warning", n) for n in (3, 4, 5, 6)]
    fixes = [(f.fix.old, f.fix.new) for f in findings if f.fix]
    assert fixes == [
        ("Neurips 2020", "NeurIPS 2020"),
        ("NIPS 2019", "NeurIPS 2019"),
        ("iclr 2021", "ICLR 2021"),
        ("ICLR2022", "ICLR 2022"),
    ]
    first = findings[0]
    assert first.message == "venue 'Neurips 2020' is not written canonically: 'NeurIPS 2020'"
    assert first.column == md.splitlines()[2].index("Neurips 2020") + 1
    assert first.fix is not None and first.fix.line == 3


@pytest.mark.parametrize(
    "venue",
    [
        "NeurIPS 2020",
        "NIPS 2017",  # the old name is right up to 2017
        "Advances in Neural Information Processing Systems 2019",
        "ICLR 2022 (Oral)",
        "Findings of EMNLP 2023",
        "arXiv",
        "Preprint",
        "",
    ],
)
def test_venue_format_silent_for_canonical_or_unknown_venues(venue: str) -> None:
    assert of_rule(run_rules(table_with_venues((venue, "1706.03762"))), "venue-format") == []


def test_venue_format_in_a_numbered_list() -> None:
    md = (
        "1. **Attention Is All You Need**. *Vaswani et al.* Neurips 2017. "
        "[[pdf](https://arxiv.org/abs/1706.03762)]\n"
        "2. **LoRA: Low-Rank Adaptation**. *Hu et al.* ICLR 2022. "
        "[[pdf](https://arxiv.org/abs/2106.09685)]\n"
    )
    (f,) = run_rules(md)
    assert (f.rule, f.line, f.column) == ("venue-format", 1, md.index("Neurips 2017") + 1)
    assert f.fix is not None and (f.fix.old, f.fix.new) == ("Neurips 2017", "NeurIPS 2017")


def test_venue_year_fires_only_past_a_late_upload() -> None:
    findings = run_rules(
        table_with_venues(
            ("ICLR 2019", "2007.03236"),  # July 2020: past June of the next year, fires
            ("ICLR 2019", "2006.03236"),  # June 2020: a late upload, silent
            ("NeurIPS 2020", "2103.00001"),  # a December conference uploaded in March: silent
            ("ICLR 2021", "2006.00001"),  # earlier upload: silent
            ("NIPS 1998", "hep-th/9711200"),  # old-style ID, 1997: silent
            ("ICML 1996", "hep-th/9706001"),  # June 1997: silent
            ("ICML 1995", "hep-th/9712002"),  # December 1997: fires
        )
    )
    assert brief(findings) == [("venue-year", "warning", 3), ("venue-year", "warning", 9)]
    assert findings[0].message == (
        "venue year 2019 is earlier than arXiv 2007.03236 (Jul 2020), later than a late upload "
        "explains; check the venue or the ID"
    )
    assert findings[0].url == "https://arxiv.org/abs/2007.03236"


@pytest.mark.parametrize("venue", ["ICLR 2099", "ICLR 1901"])
def test_venue_year_not_plausible(venue: str) -> None:
    findings = of_rule(run_rules(table_with_venues((venue, "2006.03236"))), "venue-year")
    assert [f.message for f in findings] == [
        f"venue year {venue.split()[1]} is not a plausible year"
    ]


def test_venue_year_without_arxiv_link_is_only_checked_for_plausibility() -> None:
    md = "| Title | Pub | Link |\n|---|---|---|\n| T | ICLR 2015 | [x](https://example.com) |\n"
    assert run_rules(md) == []


# ---------------------------------------------------------------------------------------------
# link-private


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/paper.pdf",
        "http://10.1.2.3/",
        "http://192.168.0.1/x",
        "http://169.254.169.254/latest/meta-data",
        "http://localhost/",
        "http://localhost:3000/x",
        "http://[::1]:8080/",
        "http://172.16.5.4/",
    ],
)
def test_link_private_fires_without_fetching(url: str) -> None:
    findings = run_rules(f"- [a]({url})\n")
    assert brief(findings) == [("link-private", "error", 1)]
    assert findings[0].url == url
    assert findings[0].message.endswith(url)


def test_link_private_silent_for_public_hosts() -> None:
    md = "- [a](https://example.com/)\n- [b](http://8.8.8.8/)\n- [c](https://localhost.example.org/)\n"
    assert run_rules(md) == []


def test_link_private_in_html_block() -> None:
    findings = run_rules('<p><a href="http://192.168.1.1/admin">router</a></p>\n')
    assert brief(findings) == [("link-private", "error", 1)]


# ---------------------------------------------------------------------------------------------
# Suppression comments


SUPPRESSED = (
    "<!-- paperlint-disable-next-line link-private -->\n"  # 1
    "- [a](http://127.0.0.1/)\n"  # 2: hidden
    "- [b](http://127.0.0.2/)\n"  # 3: reported
    "<!-- paperlint-disable-next-line anchor-missing, link-private -->\n"  # 4
    "- [c](http://10.0.0.1/) [d](#nope)\n"  # 5: both hidden
    "\n"
    "<!-- paperlint-disable anchor-missing -->\n"  # 7
    "- [e](#nope1) [f](http://10.0.0.2/)\n"  # 8: anchor hidden, private reported
    "- [g](#nope2)\n"  # 9: hidden
    "<!-- paperlint-enable anchor-missing -->\n"  # 10
    "- [h](#nope3)\n"  # 11: reported
    "\n"
    "<!-- paperlint-disable -->\n"  # 13: every rule
    "- [i](#nope4) [j](http://10.0.0.3/)\n"  # 14: hidden
    "<!-- paperlint-enable -->\n"  # 15
    "- [k](#nope5)\n"  # 16: reported
    "<!-- paperlint-disable-next-line venue-format -->\n"  # 17
    "- [l](#nope6)\n"  # 18: another rule, reported
)


def test_suppression_comments() -> None:
    assert brief(run_rules(SUPPRESSED)) == [
        ("link-private", "error", 3),
        ("link-private", "error", 8),
        ("anchor-missing", "error", 11),
        ("anchor-missing", "error", 16),
        ("anchor-missing", "error", 18),
    ]


def test_suppression_applies_to_table_shape() -> None:
    md = (
        "<!-- paperlint-disable table-shape -->\n"
        "\n"
        "| Title | Link |\n"
        "|---|---|\n"
        "| A | [x](https://arxiv.org/abs/2001.04451) | extra |\n"
        "\n"
        "<!-- paperlint-enable table-shape -->\n"
    )
    assert run_rules(md) == []


# ---------------------------------------------------------------------------------------------
# --select / --ignore and severity overrides (engine level)

MIXED = "- [a](http://127.0.0.1/)\n- [b](#nope)\n- [c](https://arxiv.org/abs/2113.01234)\n"


def test_select_runs_only_the_named_rules() -> None:
    opts = Options(paths=["t.md"], offline=True, select={"anchor-missing", "link-private"})
    assert [f.rule for f in run_rules(MIXED, opts)] == ["link-private", "anchor-missing"]


def test_ignore_skips_the_named_rules() -> None:
    opts = Options(paths=["t.md"], offline=True, ignore={"link-private"})
    assert [f.rule for f in run_rules(MIXED, opts)] == ["anchor-missing", "arxiv-id-malformed"]


def test_severity_override() -> None:
    opts = Options(paths=["t.md"], offline=True, severity={"anchor-missing": Severity.INFO})
    assert brief(run_rules(MIXED, opts))[1] == ("anchor-missing", "info", 2)


# ---------------------------------------------------------------------------------------------
# Configuration files, through the command line


LIST = (
    "- [a](http://127.0.0.1/)\n- [b](#nope)\n- Neurips 2020 [c](https://arxiv.org/abs/2006.03236)\n"
)


def run_json(tmp_path: Path, *args: str) -> tuple[int, dict[str, object]]:
    out = tmp_path / "report.json"
    code = main(["check", "--offline", "--format", "json", "--output", str(out), *args])
    return code, json.loads(out.read_text(encoding="utf-8"))


def rules_of(report: dict[str, object]) -> list[tuple[str, str]]:
    findings = report["findings"]
    assert isinstance(findings, list)
    return [(f["rule"], f["severity"]) for f in findings]


def test_no_config(tmp_path: Path) -> None:
    (tmp_path / "list.md").write_text(LIST, encoding="utf-8")
    code, report = run_json(tmp_path, str(tmp_path / "list.md"))
    assert code == 1
    assert rules_of(report) == [
        ("link-private", "error"),
        ("anchor-missing", "error"),
        ("venue-format", "warning"),
    ]


def test_pyproject_config_ignore_and_severity(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.paperlint]\nignore = ["link-private"]\n'
        '[tool.paperlint.severity]\n"anchor-missing" = "warning"\n"venue-format" = "error"\n',
        encoding="utf-8",
    )
    sub = tmp_path / "docs"
    sub.mkdir()
    (sub / "list.md").write_text(LIST, encoding="utf-8")
    code, report = run_json(tmp_path, str(sub / "list.md"))  # found by searching upward
    assert rules_of(report) == [("anchor-missing", "warning"), ("venue-format", "error")]
    assert code == 1


def test_pyproject_without_paperlint_table_falls_through_to_dotfile(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    (tmp_path / ".paperlint.toml").write_text(
        'ignore = ["link-private", "anchor-missing"]\n', encoding="utf-8"
    )
    (tmp_path / "list.md").write_text(LIST, encoding="utf-8")
    assert find_config(tmp_path / "list.md") == tmp_path / ".paperlint.toml"
    code, report = run_json(tmp_path, str(tmp_path / "list.md"))
    assert rules_of(report) == [("venue-format", "warning")]
    assert code == 0  # a warning alone does not fail the run


def test_pyproject_wins_over_dotfile_in_the_same_folder(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.paperlint]\nselect = ["anchor-missing"]\n', encoding="utf-8"
    )
    (tmp_path / ".paperlint.toml").write_text('select = ["link-private"]\n', encoding="utf-8")
    (tmp_path / "list.md").write_text(LIST, encoding="utf-8")
    assert find_config(tmp_path / "list.md") == tmp_path / "pyproject.toml"
    _, report = run_json(tmp_path, str(tmp_path / "list.md"))
    assert rules_of(report) == [("anchor-missing", "error")]


def test_dotfile_with_tool_paperlint_table(tmp_path: Path) -> None:
    cfg = tmp_path / ".paperlint.toml"
    cfg.write_text('[tool.paperlint.severity]\n"link-private" = "info"\n', encoding="utf-8")
    assert load_config(cfg) == {"severity": {"link-private": "info"}}


def test_explicit_config_option(tmp_path: Path) -> None:
    cfg = tmp_path / "lint.toml"
    cfg.write_text('select = ["venue-format"]\n', encoding="utf-8")
    (tmp_path / "list.md").write_text(LIST, encoding="utf-8")
    code, report = run_json(tmp_path, "--config", str(cfg), str(tmp_path / "list.md"))
    assert (code, rules_of(report)) == (0, [("venue-format", "warning")])


def test_command_line_select_overrides_config_select(tmp_path: Path) -> None:
    (tmp_path / ".paperlint.toml").write_text('select = ["venue-format"]\n', encoding="utf-8")
    (tmp_path / "list.md").write_text(LIST, encoding="utf-8")
    code, report = run_json(tmp_path, "--select", "link-private", str(tmp_path / "list.md"))
    assert (code, rules_of(report)) == (1, [("link-private", "error")])


def test_command_line_ignore_adds_to_config_ignore(tmp_path: Path) -> None:
    (tmp_path / ".paperlint.toml").write_text('ignore = ["venue-format"]\n', encoding="utf-8")
    (tmp_path / "list.md").write_text(LIST, encoding="utf-8")
    _, report = run_json(tmp_path, "--ignore", "link-private", str(tmp_path / "list.md"))
    assert rules_of(report) == [("anchor-missing", "error")]


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"ignore": ["no-such-rule"]}, "unknown rule 'no-such-rule'"),
        ({"severity": {"anchor-missing": "fatal"}}, "must be error, warning or info"),
        ({"severity": {"no-such-rule": "info"}}, "unknown rule"),
        ({"colour": True}, "unknown option colour"),
        ({"timeout": "soon"}, "timeout must be a number of seconds from 0.5 to 600"),
        ({"select": [1, 2]}, "select must be a list of strings"),
    ],
)
def test_bad_config_values_are_config_errors(table: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        apply_config(Options(), table, "pyproject.toml")


# ---------------------------------------------------------------------------------------------
# arxiv-id-conflict (issue 15.5): an entry's own links name two papers

LORA, QLORA = "2106.09685", "2305.14314"
LORA_TITLE = "LoRA: Low-Rank Adaptation of Large Language Models"


def conflicts(md: str) -> list[tuple[int, int, str]]:
    """(line, column, ID named there) of each arxiv-id-conflict."""
    found = of_rule(run_rules(md), "arxiv-id-conflict")
    assert all(f.severity is Severity.ERROR for f in found)
    return [(f.line, f.column, f.message.split()[4]) for f in found]


@pytest.mark.parametrize(
    "md",
    [
        # the title link and a pdf label
        f"- [{LORA_TITLE}](https://arxiv.org/abs/{LORA}) [[pdf](https://arxiv.org/pdf/{QLORA})]\n",
        # the title link and a badge
        f"- [{LORA_TITLE}](https://arxiv.org/abs/{LORA}) [![arXiv](https://img.shields.io/badge/"
        f"arXiv-paper-b31b1b)](https://arxiv.org/abs/{QLORA})\n",
        # abs and pdf side by side under a bold title
        f"- **{LORA_TITLE}** [[arXiv](https://arxiv.org/abs/{LORA})]"
        f" [[pdf](https://arxiv.org/pdf/{QLORA}.pdf)]\n",
        # an arXiv label and a Hugging Face page, in a table's links cell
        f"| Title | Links |\n|---|---|\n| {LORA_TITLE} | [arXiv](https://arxiv.org/abs/{LORA})"
        f" \\| [🤗 HF](https://huggingface.co/papers/{QLORA}) |\n",
        # an ID written as a citation and a pdf label
        f"- **{LORA_TITLE}**. *Hu et al.* arXiv preprint arXiv:{LORA}, 2021."
        f" [[pdf](https://arxiv.org/pdf/{QLORA})]\n",
        # the title link and an ID written right after it
        f"- [{LORA_TITLE}](https://arxiv.org/abs/{LORA}) (arXiv:{QLORA})\n",
        # a title link on another line of a list item than its pdf link
        f"- [{LORA_TITLE}](https://arxiv.org/abs/{LORA})\n  by Hu et al.,"
        f" [[pdf](https://arxiv.org/pdf/{QLORA})]\n",
    ],
    ids=["title-pdf", "title-badge", "abs-pdf", "arxiv-hf", "text-pdf", "title-text", "two-lines"],
)
def test_an_entry_whose_own_links_name_two_papers(md: str) -> None:
    ((line, column, named),) = conflicts(md)
    assert named == QLORA
    assert md.splitlines()[line - 1][column - 1 :].startswith(("https://", "arXiv:"))


def test_the_conflict_names_both_ids_and_where_the_other_stands() -> None:
    (f,) = of_rule(
        run_rules(
            f"# Papers\n\n- [{LORA_TITLE}](https://arxiv.org/abs/{LORA})"
            f" [[pdf](https://arxiv.org/pdf/{QLORA}v2)]\n"
        ),
        "arxiv-id-conflict",
    )
    assert f.message == (
        f"this entry links arXiv {QLORA} here but arXiv {LORA} in its title link (line 3):"
        " one of them is wrong"
    )
    assert (f.line, f.url) == (3, f"https://arxiv.org/pdf/{QLORA}v2")


@pytest.mark.parametrize(
    "md",
    [
        # versions of one paper
        f"- [{LORA_TITLE}](https://arxiv.org/abs/{LORA}v1) [[pdf](https://arxiv.org/pdf/{LORA}v2)]"
        f" [HF](https://hf.co/papers/{LORA}) arXiv:{LORA}v2\n",
        # a description citing another paper by its title
        f"- [{LORA_TITLE}](https://arxiv.org/abs/{LORA}) - extends adapters; see also"
        f" [QLoRA](https://arxiv.org/abs/{QLORA})\n",
        # a label inside a sentence cites another work
        f"- [{LORA_TITLE}](https://arxiv.org/abs/{LORA}) - quantised in the"
        f" [paper](https://arxiv.org/abs/{QLORA}) that followed\n",
        f"- [{LORA_TITLE}](https://arxiv.org/abs/{LORA}) builds on adapters (arXiv:{QLORA})\n",
        f"- [{LORA_TITLE}](https://arxiv.org/abs/{LORA}). Quantised since: arXiv:{QLORA}\n",
        # one numbered item, two papers of one model: the same label twice
        f'1. **Granite**: "Granite Code Models" [2024-05] [[paper](https://arxiv.org/abs/{LORA})]'
        f' "Scaling Granite Code Models to 128K Context" [2024-07]'
        f" [[paper](https://arxiv.org/abs/{QLORA})]\n",
        # two labels of different forms with a second title between them
        f'1. **Granite**: "Granite Code Models" [[arXiv](https://arxiv.org/abs/{LORA})]'
        f' "Scaling Granite Code Models" [[pdf](https://arxiv.org/pdf/{QLORA})]\n',
        # a survey row listing two papers in one cell, two badges of one kind
        f"| Survey | Papers |\n|---|---|\n| Efficient fine-tuning | [arXiv](https://arxiv.org/abs/"
        f"{LORA}), [arXiv](https://arxiv.org/abs/{QLORA}) |\n",
        f"- [![a](https://img.shields.io/badge/arXiv-a-red)](https://arxiv.org/abs/{LORA})"
        f" [![b](https://img.shields.io/badge/arXiv-b-red)](https://arxiv.org/abs/{QLORA})\n",
        # a figure of another paper's HTML version
        f"- [{LORA_TITLE}](https://arxiv.org/abs/{LORA})"
        f" [![fig](https://arxiv.org/html/{QLORA}v1/x1.png)](https://arxiv.org/html/{QLORA}v1/x1.png)\n",
        # two entries, one ID each
        f"- [{LORA_TITLE}](https://arxiv.org/abs/{LORA})\n"
        f"- [QLoRA](https://arxiv.org/abs/{QLORA}) [[pdf](https://arxiv.org/pdf/{QLORA})]\n",
    ],
    ids=[
        "versions", "description", "sentence", "parenthesis", "text-further-on", "same-label",
        "titles-between",
        "survey-row", "two-badges", "figure", "two-entries",
    ],
)  # fmt: skip
def test_links_that_cite_other_work_or_list_two_papers_are_no_conflict(md: str) -> None:
    assert conflicts(md) == []


# ---------------------------------------------------------------------------------------------
# link-syntax (issue 15.7)


def syntax(md: str) -> list[tuple[int, int, str, str | None]]:
    """(line, column, severity, fix's new text) of each link-syntax finding."""
    found = of_rule(run_rules(md), "link-syntax")
    assert all(f.fix is None or f.fix.safe for f in found)
    return [(f.line, f.column, f.severity.value, f.fix.new if f.fix else None) for f in found]


def test_an_empty_target_is_an_error_without_fix() -> None:
    found = run_rules("# P\n\n- LoRA [paper]() [code](https://github.com/a/b)\n")
    (f,) = of_rule(found, "link-syntax")
    assert (f.line, f.column, f.severity, f.fix) == (3, 8, Severity.ERROR, None)
    assert f.message == "link 'paper' has an empty target: it points nowhere"


def test_reversed_brackets_and_a_space_are_warnings_with_a_safe_fix() -> None:
    url = f"https://arxiv.org/abs/{LORA}"
    assert syntax(f"- LoRA (paper)[{url}]\n- QLoRA [paper] ({url})\n") == [
        (1, 8, "warning", f"[paper]({url})"),
        (2, 9, "warning", f"]({url}"),
    ]


def test_a_doubled_slash_in_an_arxiv_url_is_link_syntax_not_a_malformed_id() -> None:
    line = f"- [LoRA](https://arxiv.org/abs//{LORA}) [HF](https://hf.co//papers/{LORA})"
    found = run_rules(line + "\n")
    assert brief(found) == [("link-syntax", "warning", 1), ("link-syntax", "warning", 1)]
    assert [f.message for f in found] == [
        f"the URL has a doubled slash: https://arxiv.org/abs/{LORA}",
        f"the URL has a doubled slash: https://hf.co/papers/{LORA}",
    ]
    assert [(f.column - 1, f.fix.old if f.fix else None) for f in found] == [
        (9, f"https://arxiv.org/abs//{LORA}"), (line.index("https://hf"), f"https://hf.co//papers/{LORA}"),
    ]  # fmt: skip


def test_a_doubled_slash_elsewhere_or_in_an_id_that_is_wrong_anyway() -> None:
    found = run_rules(
        "- [site](https://example.org//page) [x](https://arxiv.org/abs//2113.09685)\n"
    )
    assert brief(found) == [("arxiv-id-malformed", "error", 1)]
    assert "'2113.09685' is not a valid arXiv identifier" in found[0].message


def test_placeholders_are_not_link_syntax() -> None:
    assert syntax("| Title | Code |\n|---|---|\n| LoRA | [Coming soon]() |\n") == []


# ---------------------------------------------------------------------------------------------
# link-text-mismatch for badges (issue 15.6)


def badge(repo: str, target: str) -> str:
    image = f"https://img.shields.io/github/stars/{repo}.svg?style=social&label=Star"
    return f"- [![Star]({image})](https://github.com/{target}) LoRA\n"


def test_a_star_badge_naming_another_repository() -> None:
    md = badge("artidoro/qlora", "microsoft/LoRA")
    (f,) = of_rule(run_rules(md), "link-text-mismatch")
    assert f.severity is Severity.ERROR
    assert (f.line, f.column) == (1, md.index("https://github") + 1)
    assert f.message == "the badge shows artidoro/qlora but the link points to microsoft/LoRA"


def test_a_badge_under_an_organisation_nickname_is_info_and_the_same_repository_nothing() -> None:
    (f,) = of_rule(run_rules(badge("msft/LoRA", "microsoft/LoRA")), "link-text-mismatch")
    assert f.severity is Severity.INFO
    assert "the same repository name under another owner" in f.message
    assert of_rule(run_rules(badge("Microsoft/lora", "microsoft/LoRA")), "link-text-mismatch") == []


def test_an_arxiv_badge_showing_another_id() -> None:
    image = f"https://img.shields.io/badge/arXiv-{QLORA}-b31b1b.svg"
    found = run_rules(f"- LoRA [![arXiv]({image})](https://arxiv.org/abs/{LORA})\n")
    assert brief(found) == [("link-text-mismatch", "error", 1)]
    assert found[0].message == f"the badge shows arXiv {QLORA} but the link points to {LORA}"
