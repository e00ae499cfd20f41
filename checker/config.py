"""Options: `[tool.paperlint]` in pyproject.toml or `.paperlint.toml`, then the command line on top.

A configuration that cannot be read is a ConfigError, which the CLI turns into one line and exit 2.
"""

from __future__ import annotations

import math
import os
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from checker.model import Severity
from checker.rules import BY_NAME
from checker.sources import SourceError, read_regular_file, shown
from checker.venues import Venue, venues_from_config


class ConfigError(Exception):
    """The configuration or the command line asks for something that cannot be done."""


# What a run accepts, from the configuration and the command line alike (the CLI's type
# functions read these): a value of the right type can still be absurd. A timeout under half a
# second calls live links broken; a delay of hours stalls the run; a million requests in flight
# run out of sockets. (Low, high), both included.
TIMEOUT_BOUNDS = (0.5, 600.0)  # seconds, for the whole answer to one request
ARXIV_DELAY_BOUNDS = (0.0, 60.0)  # seconds between two arXiv requests
CONCURRENCY_BOUNDS = (1, 256)  # requests in flight at once, every host together


@dataclass
class Endpoints:
    arxiv: str = "https://export.arxiv.org/api/query"
    github: str = "https://api.github.com"
    s2: str = "https://api.semanticscholar.org/graph/v1"
    dblp: str = "https://dblp.org/search/publ/api"
    wayback: str = "https://archive.org/wayback/available"
    github_token: str | None = None
    s2_key: str | None = None

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Endpoints:
        e = dict(os.environ) if env is None else env
        return cls(
            arxiv=endpoint_url(e, ("PAPERLINT_ARXIV_API_URL",), cls.arxiv),
            github=endpoint_url(e, ("PAPERLINT_GITHUB_API_URL", "GITHUB_API_URL"), cls.github),
            s2=endpoint_url(e, ("PAPERLINT_S2_API_URL",), cls.s2),
            dblp=endpoint_url(e, ("PAPERLINT_DBLP_API_URL",), cls.dblp),
            wayback=endpoint_url(e, ("PAPERLINT_WAYBACK_API_URL",), cls.wayback),
            github_token=secret(e, ("PAPERLINT_GITHUB_TOKEN", "GITHUB_TOKEN")),
            s2_key=secret(e, ("PAPERLINT_S2_API_KEY",)),
        )


def endpoint_url(env: Mapping[str, str], names: tuple[str, ...], default: str) -> str:
    """The first of the variables `names` set in `env`, else `default`, without the spaces or
    line break a copy and paste leaves around it. It must be an http:// or https:// URL with a
    host: a typo there would otherwise read as the service's outage, run after run, so it stops
    the run in one line that names the variable (and shows the value without the user name and
    password a URL can carry)."""
    name, value = _first_set(env, names)
    if not name:
        return default
    shown = escaped(_USER_INFO.sub("//…@", value)[:120])
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 (a port that is not a number raises here)
    except ValueError as exc:
        raise ConfigError(f"{name}={shown}: not a URL ({escaped(str(exc)[:120])})") from None
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or not value.isprintable()
        or " " in value
    ):
        raise ConfigError(
            f"{name}={shown}: not an http:// or https:// URL with a host (and no space or line "
            "break inside)"
        )
    return value


_USER_INFO = re.compile(r"//[^/@]*@")  # `//user:password@` of a URL: one bounded class


def _first_set(env: Mapping[str, str], names: tuple[str, ...]) -> tuple[str, str]:
    """The first of the variables `names` with a value, and the value without the spaces or line
    break a copy and paste leaves around it; ("", "") when none has one."""
    for name in names:
        if value := env.get(name, "").strip():
            return name, value
    return "", ""


def secret(env: Mapping[str, str], names: tuple[str, ...]) -> str | None:
    """The first of the variables `names` set in `env`, without the spaces or line break a
    copy and paste leaves around it. A token with one inside, or with a character that is not
    printable ASCII, cannot be sent in a header: httpx would refuse the request with an error
    that quotes the header, the token in it, into the report and the CI log. It stops the run
    instead, in one line that names the variable and never shows its value."""
    name, value = _first_set(env, names)
    if not name:
        return None
    if not (value.isascii() and value.isprintable()) or " " in value:
        raise ConfigError(
            f"{name} cannot be a token: it holds a space, a line break or a character that is "
            "not printable ASCII (its value is not shown)"
        )
    return value


@dataclass
class Options:
    paths: list[str] = field(default_factory=lambda: ["README.md"])
    format: str | None = None
    output: str | None = None
    offline: bool = False
    select: set[str] | None = None
    ignore: set[str] = field(default_factory=set)
    severity: dict[str, Severity] = field(default_factory=dict)
    venues: list[Venue] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)  # URL regexes never fetched
    changed_since: str | None = None
    fix: bool = False
    diff: bool = False
    cache: str | None = None
    no_cache: bool = False
    allow_private: bool = False
    timeout: float = 20.0
    max_concurrency: int = 32
    arxiv_delay: float = 3.0
    progress: bool = True
    config_file: str | None = None
    endpoints: Endpoints = field(default_factory=Endpoints.from_env)

    @cached_property
    def excluded(self) -> Excluded:
        """The `exclude` patterns, compiled once for the run, their time budget the run's."""
        return Excluded(self.exclude, self.config_file)

    def enabled(self, rule: str) -> bool:
        if rule in self.ignore:
            return False
        return self.select is None or rule in self.select


def parse_rule_list(value: str | list[str], where: str) -> set[str]:
    names = value if isinstance(value, list) else [v for v in value.split(",")]
    rules = {n.strip() for n in names if n.strip()}
    unknown = sorted(r for r in rules if r not in BY_NAME)
    if unknown:
        raise ConfigError(
            f"{where}: unknown rule {', '.join(repr(u) for u in unknown)} (see `paperlint rules`)"
        )
    return rules


def find_config(start: Path) -> Path | None:
    """pyproject.toml with [tool.paperlint], else .paperlint.toml, nearest first.

    The search starts beside the first PATH (beside the file a symlink points at); a PATH that
    cannot be resolved (a symlink loop, a name too long) is searched from where it is written,
    and reading it later says what is wrong with it."""
    try:
        here = start.resolve()
    except (OSError, RuntimeError):  # a symlink loop is a RuntimeError before Python 3.13
        here = Path(os.path.abspath(start))
    if _is_file(here) or not _exists(here):
        here = here.parent
    for folder in (here, *here.parents):
        pyproject = folder / "pyproject.toml"
        if _is_file(pyproject) and _holds_paperlint_table(pyproject):
            return pyproject
        dotfile = folder / ".paperlint.toml"
        if _is_file(dotfile):
            return dotfile
    return None


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except (OSError, ValueError):
        return False


# At the start of a line, after spaces (not line breaks: `\s*` there would read every blank line
# below again from each line start)
_PAPERLINT_HEADER = re.compile(r"^[^\S\n]*+\[\s*+tool\s*+\.\s*+[\"']?paperlint\b", re.MULTILINE)


def _holds_paperlint_table(pyproject: Path) -> bool:
    """True when the file has [tool.paperlint], or looks like it but is not valid TOML: then
    load_config reports it rather than the search silently passing it by."""
    try:
        raw = read_regular_file(str(pyproject))
    except SourceError:
        return False
    import tomllib  # 7 ms, for a list that has a configuration only

    try:
        data: dict[str, Any] = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
        return bool(_PAPERLINT_HEADER.search(raw.decode("utf-8", errors="replace")))
    tool = data.get("tool", {})
    return isinstance(tool, dict) and "paperlint" in tool


def load_config(path: Path) -> dict[str, Any]:
    where = escaped(shown(str(path)))
    try:
        raw = read_regular_file(str(path))
    except SourceError as exc:
        if exc.reason == "no such file":
            raise ConfigError(f"{where}: configuration file not found") from None
        raise ConfigError(f"{where}: cannot read the configuration: {exc.reason}") from None
    import tomllib

    try:
        data: dict[str, Any] = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"{where}: cannot read the configuration: not UTF-8 ({exc.reason})"
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{where}: invalid TOML: {exc}") from None
    except RecursionError:  # tomllib reads nested arrays and tables by recursion
        raise ConfigError(f"{where}: invalid TOML: nested too deeply") from None
    tool = data.get("tool", {})
    if path.name == "pyproject.toml" or (isinstance(tool, dict) and "paperlint" in tool):
        if not isinstance(tool, dict):
            raise ConfigError(f"{where}: tool must be a table, not {_kind(tool)}")
        table: dict[str, Any] = tool.get("paperlint", {})
        if not isinstance(table, dict):
            raise ConfigError(f"{where}: [tool.paperlint] must be a table, not {_kind(table)}")
        return table
    if "tool" in data and not isinstance(tool, dict):
        raise ConfigError(
            f"{where}: tool must be a table ([tool.paperlint]) or absent, not {_kind(tool)}"
        )
    return data


_KEYS = {
    "select",
    "ignore",
    "severity",
    "venues",
    "exclude",
    "timeout",
    "max-concurrency",
    "arxiv-delay",
    "allow-private",
    "cache",
}


def apply_config(options: Options, table: dict[str, Any], where: str) -> None:
    """Every value is checked here, with the key and the type it must have in the message: a
    wrong one is one line and exit 2, never a hang (max-concurrency = 0) or every link broken
    (timeout = 0) later."""
    where = escaped(where)
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        raise ConfigError(f"{where}: unknown option {', '.join(toml_key(k) for k in unknown)}")
    try:
        if "select" in table:
            options.select = parse_rule_list(
                _strings(table["select"], "select"), f"{where}: select"
            )
        if "ignore" in table:
            options.ignore |= parse_rule_list(
                _strings(table["ignore"], "ignore"), f"{where}: ignore"
            )
        for rule, level in _table(table.get("severity", {}), "severity").items():
            parse_rule_list([rule], f"{where}: severity")
            try:
                options.severity[rule] = Severity(level)
            except ValueError:
                raise ConfigError(
                    f"{where}: severity of {rule} must be error, warning or info, "
                    f"not {_shown(level)}"
                ) from None
        if "venues" in table:
            options.venues = venues_from_config(_venues(table["venues"]))
        if "exclude" in table:
            options.exclude = _patterns(_strings(table["exclude"], "exclude"), "exclude")
        if "timeout" in table:
            options.timeout = _seconds(table["timeout"], "timeout", TIMEOUT_BOUNDS)
        if "max-concurrency" in table:
            options.max_concurrency = _whole(table["max-concurrency"], "max-concurrency")
        if "arxiv-delay" in table:
            options.arxiv_delay = _seconds(table["arxiv-delay"], "arxiv-delay", ARXIV_DELAY_BOUNDS)
        if "allow-private" in table:
            # A pull request may edit the configuration; letting it reach internal addresses
            # from CI would be a hole. Only whoever runs the command can allow that.
            raise ConfigError(
                f"{where}: allow-private can only be given on the command line (--allow-private)"
            )
        if "cache" in table:
            if not isinstance(table["cache"], str) or not table["cache"]:
                raise ValueError(
                    f"cache must be a file name (a string), not {_shown(table['cache'])}"
                )
            options.cache = table["cache"]
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{where}: {exc}") from exc


def _kind(value: Any) -> str:
    """The TOML name of a value's type, for messages."""
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a float"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    return "a date or time"


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, (int, float, str)):
        return f"{_kind(value)} ({value!r})"
    return _kind(value)


def _strings(value: Any, key: str) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    if isinstance(value, list):
        odd = next(v for v in value if not isinstance(v, str))
        raise ValueError(f"{key} must be a list of strings, but holds {_shown(odd)}")
    raise ValueError(f"{key} must be a list of strings, not {_shown(value)}")


def _table(value: Any, key: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueError(f"{key} must be a table, not {_shown(value)}")
    return value


def _venues(value: Any) -> dict[str, Any]:
    venues = _table(value, "venues")
    for name, aliases in venues.items():
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise ValueError(f"venues.{toml_key(name)} must be a list of alias strings")
    return venues


def _patterns(values: list[str], key: str) -> list[str]:
    """Regular expressions, compiled now so that a broken one is named before any work."""
    for pattern in values:
        compile_pattern(pattern, key)
    return values


# What compiling a pattern may cost: `regex` writes out counted repetitions (`a{10000000}`:
# 2.7 GB), and nested ones multiply (`(?:(?:a{1000}){1000}){1000}`: far more), all before the
# time limit of a match could apply. About 300 bytes per unit written out, and the bound below
# is loose (sequential repetitions are multiplied too): 1,000,000 is at most some 300 MB, and
# far above any real URL pattern (`^https://example\.org/\d{4}/`: 112).
MAX_PATTERN_SIZE = 1_000_000


def pattern_size(pattern: str) -> int:
    """An upper bound of what compiling `pattern` writes out: the product of every counted
    repetition written in it (`{n}`, `{n,m}`, `{n,}`, `{,m}`, wherever it stands: nested or not,
    in a class, a comment or a verbose pattern, all count), times its length. Reading the
    pattern's structure could be fooled (`(?x)` comments, `(?V1)` nested sets); a product of all
    counts cannot, and real patterns hold one or two small ones. One pass, capped just above
    MAX_PATTERN_SIZE."""
    cap = MAX_PATTERN_SIZE + 1
    size = max(len(pattern), 1)
    i, n = 0, len(pattern)
    while i < n and size < cap:
        if pattern[i] != "{":
            i += 1
            continue
        j = i + 1
        low = high = 0
        while j < n and "0" <= pattern[j] <= "9":  # every digit: `{000…0010000000}` too
            low = min(low * 10 + ord(pattern[j]) - 48, cap)
            j += 1
        if j < n and pattern[j] == ",":
            j += 1
            while j < n and "0" <= pattern[j] <= "9":
                high = min(high * 10 + ord(pattern[j]) - 48, cap)
                j += 1
        if j < n and pattern[j] == "}" and j > i + 1:
            size = min(size * max(low, high, 1), cap)
        i = j
    return size


def compile_pattern(pattern: str, key: str = "exclude") -> Any:
    """A user's pattern, compiled by `regex` (see `Excluded`); ValueError naming it if it
    cannot be, or if compiling it would cost more memory than a pattern should."""
    import regex  # type: ignore[import-untyped]  # only when there are patterns: 50 ms

    if pattern_size(pattern) > MAX_PATTERN_SIZE:
        raise ValueError(
            f"{key}: the regular expression {pattern!r} repeats too much to compile (its"
            f" length times its repetition counts comes to over {MAX_PATTERN_SIZE:,})"
        )
    try:
        return regex.compile(pattern)
    except (regex.error, OverflowError, RecursionError, MemoryError, ValueError) as exc:
        reason = str(exc) or type(exc).__name__
        raise ValueError(f"{key}: invalid regular expression {pattern!r}: {reason}") from None


# How long (CPU seconds: `regex` counts processor time, so a busy machine does not trip it) one
# `exclude` pattern may take on one URL, and all of them on all of a run's URLs. A URL is short
# and a pattern takes microseconds on it: these are for one that backtracks without end
# (`(a|aa)+$`), which the configuration, editable by a pull request, may hold.
MATCH_SECONDS = 1.0
ALL_MATCHES_SECONDS = 20.0


class Excluded:
    """Whether a URL is excluded by the configuration's `exclude` patterns.

    The patterns come from a file a pull request can edit, so they run in the `regex` package
    with a time limit: like `re` it backtracks, and a pattern with nested quantifiers can take
    exponential time, but `regex` stops a match at its timeout. A pattern that runs out of time
    stops the run (ConfigError): a URL it could not judge must not be fetched, nor silently be."""

    def __init__(self, patterns: list[str], where: str | None = None) -> None:
        self.where = f"{escaped(where)}: " if where else ""
        self.patterns = [(p, compile_pattern(p)) for p in patterns]
        self.spent = 0.0  # CPU seconds spent matching so far

    def __call__(self, url: str) -> bool:
        for written, pattern in self.patterns:
            limit = min(MATCH_SECONDS, ALL_MATCHES_SECONDS - self.spent)
            start = time.process_time()
            try:
                found = limit > 0 and pattern.search(url, timeout=limit) is not None
            except TimeoutError:
                found, limit = False, 0.0
            finally:
                self.spent += time.process_time() - start
            if limit <= 0:
                raise ConfigError(
                    f"{self.where}exclude: the regular expression {written!r} takes too long "
                    f"(over {MATCH_SECONDS:g} s on a URL of {len(url)} characters, or "
                    f"{ALL_MATCHES_SECONDS:g} s in all): it backtracks; write it without "
                    "nested repetition"
                )
            if found:
                return True
        return False


def _seconds(value: Any, key: str, bounds: tuple[float, float]) -> float:
    low, high = bounds
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(
            f"{key} must be a number of seconds from {low:g} to {high:g}, not {_shown(value)}"
        )
    if not math.isfinite(value) or not low <= value <= high:
        raise ValueError(
            f"{key} must be a number of seconds from {low:g} to {high:g}, not {value!r}"
        )
    return float(value)


def _whole(value: Any, key: str) -> int:
    low, high = CONCURRENCY_BOUNDS
    wanted = f"{key} must be a whole number from {low} to {high}"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{wanted}, not {_shown(value)}")
    if (isinstance(value, float) and not value.is_integer()) or not low <= value <= high:
        raise ValueError(f"{wanted}, not {value!r}")
    return int(value)


_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def toml_key(key: str) -> str:
    """A key for a message: as TOML writes it bare, else quoted and escaped (a key holding a
    line break or a control character must not write a line of its own on stderr)."""
    return key if _BARE_KEY.fullmatch(key) else repr(key)


def escaped(text: str) -> str:
    """`text` with its line breaks and other unprintable characters escaped, for one line."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)
