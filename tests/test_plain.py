"""Plain mode says what the full-screen game says: wording, hints, help, echo, no numbers."""

from __future__ import annotations

import io
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from simulator.engine.catalog import load_catalog
from simulator.engine.session import Session
from simulator.logs.reader import read_sessions
from simulator.plain import PlainGame
from tests.conftest import FIXTURES, load_fixture


def play(answers: list[str], *, coaching: bool = True) -> tuple[str, Session]:
    session = Session(load_fixture("late-refund.yaml"), seed=1)
    out = io.StringIO()
    given: Iterator[str] = iter(answers)
    PlainGame(session, out, lambda prompt: next(given), coaching=coaching, echo_input=True).run()
    return out.getvalue(), session


def flat(text: str) -> str:
    return " ".join(text.split())


def test_the_chosen_line_is_echoed_and_the_lesson_comes_before_the_numbers() -> None:
    text, session = play(["1", "1"])
    first = session.turns[0]
    assert f'You: "{flat(first.say)}"' in flat(text)
    start = flat(text).index(f'You: "{flat(first.say)}"')
    lesson = flat(text)[start:]
    verdict = "The best move on offer." if first.best.choice == first.choice else "Better here:"
    assert lesson.index(verdict) < lesson.index(f"anger {first.before.mood.anger} ->")


def test_h_d_and_question_mark_answer_instead_of_asking_for_a_number() -> None:
    text, _ = play(["h", "?", "d", "1", "d", "1"])
    assert "Please type a number" not in text
    assert "Hint: what would help most now:" in text
    assert "walks out" in text  # the help states the walk-out rule
    assert "No details yet." in text
    assert "= net: anger" in text


def test_assessment_hides_the_numbers_while_playing() -> None:
    text, _ = play(["1", "1"], coaching=False)
    playing = text.split("== Ending:")[0]
    assert not re.search(r"(anger|trust) \d", playing)
    assert "mood: " in playing and "You: " in playing


def test_the_debrief_gives_wording_and_human_names() -> None:
    text, session = play(["2", "3"])  # positions, not ids: whatever the shuffle offers
    result = session.result()
    missed = [t for t in result.turns if t.best.choice != t.choice]
    for turn in missed:
        better = next(
            c.say
            for c in session.loaded.scenario.nodes[turn.node].choices
            if c.id == turn.best.choice
        )
        assert f'Better: "{flat(better)}"' in flat(text)
    titles = [f.title for f in load_catalog().families.values()]
    assert any(title in text for title in titles)
    for family in result.score.principles:
        if "_" in family:
            assert family not in text.split("== Ending:")[1]
    assert "turn(s)" not in text and "1 turns" not in text


def _plain_waiting(home: Path, answers: bytes) -> subprocess.Popen[bytes]:
    """Plain play of late-refund in its own process, stopped at a prompt for an answer
    it will never get (its stdin stays open), after `answers`."""
    scenario = str(FIXTURES / "late-refund.yaml")
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "simulator", "play", scenario, "--plain"),
            *("--seed", "1", "--trainee", "Ana", "--log-dir", str(home)),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(answers)
    process.stdin.flush()
    prompts = answers.count(b"\n") + 1
    seen = b""
    while seen.count(b"Your response [") < prompts:
        chunk = os.read(process.stdout.fileno(), 4096)
        assert chunk, "plain play ended before its prompt"
        seen += chunk
    return process


@pytest.mark.parametrize(("hang_up", "code"), [(signal.SIGHUP, 129), (signal.SIGTERM, 143)])
def test_a_closed_terminal_settles_the_log_before_plain_play_exits(
    tmp_path: Path, hang_up: signal.Signals, code: int
) -> None:
    """Python's default for both signals was to die on the spot: a session without a
    turn stayed behind as a one-record log, one in progress had no abandoned record."""
    before = _plain_waiting(tmp_path / "none", b"")
    before.send_signal(hang_up)
    assert before.wait(timeout=60) == code
    assert list((tmp_path / "none").rglob("*.jsonl")) == []
    during = _plain_waiting(tmp_path / "one", b"1\n")
    during.send_signal(hang_up)
    assert during.wait(timeout=60) == code
    [summary] = read_sessions([tmp_path / "one"])
    assert summary.status == "abandoned" and summary.turns == 1 and summary.verified
