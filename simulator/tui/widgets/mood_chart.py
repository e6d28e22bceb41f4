"""The customer's mood over the conversation, drawn as a small text chart.

One column per moment (the start, then after each turn). Anger is drawn with ▲ and
trust with ◆ (★ where they meet), so the chart reads without colour; colour comes
from the theme's error and success colours.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

if TYPE_CHECKING:
    from simulator.engine.mood import Mood


_AXIS = 5
ANGER, TRUST, BOTH = "▲", "◆", "★"


class MoodChart(Widget):
    """Anger and trust at the start and after each turn, 0 at the bottom, 100 at the top."""

    points: reactive[tuple[Mood, ...]] = reactive((), layout=True)

    def render(self) -> Content:
        rows = max(3, self.size.height - 2)
        width = max(10, self.size.width - _AXIS)
        points = self.points
        if not points:
            return Content("No turns yet.")
        step = max(2, min(6, width // max(1, len(points))))
        grid = [[" "] * (step * len(points)) for _ in range(rows)]
        styles: list[list[str]] = [[""] * (step * len(points)) for _ in range(rows)]

        def row_of(value: int) -> int:
            return rows - 1 - round(max(0, min(100, value)) * (rows - 1) / 100)

        for index, mood in enumerate(points):
            column = index * step + step // 2
            anger_row, trust_row = row_of(mood.anger), row_of(mood.trust)
            grid[anger_row][column], styles[anger_row][column] = ANGER, "bold $error"
            if trust_row == anger_row:
                grid[trust_row][column], styles[trust_row][column] = BOTH, "bold $warning"
            else:
                grid[trust_row][column], styles[trust_row][column] = TRUST, "bold $success"
        parts: list[str | tuple[str, str]] = []
        for number, row in enumerate(grid):
            label = "100┤" if number == 0 else "  0┤" if number == rows - 1 else "   │"
            parts.append((label.rjust(_AXIS - 1) + " ", "dim"))
            for cell, style in zip(row, styles[number], strict=True):
                parts.append((cell, style) if style else cell)
            parts.append("\n")
        ticks = "".join(
            ("start" if i == 0 else str(i)).center(step)[:step] for i in range(len(points))
        )
        parts.append((" " * _AXIS + ticks + "\n", "dim"))
        parts += [
            (" " * _AXIS + ANGER, "bold $error"),
            " anger  ",
            (TRUST, "bold $success"),
            " trust  ",
            (BOTH, "bold $warning"),
            " both",
        ]
        return Content.assemble(*parts)

    def show(self, start: Mood, after: Sequence[Mood]) -> None:
        self.points = (start, *after)
