"""The game's bookkeeping without a terminal: runs, logs, branches, abandoning."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from simulator.logs.reader import read_sessions
from simulator.tui.game import Game, GameConfig
from tests.tui.conftest import LIBRARY


def game(log_dir: Path, **kwargs: Any) -> Game:
    return Game(GameConfig(trainee="Ana", seed=3, log_dir=log_dir, library_dir=LIBRARY, **kwargs))


def records(log_dir: Path) -> list[dict[str, Any]]:
    lines: list[dict[str, Any]] = []
    for path in sorted(log_dir.rglob("*.jsonl")):
        lines += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return lines


def test_a_finished_run_is_logged_with_its_result(log_dir: Path) -> None:
    g = game(log_dir)
    run = g.start(g.library.scenarios[0])
    run.choose("hear-her-out")
    run.choose("own-it")
    assert run.result is not None and run.result.outcome == "resolved"
    run.reflect("Own it sooner.")
    g.close()
    [summary] = read_sessions([log_dir])
    assert summary.status == "completed" and summary.trainee == "Ana"
    assert summary.score == run.result.score.score
    assert summary.reflection == "Own it sooner."
    assert summary.mode == "practice" and summary.seed == 3


def test_leaving_mid_conversation_logs_abandoned(log_dir: Path) -> None:
    g = game(log_dir, mode="assessment")
    run = g.start(g.library.scenarios[0])
    run.choose("hear-her-out")
    g.close()
    [summary] = read_sessions([log_dir])
    assert summary.status == "abandoned" and summary.mode == "assessment"
    assert summary.score is None


def test_a_branch_is_practice_linked_to_the_original(log_dir: Path) -> None:
    g = game(log_dir, mode="assessment")
    original = g.start(g.library.scenarios[0])
    original.choose("calm-down")
    original.choose("policy")
    branch = g.branch(original, 2)
    assert branch.session.state == original.session.turns[1].before
    assert [t.choice for t in branch.session.turns] == ["calm-down"]
    branch.choose("own-it")
    g.close()
    sessions = {s.session_id: s for s in read_sessions([log_dir])}
    linked = sessions[branch.session.session_id]
    assert linked.mode == "practice"
    assert linked.parent_session == original.session.session_id
    started = [r for r in records(log_dir) if r.get("type") == "session_started"]
    assert any(r.get("branch_turn") == 2 for r in started)


def test_retry_starts_over_in_the_same_mode(log_dir: Path) -> None:
    g = game(log_dir, mode="assessment")
    first = g.start(g.library.scenarios[0])
    first.choose("hear-her-out")
    again = g.retry(first)
    assert again.mode == "assessment" and again.session.turns == []
    assert again.session.session_id != first.session.session_id


def test_records_count_attempts_and_best_finished_score(log_dir: Path) -> None:
    g = game(log_dir)
    scenario = g.library.scenarios[0]
    run = g.start(scenario)
    run.choose("hear-her-out")
    run.choose("own-it")
    assert run.result is not None
    g.start(scenario).choose("calm-down")
    g.close()
    record = g.records()["late-refund"]
    assert record.attempts == 2 and record.best == run.result.score.score


def test_history_is_only_this_trainees(log_dir: Path) -> None:
    g = game(log_dir)
    g.start(g.library.scenarios[0]).choose("hear-her-out")
    g.trainee = "Bob"
    g.start(g.library.scenarios[0]).choose("hear-her-out")
    g.close()
    assert [s.trainee for s in g.history()] == ["Bob"]


def test_a_run_left_before_its_first_turn_leaves_no_log(log_dir: Path) -> None:
    g = game(log_dir)
    g.start(g.library.scenarios[0])
    g.close()
    assert g.history() == [] and not list(log_dir.rglob("*.jsonl"))


def test_hint_is_the_engines_best_option(log_dir: Path) -> None:
    g = game(log_dir)
    run = g.start(g.library.scenarios[0])
    hint = run.hint()
    assert hint is not None
    turn = run.choose(hint.choice)
    assert turn.best.choice == hint.choice and turn.rating == 1.0
