"""Crafted logs that still verify their chain (a determined trainee re-seals them) must
never stop a report, an export or a replay: bad values read as missing, the session
is flagged, and everyone else's sessions are still counted."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from simulator.logs.reader import parse_log, read_sessions
from tests.conftest import run_cli
from tests.test_logs_writer import play_into

Edit = Callable[[list[dict[str, Any]]], None]


def reseal(records: list[dict[str, Any]]) -> bytes:
    """Records as a determined trainee would write them: a valid, recomputed chain.

    `ensure_ascii` keeps a lone surrogate as its `\\ud800` escape, as a hand edit would.
    """
    out, prev = [], None
    for record in records:
        record = {k: v for k, v in record.items() if k != "hash"}
        record["prev"] = prev
        body = json.dumps(record, separators=(",", ":")).encode()[:-1]
        prev = hashlib.sha256(body).hexdigest()
        out.append(body + b',"hash":"' + prev.encode() + b'"}\n')
    return b"".join(out)


def _end(records: list[dict[str, Any]]) -> dict[str, Any]:
    return next(r for r in records if r["type"] == "session_ended")


def _turn(records: list[dict[str, Any]]) -> dict[str, Any]:
    return next(r for r in records if r["type"] == "turn")


CRAFTED: dict[str, Edit] = {
    "400-digit score": lambda rs: _end(rs).update(score=int("9" * 400)),
    "lone surrogate in ending": lambda rs: _end(rs).update(ending="\ud800"),
    "techniques: 5": lambda rs: _turn(rs).update(techniques=5),
    "seq: abc": lambda rs: _turn(rs).update(seq="abc"),
    "rating: abc": lambda rs: _turn(rs).update(rating="abc"),
    "principles of the wrong type": lambda rs: _end(rs).update(principles={"apology": "x"}),
    "negative huge mood": lambda rs: _turn(rs).update(anger_after=-(10**30)),
    "trainee is a list": lambda rs: rs[0].update(trainee=["x"]),
    "surrogate in the trainee": lambda rs: rs[0].update(trainee="Ann\udfff"),
    "reasons of numbers": lambda rs: _turn(rs).update(reasons=[1, 2]),
    "effects not a list": lambda rs: _turn(rs).update(effects={"a": 1}),
    "nested score": lambda rs: _end(rs).update(score=[[[[1]]]]),
}


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    logs = tmp_path_factory.mktemp("crafted")
    play_into(logs, ["hear-her-out", "own-it"], trainee="Honest")
    for name, edit in CRAFTED.items():
        log = play_into(logs, ["hear-her-out", "own-it"], trainee=name).path
        records = [json.loads(line) for line in log.read_bytes().splitlines()]
        edit(records)
        log.write_bytes(reseal(records))
    # A line over the cap, and one huge number JSON itself refuses, in one more session.
    log = play_into(logs, ["hear-her-out", "own-it"], trainee="long lines").path
    records = [json.loads(line) for line in log.read_bytes().splitlines()]
    _turn(records)["say"] = "x" * 100_000
    log.write_bytes(reseal(records))
    return logs


def run(*args: str) -> str:
    done = run_cli(*args)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return done.stdout


def test_every_crafted_session_is_read_and_flagged(folder: Path) -> None:
    sessions = read_sessions([folder])
    assert len(sessions) == len(CRAFTED) + 2
    flagged = {s.trainee for s in sessions if not s.verified}
    honest = [s for s in sessions if s.verified]
    assert [s.trainee for s in honest] == ["Honest"]
    assert len(flagged) >= len(CRAFTED)  # the list-typed trainee reads as "unknown"
    for summary in sessions:
        assert summary.score is None or 0 <= summary.score <= 100
        assert summary.ending is None or "\ud800" not in summary.ending
        summary.trainee.encode()  # no surrogate survives
    long_line = next(p for p in folder.rglob("*.jsonl") if b"x" * 1000 in p.read_bytes())
    assert any("longer than" in i.message for i in parse_log(long_line).issues)


@pytest.mark.parametrize("fmt", ["table", "csv", "json", "html"])
def test_report_in_every_format(folder: Path, fmt: str) -> None:
    out = run("report", str(folder), "--format", fmt)
    if fmt == "json":
        report = json.loads(out)
        assert report["sessions"] == len(CRAFTED) + 2
        assert len(report["unverified"]) == len(CRAFTED) + 1


@pytest.mark.parametrize(
    "args",
    [
        ("--format", "csv"),
        ("--format", "csv", "--turns"),
        ("--format", "jsonl"),
        ("--format", "jsonl", "--turns"),
        ("--format", "xapi"),
        ("--format", "csv", "--anonymize"),
        ("--format", "xapi", "--anonymize"),
    ],
    ids=" ".join,
)
def test_export_in_every_format(folder: Path, args: tuple[str, ...]) -> None:
    out = run("export", str(folder), *args)
    if args[1] == "csv":
        table = list(csv.DictReader(io.StringIO(out)))
        assert {r["verified"] for r in table} == {"True", "False"}
    elif args[1] == "xapi":
        statements = json.loads(out)
        assert all(
            0 <= s["result"]["score"]["raw"] <= 100
            for s in statements
            if "score" in s.get("result", {})
        )
    else:
        for line in out.splitlines():
            json.loads(line)


def test_replay_every_crafted_session(folder: Path) -> None:
    for log in sorted(folder.rglob("*.jsonl")):
        done = run_cli("replay", log.stem, "--log-dir", str(folder))
        assert "Traceback" not in done.stderr, (log, done.stderr)
        if log.read_bytes().count(b'"trainee":"Honest"'):
            assert done.returncode == 0, done.stderr
        else:
            assert done.returncode == 1 and "fails verification" in done.stderr


def test_a_hand_edited_team_stays_on_its_row(tmp_path: Path) -> None:
    """A team name with a line break (a hand edit or the manager's file) is one table
    cell: it must not start a line that reads like a heading of the report."""
    log = play_into(tmp_path, ["hear-her-out", "own-it"], trainee="Ann").path
    records = [json.loads(line) for line in log.read_bytes().splitlines()]
    records[0]["team"] = "Ops\nFAKE HEADING"
    log.write_bytes(reseal(records))
    lines = run("report", str(tmp_path), "--format", "table").splitlines()
    assert "FAKE HEADING" not in lines
    assert any(line.startswith("Ops FAKE HEADING ") for line in lines)
