"""Play: the customer talks, the trainee answers, the coach and the meters react.

The screen only renders and forwards: the choice goes to `Run.choose` (engine and
log), and what comes back (the new mood, the turn told by `engine.story`, the next
line) is assigned to widgets. Nothing here computes a mood.

Layout, top to bottom: the title with the four steps; the customer and the meters;
then the stage: the transcript so far (it may shrink to nothing), the customer's
current line (always whole), the coach, and the responses. After a reply the coach's
lesson comes first: when the lesson, the line and the responses do not all fit, the
responses wait behind one key (Enter) and the lesson folds to a line once they open.
`_fit` is the one place that decides this, on every turn and every resize.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.events import Resize
from textual.geometry import Size
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Footer, OptionList, Static

from simulator.engine.story import TurnStory, turn_story
from simulator.engine.walkout import WalkoutRule, walkout_rule
from simulator.tui.fit import fit, rows
from simulator.tui.game import Game, Run
from simulator.tui.safe import clean, words
from simulator.tui.screens.confirm import ConfirmScreen
from simulator.tui.screens.debrief import DebriefAction, DebriefScreen
from simulator.tui.widgets.choice_list import ChoiceList
from simulator.tui.widgets.coach_panel import CoachPanel
from simulator.tui.widgets.current_line import CurrentLine
from simulator.tui.widgets.customer_card import CustomerCard
from simulator.tui.widgets.mood_meter import MoodMeter
from simulator.tui.widgets.phase_bar import PhaseBar
from simulator.tui.widgets.recall_box import RecallBox
from simulator.tui.widgets.transcript import Transcript

if TYPE_CHECKING:
    from simulator.engine.state import Turn
    from simulator.matching.turn import RecallTurn


_NARROW = 70
"""Below this width the customer card gives its room to the meters."""


class PlayScreen(Screen[None]):
    """One conversation, from its first line (or a rewound turn) to its ending."""

    CSS_PATH = "play.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "choose(1)", "Choose", key_display="1-9"),
        *(Binding(str(n), f"choose({n})", show=False) for n in range(2, 10)),
        Binding("enter", "reveal", "Responses", key_display="⏎"),
        Binding("h", "hint", "Hint"),
        Binding("c", "reread", "Reread"),
        Binding("d", "details", "Details"),
        Binding("d", "debrief", "Debrief"),
        Binding("q", "leave", "Quit"),
    ]

    @dataclass
    class Restart(Message):
        """Replace this screen with a new run (retry, or retry from a turn)."""

        begin: Callable[[], Run]

    def __init__(self, run: Run, game: Game) -> None:
        super().__init__()
        self.conversation = run
        self.game = game
        self.recall_turn: RecallTurn | None = None
        """Recall mode: this turn's choices, matcher and first reply."""
        self.last: TurnStory | None = None
        """The last turn told for people (the coach's lesson and `d`)."""
        self.waiting = False
        """The responses wait behind Enter while the trainee reads the lesson."""
        self.walkout: WalkoutRule = walkout_rule(run.loaded)
        self.debriefed = False

    # ----------------------------------------------------------------- layout

    def compose(self) -> ComposeResult:
        s = self.conversation.loaded.scenario
        persona = self.game.catalog.personas.get(s.customer.persona or "")
        mode = "practice" if self.conversation.coaching else "assessment"
        if self.conversation.branch_turn is not None:
            mode = f"practice · retrying from turn {self.conversation.branch_turn}"
        with Horizontal(id="title-row"):
            yield Static(
                Content.assemble((clean(s.title), "bold"), (f"  ·  {mode}", "dim")), id="title"
            )
            yield PhaseBar(id="phase")
        with Horizontal(id="top"):
            yield CustomerCard(
                s.customer.name, s.customer.role, persona.id if persona else None, id="card"
            )
            with Vertical(id="meters"):
                yield MoodMeter("anger", id="anger")
                yield MoodMeter("trust", id="trust")
        with Vertical(id="stage"):
            yield Transcript(id="transcript")
            yield CurrentLine(id="line")
            if self.conversation.coaching:
                yield CoachPanel(id="coach")
            if self.conversation.recall:
                yield RecallBox(id="recall")
            yield ChoiceList(id="choices")
            yield Button(
                Content("Your responses ▸ (Enter)"), id="reveal", compact=True, variant="primary"
            )
        with Horizontal(id="ended"):
            yield Static(id="ended-text")
            yield Button(Content("See debrief (d)"), variant="primary", id="to-debrief")
        yield Footer()

    def on_mount(self) -> None:
        session = self.conversation.session
        for kind in ("anger", "trust"):
            self.query_one(f"#{kind}", MoodMeter).numbers = self.conversation.coaching
        self._set_meters(None)
        self.query_one("#choices", ChoiceList).border_title = "Your response"
        transcript = self.query_one("#transcript", Transcript)
        s = session.loaded.scenario
        persona = self.game.catalog.personas.get(s.customer.persona or "")
        if persona is not None:
            transcript.add_note(f"{s.customer.name}: {persona.description}")
        if session.turns:
            transcript.replay(session.loaded, session.turns, ending=False)
            transcript.add_note(f"Back before turn {len(session.turns) + 1}: choose again")
        if self.conversation.recall:
            self.query_one("#recall", RecallBox).border_title = "Your reply (recall)"
        self._show_customer()
        if not self.conversation.recall:
            self.query_one("#choices", ChoiceList).focus()

    def on_resize(self, event: Resize) -> None:
        # Narrow: the meters (and the walk-out warning) take the whole row; the name is
        # on the customer's line anyway.
        self.set_class(event.size.width < _NARROW, "-narrow")
        self.call_after_refresh(self._fit)

    # ----------------------------------------------------------------- turns

    def _set_meters(self, turn: Turn | None) -> None:
        mood = self.conversation.session.mood
        anger = self.query_one("#anger", MoodMeter)
        trust = self.query_one("#trust", MoodMeter)
        anger.value, trust.value = mood.anger, mood.trust
        anger.warning = (
            None if self.conversation.session.finished else self.walkout.warning(mood.anger)
        )
        if turn is not None:
            anger.change = turn.after.mood.anger - turn.before.mood.anger
            trust.change = turn.after.mood.trust - turn.before.mood.trust

    def _show_customer(self) -> None:
        """The customer's next line and the responses on offer (or the ending)."""
        session = self.conversation.session
        if session.finished:
            self._show_ending()
            return
        line = session.line
        self.query_one("#phase", PhaseBar).phase = line.phase
        if line.cue:
            self.query_one("#transcript", Transcript).add_cue(line.cue)
        self.query_one("#line", CurrentLine).show(session.loaded.scenario.customer.name, line.say)
        self.query_one("#choices", ChoiceList).show(session.choices())
        if self.conversation.recall:
            self._recall_begin()
        self.call_after_refresh(self._fit)

    def _show_ending(self) -> None:
        result = self.conversation.result
        session = self.conversation.session
        name = clean(session.loaded.scenario.customer.name)
        current = self.query_one("#line", CurrentLine)
        if result is not None and result.ending_say:
            current.show(name, result.ending_say)
        else:
            current.display = False
        walked_out = result is not None and result.status == "walked_out"
        if walked_out:
            message = f"✖ {name} walked out. The conversation is over."
        else:
            outcome = result.outcome if result else "over"
            message = f"The conversation is over: {words(outcome or 'over')}."
        self.set_class(True, "-over")
        self.set_class(walked_out, "-walked-out")
        self.query_one("#ended-text", Static).update(Content(message))
        self.query_one("#to-debrief", Button).focus()
        self.refresh_bindings()
        self.call_after_refresh(self._fit)

    def _fit(self) -> None:
        """Measure the stage and apply `tui.fit`: line and lesson whole, responses after."""
        stage = self.query_one("#stage", Vertical)
        height, width = stage.size.height, stage.size.width
        if not height or not width:
            return
        choices = self.query_one("#choices", ChoiceList)
        line = self.query_one("#line", CurrentLine)
        coach = self.query("#coach").first(CoachPanel) if self.conversation.coaching else None
        playing = not self.conversation.session.finished
        wanted = 2 + choices.get_content_height(
            Size(width, height), Size(width, height), max(1, width - 4)
        )
        needed = rows(line, width) if line.display else 0
        recall = self.conversation.recall and playing
        if recall:
            # The reply box is the trainee's turn: whole, like the line. It never waits
            # behind Enter (that would take the keys from it), and while it is empty
            # the list is hidden and wants no rows.
            needed += rows(self.query_one("#recall", RecallBox), width)
            if self.has_class("-recalling"):
                wanted = 0
        plan = fit(
            height,
            needed,
            coach.rows_needed(width, fold=coach.is_folded) if coach is not None else 0,
            wanted,
            lesson_open=coach is not None
            and not coach.is_folded
            and self.last is not None
            and not recall,
            playing=playing,
        )
        self._set_waiting(plan.waiting)
        if coach is not None:
            coach.styles.max_height = plan.coach_max
        choices.styles.max_height = plan.choices_max
        transcript = self.query_one("#transcript", Transcript)
        transcript.display = plan.history
        self.call_after_refresh(transcript.scroll_end, animate=False)

    def _set_waiting(self, waiting: bool) -> None:
        if waiting == self.waiting:
            return
        self.waiting = waiting
        self.set_class(waiting, "-waiting")
        focus = "#reveal" if waiting else "#choices"
        if not self.conversation.session.finished:
            self.query_one(focus).focus()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Show only the keys that do something now (choices while playing, debrief after)."""
        over = self.conversation.session.finished
        if action == "choose":
            return not over and not self.has_class("-recalling")
        if action == "reveal":
            return not over and self.waiting
        if action == "hint":
            return not over and self.conversation.coaching
        if action == "reread":
            return self.conversation.coaching and self.last is not None
        if action == "details":
            return not over and self.conversation.coaching and self.last is not None
        if action == "debrief":
            return over
        return True

    def action_choose(self, number: int) -> None:
        if self.waiting:
            self.action_reveal()  # never answer with a response the trainee has not seen
            return
        choice_id = self.query_one("#choices", ChoiceList).id_at(number)
        if choice_id is not None:
            self._choose(choice_id)

    @on(OptionList.OptionSelected, "#choices")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_id is not None:
            self._choose(event.option_id)

    def _choose(self, choice_id: str) -> None:
        if self.conversation.session.finished:
            return
        from simulator.engine.session import ChoiceError

        had_error = self.conversation.log_error is not None
        said = self.conversation.session.line
        try:
            turn = self.conversation.choose(choice_id, *self._recall_answer(choice_id))
        except ChoiceError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        if self.conversation.log_error and not had_error:
            self.notify(
                self.conversation.log_error,
                title="The score log could not be written",
                severity="warning",
                markup=False,
            )
        transcript = self.query_one("#transcript", Transcript)
        transcript.add_customer(self.conversation.loaded.scenario.customer.name, said.say)
        if turn.typed is not None:
            transcript.add_note(f"you typed: {turn.typed}")
        transcript.add_trainee(turn.say)
        self._set_meters(turn)
        self.last = turn_story(turn, self.conversation.loaded)
        if self.conversation.coaching:
            self.query_one("#coach", CoachPanel).show_turn(self.last)
        self._show_customer()
        self.refresh_bindings()  # c and d mean something from the first reply on

    @on(Button.Pressed, "#reveal")
    def action_reveal(self) -> None:
        """Open the responses; the lesson folds to one line to make room."""
        if self.conversation.coaching:
            self.query_one("#coach", CoachPanel).is_folded = True
        self._set_waiting(False)
        self.call_after_refresh(self._fit)

    def action_reread(self) -> None:
        if self.last is None or not self.conversation.coaching:
            return
        self.query_one("#coach", CoachPanel).show_turn(self.last)
        self.call_after_refresh(self._fit)

    def action_details(self) -> None:
        from simulator.tui.screens.details import DetailsScreen

        if self.last is not None:
            self.app.push_screen(DetailsScreen(self.last))

    # ------------------------------------------------------------ recall

    def _recall_begin(self) -> None:
        """A new turn in recall mode: an empty reply box, the options hidden."""
        from simulator.matching.turn import RecallTurn

        self.recall_turn = RecallTurn(self.conversation.session.choices(), self.game.catalog)
        self.set_class(True, "-recalling")
        self.query_one("#recall", RecallBox).start()
        self.refresh_bindings()

    def _recall_answer(self, choice_id: str) -> tuple[str | None, dict[str, object] | None]:
        if self.recall_turn is None:
            return None, None
        answer = self.recall_turn.answer(choice_id)
        return answer.typed, answer.match

    @on(RecallBox.Typed)
    def _recall_typed(self, event: RecallBox.Typed) -> None:
        if self.recall_turn is None:
            return
        match = self.recall_turn.type(event.text)
        box = self.query_one("#recall", RecallBox)
        if match.choice is None:
            box.show_refusal()
        else:
            box.show_match(match, self.recall_turn)
        self.set_class(False, "-recalling")  # the list appears: 1-9 pick from it
        if self.conversation.coaching:  # as when the responses open: the lesson folds
            self.query_one("#coach", CoachPanel).is_folded = True
        self.refresh_bindings()
        self.call_after_refresh(self._fit)  # the box grew and the list appeared

    @on(RecallBox.Confirmed)
    def _recall_confirmed(self, event: RecallBox.Confirmed) -> None:
        self._choose(event.choice)

    def action_hint(self) -> None:
        option = self.conversation.hint()
        if option is None or not self.conversation.coaching:
            return
        from simulator.engine.story import hint_lines

        needs = "\n".join(f"• {line}" for line in hint_lines(option.techniques, self.game.catalog))
        self.query_one("#coach", CoachPanel).show_hint(f"what would help most now:\n{needs}")
        self.call_after_refresh(self._fit)

    # ------------------------------------------------------------- leaving

    def action_leave(self) -> None:
        run = self.conversation
        if run.result is not None and run.restarted and not self.debriefed:
            self.action_debrief()  # a second attempt is for comparing: show how it went
            return
        if run.over:
            self.dismiss()
            return

        def answered(leave: bool | None) -> None:
            if leave:
                self.conversation.abandon()
                self.dismiss()

        self.app.push_screen(
            ConfirmScreen(
                "Leave this conversation? It will be logged as abandoned.",
                yes="Leave",
                no="Keep playing",
            ),
            answered,
        )

    @on(Button.Pressed, "#to-debrief")
    def action_debrief(self) -> None:
        if self.conversation.result is not None:
            self.debriefed = True
            screen = DebriefScreen.of_run(self.conversation, self.game)
            self.app.push_screen(screen, self._after_debrief)

    def _after_debrief(self, action: DebriefAction | None) -> None:
        run = self.conversation
        if action == "retry":
            self._replace_with(lambda: self.game.retry(run))
        elif isinstance(action, int):
            self._replace_with(lambda: self.game.branch(run, action))
        elif action == "back":
            self.dismiss()

    def _replace_with(self, begin: Callable[[], Run]) -> None:
        """Hand the new run to the app, which opens every play screen the same way."""
        self.post_message(self.Restart(begin))
