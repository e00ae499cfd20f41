"""Every rule paperlint knows: its name, default severity, whether it needs the network, and why.

Rules are data plus a function over a parsed Document; the functions live in one small module per
family (structure, arxiv, venue, github, links). Severity overrides and selection happen once, in
the engine, never inside a rule.

Each rule also carries its documentation as data (`paperlint rule NAME`, as `ruff rule`): what it
checks, why that matters, a Markdown example that fires and one that does not (tests run the
offline rules' examples), and which fixes it offers — safe ones `--fix` applies, unsafe ones
only with `--unsafe-fixes`.
"""

from __future__ import annotations

from dataclasses import dataclass

from checker.model import Applicability, Finding, Fix, Severity

SAFE, UNSAFE = Applicability.SAFE, Applicability.UNSAFE


@dataclass(frozen=True)
class Rule:
    name: str
    severity: Severity
    network: bool
    summary: str
    what: str = ""  # what it checks, in a few sentences
    why: str = ""  # why a list is better without it
    fires: str = ""  # Markdown on which the rule fires
    passes: str = ""  # the same, written so that it does not
    fixes: tuple[Applicability, ...] = ()  # the kinds of fix it offers (none: reported only)


_LORA = "LoRA: Low-Rank Adaptation of Large Language Models"
_QLORA = "QLoRA: Efficient Finetuning of Quantized LLMs"


def _venue_example(title: str, venue: str, arxiv_id: str) -> str:
    """A table of one paper with a Venue column, as the venue rules' examples show it."""
    link = f"[{arxiv_id}](https://arxiv.org/abs/{arxiv_id})"
    return f"| Title | Venue | Paper |\n|---|---|---|\n| {title} | {venue} | {link} |\n"


RULES: tuple[Rule, ...] = (
    Rule(
        "table-shape",
        Severity.ERROR,
        False,
        "a table row loses content as GitHub renders it: split across lines, or more cells than"
        " the header with text or links in the excess (fewer cells are padded: not reported);"
        " a warning for a row whose cells stand one column off (a pipe missing or doubled)",
        what=(
            "A table row that GitHub renders with less than it holds: a row split across two"
            " lines (the second line becomes a paragraph or a row of its own), or more cells"
            " than the header with text or links in the cells past it (GitHub drops them)."
            " A warning, in a table whose columns each hold one kind of value (a year, a"
            " venue, an arXiv or GitHub link), for a row whose cells each hold the kind of the"
            " column next to theirs: a pipe missing or doubled."
        ),
        why="What GitHub does not render, no reader sees: half a paper's row, or its code link.",
        fires=(
            "| Title | Venue |\n"
            "|---|---|\n"
            "| Linformer: Self-Attention with Linear Complexity\n"
            " Transformer | ICLR 2021 |\n"
        ),
        passes=(
            "| Title | Venue |\n"
            "|---|---|\n"
            "| Linformer: Self-Attention with Linear Complexity Transformer | ICLR 2021 |\n"
        ),
        fixes=(SAFE,),
    ),
    Rule(
        "arxiv-id-malformed",
        Severity.ERROR,
        False,
        "an arXiv link or ID is not a valid identifier (YYMM.NNNNN[vN] or archive/YYMMNNN[vN])",
        what=(
            "An arXiv link whose identifier cannot exist: not YYMM.NNNNN (five digits from 1501"
            " on, four before) nor archive/YYMMNNN, or a month that is no month."
        ),
        why="The link leads to arXiv's error page; usually a digit was lost or swapped.",
        fires="- [LoRA](https://arxiv.org/abs/2106.9685)\n",
        passes="- [LoRA](https://arxiv.org/abs/2106.09685)\n",
    ),
    Rule(
        "link-text-mismatch",
        Severity.ERROR,
        False,
        "a link's text (or badge) names an arXiv ID or GitHub owner/repo other than its target;"
        " the same repository name under another owner (an organisation nickname) is info",
        what=(
            "The text of a link names an arXiv ID, or a GitHub repository (by its owner or its"
            " full URL), other than the one it links to; or a badge inside the link does: a"
            " GitHub stars/forks badge (shields.io, badgen) whose image names another"
            " repository, an arXiv badge that shows another ID."
        ),
        why=(
            "Readers trust the text; one of the two is wrong, and often both were copied from"
            " another row."
        ),
        fires="- [2106.09685](https://arxiv.org/abs/2106.09658)\n",
        passes="- [2106.09685](https://arxiv.org/abs/2106.09685)\n",
    ),
    Rule(
        "duplicate-entry",
        Severity.WARNING,
        False,
        "the same arXiv paper twice in one section under the same or near-same title (rows by"
        " their title), or anywhere under clearly different titles (a wrong ID): warning; under"
        " other names: info; the same title in two sections (cross-listing): nothing",
        what=(
            "The same arXiv paper (any version) listed twice. In one section (no horizontal rule"
            " between them) under the same or near-same title, name or row (case, hyphens and"
            " punctuation aside; table rows compared by their title): a warning. Anywhere in the"
            " file under two clearly different titles (long ones sharing almost no word): a"
            " warning naming the other listing, one of them carries a wrong ID. Under other names"
            " (a Model or Dataset column: one paper, several models) or catchwords: an info. The"
            " same paper under the same title in two sections is deliberate cross-listing: not"
            " reported."
        ),
        why=(
            "A duplicate usually means two contributors added one paper; under different titles,"
            " one of them carries a wrong ID and sends readers to another paper."
        ),
        fires=(
            "## Papers\n"
            "\n"
            "- [LoRA: Low-Rank Adaptation of Large Language"
            " Models](https://arxiv.org/abs/2106.09685)\n"
            "- [LoRA: Low-Rank Adaptation of Large Language"
            " Models](https://arxiv.org/abs/2106.09685v2)\n"
        ),
        passes=(
            "## Papers\n"
            "\n"
            "- [LoRA: Low-Rank Adaptation of Large Language"
            " Models](https://arxiv.org/abs/2106.09685)\n"
            "- [QLoRA: Efficient Finetuning of Quantized LLMs](https://arxiv.org/abs/2305.14314)\n"
        ),
    ),
    Rule(
        "arxiv-id-conflict",
        Severity.ERROR,
        False,
        "one entry links two different arXiv papers (title link vs badge, abs vs pdf vs Hugging"
        " Face link); versions of one ID are not a conflict",
        what=(
            "An entry's own links to its paper name two different arXiv papers: its title link"
            " and a badge or an `arXiv`/`pdf`/`HF` link, an ID written as text (`arXiv:…`) and"
            " a link, or two such labels side by side (`[arXiv](…) [pdf](…)`). Links that cite"
            " other work (a descriptive text, a label inside a sentence) and two links of the"
            " same form (`[paper]` twice: two papers in one entry) are left alone; versions of"
            " one ID are one paper."
        ),
        why=(
            "One of the two IDs is wrong, usually copied from the entry above; readers who"
            " follow the other link read another paper. Online, `title-mismatch` says which."
        ),
        fires=(
            "- [LoRA: Low-Rank Adaptation of Large Language"
            " Models](https://arxiv.org/abs/2106.09685) [[pdf](https://arxiv.org/pdf/2106.09658)]\n"
        ),
        passes=(
            "- [LoRA: Low-Rank Adaptation of Large Language"
            " Models](https://arxiv.org/abs/2106.09685) [[pdf](https://arxiv.org/pdf/2106.09685v2)]"
            "\n"
        ),
    ),
    Rule(
        "anchor-missing",
        Severity.ERROR,
        False,
        "a #fragment link within the document names no heading or HTML anchor",
        what=(
            "A link to `#fragment` within the document names no heading (by GitHub's own slugs)"
            " and no HTML id or name."
        ),
        why="A table of contents that points nowhere: the heading was renamed and the link kept.",
        fires=(
            "## Efficient Attention\n"
            "\n"
            "See [the list](#efficient-transformers).\n"
        ),
        passes=(
            "## Efficient Attention\n"
            "\n"
            "See [the list](#efficient-attention).\n"
        ),
    ),
    Rule(
        "venue-format",
        Severity.WARNING,
        False,
        "a venue is written in a non-canonical form (Neurips 2020 → NeurIPS 2020), or against"
        " the list's own house style where it has one; fix offered; info for a Findings track"
        " written after the year; labels and workshops left alone",
        what=(
            "A venue written in a non-canonical form (`Neurips 2020`, `ACL'23`): the fix writes"
            " `NAME YEAR`. Where at least 80% of a file's venues (20 or more with a year) share"
            " one other form (`ECCV'20`, `CVPR'19`, … throughout), that is the list's house"
            " style: those are left alone, and the outliers (`ECCV 2020` there) are fixed to it."
            " Labels (`Oral`) and satellite events (workshops) are left alone."
        ),
        why="One spelling per venue keeps a list searchable and sortable, and shows care.",
        fires=_venue_example("Funnel-Transformer", "Neurips 2020", "2006.03236"),
        passes=_venue_example("Funnel-Transformer", "NeurIPS 2020", "2006.03236"),
        fixes=(SAFE,),
    ),
    Rule(
        "venue-year",
        Severity.WARNING,
        False,
        "the arXiv ID is past June of the year after the venue's (later than a late upload), or"
        " the year is not plausible",
        what=(
            "The venue's year is earlier than the arXiv ID allows: the ID's month is past June"
            " of the year after the venue's (later than a late upload explains), or the year is"
            " not plausible at all."
        ),
        why=(
            "The venue or the ID is wrong: a paper cannot appear at a conference years before it"
            " was written."
        ),
        fires=_venue_example(_QLORA, "ICLR 2021", "2305.14314"),
        passes=_venue_example(_QLORA, "NeurIPS 2023", "2305.14314"),
    ),
    Rule(
        "link-private",
        Severity.ERROR,
        False,
        "a link points at a loopback, private or link-local address (not fetched)",
        what=(
            "A link to a loopback, private, link-local or otherwise non-public address; online,"
            " also a name that resolves to one, or a redirect into one. Never fetched."
        ),
        why=(
            "Such a link works only on its author's network; and fetching it from CI would let a"
            " pull request probe the runner's network."
        ),
        fires="- [Demo](http://192.168.1.20/demo)\n",
        passes="- [Demo](https://example.org/demo)\n",
    ),
    Rule(
        "link-syntax",
        Severity.ERROR,
        False,
        "a link that renders as text or points nowhere: empty target `[x]()` (error); reversed"
        " `(text)[url]`, `[text] (url)`, a doubled slash in an arXiv URL (warning, safe fix)",
        what=(
            "A link written so that GitHub does not make it the link meant: an empty target"
            " `[paper]()` (error; a placeholder such as `[Coming soon]()` or a badge with no"
            " target is left alone), text and URL in swapped brackets `(paper)[https://…]`, a"
            " space between `]` and `(` (`[paper] (https://…)`: the brackets show and the URL is"
            " linked bare), or a doubled slash in an arXiv URL (`arxiv.org/abs//2106.09685`)."
            " Never inside code."
        ),
        why=(
            "A reader sees a link that goes nowhere, or brackets around plain text: the paper"
            " is one search away instead of one click."
        ),
        fires="- LoRA (paper)[https://arxiv.org/abs/2106.09685]\n",
        passes="- LoRA [paper](https://arxiv.org/abs/2106.09685)\n",
        fixes=(SAFE,),
    ),
    Rule(
        "arxiv-not-found",
        Severity.ERROR,
        True,
        "the arXiv ID does not exist",
        what=(
            "The arXiv ID (or the version linked) does not exist, as arXiv's API answers. When"
            " the entry has a title, arXiv is searched by it: a paper with the same title is"
            " offered as the right ID (an unsafe fix of the link, and of its text when that is"
            " the ID)."
        ),
        why="A dead preprint link, usually a typo in the ID.",
        fires=(
            "- [LoRA: Low-Rank Adaptation of Large Language"
            " Models](https://arxiv.org/abs/2106.99685)\n"
        ),
        passes=(
            "- [LoRA: Low-Rank Adaptation of Large Language"
            " Models](https://arxiv.org/abs/2106.09685)\n"
        ),
        fixes=(UNSAFE,),
    ),
    Rule(
        "arxiv-withdrawn",
        Severity.WARNING,
        True,
        "the arXiv paper has been withdrawn",
        what="The paper's latest arXiv version is a withdrawal.",
        why="Its authors no longer stand by it; a list should say so or drop it.",
        fires="- [A withdrawn paper](https://arxiv.org/abs/1304.1836)\n",
        passes=(
            "- [LoRA: Low-Rank Adaptation of Large Language"
            " Models](https://arxiv.org/abs/2106.09685)\n"
        ),
    ),
    Rule(
        "title-mismatch",
        Severity.ERROR,
        True,
        "the title differs from arXiv's: error for another paper (short titles sharing no word"
        " included), warning with a fix for a typo; a name in neither title nor abstract: warning",
        what=(
            "The listed title differs from arXiv's. Another paper altogether (a wrong ID) is an"
            " error: arXiv is then searched by the listed title and the paper that has it is"
            " offered as the right ID (unsafe fix). A small slip (a typo, a stray word) is a"
            " warning with a safe fix. Case, spacing, punctuation, LaTeX and Unicode forms never"
            " fire it; a model's name is looked for in the title and the abstract."
        ),
        why="A wrong ID sends readers to another paper; a typo in a title makes it hard to find.",
        fires=(
            "- [LoRA: Low-Rank Adaptation of Large Language"
            " Models](https://arxiv.org/abs/2305.14314)\n"
        ),
        passes=(
            "- [LoRA: Low-Rank Adaptation of Large Language"
            " Models](https://arxiv.org/abs/2106.09685)\n"
        ),
        fixes=(SAFE, UNSAFE),
    ),
    Rule(
        "venue-mismatch",
        Severity.WARNING,
        True,
        "the published record gives another venue or year (the year compared even under the"
        " right name; Findings vs main conference included; workshops never compared)",
        what=(
            "The published record (DBLP, Semantic Scholar, arXiv's journal reference) gives"
            " another venue or year than the list. The year is compared even when the name is"
            " right: Semantic Scholar's year is often the preprint's, so where it differs from"
            " the listed one DBLP is asked for the proceedings' year. Findings is a venue of its"
            " own; workshops are never compared with the main conference. Where the sources"
            " disagree, nothing. The fix (unsafe: it changes what the list says; never on an"
            " author's comment alone) writes the published venue as the list writes venues: its"
            " house style, its way of writing the Findings track, its labels (`(Oral)`) kept."
        ),
        why="Readers cite from the list; a wrong venue spreads.",
        fires=_venue_example(_LORA, "NeurIPS 2022", "2106.09685"),
        passes=_venue_example(_LORA, "ICLR 2022", "2106.09685"),
        fixes=(UNSAFE,),
    ),
    Rule(
        "venue-missing",
        Severity.INFO,
        True,
        "no venue is given but the paper has been published; a fix fills the empty cell"
        " (unsafe)",
        what=(
            "The list has a venue column, this paper's cell is empty, and the published record"
            " says where it appeared (the sources agreeing). The fix (unsafe: it adds to what"
            " the list says; never on an author's comment alone) fills the cell as the list"
            " writes venues: its house style and its way of writing the Findings track. Beside a"
            " Year column there is no fix: the year has a cell of its own."
        ),
        why="A note, not a fault: the list can say more than it does.",
        fires=_venue_example(_LORA, "", "2106.09685"),
        passes=_venue_example(_LORA, "ICLR 2022", "2106.09685"),
        fixes=(UNSAFE,),
    ),
    Rule(
        "github-not-found",
        Severity.ERROR,
        True,
        "the repository does not exist (or is private)",
        what="The GitHub repository does not exist, or is private (GitHub answers both alike).",
        why="The code link is dead; often the repository was deleted or made private.",
        fires="- [code](https://github.com/no-such-owner-4f1c2e9/no-such-repository)\n",
        passes="- [code](https://github.com/microsoft/LoRA)\n",
    ),
    Rule(
        "github-moved",
        Severity.WARNING,
        True,
        "the repository was renamed or transferred; fix to the new URL offered",
        what="The repository was renamed or transferred: GitHub still redirects, to a new name.",
        why="Redirects last only until someone takes the old name; the new URL is safe to write.",
        fires="- [code](https://github.com/cpacker/MemGPT)\n",
        passes="- [code](https://github.com/letta-ai/letta)\n",
        fixes=(SAFE,),
    ),
    Rule(
        "github-archived",
        Severity.INFO,
        True,
        "the repository is archived",
        what="The repository is archived (read-only).",
        why="A note for readers: the code is no longer maintained.",
        fires="- [code](https://github.com/google-research/bert)\n",
        passes="- [code](https://github.com/huggingface/transformers)\n",
    ),
    Rule(
        "link-broken",
        Severity.ERROR,
        True,
        "an http(s) link fails after retries: 4xx/5xx, DNS, TLS, connection or timeout",
        what=(
            "An http(s) link fails after retries: 4xx/5xx, DNS, TLS, connection or timeout (bot"
            " walls and rate limits are unverified, not broken). For a page that is gone (404,"
            " 410, no such host, no connection), the Wayback Machine is asked for an archived"
            " copy from when the link last worked, offered as an unsafe fix."
        ),
        why="A dead link is the commonest rot in a list; an archived copy keeps what it said.",
        fires="- [Project page](https://example.org/a-page-that-is-gone)\n",
        passes="- [Project page](https://example.org/)\n",
        fixes=(UNSAFE,),
    ),
    Rule(
        "link-redirect",
        Severity.INFO,
        True,
        "an http(s) link permanently redirects; fix to the final URL offered",
        what="An http(s) link redirects permanently (301/308 all the way) to another address.",
        why="The server itself says where the page lives now; the final URL is safe to write.",
        fires="- [Docs](http://pytorch.org/docs)\n",
        passes="- [Docs](https://pytorch.org/docs/stable/index.html)\n",
        fixes=(SAFE,),
    ),
    Rule(
        "service-unavailable",
        Severity.WARNING,
        True,
        "a service could not be asked (rate limit, outage): its entries are unverified",
        what=(
            "A service could not be asked (a rate limit after retries, an outage, a bot wall):"
            " the items it covers are unverified, not failed. Never counts for --fail-on."
        ),
        why=(
            "An outage says nothing about the list; reporting it as broken would teach people to"
            " ignore the report."
        ),
        fires="(any online check while arXiv answers HTTP 503)",
        passes="(any online check while every service answers)",
    ),
)

BY_NAME: dict[str, Rule] = {r.name: r for r in RULES}


def shorten(text: str, width: int = 60) -> str:
    """Text from the list quoted in a message: one line, at most `width` characters."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def finding(
    rule: str,
    file: str,
    line: int,
    column: int,
    message: str,
    *,
    url: str | None = None,
    fix: Fix | None = None,
    severity: Severity | None = None,
) -> Finding:
    return Finding(
        rule=rule,
        severity=severity or BY_NAME[rule].severity,
        file=file,
        line=line,
        column=column,
        message=message,
        url=url,
        fix=fix,
    )
