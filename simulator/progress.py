"""A status line for a command that can run for minutes, so it never looks hung.

`simulator check` of a large scenario can think for minutes with nothing to print
until it is done; on a terminal that silence reads as a hang. While a command works,
`Progress` redraws one line on stderr each second (how many items are done, how long
it has been, which items it is still waiting for) and erases it before the results
are printed. Only on a terminal: piped or redirected output (CI, pre-commit, editors,
`--format json`) gets nothing extra, byte for byte. Item names are shown literally
(controls and bidi escaped), like every other name the CLI prints.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from types import TracebackType
from typing import TextIO

from simulator.text import one_line

TICK_S = 1.0
NAMES_SHOWN = 2
WIDTH = 100
"""The line is cut to this many characters, so it never wraps on a normal terminal."""


class Progress:
    """`with Progress(names, "checking", sys.stderr): ... progress.done(name)`."""

    def __init__(self, names: Sequence[str], doing: str, stream: TextIO) -> None:
        self._waiting = dict.fromkeys(names)
        self._total = len(self._waiting)
        self._doing = doing
        self._stream = stream
        try:
            self._shown = stream.isatty()
        except (OSError, ValueError):
            self._shown = False
        self._drawn = False
        self._started = time.monotonic()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._tick, name="progress", daemon=True)

    def __enter__(self) -> Progress:
        if self._shown:
            self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()
        self._write("")  # erased: the results start on a clean line

    def done(self, name: str) -> None:
        with self._lock:
            self._waiting.pop(name, None)

    def line(self) -> str:
        """What the status line says now (without the terminal's erase codes)."""
        with self._lock:
            waiting = list(self._waiting)
        finished = self._total - len(waiting)
        elapsed = int(time.monotonic() - self._started)
        clock = f"{elapsed // 60}:{elapsed % 60:02d}"
        text = f"{self._doing}: {finished} of {self._total} done, {clock}"
        if not waiting:
            return text
        names = [one_line(name) for name in waiting]
        for count in range(min(NAMES_SHOWN, len(names)), 0, -1):
            more = f" and {len(names) - count} more" if len(names) > count else ""
            line = f"{text}; waiting for {', '.join(names[:count])}{more}"
            if len(line) <= WIDTH:
                return line
        return line[: WIDTH - 1] + "…"  # one name too long for the line: cut it

    def _tick(self) -> None:
        while not self._stop.wait(TICK_S):
            self._write(self.line())

    def _write(self, text: str) -> None:
        if not self._shown or not (text or self._drawn):
            return
        try:
            self._stream.write(f"\r\x1b[K{text}")
            self._stream.flush()
        except (OSError, ValueError):
            self._shown = False  # the terminal went away: the command goes on without it
        self._drawn = bool(text)
