"""Reading a file someone else may have placed: regular files only, never past a cap.

Scenario files are downloaded, log folders are shared, secrets and exports sit in
folders anyone may write to. A FIFO named `x.yaml` would block a plain `open` for
ever, a symlink to `/dev/zero` would be read until memory runs out, and a 20 GB log
would be read whole before any size check. So every read goes through
`read_capped`: the file is opened without blocking (O_NONBLOCK, which also makes
opening a FIFO return at once), checked to be a regular file on the open
descriptor (no race between check and read), and read to at most `cap + 1` bytes.
Failures are `UnreadableFile`, an `OSError` whose `strerror` is one line saying why,
so callers that already catch `OSError` report it unchanged.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import Final

SCENARIO_MAX: Final = 1_000_000
"""The scenario cap (the YAML layer's MAX_BYTES): real scenarios are under 100 KB."""
LOG_MAX: Final = 16_000_000
"""One session's log: a long session is well under 1 MB."""
SECRET_MAX: Final = 4_096
"""The export secret is 64 hex digits and a newline."""
SETTINGS_MAX: Final = 65_536
EXPORT_MAX: Final = 64_000_000
"""An export read back by `verify --against`: about 50,000 sessions as xAPI."""
TEAMS_MAX: Final = 16_000_000
"""A manager's trainee,team mapping: 100,000 trainees are a few MB."""
SENT_MAX: Final = 256_000_000
"""What `send` remembers one LRS acknowledged: ~100 bytes a session, so a million
sessions fit with room to spare."""
CACHE_MAX: Final = 2_000_000_000
"""One kept cache file (a report's folder totals, the check's verdicts)."""
REPLY_MAX: Final = 65_536
"""A file of typed replies or any other small text a trainee hands in."""

_CHUNK: Final = 1 << 20
_KINDS: Final = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


class UnreadableFile(OSError):
    """A file that cannot be read safely; `strerror` is the one-line reason."""

    def __init__(self, path: str | os.PathLike[str], reason: str, code: int = errno.EINVAL) -> None:
        super().__init__(code, reason, os.fspath(path))
        self.path = Path(path)
        self.reason = reason

    def __str__(self) -> str:
        return self.reason


class FileTooLarge(UnreadableFile):
    """The file holds more than the cap allows."""


def kind_of(mode: int) -> str:
    """What a non-regular file is, in words ("a named pipe (FIFO)")."""
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def why(exc: OSError) -> str:
    """An OSError as one short line; a symlink loop gets its own words."""
    if isinstance(exc, UnreadableFile):
        return exc.reason
    if exc.errno == errno.ELOOP:
        return "symlink loop (the link points back at itself)"
    if exc.errno == errno.ENOENT:
        return "no such file or folder"
    return exc.strerror or exc.__class__.__name__


def _open(path: str | os.PathLike[str]) -> int:
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    flags |= getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    if not hasattr(os, "O_NONBLOCK"):  # pragma: no cover - Windows: no FIFOs to block on
        mode = os.stat(path).st_mode
        if not stat.S_ISREG(mode):
            raise UnreadableFile(path, f"not a regular file: {kind_of(mode)}")
    try:
        return os.open(path, flags)
    except OSError as exc:
        reason = why(exc)
        try:  # a socket cannot even be opened: say what it is rather than ENXIO
            mode = os.stat(path).st_mode
            if not stat.S_ISREG(mode):
                reason = f"not a regular file: {kind_of(mode)}"
        except OSError:
            pass
        raise UnreadableFile(path, reason, exc.errno or errno.EIO) from None
    except ValueError:  # an embedded NUL byte: no such name can exist
        raise UnreadableFile(path, "the name holds a NUL character") from None


def read_capped(path: str | os.PathLike[str], cap: int) -> bytes:
    """The bytes of a regular file of at most `cap` bytes, or `UnreadableFile`.

    Never blocks on a FIFO or device and never reads more than `cap + 1` bytes, so
    a file that grows while it is read is still refused rather than read whole.
    """
    fd = _open(path)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableFile(path, f"not a regular file: {kind_of(info.st_mode)}")
        if info.st_size > cap:
            raise FileTooLarge(path, _too_large(info.st_size, cap), errno.EFBIG)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        chunks: list[bytes] = []
        size = 0
        while size <= cap:
            chunk = os.read(fd, min(_CHUNK, cap + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except UnreadableFile:
        raise
    except OSError as exc:
        raise UnreadableFile(path, why(exc), exc.errno or errno.EIO) from None
    finally:
        os.close(fd)
    if size > cap:
        raise FileTooLarge(path, _too_large(None, cap), errno.EFBIG)
    return b"".join(chunks)


def _too_large(size: int | None, cap: int) -> str:
    held = f"{size:,} bytes" if size is not None else "more bytes"
    return f"file is too large: {held} (the limit is {cap:,} bytes)"


def check_exists(path: Path) -> str | None:
    """Why a named path cannot be used (missing, symlink loop), or None if it exists.

    `Path.exists()` says False for a symlink loop, which users then read as "no
    such file" while `ls` shows it; this names the real cause.
    """
    try:
        os.stat(path)
    except OSError as exc:
        return why(exc)
    except ValueError:  # an embedded NUL byte
        return "the name holds a NUL character"
    return None
