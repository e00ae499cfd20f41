"""The nightly history, mirrored in the issue: hidden blocks that survive a lost cache.

The issue body carries one block: the chart's runs and the most established failures; where the
body has no room for all of them (GitHub keeps 65,536 characters, the report included), hidden
comments on the issue continue it, one part each. Up to `KEEP` failing targets are kept, the
least established dropped first (suspects, then the fewest runs in a row, the most recent).

Per target, what confirmation and repair need: a hashed key (8 bytes of BLAKE2b: no collision to
fear among thousands), when it first failed and was last fine, failures in a row, whether it was
counted, and the rule it failed with. Where it stands and its URL come from the files each night.

Block: base64 of zlib of JSON, in 76-character lines inside an HTML comment.
  body  `{"v": 2, "id": ID, "parts": N, "runs": [[at, broken, unverified, suspects], ...],
          "times": [ISO, ...], "rules": [name, ...], "t": TARGETS}`
  part  `{"v": 2, "id": ID, "part": i, "t": TARGETS}` (i = 1..N; 0: a spare comment, unused)
  TARGETS `{"k": base64 of the 8-byte keys, "f": [time index], "l": [time index or -1],
            "n": [runs], "c": [0 | 1], "r": [rule index]}`
ID is a digest of everything the parts say, so a part left by an interrupted update is not
mixed in. Anyone who may edit the issue can write a block: reading checks every value and
drops what does not hold, never more than the block it came in.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from checker.history import (
    KEEP_RUNS,
    KEY_BYTES,
    History,
    TargetHistory,
    digest,
    hashed,
    valid_rule,
    valid_time,
)
from checker.model import NightlyRun

KEEP = 5_000  # failing targets mirrored
BODY_ROOM = 16_000  # characters of the body's block: the report needs the rest
PART_ROOM = 60_000  # characters of one comment's block (GitHub: 65,536 a comment)
MAX_PARTS = 10  # comments read back, at most
BODY_HEAD = "<!-- paperlint-history v2\n"
PART_HEAD = "<!-- paperlint-history-part v2\n"
_BLOCK = r"\n([A-Za-z0-9+/=\n]{0,200000})\n-->"
BODY_BLOCK = re.compile(re.escape(BODY_HEAD[:-1]) + _BLOCK)
PART_BLOCK = re.compile(re.escape(PART_HEAD[:-1]) + _BLOCK)
V1_BLOCK = re.compile(r"<!-- paperlint-history v1" + _BLOCK)
MAX_JSON = 8 * 1024 * 1024  # a damaged or hostile block never inflates past this
MAX_RUNS = 1_000_000  # failures in a row: nearly three thousand years of nightly runs
MAX_COUNT = 10_000_000  # targets in one chart point
MAX_TABLE = 100_000  # times or rules in one block
SLACK = 64  # what the body's id and count of parts may add once known


class Damaged(ValueError):
    """A block that does not hold what this format promises."""


@dataclass(frozen=True)
class Mirror:
    block: str  # for the issue body
    parts: list[str]  # for hidden comments, in order


@dataclass
class Mirrored:
    """What the issue gave back: the history (None when there was none to read) and, when part
    of it was dropped, the one line that says so."""

    history: History | None
    note: str | None = None


# -- writing ----------------------------------------------------------------------------------


def established(item: tuple[str, TargetHistory]) -> tuple[Any, ...]:
    """Most established first: counted, failing for more runs, for longer."""
    key, t = item
    return (not t.confirmed, -t.runs, t.first_failed or "", key)


def encode(
    history: History,
    body_room: int | None = None,
    part_room: int | None = None,
    keep: int | None = None,
) -> Mirror:
    """The body's block and the parts for comments (BODY_ROOM, PART_ROOM and KEEP unless given)."""
    body_room = BODY_ROOM if body_room is None else body_room
    part_room = PART_ROOM if part_room is None else part_room
    kept = sorted(history.failing.items(), key=established)[: KEEP if keep is None else keep]
    times = sorted({t for _, h in kept for t in (h.first_failed, h.last_fine) if t})
    rules = sorted({h.rule for _, h in kept})
    tables = {"times": times, "rules": rules}
    runs = [[r.at, r.broken, r.unverified, r.suspects] for r in history.runs[-KEEP_RUNS:]]
    index = {t: i for i, t in enumerate(times)}, {r: i for i, r in enumerate(rules)}

    def head(chunk: Sequence[tuple[str, TargetHistory]], parts: int, ident: str) -> str:
        payload = {"v": 2, "id": ident, "parts": parts, "runs": runs, **tables}
        return _block(BODY_HEAD, {**payload, "t": _targets(chunk, *index)})

    def part(chunk: Sequence[tuple[str, TargetHistory]], i: int, ident: str) -> str:
        return _block(PART_HEAD, {"v": 2, "id": ident, "part": i, "t": _targets(chunk, *index)})

    placeholder = "0" * 16
    start = _fit(kept, 0, body_room - SLACK, lambda c: head(c, 99, placeholder))
    chunks: list[Sequence[tuple[str, TargetHistory]]] = []
    at = start
    while at < len(kept):
        n = _fit(kept, at, part_room - SLACK, lambda c: part(c, len(chunks) + 1, placeholder))
        n = max(1, n)
        chunks.append(kept[at : at + n])
        at += n
    ident = _ident(tables, [_targets(c, *index) for c in [kept[:start], *chunks]])
    parts = [part(c, i, ident) for i, c in enumerate(chunks, 1)]
    return Mirror(head(kept[:start], len(parts), ident), parts)


def spare() -> str:
    """The block of a comment the history no longer needs (kept for when it grows again)."""
    return _block(PART_HEAD, {"v": 2, "id": "", "part": 0})


def _fit(
    items: Sequence[tuple[str, TargetHistory]],
    start: int,
    room: int,
    make: Callable[[Sequence[tuple[str, TargetHistory]]], str],
) -> int:
    """Nearly the most items from `start` whose block `make` writes within `room` characters.
    Compressing is the cost and a block grows about linearly, so the count is interpolated
    between one that fits and one that does not, until the block fills 99% of the room."""
    left = len(items) - start
    whole = len(make(items[start:]))
    if whole <= room:
        return left
    good = room - room // 100
    lo, lo_size = 0, len(make([]))  # fits (or nothing does)
    hi, hi_size = left, whole  # does not
    while hi - lo > 1:
        n = lo + (good - lo_size) * (hi - lo) // max(1, hi_size - lo_size)
        n = min(hi - 1, max(lo + 1, n))
        size = len(make(items[start : start + n]))
        if size > room:
            hi, hi_size = n, size
        else:
            lo, lo_size = n, size
            if size >= good:
                break
    return lo


def _targets(
    chunk: Sequence[tuple[str, TargetHistory]], times: dict[str, int], rules: dict[str, int]
) -> dict[str, Any]:
    return {
        "k": base64.b64encode(b"".join(digest(k) for k, _ in chunk)).decode("ascii"),
        "f": [times[h.first_failed] if h.first_failed else -1 for _, h in chunk],
        "l": [times[h.last_fine] if h.last_fine else -1 for _, h in chunk],
        "n": [h.runs for _, h in chunk],
        "c": [int(h.confirmed) for _, h in chunk],
        "r": [rules[h.rule] for _, h in chunk],
    }


def _ident(tables: dict[str, Any], chunks: list[dict[str, Any]]) -> str:
    raw = json.dumps([tables, chunks], separators=(",", ":"), sort_keys=True).encode("utf-8")
    return hashlib.blake2b(raw, digest_size=8).hexdigest()


def _block(head: str, payload: dict[str, Any]) -> str:
    raw = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    blob = base64.b64encode(zlib.compress(raw, 9)).decode("ascii")
    lines = [blob[i : i + 76] for i in range(0, len(blob), 76)]
    return head + "\n".join(lines) + "\n-->"


# -- reading ----------------------------------------------------------------------------------


def decode(body: str, parts: Iterable[str] = ()) -> Mirrored:
    """The history in an issue body and the hidden comments that continue it (the caller has
    kept only those by the issue's own author). A damaged block is dropped, with a note."""
    m = BODY_BLOCK.search(body or "")
    if m is None:
        old = V1_BLOCK.search(body or "")
        if old is None:
            return Mirrored(None)
        try:
            return Mirrored(_v1(_inflate(old.group(1))))
        except Damaged as exc:
            return Mirrored(None, f"the history block in the issue body is damaged ({exc})")
    try:
        data = _inflate(m.group(1))
        head = _object(data, ("v", "id", "parts", "runs", "times", "rules", "t"))
        ident, count = _text(head["id"], 64), _int(head["parts"], MAX_PARTS)
        runs = _runs(head["runs"])
        times = _table(head["times"], valid_time, "time")
        rules = _table(head["rules"], valid_rule, "rule")
        targets = _targets_of(head["t"], times, rules)
    except Damaged as exc:
        return Mirrored(None, f"the history block in the issue body is damaged ({exc})")
    found = _parts(parts, ident, count, times, rules)
    for i in range(1, count + 1):
        for key, target in found.get(i, {}).items():
            targets.setdefault(key, target)
    history = History(targets=targets, runs=runs)
    missing = count - len(found)
    if missing:
        return Mirrored(
            history,
            f"{missing} of {count} hidden comments of the history are missing, damaged or from"
            " another update than the issue body: their targets start again",
        )
    return Mirrored(history)


def _parts(
    parts: Iterable[str], ident: str, count: int, times: list[str], rules: list[str]
) -> dict[int, dict[str, TargetHistory]]:
    """The parts the body names (its id, 1..count), each read once; anything else is left."""
    found: dict[int, dict[str, TargetHistory]] = {}
    for text in parts:
        m = PART_BLOCK.search(text or "")
        if m is None:
            continue
        try:
            part = _object(_inflate(m.group(1)), ("v", "id", "part"), optional=("t",))
            i = _int(part["part"], MAX_PARTS)
            if part["id"] == ident and 0 < i <= count and i not in found and "t" in part:
                found[i] = _targets_of(part["t"], times, rules)
        except Damaged:
            continue  # counted as missing when the body needs it
    return found


def _inflate(blob: str) -> Any:
    try:
        packed = base64.b64decode(blob.replace("\n", ""), validate=True)
        inflate = zlib.decompressobj()
        raw = inflate.decompress(packed, MAX_JSON)
        if inflate.unconsumed_tail:
            raise Damaged("too large")
        return json.loads(
            raw.decode("utf-8"),
            parse_float=_no_float,
            parse_int=_small_int,
            parse_constant=_no_float,
        )
    except (binascii.Error, zlib.error, UnicodeDecodeError) as exc:
        raise Damaged("not base64 of zlib") from exc
    except RecursionError as exc:
        raise Damaged("nested too deeply") from exc
    except ValueError as exc:
        raise Damaged(str(exc)[:80]) from exc


def _no_float(text: str) -> Any:
    raise Damaged(f"a number that is not a whole one: {text[:20]}")


def _small_int(text: str) -> int:
    if len(text) > 19:
        raise Damaged("a number out of range")
    return int(text)


def _object(data: Any, keys: tuple[str, ...], optional: tuple[str, ...] = ()) -> dict[str, Any]:
    if not isinstance(data, dict) or data.get("v") != 2 or not all(k in data for k in keys):
        raise Damaged("not a history block of version 2")
    return {k: data[k] for k in (*keys, *optional) if k in data}


def _int(value: Any, top: int, bottom: int = 0) -> int:
    if type(value) is not int or not bottom <= value <= top:
        raise Damaged("a number out of range")
    return value


def _text(value: Any, longest: int) -> str:
    if not isinstance(value, str) or len(value) > longest:
        raise Damaged("not a short text")
    return value


def _table(value: Any, valid: Any, what: str) -> list[str]:
    if not isinstance(value, list) or len(value) > MAX_TABLE:
        raise Damaged(f"no table of {what}s")
    for item in value:
        if not isinstance(item, str) or not valid(item):
            raise Damaged(f"not a {what}")
    return list(value)


def _runs(value: Any) -> list[NightlyRun]:
    if not isinstance(value, list):
        raise Damaged("no runs")
    runs = []
    for item in value[-KEEP_RUNS:]:
        if not isinstance(item, list) or len(item) != 4:
            raise Damaged("not a run")
        at, broken, unverified, suspects = item
        if not isinstance(at, str) or not valid_time(at):
            raise Damaged("not a time")
        runs.append(
            NightlyRun(at, _int(broken, MAX_COUNT), _int(unverified, MAX_COUNT),
                       _int(suspects, MAX_COUNT))
        )  # fmt: skip
    return runs


def _targets_of(value: Any, times: list[str], rules: list[str]) -> dict[str, TargetHistory]:
    if not isinstance(value, dict):
        raise Damaged("no targets")
    try:
        keys = base64.b64decode(_text(value.get("k"), MAX_JSON), validate=True)
    except binascii.Error as exc:
        raise Damaged("keys not base64") from exc
    n = len(keys) // KEY_BYTES
    columns = [value.get(c) for c in "flncr"]
    if len(keys) % KEY_BYTES or not all(isinstance(c, list) and len(c) == n for c in columns):
        raise Damaged("targets of different lengths")
    first, last, runs, confirmed, rule = columns
    assert first is not None and last is not None and runs is not None
    assert confirmed is not None and rule is not None
    out: dict[str, TargetHistory] = {}
    for i in range(n):
        f, li = _int(first[i], len(times) - 1, -1), _int(last[i], len(times) - 1, -1)
        out.setdefault(
            "#" + keys[i * KEY_BYTES : (i + 1) * KEY_BYTES].hex(),
            TargetHistory(
                times[f] if f >= 0 else None,
                times[li] if li >= 0 else None,
                _int(runs[i], MAX_RUNS, 1),
                bool(_int(confirmed[i], 1)),
                rules[_int(rule[i], len(rules) - 1)],
            ),
        )
    return out


def _v1(data: Any) -> History:
    """The first format (raw keys, one block in the body): read, never written."""
    if not isinstance(data, dict) or not isinstance(data.get("targets"), dict):
        raise Damaged("not a history block of version 1")
    runs = _runs(data.get("runs"))
    targets = {}
    for key, row in data["targets"].items():
        if not isinstance(row, list) or len(row) != 8:
            raise Damaged("not a target")
        first, last, n, confirmed, rule, _file, _line, _url = row
        for t in (first, last):
            if t is not None and not (isinstance(t, str) and valid_time(t)):
                raise Damaged("not a time")
        if not (isinstance(rule, str) and valid_rule(rule)) or type(confirmed) not in (int, bool):
            raise Damaged("not a target")
        if _int(n, MAX_RUNS) > 0:
            targets[hashed(str(key))] = TargetHistory(first, last, n, bool(confirmed), rule)
    return History(targets=targets, runs=runs)
