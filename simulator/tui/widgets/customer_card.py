"""Who the trainee is talking to: name, persona and role, fixed for the conversation.

All of it is author-written, so it is rendered as literal content. It is kept to two
lines (a long role is cut with "…"; home shows it in full) so the stage keeps its room
at 80×24 and 60×20: the persona's description opens the transcript once, and each
stage cue sits just above the line it belongs to.
"""

from __future__ import annotations

from textual.content import Content
from textual.widget import Widget

from simulator.tui.safe import clean, words


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(0, width - 1)].rstrip() + "…"


class CustomerCard(Widget):
    """The customer's name and persona in a word, then their role."""

    def __init__(self, name: str, role: str, persona: str | None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.customer_name = clean(name)
        self.role = clean(role)
        self.persona = words(clean(persona)) if persona else ""

    def render(self) -> Content:
        width = max(1, self.content_size.width or 40)
        parts: list[str | tuple[str, str]] = [(_cut(self.customer_name, width), "bold")]
        room = width - len(self.customer_name) - 3
        if self.persona and room >= len(self.persona):
            parts += [(" · ", "dim"), (self.persona, "italic")]
        parts += ["\n", (_cut(self.role, width), "dim")]
        return Content.assemble(*parts)
