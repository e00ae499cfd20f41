"""End-to-end speed of an online check against local fakes with real per-request latency.

Generates a list of 1,000 papers (arXiv IDs, titles, venues; DBLP is asked about 2%: 1% without a
venue, 1% where Semantic Scholar gives the preprint's year), 500 GitHub repositories and 200 web
links, serves the matching world from loopback servers that answer `--latency` seconds after each
request arrives (their own work included, as in a service's response time), each service on its
own loopback address as on the internet (127.0.0.2, 127.0.0.3, …: Linux routes all of
127.0.0.0/8 to the loopback), and runs `paperlint check` on it as a user would, twice:

- cold: an empty cache, so every answer is asked; wall time against the floor, the longest chain
  of paced requests (arXiv's batches `--arxiv-delay` apart; Semantic Scholar then DBLP's title
  searches `--dblp-delay` apart, by default a third of arXiv's spacing, as the real services ask),
  requests per service, peak memory;
- warm: the same list again with everything fresh in the cache: wall time, and the requests
  (there should be none).

`--compare REF` runs the checker of git revision REF too (its `checker/` exported to a temporary
folder, run with this environment's packages), in turn with this tree, round after round
(`--repeat`), so that both meet the same load on a shared machine; medians are shown. Both
run from bytecode compiled beforehand, as an installed package does.

`--instructions` also counts the instructions a warm run executes (valgrind's callgrind), for
each tree: repeatable to a few parts in ten thousand, where time on a shared machine is not.

`--timeline` prints when each request of the last cold run reached its service, by service:
where a chain waited shows as a gap longer than its pause plus the latency.

    python bench/online_bench.py [--papers 1000] [--latency 0.05] [--arxiv-delay 3]
                                 [--dblp-delay D] [--compare REF] [--repeat N] [--timeline]
                                 [--instructions]
"""

from __future__ import annotations

import argparse
import bisect
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
from fakes import arxiv as fake_arxiv  # noqa: E402
from fakes import dblp as fake_dblp  # noqa: E402
from fakes import s2 as fake_s2  # noqa: E402

SERVICES = ("arxiv", "github", "s2", "dblp", "web")
# one loopback address per service, as each is its own host on the internet
ADDRESSES = {name: f"127.0.0.{k + 2}" for k, name in enumerate(SERVICES)}

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
        # DBLP is asked about 2%: 1% give no venue (DBLP gives it, with its year), and for 1%
        # Semantic Scholar gives the preprint's year, not the listed one (DBLP's record decides)
        missing_venue = i % 100 == 0
        preprint_year = i % 100 == 50
        world.venues[arxiv_id] = Venue(
            arxiv_id,
            s2_venue=ICLR.name,
            s2_year=2023 if preprint_year else 2024,
            publication_venue=ICLR,
            title=title,
            dblp=[DblpHit(title=title + ".", venue="ICLR", year=2024, key=f"conf/iclr/P{i}")]
            if missing_venue or preprint_year
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


class DblpIndex:
    """The fake DBLP's search, indexed. The fake scans every record of the world for each query,
    which takes it a second at 10,000 papers while every fake answers under one lock: the bench
    would measure the fake, not paperlint. The answers stay the same: the candidates are the
    records where each word of the query begins one of their words, as the fake's own search
    requires, and that search then decides among them."""

    def __init__(self, hits: list[DblpHit]) -> None:
        self.hits = hits
        self.postings: dict[str, set[int]] = {}
        for k, hit in enumerate(hits):
            venues = hit.venue if isinstance(hit.venue, list) else [hit.venue]
            words = fake_dblp._words(f"{hit.title} {' '.join(hit.authors)} {' '.join(venues)}")
            for word in [*words, str(hit.year)]:
                self.postings.setdefault(word, set()).add(k)
        self.words = sorted(self.postings)

    def candidates(self, query: str) -> list[DblpHit]:
        found: set[int] | None = None
        for term in query.split():
            if ":" in term:  # a field filter (year:2022): left to the fake
                continue
            for word in fake_dblp._words(term):
                start = bisect.bisect_left(self.words, word)
                end = bisect.bisect_left(self.words, word + "\uffff")
                ids = set().union(*(self.postings[w] for w in self.words[start:end]))
                found = ids if found is None else found & ids
        return self.hits if found is None else [self.hits[k] for k in sorted(found)]

    def install(self, world: World) -> None:
        search = fake_dblp.search

        def indexed(hits: list[DblpHit], q: str, h: int, f: int) -> dict[str, Any]:
            return search(self.candidates(q) if hits is self.hits else hits, q, h, f)

        world.dblp_hits = lambda: self.hits  # type: ignore[method-assign]
        fake_dblp.search = indexed


@dataclass
class Result:
    wall: float
    cpu: float  # user + system seconds of the paperlint process
    peak_mb: float
    requests: dict[str, int]
    findings: dict[str, int] = field(default_factory=dict)
    unverified: int = 0
    first: float | None = None  # seconds from the start to the first request
    after_last: float | None = None  # seconds from the last request to the end
    timeline: dict[str, list[float]] = field(default_factory=dict)  # request times, by service


@contextmanager
def spread(fx: FakeServices) -> Iterator[tuple[dict[str, str], str]]:
    """Each service on its own loopback address: the environment that points paperlint at them,
    and the web host's origin."""
    origin = {name: fx.listen_also(name, host) for name, host in ADDRESSES.items()}
    yield (
        {
            "PAPERLINT_ARXIV_API_URL": origin["arxiv"] + fake_arxiv.PATH,
            "PAPERLINT_GITHUB_API_URL": origin["github"] + fx.github_prefix,
            "PAPERLINT_S2_API_URL": origin["s2"] + fake_s2.PREFIX,
            "PAPERLINT_DBLP_API_URL": origin["dblp"] + fake_dblp.PATH,
        },
        origin["web"],
    )


def command(path: Path, cache: Path, arxiv_delay: float) -> list[str]:
    """`paperlint check` as a user runs it."""
    return [
        sys.executable,
        "-m",
        "checker",
        "check",
        str(path),
        "--cache",
        str(cache),
        "--allow-private",
        "--format",
        "json",
        "--no-progress",
        "--arxiv-delay",
        str(arxiv_delay),
    ]


def run_once(
    tree: Path, fx: FakeServices, env: dict[str, str], path: Path, cache: Path, arxiv_delay: float
) -> Result:
    """`paperlint check` in a process of its own, with `tree`'s checker, in the list's folder
    (as a user runs it in the list's repository; the tree's own pyproject.toml is not read)."""
    cmd = command(path, cache, arxiv_delay)
    fx.clear_log()
    out, err = cache.with_suffix(".out"), cache.with_suffix(".err")
    with out.open("wb") as stdout, err.open("wb") as stderr:
        start = time.perf_counter()
        clock = time.monotonic()  # the fakes stamp each request with it
        child = subprocess.Popen(
            cmd, env={**env, "PYTHONPATH": str(tree)}, cwd=path.parent, stdout=stdout, stderr=stderr
        )
        _, status, usage = os.wait4(child.pid, 0)  # this run's own peak memory
        wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        raise SystemExit(f"paperlint failed ({code}):\n{err.read_text()}")
    if fx.errors:
        raise SystemExit("fake server errors:\n" + "\n".join(fx.errors))
    report = json.loads(out.read_text())
    stamps = [request.time for request in fx.log]
    findings: dict[str, int] = {}
    for f in report["findings"]:
        findings[f["rule"]] = findings.get(f["rule"], 0) + 1
    return Result(
        wall=wall,
        cpu=usage.ru_utime + usage.ru_stime,
        peak_mb=usage.ru_maxrss / 1024,
        requests={s: len(fx.requests_to(s)) for s in SERVICES},
        findings=findings,
        unverified=int(report["summary"]["unverified"]),
        first=min(stamps) - clock if stamps else None,
        after_last=clock + wall - max(stamps) if stamps else None,
        timeline={s: [r.time - clock for r in fx.requests_to(s)] for s in SERVICES},
    )


def instructions(
    tree: Path, fx: FakeServices, env: dict[str, str], path: Path, cache: Path, arxiv_delay: float
) -> int:
    """Instructions a run executes, counted by valgrind (callgrind): repeatable to a few parts in
    ten thousand, where wall and CPU time swing by a third on a shared machine. Some fifty times
    slower than the run itself."""
    fx.clear_log()
    valgrind = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"]
    counted = subprocess.run(
        [*valgrind, *command(path, cache, arxiv_delay)],
        env={**env, "PYTHONPATH": str(tree)},
        cwd=path.parent,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    found = re.search(r"Collected : (\d+)", counted.stderr)
    if counted.returncode not in (0, 1) or found is None:
        raise SystemExit(f"valgrind failed ({counted.returncode}):\n{counted.stderr[-2000:]}")
    if fx.log:
        raise SystemExit(f"the counted run was not warm: {len(fx.log)} requests")
    return int(found.group(1))


def export(ref: str, into: Path) -> Path:
    """REF's `checker/` in a folder of its own, to run as it was."""
    root = HERE.parent
    into.mkdir()
    archive = subprocess.run(
        ["git", "-C", str(root), "archive", "--format=tar", ref, "checker"],
        capture_output=True,
        check=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def floors(args: argparse.Namespace, dblp_titles: int) -> dict[str, float]:
    """The longest chains of requests that must wait for each other, whatever the concurrency."""
    batches = -(-args.papers // 100)
    s2_batches = -(-args.papers // 500)
    return {
        "arXiv": batches * args.latency + (batches - 1) * args.arxiv_delay,
        "S2 then DBLP": (s2_batches + dblp_titles) * args.latency
        + max(0, dblp_titles - 1) * args.dblp_delay,
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--papers", type=int, default=1000)
    parser.add_argument("--repos", type=int, default=500)
    parser.add_argument("--links", type=int, default=200)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--arxiv-delay", type=float, default=3.0)
    parser.add_argument(
        "--dblp-delay", type=float, default=None, help="default: a third of --arxiv-delay"
    )
    parser.add_argument("--compare", metavar="REF", help="also run git revision REF's checker")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument(
        "--timeline", action="store_true", help="when each request of the last cold run came"
    )
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="also count the instructions of a warm run (valgrind; repeatable where time is not)",
    )
    args = parser.parse_args()
    if args.instructions and shutil.which("valgrind") is None:
        parser.error("--instructions needs valgrind on PATH")
    if args.dblp_delay is None:
        args.dblp_delay = args.arxiv_delay / 3

    world, text = build(args.papers, args.repos, args.links)
    world.latency = args.latency
    DblpIndex(world.dblp_hits()).install(world)
    results: dict[str, dict[str, list[Result]]] = {}
    counted: dict[str, int] = {}
    with (
        FakeServices(world) as fx,
        spread(fx) as (addresses, web),
        tempfile.TemporaryDirectory() as tmp,
    ):
        trees = {"this tree": HERE.parent}
        if args.compare:
            trees = {args.compare: export(args.compare, Path(tmp) / "ref"), **trees}
        path = Path(tmp) / "list.md"
        path.write_text(text.replace("{web}", web), encoding="utf-8")
        for tree in trees.values():  # bytecode, as an installed package has it
            subprocess.run(
                [sys.executable, "-m", "compileall", "-q", str(tree / "checker")], check=True
            )
        env = {
            **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
            **addresses,
            "GITHUB_TOKEN": "bench-token",
            "PAPERLINT_DBLP_DELAY": str(args.dblp_delay),
        }
        load = os.getloadavg()[0]
        for round_ in range(args.repeat):
            for k, (name, tree) in enumerate(trees.items()):
                cache = Path(tmp) / f"cache-{round_}-{k}.sqlite3"
                cold = run_once(tree, fx, env, path, cache, args.arxiv_delay)
                warm = run_once(tree, fx, env, path, cache, args.arxiv_delay)
                runs = results.setdefault(name, {"cold": [], "warm": []})
                runs["cold"].append(cold)
                runs["warm"].append(warm)
        load_after = os.getloadavg()[0]
        if args.instructions:  # each tree's last cache, warm
            for k, (name, tree) in enumerate(trees.items()):
                cache = Path(tmp) / f"cache-{args.repeat - 1}-{k}.sqlite3"
                counted[name] = instructions(tree, fx, env, path, cache, args.arxiv_delay)

    dblp_titles = -(-args.papers // 50)
    chains = floors(args, dblp_titles)
    floor = max(chains.values())
    print(
        f"papers {args.papers}, repositories {args.repos}, web links {args.links}, "
        f"latency {args.latency * 1000:.0f} ms, arXiv delay {args.arxiv_delay:g} s, "
        f"DBLP delay {args.dblp_delay:.3g} s; load average {load:.1f} → {load_after:.1f}"
    )
    print(
        "floor          "
        + ", ".join(f"{k} {v:.2f} s" for k, v in chains.items())
        + f" (medians of {args.repeat} runs below)"
    )
    for name, runs in results.items():
        cold = statistics.median(r.wall for r in runs["cold"])
        warm = statistics.median(r.wall for r in runs["warm"])
        last = runs["cold"][-1]
        print(f"-- {name}")
        cpu = {k: statistics.median(r.cpu for r in v) for k, v in runs.items()}
        print(
            f"cold           {cold:6.2f} s   (ratio to the floor {cold / floor:.2f}; "
            f"CPU {cpu['cold']:.2f} s)"
        )
        first = statistics.median(r.first or 0 for r in runs["cold"])
        tail = statistics.median(r.after_last or 0 for r in runs["cold"])
        print(
            f"               start-up to the first request {first:.2f} s, "
            f"after the last request {tail:.2f} s"
        )
        print(f"warm           {warm:6.2f} s   (CPU {cpu['warm']:.2f} s)")
        if name in counted:
            print(f"               {counted[name] / 1e6:,.1f} M instructions (valgrind)")
        print(f"peak memory    {max(r.peak_mb for r in runs['cold']):6.0f} MB")
        print("requests cold  " + ", ".join(f"{k} {v}" for k, v in last.requests.items()))
        print(
            "requests warm  " + ", ".join(f"{k} {v}" for k, v in runs["warm"][-1].requests.items())
        )
        print(f"findings       {last.findings or 'none'}; unverified {last.unverified}")
        if args.timeline:
            print(f"timeline       (seconds from the start; the run took {last.wall:.2f} s)")
            for service, times in last.timeline.items():
                shown = " ".join(f"{t:.2f}" for t in sorted(times)[:40])
                print(f"  {service:7} {shown}{' …' if len(times) > 40 else ''}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
