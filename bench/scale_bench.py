"""Scale: a generated list of 10,000 and 50,000 rows, checked offline, against markdown-it-py.

For each size this prints, as medians of `--repeat` runs (each step in a fresh process, so that
peak memory is that step's own):

- `markdown-it`: markdown-it-py's own parse of the text (CommonMark + tables + strikethrough,
  `html` on: the GFM set-up without our bare-URL rule), time and max RSS;
- `gfm tokens`: the same with our bare-URL rule (`checker.parse.gfm.markdown()`);
- `parse_text`: markdown → Document, time and max RSS;
- `rules`: the offline rules and the engine's `finish` over that Document, time;
- `command`: `paperlint check --offline --no-cache --format json FILE` as a user runs it, wall
  time and max RSS (`resource.getrusage(RUSAGE_CHILDREN)` of a process that runs only it);
- the ratios of `parse_text` and `command` to markdown-it-py's own parse, in wall time and in
  CPU time (user + system: steadier than wall time when other work shares the machine), each
  the median of the ratios of one round (the steps run in turn, round after round).

The machine may be shared: the load average before and after is printed with the figures.

    python bench/scale_bench.py [--rows 10000 50000] [--repeat 3] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

# ---------------------------------------------------------------------------------------------
# The generated list: deterministic, and shaped like the real ones (tests/data/corpus)

_VOCABULARY = """
efficient sparse attention transformer language model large scaling inference training quantization
pruning distillation low-rank adaptation mixture experts retrieval augmented generation reasoning
chain thought prompting vision multimodal instruction tuning alignment reinforcement learning
feedback diffusion video speech graph neural network benchmark evaluation robust adversarial memory
long context decoding speculative parallel kernel compression cache token routing federated
contrastive self-supervised representation
"""
_WORDS = tuple(_VOCABULARY.split())
_SMALL = ("for", "of", "with", "in", "via", "on", "and", "the")

# canonical forms, and the non-canonical ones lists really hold
_VENUES = (
    "NeurIPS {y}",
    "ICLR {y}",
    "ICML {y}",
    "ACL {y}",
    "CVPR {y}",
    "EMNLP {y}",
    "AAAI {y}",
    "Findings of EMNLP {y}",
    "Neurips {y}",
    "ICLR'{yy:02d}",
    "ACL {y} Findings",
    "CVPR {y} (Oral)",
    "NeurIPS {y} Workshop",
    "EMNLP{y}",
    "nips {y}",
    "arXiv",
    "",
    "TPAMI",
)


def _title(rng: random.Random) -> str:
    words = []
    for k in range(rng.randint(3, 8)):
        if k and rng.random() < 0.2:
            words.append(rng.choice(_SMALL))
        words.append(rng.choice(_WORDS))
    name = rng.choice(_WORDS).capitalize() + rng.choice(("", "-2", "Net", "LM", "Former"))
    return f"{name}: " + " ".join(w.capitalize() if w not in _SMALL else w for w in words)


def _row(i: int, rng: random.Random) -> tuple[str, str, int]:
    """A paper: (title, arXiv ID, year)."""
    year = 2018 + i % 8
    month = 1 + (i // 8) % 12
    number = 10000 + (i * 7919) % 89000
    return _title(rng), f"{year % 100:02d}{month:02d}.{number:05d}", year


def generate(rows: int, seed: int = 8) -> str:
    """`rows` papers in tables of `| Title | Pub | Preprint | Code |` (one section in ten a list),
    with a table of contents, split rows, repeated papers and a broken anchor."""
    rng = random.Random(seed)
    per_section = 500
    sections = (rows + per_section - 1) // per_section
    out = ["# Awesome Generated Papers", "", "## Contents", ""]
    out += [f"- [Section {s}: Topic {s}](#section-{s}-topic-{s})" for s in range(sections)]
    out += ["- [Missing section](#no-such-section)", ""]
    papers: list[tuple[str, str, int]] = []
    done = 0
    for s in range(sections):
        out += [f"## Section {s}: Topic {s}", ""]
        as_list = s % 10 == 9
        if not as_list:
            out += ["| Title | Pub | Preprint | Code |", "|:---|:---:|:---:|:---:|"]
        for _ in range(min(per_section, rows - done)):
            i = done
            done += 1
            if papers and i % 125 == 17:  # listed twice: nearby (same section) or anywhere
                near = i % 250 == 17
                pick = len(papers) - rng.randint(1, 20) if near else rng.randrange(len(papers))
                title, arxiv_id, year = papers[max(0, pick)]
            else:
                title, arxiv_id, year = _row(i, rng)
                papers.append((title, arxiv_id, year))
            shift = -2 if rng.random() < 0.01 else rng.choice((0, 0, 1))  # -2: a wrong year
            venue = rng.choice(_VENUES).format(y=year + shift, yy=(year + shift) % 100)
            out += (
                _list_item(title, venue, arxiv_id, i, rng)
                if as_list
                else _table_row(title, venue, arxiv_id, i, rng)
            )
        out.append("")
    return "\n".join(out) + "\n"


def _links(arxiv_id: str, title: str, i: int, rng: random.Random) -> tuple[str, str | None]:
    """The preprint's URL (abs or versioned pdf) and the code's (or None)."""
    if rng.random() < 0.6:
        preprint = f"https://arxiv.org/abs/{arxiv_id}"
    else:
        preprint = f"https://arxiv.org/pdf/{arxiv_id}v{rng.randint(1, 3)}.pdf"
    owner = rng.choice(_WORDS) + str(i % 97)
    repo = "-".join(title.split(":")[0].lower().split())
    return preprint, (f"https://github.com/{owner}/{repo}" if rng.random() < 0.75 else None)


def _table_row(title: str, venue: str, arxiv_id: str, i: int, rng: random.Random) -> list[str]:
    preprint, code = _links(arxiv_id, title, i, rng)
    paper = rng.choice((f"[arXiv]({preprint})", f"[PDF]({preprint})", preprint))
    if code is None:
        code_cell = "-"
    else:
        star = f"https://img.shields.io/github/stars/{code[19:]}.svg?style=social&label=Star"
        code_cell = rng.choice((f"[Code]({code})", f"[![Star]({star})]({code})", code))
    cell = f"**{title}**" if rng.random() < 0.6 else f"[{title}](https://arxiv.org/abs/{arxiv_id})"
    if i % 997 == 500:  # a row wrapped inside its title cell: two lines, one row
        head, _, tail = cell.partition(" ")
        return [f"| {head}", f"{tail} | {venue} | {paper} | {code_cell} |"]
    return [f"| {cell} | {venue} | {paper} | {code_cell} |"]


def _list_item(title: str, venue: str, arxiv_id: str, i: int, rng: random.Random) -> list[str]:
    preprint, code = _links(arxiv_id, title, i, rng)
    item = f"- **{title}**" + (f" ({venue})" if venue else "") + f" [[paper]({preprint})]"
    if code is not None:
        item += f" [[code]({code})]" if rng.random() < 0.7 else f" code: {code}"
    return [item]


# ---------------------------------------------------------------------------------------------
# One step, measured in a process of its own


def _max_rss_mb(who: int) -> float:
    kb = resource.getrusage(who).ru_maxrss  # kilobytes on Linux
    return kb / 1024


def _timed_tokens(md: Any, text: str) -> dict[str, float]:
    """markdown-it's own parse of `text`: the floor paperlint's parse is measured against."""
    start, cpu = time.perf_counter(), time.process_time()
    tokens = md.parse(text)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    del tokens
    return {"s": seconds, "cpu": cpu, "rss": _max_rss_mb(resource.RUSAGE_SELF)}


def step(name: str, path: Path) -> dict[str, float]:
    text = path.read_text(encoding="utf-8")
    if name == "markdown-it":
        from markdown_it import MarkdownIt

        return _timed_tokens(
            MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]), text
        )
    if name == "gfm tokens":
        from checker.parse.gfm import markdown

        return _timed_tokens(markdown(), text)
    if name == "parse_text":
        from checker.parse import parse_text
        from checker.venues import VenueTable

        table = VenueTable()
        start, cpu = time.perf_counter(), time.process_time()
        doc = parse_text(str(path), text, table)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        rss = _max_rss_mb(resource.RUSAGE_SELF)
        return {"s": seconds, "cpu": cpu, "rss": rss, "entries": len(doc.entries)}
    if name == "rules":
        from checker.config import Options
        from checker.engine import finish, offline_findings
        from checker.parse import parse_text
        from checker.venues import VenueTable

        table = VenueTable()
        options = Options(paths=[str(path)], offline=True, no_cache=True)
        doc = parse_text(str(path), text, table)
        start, cpu = time.perf_counter(), time.process_time()
        findings = finish(offline_findings([doc], options, table), [doc], options)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        return {"s": seconds, "cpu": cpu, "findings": len(findings)}
    if name == "command":
        command = [sys.executable, "-m", "checker", "check", "--offline", "--no-cache"]
        start = time.perf_counter()
        done = subprocess.run(
            [*command, "--format", "json", path.name],
            cwd=path.parent,  # not the checkout: `-m checker` would import it from there
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            check=False,
        )
        seconds = time.perf_counter() - start
        if done.returncode not in (0, 1):
            raise SystemExit(f"paperlint exited {done.returncode}: {done.stderr.decode()[-500:]}")
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = usage.ru_utime + usage.ru_stime
        return {"s": seconds, "cpu": cpu, "rss": _max_rss_mb(resource.RUSAGE_CHILDREN)}
    raise SystemExit(f"unknown step {name!r}")


STEPS = ("markdown-it", "gfm tokens", "parse_text", "rules", "command")


def run_step(name: str, path: Path) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, __file__, "--step", name, str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"step {name} failed:\n{done.stderr[-2000:]}")
    result: dict[str, float] = json.loads(done.stdout)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 50_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="write the generated lists into this folder")
    parser.add_argument("--step", choices=STEPS, help=argparse.SUPPRESS)
    parser.add_argument("file", nargs="?", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        print(json.dumps(step(args.step, args.file)))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for rows in args.rows:
            path = folder / f"scale-{rows}.md"
            path.write_text(generate(rows), encoding="utf-8")
            report(rows, path, args.repeat)
    return 0


def report(rows: int, path: Path, repeat: int) -> None:
    load_before = os.getloadavg()[0]
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in STEPS}
    for _ in range(repeat):
        for name in STEPS:  # interleaved, so that a burst of load hits every step alike
            runs[name].append(run_step(name, path))
    load_after = os.getloadavg()[0]

    def median(name: str, key: str) -> float:
        return statistics.median(r[key] for r in runs[name])

    def ratio(name: str, key: str) -> float:
        """Each run against markdown-it's run of the same round: load drifts between rounds."""
        rounds = zip(runs[name], runs["markdown-it"], strict=True)
        return statistics.median(r[key] / b[key] for r, b in rounds)

    size = path.stat().st_size / 1e6
    print(
        f"{rows:,} rows, {size:.1f} MB, {median('parse_text', 'entries'):.0f} entries, "
        f"{median('rules', 'findings'):.0f} findings; median of {repeat} "
        f"(load average {load_before:.1f} before, {load_after:.1f} after, {os.cpu_count()} CPUs)"
    )
    print(f"  {'':12} {'wall':>8}    {'ratio':>5}  {'CPU':>8}    {'ratio':>5}  {'max RSS':>10}")
    for name in STEPS:
        seconds, cpu = median(name, "s"), median(name, "cpu")
        rss = f"{median(name, 'rss'):7.0f} MB" if "rss" in runs[name][0] else ""
        ratios = name in ("gfm tokens", "parse_text", "command")
        wall_ratio = f"{ratio(name, 's'):5.2f}x" if ratios else ""
        cpu_ratio = f"{ratio(name, 'cpu'):5.2f}x" if ratios else ""
        print(
            f"  {name:12} {seconds:8.2f} s  {wall_ratio:>6} {cpu:8.2f} s  {cpu_ratio:>6}  {rss:>10}"
        )


if __name__ == "__main__":
    raise SystemExit(main())
