"""The fast pass over a record (`fields.checked`, msgspec in C) and the careful one
(`json` plus `clean`) must agree: whatever the fast pass accepts is exactly what the
careful path keeps, with nothing to report; the writer's own records always take the
fast pass. Values are drawn from both sides of every rule's edge."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.engine.session import Session
from simulator.logs.fields import FIELDS, checked, clean
from simulator.logs.reader import _load, parse_log
from simulator.logs.writer import SessionLog
from simulator.matching import matcher_for
from simulator.scenario.library import load_library
from tests.conftest import REPO

_EDGES = st.one_of(
    st.none(),
    st.booleans(),
    st.sampled_from([0, 1, 100, 101, -1, 10**9, 10**9 + 1, -(10**9) - 1, 2**63, -(2**63)]),
    st.integers(),
    st.sampled_from([0.0, 0.5, 1.0, 1.5, -0.0, float("nan"), float("inf"), 1e400]),
    st.floats(allow_nan=True),
    st.text(max_size=5),
    st.sampled_from(["x" * 16_000, "x" * 16_001, "\ud800", "é" * 16_000]),
    st.lists(st.text(max_size=3), max_size=3),
    st.just(["x"] * 1_001),
    st.lists(st.integers(-5, 200), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(-5, 200), max_size=3),
    st.lists(
        st.dictionaries(
            st.sampled_from(["anger", "trust", "rule", "technique", "reason"]),
            st.one_of(st.none(), st.integers(-5, 5), st.text(max_size=2), st.booleans()),
            max_size=4,
        ),
        max_size=2,
    ),
    st.fixed_dictionaries(
        {},
        optional={
            "choice": st.one_of(st.none(), st.text(max_size=3), st.integers()),
            "confidence": st.one_of(st.none(), st.floats(allow_nan=True), st.integers()),
            "refused": st.one_of(st.none(), st.booleans(), st.integers(0, 1)),
            "other": st.integers(),
        },
    ),
)
_KINDS = st.sampled_from([*FIELDS, "mystery", 5])


@st.composite
def _records(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(_KINDS)
    known = [*FIELDS.get(kind, {}), "v", "session", "seq", "at", "prev", "hash"]  # type: ignore[call-overload]
    keys = draw(st.lists(st.sampled_from([*known, "unknown_field"]), unique=True, max_size=8))
    record: dict[str, Any] = {"type": kind}
    for key in keys:
        record[key] = draw(_EDGES)
    return record


def _careful(line: bytes) -> tuple[Any, list[str]]:
    record = _load(line)
    problems = clean(record, escaped=b"\\u" in line) if isinstance(record, dict) else ["no"]
    return record, problems


def _exact(value: Any) -> str:
    """A form that tells 1 from 1.0 and True from 1, which == does not."""
    return json.dumps(value, sort_keys=True, default=repr)


@settings(max_examples=3000, deadline=None)
@given(_records(), st.booleans())
def test_what_the_fast_pass_accepts_is_what_the_careful_path_keeps(
    record: dict[str, Any], ascii_only: bool
) -> None:
    line = json.dumps(record, ensure_ascii=ascii_only, separators=(",", ":")).encode(
        errors="surrogatepass"
    )
    fast = checked(line)
    if fast is None:
        return
    careful, problems = _careful(line)
    assert problems == []
    assert _exact(fast) == _exact(careful)


_GOOD = {
    "text": st.text(max_size=20).filter(lambda s: not any(0xD800 <= ord(c) <= 0xDFFF for c in s)),
    "meter": st.integers(0, 100),
}


@settings(max_examples=300, deadline=None)
@given(
    st.fixed_dictionaries(
        {"v": st.just(1), "type": st.just("turn"), "seq": st.integers(0, 10**9)},
        optional={
            "node": _GOOD["text"],
            "say": _GOOD["text"],
            "anger_before": _GOOD["meter"],
            "trust_after": st.one_of(st.none(), _GOOD["meter"]),
            "rating": st.one_of(st.integers(0, 1), st.floats(0.0, 1.0)),
            "techniques": st.lists(_GOOD["text"], max_size=4),
            "effects": st.lists(
                st.fixed_dictionaries(
                    {"anger": st.integers(-50, 50)},
                    optional={"rule": st.none() | st.integers(0, 20), "technique": _GOOD["text"]},
                ),
                max_size=3,
            ),
            "typed": _GOOD["text"],
            "match": st.fixed_dictionaries(
                {"choice": st.none() | _GOOD["text"], "confidence": st.floats(0.0, 1.0)}
            ),
        },
    )
)
def test_a_well_formed_record_takes_the_fast_pass(record: dict[str, Any]) -> None:
    line = json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode()
    fast = checked(line)
    assert fast is not None
    assert _exact(fast) == _exact(record)


def test_every_record_the_writer_writes_takes_the_fast_pass(tmp_path: Path) -> None:
    """Real plays of every bundled scenario, picked and typed (recall mode's `typed` and
    `match`), ended and reflected on: no line needs the careful path."""
    rng = random.Random(4)
    for n, loaded in enumerate(load_library(REPO / "scenarios").scenarios):
        session = Session(loaded, seed=n)
        log = SessionLog.open(
            session, trainee="Ann", mode="practice", log_dir=tmp_path, team="North"
        )
        session.listeners.append(log.turn)
        while not session.finished:
            offered = session.choices()
            if n % 2:
                typed = offered[rng.randrange(len(offered))].say
                match = matcher_for(offered).match(typed)
                if match.choice is not None:
                    session.choose(match.choice, typed=typed, match=match.to_json())
                    continue
            session.choose(rng.choice(offered).id)
        log.end(session.result())
        log.reflect("I'd slow down at the start.\tNext time: ask first.")
        log.close()
    lines = [line for path in tmp_path.rglob("*.jsonl") for line in path.read_bytes().splitlines()]
    assert len(lines) > 100
    assert [line for line in lines if checked(line) is None] == []
    assert any(b'"typed"' in line for line in lines)
    for path in tmp_path.rglob("*.jsonl"):
        assert parse_log(path).issues == []
