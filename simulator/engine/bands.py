"""The words the trainee sees for a mood, fixed by PRINCIPLES.md."""

from __future__ import annotations

ANGER_BANDS = ((80, "furious"), (60, "angry"), (40, "frustrated"), (20, "uneasy"), (0, "calm"))
TRUST_BANDS = ((60, "confident"), (30, "guarded"), (0, "distrustful"))


def anger_band(anger: int) -> str:
    return next(word for floor, word in ANGER_BANDS if anger >= floor)


def trust_band(trust: int) -> str:
    return next(word for floor, word in TRUST_BANDS if trust >= floor)
