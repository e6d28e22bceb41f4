"""CSV cells that a spreadsheet will show, never run (OWASP CSV injection).

A cell starting with `=`, `+`, `-`, `@`, tab or carriage return is a formula to
Excel, LibreOffice and Google Sheets; a trainee name like `=HYPERLINK(…)` would run
on the manager's machine. Such text cells get a leading `'`, which spreadsheets
show as text. Numbers are written as numbers and need no guard.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import TextIO

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """A cell value safe for spreadsheets; non-text values pass through unchanged."""
    if isinstance(value, str) and value.startswith(TRIGGERS):
        return "'" + value
    return value


class SafeWriter:
    """A csv.writer whose every text cell is neutralised."""

    def __init__(self, out: TextIO) -> None:
        self._writer = csv.writer(out, lineterminator="\n")

    def row(self, cells: Iterable[object]) -> None:
        self._writer.writerow(["" if cell is None else neutralise(cell) for cell in cells])
