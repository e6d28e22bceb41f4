"""One turn of the turn-by-turn review: what they said, your reply, the lesson, the why.

It reads like the play screen did: the customer's line, what you said, the coach's
sentence, the verdict or the better reply's words, the net change, and then the rule
arithmetic that adds up to it. A live debrief adds "Retry from here", which posts
`RetryFrom` with the turn number; a past session from the history has no button.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, Static

from simulator.engine.story import TurnStory
from simulator.tui.safe import clean
from simulator.tui.widgets.coach_panel import lesson
from simulator.tui.widgets.reasons import arithmetic


class TurnReview(Vertical):
    """The review of one turn."""

    @dataclass
    class RetryFrom(Message):
        """Go back to the state before this turn and choose again."""

        turn_number: int

    def __init__(self, turn: TurnStory, customer: str, *, can_retry: bool) -> None:
        super().__init__(classes="turn-review")
        self.turn = turn
        self.customer = customer
        self.can_retry = can_retry

    def compose(self) -> ComposeResult:
        turn = self.turn
        parts: list[str | tuple[str, str] | Content] = [
            (f"Turn {turn.number}\n", "bold underline"),
        ]
        if turn.customer_line:
            parts += [(f"{clean(self.customer)}: ", "bold"), clean(turn.customer_line), "\n"]
        parts += [("You: ", "bold"), f"“{clean(turn.said)}”"]
        yield Static(Content.assemble(*parts), classes="turn-text")
        yield Static(lesson(turn, details_key=False), classes="turn-lesson")
        yield Static(arithmetic(turn.effects), classes="turn-why")
        if self.can_retry:
            yield Button(
                Content(f"Retry from turn {turn.number}"),
                id=f"retry-{turn.number}",
                classes="retry",
                compact=True,
            )

    @on(Button.Pressed, ".retry")
    def _retry(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.RetryFrom(self.turn.number))
