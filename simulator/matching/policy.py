"""Whether a session must be played in recall mode: the scenario's `recall:` key."""

from __future__ import annotations

from typing import Protocol


class _HasRecall(Protocol):
    @property
    def recall(self) -> str: ...


def recall_required(scenario: _HasRecall, mode: str) -> bool:
    """`always` forces typed replies; `assessment` forces them in assessment mode."""
    return scenario.recall == "always" or (scenario.recall == "assessment" and mode == "assessment")
