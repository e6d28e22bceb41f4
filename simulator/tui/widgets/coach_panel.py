"""Practice mode's coach: after each turn, the lesson first, then what the meters did.

The lesson is the author's `Coach:` sentence, whether the reply was the best on offer
and, if not, the better reply's own words: seeing the better sentence teaches more
than a score. The net change of the meters follows; the rule arithmetic behind it is
one key away (`d`), because most trainees want the lesson and only some the sums.
Once the trainee moves on to the responses the panel folds to one line (`c` opens it
again), so the choices get the room. Hints (`h`) name what the customer needs now,
without saying which choice to press.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.geometry import Size
from textual.reactive import reactive
from textual.widgets import Static

from simulator.engine.story import TurnStory, change_words
from simulator.tui.safe import clean

INTRO = "Coach: after each reply I say what worked and why. h gives a hint."


def signed(number: int) -> str:
    return f"{number:+d}"


def lesson(turn: TurnStory, *, details_key: bool = True) -> Content:
    """The whole lesson of a turn: coach sentence, verdict (or the better line), change.

    `details_key` adds the pointer to `d`; the turn-by-turn review shows the details
    right below instead."""
    parts: list[str | tuple[str, str] | Content] = []
    if turn.feedback or turn.because:
        parts += [("Coach: ", "bold"), clean(turn.feedback or turn.because), "\n"]
    if turn.best:
        parts += [("✓ The best move on offer.", "bold $success"), "\n"]
    else:
        parts += [("✗ Better here: ", "bold $warning")]
        parts += [f"“{clean(turn.better_say)}”" if turn.better_say else "another reply"]
        if turn.better_after is not None:
            better = turn.better_after
            parts += [(f" (would leave anger {better.anger}, trust {better.trust})", "dim")]
        parts += ["\n"]
    parts += [change_words(turn.before, turn.after)]
    if details_key:
        parts += [("   d: how the rules added up", "dim")]
    return Content.assemble(*parts)


def folded(turn: TurnStory) -> Content:
    """The lesson in one line, once the trainee has moved on to the responses."""
    verdict = (
        ("✓ Best move", "bold $success") if turn.best else ("✗ A better reply existed", "bold")
    )
    anger = turn.after.anger - turn.before.anger
    trust = turn.after.trust - turn.before.trust
    return Content.assemble(
        ("Coach: ", "bold"),
        verdict,
        f" · anger {signed(anger)}, trust {signed(trust)}",
        ("  c: reread · d: details", "dim"),
    )


class CoachPanel(VerticalScroll, can_focus=False):
    """The coach's lesson on the last turn (open or folded), a hint, or the intro."""

    is_folded: reactive[bool] = reactive(False)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.turn: TurnStory | None = None
        self._text: Content = Content(INTRO)

    def compose(self) -> ComposeResult:
        yield Static(self._text, id="coach-text")

    def watch_is_folded(self) -> None:
        self._render_text()

    def _render_text(self) -> None:
        content = folded(self.turn) if self.turn is not None and self.is_folded else self._text
        self.query_one("#coach-text", Static).update(content)
        self.scroll_home(animate=False)

    def _show(self, content: Content, turn: TurnStory | None = None) -> None:
        self.turn = turn
        self._text = content
        self.set_reactive(CoachPanel.is_folded, False)
        self._render_text()

    def show_turn(self, turn: TurnStory) -> None:
        self._show(lesson(turn), turn)

    def show_hint(self, needs: str) -> None:
        self._show(Content.assemble(("Hint: ", "bold"), needs), self.turn)

    def show_text(self, text: str) -> None:
        self._show(Content(text), self.turn)

    def rows_needed(self, width: int, *, fold: bool) -> int:
        """Rows the panel needs at this outer width to show everything without scrolling."""
        gutter, margin = self.styles.gutter, self.styles.margin
        inner = max(1, width - gutter.width - margin.width)
        content = folded(self.turn) if fold and self.turn is not None else self._text
        size = Size(inner, 1000)
        probe = Static(content)
        return probe.get_content_height(size, size, inner) + gutter.height + margin.height
