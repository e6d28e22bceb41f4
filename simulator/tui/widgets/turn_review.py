"""One turn of the debrief's review: your choice, what it did and why, the better one.

Each review carries a "Retry from here" button; pressing it posts `RetryFrom` with
the turn number, and the debrief turns that into the road not taken.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, Static

from simulator.tui.safe import clean
from simulator.tui.widgets.coach_panel import signed

if TYPE_CHECKING:
    from simulator.engine.state import Turn


class TurnReview(Vertical):
    """The review of one turn."""

    @dataclass
    class RetryFrom(Message):
        """Go back to the state before this turn and choose again."""

        turn_number: int

    def __init__(self, turn: Turn, chosen_say: str, best_say: str) -> None:
        super().__init__(classes="turn-review")
        self.turn = turn
        self.chosen_say = chosen_say
        self.best_say = best_say

    def compose(self) -> ComposeResult:
        turn = self.turn
        before, after = turn.before.mood, turn.after.mood
        parts: list[str | tuple[str, str]] = [
            (f"Turn {turn.number}", "bold"),
            (f" · move quality {round(turn.rating * 100)}%\n", "dim"),
            ("You said: ", "bold"),
            f"“{clean(self.chosen_say)}”\n",
            ("It did: ", "bold"),
            f"anger {before.anger} → {after.anger} ({signed(after.anger - before.anger)}), "
            f"trust {before.trust} → {after.trust} ({signed(after.trust - before.trust)})",
        ]
        for reason in turn.reasons:
            parts += ["\n  • ", clean(reason)]
        if turn.feedback:
            parts += ["\n", ("Coach: ", "bold"), clean(turn.feedback)]
        if turn.best.choice == turn.choice:
            parts += ["\n", ("✓ That was the best move on offer.", "bold")]
        else:
            parts += [
                "\n",
                ("Best on offer: ", "bold"),
                f"“{clean(self.best_say)}” would have left anger {turn.best.after.anger}, "
                f"trust {turn.best.after.trust}.",
            ]
        yield Static(Content.assemble(*parts), classes="turn-text")
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
