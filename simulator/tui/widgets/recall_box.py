"""Recall mode's reply box: the trainee types first, then sees what it was understood as.

Three states, each a CSS class on the box: `-typing` (an empty box, the options hidden),
`-matched` (the closest move and the runner-up; Enter confirms, 1–9 picks another, e
rephrases) and `-refused` (nothing fitted; the options appear to pick from, e
rephrases). The box only shows and posts messages: matching happens in
`simulator.matching` and playing in the play screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, Static

from simulator.matching.turn import REFUSED
from simulator.tui.safe import clean
from simulator.tui.widgets.bounded_input import BoundedInput

if TYPE_CHECKING:
    from simulator.matching import Match
    from simulator.matching.turn import RecallTurn

REPLY_MAX = 500
"""Characters the reply box takes: a long answer, never a pasted document."""


class RecallBox(Vertical, can_focus=True):
    """Type a reply; Enter; confirm the move it matched, or pick or rephrase."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "confirm", "Confirm"),
        Binding("e", "rephrase", "Rephrase"),
    ]

    @dataclass
    class Typed(Message):
        """The trainee pressed Enter on a reply."""

        text: str

    @dataclass
    class Confirmed(Message):
        """The trainee accepted the move their reply was matched to."""

        choice: str

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="-typing")
        self.proposed: str | None = None

    def compose(self) -> ComposeResult:
        yield BoundedInput(
            placeholder="Type what you would say, then Enter",
            max_length=REPLY_MAX,
            id="reply",
        )
        yield Static(id="recall-result")

    @property
    def state(self) -> str:
        for name in ("typing", "matched", "refused"):
            if self.has_class(f"-{name}"):
                return name
        return "typing"

    def _set_state(self, name: str) -> None:
        for other in ("typing", "matched", "refused"):
            self.set_class(other == name, f"-{other}")
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer Enter-to-confirm only while there is a match to confirm."""
        if action == "confirm":
            return self.state == "matched"
        return True

    def start(self) -> None:
        """A new turn: an empty box with the cursor in it."""
        self.proposed = None
        self._set_state("typing")
        reply = self.query_one("#reply", Input)
        reply.value = ""
        self.query_one("#recall-result", Static).update(Content(""))
        reply.focus()

    def show_match(self, match: Match, turn: RecallTurn) -> None:
        """The closest move's wording and the runner-up's, numbered as in the list."""
        best, second = match.best, match.runner_up
        assert best is not None and match.choice is not None
        self.proposed = match.choice
        parts: list[str | tuple[str, str]] = [
            ("Closest move: ", "bold"),
            f"{turn.number_of(best.choice)}. {clean(self._say(turn, best.choice))}",
        ]
        if second is not None:
            parts += [
                "\n",
                ("Runner-up: ", "bold"),
                f"{turn.number_of(second.choice)}. {clean(self._say(turn, second.choice))}",
            ]
        parts += ["\n", ("Enter confirms · 1–9 picks another · e rephrases", "dim italic")]
        self.query_one("#recall-result", Static).update(Content.assemble(*parts))
        self._set_state("matched")
        self.focus()

    def show_refusal(self) -> None:
        self.proposed = None
        self.query_one("#recall-result", Static).update(
            Content.assemble(
                (REFUSED, "bold"), "\n", ("1–9 picks from the list · e rephrases", "dim italic")
            )
        )
        self._set_state("refused")
        self.focus()

    @staticmethod
    def _say(turn: RecallTurn, choice_id: str) -> str:
        choice = turn.at(turn.number_of(choice_id))
        return choice.say if choice is not None else choice_id

    @on(Input.Submitted, "#reply")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.value.strip():
            self.post_message(self.Typed(event.value))

    def action_confirm(self) -> None:
        if self.state == "matched" and self.proposed is not None:
            self.post_message(self.Confirmed(self.proposed))

    def action_rephrase(self) -> None:
        reply = self.query_one("#reply", Input)
        reply.focus()
        reply.action_select_all()
