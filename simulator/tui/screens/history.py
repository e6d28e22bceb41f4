"""History: the trainee's past sessions from the score logs, and whether they improve.

Newest first, each with its date, score, result, mode and the scenario's full title
(wrapped, never cut) and id. Enter opens that session's debrief, read from its log,
and from there `t` replays it turn by turn. The trend above says in a sentence how the
recent scores compare with the earlier ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Sparkline, Static
from textual.widgets.option_list import Option

from simulator.text import plural
from simulator.tui.game import Game
from simulator.tui.safe import clean, words

if TYPE_CHECKING:
    from simulator.logs.reader import SessionSummary

RECENT = 5


def trend_text(scores: Sequence[int]) -> str:
    """The trend in plain words: how the last few scores compare with the few before."""
    if not scores:
        return "No finished sessions yet. Play a scenario and it will appear here."
    text = f"You have finished {plural(len(scores), 'session')}; your best score is {max(scores)}."
    recent = scores[-RECENT:]
    average = round(sum(recent) / len(recent))
    if len(recent) == 1:
        return text
    text += f" Your last {len(recent)} averaged {average}"
    earlier = scores[-2 * RECENT : -RECENT]
    if not earlier:
        return text + "."
    change = round(sum(recent) / len(recent) - sum(earlier) / len(earlier))
    before = f"the {plural(len(earlier), 'session')} before them"
    if change > 0:
        return text + f", {plural(change, 'point')} better than {before}."
    if change < 0:
        return text + f", {plural(-change, 'point')} lower than {before}."
    return text + f", the same as {before}."


def when(value: object) -> str:
    """A log timestamp as `YYYY-MM-DD HH:MM`, whatever type the reader gives."""
    text = value.isoformat() if hasattr(value, "isoformat") else str(value or "")
    return text[:16].replace("T", " ")


def entry(summary: SessionSummary) -> Content:
    """Two or more lines: when, score, result and mode; then the whole title and id.

    Every word comes from a log file on disk, which a hand edit or a copied-in file
    can fill with anything: the outcome and mode are cleaned like the title."""
    result = words(clean(summary.outcome or summary.status))
    if summary.status == "walked_out":
        result += " · walked out"
    if summary.parent_session:
        result += " (retry)"
    score = "—" if summary.score is None else str(summary.score)
    return Content.assemble(
        (when(summary.started_at), "bold"),
        f"  score {score} · {result} · {clean(summary.mode)} · {plural(summary.turns, 'turn')}\n",
        clean(summary.title or summary.scenario),
        (f"  ({clean(summary.scenario)})", "dim"),
    )


class HistoryScreen(Screen[None]):
    """Past sessions, newest first, with the score trend on top."""

    CSS_PATH = "history.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open debrief", show=True),
        Binding("escape,q", "app.pop_screen", "Back"),
    ]

    def __init__(self, game: Game) -> None:
        super().__init__()
        self.game = game
        self.sessions: list[SessionSummary] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="trend-text")
        yield Sparkline([], id="trend")
        yield OptionList(id="sessions")
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
        listing = self.query_one("#sessions", OptionList)
        listing.border_title = "Sessions, newest first · Enter opens the debrief"
        listing.clear_options()
        self.sessions = list(reversed(sessions))
        for number, summary in enumerate(self.sessions):
            if number:
                listing.add_option(None)
            listing.add_option(Option(entry(summary), id=str(number)))
        if self.sessions:
            listing.highlighted = 0
        listing.focus()

    @on(OptionList.OptionSelected, "#sessions")
    def action_open(self) -> None:
        """The highlighted session's debrief, as its log recorded it."""
        from simulator.tui.screens.debrief import DebriefScreen

        option = self.query_one("#sessions", OptionList).highlighted_option
        if option is None or option.id is None:
            return
        past = self.game.past(self.sessions[int(option.id)])
        self.app.push_screen(
            DebriefScreen(
                past.story, self.game, walkout=past.walkout, note=past.note, loaded=past.loaded
            )
        )
