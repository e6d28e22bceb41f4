"""The debrief's recall section: per turn, what you typed, what it matched, the best move.

Shown only for sessions played in recall mode. The recall score counts the turns whose
first typed reply already matched the best move, before any option was on screen
(`simulator.matching.recall`, the same count plain play and the reports use).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from simulator.matching.recall import recall_score, recalled
from simulator.tui.safe import clean

if TYPE_CHECKING:
    from simulator.engine.state import Turn

SayOf = Callable[[str, str], str]


class RecallReview(Vertical):
    """The recall score and one short block per typed turn."""

    def __init__(self, turns: Sequence[Turn], say_of: SayOf, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.turns = [turn for turn in turns if turn.typed is not None]
        self.say_of = say_of

    def compose(self) -> ComposeResult:
        score = recall_score(turn.to_json() for turn in self.turns)
        yield Static(
            Content(
                f"Your own words · recall {score.percent}%: {score.recalled} of {score.typed} "
                "replies named the best move before you saw the options"
            ),
            classes="heading",
        )
        for turn in self.turns:
            yield Static(self._block(turn), classes="recall-turn")

    def _block(self, turn: Turn) -> Content:
        data = turn.to_json()
        understood = (turn.match or {}).get("choice")
        matched = (
            clean(self.say_of(turn.node, str(understood)))
            if isinstance(understood, str)
            else "nothing on offer (you picked from the list)"
        )
        parts: list[str | tuple[str, str]] = [
            (f"Turn {turn.number} · you typed: ", "bold"),
            f"“{clean(turn.typed)}”",
            "\n",
            ("  matched: ", "bold"),
            matched,
        ]
        if recalled(data):
            parts += ["\n", ("  ✓ that is the best move here", "italic")]
        else:
            parts += [
                "\n",
                ("  best move: ", "bold"),
                clean(self.say_of(turn.node, turn.best.choice)),
            ]
        return Content.assemble(*parts)
