"""Every field a reader uses, type-checked and bounded before anything computes with it.

A log file is untrusted even when its seal holds (anyone can recompute a seal), so a
record that parses as JSON may still hold a 400-digit score, a lone surrogate in a
name, `techniques: 5` or `seq: "abc"`. Each of those once crashed a report, an
export or a replay for the whole company. Here a bad value is dropped (the field
reads as missing, which every consumer already handles) and named, so the reader can
flag the session as unverified instead of stopping.

The table is the format's field list (docs/logs.md); fields it does not know (added
by later versions) are left alone, as the format promises old readers do.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

Check = Callable[[Any], Any]
"""Returns the clean value, or `_BAD` when the value cannot be used."""

INT_LIMIT = 10**9
"""Beyond any count, mood or score the simulator writes; bounds every integer read."""
TEXT_LIMIT = 16_000
"""No stored string is this long (reflections stop at 4,000 characters)."""
LIST_LIMIT = 1_000

_BAD: Any = object()
_SURROGATE = re.compile("[\ud800-\udfff]")


class Invalid:
    """The value JSON's NaN and Infinity parse to, so type checks reject them."""


INVALID = Invalid()


def _text(value: Any) -> Any:
    return value if type(value) is str and len(value) <= TEXT_LIMIT else _BAD


def _int(low: int, high: int) -> Check:
    def check(value: Any) -> Any:
        return value if type(value) is int and low <= value <= high else _BAD

    return check


def _number(low: float, high: float) -> Check:
    def check(value: Any) -> Any:
        if type(value) is int or (type(value) is float and math.isfinite(value)):
            return value if low <= value <= high else _BAD
        return _BAD

    return check


def _bool(value: Any) -> Any:
    return value if type(value) is bool else _BAD


def _texts(value: Any) -> Any:
    if type(value) is not list or len(value) > LIST_LIMIT:
        return _BAD
    for item in value:
        if type(item) is not str or len(item) > TEXT_LIMIT:
            return _BAD
    return value


def _scores(value: Any) -> Any:
    """principle → 0..100 (and the score's parts): keys are text, values bounded ints."""
    if type(value) is not dict or len(value) > LIST_LIMIT:
        return _BAD
    for points in value.values():
        if type(points) is not int or not 0 <= points <= 100:
            return _BAD
    return value


def _effects(value: Any) -> Any:
    if type(value) is not list or len(value) > LIST_LIMIT:
        return _BAD
    for effect in value:
        if type(effect) is not dict:
            return _BAD
        for key in ("anger", "trust"):
            if key in effect and _MOVE(effect[key]) is _BAD:
                return _BAD
        rule, technique = effect.get("rule"), effect.get("technique")
        if rule is not None and _COUNT(rule) is _BAD:
            return _BAD
        if technique is not None and _text(technique) is _BAD:
            return _BAD
    return value


_COUNT = _int(0, INT_LIMIT)
_METER = _int(0, 100)
_MOVE = _int(-INT_LIMIT, INT_LIMIT)
_SEED = _int(-(2**63), 2**63)

ENVELOPE: dict[str, Check] = {
    "v": _COUNT,
    "type": _text,
    "session": _text,
    "seq": _COUNT,
    "at": _text,
    "prev": _text,
    "hash": _text,
}
FIELDS: dict[str, dict[str, Check]] = {
    "session_started": {
        "app_version": _text,
        "scenario": _text,
        "title": _text,
        "scenario_sha256": _text,
        "scenario_file": _text,
        "seed": _SEED,
        "trainee": _text,
        "team": _text,
        "mode": _text,
        "kind": _text,
        "start_anger": _METER,
        "start_trust": _METER,
        "parent_session": _text,
        "branch_turn": _COUNT,
    },
    "turn": {
        "turn": _COUNT,
        "node": _text,
        "choice": _text,
        "say": _text,
        "techniques": _texts,
        "anger_before": _METER,
        "anger_after": _METER,
        "trust_before": _METER,
        "trust_after": _METER,
        "reasons": _texts,
        "effects": _effects,
        "feedback": _text,
        "best_choice": _text,
        "best_anger": _METER,
        "best_trust": _METER,
        "rating": _number(0.0, 1.0),
        "compliance_violation": _bool,
        "to": _text,
        "inherited": _bool,
    },
    "session_ended": {
        "status": _text,
        "ending": _text,
        "outcome": _text,
        "score": _METER,
        "grade": _text,
        "score_parts": _scores,
        "principles": _scores,
        "anger": _METER,
        "trust": _METER,
        "turns": _COUNT,
        "reflection": _text,
        "records": _COUNT,
    },
    "reflection": {"text": _text},
}


_CHECKS = {kind: {**ENVELOPE, **fields} for kind, fields in FIELDS.items()}


def clean(record: dict[str, Any], escaped: bool = True) -> list[str]:
    """Drop or repair every bad known field of a record in place; say what was wrong.

    `null` is always allowed (it already means "not recorded"). A string with a lone
    surrogate keeps its text with U+FFFD in place of the broken character, because
    the rest of a name or reflection is still worth showing. `escaped` False says the
    line held no `\\u` escape, so no surrogate can be in it (the fast, usual case:
    the writer stores text as UTF-8).
    """
    kind = record.get("type")
    checks = _CHECKS.get(kind, ENVELOPE) if type(kind) is str else ENVELOPE
    bad = [
        key
        for key, value in record.items()
        if value is not None and key in checks and checks[key](value) is _BAD
    ]
    problems = [f"field {key!r} has an unusable value; ignored" for key in bad]
    for key in bad:
        del record[key]
    if escaped:
        for key in checks.keys() & record.keys():
            if _repair(record, key):
                problems.append(
                    f"field {key!r} holds an invalid character (lone surrogate); replaced"
                )
    return problems


def _repair(record: dict[str, Any], key: str) -> bool:
    """Replace lone surrogates in a checked string field; True if there were any."""
    value = record[key]
    if type(value) is str and _SURROGATE.search(value):
        record[key] = _SURROGATE.sub("\ufffd", value)
        return True
    if type(value) is list and any(type(v) is str and _SURROGATE.search(v) for v in value):
        record[key] = [_SURROGATE.sub("\ufffd", v) if type(v) is str else v for v in value]
        return True
    if type(value) is dict and any(_SURROGATE.search(k) for k in value):
        record[key] = {_SURROGATE.sub("\ufffd", k): v for k, v in value.items()}
        return True
    if type(value) is list and any(
        type(e) is dict and type(e.get("technique")) is str and _SURROGATE.search(e["technique"])
        for e in value
    ):
        record[key] = [
            {**e, "technique": _SURROGATE.sub("\ufffd", e["technique"])}
            if type(e) is dict and type(e.get("technique")) is str
            else e
            for e in value
        ]
        return True
    return False
