"""Tamper evidence: every kind of edit the chain can see is reported with its line;
what it cannot see (truncation, a rewrite with a recomputed chain) shows against an
export. Readers never crash, whatever the file holds."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from simulator.logs.reader import parse_log, read_sessions
from simulator.logs.records import seal
from simulator.logs.verify import verify
from tests.conftest import opening_turn
from tests.conftest import run_cli as run
from tests.test_logs_writer import play_into


@pytest.fixture
def log(tmp_path: Path) -> Path:
    return play_into(tmp_path, ["hear-her-out", "own-it"]).path


def rewrite(path: Path, change: object) -> None:
    raw = path.read_bytes().splitlines()
    assert callable(change)
    path.write_bytes(b"".join(line + b"\n" for line in change(raw)))


def messages(path: Path) -> list[str]:
    return [f"{i.line}: {i.message}" for i in parse_log(path).issues if i.severity == "error"]


def test_an_intact_log_verifies(log: Path) -> None:
    assert messages(log) == []
    done = run("verify", str(log.parent.parent))
    assert done.returncode == 0 and "1 verified, 0 not" in done.stdout


def test_an_edited_record_is_found(log: Path) -> None:
    rewrite(
        log,
        lambda raw: [raw[0], _edit_anger(raw[1]), *raw[2:]],
    )
    (message,) = messages(log)
    assert message == "2: record edited: its content no longer matches its hash"
    done = run("verify", str(log.parent.parent))
    assert (
        done.returncode == 1 and f"{log}:2:" in done.stdout and "0 verified, 1 not" in done.stdout
    )


def test_a_dropped_record_is_found(log: Path) -> None:
    rewrite(log, lambda raw: [raw[0], *raw[2:]])
    found = messages(log)
    assert "2: 1 record(s) missing before this one (dropped)" in found
    assert any(m.startswith("2: hash chain broken") for m in found)


def test_reordered_records_are_found(log: Path) -> None:
    rewrite(log, lambda raw: [raw[0], raw[2], raw[1], raw[3]])
    found = messages(log)
    assert any("out of order" in m for m in found) and any("chain broken" in m for m in found)


def test_an_inserted_record_is_found(log: Path) -> None:
    def insert(raw: list[bytes]) -> list[bytes]:
        fake = json.loads(raw[1])
        fake["choice"] = "own-it"
        return [raw[0], raw[1], json.dumps(fake).encode(), *raw[2:]]

    found = messages(log)
    assert found == []
    rewrite(log, insert)
    found = messages(log)
    assert any(m.startswith("3: record out of order or inserted") for m in found)


def test_a_record_from_another_session_is_found(tmp_path: Path, log: Path) -> None:
    other = play_into(tmp_path / "other", ["calm-down", "policy"]).path
    stranger = other.read_bytes().splitlines()[1]
    rewrite(log, lambda raw: [raw[0], stranger, *raw[2:]])
    assert any("another session" in m for m in messages(log))


def test_truncation_and_a_recomputed_chain_show_only_against_an_export(
    tmp_path: Path, log: Path
) -> None:
    export = tmp_path / "kept.csv"
    done = run("export", str(log.parent.parent), "--format", "csv", "--out", str(export))
    assert done.returncode == 0, done.stderr
    rewrite(log, lambda raw: raw[:-1])  # drop the end: the chain alone cannot see it
    assert messages(log) == []
    assert verify([log.parent.parent]).ok
    checked = verify([log.parent.parent], export)
    assert [i.message for i in checked.issues] == ["truncated: 3 records, the export saw 4"]
    done = run("verify", str(log.parent.parent), "--against", str(export))
    assert done.returncode == 1 and "truncated" in done.stdout

    # A rewrite that recomputes the whole chain passes the chain check, not the export.
    def forge(raw: list[bytes]) -> list[bytes]:
        records = [json.loads(line) for line in raw]
        records[1]["anger_after"] = 10
        out: list[bytes] = []
        head = None
        for record in records:
            record["prev"] = head
            line, head = seal(record)
            out.append(line[:-1])
        return out

    play_into(tmp_path / "again", [])  # unrelated session, must not matter
    rewrite(log, forge)
    assert messages(log) == []  # a consistent forgery: the chain alone is satisfied
    checked = verify([log.parent.parent], export)
    assert [i.message for i in checked.issues] == ["truncated: 3 records, the export saw 4"]


def test_a_log_that_grew_after_the_export_still_matches(tmp_path: Path) -> None:
    logged = play_into(tmp_path / "logs", ["hear-her-out", "own-it"])
    export = tmp_path / "kept.jsonl"
    assert (
        run("export", str(tmp_path / "logs"), "--format", "jsonl", "--out", str(export)).returncode
        == 0
    )
    logged.reflect("added later")
    logged.close()
    assert verify([tmp_path / "logs"], export).issues == []
    xapi = tmp_path / "kept.json"
    assert (
        run("export", str(tmp_path / "logs"), "--format", "xapi", "--out", str(xapi)).returncode
        == 0
    )
    assert verify([tmp_path / "logs"], xapi).issues == []


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"\n\n\n",
        b"\xff\xfe\x00garbage",
        b"[1,2,3]\n",
        b'"just a string"\n',
        b'{"v":99,"type":"turn","seq":0}\n',
        b'{"v":1,"type":"session_started","seq":"zero","at":12,"trainee":["x"]}\n',
        b'{"v":1,"type":"session_ended","seq":0,"prev":null,"status":"weird","score":"high"}\n',
        b"1e999999\n",
        b'{"v":1}' * 1000 + b"\n",
        b"[" * 100000 + b"\n",
    ],
    ids=lambda content: repr(content[:12]),
)
def test_readers_never_crash(tmp_path: Path, content: bytes) -> None:
    (tmp_path / "bad.jsonl").write_bytes(content)
    issues: list[object] = []
    (summary,) = read_sessions([tmp_path], issues=issues)  # type: ignore[arg-type]
    assert not summary.verified or content == b""
    assert issues
    done = run("report", str(tmp_path), "--format", "json")
    assert done.returncode == 0 and "Traceback" not in done.stderr
    assert run("verify", str(tmp_path)).returncode == 1


def test_random_corruption_never_crashes_a_reader(tmp_path: Path) -> None:
    original = play_into(tmp_path / "src", ["hear-her-out", "own-it"]).path.read_bytes()
    rng = random.Random(3)
    for n in range(200):
        data = bytearray(original)
        for _ in range(rng.randint(1, 5)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        (tmp_path / f"c{n}.jsonl").write_bytes(bytes(data))
    sessions = read_sessions([tmp_path])
    assert len(sessions) == 201
    # Every record is sealed, the last one included: no flip anywhere can verify.
    for summary in sessions:
        assert summary.path is not None
        changed = summary.path.read_bytes() != original  # a "flip" may write the same byte
        if summary.path.name.startswith("c") and changed:
            assert not summary.verified, summary.path.name


def _edit_anger(record: bytes) -> bytes:
    """Change the first turn's anger_after, whatever the engine made it."""
    edited = f'"anger_after":{opening_turn()[1]}'.encode()
    assert edited in record
    return record.replace(edited, b'"anger_after":1', 1)


def test_a_file_that_holds_no_record_is_not_called_a_legacy_log(tmp_path: Path) -> None:
    """ "Legacy" says a log was written before sealing; a text file is no log at all."""
    stray = tmp_path / "notes.jsonl"
    stray.write_text("remember to ask about refunds\n")
    issues = [str(issue) for issue in parse_log(stray).issues]
    assert issues == [f"{stray}:1: error: not a JSON record"]
