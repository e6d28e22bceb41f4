"""Replay: the transcript of a logged session, and a changed scenario is reported."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from simulator.logs.replay import replay
from simulator.scenario.loader import load_scenario_file
from tests.conftest import FIXTURES, opening_turn
from tests.conftest import run_cli as run
from tests.test_logs_writer import play_into


def _copy(tmp_path: Path) -> Path:
    scenario = tmp_path / "late-refund.yaml"
    shutil.copy(FIXTURES / "late-refund.yaml", scenario)
    return scenario


def test_replay_shows_transcript_and_debrief(tmp_path: Path) -> None:
    scenario = _copy(tmp_path)
    loaded = load_scenario_file(scenario).loaded
    assert loaded is not None
    log = play_into(tmp_path / "logs", ["hear-her-out", "own-it"], loaded=loaded)
    log.reflect("Own it sooner.")
    log.close()
    done = run("replay", log.path.stem[:10], "--log-dir", str(tmp_path / "logs"))
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Ms. Walker: Six weeks!" in out
    assert "You: I'm sorry it's taken this long." in out
    before, after, _, _ = opening_turn()
    assert f"anger {before} -> {after}" in out and "better: fair" in out
    assert "== Ending: resolved (resolved) ==" in out
    assert "Owning the refund and naming a time" in out
    assert "Reflection: Own it sooner." in out


def test_a_changed_scenario_is_reported_not_replayed(tmp_path: Path) -> None:
    scenario = _copy(tmp_path)
    loaded = load_scenario_file(scenario).loaded
    assert loaded is not None
    log = play_into(tmp_path / "logs", ["hear-her-out", "own-it"], loaded=loaded)
    scenario.write_text(
        scenario.read_text().replace("Six weeks! You told me ten days.", "Seven weeks!")
    )
    done = run("replay", log.path.stem, "--log-dir", str(tmp_path / "logs"))
    assert done.returncode == 1
    assert "has changed since this session was played" in done.stderr
    assert "Seven weeks" not in done.stdout and "Six weeks" not in done.stdout
    before, after, _, _ = opening_turn()
    assert "[turn 1 at opening]" in done.stdout and f"anger {before} -> {after}" in done.stdout


def test_an_abandoned_session_replays_as_abandoned(tmp_path: Path) -> None:
    scenario = _copy(tmp_path)
    loaded = load_scenario_file(scenario).loaded
    assert loaded is not None
    log = play_into(tmp_path, ["calm-down"], loaded=loaded, finish=False)
    shown = replay(log.path)
    assert shown.problems == []
    assert "== Abandoned after 1 turn ==" in shown.lines


def test_unknown_and_ambiguous_ids(tmp_path: Path) -> None:
    play_into(tmp_path, ["hear-her-out"], finish=False)
    done = run("replay", "zzz", "--log-dir", str(tmp_path))
    assert done.returncode == 1 and "no session 'zzz'" in done.stderr
    play_into(tmp_path, ["hear-her-out"], finish=False)
    done = run("replay", "", "--log-dir", str(tmp_path))
    assert done.returncode == 1 and "matches 2 sessions" in done.stderr


def test_a_missing_folder_and_an_unreadable_log_are_said_once(tmp_path: Path) -> None:
    missing = tmp_path / "typo"
    done = run("replay", "abc", "--log-dir", str(missing))
    assert done.returncode == 1
    assert done.stderr.strip() == f"simulator: error: no such log folder or file: {missing}"
    os.mkfifo(tmp_path / "abc.jsonl")
    done = run("replay", "abc", "--log-dir", str(tmp_path))
    assert done.returncode == 1
    assert done.stderr.strip() == (
        f"simulator: error: {tmp_path / 'abc.jsonl'}: cannot read: not a regular file: "
        "a named pipe (FIFO)"
    )
