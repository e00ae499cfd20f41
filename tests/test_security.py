"""What a hostile list or pull request must not achieve."""

from __future__ import annotations

import ipaddress
import subprocess
from pathlib import Path

import pytest

from checker.cli import main
from checker.links import classify, not_public


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


def test_github_site_paths_are_not_repositories() -> None:
    assert classify("https://github.com/user-attachments/assets/0a1b2c").repo is None
    assert classify("https://github.com/advisories/GHSA-xxxx").repo is None
    assert classify("https://github.com/owner/repo/blob/main/x.py").repo == "owner/repo"
