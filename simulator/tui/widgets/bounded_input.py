"""A one-line box for what a trainee types: shown as data, and a paste keeps what fits.

Textual's `Input` refuses a paste that would take it past `max_length` as a whole (at
most a bell): a trainee pasting a long reply, or a name from a directory, saw nothing
happen and could not tell why. Typing already stops at the limit; a paste is cut at
the room left instead of being dropped. And what is typed or pasted is shown as it
will be saved: a control or bidi character (U+202E turns the rest of the line around
in a terminal that honours it) never reaches the screen, as it never reaches the log.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input

from simulator.text import literal


class BoundedInput(Input):
    """`Input` with `max_length` applied to a paste by cutting it, not refusing it, and
    every insertion stripped of control and bidi characters."""

    def replace(self, text: str, start: int, end: int) -> None:
        """Every edit (a key, a paste, a completion) comes through here."""
        super().replace(_typed(text), start, end)

    def _on_paste(self, event: events.Paste) -> None:
        if not (event.text and self.max_length):
            return  # Input's own handler does the rest
        line = _typed(event.text.splitlines()[0])  # measured as it will be kept
        start, end = sorted(self.selection)  # an empty selection is the cursor
        room = max(0, self.max_length - (len(self.value) - (end - start)))
        super().replace(line[:room], start, end)
        event.prevent_default()  # not Input's handler too: it would paste it again
        event.stop()


def _typed(text: str) -> str:
    """What a box keeps of typed or pasted text: one line, no control or bidi."""
    return literal(text).replace("\t", " ").replace("\n", " ")
