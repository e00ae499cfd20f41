"""Issue 15.1 and 15.5-15.7 through the command: arXiv IDs wherever lists write them (other sites'
pages, arXiv's DOI, `arXiv:ID` in text), entries that link two papers, badges that name another
repository, and links that render as text or point nowhere — offline, with `--fix`, and online
against the loopback fakes (these pages are checked through the arXiv API, never fetched)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fakes import FakeServices, Paper, Repo

from checker.cli import main

LORA, QLORA, MISSING = "2106.09685", "2305.14314", "2106.99999"
LORA_TITLE = "LoRA: Low-Rank Adaptation of Large Language Models"
QLORA_TITLE = "QLoRA: Efficient Finetuning of Quantized LLMs"
STAR = "https://img.shields.io/github/stars/{}.svg?style=social&label=Star"

# One list holding every form and one of each new finding (line numbers below are 1-based).
LIST = (
    "# Papers\n"  # 1
    "\n"
    f"- [{LORA_TITLE}](https://huggingface.co/papers/{LORA}) [code](https://github.com/microsoft/LoRA)\n"
    f"- [{QLORA_TITLE}](https://hf.co/papers/{QLORA}) [alphaXiv](https://www.alphaxiv.org/abs/{QLORA})\n"
    f"- **{LORA_TITLE}**. Hu et al. arXiv preprint arXiv:{LORA}, 2021."  # 5
    f" [[doi](https://doi.org/10.48550/arXiv.{LORA})]\n"
    f"- [{LORA_TITLE}](https://arxiv.org/html/{LORA}v2) [[pdf](https://arxiv.org/pdf/{QLORA})]\n"
    f"- [![Star]({STAR.format('artidoro/qlora')})](https://github.com/microsoft/LoRA) LoRA\n"
    f"- {LORA_TITLE} (paper)[https://arxiv.org/abs/{LORA}]\n"
    f"- {QLORA_TITLE} [paper] (https://arxiv.org/abs/{QLORA})\n"  # 9
    f"- [{QLORA_TITLE}](https://arxiv.org/abs//{QLORA}) [code]()\n"  # 10
    "\n"
    f"Our own survey is arXiv:{QLORA}; its figures: ![x](https://arxiv.org/html/{QLORA}v1/x1.png)\n"
    "\n"
    "```\n"  # 14
    f"[paper]() (x)[https://arxiv.org/abs/{LORA}] arXiv:{MISSING}\n"
    "```\n"
)  # fmt: skip

EXPECTED = [
    ("arxiv-id-conflict", "error", 6),  # the title's HTML page is LoRA, its pdf QLoRA
    ("link-text-mismatch", "error", 7),  # the star badge shows another repository
    ("link-syntax", "warning", 8),  # (paper)[url]
    ("link-syntax", "warning", 9),  # [paper] (url)
    ("link-syntax", "warning", 10),  # abs//ID
    ("link-syntax", "error", 10),  # [code]()
]
# The same two papers are listed again and again here: duplicates are not what this tests.
NO_DUPLICATES = ("--ignore", "duplicate-entry")


def check(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any]]:
    code = main(["check", "--offline", "--no-cache", "--format", "json", *NO_DUPLICATES, *args])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, json.loads(out)


def found(report: dict[str, Any]) -> list[tuple[str, str, int]]:
    return [(f["rule"], f["severity"], f["line"]) for f in report["findings"]]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "papers.md"
    path.write_text(text, encoding="utf-8")
    return path


def test_every_form_is_read_and_each_defect_reported_offline(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, report = check(capsys, str(write(tmp_path, LIST)))
    assert code == 1
    assert found(report) == EXPECTED
    summary = report["summary"]
    # every item but the one whose only link renders as text (line 8); the survey sentence is
    # prose; the IDs written as text are no links, the empty target none either
    assert summary["entries"] == 7
    assert summary["links"] == 10
    assert summary["arxiv_ids"] == 2  # LoRA and QLoRA, in every form; the code block's are code
    conflict = report["findings"][0]
    assert conflict["message"] == (
        f"this entry links arXiv {QLORA} here but arXiv {LORA} in its title link (line 6):"
        " one of them is wrong"
    )


def test_fix_writes_the_links_right_and_leaves_the_rest_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, LIST)
    code, report = check(capsys, "--fix", str(path))
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[7] == f"- {LORA_TITLE} [paper](https://arxiv.org/abs/{LORA})"
    assert lines[8] == f"- {QLORA_TITLE} [paper](https://arxiv.org/abs/{QLORA})"
    assert lines[9] == f"- [{QLORA_TITLE}](https://arxiv.org/abs/{QLORA}) [code]()"
    assert lines[14] == f"[paper]() (x)[https://arxiv.org/abs/{LORA}] arXiv:{MISSING}"  # code
    # what --fix cannot know is still reported, and nothing else
    assert (code, found(report)) == (1, [e for e in EXPECTED if e[1] == "error"])
    assert check(capsys, str(path))[1]["findings"] == report["findings"]


@pytest.mark.parametrize(
    ("rule", "line"), [("link-syntax", 10), ("arxiv-id-conflict", 6)]
)
def test_the_new_rules_can_be_ignored_and_suppressed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], rule: str, line: int
) -> None:
    path = write(tmp_path, LIST)
    _, report = check(capsys, "--ignore", rule, str(path))
    assert rule not in {f["rule"] for f in report["findings"]}
    lines = LIST.splitlines(keepends=True)
    lines.insert(line - 1, f"<!-- paperlint-disable-next-line {rule} -->\n")
    _, report = check(capsys, str(write(tmp_path, "".join(lines))))
    assert (rule, line + 1) not in {(f["rule"], f["line"]) for f in report["findings"]}


# ---------------------------------------------------------------------------------------------
# Online: each form is checked through the arXiv API, like an abs link, and never fetched


def test_each_form_is_asked_of_arxiv_and_never_fetched(
    fake: FakeServices, paperlint: Any, tmp_path: Path
) -> None:
    fake.world.add(Paper(LORA, LORA_TITLE), Paper(QLORA, QLORA_TITLE), Repo("microsoft/LoRA"))
    path = write(
        tmp_path,
        "# Papers\n\n"
        f"- [{LORA_TITLE}](https://hf.co/papers/{QLORA})\n"  # 3: another paper's ID
        f"- [{LORA_TITLE}](https://huggingface.co/papers/{MISSING})\n"  # 4: no such paper
        f"- [{QLORA_TITLE}](https://www.alphaxiv.org/abs/{QLORA})\n"
        f"- [{QLORA_TITLE}](https://doi.org/10.48550/arXiv.{LORA})\n"  # 6: another paper's ID
        f"- **{LORA_TITLE}**. arXiv:{MISSING}. [code](https://github.com/microsoft/LoRA)\n"  # 7
        f"- [{LORA_TITLE}](https://arxiv.org/html/{LORA}v9)\n"  # 8: no such version
        f"- [{QLORA_TITLE}](https://arxiv.org/abs//{QLORA})\n",  # 9: checked, and a slip
    )
    run = paperlint(str(path), "--no-cache", "--ignore", "duplicate-entry")
    got = {(f["rule"], f["line"], f["severity"]) for f in run.findings}
    assert got == {
        ("title-mismatch", 3, "error"),
        ("arxiv-not-found", 4, "error"),
        ("title-mismatch", 6, "error"),
        ("arxiv-not-found", 7, "error"),
        ("arxiv-not-found", 8, "error"),
        ("link-syntax", 9, "warning"),
    }
    by_line = {f["line"]: f for f in run.findings}
    assert by_line[3]["message"].startswith(f"the ID points at another paper: arXiv {QLORA}")
    assert by_line[4]["message"].startswith(f"arXiv {MISSING} does not exist")
    assert by_line[4]["url"] == f"https://huggingface.co/papers/{MISSING}"
    assert by_line[7]["column"] == len(f"- **{LORA_TITLE}**. ") + 1
    # one batch holds every ID; no page of these sites was fetched (there is no internet here:
    # a fetch would have been a broken link or an unverified one)
    asked = {r.param("id_list") for r in fake.requests_to("arxiv") if r.param("id_list")}
    assert [set(str(ids).split(",")) for ids in asked] == [{LORA, QLORA, MISSING}]
    assert run.report["summary"]["unverified"] == 0
    assert fake.requests_to("web") == []
