"""Choices worded so alike that a typed reply could not tell them apart (for the checker).

The test is the matcher's own: type each choice's wording (its `say` and `also:` lines)
into a matcher over the node's choices; if another choice fits it nearly as well as
the choice itself, a trainee who meant one would as likely be matched to the other.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from simulator.matching.matcher import Offered, matcher_for, phrasings_for, technique_examples
from simulator.matching.text import content_stems, language

if TYPE_CHECKING:
    from simulator.engine.catalog import Catalog

CLOSE_FIT = 0.8
"""Another choice fitting a choice's own wording this well (its own fits ~1) is too close.
The bundled library's closest pair is ~0.69."""
SHARED_MIN = 0.5
"""A cheap first pass: unless this share of one wording's content stems (light words
aside, as the matcher nearly ignores them) appears among another
choice's phrasings, the pair cannot fit at CLOSE_FIT and the matcher is not consulted
(the checker lints every file of a large library; most nodes stop here)."""


@dataclass(frozen=True)
class ClosePair:
    """Two choices of one node (indexes in the node's list), and how close they are."""

    first: int
    second: int
    fit: float


def close_pairs(choices: Sequence[Offered], catalog: Catalog | None = None) -> list[ClosePair]:
    """Every pair of choices too close to tell apart, each pair once, in list order."""
    examples = technique_examples(catalog)
    light = language().light
    bags = [
        {s for text, _ in phrasings_for(choice, examples) for s in content_stems(text)} - light
        for choice in choices
    ]
    suspect = False
    for index, choice in enumerate(choices):
        for wording in (choice.say, *choice.also):
            own = set(content_stems(wording)) - light
            for other, bag in enumerate(bags):
                if other != index and len(own & bag) >= SHARED_MIN * len(own):
                    suspect = True
    if not suspect:
        return []
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
