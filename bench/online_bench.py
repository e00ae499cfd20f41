"""End-to-end speed of an online check against local fakes with real per-request latency.

Generates a list of 1,000 papers (arXiv IDs, titles, venues), 500 GitHub repositories and 200 web
links, serves the matching world from loopback servers that wait `--latency` seconds before each
answer, runs `paperlint check` on it as a user would, and reports wall time against the floor set
by arXiv's spacing, requests per service and peak memory.

    python bench/online_bench.py [--papers 1000] [--latency 0.05] [--arxiv-delay 3]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from fakes import (  # noqa: E402
    DblpHit,
    FakeServices,
    Page,
    Paper,
    PublicationVenue,
    Repo,
    Venue,
    World,
)

ICLR = PublicationVenue(
    "iclr",
    "International Conference on Learning Representations",
    alternate_names=["ICLR", "Int Conf Learn Represent"],
)


def build(papers: int, repos: int, links: int) -> tuple[World, str]:
    world = World()
    rows = ["# Generated list", "", "| Title | Venue | Paper | Code |", "|---|---|---|---|"]
    for i in range(papers):
        arxiv_id = f"23{(i % 12) + 1:02d}.{10000 + i:05d}"
        title = f"Paper {i}: A Study of Efficient Methods Number {i}"
        world.papers[arxiv_id] = Paper(
            arxiv_id, title, versions=1 + i % 3, published=f"2023-{(i % 12) + 1:02d}-01"
        )
        missing_venue = i % 50 == 0  # 2%: no venue given, DBLP is asked for the year
        world.venues[arxiv_id] = Venue(
            arxiv_id,
            s2_venue=ICLR.name,
            s2_year=2023,
            publication_venue=ICLR,
            title=title,
            dblp=[DblpHit(title=title + ".", venue="ICLR", year=2024, key=f"conf/iclr/P{i}")]
            if missing_venue
            else None,
        )
        code = ""
        if i < repos:
            name = f"org{i % 40}/repo-{i}"
            world.repos[name.lower()] = Repo(name)
            code = f"[code](https://github.com/{name})"
        venue = "" if missing_venue else "ICLR 2024"
        link = f"[{arxiv_id}](https://arxiv.org/abs/{arxiv_id})"
        rows.append(f"| {title} | {venue} | {link} | {code} |")
    rows += ["", "## Links", ""]
    for j in range(links):
        world.pages[f"/page/{j}"] = Page(f"/page/{j}")
        rows.append(f"- [page {j}]({{web}}/page/{j})")
    return world, "\n".join(rows) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--papers", type=int, default=1000)
    parser.add_argument("--repos", type=int, default=500)
    parser.add_argument("--links", type=int, default=200)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--arxiv-delay", type=float, default=3.0)
    args = parser.parse_args()

    world, text = build(args.papers, args.repos, args.links)
    world.latency = args.latency
    with FakeServices(world) as fx, tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "list.md"
        path.write_text(text.replace("{web}", fx.web_url), encoding="utf-8")
        env = {
            **os.environ,
            **fx.env(),
            "GITHUB_TOKEN": "bench-token",
            "PAPERLINT_DBLP_DELAY": "1.0",
        }
        cmd = [
            sys.executable,
            "-m",
            "checker",
            "check",
            str(path),
            "--no-cache",
            "--allow-private",
            "--format",
            "json",
            "--no-progress",
            "--arxiv-delay",
            str(args.arxiv_delay),
        ]
        start = time.perf_counter()
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
        wall = time.perf_counter() - start
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        if done.returncode not in (0, 1):
            print(done.stderr, file=sys.stderr)
            return 1
        report = json.loads(done.stdout)
        counts = {s: len(fx.requests_to(s)) for s in ("arxiv", "github", "s2", "dblp", "web")}
        if fx.errors:
            print("fake server errors:", *fx.errors, sep="\n", file=sys.stderr)

    batches = -(-args.papers // 100)
    floor = (batches - 1) * args.arxiv_delay + batches * args.latency
    findings: dict[str, int] = {}
    for f in report["findings"]:
        findings[f["rule"]] = findings.get(f["rule"], 0) + 1
    print(
        f"papers {args.papers}, repositories {args.repos}, web links {args.links}, "
        f"latency {args.latency * 1000:.0f} ms, arXiv delay {args.arxiv_delay:g} s"
    )
    print(
        f"wall time      {wall:6.1f} s   (floor {floor:.1f} s, ratio {wall / floor:.2f})"
        if floor
        else f"wall time      {wall:6.1f} s"
    )
    print(f"peak memory    {peak_mb:6.0f} MB")
    print("requests       " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    print(f"findings       {findings or 'none'}; unverified {report['summary']['unverified']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
