"""How the trainee did on each principle the conversation touched, 0..100.

The ten principle families are the vocabulary reports group by; the debrief uses
the same titles so a trainee can connect this screen with a manager's report.
"""

from __future__ import annotations

from collections.abc import Mapping

from textual.content import Content
from textual.geometry import Size
from textual.reactive import reactive
from textual.widget import Widget

_BAR = 12


class Scorecard(Widget):
    """One bar per principle, weakest first, so the next thing to practise is on top."""

    scores: reactive[tuple[tuple[str, int], ...]] = reactive((), layout=True)
    """(title, 0..100) pairs."""

    def get_content_width(self, container: Size, viewport: Size) -> int:
        """Title column, bar and number on one line, so a narrow screen never wraps them."""
        if not self.scores:
            return len("No principles scored yet.")
        return max(len(title) for title, _ in self.scores) + 1 + _BAR + 4

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return max(1, len(self.scores))

    def render(self) -> Content:
        if not self.scores:
            return Content("No principles scored yet.")
        width = max(len(title) for title, _ in self.scores) + 1
        parts: list[str | tuple[str, str]] = []
        for title, points in self.scores:
            filled = round(_BAR * points / 100)
            style = "$success" if points >= 70 else "$warning" if points >= 40 else "$error"
            parts += [
                title.ljust(width),
                ("█" * filled, style),
                ("░" * (_BAR - filled), "dim"),
                f" {points:>3}\n",
            ]
        return Content.assemble(*parts).rstrip()

    def show(self, principles: Mapping[str, int], titles: Mapping[str, str]) -> None:
        ranked = sorted(principles.items(), key=lambda item: (item[1], item[0]))
        self.scores = tuple((titles.get(family, family), points) for family, points in ranked)
