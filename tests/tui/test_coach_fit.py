"""The coach leads with the lesson, and nothing the trainee must read is cut off.

Played on the bundled customs-invoice at 80×24, 120×40 and 60×20. The texts and
numbers of that scenario are being rewritten, so nothing here quotes it: the line and
the lesson are read from the session, and choices are pressed by position.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App
from textual.pilot import Pilot

from simulator.scenario.library import resolve
from simulator.tui.app import SimulatorApp
from simulator.tui.game import GameConfig
from simulator.tui.screens.play import PlayScreen
from simulator.tui.widgets.coach_panel import CoachPanel
from simulator.tui.widgets.current_line import CurrentLine
from tests.tui.conftest import TRAINEE

SIZES = [(80, 24), (120, 40), (60, 20)]


def squeezed(text: str) -> str:
    """Text without whitespace or the coach's border, so wrapping cannot hide a match."""
    return "".join(text.replace("█", "").replace("▌", "").split())


def screen_text(app: App[None]) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def customs_app(isolated: Path, size_seed: int = 7) -> SimulatorApp:
    loaded = resolve("customs-invoice").loaded
    assert loaded is not None, "the bundled customs-invoice scenario must load"
    config = GameConfig(
        trainee=TRAINEE, seed=size_seed, log_dir=isolated / "logs", start_with=loaded
    )
    return SimulatorApp(config, settings_file=isolated / "settings.json")


def assert_whole(widget: CurrentLine | CoachPanel, screen: PlayScreen) -> None:
    """The widget sits inside the stage, is not clipped, and does not need scrolling."""
    stage = screen.query_one("#stage").region
    region = widget.region
    assert region.height > 0, f"{widget.id} is not shown"
    assert stage.y <= region.y and region.bottom <= stage.bottom, f"{widget.id} is cut off"
    assert widget.max_scroll_y == 0, f"{widget.id} needs scrolling"


async def play_three(pilot: Pilot[None], position: int) -> None:
    app = pilot.app
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, PlayScreen)
    session = screen.conversation.session
    for _ in range(3):
        if screen.waiting:
            await pilot.press("enter")  # the responses wait behind Enter after a lesson
            await pilot.pause()
        offered = session.choices()
        await pilot.press(str(min(position, len(offered))))
        await pilot.pause()
        await pilot.pause()
        turn = session.turns[-1]
        text = squeezed(screen_text(app))
        coach = screen.query_one(CoachPanel)
        assert not coach.is_folded, "the lesson comes first"
        assert_whole(coach, screen)
        if screen.waiting:  # and the way on to the responses is on screen too
            reveal = screen.query_one("#reveal").region
            assert reveal.height == 1 and reveal.bottom <= screen.query_one("#stage").region.bottom
        if turn.feedback:
            assert squeezed(turn.feedback) in text
        if turn.best.choice == turn.choice:
            assert "Thebestmoveonoffer" in text
        else:
            better = screen.conversation.say_of(turn.node, turn.best.choice)
            assert squeezed(better) in text
        change = turn.after.mood.anger - turn.before.mood.anger
        assert squeezed(f"Anger {turn.before.mood.anger} → {turn.after.mood.anger}") in text
        assert f"({change:+d})" in text
        if session.finished:
            return
        assert_whole(screen.query_one(CurrentLine), screen)
        assert squeezed(f"{session.loaded.scenario.customer.name}: {session.line.say}") in text


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("position", [1, 4])
async def test_lesson_and_line_after_each_of_three_choices(
    isolated: Path, size: tuple[int, int], position: int
) -> None:
    app = customs_app(isolated)
    async with app.run_test(size=size) as pilot:
        await play_three(pilot, position)


async def test_a_resize_keeps_the_line_and_the_lesson(isolated: Path) -> None:
    app = customs_app(isolated)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        await pilot.resize_terminal(60, 20)
        await pilot.pause()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PlayScreen)
        assert_whole(screen.query_one(CurrentLine), screen)
        assert_whole(screen.query_one(CoachPanel), screen)


async def test_digits_never_answer_unseen_responses(isolated: Path) -> None:
    app = customs_app(isolated)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PlayScreen)
        await pilot.press("1")
        await pilot.pause()
        await pilot.pause()
        if screen.waiting:
            await pilot.press("2")  # opens the responses instead of choosing blind
            await pilot.pause()
            assert len(screen.conversation.session.turns) == 1
            assert not screen.waiting
            assert screen.query_one(CoachPanel).is_folded
        await pilot.press("c")  # the lesson again
        await pilot.pause()
        assert not screen.query_one(CoachPanel).is_folded
