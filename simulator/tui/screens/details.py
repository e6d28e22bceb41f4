"""`d` on the play screen: how the rules added up on the last turn, then back to play."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from simulator.engine.story import TurnStory, change_words
from simulator.tui.safe import clean
from simulator.tui.widgets.reasons import arithmetic


class DetailsScreen(ModalScreen[None]):
    """The last turn's effects, each with its rule and source, and their sum."""

    CSS_PATH = "details.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,d,q", "dismiss", "Back")]

    def __init__(self, turn: TurnStory) -> None:
        super().__init__()
        self.turn = turn

    def compose(self) -> ComposeResult:
        turn = self.turn
        with VerticalScroll(id="details-body"):
            yield Static(
                Content.assemble(
                    (f"Turn {turn.number}: how the rules added up\n", "bold"),
                    ("You said: ", "bold"),
                    f"“{clean(turn.said)}”\n",
                    change_words(turn.before, turn.after),
                ),
                id="details-head",
            )
            yield Static(arithmetic(turn.effects), id="details-text")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#details-body").focus()
