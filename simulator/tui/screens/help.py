"""The help screen on `?`: how to play, read from `help.md` so it can be edited as text.

Opened during a conversation it first states that conversation's walk-out rule
(`engine.walkout`), so "at 100" is never promised to a customer who hangs up at 70.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, Markdown, Static

HELP_FILE = Path(__file__).with_name("help.md")


class HelpScreen(ModalScreen[None]):
    """Keys, modes and what the meters mean."""

    CSS_PATH = "help.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q,question_mark", "dismiss", "Close")]

    def __init__(self, here: str | None = None) -> None:
        super().__init__()
        self.here = here
        """A sentence about the conversation in progress (its walk-out rule), or None."""

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body"):
            if self.here:
                yield Static(Content.assemble(("In this conversation: ", "bold"), self.here))
            yield Markdown(HELP_FILE.read_text(encoding="utf-8"))
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#help-body").focus()
