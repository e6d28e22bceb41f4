"""Problems found in user input, collected and reported together.

Trainers fix every mistake in one pass only if they see all of them at once, so
loaders and checkers return lists of these values instead of raising on the first.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection
from dataclasses import dataclass
from typing import Final, Literal

from simulator.text import one_line

Severity = Literal["error", "warning"]

SUGGESTIONS_PER_FILE: Final = 20
"""Past this many "did you mean" look-ups in one file the rest go without a hint:
a file with thousands of misspelt ids needs fixing at the source, and each look-up
costs a pass over every candidate."""
_CUTOFF: Final = 0.6
MESSAGE_SHOWN: Final = 2_000
"""A message quoting a 500 KB key is cut here: one readable line, not a wall."""


@dataclass(frozen=True, order=True)
class Problem:
    """One finding, pointing at a 1-based line and column of a file."""

    file: str
    line: int
    column: int
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        """`FILE:LINE:COL: severity: message` on exactly one line, controls shown escaped."""
        return (
            f"{one_line(self.file)}:{self.line}:{self.column}: {self.severity}: "
            f"{one_line(self.message, MESSAGE_SHOWN)}"
        )


class ProblemsError(Exception):
    """Raised by convenience wrappers when a list of problems stops the work."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def _hint(close: list[str]) -> str:
    return f' (did you mean "{close[0]}"?)' if close else ""


def _may_match(a: int, b: int) -> bool:
    """difflib's real_quick_ratio bound, computed exactly as difflib computes it."""
    return (2.0 * min(a, b) / (a + b) if a + b else 1.0) >= _CUTOFF


class SuggestionIndex:
    """Candidates sorted and bucketed by length once, for many look-ups.

    difflib's ratio is at most 2·min(a, b)/(a + b), so a candidate whose length is
    too far from the word's can never reach the cutoff; only the lengths that can are
    compared, and the answer is the one `difflib.get_close_matches` gives over all.
    """

    def __init__(self, candidates: Collection[str]) -> None:
        self._by_length: dict[int, list[str]] = {}
        for word in sorted(set(candidates)):
            self._by_length.setdefault(len(word), []).append(word)

    def close(self, word: str) -> list[str]:
        size = len(word)
        pool = [w for length, ws in self._by_length.items() if _may_match(size, length) for w in ws]
        return difflib.get_close_matches(word, sorted(pool), n=1, cutoff=_CUTOFF)


class Suggestions:
    """One file's "did you mean" hints, with a budget of SUGGESTIONS_PER_FILE look-ups.

    Without the budget, 4,000 misspelt gotos cost 4,000 passes over 4,000 ids.
    """

    def __init__(self, budget: int = SUGGESTIONS_PER_FILE) -> None:
        self.left = budget

    def __call__(self, word: str, index: SuggestionIndex) -> str:
        if self.left <= 0:
            return ""
        self.left -= 1
        return _hint(index.close(word))


def suggest(word: str, candidates: Collection[str]) -> str:
    """Return a ' (did you mean "x"?)' hint, or an empty string when nothing is close.

    For one-off look-ups; a loader checking many references builds a
    `SuggestionIndex` once and spends a `Suggestions` budget instead.
    """
    return _hint(SuggestionIndex(candidates).close(word))
