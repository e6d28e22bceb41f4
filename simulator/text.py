"""Untrusted text made safe to show: scenario lines and trainee names are data.

Control characters (ESC, the one-byte CSI 0x9B, OSC terminators and the rest)
are removed so nothing a scenario author or trainee typed can drive the terminal.
"""

from __future__ import annotations

import re

# C0 controls except newline and tab, DEL, and the C1 block (0x80-0x9F).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def literal(text: str) -> str:
    """The text with every terminal control character removed."""
    return _CONTROL.sub("", text)


def plural(count: int, noun: str, many: str | None = None) -> str:
    """`1 turn`, `2 turns`, `1 try`, `3 tries`: never `1 tries` or `turn(s)`."""
    return f"{count} {noun if count == 1 else (many or noun + 's')}"
