"""Choices worded so alike that a typed reply could not tell them apart (for the checker).

The test is the matcher's own: type each choice's wording (its `say` and `also:` lines)
into a matcher over the node's choices; if another choice fits it nearly as well as
the choice itself, a trainee who meant one would as likely be matched to the other.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from simulator.matching.matcher import Offered, matcher_for

if TYPE_CHECKING:
    from simulator.engine.catalog import Catalog

CLOSE_FIT = 0.8
"""Another choice fitting a choice's own wording this well (its own fits ~1) is too close.
The bundled library's closest pair is ~0.69."""


@dataclass(frozen=True)
class ClosePair:
    """Two choices of one node (indexes in the node's list), and how close they are."""

    first: int
    second: int
    fit: float


def close_pairs(choices: Sequence[Offered], catalog: Catalog | None = None) -> list[ClosePair]:
    """Every pair of choices too close to tell apart, each pair once, in list order."""
    matcher = matcher_for(choices, catalog)
    worst: dict[tuple[int, int], float] = {}
    for index, choice in enumerate(choices):
        for wording in (choice.say, *choice.also):
            for candidate in matcher.match(wording).ranked:
                other = matcher.ids.index(candidate.choice)
                if other != index and candidate.fit >= CLOSE_FIT:
                    pair = (min(index, other), max(index, other))
                    worst[pair] = max(worst.get(pair, 0.0), candidate.fit)
    return [ClosePair(a, b, fit) for (a, b), fit in sorted(worst.items())]
