"""CSV cells that a spreadsheet will show, never run (OWASP CSV injection).

A cell starting with `=`, `+`, `-`, `@`, tab or carriage return is a formula to
Excel, LibreOffice and Google Sheets; a trainee name like `=HYPERLINK(…)` would run
on the manager's machine. Such text cells get a leading `'`, which spreadsheets
show as text. Numbers are written as numbers and need no guard.

Line breaks need care too. Python's csv writer does not quote a cell holding a
lone CR when lines end in `\\n`, and spreadsheets split the row there, so the text
after the CR starts a new row and a formula in it runs untouched by the guard.
So every CR (and CRLF) becomes LF, which the writer always quotes, and the guard is
applied to each line of a cell, not only to its first. Terminal controls and bidi
controls are removed (a CSV is also read with `cat` and `less`).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import TextIO

from simulator.text import literal

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_BREAK = re.compile(r"\r\n?|[\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
"""Every character a spreadsheet or `str.splitlines` might start a new line at."""


def _guard(line: str) -> str:
    return "'" + line if line.startswith(TRIGGERS) else line


def neutralise(value: object) -> object:
    """A cell value safe for spreadsheets; non-text values pass through unchanged."""
    if not isinstance(value, str):
        return value
    lines = [_guard(line) for line in literal(_BREAK.sub("\n", value)).split("\n")]
    if value.startswith("\r") and not lines[0].startswith("'"):
        lines[0] = "'" + lines[0]  # a leading CR is a trigger too, though it is now LF
    return "\n".join(lines)


def name_cell(value: object) -> object:
    """A name or title as one line, cleaned the way trainee names are stored."""
    if not isinstance(value, str):
        return value
    return " ".join(literal(_BREAK.sub(" ", value)).split())


class SafeWriter:
    """A csv.writer whose every text cell is neutralised."""

    def __init__(self, out: TextIO) -> None:
        self._writer = csv.writer(out, lineterminator="\n")

    def row(self, cells: Iterable[object]) -> None:
        self._writer.writerow(["" if cell is None else neutralise(cell) for cell in cells])
