"""Judging ahead while the trainee reads (`Session.think_ahead`): the choice then costs
nothing, and whatever the thread and the choice do at once, every turn is the same."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from simulator.engine.session import Session
from simulator.scenario.loader import LoadedScenario, load_scenario_file
from simulator.tui.game import Game, GameConfig
from tests.conftest import REPO

FLAGSHIP = REPO / "scenarios" / "customs-invoice.yaml"


def fresh(tmp_path: Path, name: str, source: Path = FLAGSHIP) -> LoadedScenario:
    """A copy under another name: compiled anew, with an outlook that has judged nothing."""
    path = tmp_path / f"{name}.yaml"
    shutil.copy(source, path)
    loaded = load_scenario_file(path).loaded
    assert loaded is not None
    return loaded


def turns_of(session: Session) -> list[tuple[str, str, float, int, int]]:
    return [
        (t.choice, t.best.choice, t.rating, t.after.mood.anger, t.after.mood.trust)
        for t in session.turns
    ]


def play(loaded: LoadedScenario, seed: int, *, ahead: str) -> Session:
    """A random conversation; `ahead`: "no" thinking, "joined" (ready before each
    choice) or "racing" (the choice is made while the thread still searches)."""
    session = Session(loaded, seed=seed)
    rng = random.Random(seed)
    while not session.finished and len(session.turns) < 8:
        thread = session.think_ahead() if ahead != "no" else None
        if thread is not None and ahead == "joined":
            thread.join()
            assert session.ready
        session.choose(rng.choice(session.choices()).id)
    return session


def test_a_judged_state_is_ready_and_the_thread_is_not_needed_again(tmp_path: Path) -> None:
    session = Session(fresh(tmp_path, "ready"), seed=1)
    assert not session.ready  # the flagship's first turn takes about a second to judge
    thread = session.think_ahead()
    assert thread is not None and thread.daemon
    thread.join()
    assert session.ready and session.think_ahead() is None
    session.choose(session.choices()[0].id)


@pytest.mark.parametrize(("ahead", "seeds"), [("joined", (1,)), ("racing", (1, 5))])
def test_thinking_ahead_changes_no_turn(tmp_path: Path, ahead: str, seeds: tuple[int, ...]) -> None:
    for seed in seeds:
        alone = play(fresh(tmp_path, f"alone-{ahead}-{seed}"), seed, ahead="no")
        helped = play(fresh(tmp_path, f"helped-{ahead}-{seed}"), seed, ahead=ahead)
        assert turns_of(helped) == turns_of(alone)
        assert helped.result().score == alone.result().score


def test_the_game_thinks_ahead_from_the_first_line_to_the_last(tmp_path: Path) -> None:
    library = tmp_path / "library"
    library.mkdir()
    shutil.copy(FLAGSHIP, library / "customs-invoice.yaml")
    game = Game(GameConfig(trainee="Ana", seed=3, log_dir=tmp_path / "logs", library_dir=library))
    run = game.start(game.library.scenarios[0])
    assert run.thinking is not None  # started with the opening line
    run.thinking.join()
    assert run.session.ready
    rng = random.Random(4)
    while not run.over:
        run.choose(rng.choice(run.session.choices()).id)
        if not run.over and run.thinking is not None:
            run.thinking.join()
            assert run.session.ready
        if len(run.session.turns) >= 6:
            break
    game.close()
