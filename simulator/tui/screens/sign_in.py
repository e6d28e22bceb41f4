"""Sign-in: the trainee's name, asked once and remembered in the per-user config.

The name goes into every score log, so it is cleaned (no control characters, one
line, bounded) before it is used or saved; it is always shown as literal text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Input, Static

from simulator.settings import NAME_MAX, clean_name
from simulator.tui.widgets.bounded_input import BoundedInput


@dataclass
class SignedIn(Message):
    """The trainee typed a usable name (posted by `SignInScreen`)."""

    name: str


class SignInScreen(Screen[None]):
    """Ask for the trainee's name; posts `SignedIn` with the cleaned name."""

    CSS_PATH = "sign_in.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Back", show=False)]

    SignedIn = SignedIn

    def __init__(self, current: str | None = None, *, can_cancel: bool = False) -> None:
        super().__init__()
        self.current = current
        self.can_cancel = can_cancel

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="sign-in"):
            yield Static(Content("Welcome to the difficult-customers trainer."), id="welcome")
            yield Static(
                Content("What should we call you? Your name goes on your score log."),
                id="prompt",
            )
            yield BoundedInput(
                value=self.current or "",
                placeholder="Your name",
                max_length=NAME_MAX,
                id="name",
            )
            yield Static("", id="error")
            yield Button(Content("Continue"), variant="primary", id="continue")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#name", Input).focus()

    @on(Input.Submitted, "#name")
    @on(Button.Pressed, "#continue")
    def _submit(self) -> None:
        name = clean_name(self.query_one("#name", Input).value)
        if name is None:
            self.query_one("#error", Static).update(Content("Please type a name."))
            return
        self.post_message(self.SignedIn(name))

    def action_cancel(self) -> None:
        if self.can_cancel:
            self.dismiss(None)
