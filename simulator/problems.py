"""Problems found in user input, collected and reported together.

Trainers fix every mistake in one pass only if they see all of them at once, so
loaders and checkers return lists of these values instead of raising on the first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One finding, pointing at a 1-based line and column of a file."""

    file: str
    line: int
    column: int
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.severity}: {self.message}"


class ProblemsError(Exception):
    """Raised by convenience wrappers when a list of problems stops the work."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def suggest(word: str, candidates: list[str] | set[str] | tuple[str, ...]) -> str:
    """Return a ' (did you mean "x"?)' hint, or an empty string when nothing is close."""
    import difflib

    close = difflib.get_close_matches(word, sorted(candidates), n=1, cutoff=0.6)
    return f' (did you mean "{close[0]}"?)' if close else ""
