"""Untrusted text made safe to show: scenario lines and trainee names are data.

Control characters (ESC, the one-byte CSI 0x9B, OSC terminators and the rest)
are removed so nothing a scenario author or trainee typed can drive the terminal, and
bidi overrides so it cannot disguise itself by reading in another order.
"""

from __future__ import annotations

import re

# C0 controls except newline and tab, DEL, the C1 block (0x80-0x9F), and the Unicode
# bidi embeddings, overrides and isolates, which can make shown text read backwards.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def literal(text: str) -> str:
    """The text with every terminal control character removed."""
    return _CONTROL.sub("", text)
