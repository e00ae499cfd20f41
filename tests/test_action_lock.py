"""The action installs what the lock says and nothing else: every runtime dependency of
pyproject.toml and the build backend are pinned there, within pyproject's ranges, with hashes;
action.yml installs the lock with --require-hashes and paperlint itself with --no-deps
--no-build-isolation. Offline: the lock is read, never resolved."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from importlib import metadata

from action_runner import LOCK, ROOT, load_action
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
ACTION_PYTHON = "3.13"  # what action.yml asks actions/setup-python for
RUNNERS = ("linux", "darwin")  # sys_platform of the runners the action supports


@dataclass(frozen=True)
class Pin:
    name: str
    version: Version
    marker: Marker | None
    hashes: tuple[str, ...]


def read_lock(text: str) -> dict[str, list[Pin]]:
    """`name==version [; marker] \\` lines, each followed by its `--hash=sha256:...` lines."""
    pins: dict[str, list[Pin]] = {}
    logical = re.sub(r"\\\n\s*", " ", text)
    for line in logical.splitlines():
        line = line.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        spec, *hashes = [part.strip() for part in line.split("--hash=")]
        requirement = Requirement(spec)
        (pinned,) = requirement.specifier
        assert pinned.operator == "==", line
        pin = Pin(
            canonicalize_name(requirement.name), Version(pinned.version), requirement.marker,
            tuple(hashes),
        )  # fmt: skip
        pins.setdefault(pin.name, []).append(pin)
    return pins


PINS = read_lock(LOCK.read_text(encoding="utf-8"))


def pins_for(name: str, platform: str, python: str = ACTION_PYTHON) -> list[Pin]:
    environment = {"python_version": python, "python_full_version": f"{python}.0",
                   "sys_platform": platform}  # fmt: skip
    return [
        p for p in PINS.get(canonicalize_name(name), [])
        if p.marker is None or p.marker.evaluate(environment)
    ]  # fmt: skip


def test_every_pin_has_sha256_hashes() -> None:
    assert len(PINS) >= 20
    for pins in PINS.values():
        for pin in pins:
            assert pin.hashes, pin.name
            assert all(re.fullmatch(r"sha256:[0-9a-f]{64}", h) for h in pin.hashes), pin.name


def test_every_runtime_dependency_and_the_build_backend_is_pinned_within_range() -> None:
    wanted = [Requirement(r) for r in PYPROJECT["project"]["dependencies"]]
    wanted += [Requirement(r) for r in PYPROJECT["build-system"]["requires"]]
    assert {canonicalize_name(r.name) for r in wanted} >= {"regex", "setuptools", "httpx"}
    for requirement in wanted:
        for platform in RUNNERS:
            (pin,) = pins_for(requirement.name, platform)
            assert requirement.specifier.contains(pin.version, prereleases=True), (
                f"{pin.name}=={pin.version} is outside pyproject.toml's {requirement}"
            )


def test_extras_of_the_dependencies_are_pinned_too() -> None:
    """httpx[http2] needs h2: an extra's own requirements are in the lock (read from the
    installed distribution's metadata, offline)."""
    for text in PYPROJECT["project"]["dependencies"]:
        requirement = Requirement(text)
        for extra in requirement.extras:
            needs = [
                Requirement(r) for r in metadata.requires(requirement.name) or []
                if Requirement(r).marker is not None
                and Requirement(r).marker.evaluate({"extra": extra})  # type: ignore[union-attr]
            ]  # fmt: skip
            assert needs, f"{requirement.name}[{extra}]"
            for need in needs:
                assert pins_for(need.name, "linux"), f"{need.name} for {requirement}"


def test_the_lock_was_resolved_for_the_actions_python_on_every_os_with_hashes() -> None:
    header = LOCK.read_text(encoding="utf-8").split("\n", 2)[1]
    assert "uv pip compile pyproject.toml" in header
    for option in ("--universal", f"--python-version {ACTION_PYTHON}", "--generate-hashes"):
        assert option in header, option
    action = load_action()
    setup = next(s for s in action["runs"]["steps"] if s.get("id") == "python")
    assert setup["with"]["python-version"] == ACTION_PYTHON


def test_the_install_step_installs_the_lock_with_hashes_then_paperlint_alone() -> None:
    install = next(s for s in load_action()["runs"]["steps"] if s.get("id") == "install")
    script = " ".join(install["run"].replace("\\\n", " ").split())
    _, lock, own = script.split('"${pip[@]}" install')
    assert "--require-hashes" in lock and "--only-binary :all:" in lock and "--no-deps" in lock
    assert '-r "$GITHUB_ACTION_PATH/action-requirements.lock"' in lock
    assert "--no-deps --no-build-isolation" in own and '"$GITHUB_ACTION_PATH"' in own


def test_the_environment_cache_is_keyed_on_the_lock_python_and_os() -> None:
    every = load_action()["runs"]["steps"]
    steps = {s["id"]: s for s in every if "id" in s}
    prepare = steps["prepare"]["run"]
    assert '"action-requirements.lock"' in prepare and "python_version()" in prepare
    assert "RUNNER_OS" in prepare and "RUNNER_ARCH" in prepare
    saves = [s for s in every if s.get("uses", "").startswith("actions/cache/save@")]
    assert steps["env-cache"]["with"]["key"] == "${{ steps.prepare.outputs.env-key }}"
    assert any(s["with"]["key"] == "${{ steps.prepare.outputs.env-key }}" for s in saves)
