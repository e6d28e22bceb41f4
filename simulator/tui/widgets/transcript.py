"""The conversation so far, customer and trainee lines told apart without colour.

Customer lines start with the customer's name, the trainee's with "You" and an
indent; stage cues are in parentheses. Colour only adds to that, so the transcript
reads the same with NO_COLOR or in a monochrome theme. On the play screen it holds
the conversation so far; the customer's current line sits below it in `CurrentLine`,
so a small terminal can shrink the history without ever cutting the line to answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from simulator.tui.safe import clean

if TYPE_CHECKING:
    from simulator.engine.state import Turn
    from simulator.scenario.loader import LoadedScenario


class Transcript(VerticalScroll, can_focus=True):
    """A scrolling list of lines; new lines scroll into view."""

    def add_customer(self, name: str, say: str, cue: str | None = None) -> None:
        if cue:
            self.add_cue(cue)
        self._add(Content.assemble((f"{clean(name)}: ", "bold"), clean(say)), "-customer")

    def add_cue(self, cue: str) -> None:
        """A stage direction: what the trainee notices before the customer speaks."""
        self._add(Content.assemble((f"({clean(cue)})", "italic dim")), "-cue")

    def add_trainee(self, say: str) -> None:
        self._add(Content.assemble(("You: ", "bold"), clean(say)), "-trainee")

    def add_note(self, text: str, classes: str = "-note") -> None:
        """A line from the game itself (an ending, a branch marker), not from a person."""
        self._add(Content.assemble(("— ", "dim"), clean(text), (" —", "dim")), classes)

    def _add(self, content: Content, classes: str) -> None:
        self.mount(Static(content, classes=f"line {classes}"))
        self.call_after_refresh(self.scroll_end, animate=False)

    def replay(self, loaded: LoadedScenario, turns: Sequence[Turn], *, ending: bool) -> None:
        """Rebuild the whole conversation from its turns (what the customer said each time)."""
        s = loaded.scenario
        for turn in turns:
            node = s.nodes.get(turn.node)
            if node is not None:
                self.add_customer(s.customer.name, node.say, node.cue)
            self.add_trainee(turn.say)
        if ending and turns:
            last = turns[-1].after.node
            end = s.endings.get(last)
            if end is not None and end.say:
                self.add_customer(s.customer.name, end.say)
