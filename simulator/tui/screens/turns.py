"""The whole conversation turn by turn: one key (`t`) from the debrief or the history.

Every turn as the play screen told it, plus the arithmetic behind it. From a live
debrief each turn can be retried ("the road not taken"): the screen dismisses with
that turn's number and the debrief hands it on; a past session only reads.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from simulator.engine.story import SessionStory
from simulator.tui.safe import clean
from simulator.tui.widgets.turn_review import TurnReview


class TurnsScreen(Screen[int | None]):
    """Each turn of one session; dismisses with a turn number to retry from, or None."""

    CSS_PATH = "turns.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q,t", "back", "Back")]

    def __init__(self, story: SessionStory, *, can_retry: bool) -> None:
        super().__init__()
        self.story = story
        self.can_retry = can_retry

    def compose(self) -> ComposeResult:
        yield Static(
            Content.assemble(("Turn by turn  ", "bold"), (clean(self.story.title), "italic")),
            id="title",
        )
        with VerticalScroll(id="turns"):
            for turn in self.story.turns:
                yield TurnReview(turn, self.story.customer, can_retry=self.can_retry)
            if self.story.ending_say:
                yield Static(
                    Content.assemble(
                        (f"{clean(self.story.customer)}: ", "bold"), clean(self.story.ending_say)
                    ),
                    id="ending-say",
                )
            if not self.story.turns:
                yield Static(Content("No turns were played."), id="no-turns")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#turns").focus()

    def action_back(self) -> None:
        self.dismiss(None)

    @on(TurnReview.RetryFrom)
    def _retry_from(self, event: TurnReview.RetryFrom) -> None:
        self.dismiss(event.turn_number)
