"""Pilot tests: every screen driven by the keyboard, and what ends up in the score log."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual import events
from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.widgets import Input, OptionList
from textual.widgets.input import Selection

from simulator.logs.reader import read_sessions
from simulator.settings import NAME_MAX, load_settings
from simulator.tui.app import SimulatorApp
from simulator.tui.screens.confirm import ConfirmScreen
from simulator.tui.screens.debrief import DebriefScreen
from simulator.tui.screens.help import HelpScreen
from simulator.tui.screens.history import HistoryScreen, trend_text
from simulator.tui.screens.home import HomeScreen
from simulator.tui.screens.play import PlayScreen
from simulator.tui.screens.save_reflection import SaveReflectionScreen
from simulator.tui.screens.sign_in import SignInScreen
from simulator.tui.screens.turns import TurnsScreen
from simulator.tui.widgets.choice_list import ChoiceList
from simulator.tui.widgets.coach_panel import CoachPanel
from simulator.tui.widgets.mood_chart import MoodChart
from simulator.tui.widgets.mood_meter import MoodMeter
from simulator.tui.widgets.reflection import ReflectionBox
from simulator.tui.widgets.scorecard import Scorecard
from simulator.tui.widgets.turn_review import TurnReview
from tests.tui.conftest import BUNDLED, TRAINEE, TUI_FIXTURES, MakeApp, settle


def text_of(app: SimulatorApp) -> str:
    """Everything visible on the current screen, as plain text."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def start(pilot: Pilot[None]) -> PlayScreen:
    """From the home screen, start the highlighted scenario."""
    await settle(pilot)
    assert isinstance(pilot.app.screen, HomeScreen)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, PlayScreen)
    return pilot.app.screen


async def play_to_end(pilot: Pilot[None], key: str = "1", limit: int = 60) -> None:
    for _ in range(limit):
        screen = pilot.app.screen
        assert isinstance(screen, PlayScreen)
        if screen.conversation.session.finished:
            return
        await pilot.press(key)
        await pilot.pause()
    raise AssertionError("the conversation never ended")


class TestSignIn:
    """First run asks for a name once and remembers it."""

    async def test_first_run_asks_and_remembers(self, make_app: MakeApp, isolated: Path) -> None:
        app = make_app(trainee=None)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, SignInScreen)
            await pilot.press("enter")  # empty name
            await pilot.pause()
            assert isinstance(app.screen, SignInScreen)
            await pilot.press(*"Ana")
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)
        assert load_settings(isolated / "config" / "settings.json").trainee == "Ana"
        again = make_app(trainee=None)
        async with again.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert isinstance(again.screen, HomeScreen)
            assert again.game.trainee == "Ana"

    async def test_name_can_be_changed_from_home(self, make_app: MakeApp) -> None:
        app = make_app()
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await pilot.press("n")
            await pilot.pause()
            assert isinstance(app.screen, SignInScreen)
            app.screen.query_one(Input).value = ""
            await pilot.press(*"Bo", "enter")
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)
            assert app.game.trainee == "Bo"

    async def test_a_paste_longer_than_the_box_keeps_what_fits(self, make_app: MakeApp) -> None:
        """Textual's Input refused such a paste whole: nothing appeared, no reason given."""
        app = make_app(trainee=None)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            box = app.screen.query_one(Input)
            box.post_message(events.Paste("Ana " + "x" * 100 + "\nsecond line"))
            await pilot.pause()
            assert box.value == ("Ana " + "x" * 100)[:NAME_MAX]
            box.post_message(events.Paste("more"))  # no room left: nothing changes
            await pilot.pause()
            assert len(box.value) == NAME_MAX
            box.selection = Selection(0, 3)  # over a selection, its room is the room left
            box.post_message(events.Paste("Bea and more"))
            await pilot.pause()
            assert box.value == ("Bea" + " " + "x" * 100)[:NAME_MAX]
            box.value = ""
            box.post_message(events.Paste("Ana\u202e\x1b[2J Li"))  # shown as it is saved
            await pilot.pause()
            await pilot.press("\u202d", "x")
            assert box.value == "Ana[2J Lix"

    async def test_a_hand_edit_made_while_the_game_runs_survives_its_saves(
        self, make_app: MakeApp, isolated: Path
    ) -> None:
        """The game writes only what it changed into the file as it is then: the LRS
        address a manager adds meanwhile, and keys this version does not know, stay."""
        path = isolated / "config" / "settings.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text('{"trainee": "Ana", "from_a_newer_version": [1, 2]}\n')
        app = make_app(trainee=None)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            path.write_text(
                '{"trainee": "Ana", "from_a_newer_version": [1, 2],'
                ' "lrs_url": "https://lrs.example/xapi/"}\n'
            )
            await pilot.press("n")
            await pilot.pause()
            app.screen.query_one(Input).value = ""
            await pilot.press(*"Bo", "enter")
            await pilot.pause()
            assert app.game.trainee == "Bo"
            kept = json.loads(path.read_text())
            assert kept == {
                "trainee": "Bo",
                "from_a_newer_version": [1, 2],
                "lrs_url": "https://lrs.example/xapi/",
            }
            half_way = '{"trainee": "Bo", "lrs_url": "https://lrs.exa'  # mid-edit, unsaved
            path.write_text(half_way)
            await pilot.press("n")
            await pilot.pause()
            app.screen.query_one(Input).value = ""
            await pilot.press(*"Cy", "enter")
            await pilot.pause()
            assert app.game.trainee == "Cy"
            assert path.read_text() == half_way  # not written over: the edit is not lost


class TestHome:
    """The picker lists scenarios with records; m switches mode."""

    async def test_list_detail_and_mode(self, make_app: MakeApp) -> None:
        app = make_app()
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            text = text_of(app)
            assert "The refund that never came" in text
            assert "standard · phone · best — · 0 tries" in text
            assert "late-refund" in text  # the id the README and `simulator play` use
            assert "Listening, Ownership, Follow-up" in text
            assert "six weeks for a refund" in text  # the summary in the detail pane
            assert "◉ practice" in text
            await pilot.press("m")
            await pilot.pause()
            assert app.game.mode == "assessment"
            assert "◉ assessment" in text_of(app)

    async def test_records_show_after_a_session(self, make_app: MakeApp) -> None:
        app = make_app()
        async with app.run_test(size=(120, 40)) as pilot:
            await start(pilot)
            await play_to_end(pilot)
            await pilot.press("q")  # leaving a finished conversation needs no confirmation
            await settle(pilot)
            assert isinstance(app.screen, HomeScreen)
            assert "1 try" in text_of(app) and "1 tries" not in text_of(app)
            assert "best —" not in text_of(app)

    async def test_broken_files_are_counted(self, make_app: MakeApp) -> None:
        app = make_app(library=Path(__file__).parents[1] / "fixtures")
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert "could not be loaded" in text_of(app)


class TestPlay:
    """Keys, meters, coach, hints, modes, walkouts and quitting."""

    async def test_digits_and_arrows_choose(self, make_app: MakeApp) -> None:
        app = make_app()
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await start(pilot)
            session = screen.conversation.session
            first = session.choices()[1].id
            await pilot.press("2")
            await pilot.pause()
            assert session.turns[0].choice == first
            second = session.choices()[1].id
            await pilot.press("down", "down", "enter")
            await pilot.pause()
            assert session.turns[1].choice == second
            assert session.finished

    async def test_meters_and_coach_in_practice(self, make_app: MakeApp) -> None:
        app = make_app()
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await start(pilot)
            anger = screen.query_one("#anger", MoodMeter)
            assert anger.value == 70 and anger.change is None and anger.numbers
            await pilot.press("h")
            await pilot.pause()
            assert "Hint" in text_of(app)
            turn_choice = screen.conversation.session.choices()[0].id
            await pilot.press("1")
            await pilot.pause()
            turn = screen.conversation.session.turns[0]
            assert turn.choice == turn_choice
            assert anger.value == turn.after.mood.anger
            assert anger.change == turn.after.mood.anger - turn.before.mood.anger
            text = text_of(app)
            assert "frustrated" in text or "angry" in text or "furious" in text
            coach = screen.query_one(CoachPanel)
            assert coach.display
            assert turn.reasons[0][:30] in text.replace("\n", " ") or "rule" in text
            assert f"{turn.before.mood.anger} → {turn.after.mood.anger}" in text

    async def test_assessment_hides_numbers_and_coaching(self, make_app: MakeApp) -> None:
        app = make_app(mode="assessment")
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await start(pilot)
            assert not screen.query(CoachPanel)
            await pilot.press("h")
            await pilot.press("1")
            await pilot.pause()
            text = text_of(app)
            assert "Anger" in text and " 70 " not in text
            anger = screen.query_one("#anger", MoodMeter)
            assert not anger.numbers
            assert anger.band in text
            assert "Hint" not in text

    async def test_walkout_is_visible(self, make_app: MakeApp) -> None:
        app = make_app(library=TUI_FIXTURES / "walkout")
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await start(pilot)
            blame = next(
                n for n, c in enumerate(screen.conversation.session.choices(), 1) if c.id == "blame"
            )
            await pilot.press(str(blame))
            await pilot.pause()
            assert screen.has_class("-walked-out")
            text = text_of(app)
            assert "Mr. Grant walked out" in text
            assert not screen.query_one(ChoiceList).display
            await pilot.press("d")
            await pilot.pause()
            assert isinstance(app.screen, DebriefScreen)
            assert "WALKED OUT" in text_of(app)

    async def test_quit_asks_and_logs_abandoned(self, make_app: MakeApp, log_dir: Path) -> None:
        app = make_app()
        async with app.run_test(size=(80, 24)) as pilot:
            await start(pilot)
            await pilot.press("1")
            await pilot.press("q")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmScreen)
            await pilot.press("n")
            await pilot.pause()
            assert isinstance(app.screen, PlayScreen)
            await pilot.press("q")
            await pilot.pause()
            await pilot.press("y")
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)
        [summary] = read_sessions([log_dir])
        assert summary.status == "abandoned" and summary.turns == 1

    async def test_ctrl_q_before_the_first_turn_asks_then_leaves_no_log(
        self, make_app: MakeApp, log_dir: Path
    ) -> None:
        app = make_app()
        async with app.run_test(size=(80, 24)) as pilot:
            await start(pilot)
            await pilot.press("ctrl+q")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmScreen)
            await pilot.press("y")
            await pilot.pause()
        assert app.return_code == 0
        # Quitting before the first turn leaves nothing a manager could use: no log.
        assert read_sessions([log_dir]) == []

    async def test_play_scenario_from_the_command_line_opens_on_it(
        self, isolated: Path, log_dir: Path
    ) -> None:
        from simulator.scenario.loader import load_scenario_file
        from simulator.tui.game import GameConfig

        loaded = load_scenario_file(TUI_FIXTURES / "library" / "late-refund.yaml").loaded
        config = GameConfig(trainee=TRAINEE, seed=1, log_dir=log_dir, start_with=loaded)
        app = SimulatorApp(config, settings_file=isolated / "s.json")
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, PlayScreen)
            await pilot.press("q", "y")
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)


class TestDebrief:
    """Grade, chart, scorecard, review, reflection, retry and the road not taken."""

    async def test_debrief_shows_everything(self, make_app: MakeApp, log_dir: Path) -> None:
        app = make_app()
        async with app.run_test(size=(120, 40)) as pilot:
            play = await start(pilot)
            await play_to_end(pilot)
            await pilot.press("d")
            await pilot.pause()
            debrief = app.screen
            assert isinstance(debrief, DebriefScreen)
            result = play.conversation.result
            assert result is not None
            text = text_of(app)
            assert f"GRADE {result.score.grade} · {result.score.score}/100" in text
            chart = debrief.query_one(MoodChart)
            assert chart.points == (result.start, *(t.after.mood for t in result.turns))
            assert len(debrief.query_one(Scorecard).scores) == len(result.score.principles)
            assert "The moments that mattered most" in text
            await pilot.press("t")
            await pilot.pause()
            assert isinstance(app.screen, TurnsScreen)
            reviews = list(app.screen.query(TurnReview))
            assert [r.turn.number for r in reviews] == [1, 2]
            await pilot.press("escape")
            await pilot.pause()
            await pilot.press("w")  # the reflection box has its own key
            await pilot.pause()
            assert isinstance(app.focused, Input)
            await pilot.press(*"Ask first.", "enter")
            await pilot.pause()
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)
        [summary] = read_sessions([log_dir])
        assert summary.reflection == "Ask first."

    async def test_typing_a_reflection_changes_nothing_but_the_box(
        self, make_app: MakeApp, log_dir: Path
    ) -> None:
        app = make_app()
        sentence = "I rushed: retry? Next time ask first, then t-q-d 1 2 9 h w m y ESC."
        async with app.run_test(size=(80, 24)) as pilot:
            play = await start(pilot)
            await play_to_end(pilot)
            await pilot.press("d")
            await pilot.pause()
            debrief = app.screen
            assert isinstance(debrief, DebriefScreen)
            await pilot.press("w")
            await pilot.pause()
            await pilot.press(*sentence)
            await pilot.pause()
            assert app.screen is debrief  # no shortcut fired: no retry, transcript, help
            assert debrief.query_one(ReflectionBox).value == sentence
            assert app.game.current is play.conversation
            assert play.conversation.reflection is None  # nothing saved until asked
            await pilot.press("escape")  # out of the box
            await pilot.pause()
            assert app.screen is debrief
            await pilot.press("escape")  # leaving with unsaved text asks
            await pilot.pause()
            assert isinstance(app.screen, SaveReflectionScreen)
            await pilot.press("escape")  # stay
            await pilot.pause()
            assert pilot.app.screen is debrief and isinstance(app.focused, ReflectionBox)
            await pilot.press("escape")
            await pilot.press("escape")
            await pilot.pause()
            await pilot.press("s")  # save and leave
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)
        [summary] = read_sessions([log_dir])
        assert summary.reflection == sentence

    async def test_leaving_a_restarted_attempt_lands_on_its_debrief(
        self, make_app: MakeApp
    ) -> None:
        app = make_app()
        async with app.run_test(size=(80, 24)) as pilot:
            await start(pilot)
            await play_to_end(pilot)
            await pilot.press("d", "r")
            await pilot.pause()
            again = app.screen
            assert isinstance(again, PlayScreen) and again.conversation.restarted
            await play_to_end(pilot)
            await pilot.press("q")
            await pilot.pause()
            debrief = app.screen
            assert isinstance(debrief, DebriefScreen)
            assert debrief.conversation is again.conversation
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)

    async def test_turn_by_turn_is_one_key_away(self, make_app: MakeApp) -> None:
        app = make_app()
        async with app.run_test(size=(80, 24)) as pilot:
            play = await start(pilot)
            await play_to_end(pilot)
            await pilot.press("d", "t")
            await pilot.pause()
            assert isinstance(app.screen, TurnsScreen)
            reviews = list(app.screen.query(TurnReview))
            assert len(reviews) == len(play.conversation.session.turns)
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, DebriefScreen)

    async def test_retry_from_a_turn_restores_it_and_links_the_log(
        self, make_app: MakeApp, log_dir: Path
    ) -> None:
        app = make_app(mode="assessment")
        async with app.run_test(size=(120, 40)) as pilot:
            play = await start(pilot)
            await play_to_end(pilot)
            original = play.conversation.session
            await pilot.press("d")
            await pilot.pause()
            debrief = app.screen
            assert isinstance(debrief, DebriefScreen)
            await pilot.press("t")
            await pilot.pause()
            app.screen.query_one("#retry-2").focus()
            await pilot.press("enter")
            await pilot.pause()
            branch = app.screen
            assert isinstance(branch, PlayScreen)
            assert branch.conversation.mode == "practice"
            assert branch.conversation.session.state == original.turns[1].before
            assert "retrying from turn 2" in text_of(app)
            await play_to_end(pilot)
        by_id = {s.session_id: s for s in read_sessions([log_dir])}
        linked = by_id[branch.conversation.session.session_id]
        assert linked.parent_session == original.session_id and linked.mode == "practice"
        assert by_id[original.session_id].mode == "assessment"

    async def test_retry_starts_over(self, make_app: MakeApp) -> None:
        app = make_app()
        async with app.run_test(size=(80, 24)) as pilot:
            play = await start(pilot)
            await play_to_end(pilot)
            await pilot.press("d", "r")
            await pilot.pause()
            again = app.screen
            assert isinstance(again, PlayScreen) and again is not play
            assert again.conversation.session.turns == []


class TestHistoryHelpPalette:
    """History with trend, help on ?, and the command palette."""

    async def test_history_lists_sessions(self, make_app: MakeApp) -> None:
        app = make_app()
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await pilot.press("y")
            await pilot.pause()
            assert isinstance(app.screen, HistoryScreen)
            assert "No finished sessions yet" in text_of(app)
            await pilot.press("escape")
            for _ in range(2):
                await start(pilot)
                await play_to_end(pilot)
                await pilot.press("d", "t")  # turn by turn once: its styles stay its own
                await pilot.pause()
                await pilot.press("escape", "escape")
                await pilot.pause()
            await pilot.press("y")
            await pilot.pause()
            listing = app.screen.query_one("#sessions", OptionList)
            assert listing.option_count == 2
            assert "You have finished 2 sessions" in text_of(app)
            await pilot.press("enter")  # the newest session's debrief, from its log
            await pilot.pause()
            debrief = app.screen
            assert isinstance(debrief, DebriefScreen) and debrief.conversation is None
            assert "GRADE" in text_of(app)
            assert debrief.query_one("#body").region.height > 10  # laid out whole
            await pilot.press("t")  # and its replay, turn by turn
            await pilot.pause()
            assert isinstance(app.screen, TurnsScreen)
            reviews = list(app.screen.query(TurnReview))
            assert [r.turn.number for r in reviews] == [1, 2]
            assert all(r.turn.customer_line for r in reviews)
            assert not app.screen.query(".retry")  # a past session only reads
            await pilot.press("escape")
            await pilot.pause()
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, HistoryScreen)

    def test_trend_text(self) -> None:
        assert trend_text([50, 50, 50, 50, 50, 60, 70, 80, 90, 100]).endswith(
            "Your last 5 averaged 80, 30 points better than the 5 sessions before them."
        )
        assert trend_text([90, 90, 46, 46, 46, 46, 46]).endswith(
            "44 points lower than the 2 sessions before them."
        )
        assert trend_text([70, 80]).endswith("Your last 2 averaged 75.")
        assert trend_text([61]) == "You have finished 1 session; your best score is 61."

    async def test_help_on_question_mark(self, make_app: MakeApp) -> None:
        app = make_app()
        async with app.run_test(size=(80, 24)) as pilot:
            await start(pilot)
            await pilot.press("question_mark")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
            assert "How to play" in text_of(app)
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, PlayScreen)

    async def test_command_palette_offers_our_commands(self, make_app: MakeApp) -> None:
        app = make_app()
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await pilot.press("ctrl+p")
            await pilot.pause()
            assert isinstance(app.screen, CommandPalette)
            await pilot.press(*"history")
            await pilot.pause(0.3)
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, HistoryScreen)

    async def test_no_color_is_honoured(
        self, make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("NO_COLOR", "1")
        app = make_app()
        async with app.run_test(size=(80, 24)) as pilot:
            await start(pilot)
            assert app.no_color
            await pilot.press("1")
            await pilot.pause()
            text = text_of(app)
            assert "You: " in text and "Ms. Walker: " in text  # who said what, without colour


async def test_full_play_through_a_bundled_scenario(make_app: MakeApp, log_dir: Path) -> None:
    """A new hire's path, keyboard only: pick, play to the end, read the debrief, go home."""
    app = make_app(library=BUNDLED, seed=11)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await play_to_end(pilot, key="1")
        await pilot.press("enter")  # the "See debrief" button has focus
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        assert "GRADE" in text_of(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    [summary] = read_sessions([log_dir])
    assert summary.status in {"completed", "walked_out"} and summary.score is not None


def test_option_list_is_the_choice_widget() -> None:
    assert issubclass(ChoiceList, OptionList)
