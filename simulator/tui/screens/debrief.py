"""Debrief: how it went, why, and what would have gone better — then try again.

A modal that dismisses with what the trainee wants next: "retry" (the scenario from
the top), a turn number (the road not taken: back to just before that turn), or
"back" (home). The play screen that pushed it turns that answer into a new run.
The reflection line is saved with the session when submitted, or on the way out.
"""

from __future__ import annotations

from typing import ClassVar, Literal, TypeAlias

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.events import Resize
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Static

from simulator.tui.game import Game, Run
from simulator.tui.safe import clean, words
from simulator.tui.screens.transcript import TranscriptScreen
from simulator.tui.widgets.mood_chart import MoodChart
from simulator.tui.widgets.recall_review import RecallReview
from simulator.tui.widgets.scorecard import Scorecard
from simulator.tui.widgets.turn_review import TurnReview

DebriefAction: TypeAlias = Literal["retry", "back"] | int
_NARROW = 100


class DebriefScreen(ModalScreen[DebriefAction]):
    """Outcome, score, chart, principles, turn-by-turn review and reflection."""

    CSS_PATH = "debrief.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "retry", "Retry"),
        Binding("t", "transcript", "Transcript"),
        Binding("escape", "back", "Back"),
        Binding("question_mark", "app.help", "Help", key_display="?"),
    ]

    def __init__(self, run: Run, game: Game) -> None:
        super().__init__()
        self.conversation = run
        self.game = game
        assert run.result is not None, "a debrief needs a finished session"
        self.result = run.result

    def compose(self) -> ComposeResult:
        result = self.result
        s = self.conversation.loaded.scenario
        outcome = words(result.outcome or "abandoned")
        headline = (
            f"{outcome.upper()} · score {result.score.score}/100 · grade {result.score.grade}"
        )
        if result.status == "walked_out":
            headline = f"{clean(s.customer.name)} WALKED OUT · " + headline
        yield Static(
            Content.assemble(("Debrief  ", "bold"), (clean(s.title), "italic")), id="title"
        )
        with VerticalScroll(id="body"):
            yield Static(Content(headline), id="headline", classes=f"-{result.outcome}")
            yield Static(
                Content(
                    f"choice quality {result.score.quality} · mood {result.score.mood} · "
                    f"outcome {result.score.outcome_points} · {len(result.turns)} turns"
                ),
                id="parts",
            )
            if result.ending_say:
                yield Static(
                    Content.assemble(
                        (f"{clean(s.customer.name)}: ", "bold"), clean(result.ending_say)
                    ),
                    id="ending-say",
                )
            if result.debrief:
                yield Static(Content(clean(result.debrief)), id="ending-debrief")
            with Horizontal(id="charts"):
                with Vertical(id="chart-box"):
                    yield Static(Content("Mood over the conversation"), classes="heading")
                    yield MoodChart(id="chart")
                with Vertical(id="score-box"):
                    yield Static(Content("Principles (weakest first)"), classes="heading")
                    yield Scorecard(id="scorecard")
            if any(turn.typed is not None for turn in result.turns):
                yield RecallReview(result.turns, self.conversation.say_of, id="recall-review")
            yield Static(Content("Turn by turn"), classes="heading")
            for turn in result.turns:
                yield TurnReview(
                    turn,
                    self.conversation.say_of(turn.node, turn.choice),
                    self.conversation.say_of(turn.node, turn.best.choice),
                )
            yield Static(Content("Reflection"), classes="heading")
            yield Input(
                value=self.conversation.reflection or "",
                placeholder="One line: what will you do differently next time? (Enter saves)",
                max_length=300,
                id="reflection",
            )
        with Horizontal(id="actions"):
            yield Button(Content("Retry (r)"), variant="primary", id="retry", compact=True)
            yield Button(Content("Review transcript (t)"), id="transcript", compact=True)
            yield Button(Content("Back (esc)"), id="back", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        result = self.result
        self.query_one("#chart", MoodChart).show(
            result.start, [turn.after.mood for turn in result.turns]
        )
        titles = {fid: family.title for fid, family in self.game.catalog.families.items()}
        self.query_one("#scorecard", Scorecard).show(result.score.principles, titles)
        self.query_one("#body").focus()  # arrows and PageDown read on; r, t, esc act

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width < _NARROW, "-narrow")

    # -------------------------------------------------------------- actions

    def _save_reflection(self) -> None:
        text = clean(self.query_one("#reflection", Input).value)
        if text and text != self.conversation.reflection:
            self.conversation.reflect(text)
            self.notify("Reflection saved with this session.", markup=False)

    @on(Input.Submitted, "#reflection")
    def _reflection_submitted(self) -> None:
        self._save_reflection()
        self.query_one("#retry", Button).focus()

    @on(Button.Pressed, "#retry")
    def action_retry(self) -> None:
        self._save_reflection()
        self.dismiss("retry")

    @on(Button.Pressed, "#back")
    def action_back(self) -> None:
        self._save_reflection()
        self.dismiss("back")

    @on(Button.Pressed, "#transcript")
    def action_transcript(self) -> None:
        self.app.push_screen(TranscriptScreen(self.conversation))

    @on(TurnReview.RetryFrom)
    def _retry_from(self, event: TurnReview.RetryFrom) -> None:
        self._save_reflection()
        self.dismiss(event.turn_number)
