"""Snapshots of every screen at 80×24 and 120×40 (fixed seed, trainee, library, logs).

Review the SVGs in `__snapshots__/` before accepting a change with
`pytest tests/tui/test_snapshots.py --snapshot-update`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from textual.pilot import Pilot

from simulator.logs.reader import SessionSummary
from simulator.tui.game import Game
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
        # the turn-by-turn review, reached by tabbing to the first "Retry from turn"
        app = make_app()
        run_before = keys("enter", "1", "1", "d", "shift+tab", "shift+tab", "shift+tab", "tab")
        assert snap_compare(app, terminal_size=size, run_before=run_before)

    def test_transcript(self, snap_compare: SnapCompare, make_app: MakeApp, size: Any) -> None:
        app = make_app()
        assert snap_compare(app, terminal_size=size, run_before=keys("enter", "1", "1", "d", "t"))

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
