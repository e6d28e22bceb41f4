"""How the play screen's stage shares its rows: a pure function, so it can be tested alone.

The stage holds, top to bottom, the transcript, the customer's current line, the coach
and the responses. The line and (while it is open) the coach's lesson must be whole;
the responses get what is left, and when the lesson is open and they do not fit
beside it, they wait behind one key. The transcript takes any rows that remain.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.geometry import Size
from textual.widget import Widget

CHOICES_MIN = 4
"""The responses box never shrinks below its border and two lines."""


@dataclass(frozen=True)
class Fit:
    """What the play screen applies after measuring."""

    waiting: bool
    """The responses wait behind Enter while the lesson is read."""
    coach_max: int
    choices_max: int
    history: bool
    """Rows remain for the transcript (Textual gives a `1fr` box one row even when none
    is left, which would push the last row off the stage)."""


def fit(
    height: int, line: int, coach: int, choices: int, *, lesson_open: bool, playing: bool
) -> Fit:
    """Share `height` rows: the line and coach rows are needs, the choices a wish."""
    used = line + coach
    waiting = playing and lesson_open and used + choices > height
    below = 1 if waiting else min(CHOICES_MIN, choices)  # a hidden list (recall) takes none
    choices_max = max(CHOICES_MIN, height - used)
    shown = 1 if waiting else min(choices, choices_max)
    return Fit(
        waiting=waiting,
        coach_max=max(1, height - line - below),
        choices_max=choices_max,
        history=height - used - shown > 0,
    )


def rows(widget: Widget, width: int) -> int:
    """The rows a height-auto widget needs at this outer width (gutter and margin in)."""
    gutter, margin = widget.styles.gutter, widget.styles.margin
    inner = max(1, width - gutter.width - margin.width)
    size = Size(inner, 1000)
    return widget.get_content_height(size, size, inner) + gutter.height + margin.height
