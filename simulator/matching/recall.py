"""The recall score: how often a trainee's own words already named the best move.

Computed from turn records (the engine's `Turn.to_json` or a log's `turn` lines), so
the debrief, plain play and the manager's report count it the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class RecallScore:
    """Typed turns, and how many of them matched the best move before any option showed."""

    typed: int
    recalled: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.recalled / self.typed) if self.typed else None


def recalled(turn: Mapping[str, Any]) -> bool | None:
    """Whether this turn's typed words matched the best move; None for a turn not typed.

    The matched move counts as best when it is the engine's best choice, or when it was
    played and rated 1 (a tie with the best on offer).
    """
    match = turn.get("match")
    if not isinstance(turn.get("typed"), str) or not isinstance(match, Mapping):
        return None
    understood = match.get("choice")
    if not isinstance(understood, str):
        return False
    if understood == turn.get("best_choice"):
        return True
    rating = turn.get("rating")
    return understood == turn.get("choice") and isinstance(rating, int | float) and rating >= 0.999


def recall_score(turns: Iterable[Mapping[str, Any]]) -> RecallScore:
    """The score over some turns (inherited turns of a branch are the parent's, skipped)."""
    typed = hits = 0
    for turn in turns:
        if turn.get("inherited"):
            continue
        hit = recalled(turn)
        if hit is not None:
            typed += 1
            hits += hit
    return RecallScore(typed, hits)
