"""The whole conversation as it happened, from the debrief's "Review transcript"."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from simulator.tui.game import Run
from simulator.tui.safe import clean
from simulator.tui.widgets.transcript import Transcript


class TranscriptScreen(Screen[None]):
    """Every line the customer and the trainee said, in order."""

    CSS_PATH = "transcript.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q", "app.pop_screen", "Back")]

    def __init__(self, run: Run) -> None:
        super().__init__()
        self.conversation = run

    def compose(self) -> ComposeResult:
        title = clean(self.conversation.loaded.scenario.title)
        yield Static(Content.assemble(("Transcript  ", "bold"), (title, "italic")), id="title")
        yield Transcript(id="transcript")
        yield Footer()

    def on_mount(self) -> None:
        session = self.conversation.session
        transcript = self.query_one("#transcript", Transcript)
        transcript.replay(session.loaded, session.turns, ending=session.finished)
        transcript.focus()
