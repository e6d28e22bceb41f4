"""A `--replies FILE`: one typed reply per line, read as untrusted input.

The bytes come through `simulator.files.read_capped` (regular files only, never
blocking on a FIFO, at most `REPLY_MAX`); they must be UTF-8 text without NUL bytes.
Anything else is one line for the user, never a traceback. Blank lines are skipped
but still counted, so errors name the line a person sees in an editor.
"""

from __future__ import annotations

from pathlib import Path

from simulator.files import REPLY_MAX, UnreadableFile, read_capped
from simulator.text import one_line

MAX_BYTES = REPLY_MAX
"""A replies file larger than this is refused: no conversation has that many turns."""


class RepliesError(ValueError):
    """The replies file cannot be used; the message is one line naming the file."""


def read_replies(path: Path) -> list[tuple[int, str]]:
    """(line number, reply) for every non-blank line, the text exactly as typed."""
    name = one_line(path)
    try:
        data = read_capped(path, MAX_BYTES)
    except UnreadableFile as exc:
        raise RepliesError(f"{name}: cannot read replies: {exc.reason}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise RepliesError(f"{name}:{line}: not UTF-8 text (byte {exc.start})") from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise RepliesError(f"{name}:{line}: a NUL byte: this is not a text file")
    return [
        (number, line.strip())
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip()
    ]
