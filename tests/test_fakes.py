"""The loopback fakes answer as the real services do (shapes from tests/data/samples)."""

from __future__ import annotations

import json
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from arxiv import _feed
from fakes import (  # tests/ is on sys.path (conftest): one import path, one set of classes
    S2_WORKSHOPS,
    DblpHit,
    FakeServices,
    Page,
    Paper,
    PublicationVenue,
    Repo,
    Venue,
    World,
    seed_world,
    track_hit,
)

SAMPLES = Path(__file__).parent / "data" / "samples"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def services() -> Iterator[FakeServices]:
    with FakeServices() as started:
        yield started


@pytest.fixture
def fake(services: FakeServices) -> Iterator[FakeServices]:
    services.reset(seed_world())
    yield services
    assert services.errors == []


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=5, trust_env=False) as client:
        yield client


def tags(elem: ET.Element) -> list[str]:
    return [child.tag for child in elem]


# arXiv ----------------------------------------------------------------------------------------


def test_arxiv_batch_drops_missing_ids_and_parses_with_the_arxiv_package(
    fake: FakeServices, http: httpx.Client
) -> None:
    r = http.get(fake.arxiv_url, params={"id_list": "2106.09685,0808.05394,1812.01243"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/atom+xml")
    feed = _feed.parse(r.content)
    assert not feed.malformed
    assert feed.header.total_results == 2
    assert feed.header.items_per_page == 10
    assert [res.get_short_id() for res in feed.results] == ["2106.09685v2", "1812.01243v1"]
    assert feed.results[0].title == "LoRA: Low-Rank Adaptation of Large Language Models"
    assert feed.results[0].entry_id == "http://arxiv.org/abs/2106.09685v2"
    assert feed.results[0].pdf_url == "https://arxiv.org/pdf/2106.09685v2"
    assert feed.results[0].published < feed.results[0].updated
    req = fake.requests_to("arxiv")[-1]
    assert req.query["id_list"] == "2106.09685,0808.05394,1812.01243"
    assert req.status == 200


def test_arxiv_feed_has_the_recorded_layout(fake: FakeServices, http: httpx.Client) -> None:
    fake.world.add(Paper("1707.08567", "Proceedings of Workshop AEW10", comment="44 pages"))
    r = http.get(fake.arxiv_url, params={"id_list": "0808.05394,1707.08567", "max_results": 100})
    ours = ET.fromstring(r.content)
    recorded = ET.parse(SAMPLES / "arxiv" / "id_0808.05394_1707.08567.status200.xml").getroot()
    assert tags(ours) == tags(recorded)
    ours_entry, recorded_entry = ours.find(ATOM + "entry"), recorded.find(ATOM + "entry")
    assert ours_entry is not None and recorded_entry is not None
    # the recorded paper has 34 authors and one category; ours has 2 and one
    assert list(dict.fromkeys(tags(ours_entry))) == list(dict.fromkeys(tags(recorded_entry)))
    for link_ours, link_rec in zip(
        ours_entry.iter(ATOM + "link"), recorded_entry.iter(ATOM + "link"), strict=True
    ):
        assert sorted(link_ours.attrib) == sorted(link_rec.attrib)
    assert ours.findtext(ATOM + "title") == recorded.findtext(ATOM + "title")


def test_arxiv_versions_old_ids_journal_ref_and_withdrawal(
    fake: FakeServices, http: httpx.Client
) -> None:
    fake.world.add(
        Paper(
            "hep-th/9711200",
            "The Large N Limit of Superconformal Field Theories and Supergravity",
            versions=3,
            published="1997-11-27",
            journal_ref="Adv.Theor.Math.Phys.2:231-252,1998",
        ),
        Paper("2301.00001", "A Paper That Was Withdrawn", versions=2, withdrawn=True),
    )
    ids = "2106.09685v1,2106.09685v9,hep-th/9711200,2301.00001,2301.00001v1"
    feed = _feed.parse(http.get(fake.arxiv_url, params={"id_list": ids}).content)
    by_id = {res.get_short_id(): res for res in feed.results}
    assert list(by_id) == ["2106.09685v1", "hep-th/9711200v3", "2301.00001v2", "2301.00001v1"]
    assert by_id["hep-th/9711200v3"].journal_ref == "Adv.Theor.Math.Phys.2:231-252,1998"
    assert by_id["2301.00001v2"].comment == "This paper has been withdrawn by the authors."
    assert "withdrawn" in by_id["2301.00001v2"].summary
    assert by_id["2301.00001v1"].comment is None


def test_arxiv_malformed_id_fails_the_whole_request_with_400(
    fake: FakeServices, http: httpx.Client
) -> None:
    r = http.get(fake.arxiv_url, params={"id_list": "2106.09685,abc"})
    assert r.status_code == 400
    ours = ET.fromstring(r.content)
    recorded = ET.parse(SAMPLES / "arxiv" / "id_abc.status400.xml").getroot()
    assert tags(ours) == tags(recorded)
    entry = ours.find(ATOM + "entry")
    assert entry is not None
    assert entry.findtext(ATOM + "id") == "https://arxiv.org/api/errors#incorrect_id_format_for_abc"
    assert entry.findtext(ATOM + "summary") == "incorrect id format for abc"
    assert _feed.parse(r.content).results == []  # no <published>: the package skips it


def test_arxiv_max_results_defaults_to_10_and_pages(fake: FakeServices, http: httpx.Client) -> None:
    ids = ",".join(sorted(fake.world.papers)[:12])
    feed = _feed.parse(http.get(fake.arxiv_url, params={"id_list": ids}).content)
    assert (feed.header.total_results, len(feed.results)) == (12, 10)
    r = http.get(fake.arxiv_url, params={"id_list": ids, "start": 10, "max_results": 5})
    feed = _feed.parse(r.content)
    assert (feed.header.start_index, len(feed.results)) == (10, 2)
    assert [res.get_short_id().split("v")[0] for res in feed.results] == ids.split(",")[10:]


def test_arxiv_post_form_and_faults(fake: FakeServices, http: httpx.Client) -> None:
    r = http.post(fake.arxiv_url, data={"id_list": "2001.04451", "max_results": "50"})
    assert [res.title for res in _feed.parse(r.content).results] == [
        "Reformer: The Efficient Transformer"
    ]
    assert fake.requests_to("arxiv")[-1].param("id_list") == "2001.04451"

    fake.world.arxiv_rate_limited_times = 1
    r = http.get(fake.arxiv_url, params={"id_list": "2001.04451"})
    assert r.status_code == 429
    assert r.content == (SAMPLES / "arxiv" / "rate_limited.status429.txt").read_bytes()
    assert r.headers["content-type"].startswith("text/plain")
    fake.world.arxiv_empty_times = 1
    feed = _feed.parse(http.get(fake.arxiv_url, params={"id_list": "2001.04451"}).content)
    assert feed.header.total_results == 0
    feed = _feed.parse(http.get(fake.arxiv_url, params={"id_list": "2001.04451"}).content)
    assert len(feed.results) == 1

    fake.world.arxiv_links_without_rel = True
    feed = _feed.parse(http.get(fake.arxiv_url, params={"id_list": "2001.04451"}).content)
    assert [link.rel for link in feed.results[0].links] == ["", ""]


# GitHub REST ----------------------------------------------------------------------------------


def test_github_rest_repository_like_the_recorded_one(
    fake: FakeServices, http: httpx.Client
) -> None:
    r = http.get(f"{fake.github_url}/repos/thudm/longbench")
    assert r.status_code == 200
    body = r.json()
    recorded = json.loads((SAMPLES / "github" / "get-repository.status200.json").read_text())
    missing = set(recorded["body"]) - set(body) - {"permissions", "temp_clone_token"}
    assert {k for k in missing if not k.startswith(("allow_", "delete_", "use_"))} == set()
    assert body["full_name"] == "THUDM/LongBench"  # canonical case, no redirect
    assert body["html_url"] == "https://github.com/THUDM/LongBench"
    assert body["url"] == f"{fake.github_url}/repos/THUDM/LongBench"
    assert (body["archived"], body["private"], body["owner"]["login"]) == (False, False, "THUDM")
    assert r.headers["x-ratelimit-limit"] == "60"
    assert r.headers["x-ratelimit-remaining"] == "59"
    assert r.headers["x-ratelimit-resource"] == "core"
    again = http.get(r.url, headers={"If-None-Match": r.headers["etag"]})
    assert again.status_code == 304
    assert again.headers["x-ratelimit-remaining"] == "59"


def test_github_rest_moved_missing_private(fake: FakeServices, http: httpx.Client) -> None:
    fake.world.add(Repo("someone/secret", private=True), Repo("old/archived", archived=True))
    r = http.get(f"{fake.github_url}/repos/cpacker/MemGPT")
    assert r.status_code == 301
    letta = fake.world.repo("letta-ai/letta")
    assert letta is not None
    url = f"{fake.github_url}/repositories/{letta.id}"
    assert r.headers["location"] == url
    assert r.json() == {
        "message": "Moved Permanently",
        "url": url,
        "documentation_url": "https://docs.github.com/v3/#http-redirects",
    }
    followed = http.get(f"{fake.github_url}/repos/cpacker/MemGPT", follow_redirects=True)
    assert followed.json()["full_name"] == "letta-ai/letta"
    for name in ("nobody/nothing", "someone/secret"):
        r = http.get(f"{fake.github_url}/repos/{name}")
        assert r.status_code == 404
        assert r.json()["message"] == "Not Found"
    assert http.get(f"{fake.github_url}/repos/old/archived").json()["archived"] is True


def test_github_rest_rate_limits(fake: FakeServices, http: httpx.Client) -> None:
    fake.world.github_rate_limited = True
    r = http.get(f"{fake.github_url}/repos/THUDM/LongBench")
    assert r.status_code == 403
    assert r.headers["x-ratelimit-remaining"] == "0"
    assert int(r.headers["x-ratelimit-reset"]) > time.time()
    assert r.json()["message"].startswith("API rate limit exceeded")

    fake.reset(seed_world())
    fake.world.github_unauthenticated_limit = 2
    statuses = [http.get(f"{fake.github_url}/repos/THUDM/LongBench").status_code for _ in "abc"]
    assert statuses == [200, 200, 403]
    token = {"Authorization": "Bearer t0ken"}
    r = http.get(f"{fake.github_url}/repos/THUDM/LongBench", headers=token)
    assert (r.status_code, r.headers["x-ratelimit-limit"]) == (200, "5000")
    assert fake.requests_to("github")[-1].headers["authorization"] == "Bearer t0ken"

    fake.world.github_secondary_limited_times = 1
    r = http.get(f"{fake.github_url}/repos/THUDM/LongBench", headers=token)
    assert (r.status_code, r.headers["retry-after"]) == (403, "1")


# GitHub GraphQL -------------------------------------------------------------------------------

QUERY = """query {
  r0: repository(owner: "thunlp", name: "MoEfication") { nameWithOwner url isArchived }
  r1: repository(owner:"cpacker",name:"MemGPT",followRenames:true){nameWithOwner isPrivate}
  r2: repository(owner: "nobody", name: "nothing") { nameWithOwner }
  r3: repository(name: "MemGPT", owner: "cpacker", followRenames: false) { url }
  rateLimit { cost remaining resetAt }
}"""


def test_graphql_aliases(fake: FakeServices, http: httpx.Client) -> None:
    r = http.post(
        f"{fake.github_url}/graphql",
        json={"query": QUERY},
        headers={"Authorization": "bearer x"},
    )
    assert r.status_code == 200
    body = r.json()
    data = body["data"]
    assert data["r0"] == {
        "nameWithOwner": "thunlp/MoEfication",
        "url": "https://github.com/thunlp/MoEfication",
        "isArchived": False,
    }
    assert data["r1"] == {"nameWithOwner": "letta-ai/letta", "isPrivate": False}
    assert data["r2"] is None and data["r3"] is None
    assert set(data["rateLimit"]) == {"cost", "remaining", "resetAt"}
    errors = {e["path"][0]: e for e in body["errors"]}
    assert set(errors) == {"r2", "r3"}
    assert errors["r2"]["type"] == "NOT_FOUND"
    assert errors["r2"]["locations"] == [{"line": 4, "column": 3}]
    assert errors["r2"]["message"] == (
        "Could not resolve to a Repository with the name 'nobody/nothing'."
    )
    assert r.headers["x-ratelimit-resource"] == "graphql"


def test_graphql_variables_unknown_fields_and_auth(fake: FakeServices, http: httpx.Client) -> None:
    url = f"{fake.github_url}/graphql"
    q = "query($o: String!, $n: String!) { repository(owner: $o, name: $n) { databaseId } }"
    auth = {"Authorization": "token abc"}
    r = http.post(
        url, json={"query": q, "variables": {"o": "THUDM", "n": "LongBench"}}, headers=auth
    )
    repo = fake.world.repo("THUDM/LongBench")
    assert repo is not None
    assert r.json() == {"data": {"repository": {"databaseId": repo.id}}}
    r = http.post(
        url, json={"query": '{ r0: repository(owner: "a", name: "b") { bogus } }'}, headers=auth
    )
    assert "data" not in r.json()
    assert r.json()["errors"][0]["extensions"]["code"] == "undefinedField"
    r = http.post(url, json={"query": QUERY})
    assert r.status_code == 401
    assert r.json()["message"] == "This endpoint requires you to be authenticated."


# Semantic Scholar -----------------------------------------------------------------------------


def test_s2_batch_order_nulls_and_fields(fake: FakeServices, http: httpx.Client) -> None:
    ids = ["ARXIV:2106.09685", "ARXIV:0000.00000", "arXiv:2304.04052", "ARXIV:2110.01786v1"]
    r = http.post(
        f"{fake.s2_url}/paper/batch",
        params={"fields": "title,venue,year,publicationVenue,externalIds"},
        json={"ids": ids},
        headers={"x-api-key": "k"},
    )
    assert r.status_code == 200
    lora, missing, decoder, versioned = r.json()
    assert missing is None and versioned is None
    assert set(lora) == {"paperId", "title", "venue", "year", "publicationVenue", "externalIds"}
    assert lora["venue"] == "International Conference on Learning Representations"
    assert lora["year"] == 2021  # the preprint's year, not ICLR 2022
    assert lora["publicationVenue"]["alternate_names"] == ["Int Conf Learn Represent", "ICLR"]
    assert lora["externalIds"]["ArXiv"] == "2106.09685"
    assert lora["externalIds"]["DBLP"].startswith("conf/iclr/")
    assert decoder["venue"] == "arXiv.org"
    assert fake.requests_to("s2")[-1].headers["x-api-key"] == "k"
    assert fake.requests_to("s2")[-1].json() == {"ids": ids}


def test_s2_errors(fake: FakeServices, http: httpx.Client) -> None:
    batch = f"{fake.s2_url}/paper/batch"
    fake.world.s2_429_times = 1
    r = http.post(batch, params={"fields": "venue"}, json={"ids": ["ARXIV:2106.09685"]})
    assert r.status_code == 429 and "retry-after" not in r.headers
    assert r.json()["code"] == "429"
    r = http.post(batch, params={"fields": "venue"}, json={"ids": ["ARXIV:2106.09685"]})
    assert r.status_code == 200
    r = http.post(batch, params={"fields": "unknown"}, json={"ids": ["ARXIV:2106.09685"]})
    assert (r.status_code, r.json()) == (
        400,
        {"error": "Unrecognized or unsupported fields: [unknown]"},
    )
    r = http.post(batch, params={"fields": "venue"}, json={"ids": ["ARXIV:1"] * 501})
    assert r.status_code == 400
    r = http.get(f"{fake.s2_url}/paper/ARXIV:9999.99999", params={"fields": "title"})
    assert (r.status_code, r.json()) == (404, {"error": "Paper with id ARXIV:9999.99999 not found"})


# DBLP -----------------------------------------------------------------------------------------


def dblp(fake: FakeServices, http: httpx.Client, q: str, **extra: Any) -> httpx.Response:
    return http.get(fake.dblp_url, params={"q": q, "format": "json", **extra})


def test_dblp_hits_like_the_recorded_ones(fake: FakeServices, http: httpx.Client) -> None:
    r = dblp(fake, http, "MoEfication: Transformer Feed-forward Layers are Mixtures of Experts")
    assert r.status_code == 200
    result = r.json()["result"]
    recorded = json.loads((SAMPLES / "dblp" / "publ_q_basov_oleg.first3of14hits.json").read_text())[
        "result"
    ]
    assert list(result) == list(recorded)
    hits = result["hits"]
    assert (hits["@total"], hits["@sent"], hits["@first"]) == ("2", "2", "0")
    infos = [h["info"] for h in hits["hit"]]
    assert [i["venue"] for i in infos] == ["ACL (Findings)", "CoRR"]
    assert [i["year"] for i in infos] == ["2022", "2021"]
    assert infos[1]["key"] == "journals/corr/abs-2110-01786"
    assert infos[0]["title"].endswith("Mixtures of Experts.")
    assert set(infos[0]) <= set(recorded["hits"]["hit"][0]["info"]) | {"ee", "number"}
    assert isinstance(infos[0]["authors"]["author"], list)


def test_tracks_are_named_as_the_services_name_them(fake: FakeServices, http: httpx.Client) -> None:
    title = "A Findings Paper About Probing"
    fake.reset(
        World.of(
            Paper("2305.00001", title),
            Paper("2404.00002", "A Workshop Paper About Probing"),
            Venue(
                "2305.00001",
                s2_venue="Findings",
                publication_venue="Findings",
                dblp=[track_hit(title, "NAACL", "findings", 2024)],
            ),
            Venue("2404.00002", s2_venue=S2_WORKSHOPS["CVPR"], publication_venue=None),
        )
    )
    r = http.post(
        f"{fake.s2_url}/paper/batch",
        params={"fields": "venue,publicationVenue"},
        json={"ids": ["ARXIV:2305.00001", "ARXIV:2404.00002"]},
    )
    findings, workshop = r.json()
    assert findings["venue"] == "Findings"
    assert findings["publicationVenue"]["type"] == "journal"  # S2's journal of that name
    assert workshop["venue"].endswith("Workshops (CVPRW)") and workshop["publicationVenue"] is None
    (hit,) = dblp(fake, http, "Findings Paper About Probing").json()["result"]["hits"]["hit"]
    assert hit["info"]["venue"] == "NAACL-HLT (Findings)"
    assert hit["info"]["key"].startswith("conf/naacl/")


def test_dblp_single_author_no_hits_paging_and_faults(
    fake: FakeServices, http: httpx.Client
) -> None:
    fake.world.add(
        DblpHit("A Lonely Paper.", "CoRR", 2020, "journals/corr/abs-2001-99999", ["Solo"])
    )
    hit = dblp(fake, http, "lonely").json()["result"]["hits"]["hit"][0]
    assert hit["info"]["authors"]["author"] == {
        "@pid": hit["info"]["authors"]["author"]["@pid"],
        "text": "Solo",
    }
    none = dblp(fake, http, "no such words anywhere").json()["result"]["hits"]
    assert none == {"@total": "0", "@computed": "0", "@sent": "0", "@first": "0"}
    paged = dblp(fake, http, "transformer", h=1, f=1).json()["result"]["hits"]
    assert (paged["@sent"], paged["@first"], len(paged["hit"])) == ("1", "1", 1)
    assert int(paged["@total"]) > 2
    assert dblp(fake, http, "lora year:2022").json()["result"]["hits"]["@total"] == "1"
    xml = http.get(fake.dblp_url, params={"q": "lonely"})
    assert xml.headers["content-type"].startswith("application/xml")
    assert ET.fromstring(xml.content).find("hits/hit/info/title").text == "A Lonely Paper."

    fake.world.dblp_429_times = 1
    r = dblp(fake, http, "lonely")
    assert (r.status_code, r.headers["retry-after"]) == (429, "1")
    fake.world.dblp_html_challenge = True
    r = dblp(fake, http, "lonely")
    assert r.status_code == 500 and r.headers["content-type"].startswith("text/html")


# Web ------------------------------------------------------------------------------------------


def test_web_pages(fake: FakeServices, http: httpx.Client) -> None:
    fake.world.add(
        Page("/ok"),
        Page("/r1", 301, location="/r2"),
        Page("/r2", 302, location="{web}/ok"),
        Page("/nohead", head_status=405),
        Page("/busy", 429, retry_after=2),
        Page("/flaky", fail_times=2),
        Page("/away", 301, location="{canary}/secret"),
    )
    assert http.get(fake.web("/ok")).status_code == 200
    assert http.get(fake.web("/missing")).status_code == 404
    r = http.get(fake.web("/r1"), follow_redirects=True)
    assert [h.status_code for h in r.history] == [301, 302]
    assert str(r.url) == fake.web("/ok")
    assert http.head(fake.web("/nohead")).status_code == 405
    assert http.get(fake.web("/nohead")).status_code == 200
    r = http.get(fake.web("/busy"))
    assert (r.status_code, r.headers["retry-after"]) == (429, "2")
    assert [http.get(fake.web("/flaky")).status_code for _ in "abc"] == [503, 503, 200]
    r = http.get(fake.web("/away"))
    assert r.headers["location"] == f"{fake.canary_url}/secret"
    assert fake.requests_to("canary") == []


def test_web_slow_and_dropped(fake: FakeServices, http: httpx.Client) -> None:
    fake.world.add(Page("/slow", delay=0.5), Page("/drop", drop=True))
    with pytest.raises(httpx.ReadTimeout):
        http.get(fake.web("/slow"), timeout=0.1)
    with pytest.raises(httpx.RemoteProtocolError):
        http.get(fake.web("/drop"))
    assert fake.requests_to("web")[-1].status == 0


# Log, latency, seed -----------------------------------------------------------------------------


def test_latency_and_concurrency_are_measurable(fake: FakeServices) -> None:
    fake.world.latency = 0.05
    fake.world.add(Page("/p"))

    def get(_: int) -> int:
        with httpx.Client(timeout=5, trust_env=False) as client:
            return client.get(fake.web("/p")).status_code

    start = time.monotonic()
    with ThreadPoolExecutor(4) as pool:
        assert list(pool.map(get, range(4))) == [200] * 4
    assert time.monotonic() - start >= 0.05
    assert fake.max_in_flight("web") >= 2
    assert all(r.method == "GET" and r.path == "/p" for r in fake.requests_to("web"))


def test_seed_world_follows_the_facts() -> None:
    world = seed_world()
    facts = json.loads((Path(__file__).parent / "data" / "seed" / "facts.json").read_text())
    assert set(world.papers) == set(facts["arxiv"])
    assert all(world.papers[i].title == f["title"] for i, f in facts["arxiv"].items())
    memgpt = world.repo("cpacker/memgpt")
    assert memgpt is not None and memgpt.moved_to == "letta-ai/letta"
    rwkv = world.venue("2305.13048")
    assert rwkv is not None and rwkv.dblp is not None
    assert [h.venue for h in rwkv.dblp] == ["EMNLP (Findings)", "CoRR"]
    linformer = world.venue("2006.04768")
    assert linformer is not None and linformer.s2_venue == "arXiv.org"
    assert [h.venue for h in world.dblp_hits() if "Linformer" in h.title] == ["CoRR"]


def test_a_world_can_be_built_from_items() -> None:
    world = World.of(Paper("2101.00001", "T"), Venue("2101.00001", s2_known=False), Page("/x"))
    assert world.venue("2101.00001") is not None
    assert world.pages["/x"].status == 200


def test_venue_accepts_names() -> None:
    venue = Venue("2101.00001", s2_venue=None, publication_venue="ICML")
    assert venue.s2_venue == ""
    assert isinstance(venue.publication_venue, PublicationVenue)
    assert venue.publication_venue.name == "International Conference on Machine Learning"
    other = Venue("2101.00002", "Some Workshop", publication_venue="Some Workshop")
    assert isinstance(other.publication_venue, PublicationVenue)
    assert other.publication_venue.name == "Some Workshop"


def test_github_base_may_carry_a_path() -> None:
    with (
        FakeServices(seed_world(), github_prefix="/api/v3") as fake,
        httpx.Client(trust_env=False) as http,
    ):
        assert fake.github_url.endswith("/api/v3")
        r = http.get(f"{fake.github_url}/repos/cpacker/MemGPT", follow_redirects=True)
        assert r.json()["full_name"] == "letta-ai/letta"
        assert http.get(f"{fake.origin('github')}/repos/cpacker/MemGPT").status_code == 404
        assert fake.env()["PAPERLINT_GITHUB_API_URL"] == fake.github_url
