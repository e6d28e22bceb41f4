"""The writer: what each record holds, durability rules, one writer per file, repair."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from simulator.engine.session import Session
from simulator.logs.reader import parse_log, read_sessions
from simulator.logs.records import FORMAT_VERSION, digest
from simulator.logs.writer import LogError, SessionLog, default_log_dir
from simulator.scenario.loader import LoadedScenario
from tests.conftest import load_fixture


def play_into(
    log_dir: Path,
    choices: list[str],
    *,
    trainee: str = "Ann",
    loaded: LoadedScenario | None = None,
    finish: bool = True,
    seed: int = 3,
    mode: str = "practice",
    team: str | None = None,
    kind: str = "play",
) -> SessionLog:
    """A real session played through the engine and logged as the front ends do."""
    session = Session(loaded or load_fixture("late-refund.yaml"), seed=seed)
    log = SessionLog.open(
        session, trainee=trainee, mode=mode, log_dir=log_dir, team=team, kind=kind
    )
    for choice in choices:
        log.turn(session.choose(choice))
    if finish:
        log.end(session.result())
    log.close()
    return log


def lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_bytes().splitlines()]


def test_a_session_is_one_file_of_versioned_chained_records(tmp_path: Path) -> None:
    log = play_into(tmp_path, ["hear-her-out", "own-it"])
    records = lines(log.path)
    assert [r["type"] for r in records] == ["session_started", "turn", "turn", "session_ended"]
    assert all(r["v"] == FORMAT_VERSION for r in records)
    assert [r["seq"] for r in records] == [0, 1, 2, 3]
    raw = log.path.read_bytes().splitlines()
    assert records[0]["prev"] is None
    # Each record is sealed by the hash of its own bytes before the seal, and points
    # at the seal of the record before it.
    for line, record in zip(raw, records, strict=True):
        assert line.endswith(b',"hash":"' + str(record["hash"]).encode() + b'"}')
        assert digest(line[: line.rindex(b',"hash":')]) == record["hash"]
    assert [r["prev"] for r in records[1:]] == [r["hash"] for r in records[:-1]]
    start, turn, end = records[0], records[1], records[-1]
    for key in ("app_version", "scenario", "title", "scenario_sha256", "seed", "trainee", "mode"):
        assert start[key] is not None, key
    assert start["scenario"] == "late-refund" and start["seed"] == 3
    for key in ("choice", "techniques", "anger_before", "anger_after", "trust_before"):
        assert key in turn, key
    assert turn["reasons"] and turn["rating"] == 1.0
    assert end["status"] == "completed" and end["outcome"] == "resolved"
    assert isinstance(end["score"], int) and end["principles"]
    assert end["records"] == 4
    assert log.path.parent.parent == tmp_path and log.path.stem == records[0]["session"]


def test_reflection_after_the_end_and_abandon_after_end_is_a_no_op(tmp_path: Path) -> None:
    log = play_into(tmp_path, ["hear-her-out", "own-it"])
    log.reflect("Next time I'll own it sooner.\nAnd listen first.")
    log.abandon()
    kinds = [r["type"] for r in lines(log.path)]
    assert kinds == ["session_started", "turn", "turn", "session_ended", "reflection"]
    (summary,) = read_sessions([tmp_path])
    assert summary.reflection == "Next time I'll own it sooner.\nAnd listen first."
    assert summary.verified and summary.status == "completed"


def test_abandon_is_idempotent_and_counts_as_abandoned(tmp_path: Path) -> None:
    log = play_into(tmp_path, ["hear-her-out"], finish=False)
    log.abandon()
    log.abandon()
    ends = [r for r in lines(log.path) if r["type"] == "session_ended"]
    assert len(ends) == 1 and ends[0]["status"] == "abandoned" and ends[0]["turns"] == 1
    (summary,) = read_sessions([tmp_path])
    assert summary.status == "abandoned" and summary.score is None and summary.turns == 1


def test_a_log_without_an_end_counts_as_abandoned(tmp_path: Path) -> None:
    play_into(tmp_path, ["hear-her-out"], finish=False)
    (summary,) = read_sessions([tmp_path])
    assert summary.status == "abandoned" and summary.ended_at is None and summary.verified


def test_no_two_writers_for_one_session(tmp_path: Path) -> None:
    session = Session(load_fixture("late-refund.yaml"), seed=1)
    first = SessionLog.open(session, trainee="Ann", mode="practice", log_dir=tmp_path)
    with pytest.raises(LogError, match="already exists"):
        SessionLog.open(session, trainee="Ann", mode="practice", log_dir=tmp_path)
    with pytest.raises(LogError, match="another process"):
        SessionLog.resume(first.path)
    first.close()
    SessionLog.resume(first.path).close()


def test_resume_cuts_a_torn_last_line_before_appending(tmp_path: Path) -> None:
    log = play_into(tmp_path, ["hear-her-out"], finish=False)
    with log.path.open("ab") as handle:
        handle.write(b'{"v":1,"type":"turn","session":"x","seq":2,"pr')
    torn = parse_log(log.path)
    assert torn.verified and "torn last line" in str(torn.issues[0])
    again = SessionLog.resume(log.path)
    assert again.repaired_bytes == len(b'{"v":1,"type":"turn","session":"x","seq":2,"pr')
    again.abandon()
    again.close()
    parsed = parse_log(log.path)
    assert parsed.verified and parsed.issues == []
    assert [r["type"] for r in parsed.records][-1] == "session_ended"


def test_reflect_after_close_reopens_and_repairs(tmp_path: Path) -> None:
    log = play_into(tmp_path, ["hear-her-out", "own-it"])
    with log.path.open("ab") as handle:
        handle.write(b'{"v":1,"ty')
    log.reflect("later")
    log.close()
    parsed = parse_log(log.path)
    assert parsed.verified and parsed.issues == [] and parsed.records[-1]["text"] == "later"


def test_a_branch_logs_the_turns_it_inherits(tmp_path: Path) -> None:
    session = Session(load_fixture("late-refund.yaml"), seed=2)
    session.choose("hear-her-out")
    session.choose("own-it")
    branch = session.rewind(2)
    log = SessionLog.open(
        branch,
        trainee="Ann",
        mode="practice",
        log_dir=tmp_path,
        parent_session=session.session_id,
        branch_turn=2,
    )
    log.turn(branch.choose("policy"))
    log.end(branch.result())
    log.close()
    records = lines(log.path)
    assert records[0]["parent_session"] == session.session_id and records[0]["branch_turn"] == 2
    turns = [r for r in records if r["type"] == "turn"]
    assert [(t["choice"], t.get("inherited", False)) for t in turns] == [
        ("hear-her-out", True),
        ("policy", False),
    ]


def test_names_and_reflections_are_stored_clean(tmp_path: Path) -> None:
    log = play_into(tmp_path, [], trainee="Eve\x1b[31m\nEvil\x07", finish=False)
    log.reflect("ok\x1b]0;title\x07 fine")
    log.close()
    (summary,) = read_sessions([tmp_path])
    assert summary.trainee == "Eve [31m Evil"
    assert summary.reflection == "ok]0;title fine"


def test_a_session_id_that_cannot_name_a_file_is_refused(tmp_path: Path) -> None:
    session = Session(load_fixture("late-refund.yaml"), session_id="../../etc/passwd")
    with pytest.raises(LogError, match="cannot name a log file"):
        SessionLog.open(session, trainee="x", mode="practice", log_dir=tmp_path)


def test_an_unwritable_folder_is_a_log_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    session = Session(load_fixture("late-refund.yaml"))
    with pytest.raises(LogError, match="cannot create a session log"):
        SessionLog.open(session, trainee="x", mode="practice", log_dir=blocker)


def test_default_log_dir_honours_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SIMULATOR_LOG_DIR", str(tmp_path))
    assert default_log_dir() == tmp_path
    monkeypatch.delenv("SIMULATOR_LOG_DIR")
    assert default_log_dir().name == "logs" and "difficult-customers" in str(default_log_dir())
