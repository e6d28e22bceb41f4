"""Who the trainee is talking to: name, role and persona, fixed for the conversation.

All of it is author-written, so it is rendered as literal content. The stage cue
of each turn goes into the transcript beside the line it belongs to, where a long
cue can be read in full even at 80×24.
"""

from __future__ import annotations

from textual.content import Content
from textual.widget import Widget

from simulator.tui.safe import clean


class CustomerCard(Widget):
    """The customer's name and role, and their persona in a line."""

    def __init__(self, name: str, role: str, persona: str | None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.customer_name = clean(name)
        self.role = clean(role)
        self.persona = clean(persona) if persona else ""

    def render(self) -> Content:
        parts: list[str | tuple[str, str]] = [
            (self.customer_name, "bold"),
            (" · ", "dim"),
            self.role,
        ]
        if self.persona:
            parts += ["\n", (self.persona, "dim italic")]
        return Content.assemble(*parts)
