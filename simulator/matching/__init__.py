"""Typed replies matched to the moves on offer: recall mode's text side.

Pure Python over rapidfuzz, offline and deterministic, no Textual: the TUI, plain
play, `--replies` and the checker all call the same `Matcher`. docs/matching.md says
how it works, why this method, and what the thresholds mean.
"""

from __future__ import annotations

from simulator.matching.matcher import (
    FIT_MIN,
    Candidate,
    Match,
    Matcher,
    matcher_for,
    phrasings_for,
    technique_examples,
)

__all__ = [
    "FIT_MIN",
    "Candidate",
    "Match",
    "Matcher",
    "matcher_for",
    "phrasings_for",
    "technique_examples",
]
