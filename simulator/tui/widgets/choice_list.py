"""The trainee's numbered responses: keys 1–9, or arrows and Enter.

Nothing is highlighted when new choices appear, so an Enter pressed to "continue"
after reading cannot pick a response by accident; the first arrow key highlights.

The numbers are part of the text, so they are visible without colour and match
the digit keys. The order is the session's (shuffled per seed by the engine);
this widget never reorders.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from simulator.tui.safe import clean

if TYPE_CHECKING:
    from simulator.scenario.models import Choice


class ChoiceList(OptionList):
    """Numbered choices; selecting one posts `OptionList.OptionSelected` with its id."""

    def show(self, choices: Sequence[Choice]) -> None:
        self.clear_options()
        self.add_options(
            Option(Content.assemble((f"{number}. ", "bold"), clean(choice.say)), id=choice.id)
            for number, choice in enumerate(choices, start=1)
        )
        self.highlighted = None  # a stray Enter must not answer for the trainee

    def id_at(self, number: int) -> str | None:
        """The choice id shown as `number` (1-based), if there is one."""
        if 1 <= number <= self.option_count:
            return self.get_option_at_index(number - 1).id
        return None
