"""--nightly --issue against the loopback GitHub issues API: one issue, found by label and marker,
created when something is confirmed, edited every night, commented on news only, closed when all
recovered, reopened when something breaks again; the history survives an evicted cache through its
body and its author's hidden comments; a person's issue with the label is never touched."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx
from fakes import FakeServices, Page, Repo
from fakes.issues import IssueTracker, issues_of

from checker import mirror
from checker.history import hashed
from checker.issue import MARKER
from checker.services.issues import IssueError

NAMES = ("breaks", "recovers", "flaky", "fine")


@pytest.fixture
def repo_env(fake: FakeServices, monkeypatch: pytest.MonkeyPatch) -> IssueTracker:
    monkeypatch.setenv("GITHUB_REPOSITORY", "octo/papers")
    monkeypatch.setenv("GITHUB_TOKEN", "gh-test-token")
    monkeypatch.setenv("GITHUB_SERVER_URL", "https://github.com")
    monkeypatch.setenv("GITHUB_SHA", "0123456789abcdef")
    tracker = issues_of(fake.world)
    tracker.add("Add a paper", labels=["paperlint"], pull_request=True, repository="octo/papers")
    tracker.add("Unrelated", repository="octo/papers")
    return tracker


@pytest.fixture
def site(fake: FakeServices, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    fake.world.add(*(Page(f"/{name}") for name in NAMES))
    path = tmp_path / "README.md"
    path.write_text(
        "# Links\n\n" + "".join(f"- [{n}]({fake.web('/' + n)})\n" for n in NAMES),
        encoding="utf-8",
    )
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    return path


def section(body: str, title: str) -> str:
    """The rows of one `### title (n)` section of the issue body."""
    start = next((i for i, line in enumerate(body.splitlines()) if line.startswith(title)), None)
    if start is None:
        return ""
    rows = []
    for line in body.splitlines()[start + 1 :]:
        if line.startswith("### ") or line.startswith("Last "):
            break
        if line.startswith("| ") and "Where" not in line:
            rows.append(line)
    return "\n".join(rows)


def mirror_of_all(body: str, parts: list[str]) -> Any:
    read = mirror.decode(body, parts)
    assert read.history is not None
    return read.history


def named(text: str) -> set[str]:
    return {n for n in NAMES if f"/{n}" in text}


def test_three_nights_one_issue_then_closed_and_reopened(
    fake: FakeServices, paperlint: Any, site: Path, repo_env: IssueTracker, tmp_path: Path
) -> None:
    cache = tmp_path / "cache.sqlite3"

    def night(*broken: str) -> Any:
        for name in NAMES:
            fake.world.pages[f"/{name}"].status = 404 if name in broken else 200
        run = paperlint(
            "README.md", "--nightly", "--issue", "--cache", str(cache), "--allow-private",
            cwd=site.parent,
        )  # fmt: skip
        assert run.code == 0, run.err
        return run

    night("breaks", "recovers")  # both suspect: nothing confirmed, no issue yet
    assert repo_env.labelled("paperlint") == []

    second = night("breaks", "recovers", "flaky")
    (issue,) = repo_env.labelled("paperlint")
    assert "created" in second.err and issue.state == "open"
    assert issue.title == "paperlint: link rot report"
    assert named(section(issue.body, "### New")) == {"breaks", "recovers"}
    assert named(section(issue.body, "### Suspect")) == {"flaky"}
    assert "**2 broken** (2 new) · 0 recovered · 1 suspect" in issue.body
    assert "https://github.com/octo/papers/blob/0123456789abcdef/README.md?plain=1#L3" in issue.body
    assert issue.comments == []  # the new issue says it all

    night("breaks")
    (issue,) = repo_env.labelled("paperlint")
    assert named(section(issue.body, "### Still failing")) == {"breaks"}
    assert named(section(issue.body, "### Recovered")) == {"recovers", "flaky"}
    assert "### New" not in issue.body and "### Suspect" not in issue.body
    assert "**1 broken** · 2 recovered · 0 suspect" in issue.body
    assert issue.comments == []  # nothing new confirmed: no notification
    history = mirror.decode(issue.body).history
    assert history is not None and len(history.runs) == 3
    assert history.failing.keys() == {hashed(f"url:{fake.web('/breaks')}")}

    night()
    (issue,) = repo_env.labelled("paperlint")
    assert (issue.state, issue.state_reason) == ("closed", "completed")
    assert len(issue.said) == 1 and issue.said[0].startswith("Everything has recovered")

    night("breaks")  # suspect again: the closed issue keeps the history, stays closed
    assert issue.state == "closed" and len(issue.said) == 1
    night("breaks")
    (issue,) = repo_env.labelled("paperlint")
    assert issue.state == "open"
    assert issue.said[-1].startswith("Broken again")
    assert "/breaks" in issue.said[-1]
    assert len(repo_env.labelled("paperlint", pull_requests=True)) == 2  # the PR, untouched
    for request in fake.requests_to("github"):
        assert request.headers.get("authorization") == "Bearer gh-test-token"


def test_history_survives_an_evicted_cache_through_the_issue(
    fake: FakeServices, paperlint: Any, site: Path, repo_env: IssueTracker, tmp_path: Path
) -> None:
    fake.world.pages["/breaks"].status = 404
    args = ("README.md", "--nightly", "--issue", "--allow-private", "--format", "json")
    for _ in range(2):
        paperlint(*args, "--cache", str(tmp_path / "first.sqlite3"), cwd=site.parent, fmt=None)
    run = paperlint(*args, "--cache", str(tmp_path / "evicted.sqlite3"), cwd=site.parent, fmt=None)
    (finding,) = [f for f in run.findings if f["rule"] == "link-broken"]
    assert finding["nightly"]["state"] == "still" and finding["nightly"]["runs"] == 3
    assert run.report["nightly"]["baseline"] is False
    (issue,) = repo_env.labelled("paperlint")
    assert issue.comments == []


def test_a_lost_creation_answer_is_settled_by_listing_again(
    fake: FakeServices, paperlint: Any, site: Path, repo_env: IssueTracker
) -> None:
    fake.world.pages["/breaks"].status = 404
    repo_env.fail_created_times = 1  # the issue is created, the answer lost (502)
    run = paperlint(
        "README.md", "--nightly", "--issue", "--confirm-after", "1", "--no-cache",
        "--allow-private", cwd=site.parent,
    )  # fmt: skip
    assert run.code == 0, run.err
    assert len(repo_env.labelled("paperlint")) == 1
    posts = [r for r in fake.requests_to("github") if r.method == "POST" and "/issues" in r.path]
    assert len(posts) == 1  # never sent twice


def test_an_issue_that_cannot_be_written_is_exit_2_with_the_report_written(
    fake: FakeServices, paperlint: Any, site: Path, repo_env: IssueTracker, tmp_path: Path
) -> None:
    fake.world.pages["/breaks"].status = 404
    repo_env.read_only = True
    report = tmp_path / "report.json"
    run = paperlint(
        "README.md", "--nightly", "--issue", "--confirm-after", "1", "--no-cache",
        "--allow-private", "--report", f"json={report}", cwd=site.parent,
    )  # fmt: skip
    assert run.code == 2
    lines = run.err.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("paperlint: error: cannot update the nightly issue of octo/papers:")
    assert "issues: write" in lines[0]
    data = json.loads(report.read_text(encoding="utf-8"))
    assert [f["rule"] for f in data["findings"]] == ["link-broken"]
    assert json.loads(run.out)["summary"]["errors"] == 1


def test_the_open_issue_most_recently_updated_is_the_one(
    fake: FakeServices, paperlint: Any, site: Path, repo_env: IssueTracker
) -> None:
    old = repo_env.add("old report", f"{MARKER}\nold", labels=["paperlint"], state="closed")
    mine = repo_env.add("paperlint: link rot report", f"{MARKER}\n", labels=["paperlint"])
    fake.world.pages["/breaks"].status = 404
    run = paperlint(
        "README.md", "--nightly", "--issue", "--confirm-after", "1", "--no-cache",
        "--allow-private", cwd=site.parent,
    )  # fmt: skip
    assert run.code == 0, run.err
    assert "### New" in mine.body and mine.said and old.body == f"{MARKER}\nold"
    assert len(repo_env.labelled("paperlint")) == 2


@pytest.mark.parametrize(
    ("drop", "args", "message"),
    [
        ("GITHUB_REPOSITORY", ["--nightly", "--issue"], "--issue needs GITHUB_REPOSITORY"),
        ("GITHUB_TOKEN", ["--nightly", "--issue"], "--issue needs a token"),
        (None, ["--issue"], "--issue reports a nightly run: add --nightly"),
    ],
)
def test_issue_usage_errors(
    paperlint: Any,
    site: Path,
    repo_env: IssueTracker,
    monkeypatch: pytest.MonkeyPatch,
    drop: str | None,
    args: list[str],
    message: str,
) -> None:
    if drop:
        monkeypatch.delenv(drop)
    run = paperlint("README.md", *args, "--no-cache", cwd=site.parent)
    assert run.code == 2 and run.out == ""
    assert len(run.err.splitlines()) == 1 and message in run.err


# ---------------------------------------------------------------------------------------------
# The client alone (respx): what the loopback fake cannot show


def _run(job: Any) -> Any:
    from checker.issue import IssueSettings, call

    return call(IssueSettings("https://api.example", "tok", "octo/papers", 5.0), job)


BOT = {"login": "github-actions[bot]", "type": "Bot"}  # who the token is, in these tests


def _item(number: int, state: str, body: str = MARKER, **extra: Any) -> dict[str, Any]:
    return {"number": number, "state": state, "title": "t", "body": body, "user": BOT, **extra}


def _viewer() -> respx.Route:
    return respx.post("https://api.example/graphql").mock(
        return_value=httpx.Response(200, json={"data": {"viewer": {"login": BOT["login"]}}})
    )


@respx.mock
def test_a_next_page_off_the_api_host_is_not_followed() -> None:
    first = respx.get("https://api.example/repos/octo/papers/issues").mock(
        return_value=httpx.Response(
            200,
            json=[{"number": 1, "state": "closed", "title": "t", "body": "", "pull_request": {}}],
            headers={"link": '<https://elsewhere.example/issues?page=2>; rel="next"'},
        )
    )
    elsewhere = respx.get(url__startswith="https://elsewhere.example/").mock(
        return_value=httpx.Response(200, json=[])
    )
    with pytest.raises(IssueError, match="off the API host"):
        _run(lambda service: service.find())
    assert first.call_count == 1 and elsewhere.call_count == 0


@respx.mock
def test_listing_skips_pull_requests_and_prefers_the_open_issue() -> None:
    respx.get("https://api.example/repos/octo/papers/issues").mock(
        return_value=httpx.Response(
            200,
            json=[
                _item(10, "open", pull_request={}),
                _item(9, "open", "a person's issue, labelled: no marker"),
                _item(8, "closed"),
                _item(11, "open", user={"login": "mallory", "type": "User"}),  # the marker, copied
                _item(7, "open"),
            ],
        )
    )
    viewer = _viewer()
    found = _run(lambda service: service.find())
    assert (found.number, found.state) == (7, "open")
    assert viewer.call_count == 1  # asked once, when the first marked issue was met


@respx.mock
def test_an_issue_is_never_taken_as_paperlints_when_github_does_not_say_whose_token_it_is() -> None:
    respx.get("https://api.example/repos/octo/papers/issues").mock(
        return_value=httpx.Response(200, json=[_item(7, "open")])
    )
    respx.post("https://api.example/graphql").mock(
        return_value=httpx.Response(200, json={"errors": [{"message": "Something went wrong"}]})
    )
    edit = respx.patch(url__startswith="https://api.example/").mock(httpx.Response(200))
    with pytest.raises(IssueError, match="whose token this is"):
        _run(lambda service: service.find())
    assert edit.call_count == 0


@respx.mock
def test_listing_asks_for_the_configured_label_and_finds_only_marked_issues() -> None:
    route = respx.get("https://api.example/repos/octo/papers/issues").mock(
        return_value=httpx.Response(
            200, json=[_item(3, "open", f"quoting it: {MARKER}"), _item(2, "closed", "")]
        )
    )
    from checker.issue import IssueSettings, call

    settings = IssueSettings("https://api.example", "tok", "octo/papers", 5.0, "link rot&x=1")
    assert call(settings, lambda service: service.find()) is None
    assert route.calls[0].request.url.params["labels"] == "link rot&x=1"


@respx.mock
def test_a_comment_whose_answer_is_lost_is_not_sent_again() -> None:
    route = respx.post("https://api.example/repos/octo/papers/issues/3/comments").mock(
        return_value=httpx.Response(502)
    )
    with pytest.raises(IssueError, match="not sent again"):
        _run(lambda service: service.comment(3, "hello"))
    assert route.call_count == 1


@respx.mock
def test_a_comment_reset_after_sending_is_not_sent_again() -> None:
    route = respx.post("https://api.example/repos/octo/papers/issues/3/comments").mock(
        side_effect=[httpx.ReadError("connection reset"), httpx.Response(201, json={})]
    )
    with pytest.raises(IssueError, match="not sent again"):
        _run(lambda service: service.comment(3, "hello"))
    assert route.call_count == 1


@respx.mock
def test_a_rate_limited_comment_is_sent_again_through_the_shared_client() -> None:
    route = respx.post("https://api.example/repos/octo/papers/issues/3/comments").mock(
        side_effect=[
            httpx.Response(403, json={"message": "You have exceeded a secondary rate limit"},
                           headers={"retry-after": "0"}),
            httpx.Response(201, json={}),
        ]
    )  # fmt: skip
    _run(lambda service: service.comment(3, "hello"))
    assert route.call_count == 2
    sent = route.calls[-1].request
    assert sent.headers["authorization"] == "Bearer tok"
    assert sent.headers["user-agent"].startswith("paperlint/")  # the shared client's


@respx.mock
def test_a_creation_reset_after_sending_is_settled_by_listing() -> None:
    create = respx.post("https://api.example/repos/octo/papers/issues").mock(
        side_effect=[httpx.ReadError("connection reset"), httpx.Response(201, json={})]
    )
    listing = respx.get("https://api.example/repos/octo/papers/issues").mock(
        return_value=httpx.Response(200, json=[_item(5, "open")])
    )
    _viewer()
    issue = _run(lambda service: service.create("t", "b"))
    assert issue.number == 5
    assert create.call_count == 1 and listing.call_count == 1


def test_the_issue_body_of_a_3000_paper_list_fits_githubs_limit() -> None:
    from checker.formats import markdown
    from checker.formats.markdown import BODY_LIMIT
    from checker.history import History, TargetHistory
    from checker.issue import body, mirror_block, report_room
    from checker.model import Finding, NightlyReport, NightlyRun, NightlyState, Report, Severity

    findings, targets = [], {}
    for i in range(3000):
        url = f"https://example.org/a-rather-long-path/to/paper-{i}/index.html"
        state = ("new", "still", "suspect")[i % 3]
        nightly = NightlyState(state, "2026-11-01T04:00:00Z", 1 + i % 7)
        findings.append(
            Finding(
                "link-broken",
                Severity.ERROR,
                "README.md",
                10 + i,
                3,
                "link is broken: HTTP 404",
                url,
                nightly=nightly,
            )
        )
        targets[f"url:{url}"] = TargetHistory(
            "2026-11-01T04:00:00Z", None, 1 + i % 7, state != "suspect", "link-broken",
            "README.md", 10 + i, url,
        )  # fmt: skip
    history = History(targets=targets, runs=[NightlyRun("2026-11-30T04:00:00Z", 2000, 0, 1000)])
    report = Report(findings=findings, nightly=NightlyReport(2, "2026-11-30T04:00:00Z"))
    blocks = mirror_block(history)
    text = body(markdown.render(report, None, report_room(blocks)), blocks)
    assert len(text) <= BODY_LIMIT
    assert "### New: confirmed since the last report (1000)" in text
    assert "more not shown here" in text
    assert all(len(part) <= BODY_LIMIT - 200 for part in blocks.parts)
    mirrored = mirror_of_all(text, blocks.parts)
    assert len(mirrored.targets) == 3000  # body and hidden comments: all of them
    assert len(mirror_of_all(text, []).targets) >= 500  # the body alone: the most established
    assert all(t.confirmed for t in mirror_of_all(text, []).targets.values())


# ---------------------------------------------------------------------------------------------
# Ownership: the marker, not the label, makes an issue paperlint's


def snapshot(issue: Any) -> tuple[Any, ...]:
    return (
        issue.title, issue.body, issue.state, issue.state_reason, list(issue.labels),
        issue.updated_at, [(c.id, c.author, c.body, c.updated_at) for c in issue.comments],
    )  # fmt: skip


def test_a_persons_labelled_issues_survive_four_nights_byte_for_byte(
    fake: FakeServices, paperlint: Any, site: Path, repo_env: IssueTracker, tmp_path: Path
) -> None:
    false_positive = repo_env.add(
        "paperlint reports a false positive",
        "The link on line 3 works for me.\n\n<!-- a comment of mine -->",
        labels=["paperlint", "bug"], author="octocat", repository="octo/papers",
    )  # fmt: skip
    repo_env.comment(false_positive, "Same here.", author="hubot")
    old_question = repo_env.add(
        "How do I run paperlint nightly?", f"Quoting it: {MARKER}", labels=["paperlint"],
        state="closed", author="octocat", repository="octo/papers",
    )  # fmt: skip
    repo_env.comment(false_positive, "bumping", author="octocat")
    forged = repo_env.add(  # a report pasted into an issue of mallory's: the newest, and open
        "paperlint: link rot report", f"{MARKER}\nNothing is broken.", labels=["paperlint"],
        author="mallory", repository="octo/papers",
    )  # fmt: skip
    people = [false_positive, old_question, forged]
    before = [snapshot(i) for i in people]

    def night(*broken: str) -> str:
        for name in NAMES:
            fake.world.pages[f"/{name}"].status = 404 if name in broken else 200
        run = paperlint(
            "README.md", "--nightly", "--issue", "--confirm-after", "1", "--allow-private",
            "--cache", str(tmp_path / "cache.sqlite3"), cwd=site.parent,
        )  # fmt: skip
        assert run.code == 0, run.err
        return run.err

    assert "created" in night("breaks")
    assert "closed" in night()
    assert "reopened" in night("breaks")
    assert "updated" in night("breaks", "flaky")

    assert [snapshot(i) for i in people] == before
    mine = [i for i in repo_env.labelled("paperlint") if i not in people]
    assert len(mine) == 1 and mine[0].body.startswith(MARKER) and mine[0].state == "open"
    assert mine[0].author == "github-actions[bot]"
    issues = "/repos/octo/papers/issues"
    for request in fake.requests_to("github"):  # not even a write that was refused
        if request.method != "GET":
            assert request.path in (
                "/graphql",  # who the token is: a query, no write
                issues,
                f"{issues}/{mine[0].number}",
                f"{issues}/{mine[0].number}/comments",
            ), request.path


def test_the_label_is_configurable_and_only_marked_issues_count(
    fake: FakeServices, paperlint: Any, site: Path, repo_env: IssueTracker
) -> None:
    elsewhere = repo_env.add("paperlint: link rot report", f"{MARKER}\nold", labels=["paperlint"])
    fake.world.pages["/breaks"].status = 404
    run = paperlint(
        "README.md", "--nightly", "--issue", "--issue-label", "link rot", "--confirm-after", "1",
        "--no-cache", "--allow-private", cwd=site.parent,
    )  # fmt: skip
    assert run.code == 0, run.err
    (mine,) = repo_env.labelled("link rot")
    assert mine.body.startswith(MARKER) and "### New" in mine.body
    assert elsewhere.body == f"{MARKER}\nold"  # another label: another report, not this one
    listings = [r for r in fake.requests_to("github") if r.method == "GET"]
    assert {r.query.get("labels") for r in listings} == {"link rot"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--nightly", "--issue-label", "x"], "--issue-label names the label of --issue"),
        (["--nightly", "--issue", "--issue-label", "a,b"], "no comma"),
        (["--nightly", "--issue", "--issue-label", ""], "1 to 50 printable characters"),
        (["--nightly", "--issue", "--issue-label", "x\n::error::y"], "printable"),
    ],
)
def test_issue_label_usage_errors(
    paperlint: Any, site: Path, repo_env: IssueTracker, args: list[str], message: str
) -> None:
    run = paperlint("README.md", *args, "--no-cache", cwd=site.parent)
    assert run.code == 2 and run.out == ""
    assert len(run.err.splitlines()) == 1 and message in run.err


# ---------------------------------------------------------------------------------------------
# A moved repository is not broken: it neither opens the issue nor keeps it open


@pytest.fixture
def moved_site(fake: FakeServices, site: Path) -> Path:
    fake.world.add(Repo("old-owner/old-name", moved_to="new-owner/new-name"))
    fake.world.add(Repo("new-owner/new-name"))
    with site.open("a", encoding="utf-8") as fh:
        fh.write("- [moved](https://github.com/old-owner/old-name)\n")
    return site


def test_a_moved_repository_alone_opens_no_issue(
    fake: FakeServices, paperlint: Any, moved_site: Path, repo_env: IssueTracker, tmp_path: Path
) -> None:
    args = ("README.md", "--nightly", "--issue", "--allow-private", "--format", "json")
    for _ in range(3):
        run = paperlint(*args, "--cache", str(tmp_path / "c.sqlite3"), cwd=moved_site.parent,
                        fmt=None)  # fmt: skip
        assert run.code == 0, run.err
        (moved,) = [f for f in run.findings if f["rule"] == "github-moved"]
        assert "nightly" not in moved  # not a failure: no history, no state
        assert run.report["nightly"]["runs"][-1]["broken"] == 0
    assert [i for i in repo_env.labelled("paperlint") if not i.pull_request] == []


def test_a_moved_repository_does_not_keep_the_issue_open(
    fake: FakeServices, paperlint: Any, moved_site: Path, repo_env: IssueTracker, tmp_path: Path
) -> None:
    def night(*broken: str) -> str:
        for name in NAMES:
            fake.world.pages[f"/{name}"].status = 404 if name in broken else 200
        run = paperlint(
            "README.md", "--nightly", "--issue", "--confirm-after", "1", "--allow-private",
            "--cache", str(tmp_path / "c.sqlite3"), cwd=moved_site.parent,
        )  # fmt: skip
        assert run.code == 0, run.err
        return run.err

    assert "created" in night("breaks")
    assert "closed" in night()  # the moved repository is still listed, with its fix
    (issue,) = [i for i in repo_env.labelled("paperlint") if not i.pull_request]
    assert issue.state == "closed" and "new-owner/new-name" in issue.body


# ---------------------------------------------------------------------------------------------
# fix-pr's last step: the pull request named in paperlint's issue, and in no other


def test_the_pull_request_is_named_only_in_paperlints_own_issue(
    fake: FakeServices, repo_env: IssueTracker
) -> None:
    from checker.issue import IssueSettings, call, link_pull_request

    line = "**Fixes:** 3 (1 unsafe) applied to the files by `--fix`."
    person = repo_env.add("Fixes?", f"I copied this:\n\n{line}\n", labels=["paperlint"],
                          author="octocat", repository="octo/papers")  # fmt: skip
    settings = IssueSettings(fake.github_url, "gh-test-token", "octo/papers", 5.0)

    def link(number: int) -> Any:
        return call(settings, lambda service: link_pull_request(service, number))

    assert (link(12).action, person.body) == ("none", f"I copied this:\n\n{line}\n")
    ours = repo_env.add(
        "paperlint: link rot report", f"{MARKER}\n## paperlint: link rot report\n\n{line}\n",
        labels=["paperlint"], repository="octo/papers",
    )  # fmt: skip
    outcome = link(12)
    assert (outcome.action, outcome.number) == ("linked", ours.number)
    assert ours.body.endswith("\n**Fixes:** 3 (1 unsafe) proposed in pull request #12.\n")
    assert person.body == f"I copied this:\n\n{line}\n" and person.comments == []
    edited_at = ours.updated_at
    assert link(12).action == "linked" and ours.updated_at == edited_at  # no edit to repeat
    ours.body = f"{MARKER}\n## paperlint: link rot report\n\nNothing is broken.\n"
    assert link(13).action == "none"  # tonight's report fixed nothing it reports


def test_on_github_enterprise_server_graphql_is_asked_beside_the_rest_api(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """GHES serves REST at https://HOST/api/v3 and GraphQL at https://HOST/api/graphql: the
    repositories' batch and the token's account are asked there, two nights in a row."""
    from fakes import World

    from checker.cli import main

    world = World.of(Repo("octo/tool"), Page("/gone", status=404))
    with FakeServices(world, github_prefix="/api/v3") as ghes:
        issues_of(ghes.world)
        for name, value in {**ghes.env(), "GITHUB_REPOSITORY": "octo/papers",
                            "GITHUB_TOKEN": "gh-test-token"}.items():  # fmt: skip
            monkeypatch.setenv(name, value)
        (tmp_path / "README.md").write_text(
            f"# Links\n\n- [tool](https://github.com/octo/tool)\n- [gone]({ghes.web('/gone')})\n",
            encoding="utf-8",
        )
        monkeypatch.chdir(tmp_path)
        args = ["check", "README.md", "--nightly", "--issue", "--confirm-after", "1"]
        args += ["--allow-private", "--cache", str(tmp_path / "cache.sqlite3")]
        said = []
        for _ in range(2):
            assert main(args) == 0
            said.append(capsys.readouterr().err)
        posts = {r.path for r in ghes.requests_to("github") if r.method == "POST"}
    assert "created" in said[0] and "updated" in said[1], said
    assert "/api/graphql" in posts  # after the contract's {base}/graphql answered 404


@respx.mock
def test_a_v3_base_that_serves_graphql_under_it_is_asked_there_alone() -> None:
    """The contract's `{base}/graphql` comes first: a server that answers there (a proxy, a
    test double) is never asked anywhere else."""
    base = "https://ghe.example/api/v3"
    there = respx.post(f"{base}/graphql").mock(
        return_value=httpx.Response(200, json={"data": {"viewer": {"login": BOT["login"]}}})
    )
    beside = respx.post("https://ghe.example/api/graphql").mock(return_value=httpx.Response(500))
    respx.get(f"{base}/repos/octo/papers/issues").mock(
        return_value=httpx.Response(200, json=[_item(7, "open")])
    )
    from checker.issue import IssueSettings, call

    found = call(IssueSettings(base, "tok", "octo/papers", 5.0), lambda s: s.find())
    assert found is not None and found.number == 7
    assert there.call_count == 1 and beside.call_count == 0
