"""Property-based fuzzing of everything that reads untrusted input or writes it out.

The loader, the condition parser, the log reader and every exporter and report
format get generated input laced with ESC, C1, bidi, CR/LF, NUL, surrogates and
formula triggers. Properties: nothing raises, every problem is one clean line, every
output is free of raw controls, JSON parses, and no CSV line starts a formula.

`make test` runs a bounded, derandomised pass (a few seconds, the same cases every
run, so CI is stable); `make fuzz` sets HYPOTHESIS_PROFILE=fuzz for a long random
run whose size FUZZ_EXAMPLES sets per test (default 15,000; 8 tests, 120,000 cases).
"""

from __future__ import annotations

import copy
import csv
import difflib
import hashlib
import io
import json
import os
import random
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.engine.structure import Structure
from simulator.logs.export import export
from simulator.logs.reader import parse_log, summarize
from simulator.logs.replay import replay
from simulator.logs.report import build_report
from simulator.logs.report_html import render_html
from simulator.logs.report_text import write_csv, write_table
from simulator.problems import SuggestionIndex
from simulator.scenario.conditions import ConditionError, parse_condition
from simulator.scenario.loader import load_scenario_bytes
from simulator.text import literal, one_line, to_json, unsurrogate
from tests.hostile.conftest import FIXTURE, LOGS, assert_clean

F = TypeVar("F", bound=Callable[..., Any])
WATCHDOG = False  # conftest's hang watchdog: `make fuzz` runs for minutes

LONG = os.environ.get("HYPOTHESIS_PROFILE") == "fuzz"
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "15000")) if LONG else 30


def fuzz(examples: int = EXAMPLES) -> Callable[[F], F]:
    """Bounded and derandomised in `make test`; long and random under `make fuzz`."""
    return settings(
        max_examples=examples if LONG else min(examples, EXAMPLES),
        derandomize=not LONG,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


NASTY = [
    "\x1b",
    "\x1b[2J",
    "\x1b]52;c;SGVsbG8=\x07",
    "\x9b",
    "\x9d",
    "\x85",
    "\x7f",
    "\x00",
    "\u202e",
    "\u2066",
    "\u2069",
    "\u200f",
    "\u061c",
    "\u2028",
    "\r",
    "\n",
    "\r\n",
    "\t",
    "\ud800",
    "\udcff",
    "=",
    "@",
    "+",
    "-",
    "=cmd|' /C calc'!A0",
    "[@click=app.quit]",
    "'",
    '"',
    "\\",
    ":",
    ",",
    "%",
    "fake.yaml:1:1: error: x",
]
TEXT = st.lists(st.one_of(st.sampled_from(NASTY), st.characters()), max_size=24).map("".join)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=12,
)
UNSAFE_JSON = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"-?[0-9.]+(e[-+]?[0-9]+)?")


# ------------------------------------------------------------------------ text


@fuzz()
@given(TEXT)
def test_text_helpers_never_let_a_control_through(text: str) -> None:
    shown = one_line(text)
    assert_clean(shown)
    assert "\n" not in shown and one_line(shown) == shown
    assert_clean(literal(text))
    encoded = to_json({"k": text})
    assert not UNSAFE_JSON.search(encoded)
    assert json.loads(encoded) == {"k": unsurrogate(text)}


# ---------------------------------------------------------------------- loader

BASE = FIXTURE.read_bytes()


@fuzz()
@given(st.binary(max_size=400) | TEXT.map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_the_loader_survives_any_bytes(data: bytes) -> None:
    check_load(data)


@fuzz()
@given(st.data())
def test_the_loader_survives_a_mangled_scenario(data: st.DataObject) -> None:
    """The fixture with a few lines replaced, duplicated or spliced with hostile text."""
    lines = BASE.decode().split("\n")
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(lines) - 1))
        text = data.draw(TEXT)
        action = data.draw(st.sampled_from(["replace", "insert", "splice", "quote"]))
        indent = lines[at][: len(lines[at]) - len(lines[at].lstrip())]
        if action == "replace":
            lines[at] = text
        elif action == "insert":
            lines.insert(at, indent + text)
        elif action == "quote":
            escaped = json.dumps(text)  # a YAML double-quoted scalar holding anything
            lines[at] = lines[at].split(":")[0] + ": " + escaped if ":" in lines[at] else escaped
        else:
            cut = data.draw(st.integers(0, len(lines[at])))
            lines[at] = lines[at][:cut] + text + lines[at][cut:]
    check_load("\n".join(lines).encode("utf-8", "surrogatepass"))


def check_load(data: bytes) -> None:
    result = load_scenario_bytes(data, "fuzz\x1b.yaml")
    for problem in result.problems:
        line = str(problem)
        assert_clean(line)
        assert "\n" not in line and line.startswith("fuzz\\x1b.yaml:")
    if result.loaded is not None:
        Structure(result.loaded.scenario).traps()


# -------------------------------------------------------------------- conditions


@fuzz()
@given(
    st.lists(
        st.one_of(
            st.sampled_from(
                [
                    "anger",
                    "trust",
                    "turn",
                    ">=",
                    "<",
                    "==",
                    "!=",
                    "=",
                    "&&",
                    "and",
                    "or",
                    "not",
                    "(",
                    ")",
                    "visited.",
                    "visited.a-b",
                    "true",
                    "5",
                    "-3",
                    "9" * 30,
                    " ",
                    "abusive",
                ]
            ),
            TEXT,
        ),
        max_size=12,
    ).map(" ".join)
)
def test_the_condition_parser_answers_or_explains(text: str) -> None:
    try:
        condition = parse_condition(text)
    except ConditionError as exc:
        assert 1 <= exc.column <= len(text) + 1
        assert_clean(one_line(exc.message))
        return
    for ref in condition.references:
        assert 1 <= ref.column <= len(text)


# ---------------------------------------------------------------------- structure


@fuzz()
@given(st.dictionaries(st.integers(0, 11), st.lists(st.integers(0, 13), max_size=4), min_size=1))
def test_structure_facts_match_a_search_from_every_node(graph: dict[int, list[int]]) -> None:
    """Tarjan's one pass gives what the old search-per-node gave (12 nodes, 2 endings)."""
    from simulator.scenario.models import Scenario

    nodes = {
        f"n{i}": {
            "say": "Hi.",
            "choices": [
                {
                    "id": f"c{j}",
                    "say": "Ok.",
                    "techniques": [f"t{t % 3}"],
                    "goto": f"n{t}" if t in graph else "end",
                }
                for j, t in enumerate(targets or [12])
            ],
        }
        for i, targets in graph.items()
    }
    start = f"n{min(graph)}"
    scenario = Scenario.model_validate(
        {
            "format": 1,
            "id": "g",
            "title": "G",
            "summary": "G.",
            "customer": {"name": "A", "role": "B"},
            "start": start,
            "nodes": nodes,
            "endings": {"end": {"outcome": "resolved"}},
        }
    )
    s = Structure(scenario)

    def closure(node: str) -> set[str]:
        found, stack = {node}, [node]
        while stack:
            for t in s.successors.get(stack.pop(), ()):
                if t not in found:
                    found.add(t)
                    stack.append(t)
        return found

    for node in scenario.nodes:
        used = {
            t
            for n in closure(node)
            if n in scenario.nodes
            for c in scenario.nodes[n].choices
            for t in c.techniques
        }
        assert s.future_techniques[node] == used
    assert s.loops == any(
        n in closure(t) for n in scenario.nodes if n in s.reachable for t in s.successors[n]
    )
    stuck = [n for n in scenario.nodes if n in s.reachable and n not in s.can_end]
    old: list[list[str]] = []
    placed: set[str] = set()
    for n in stuck:
        if n in placed:
            continue
        component = [o for o in stuck if o in closure(n) and n in closure(o)]
        placed.update(component)
        if len(component) > 1 or n in s.successors[n]:
            old.append(component)
    assert s.traps() == old


@fuzz()
@given(
    st.text("abcdefgh-_", max_size=10), st.lists(st.text("abcdefgh-_", max_size=10), max_size=30)
)
def test_the_suggestion_index_answers_like_difflib(word: str, candidates: list[str]) -> None:
    expected = difflib.get_close_matches(word, sorted(set(candidates)), n=1, cutoff=0.6)
    assert SuggestionIndex(candidates).close(word) == expected


# -------------------------------------------------------------------------- logs

TEMPLATE = [json.loads(line) for line in (LOGS / "trainee-rlo.jsonl").read_text().splitlines()]
TEMPLATE[0]["scenario_file"] = str(FIXTURE)  # so replay runs the engine on fuzzed turns
KEYS = sorted({key for record in TEMPLATE for key in record})


def encode(record: object) -> bytes:
    return json.dumps(record, separators=(",", ":")).encode()


def chained(records: list[dict[str, Any]]) -> list[bytes]:
    lines, prev = [], None
    for seq, record in enumerate(records):
        line = encode({**record, "seq": seq, "prev": prev})
        prev = hashlib.sha256(line).hexdigest()
        lines.append(line)
    return lines


LOG_CHANGES = st.lists(
    st.tuples(st.integers(0, len(TEMPLATE) - 1), st.sampled_from(KEYS) | TEXT, JSON), max_size=5
)


@fuzz()
@given(LOG_CHANGES, st.booleans(), st.lists(st.binary(max_size=40), max_size=2), st.booleans())
def test_every_reader_and_exporter_survives_a_fuzzed_log(
    changes: list[tuple[int, str, Any]], rechain: bool, junk: list[bytes], torn: bool
) -> None:
    records = copy.deepcopy(TEMPLATE)
    for index, key, value in changes:
        records[index][key] = value
    lines = chained(records) if rechain else [encode(r) for r in records]
    rng = random.Random(len(junk))
    for blob in junk:
        lines.insert(rng.randrange(len(lines) + 1), blob)
    data = b"\n".join(lines) + (b"" if torn else b"\n")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "fuzz\x1b.jsonl")
        path.write_bytes(data)
        check_log(Path(folder), path)


def check_log(folder: Path, path: Path) -> None:
    parsed = parse_log(path)
    for issue in parsed.issues:
        assert_clean(str(issue))
        assert "\n" not in str(issue)
    summarize(parsed)
    for fmt, turns in (
        ("csv", False),
        ("csv", True),
        ("jsonl", False),
        ("jsonl", True),
        ("xapi", False),
    ):
        out = io.StringIO()
        export([folder], out, fmt=fmt, turns=turns, name=lambda n: n)
        text = out.getvalue()
        assert_clean(text, f"export {fmt}")
        if fmt == "csv":
            check_csv(text)
        elif fmt == "jsonl":
            for line in text.splitlines():
                json.loads(line)
        else:
            json.loads(text)
        assert not UNSAFE_JSON.search(text) and "NaN" not in text
    report = build_report([folder], workers=1)
    encoded = to_json(report, indent=2)
    assert not UNSAFE_JSON.search(encoded) and "NaN" not in encoded
    json.loads(encoded)
    for writer in (write_table, write_csv):
        out = io.StringIO()
        writer(report, out)
        assert_clean(out.getvalue())
        if writer is write_csv:
            check_csv(out.getvalue())
    assert_clean(render_html(report))
    if parsed.readable:
        shown = replay(path)
        for line in shown.lines:
            assert_clean(literal(line))
        for problem in shown.problems:
            assert_clean(one_line(problem))


def check_csv(text: str) -> None:
    for row in csv.reader(io.StringIO(text, newline="")):
        for cell in row:
            if NUMBER.fullmatch(cell):
                continue
            assert "\r" not in cell
            for line in cell.split("\n"):
                assert not line.startswith(TRIGGERS), (cell, row)


@fuzz(examples=EXAMPLES // 2 if LONG else EXAMPLES)
@given(st.lists(st.binary(max_size=200), max_size=6))
def test_the_log_reader_survives_any_bytes(lines: list[bytes]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "raw.jsonl")
        path.write_bytes(b"\n".join(lines))
        parsed = parse_log(path)
        for issue in parsed.issues:
            assert_clean(str(issue))
        summarize(parsed)
