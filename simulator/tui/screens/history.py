"""History: the trainee's past sessions from the score logs, and whether they improve.

Read-only: the logs are the record, this screen just lists them (newest first) and
draws the trend of finished scores, so a trainee sees progress across sessions.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Sparkline, Static

from simulator.tui.game import Game
from simulator.tui.safe import clean, words

if TYPE_CHECKING:
    from simulator.logs.reader import SessionSummary


def trend_text(scores: Sequence[int]) -> str:
    """A sentence about the trend: recent average against the one before."""
    if not scores:
        return "No finished sessions yet. Play a scenario and it will appear here."
    recent = scores[-5:]
    text = (
        f"{len(scores)} finished · best {max(scores)} · "
        f"last {len(recent)} average {round(sum(recent) / len(recent))}"
    )
    earlier = scores[-10:-5]
    if earlier:
        change = round(sum(recent) / len(recent) - sum(earlier) / len(earlier))
        arrow = "▲" if change > 0 else "▼" if change < 0 else "="
        text += f" ({arrow} {change:+d} on the {len(earlier)} before)"
    return text


def when(value: object) -> str:
    """A log timestamp as `YYYY-MM-DD HH:MM`, whatever type the reader gives."""
    text = value.isoformat() if hasattr(value, "isoformat") else str(value or "")
    return text[:16].replace("T", " ")


class HistoryScreen(Screen[None]):
    """Past sessions, newest first, with the score trend on top."""

    CSS_PATH = "history.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q", "app.pop_screen", "Back")]

    def __init__(self, game: Game) -> None:
        super().__init__()
        self.game = game

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="trend-text")
        yield Sparkline([], id="trend")
        yield DataTable(id="sessions", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"history of {clean(self.game.trainee)}"
        self.show(self.game.history())

    def show(self, sessions: Sequence[SessionSummary]) -> None:
        scores = [s.score for s in sessions if s.score is not None and s.status != "abandoned"]
        self.query_one("#trend-text", Static).update(Content(trend_text(scores)))
        sparkline = self.query_one("#trend", Sparkline)
        sparkline.data = [float(score) for score in scores]
        sparkline.display = len(scores) > 1
        table = self.query_one("#sessions", DataTable)
        table.clear(columns=True)
        for label in ("When", "Score", "Result", "Mode", "Scenario"):
            table.add_column(Text(label), key=label)
        for summary in reversed(sessions):
            result = words(summary.outcome or summary.status or "")
            if summary.parent_session:
                result += " (retry)"
            table.add_row(
                Text(when(summary.started_at)),
                Text("—" if summary.score is None else str(summary.score), justify="right"),
                Text(result),
                Text(summary.mode or ""),
                Text(clean(summary.title or summary.scenario)),
                key=summary.session_id,
            )
        table.focus()
