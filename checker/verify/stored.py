"""Cache round trips: fill the evidence with fresh stored answers, keep what is left to ask."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from checker.cache import Cache
from checker.evidence import Evidence
from checker.services.arxiv import ArxivPaper
from checker.services.github import RepoState
from checker.services.scholar import DblpRecord, S2Paper
from checker.services.web import LinkStatus
from checker.verify.plan import Plan


def _load(cache: Cache, kind: str, keys: set[str], build: Callable[[Any], Any]) -> dict[str, Any]:
    out = {}
    for key, value in cache.get_many(kind, sorted(keys)).items():
        try:
            out[key] = build(value)
        except (TypeError, ValueError, AttributeError):
            continue  # written by another version: ask again
    return out


def from_cache(plan: Plan, cache: Cache, ev: Evidence) -> Plan:
    """Fill the evidence with fresh cached answers; return what is left to ask."""
    ev.arxiv.update(_load(cache, "arxiv", plan.arxiv, _cached_paper))
    ev.arxiv_missing.update(cache.get_many("arxiv-missing", sorted(plan.arxiv)))
    ev.github.update(_load(cache, "github", set(plan.repos), lambda v: RepoState(**v)))
    ev.web.update(_load(cache, "web", plan.urls, lambda v: LinkStatus(**v)))
    ev.s2.update(_load(cache, "s2", plan.s2, lambda v: S2Paper(**_tuples(v)) if v else None))
    return Plan(
        arxiv={i for i in plan.arxiv if i not in ev.arxiv and i not in ev.arxiv_missing},
        s2={i for i in plan.s2 if i not in ev.s2},
        repos={k: v for k, v in plan.repos.items() if k not in ev.github},
        urls={u for u in plan.urls if u not in ev.web},
    )


def _cached_paper(value: dict[str, Any]) -> ArxivPaper:
    if "abstract" not in value:
        # written before abstracts were kept: ask again, so that a name is looked for in it
        raise ValueError("no abstract")
    return ArxivPaper(**value)


def _tuples(value: dict[str, Any]) -> dict[str, Any]:
    return {k: tuple(v) if isinstance(v, list) else v for k, v in value.items()}


_FIELDS: dict[type, tuple[str, ...]] = {}  # a record's class → its fields' names


def plain(value: Any) -> Any:
    """A record as the cache stores it (JSON): what `dataclasses.asdict` gives, without its deep
    copy of every field (a tenth of a second on a list of a thousand papers)."""
    if value is None or isinstance(value, str | int | float):
        return value
    kind = type(value)
    names = _FIELDS.get(kind)
    if names is None and dataclasses.is_dataclass(value) and not isinstance(value, type):
        names = _FIELDS[kind] = tuple(f.name for f in dataclasses.fields(value))
    if names is not None:
        return {name: plain(getattr(value, name)) for name in names}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def load_dblp(cache: Cache, titles: dict[str, tuple[str, list[str]]], ev: Evidence) -> None:
    for key, records in cache.get_many("dblp", sorted(titles)).items():
        ev.dblp[key] = [DblpRecord(**r) for r in records]
