"""A `--replies FILE`: one typed reply per line, read as untrusted input.

The file must be a regular file (a FIFO or device would hang or never end), at most
`MAX_BYTES`, and UTF-8; anything else is one line for the user, never a traceback.
Blank lines are skipped but still counted, so errors name the line a person sees.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

MAX_BYTES = 256 * 1024
"""A replies file larger than this is refused: no conversation has that many turns."""


class RepliesError(ValueError):
    """The replies file cannot be used; the message is one line naming the file."""


def read_replies(path: Path) -> list[tuple[int, str]]:
    """(line number, reply) for every non-blank line, the text exactly as typed."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        raise RepliesError(f"{path}: cannot read replies: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise RepliesError(f"{path}: not a regular file")
        if info.st_size > MAX_BYTES:
            raise RepliesError(f"{path}: too large for a replies file (over {MAX_BYTES} bytes)")
        data = os.read(fd, MAX_BYTES + 1)
    except OSError as exc:
        raise RepliesError(f"{path}: cannot read replies: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    if len(data) > MAX_BYTES:
        raise RepliesError(f"{path}: too large for a replies file (over {MAX_BYTES} bytes)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise RepliesError(f"{path}:{line}: not UTF-8 text (byte {exc.start})") from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise RepliesError(f"{path}:{line}: a NUL byte: this is not a text file")
    return [
        (number, line.strip())
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip()
    ]
