"""The world of the seed list (shared data/seed/efficiency.md), from tests/data/seed/facts.json.

arXiv titles are the real ones from facts.json; versions, dates and authors are made up but
stable. Venues follow facts' "published": DBLP carries the truth in its own abbreviations
("ICLR", "NeurIPS", "ACL (Findings)", "EMNLP (Findings)") next to the CoRR record; Semantic
Scholar gives full names and the preprint's year, and, as it often does, does not tell Findings
from the main conference (RWKV, LLM-QAT) or gives only "Findings" (MoEfication). Papers with
`published: null` are arXiv-only: S2 venue "arXiv.org", DBLP only the CoRR record.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from .world import S2_VENUES, DblpHit, Paper, Repo, Venue, World, corr_hit, fold

FACTS = Path(__file__).resolve().parent.parent / "data" / "seed" / "facts.json"

AUTHORS: dict[str, list[str]] = {
    "2106.09685": ["Edward J. Hu", "Yelong Shen", "Phillip Wallis", "Zeyuan Allen-Zhu"],
    "2305.13048": ["Bo Peng", "Eric Alcaide", "Quentin Anthony", "Alon Albalak"],
    "2304.04052": ["Zihao Fu", "Wai Lam", "Qian Yu", "Anthony Man-Cho So"],
    "2302.10866": ["Michael Poli", "Stefano Massaroli", "Eric Nguyen", "Daniel Y. Fu"],
    "2202.10447": ["Weizhe Hua", "Zihang Dai", "Hanxiao Liu", "Quoc V. Le"],
    "2110.01786": ["Zhengyan Zhang", "Yankai Lin", "Zhiyuan Liu", "Peng Li"],
    "2103.03404": ["Yihe Dong", "Jean-Baptiste Cordonnier", "Andreas Loukas"],
    "2102.03902": ["Yunyang Xiong", "Zhanpeng Zeng", "Rudrasis Chakraborty", "Vikas Singh"],
    "2009.14794": ["Krzysztof Choromanski", "Valerii Likhosherstov", "David Dohan"],
    "2006.16236": ["Angelos Katharopoulos", "Apoorv Vyas", "Nikolaos Pappas", "François Fleuret"],
    "2006.04768": ["Sinong Wang", "Belinda Z. Li", "Madian Khabsa", "Han Fang", "Hao Ma"],
    "2006.03236": ["Zihang Dai", "Guokun Lai", "Yiming Yang", "Quoc V. Le"],
    "2004.05150": ["Iz Beltagy", "Matthew E. Peters", "Arman Cohan"],
    "2001.08950": ["Saurabh Goyal", "Anamitra R. Choudhury", "Saurabh Raje"],
    "2001.04451": ["Nikita Kitaev", "Łukasz Kaiser", "Anselm Levskaya"],
    "1912.11637": ["Guangxiang Zhao", "Junyang Lin", "Zhiyuan Zhang", "Xuancheng Ren"],
    "1904.10509": ["Rewon Child", "Scott Gray", "Alec Radford", "Ilya Sutskever"],
    "1812.01243": ["Zhuoran Shen", "Mingyuan Zhang", "Haiyu Zhao", "Shuai Yi", "Hongsheng Li"],
    "2310.06694": ["Mengzhou Xia", "Tianyu Gao", "Zhiyuan Zeng", "Danqi Chen"],
    "2305.17888": ["Zechun Liu", "Barlas Oguz", "Changsheng Zhao", "Ernie Chang"],
}

# published venue (facts.json) -> (S2 venue key or None, S2 venue string, DBLP venue, DBLP stream)
_VENUE_RULES: dict[str, tuple[str | None, str, str, str]] = {
    "ICLR": ("ICLR", S2_VENUES["ICLR"].name, "ICLR", "conf/iclr"),
    "ICML": ("ICML", S2_VENUES["ICML"].name, "ICML", "conf/icml"),
    "NeurIPS": ("NeurIPS", S2_VENUES["NeurIPS"].name, "NeurIPS", "conf/nips"),
    "AAAI": ("AAAI", S2_VENUES["AAAI"].name, "AAAI", "conf/aaai"),
    "WACV": ("WACV", S2_VENUES["WACV"].name, "WACV", "conf/wacv"),
    "Findings of EMNLP": ("EMNLP", S2_VENUES["EMNLP"].name, "EMNLP (Findings)", "conf/emnlp"),
    "Findings of ACL": ("ACL", S2_VENUES["ACL"].name, "ACL (Findings)", "conf/acl"),
}
# MoEfication: S2 knows only "Findings", with no venue object.
_S2_OVERRIDES: dict[str, tuple[str, str | None]] = {"2110.01786": ("Findings", None)}
_VERSIONS = {
    "2106.09685": 2,
    "2305.13048": 2,
    "2009.14794": 4,
    "2001.04451": 2,
    "2004.05150": 2,
    "2302.10866": 3,
    "2310.06694": 2,
}


def load_facts(path: Path = FACTS) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _surname(name: str) -> str:
    last = name.split()[-1]
    return re.sub(r"[^A-Za-z]", "", fold(last).title()) or "X"


def dblp_key(stream: str, authors: list[str], year: int) -> str:
    head = _surname(authors[0]) if authors else "Anon"
    initials = "".join(_surname(a)[0] for a in authors[1:])
    return f"{stream}/{head}{initials}{year % 100:02d}"


def published_venue(arxiv_id: str, paper: Paper, published: str | None) -> Venue:
    if published is None:
        return Venue(arxiv_id)  # arXiv only: S2 "arXiv.org", DBLP the CoRR record only
    m = re.fullmatch(r"(.+?)\s+(\d{4})", published)
    if m is None or m.group(1) not in _VENUE_RULES:
        raise ValueError(f"no venue rule for {published!r}")
    label, year = m.group(1), int(m.group(2))
    s2_key, s2_name, dblp_venue, stream = _VENUE_RULES[label]
    pub_venue = S2_VENUES[s2_key] if s2_key else None
    if arxiv_id in _S2_OVERRIDES:
        s2_name, override = _S2_OVERRIDES[arxiv_id]
        pub_venue = S2_VENUES[override] if override else None
    key = dblp_key(stream, paper.authors, year)
    conf = DblpHit(
        title=paper.title.rstrip(".") + ".",
        venue=dblp_venue,
        year=year,
        key=key,
        authors=list(paper.authors),
        pages=f"{100 + len(paper.title)}-{110 + len(paper.title)}",
        ee=f"https://openreview.net/forum?id={key.rsplit('/', 1)[1]}"
        if stream == "conf/iclr"
        else None,
        doi=f"10.18653/v1/{year}.findings-{stream.split('/')[1]}.{len(paper.title)}"
        if "Findings" in label
        else None,
    )
    return Venue(
        arxiv_id,
        s2_venue=s2_name,
        s2_year=paper.version_date(1).year,
        publication_venue=pub_venue,
        dblp=[conf, corr_hit(arxiv_id, paper.title, paper.authors)],
        dblp_key=key,
        publication_types=["JournalArticle", "Conference"],
    )


def seed_world(facts_path: Path = FACTS) -> World:
    facts = load_facts(facts_path)
    world = World()
    for arxiv_id, info in facts["arxiv"].items():
        yymm = arxiv_id.split(".")[0]
        paper = Paper(
            arxiv_id=arxiv_id,
            title=info["title"],
            versions=_VERSIONS.get(arxiv_id, 1),
            published=f"20{yymm[:2]}-{yymm[2:]}-{10 + int(arxiv_id[-1]):02d}",
            authors=list(AUTHORS.get(arxiv_id, ["Jane Doe", "John Smith"])),
            categories=["cs.CV"] if arxiv_id == "1812.01243" else ["cs.CL", "cs.LG"],
        )
        world.add(paper, published_venue(arxiv_id, paper, info.get("published")))
    for full_name, info in facts["github"].items():
        if info.get("state") == "moved":
            world.add(Repo(full_name, moved_to=info["to"]), Repo(info["to"]))
        elif info.get("state") == "archived":
            world.add(Repo(full_name, archived=True))
        elif info.get("state") in ("missing", "private"):
            world.add(Repo(full_name, private=True))
        else:
            world.add(Repo(full_name))
    return world
