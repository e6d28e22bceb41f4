"""The help screen on `?`: how to play, read from `help.md` so it can be edited as text."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Markdown

HELP_FILE = Path(__file__).with_name("help.md")


class HelpScreen(ModalScreen[None]):
    """Keys, modes and what the meters mean."""

    CSS_PATH = "help.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q,question_mark", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body"):
            yield Markdown(HELP_FILE.read_text(encoding="utf-8"))
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#help-body").focus()
