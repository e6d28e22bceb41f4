"""The game on a real pseudo-terminal, as a trainee's terminal window runs it: the
bytes it writes, the keys it reads and the signals a closed window sends."""

from __future__ import annotations

import fcntl
import os
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

from tests.conftest import REPO


def read_all(fd: int, process: subprocess.Popen[bytes], until: float) -> bytes:
    """Everything the terminal shows until `until`, or until the program has gone."""
    chunks: list[bytes] = []
    while time.monotonic() < until:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                data = os.read(fd, 65536)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
        elif process.poll() is not None:
            break
    return b"".join(chunks)


class Terminal:
    """`simulator ARGS` in an 80×24 pseudo-terminal, with the user folders under `home`."""

    def __init__(self, home: Path, *args: str, cwd: Path | None = None) -> None:
        self.main, child = os.openpty()
        fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        env = {
            **os.environ,
            "TERM": "xterm-256color",
            "SIMULATOR_CONFIG_DIR": str(home / "config"),
            "SIMULATOR_LOG_DIR": str(home / "logs"),
            "COLUMNS": "80",
            "LINES": "24",
            "PYTHONPATH": str(REPO),
        }
        env.pop("NO_COLOR", None)
        env.pop("TEXTUAL", None)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "simulator", *args],
            stdin=child,
            stdout=child,
            stderr=child,
            env=env,
            cwd=cwd,
            close_fds=True,
            start_new_session=True,  # its own session, as a terminal window's shell has
        )
        os.close(child)
        self.shown = b""

    def wait_for(self, text: str, seconds: float = 60.0) -> None:
        """Read until `text` has been drawn (as one run of characters)."""
        until = time.monotonic() + seconds
        while text.encode() not in self.shown and time.monotonic() < until:
            self.shown += read_all(self.main, self.process, time.monotonic() + 0.5)
            if self.process.poll() is not None:
                break
        assert text.encode() in self.shown, f"{text!r} never appeared"

    def press(self, keys: bytes) -> None:
        os.write(self.main, keys)

    def end(self, seconds: float = 60.0) -> int:
        """Wait for the program to finish (reading what it draws meanwhile)."""
        until = time.monotonic() + seconds
        while self.process.poll() is None and time.monotonic() < until:
            self.shown += read_all(self.main, self.process, time.monotonic() + 0.5)
        return self.process.wait(timeout=1)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        os.close(self.main)
