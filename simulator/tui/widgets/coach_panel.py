"""Practice mode's coach: after each turn, what the move did to the customer and why.

The reasons are the engine's own one-line explanations (rule and source), so the
trainee learns the rule, not just the number. When a stronger move was on offer it
is quoted, because seeing the better sentence teaches more than a score. Hints (`h`)
name what the customer needs now, without saying which choice to press.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from simulator.tui.safe import clean

if TYPE_CHECKING:
    from simulator.engine.state import Turn


def signed(number: int) -> str:
    return f"{number:+d}"


class CoachPanel(VerticalScroll, can_focus=True):
    """The coach's notes on the last turn, or a hint."""

    BORDER_TITLE = "Coach"

    def compose(self) -> ComposeResult:
        yield Static(
            Content(
                "Pick a response. After each turn I explain what it did and why. "
                "Press h for a hint."
            ),
            id="coach-text",
        )

    def _show(self, content: Content) -> None:
        self.query_one("#coach-text", Static).update(content)
        self.scroll_home(animate=False)

    def show_turn(self, turn: Turn, best_say: str | None) -> None:
        before, after = turn.before.mood, turn.after.mood
        parts: list[str | tuple[str, str] | Content] = [
            ("Anger ", "bold"),
            f"{before.anger} → {after.anger} ({signed(after.anger - before.anger)})\n",
            ("Trust ", "bold"),
            f"{before.trust} → {after.trust} ({signed(after.trust - before.trust)})\n",
            ("Move quality ", "bold"),
            f"{round(turn.rating * 100)}%\n",
        ]
        for reason in turn.reasons:
            parts += ["\n• ", clean(reason)]
        if turn.feedback:
            parts += ["\n\n", ("Coach: ", "bold"), clean(turn.feedback)]
        if best_say is not None and turn.best.choice != turn.choice:
            parts += [
                "\n\n",
                ("Stronger here: ", "bold"),
                f"“{clean(best_say)}” ",
                (f"(anger {turn.best.after.anger}, trust {turn.best.after.trust})", "dim"),
            ]
        elif turn.best.choice == turn.choice:
            parts += ["\n\n", ("✓ The best move on offer.", "bold")]
        self._show(Content.assemble(*parts))

    def show_hint(self, needs: str) -> None:
        self._show(Content.assemble(("Hint: ", "bold"), needs))

    def show_text(self, text: str) -> None:
        self._show(Content(text))
