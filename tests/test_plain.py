"""Plain mode says what the full-screen game says: wording, hints, help, echo, no numbers."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

from simulator.engine.catalog import load_catalog
from simulator.engine.session import Session
from simulator.plain import PlainGame
from tests.conftest import load_fixture


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
