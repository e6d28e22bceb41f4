"""Untrusted text made safe to show or to write: scenario lines, names and paths are data.

Everything that leaves the program toward a terminal or a machine format goes
through one of these few functions, so there is one rule for what is unsafe:

* C0 controls (ESC, BEL, backspace...), DEL and the C1 block (the one-byte CSI
  0x9B, OSC 0x9D...) drive terminals: an OSC 52 writes the clipboard, a title
  sequence renames the window.
* Bidi overrides, embeddings, isolates and marks (U+202A-202E, U+2066-2069,
  U+200E/200F, U+061C) make a name or title display reversed or reordered.
* Lone surrogates (a non-UTF-8 byte in argv or a path, a `\\ud800` escape in a
  JSON file) cannot be encoded, so a print or a log write would crash on them.

`literal` removes controls and bidi for text people read as prose (play, TUI,
reports); `one_line` shows them visibly as escapes and keeps everything on one line,
for file names, ids and problem messages, where the exact characters matter and a
newline must not forge a second line; `to_json` escapes them in JSON.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any, Final

BIDI: Final = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
"""Arabic letter mark, LRM/RLM, embeddings and overrides, isolates."""

# C0 controls except newline and tab, DEL, the C1 block, bidi controls.
_CONTROL: Final = re.compile(f"[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f{BIDI}]")
_SURROGATE: Final = re.compile("[\ud800-\udfff]")
# What `one_line` escapes: every control (newline and tab too), bidi, surrogates,
# and the Unicode line and paragraph separators some terminals and editors break on.
_UNSAFE_LINE: Final = re.compile(f"[\\x00-\\x1f\\x7f-\\x9f{BIDI}\u2028\u2029\ud800-\udfff]")
# What `to_json` escapes beyond what json.dumps already does (C0, quote, backslash).
_UNSAFE_JSON: Final = re.compile(f"[\\x7f-\\x9f{BIDI}\u2028\u2029]")
_NAMED: Final = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def unsurrogate(text: str) -> str:
    """The text with every lone surrogate replaced by U+FFFD.

    The edge filter for argv, paths and environment values before they are stored:
    Python smuggles undecodable bytes through `str` as surrogates, which no UTF-8
    writer accepts.
    """
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


def literal(text: str) -> str:
    """The text with every terminal control and bidi control removed.

    Newlines and tabs stay (scenario lines and reflections have paragraphs), and
    lone surrogates become U+FFFD so printing can never fail.
    """
    return unsurrogate(_CONTROL.sub("", text))


def single_line(text: str) -> str:
    """A name, title or table cell: `literal`, with every run of whitespace (newlines
    too) one space, so a logged name can never start a line of its own."""
    return " ".join(literal(text).split())


def _visible(match: re.Match[str]) -> str:
    char = match.group()
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte, smuggled by surrogateescape
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def one_line(text: object, limit: int | None = None) -> str:
    """The text on one line with every unsafe character shown as an escape.

    `\\n`, `\\x1b`, `\\u202e`: a file name or key is shown exactly enough to find it,
    and no newline in it can start a line that looks like another problem. The
    result holds only printable characters, so applying it twice changes nothing.
    `limit` shortens very long values (a 500 KB key) with an ellipsis.
    """
    shown = _UNSAFE_LINE.sub(_visible, text if isinstance(text, str) else str(text))
    if limit is not None and len(shown) > limit:
        return shown[: max(limit - 1, 0)] + "…"
    return shown


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def to_json(value: Any, *, indent: int | None = None) -> str:
    """JSON for every machine output (check, export jsonl/xapi, report, play --json).

    UTF-8 text stays readable (`ensure_ascii=False`), but C1 controls, DEL, bidi
    controls and U+2028/2029 are written as `\\u` escapes: a viewer that prints the
    file, `jq -r` or a log shipper then never sees them raw. Lone surrogates become
    U+FFFD (as escapes, two of them would read back as one unrelated character).
    Those characters can only occur inside JSON strings, so the substitution keeps
    the document valid and its parsed value unchanged. NaN and infinities (which
    `json.loads` accepts from a damaged log) are written as null, never as `NaN`.
    """
    try:
        text = json.dumps(value, ensure_ascii=False, indent=indent, allow_nan=False)
    except ValueError:  # NaN or Infinity read from a damaged log: not JSON, so null
        text = json.dumps(_finite(value), ensure_ascii=False, indent=indent, allow_nan=False)
    return unsurrogate(_UNSAFE_JSON.sub(_json_escape, text))


def _finite(value: Any) -> Any:
    """The value with every NaN and infinity replaced by None."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(item) for item in value]
    return value


def plural(count: int, noun: str, many: str | None = None) -> str:
    """`1 turn`, `2 turns`, `1 try`, `3 tries`: never `1 tries` or `turn(s)`."""
    return f"{count} {noun if count == 1 else (many or noun + 's')}"
