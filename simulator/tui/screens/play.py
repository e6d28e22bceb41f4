"""Play: the customer talks, the trainee answers, the meters and the coach react.

The screen only renders and forwards: the choice goes to `Run.choose` (engine and
log), and what comes back (the new mood, the engine's reasons, the next line) is
assigned to widgets. Nothing here computes a mood.
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
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Footer, OptionList, Static

from simulator.tui.game import Game, Run
from simulator.tui.safe import clean
from simulator.tui.screens.confirm import ConfirmScreen
from simulator.tui.screens.debrief import DebriefAction, DebriefScreen
from simulator.tui.widgets.choice_list import ChoiceList
from simulator.tui.widgets.coach_panel import CoachPanel
from simulator.tui.widgets.customer_card import CustomerCard
from simulator.tui.widgets.mood_meter import MoodMeter
from simulator.tui.widgets.phase_bar import PhaseBar
from simulator.tui.widgets.recall_box import RecallBox
from simulator.tui.widgets.transcript import Transcript

if TYPE_CHECKING:
    from simulator.engine.state import Turn
    from simulator.matching.turn import RecallTurn


class PlayScreen(Screen[None]):
    """One conversation, from its first line (or a rewound turn) to its ending."""

    CSS_PATH = "play.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "choose(1)", "Choose", key_display="1-9"),
        *(Binding(str(n), f"choose({n})", show=False) for n in range(2, 10)),
        Binding("h", "hint", "Hint"),
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

    # ----------------------------------------------------------------- layout

    def compose(self) -> ComposeResult:
        s = self.conversation.loaded.scenario
        persona = self.game.catalog.personas.get(s.customer.persona or "")
        mode = "practice" if self.conversation.coaching else "assessment"
        if self.conversation.branch_turn is not None:
            mode = f"practice · retrying from turn {self.conversation.branch_turn}"
        yield Static(
            Content.assemble((clean(s.title), "bold"), (f"  ·  {mode}", "dim")), id="title"
        )
        with Horizontal(id="top"):
            yield CustomerCard(
                s.customer.name, s.customer.role, persona.id if persona else None, id="card"
            )
            with Vertical(id="meters"):
                yield MoodMeter("anger", id="anger")
                yield MoodMeter("trust", id="trust")
                yield PhaseBar(id="phase")
        with Horizontal(id="middle"):
            yield Transcript(id="transcript")
            if self.conversation.coaching:
                yield CoachPanel(id="coach")
        if self.conversation.recall:
            yield RecallBox(id="recall")
        yield ChoiceList(id="choices")
        with Horizontal(id="ended"):
            yield Static(id="ended-text")
            yield Button(Content("See debrief (d)"), variant="primary", id="to-debrief")
        yield Footer()

    def on_mount(self) -> None:
        session = self.conversation.session
        for kind in ("anger", "trust"):
            meter = self.query_one(f"#{kind}", MoodMeter)
            meter.numbers = self.conversation.coaching
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

    # ----------------------------------------------------------------- turns

    def _set_meters(self, turn: Turn | None) -> None:
        mood = self.conversation.session.mood
        anger = self.query_one("#anger", MoodMeter)
        trust = self.query_one("#trust", MoodMeter)
        anger.value, trust.value = mood.anger, mood.trust
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
        self.query_one("#transcript", Transcript).add_customer(
            session.loaded.scenario.customer.name, line.say, line.cue
        )
        self.query_one("#choices", ChoiceList).show(session.choices())
        if self.conversation.recall:
            self._recall_begin()

    def _show_ending(self) -> None:
        result = self.conversation.result
        session = self.conversation.session
        name = clean(session.loaded.scenario.customer.name)
        transcript = self.query_one("#transcript", Transcript)
        if result is not None and result.ending_say:
            transcript.add_customer(name, result.ending_say)
        walked_out = result is not None and result.status == "walked_out"
        if walked_out:
            message = f"✖ {name} walked out. The conversation is over."
            transcript.add_note(message, "-walkout")
        else:
            outcome = result.outcome if result else "over"
            message = f"The conversation is over: {(outcome or 'over').replace('_', ' ')}."
            transcript.add_note(message)
        self.set_class(True, "-over")
        self.set_class(walked_out, "-walked-out")
        ended = self.query_one("#ended-text", Static)
        ended.update(Content(message))
        self.query_one("#to-debrief", Button).focus()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Show only the keys that do something now (choices while playing, debrief after)."""
        over = self.conversation.session.finished
        if action == "choose":
            return not over and not self.has_class("-recalling")
        if action == "hint":
            return not over and self.conversation.coaching
        if action == "debrief":
            return over
        return True

    def action_choose(self, number: int) -> None:
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
        if turn.typed is not None:
            self.query_one("#transcript", Transcript).add_note(f"you typed: {turn.typed}")
        self.query_one("#transcript", Transcript).add_trainee(turn.say)
        self._set_meters(turn)
        if self.conversation.coaching:
            best = self.conversation.say_of(turn.node, turn.best.choice)
            self.query_one("#coach", CoachPanel).show_turn(turn, best)
        self._show_customer()

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
        self.refresh_bindings()
        transcript = self.query_one("#transcript", Transcript)
        self.call_after_refresh(transcript.scroll_end, animate=False)  # keep her last line

    @on(RecallBox.Confirmed)
    def _recall_confirmed(self, event: RecallBox.Confirmed) -> None:
        self._choose(event.choice)

    def action_hint(self) -> None:
        option = self.conversation.hint()
        if option is None or not self.conversation.coaching:
            return
        families = self.game.catalog.families
        seen: list[str] = []
        for technique in option.techniques:
            family = self.game.catalog.techniques[technique].family
            if family not in seen:
                seen.append(family)
        needs = "\n".join(f"• {families[f].title}: {families[f].description}" for f in seen)
        self.query_one("#coach", CoachPanel).show_hint(f"what would help most now:\n{needs}")

    # ------------------------------------------------------------- leaving

    def action_leave(self) -> None:
        if self.conversation.over:
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
            self.app.push_screen(DebriefScreen(self.conversation, self.game), self._after_debrief)

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
