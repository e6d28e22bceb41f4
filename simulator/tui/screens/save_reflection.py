"""Asked when leaving a debrief with an unsaved reflection: save, discard, or stay."""

from __future__ import annotations

from typing import ClassVar, Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

Answer = Literal["save", "discard", "stay"]


class SaveReflectionScreen(ModalScreen[Answer]):
    """Three answers; Escape means stay, so nothing is lost by reflex."""

    CSS_PATH = "confirm.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "answer('save')", "Save"),
        Binding("x", "answer('discard')", "Discard"),
        Binding("escape", "answer('stay')", "Stay"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(
                Content("Your reflection is not saved yet. Save it with this session?"),
                id="question",
            )
            with Horizontal(id="buttons"):
                yield Button(Content("Save (s)"), variant="primary", id="save")
                yield Button(Content("Discard (x)"), variant="error", id="discard")
                yield Button(Content("Stay (esc)"), id="stay")

    def on_mount(self) -> None:
        self.query_one("#save", Button).focus()

    def action_answer(self, answer: Answer) -> None:
        self.dismiss(answer)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        answer = event.button.id
        if answer in ("save", "discard", "stay"):
            self.dismiss(answer)  # type: ignore[arg-type]
