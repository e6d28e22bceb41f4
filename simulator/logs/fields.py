"""Every field a reader uses, type-checked and bounded before anything computes with it.

A log file is untrusted even when its seal holds (anyone can recompute a seal), so a
record that parses as JSON may still hold a 400-digit score, a lone surrogate in a
name, `techniques: 5` or `seq: "abc"`. Each of those once crashed a report, an
export or a replay for the whole company. Here a bad value is dropped (the field
reads as missing, which every consumer already handles) and named, so the reader can
flag the session as unverified instead of stopping.

The table is the format's field list (docs/logs.md); fields it does not know (added
by later versions) are left alone, as the format promises old readers do.

Each field's rule is written once and read two ways. `checked` decodes a line and
applies every rule in one pass in C (msgspec), and gives up on the first thing that is
off; only then does the careful path (`json` plus `clean`) run, which repairs what it
can and names what it drops. A company's logs are almost all the writer's own records,
so the first report over a million turns mostly pays for the fast pass (docs/logs.md,
"Speed"); tests/test_logs_fields_fast.py holds the two paths to the same answer.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Annotated, Any

import msgspec
from msgspec import UNSET, Meta, UnsetType

Check = Callable[[Any], Any]
"""Returns the clean value, or `_BAD` when the value cannot be used."""

INT_LIMIT = 10**9
"""Beyond any count, mood or score the simulator writes; bounds every integer read."""
TEXT_LIMIT = 16_000
"""No stored string is this long (reflections stop at 4,000 characters)."""
LIST_LIMIT = 1_000

_BAD: Any = object()
_ABSENT: Any = object()
_SURROGATE = re.compile("[\ud800-\udfff]")


class Invalid:
    """The value JSON's NaN and Infinity parse to, so type checks reject them."""


INVALID = Invalid()


@dataclass(frozen=True)
class Rule:
    """What one field may hold: as a Python check, and as the msgspec type that accepts
    exactly the same values (`typed`), so the fast pass and the careful one agree."""

    check: Check
    typed: Any


def _text(value: Any) -> Any:
    return value if type(value) is str and len(value) <= TEXT_LIMIT else _BAD


def _int(low: int, high: int) -> Rule:
    def check(value: Any) -> Any:
        return value if type(value) is int and low <= value <= high else _BAD

    return Rule(check, Annotated[int, Meta(ge=low, le=high)])


def _number(low: float, high: float) -> Rule:
    def check(value: Any) -> Any:
        if type(value) is int or (type(value) is float and math.isfinite(value)):
            return value if low <= value <= high else _BAD
        return _BAD

    # int first: a `1` stays the integer it was written as, as json gives it.
    whole = Annotated[int, Meta(ge=math.ceil(low), le=math.floor(high))]
    typed = whole | Annotated[float, Meta(ge=low, le=high)]
    return Rule(check, typed)


def _optional(typed: Any, nullable: bool = True) -> Any:
    """A field may always be missing (UNSET); null only where the careful path allows it."""
    return typed | None | UnsetType if nullable else typed | UnsetType


def _bool(value: Any) -> Any:
    return value if type(value) is bool else _BAD


def _list_of(item: Rule) -> Rule:
    def check(value: Any) -> Any:
        if type(value) is not list or len(value) > LIST_LIMIT:
            return _BAD
        for entry in value:
            if item.check(entry) is _BAD:
                return _BAD
        return value

    return Rule(check, Annotated[list[item.typed], Meta(max_length=LIST_LIMIT)])  # type: ignore[name-defined]


def _shape(name: str, fields: dict[str, tuple[Rule, bool]]) -> Rule:
    """An object of known keys, each with its rule and whether it may be null.

    Other keys are allowed and kept (the careful path); the fast pass refuses them so
    that what it returns never differs from what the careful path keeps.
    """

    def check(value: Any) -> Any:
        if type(value) is not dict:
            return _BAD
        for key, (rule, nullable) in fields.items():
            held = value.get(key, _ABSENT)
            if held is _ABSENT or (held is None and nullable):
                continue
            if held is None or rule.check(held) is _BAD:
                return _BAD
        return value

    typed = msgspec.defstruct(
        name,
        [(key, _optional(rule.typed, nullable), UNSET) for key, (rule, nullable) in fields.items()],
        forbid_unknown_fields=True,
    )
    return Rule(check, typed)


def _dict_of(item: Rule) -> Rule:
    """Text keys (JSON has no other), every value within `item`'s rule."""

    def check(value: Any) -> Any:
        if type(value) is not dict or len(value) > LIST_LIMIT:
            return _BAD
        for entry in value.values():
            if item.check(entry) is _BAD:
                return _BAD
        return value

    return Rule(check, Annotated[dict[str, item.typed], Meta(max_length=LIST_LIMIT)])  # type: ignore[name-defined]


_COUNT = _int(0, INT_LIMIT)
_METER = _int(0, 100)
_MOVE = _int(-INT_LIMIT, INT_LIMIT)
_SEED = _int(-(2**63), 2**63 - 1)
_REAL = _number(-INT_LIMIT, INT_LIMIT)
_TEXT = Rule(_text, Annotated[str, Meta(max_length=TEXT_LIMIT)])
_BOOL = Rule(_bool, bool)
_TEXTS = _list_of(_TEXT)
_SCORES = _dict_of(_METER)
"""principle → 0..100, and the score's parts."""
_EFFECT = _shape(
    "Effect",
    {
        "anger": (_MOVE, False),
        "trust": (_MOVE, False),
        "rule": (_COUNT, True),
        "technique": (_TEXT, True),
    },
)
_MATCH = _shape(
    "Match",
    {
        "choice": (_TEXT, True),
        "confidence": (_REAL, True),
        "fit": (_REAL, True),
        "closest": (_TEXT, True),
        "runner_up": (_TEXT, True),
        "runner_up_confidence": (_REAL, True),
        "refused": (_BOOL, True),
    },
)

ENVELOPE: dict[str, Rule] = {
    "v": _COUNT,
    "type": _TEXT,
    "session": _TEXT,
    "seq": _COUNT,
    "at": _TEXT,
    "prev": _TEXT,
    "hash": _TEXT,
}
FIELDS: dict[str, dict[str, Rule]] = {
    "session_started": {
        "app_version": _TEXT,
        "scenario": _TEXT,
        "title": _TEXT,
        "scenario_sha256": _TEXT,
        "scenario_file": _TEXT,
        "seed": _SEED,
        "trainee": _TEXT,
        "team": _TEXT,
        "mode": _TEXT,
        "kind": _TEXT,
        "start_anger": _METER,
        "start_trust": _METER,
        "parent_session": _TEXT,
        "branch_turn": _COUNT,
    },
    "turn": {
        "turn": _COUNT,
        "node": _TEXT,
        "choice": _TEXT,
        "say": _TEXT,
        "techniques": _TEXTS,
        "anger_before": _METER,
        "anger_after": _METER,
        "trust_before": _METER,
        "trust_after": _METER,
        "reasons": _TEXTS,
        "effects": _list_of(_EFFECT),
        "feedback": _TEXT,
        "best_choice": _TEXT,
        "best_anger": _METER,
        "best_trust": _METER,
        "rating": _number(0.0, 1.0),
        "compliance_violation": _BOOL,
        "to": _TEXT,
        "inherited": _BOOL,
        "typed": _TEXT,
        "match": _MATCH,
    },
    "session_ended": {
        "status": _TEXT,
        "ending": _TEXT,
        "outcome": _TEXT,
        "score": _METER,
        "grade": _TEXT,
        "score_parts": _SCORES,
        "principles": _SCORES,
        "anger": _METER,
        "trust": _METER,
        "turns": _COUNT,
        "reflection": _TEXT,
        "records": _COUNT,
    },
    "reflection": {"text": _TEXT},
}


_CHECKS = {
    kind: {key: rule.check for key, rule in {**ENVELOPE, **fields}.items()}
    for kind, fields in FIELDS.items()
}
_ENVELOPE_CHECKS = {key: rule.check for key, rule in ENVELOPE.items()}


def _record_type(kind: str, fields: dict[str, Rule]) -> Any:
    """One record kind as a msgspec struct: tagged by `type`, every field optional and
    nullable (missing and null both read as "not recorded"), unknown fields refused."""
    envelope = {key: rule for key, rule in ENVELOPE.items() if key != "type"}
    return msgspec.defstruct(
        kind,
        [(key, _optional(rule.typed), UNSET) for key, rule in {**envelope, **fields}.items()],
        tag_field="type",
        tag=kind,
        forbid_unknown_fields=True,
    )


_FAST = msgspec.json.Decoder(
    reduce(or_, (_record_type(kind, fields) for kind, fields in FIELDS.items()))
)


def checked(line: bytes) -> dict[str, Any] | None:
    """The record on a line if every field of it keeps its rule; None otherwise.

    One pass in C, and nothing to repair or report when it succeeds. None (a field out
    of bounds, an unknown field or kind, NaN, a lone surrogate, bad UTF-8, not JSON at
    all) sends the reader down the careful path, which says exactly what was wrong. The
    dict holds the fields the line holds, in the format's order rather than the line's.
    """
    try:
        record: dict[str, Any] = msgspec.to_builtins(_FAST.decode(line))
    except msgspec.DecodeError:  # ValidationError is one
        return None
    return record


def clean(record: dict[str, Any], escaped: bool = True) -> list[str]:
    """Drop or repair every bad known field of a record in place; say what was wrong.

    `null` is always allowed (it already means "not recorded"). A string with a lone
    surrogate keeps its text with U+FFFD in place of the broken character, because
    the rest of a name or reflection is still worth showing. `escaped` False says the
    line held no `\\u` escape, so no surrogate can be in it (the fast, usual case:
    the writer stores text as UTF-8).
    """
    kind = record.get("type")
    checks = _CHECKS.get(kind, _ENVELOPE_CHECKS) if type(kind) is str else _ENVELOPE_CHECKS
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
