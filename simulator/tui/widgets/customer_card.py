"""Who the trainee is talking to: name, persona and role, fixed for the conversation.

All of it is author-written, so it is rendered as literal content. It is kept to
three lines so the transcript keeps its room at 80×24: the persona's description
opens the transcript once, and each stage cue sits beside the line it belongs to,
where long text can be read in full.
"""

from __future__ import annotations

from textual.content import Content
from textual.widget import Widget

from simulator.tui.safe import clean, words


class CustomerCard(Widget):
    """The customer's name and persona in a word, then their role."""

    def __init__(self, name: str, role: str, persona: str | None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.customer_name = clean(name)
        self.role = clean(role)
        self.persona = words(clean(persona)) if persona else ""

    def render(self) -> Content:
        parts: list[str | tuple[str, str]] = [(self.customer_name, "bold")]
        if self.persona:
            parts += [(" · ", "dim"), (self.persona, "italic")]
        parts += ["\n", (self.role, "dim")]
        return Content.assemble(*parts)
