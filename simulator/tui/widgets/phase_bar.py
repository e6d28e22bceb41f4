"""Where the conversation stands in the four steps the seeds teach.

identify → understand → solve → follow up ("4 Tips for Dealing with Difficult
Customers"). The current step is marked with an arrow and capitals as well as a
style, so it reads the same without colour. Where the four do not fit beside the
title (narrow terminals) only the current step is named, with its number.
"""

from __future__ import annotations

from textual.content import Content
from textual.geometry import Size
from textual.reactive import reactive
from textual.widget import Widget

PHASES = ("identify", "understand", "solve", "follow_up")
_FULL = sum(len(p) for p in PHASES) + 3 * 3 + 2
_NARROW = 100
"""Below this screen width the bar names only the current step."""


class PhaseBar(Widget):
    """The four phases with the current one marked."""

    phase: reactive[str | None] = reactive(None, layout=True)

    def _compact(self) -> bool:
        return self.app.size.width < _NARROW

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return len(self._short()) if self._compact() else _FULL

    def _short(self) -> str:
        if self.phase not in PHASES:
            return ""
        return f"step {PHASES.index(self.phase) + 1}/4 ▶ {self.phase.replace('_', ' ').upper()}"

    def render(self) -> Content:
        if self._compact():
            return Content.assemble((self._short(), "bold"))
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
