"""Snapshots of every screen at 80×24 and 120×40 (fixed seed, trainee, library, logs),
and of the coach after customs-invoice's first three replies at 60×20 too.

Review the SVGs in `__snapshots__/` before accepting a change with
`pytest tests/tui/test_snapshots.py --snapshot-update`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from simulator.logs.reader import SessionSummary
from simulator.scenario.library import resolve
from simulator.tui.app import SimulatorApp
from simulator.tui.game import Game, GameConfig
from tests.tui.conftest import TRAINEE, TUI_FIXTURES, MakeApp, settle, still_cursor

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
SnapCompare = Callable[..., bool]


def keys(*pressed: str) -> Callable[[Pilot[None]], Awaitable[None]]:
    """A run_before that presses keys with pauses, then stops the cursor blinking."""

    async def run(pilot: Pilot[None]) -> None:
        await settle(pilot)
        for key in pressed:
            await pilot.press(key)
            await pilot.pause()
        still_cursor(pilot)

    return run


@pytest.mark.parametrize("size", SIZES)
class TestScreens:
    """One snapshot per screen and size."""

    def test_sign_in(self, snap_compare: SnapCompare, make_app: MakeApp, size: Any) -> None:
        # first run: no remembered trainee
        app = make_app(trainee=None)
        assert snap_compare(app, terminal_size=size, run_before=keys())

    def test_home(self, snap_compare: SnapCompare, make_app: MakeApp, size: Any) -> None:
        assert snap_compare(make_app(), terminal_size=size, run_before=keys())

    def test_play_practice(self, snap_compare: SnapCompare, make_app: MakeApp, size: Any) -> None:
        # start, answer with choice 1: meters move, the coach explains
        assert snap_compare(make_app(), terminal_size=size, run_before=keys("enter", "1"))

    def test_play_hint(self, snap_compare: SnapCompare, make_app: MakeApp, size: Any) -> None:
        assert snap_compare(make_app(), terminal_size=size, run_before=keys("enter", "h"))

    def test_play_assessment(self, snap_compare: SnapCompare, make_app: MakeApp, size: Any) -> None:
        # words and bars only, no coach
        app = make_app(mode="assessment")
        assert snap_compare(app, terminal_size=size, run_before=keys("enter", "1"))

    def test_walkout(self, snap_compare: SnapCompare, make_app: MakeApp, size: Any) -> None:
        # with seed 7 the blaming answer is choice 2
        app = make_app(library=TUI_FIXTURES / "walkout")
        assert snap_compare(app, terminal_size=size, run_before=keys("enter", "2"))

    def test_confirm_quit(self, snap_compare: SnapCompare, make_app: MakeApp, size: Any) -> None:
        assert snap_compare(make_app(), terminal_size=size, run_before=keys("enter", "q"))

    def test_debrief(self, snap_compare: SnapCompare, make_app: MakeApp, size: Any) -> None:
        # play both turns with choice 1, open the debrief
        app = make_app()
        assert snap_compare(app, terminal_size=size, run_before=keys("enter", "1", "1", "d"))

    def test_debrief_review(self, snap_compare: SnapCompare, make_app: MakeApp, size: Any) -> None:
        # turn by turn (t), tabbed to the first "Retry from turn"
        app = make_app()
        run_before = keys("enter", "1", "1", "d", "t", "tab")
        assert snap_compare(app, terminal_size=size, run_before=run_before)

    def test_help(self, snap_compare: SnapCompare, make_app: MakeApp, size: Any) -> None:
        assert snap_compare(make_app(), terminal_size=size, run_before=keys("question_mark"))

    def test_history(
        self,
        snap_compare: SnapCompare,
        make_app: MakeApp,
        size: Any,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        # fixed past sessions, so dates and scores do not move
        monkeypatch.setattr(Game, "history", lambda self: PAST)
        assert snap_compare(make_app(), terminal_size=size, run_before=keys("y"))


def _summary(n: int, score: int | None, status: str, parent: str | None = None) -> SessionSummary:
    start = datetime(2025, 3, 1, 9, 0, tzinfo=UTC) + timedelta(days=n)
    return SessionSummary(
        session_id=f"s{n}",
        trainee=TRAINEE,
        scenario="late-refund",
        title="The refund that never came",
        mode="assessment" if n % 3 == 0 else "practice",
        started_at=start,
        ended_at=start + timedelta(minutes=4),
        status=status,
        outcome=None if status == "abandoned" else ("resolved" if (score or 0) > 50 else "lost"),
        score=score,
        turns=2,
        verified=True,
        parent_session=parent,
    )


PAST = [
    _summary(1, 35, "completed"),
    _summary(2, None, "abandoned"),
    _summary(3, 48, "completed"),
    _summary(4, 62, "completed"),
    _summary(5, 58, "completed", parent="s4"),
    _summary(6, 71, "completed"),
    _summary(7, 80, "completed"),
    _summary(8, 91, "completed"),
]


COACH_SIZES = [*SIZES, pytest.param((60, 20), id="60x20")]
FIRST_THREE = [
    pytest.param(("1",), id="first"),
    pytest.param(("1", "enter", "1"), id="second"),
    pytest.param(("1", "enter", "1", "enter", "1"), id="third"),
]


def customs_app(isolated: Path) -> SimulatorApp:
    """The bundled customs-invoice, opened straight from the command line (seed fixed)."""
    loaded = resolve("customs-invoice").loaded
    assert loaded is not None
    config = GameConfig(trainee=TRAINEE, seed=7, log_dir=isolated / "logs", start_with=loaded)
    return SimulatorApp(config, settings_file=isolated / "settings.json")


@pytest.mark.parametrize("size", COACH_SIZES)
class TestCoachFirst:
    """The lesson and the customer's line after each of customs-invoice's first three replies.

    Enter between replies opens the responses when they waited behind the lesson (and
    does nothing when they did not). The scenario is bundled, so these move when it does.
    """

    @pytest.mark.parametrize("pressed", FIRST_THREE)
    def test_lesson_after_reply(
        self, snap_compare: SnapCompare, isolated: Path, size: Any, pressed: tuple[str, ...]
    ) -> None:
        assert snap_compare(customs_app(isolated), terminal_size=size, run_before=keys(*pressed))

    def test_details(self, snap_compare: SnapCompare, isolated: Path, size: Any) -> None:
        # d: the rule arithmetic of the first reply, adding up to the change
        app = customs_app(isolated)
        assert snap_compare(app, terminal_size=size, run_before=keys("1", "d"))

    def test_responses_after_the_lesson(
        self, snap_compare: SnapCompare, isolated: Path, size: Any
    ) -> None:
        # Enter: the responses open and the lesson folds to one line
        app = customs_app(isolated)
        assert snap_compare(app, terminal_size=size, run_before=keys("4", "enter"))


@pytest.mark.parametrize("size", SIZES)
class TestDebriefParts:
    """The parts of the debrief a key away: turn by turn, the reflection box, history."""

    def test_turn_by_turn(self, snap_compare: SnapCompare, make_app: MakeApp, size: Any) -> None:
        app = make_app()
        assert snap_compare(app, terminal_size=size, run_before=keys("enter", "2", "2", "d", "t"))

    def test_reflection_typed(
        self, snap_compare: SnapCompare, make_app: MakeApp, size: Any
    ) -> None:
        # w, then a sentence full of shortcut letters: only the box changes
        app = make_app()
        typed = keys("enter", "1", "1", "d", "w", *"I rushed: retry? t q r")
        assert snap_compare(app, terminal_size=size, run_before=typed)

    def test_unsaved_reflection_asks(
        self, snap_compare: SnapCompare, make_app: MakeApp, size: Any
    ) -> None:
        app = make_app()
        typed = keys("enter", "1", "1", "d", "w", *"Ask first", "escape", "escape")
        assert snap_compare(app, terminal_size=size, run_before=typed)
