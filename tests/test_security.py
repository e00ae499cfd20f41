"""What a hostile list or pull request must not achieve."""

from __future__ import annotations

import asyncio
import ipaddress
import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from fakes import FakeServices, Page, World

from checker.cli import main
from checker.links import classify, not_public
from checker.services.http import Http, HttpSettings
from checker.services.web import LinkStatus, WebService


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254",
     "100.100.100.200", "0.0.0.0", "::1", "fe80::1", "fc00::1", "fec0::1",
     "::ffff:10.0.0.1", "2002:7f00:1::"],
)  # fmt: skip
def test_addresses_that_are_not_public(address: str) -> None:
    assert not_public(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700::1111"])
def test_public_addresses(address: str) -> None:
    assert not not_public(ipaddress.ip_address(address))


def test_allow_private_cannot_come_from_the_configuration(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / ".paperlint.toml").write_text("allow-private = true\n", encoding="utf-8")
    (tmp_path / "README.md").write_text("- [x](http://10.0.0.1/)\n", encoding="utf-8")
    assert main(["check", "--offline", str(tmp_path / "README.md")]) == 2
    err = capsys.readouterr().err
    assert "allow-private can only be given on the command line" in err
    assert len(err.strip().splitlines()) == 1


def test_changed_since_ref_is_never_a_git_option(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    git = ["git", "-c", "user.email=t@t", "-c", "user.name=t"]
    subprocess.run([*git, "init", "-q"], cwd=tmp_path, check=True)
    (tmp_path / "README.md").write_text("# list\n", encoding="utf-8")
    subprocess.run([*git, "add", "."], cwd=tmp_path, check=True)
    subprocess.run([*git, "commit", "-qm", "x"], cwd=tmp_path, check=True)
    target = tmp_path / "written-by-git.txt"
    code = main(["check", "--offline", str(tmp_path / "README.md"),
                 f"--changed-since=--output={target}"])  # fmt: skip
    assert code == 2 and not target.exists()
    assert "bad revision" in capsys.readouterr().err


def posing_repository(folder: Path, marker: Path) -> None:
    """`folder`, committed by a pull request: a bare repository's files, whose config would run
    a command (`marker` written) through a diff driver or an fsmonitor hook, on the list
    repository's own objects (alternates) so that every revision resolves."""
    (folder / "objects" / "info").mkdir(parents=True)
    (folder / "refs" / "heads").mkdir(parents=True)
    (folder / "info").mkdir()
    (folder / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    objects = os.path.relpath(folder.parent / ".git" / "objects", folder / "objects")
    (folder / "objects" / "info" / "alternates").write_text(objects + "\n", encoding="utf-8")
    run = f"sh -c 'touch {marker}; cat \\\"$0\\\"'"
    config = "[core]\n\trepositoryformatversion = 0\n\tbare = false\n\tworktree = .\n"
    config += f"\tfsmonitor = \"touch {marker}\"\n[diff \"x\"]\n\ttextconv = \"{run}\"\n"
    (folder / "config").write_text(config, encoding="utf-8")
    (folder / "info" / "attributes").write_text("* diff=x\n", encoding="utf-8")


@pytest.mark.parametrize("listed", ["README.md", "evil/README.md"])
def test_a_committed_folder_posing_as_a_repository_never_runs_its_config(
    listed: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: Any
) -> None:
    """The action's pr mode (`--changed-since`) on a list that a pull request moved into such a
    folder, directly or through a symlink: refused in one line, nothing of it run."""
    repo, marker = tmp_path / "repo", tmp_path / "pwned"
    repo.mkdir()
    git = ["git", "-c", "user.email=t@t", "-c", "user.name=t", "-c", "init.defaultBranch=main"]
    subprocess.run([*git, "init", "-q"], cwd=repo, check=True)
    (repo / "README.md").write_text("# list\n", encoding="utf-8")
    subprocess.run([*git, "add", "."], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-qm", "base"], cwd=repo, check=True)
    base = subprocess.run(  # the merge base, as the action passes it
        ["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True, check=True
    ).stdout.strip()
    posing_repository(repo / "evil", marker)
    # named as the base's README.md: from the posing folder, git would diff the two (the
    # textconv command then runs on the base's blob)
    (repo / "evil" / "README.md").write_text("# list\n\n- new\n", encoding="utf-8")
    (repo / "README.md").unlink()
    (repo / "README.md").symlink_to("evil/README.md")
    subprocess.run([*git, "add", "."], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-qm", "the pull request"], cwd=repo, check=True)
    monkeypatch.chdir(repo)
    monkeypatch.delenv("GIT_DIR", raising=False)

    code = main(["check", "--offline", "--no-cache", "--changed-since", base, listed])

    err = capsys.readouterr().err
    assert not marker.exists(), "git ran a command of the posing folder's config"
    assert code == 2
    assert err == (
        f"paperlint: error: --changed-since {base}: {repo / 'evil'} is in a folder that only "
        "holds a repository's files\n"
    )


def test_changed_since_reads_a_name_as_written_never_as_a_pattern(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: Any
) -> None:
    """`[draft].md` is that file: git's pathspec would also match `d.md`, whose new line 3 is
    not a line of `[draft].md`."""
    git = ["git", "-c", "user.email=t@t", "-c", "user.name=t"]
    subprocess.run([*git, "init", "-q"], cwd=tmp_path, check=True)
    row = "- [Attention Is All You Need](https://arxiv.org/abs/1706.03762) Neurips 2017\n"
    (tmp_path / "[draft].md").write_text(f"# list\n\n{row}", encoding="utf-8")
    (tmp_path / "d.md").write_text("# list\n", encoding="utf-8")
    subprocess.run([*git, "add", "."], cwd=tmp_path, check=True)
    subprocess.run([*git, "commit", "-qm", "x"], cwd=tmp_path, check=True)
    (tmp_path / "d.md").write_text("# list\n\nnew\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)

    args = ["--offline", "--no-cache", "--format", "json", "--changed-since", "HEAD"]
    code = main(["check", *args, "[draft].md"])

    out, err = capsys.readouterr()
    assert code == 0, err
    assert json.loads(out)["findings"] == []  # its venue on line 3 was not changed


def test_github_site_paths_are_not_repositories() -> None:
    assert classify("https://github.com/user-attachments/assets/0a1b2c").repo is None
    assert classify("https://github.com/advisories/GHSA-xxxx").repo is None
    assert classify("https://github.com/owner/repo/blob/main/x.py").repo == "owner/repo"


# ---------------------------------------------------------------------------------------------
# The web client connects to the address it checked (DNS rebinding), and nowhere it refused.
# Real loopback servers: the fake web host on 127.0.0.1 and, on the same port, a second one on
# 127.0.0.2 that stands for "a private address". The policy allows 127.0.0.1 only.

LOOPBACK_FAKE = ipaddress.ip_address("127.0.0.1")


def only_the_fake(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return address == LOOPBACK_FAKE


def web_check(*urls: str, resolve: Any = None) -> list[LinkStatus]:
    async def main() -> list[LinkStatus]:
        http = Http(HttpSettings(timeout=5, backoff=0.01))
        try:
            web = WebService(http, False, resolve, allowed=only_the_fake)
            return [await web.check(url) for url in urls]
        finally:
            await http.close()

    return asyncio.run(main())


def test_a_name_is_connected_to_the_address_that_was_checked(servers: FakeServices) -> None:
    servers.reset(World.of(Page("/ok"), Page("/hop", status=302, location="/ok")))
    port = int(servers.web_url.rsplit(":", 1)[1])
    servers.listen_also("web", "127.0.0.2")
    answers = iter([["127.0.0.1"], ["127.0.0.2"]])  # a rebinding name: public first, then not
    asked: list[str] = []

    async def rebinding(host: str, _port: int) -> list[str]:
        asked.append(host)
        return next(answers)

    first, again, hop = web_check(
        f"http://rebind.test:{port}/ok",
        f"http://rebind.test:{port}/ok?again",
        f"http://rebind.test:{port}/hop",
        resolve=rebinding,
    )
    assert first.ok and again.ok and hop.ok, (first, again, hop)
    assert asked == ["rebind.test"]  # resolved once; the second answer is never used
    assert servers.requests_at("127.0.0.2") == []
    arrived = servers.requests_at("127.0.0.1")
    assert arrived and {r.headers["host"] for r in arrived} == {f"rebind.test:{port}"}


def test_two_names_on_one_address_never_share_a_connection(servers: FakeServices) -> None:
    """A pinned request goes to an address; were connections pooled by address, the second name
    would ride on the first one's connection (over TLS: on the first one's certificate; over
    HTTP/2, which keeps a connection open across streams, even when a body is left unread)."""
    servers.reset(World.of(Page("/ok")))
    port = int(servers.web_url.rsplit(":", 1)[1])

    async def main() -> None:
        http = Http(HttpSettings(timeout=5, backoff=0.01))
        try:
            for name in ("a.test", "a.test", "b.test", "a.test"):
                url = f"http://{name}:{port}/ok"
                response = await http.send("web", "GET", url, connect_to="127.0.0.1")
                assert response.status_code == 200
        finally:
            await http.close()

    asyncio.run(main())
    ports: dict[str, set[int]] = {}
    for request in servers.requests_at("127.0.0.1"):
        ports.setdefault(request.headers["host"].split(":")[0], set()).add(request.peer_port)
    assert len(ports["a.test"]) == 1  # one name's requests share its kept-alive connection…
    assert not ports["a.test"] & ports["b.test"]  # …which another name never gets


def test_a_redirect_from_an_allowed_host_into_a_refused_address(servers: FakeServices) -> None:
    port = int(servers.web_url.rsplit(":", 1)[1])
    servers.reset(
        World.of(
            Page("/to-literal", status=302, location=f"http://127.0.0.2:{port}/ok"),
            Page("/to-name", status=301, location=f"http://inside.test:{port}/ok"),
            Page("/ok"),
        )
    )
    servers.listen_also("web", "127.0.0.2")

    async def inside(host: str, _port: int) -> list[str]:
        assert host == "inside.test"
        return ["127.0.0.2"]

    literal, by_name = web_check(
        servers.web("/to-literal"), servers.web("/to-name"), resolve=inside
    )
    assert literal.private == f"http://127.0.0.2:{port}/ok (private address 127.0.0.2)"
    assert by_name.private == (
        f"http://inside.test:{port}/ok (inside.test resolves to private address 127.0.0.2)"
    )
    assert not literal.ok and not by_name.ok
    assert servers.requests_at("127.0.0.2") == []


def test_a_name_that_does_not_resolve_is_never_fetched_by_name(servers: FakeServices) -> None:
    async def fails(host: str, _port: int) -> list[str]:
        raise OSError("Name or service not known")

    (status,) = web_check("http://nowhere.test/page", resolve=fails)
    assert status.error == "DNS: host not found (nowhere.test)"


@pytest.mark.parametrize("token", ["gho_abc\ndef", "gho_tökén", "gho_abc def", "gho_\x1b[31m"])
def test_a_token_that_cannot_be_a_header_is_never_shown(
    token: str, fake: FakeServices, paperlint: Any, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """httpx refused such a header with an error that quoted it, the token with it, into the
    report: now the run stops before any request, naming the variable, not its value."""
    monkeypatch.setenv("GITHUB_TOKEN", token)
    path = tmp_path / "list.md"
    path.write_text("- [code](https://github.com/octo/repo)\n", encoding="utf-8")
    run = paperlint(str(path), "--no-cache", "--allow-private")
    assert run.code == 2 and run.out == "" and run.err.count("\n") == 1
    assert run.err.startswith("paperlint: error: GITHUB_TOKEN cannot be a token")
    assert "gho_" not in run.err and fake.requests_to("github") == []


def test_a_token_is_sent_without_the_line_break_a_paste_leaves_around_it(
    fake: FakeServices, paperlint: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fakes import Repo

    fake.world.add(Repo("octo/repo"))
    monkeypatch.setenv("GITHUB_TOKEN", " gho_t0ken\n")
    path = tmp_path / "list.md"
    path.write_text("- [code](https://github.com/octo/repo)\n", encoding="utf-8")
    run = paperlint(str(path), "--no-cache", "--allow-private")
    assert run.code == 0, run.err
    assert fake.requests_to("github")[-1].headers["authorization"] == "Bearer gho_t0ken"


def test_a_resolver_that_cannot_answer_for_now_leaves_the_link_unverified(
    servers: FakeServices,
) -> None:
    """EAI_AGAIN (a resolver timing out under load) says nothing about the name: a link that
    fails once is suspect, not dead."""
    import socket

    async def busy(host: str, _port: int) -> list[str]:
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    (status,) = web_check("http://busy.test/page", resolve=busy)
    assert status.error is None and status.unverified == "DNS: no answer for now (busy.test)"
