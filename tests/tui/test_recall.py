"""Recall mode in the TUI: type first, then confirm, override or rephrase; refusals show
the list; the debrief and the log keep what was typed.

Played on the lost-parcel fixture (our own wording), so these do not move when the
bundled library is rewritten. Positions on the list are read from the list, never
assumed.
"""

from __future__ import annotations

import json
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input

from simulator.tui.screens.debrief import DebriefScreen
from simulator.tui.screens.home import HomeScreen
from simulator.tui.screens.play import PlayScreen
from simulator.tui.widgets.choice_list import ChoiceList
from simulator.tui.widgets.recall_box import RecallBox
from simulator.tui.widgets.recall_review import RecallReview
from tests.conftest import FIXTURES
from tests.tui.conftest import MakeApp, settle

RECALL = FIXTURES / "recall" / "library"
WORDY = FIXTURES / "recall" / "wordy"


def text_of(pilot: Pilot[None]) -> str:
    return "\n".join(strip.text for strip in pilot.app.screen._compositor.render_strips())


async def start_recall(pilot: Pilot[None]) -> PlayScreen:
    """Home: switch recall on with r, start the only scenario."""
    await settle(pilot)
    assert isinstance(pilot.app.screen, HomeScreen)
    await pilot.press("r")
    await pilot.press("enter")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, PlayScreen) and screen.conversation.recall
    return screen


async def type_reply(pilot: Pilot[None], text: str) -> None:
    await pilot.press(*text)
    await pilot.press("enter")
    await pilot.pause()


def numbered(screen: PlayScreen) -> list[str | None]:
    choices = screen.query_one("#choices", ChoiceList)
    return [choices.id_at(n) for n in range(1, choices.option_count + 1)]


class TestRecallTurn:
    """One turn: an empty box first, then the match, then confirm / pick / rephrase."""

    async def test_turn_starts_with_an_empty_box_and_no_options(self, make_app: MakeApp) -> None:
        app = make_app(library=RECALL)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await start_recall(pilot)
            box = screen.query_one("#recall", RecallBox)
            assert box.state == "typing"
            assert isinstance(app.focused, Input) and app.focused.value == ""
            assert not screen.query_one("#choices", ChoiceList).display
            text = text_of(pilot)
            assert "The tracking says my parcel" in text
            assert "Have you checked your porch" not in text  # no option visible yet
            await pilot.press("1")  # typed into the box, never a blind pick
            await pilot.pause()
            assert not screen.conversation.session.turns

    async def test_typing_shows_closest_and_runner_up_then_enter_confirms(
        self, make_app: MakeApp
    ) -> None:
        app = make_app(library=RECALL)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await start_recall(pilot)
            await type_reply(pilot, "walk me thru yesterday")
            box = screen.query_one("#recall", RecallBox)
            assert box.state == "matched" and box.proposed == "tell-me-more"
            text = text_of(pilot)
            number = numbered(screen).index("tell-me-more") + 1
            assert f"Closest move: {number}. That's annoying" in text
            assert "Runner-up:" in text
            assert screen.query_one("#choices", ChoiceList).display
            await pilot.press("enter")
            await pilot.pause()
            [turn] = screen.conversation.session.turns
            assert turn.choice == "tell-me-more"
            assert turn.typed == "walk me thru yesterday"
            assert turn.match is not None and turn.match["choice"] == "tell-me-more"
            assert box.state == "typing"  # the next turn starts empty again
            assert isinstance(app.focused, Input) and app.focused.value == ""

    async def test_a_digit_overrides_the_match(self, make_app: MakeApp) -> None:
        app = make_app(library=RECALL)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await start_recall(pilot)
            await type_reply(pilot, "walk me thru yesterday")
            order = numbered(screen)
            await pilot.press("2")
            await pilot.pause()
            [turn] = screen.conversation.session.turns
            assert turn.choice == order[1] != "tell-me-more"
            assert turn.match is not None and turn.match["choice"] == "tell-me-more"

    async def test_a_reply_that_fits_nothing_is_refused_and_the_list_appears(
        self, make_app: MakeApp
    ) -> None:
        app = make_app(library=RECALL)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await start_recall(pilot)
            await type_reply(pilot, "purple monkey dishwasher")
            box = screen.query_one("#recall", RecallBox)
            assert box.state == "refused" and box.proposed is None
            text = text_of(pilot)
            assert "I couldn't match that to anything on offer; rephrase, or pick from" in text
            assert screen.query_one("#choices", ChoiceList).display
            await pilot.press("enter")  # nothing to confirm: nothing is played
            await pilot.pause()
            assert not screen.conversation.session.turns
            await pilot.press("e")  # rephrase: back in the box
            await pilot.pause()
            assert isinstance(app.focused, Input)
            await pilot.press("backspace")
            await type_reply(pilot, "did you look around outside or ask next door")
            assert box.proposed == "check-porch"
            await pilot.press("enter")
            await pilot.pause()
            [turn] = screen.conversation.session.turns
            assert turn.choice == "check-porch"
            # Only the first reply of the turn counts for recall: the refused one.
            assert turn.typed == "purple monkey dishwasher"
            assert turn.match is not None and turn.match["choice"] is None

    async def test_refused_then_picked_by_number(self, make_app: MakeApp) -> None:
        app = make_app(library=RECALL)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await start_recall(pilot)
            await type_reply(pilot, "zzz qqq")
            order = numbered(screen)
            await pilot.press("3")
            await pilot.pause()
            assert [t.choice for t in screen.conversation.session.turns] == [order[2]]

    async def test_hostile_typed_text_is_shown_literally(self, make_app: MakeApp) -> None:
        app = make_app(library=RECALL)
        async with app.run_test(size=(80, 24)) as pilot:
            await start_recall(pilot)
            await type_reply(pilot, "[bold]walk me thru yesterday[/bold] [@click=app.quit]x[/]")
            await pilot.press("enter")
            await pilot.pause()
            assert "you typed: [bold]walk me thru" in text_of(pilot)
            assert app.is_running and isinstance(app.screen, PlayScreen)


class TestRecallSession:
    """A whole session: the debrief's recall section and the log's typed fields."""

    async def test_debrief_shows_typed_matched_best_and_the_recall_score(
        self, make_app: MakeApp, log_dir: Path
    ) -> None:
        app = make_app(library=RECALL)
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await start_recall(pilot)
            await type_reply(pilot, "walk me thru yesterday")
            await pilot.press("enter")
            await pilot.pause()
            await type_reply(pilot, "let's wait a few days and see")
            await pilot.press("enter")
            await pilot.pause()
            assert screen.conversation.session.finished
            await pilot.press("d")
            await pilot.pause()
            assert isinstance(app.screen, DebriefScreen)
            review = app.screen.query_one(RecallReview)
            assert len(review.turns) == 2
            text = text_of(pilot)
            assert "recall 50%: 1 of 2 replies named the best move" in text
            assert "you typed: “let's wait a few days and see”" in text
            assert "best move: I'll open a trace myself" in text
        records = [
            json.loads(line)
            for path in log_dir.rglob("*.jsonl")
            for line in path.read_text(encoding="utf-8").splitlines()
        ]
        turns = [r for r in records if r["type"] == "turn"]
        assert [t["typed"] for t in turns] == [
            "walk me thru yesterday",
            "let's wait a few days and see",
        ]
        assert turns[1]["match"]["choice"] == "wait-and-see"

    async def test_recall_off_plays_as_before(self, make_app: MakeApp) -> None:
        app = make_app(library=RECALL)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("enter")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, PlayScreen) and not screen.conversation.recall
            assert not screen.query(RecallBox)
            await pilot.press("1")
            await pilot.pause()
            [turn] = screen.conversation.session.turns
            assert turn.typed is None and "typed" not in turn.to_json()

    async def test_a_scenario_can_require_recall_for_assessment(
        self, make_app: MakeApp, tmp_path: Path
    ) -> None:
        library = tmp_path / "library"
        library.mkdir()
        text = (RECALL / "lost-parcel.yaml").read_text(encoding="utf-8")
        (library / "lost-parcel.yaml").write_text(text + "recall: assessment\n", encoding="utf-8")
        app = make_app(library=library, mode="assessment")
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("enter")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, PlayScreen) and screen.conversation.recall
            assert screen.query_one("#recall", RecallBox).state == "typing"


def on_screen(pilot: Pilot[None], selector: str) -> bool:
    """The widget is shown and wholly inside the screen (not pushed below the footer)."""
    widget = pilot.app.screen.query_one(selector)
    return widget.display and pilot.app.screen.region.contains_region(widget.region)


class TestRecallFits:
    """After a lesson the lesson, the reply box and the list share the stage."""

    async def lesson_then_reply(self, pilot: Pilot[None]) -> PlayScreen:
        screen = await start_recall(pilot)
        await type_reply(pilot, "did you look around outside or ask next door")
        await pilot.press("enter")  # confirm: the lesson opens, with the better reply
        await pilot.pause()
        assert screen.conversation.session.turns
        return screen

    async def test_the_reply_box_keeps_the_keys_on_a_small_terminal(
        self, make_app: MakeApp
    ) -> None:
        app = make_app(library=WORDY)
        async with app.run_test(size=(60, 20)) as pilot:
            screen = await self.lesson_then_reply(pilot)
            assert on_screen(pilot, "#recall")
            assert app.focused is screen.query_one("#reply", Input)  # not a hidden bar
            await type_reply(pilot, "leave it with me, I'll chase it and send a new one")
            assert screen.query_one("#recall", RecallBox).proposed == "own-it"

    async def test_the_list_fits_under_the_match_at_80x24(self, make_app: MakeApp) -> None:
        app = make_app(library=WORDY)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await self.lesson_then_reply(pilot)
            await type_reply(pilot, "leave it with me, I'll chase it and send a new one")
            assert screen.query_one("#recall", RecallBox).state == "matched"
            await pilot.pause()
            assert on_screen(pilot, "#recall") and on_screen(pilot, "#choices")
