"""Practice or assessment, shown as a marked choice that reads without colour.

`◉` marks the chosen mode and `○` the other, so the switch is legible in NO_COLOR
and monochrome themes; `m` (bound on the home screen) or a click toggles it.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.content import Content
from textual.events import Click
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from simulator.tui.game import Mode

_LABELS: dict[Mode, str] = {
    "practice": "practice (coached)",
    "assessment": "assessment (no help)",
}


class ModeSwitch(Widget):
    """The session mode for the next scenario started."""

    mode: reactive[Mode] = reactive[Mode]("practice")

    @dataclass
    class Changed(Message):
        """The trainee switched mode."""

        switch: ModeSwitch
        mode: Mode

        @property
        def control(self) -> ModeSwitch:
            return self.switch

    def __init__(self, mode: Mode, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.set_reactive(ModeSwitch.mode, mode)

    def render(self) -> Content:
        parts: list[str | tuple[str, str]] = [("Mode: ", "bold")]
        for mode, label in _LABELS.items():
            if mode == self.mode:
                parts += [(f"◉ {label}", "bold $accent"), "   "]
            else:
                parts += [(f"○ {label}", "dim"), "   "]
        parts.append(("m to switch", "dim italic"))
        return Content.assemble(*parts)

    def toggle(self) -> None:
        self.mode = "assessment" if self.mode == "practice" else "practice"

    def watch_mode(self, mode: Mode) -> None:
        self.post_message(self.Changed(self, mode))

    def on_click(self, event: Click) -> None:
        self.toggle()
