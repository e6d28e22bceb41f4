"""Recall on or off, beside the mode switch: type your reply before seeing the options.

Marked with `◉`/`○` like the mode switch, so it reads without colour; `r` (bound on the
home screen) or a click toggles it. A scenario that requires recall overrides it.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.content import Content
from textual.events import Click
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget


class RecallSwitch(Widget):
    """The recall setting for the next scenario started."""

    on: reactive[bool] = reactive(False)

    @dataclass
    class Changed(Message):
        """The trainee switched recall on or off."""

        switch: RecallSwitch
        on: bool

        @property
        def control(self) -> RecallSwitch:
            return self.switch

    def __init__(self, on: bool, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.set_reactive(RecallSwitch.on, on)

    def render(self) -> Content:
        parts: list[str | tuple[str, str]] = [("Recall: ", "bold")]
        for value, label in ((False, "pick from options"), (True, "type your reply first")):
            if value == self.on:
                parts += [(f"◉ {label}", "bold $accent"), "   "]
            else:
                parts += [(f"○ {label}", "dim"), "   "]
        parts.append(("r to switch", "dim italic"))
        return Content.assemble(*parts)

    def toggle(self) -> None:
        self.on = not self.on

    def watch_on(self, on: bool) -> None:
        self.post_message(self.Changed(self, on))

    def on_click(self, event: Click) -> None:
        self.toggle()
