"""One turn of recall mode, the same for the TUI and plain play.

The trainee types first; the matcher proposes a move; the trainee confirms it or picks
another. Only the *first* reply of a turn counts for recall: once the options have
been shown (after a match or a refusal), later typing merely picks from them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from simulator.matching.matcher import Match, Matcher, Offered, matcher_for

if TYPE_CHECKING:
    from simulator.engine.catalog import Catalog

REFUSED = "I couldn't match that to anything on offer; rephrase, or pick from the list"
"""What the trainee reads when a reply fits no move well (TUI and plain alike)."""


@dataclass(frozen=True)
class Answer:
    """The move to play and, for the turn record, the first reply and what it matched."""

    choice: str
    typed: str | None
    match: dict[str, Any] | None


class RecallTurn:
    """The choices on offer now, the matcher over them, and the reply that counts."""

    def __init__(self, choices: Sequence[Offered], catalog: Catalog | None = None) -> None:
        self.choices = list(choices)
        self.matcher: Matcher = matcher_for(self.choices, catalog)
        self.first: Match | None = None
        self.last: Match | None = None

    def type(self, text: str) -> Match:
        """Match a typed reply; the first of the turn is kept for the record."""
        match = self.matcher.match(text)
        if self.first is None:
            self.first = match
        self.last = match
        return match

    def number_of(self, choice_id: str) -> int:
        """The 1-based number a choice is shown with."""
        return next(n for n, c in enumerate(self.choices, start=1) if c.id == choice_id)

    def at(self, number: int) -> Offered | None:
        return self.choices[number - 1] if 1 <= number <= len(self.choices) else None

    def answer(self, choice_id: str) -> Answer:
        """Play this choice (confirmed or picked), carrying the first reply and its match."""
        first = self.first
        return Answer(
            choice_id,
            first.typed if first is not None else None,
            first.to_json() if first is not None else None,
        )
