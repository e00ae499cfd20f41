"""An outage never turns a build red (issue 13.4), through the command line against the loopback
fakes: a 429 storm from a web host and from every API (arXiv, GitHub REST and GraphQL, Semantic
Scholar, DBLP), and an API host whose name does not resolve, leave their items unverified
(`service-unavailable`), which never counts for `--fail-on` — not with `error`, `warning` or
`never`, and not when the configuration makes it an error. A list link whose own host does not
resolve is still `link-broken`, and fails the run as before.

Runs are in process, with tenacity's exponential back-off set to zero (a 429 here asks for
`Retry-After: 0`), so the retries cost no time."""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path
from typing import Any

import pytest
from fakes import DblpHit, FakeServices, Fault, Page, Paper, Repo, Venue, World

from checker.cli import main

TITLE = "Attention Is All You Need"
UNRESOLVABLE = "http://nonexistent.invalid"  # .invalid never resolves (RFC 6761)
FAIL_ON = ("error", "warning", "never")


@pytest.fixture(autouse=True)
def _no_backoff(no_backoff: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    # `.invalid` never resolves (RFC 6761), but asking the machine's resolver would leave
    # loopback and take as long as it likes: answer as a resolver does, in this process
    real = socket.getaddrinfo

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else str(host)
        if name.rstrip(".").endswith(".invalid"):
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def world() -> World:
    """One paper that every service knows: Semantic Scholar names a venue it cannot place, so
    DBLP is asked too, and DBLP agrees with the list."""
    return World.of(
        Paper("1706.03762", TITLE),
        Venue(
            "1706.03762",
            s2_venue="Proceedings of Some Obscure Workshop",
            dblp=[DblpHit(title=TITLE + ".", venue="NeurIPS", year=2017, key="conf/nips/V17")],
        ),
        Repo("tensorflow/tensor2tensor"),
        Page("/ok"),
    )


def write_list(folder: Path, fake: FakeServices, *extra: str) -> Path:
    path = folder / "list.md"
    path.write_text(
        "| Title | Venue | Paper | Code |\n|---|---|---|---|\n"
        f"| {TITLE} | NeurIPS 2017 | [arXiv](https://arxiv.org/abs/1706.03762) "
        f"| [code](https://github.com/tensorflow/tensor2tensor) [site]({fake.web('/ok')}) |\n"
        + "".join(extra),
        encoding="utf-8",
    )
    return path


def check(capsys: pytest.CaptureFixture[str], path: Path, *args: str) -> tuple[int, Any, str]:
    code = main(
        ["check", str(path), "--no-cache", "--allow-private", "--arxiv-delay", "0",
         "--no-progress", "--timeout", "5", "--format", "json", *args]
    )  # fmt: skip
    out, err = capsys.readouterr()
    return code, json.loads(out), err


def storm(service: str, path: str | None = None) -> Fault:
    return Fault(
        service, "replace", path=path, status=429, body=b'{"message": "slow down"}',
        content_type="application/json", headers=[("retry-after", "0")],
    )  # fmt: skip


# case → (the fault, or the API variable pointed at a name that does not resolve; a token, so
# GitHub is asked through GraphQL; the service the finding names)
OUTAGES: dict[str, tuple[Fault | str, bool, str]] = {
    "web-host-429": (storm("web"), False, "web"),
    "arxiv-429": (storm("arxiv"), False, "arXiv"),
    "github-rest-429": (storm("github", "/repos/"), False, "GitHub"),
    "github-graphql-429": (storm("github", "/graphql"), True, "GitHub"),
    "semantic-scholar-429": (storm("s2"), False, "Semantic Scholar"),
    "dblp-429": (storm("dblp"), False, "DBLP"),
    "arxiv-dns": ("PAPERLINT_ARXIV_API_URL", False, "arXiv"),
    "github-dns": ("PAPERLINT_GITHUB_API_URL", False, "GitHub"),
    "github-graphql-dns": ("PAPERLINT_GITHUB_API_URL", True, "GitHub"),
    "semantic-scholar-dns": ("PAPERLINT_S2_API_URL", False, "Semantic Scholar"),
    "dblp-dns": ("PAPERLINT_DBLP_API_URL", False, "DBLP"),
}


def test_the_list_is_clean_when_every_service_answers(
    fake: FakeServices, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.reset(world())
    code, report, _ = check(capsys, write_list(tmp_path, fake), "--fail-on", "warning")
    assert (code, report["findings"]) == (0, [])
    assert {r.service for r in fake.log} == {"arxiv", "github", "s2", "dblp", "web"}


@pytest.mark.parametrize("case", sorted(OUTAGES))
def test_an_outage_never_fails_any_fail_on_whatever_its_configured_severity(
    fake: FakeServices,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    case: str,
) -> None:
    outage, token, service = OUTAGES[case]
    if token:
        monkeypatch.setenv("GITHUB_TOKEN", "ghp_test")
    path = write_list(tmp_path, fake)
    config = tmp_path / "pyproject.toml"
    # its default severity (warning) can only fail --fail-on warning; as an error, any value
    for severity, fail_ons in (("warning", ["warning"]), ("error", FAIL_ON)):
        if severity == "error":
            config.write_text(
                '[tool.paperlint.severity]\nservice-unavailable = "error"\n', encoding="utf-8"
            )
        for fail_on in fail_ons:
            fake.reset(world())
            if isinstance(outage, Fault):
                outage.hits = 0
                fake.faults.append(outage)
            else:
                monkeypatch.setenv(outage, UNRESOLVABLE + "/api")
            code, report, err = check(capsys, path, "--fail-on", fail_on)
            found = [(f["rule"], f["severity"]) for f in report["findings"]]
            assert found == [("service-unavailable", severity)], (fail_on, report["findings"])
            message = report["findings"][0]["message"]
            why = "(rate limited (HTTP 429))" if isinstance(outage, Fault) else "(DNS: host not"
            assert message.startswith(f"{service} could not be asked {why}"), message
            assert report["summary"]["unverified"] >= 1
            assert (code, err) == (0, ""), (severity, fail_on)
            if isinstance(outage, Fault):
                assert outage.hits >= 1


def test_a_list_link_whose_host_does_not_resolve_is_still_broken(
    fake: FakeServices, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """And it fails the run beside an outage, which changes nothing to that."""
    path = write_list(tmp_path, fake, f"| Gone | | [site]({UNRESOLVABLE}/paper) | |\n")
    expected = {"error": 1, "warning": 1, "never": 0}
    for fail_on in FAIL_ON:
        fake.reset(world())
        fake.faults.append(storm("arxiv"))
        code, report, _ = check(capsys, path, "--fail-on", fail_on)
        found = {(f["rule"], f["line"]) for f in report["findings"]}
        assert found == {("service-unavailable", 3), ("link-broken", 4)}
        broken = next(f for f in report["findings"] if f["rule"] == "link-broken")
        assert "DNS" in broken["message"]
        assert code == expected[fail_on], fail_on


def test_warnings_still_fail_fail_on_warning_beside_an_outage(
    fake: FakeServices, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_list(tmp_path, fake)
    path.write_text(
        path.read_text(encoding="utf-8").replace("NeurIPS 2017", "Neurips 2017"), encoding="utf-8"
    )
    for fail_on, expected in (("warning", 1), ("error", 0)):
        fake.reset(world())
        fake.faults.append(storm("web"))
        code, report, _ = check(capsys, path, "--fail-on", fail_on)
        assert {f["rule"] for f in report["findings"]} == {"venue-format", "service-unavailable"}
        assert code == expected, fail_on


def test_the_installed_command_stays_green_when_a_changed_row_links_a_host_that_answers_429(
    fake: FakeServices, paperlint: Any, tmp_path: Path
) -> None:
    """The case the issue reports, as the action runs it: --fail-on warning (the README's
    advice), a web host that answers 429 on every try (its Retry-After: 0 asks no wait)."""
    fake.reset(world())
    fake.faults.append(storm("web"))
    path = write_list(tmp_path, fake)
    run = paperlint(str(path), "--no-cache", "--allow-private", "--fail-on", "warning")
    assert [f["rule"] for f in run.findings] == ["service-unavailable"]
    assert (run.code, run.err) == (0, "")


@pytest.mark.parametrize("fail_on", FAIL_ON)
def test_the_action_step_stays_green_and_its_counts_leave_the_outage_out(
    fake: FakeServices, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fail_on: str
) -> None:
    """Through the action's check step (`checker.ci_action`, which starts paperlint as the
    action does): a 429 storm from arXiv under every `fail-on` is exit-code 0, and the step's
    `warnings` output counts findings about the list only (a workflow gating on it stays
    green); the outage is in `unverified`."""
    from checker import ci_action

    fake.reset(world())
    fake.faults.append(storm("arxiv"))
    write_list(tmp_path, fake)
    monkeypatch.chdir(tmp_path)
    output = tmp_path / "output.txt"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("INPUT_", "GITHUB_"))}
    env.update(
        GITHUB_ACTIONS="true", GITHUB_OUTPUT=str(output), RUNNER_TEMP=str(tmp_path / "temp"),
        INPUT_PATHS="list.md", INPUT_MODE="full", INPUT_CACHE="false", INPUT_FAIL_ON=fail_on,
        INPUT_ARGS="--allow-private --arxiv-delay 0",
    )  # fmt: skip
    assert ci_action.main(env) == 0
    values = dict(line.split("=", 1) for line in output.read_text("utf-8").splitlines())
    assert (values["exit-code"], values["errors"], values["warnings"]) == ("0", "0", "0")
    assert int(values["unverified"]) >= 1
    report = json.loads(Path(values["json"]).read_text("utf-8"))
    assert [f["rule"] for f in report["findings"]] == ["service-unavailable"]
    assert fake.requests_to("arxiv")  # asked, and refused
