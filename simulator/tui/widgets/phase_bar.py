"""Where the conversation stands in the four steps the seeds teach.

identify → understand → solve → follow up ("4 Tips for Dealing with Difficult
Customers"). The current step is marked with an arrow and capitals as well as a
style, so it reads the same without colour.
"""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

PHASES = ("identify", "understand", "solve", "follow_up")


class PhaseBar(Widget):
    """The four phases with the current one marked."""

    phase: reactive[str | None] = reactive(None)

    def render(self) -> Content:
        parts: list[str | tuple[str, str]] = []
        for index, phase in enumerate(PHASES):
            if index:
                parts.append((" › ", "dim"))
            name = phase.replace("_", " ")
            if phase == self.phase:
                parts.append((f"▶ {name.upper()}", "bold reverse"))
            else:
                parts.append((name, "dim"))
        return Content.assemble(*parts)
