"""What the customer says now, kept out of the scrolling transcript so it is never cut.

The transcript above it may shrink to nothing on a small terminal; this widget is
sized to its text (`height: auto`), and the play screen fits everything else around
it, so the line the trainee must answer is always on screen in full.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from simulator.tui.safe import clean


class CurrentLine(Static):
    """The customer's current line, or the ending's last words."""

    def show(self, name: str, say: str) -> None:
        self.update(Content.assemble((f"{clean(name)}: ", "bold"), clean(say)))
