"""The reflection box: clearly labelled, opened by its own key, deaf to shortcuts.

While it has focus every printable key is text: `Input` stops printable keys before
any binding sees them, so typing "I rushed" can never press `r` (retry) or `t`. The
box is not focused on arrival; `w` on the debrief focuses it, and Escape leaves it
(the text stays, unsaved until Enter or the question on the way out).
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType

from simulator.tui.widgets.bounded_input import BoundedInput

MAX_REFLECTION = 500


class ReflectionBox(BoundedInput):
    """One line of reflection; Enter saves, Escape goes back to reading."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "leave_box", "Stop writing", show=True),
    ]

    def __init__(self, value: str, *, id: str | None = None) -> None:
        super().__init__(
            value=value,
            placeholder="What will you do differently next time? (Enter saves)",
            max_length=MAX_REFLECTION,
            id=id,
        )

    def action_leave_box(self) -> None:
        self.screen.query_one("#body").focus()
