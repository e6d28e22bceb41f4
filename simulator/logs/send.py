"""`simulator send`: deliver every session's xAPI statements to an LRS, exactly once.

What each LRS has acknowledged is remembered in a small state file per LRS (in the
per-user data folder), written after every acknowledged batch. So a second send adds
nothing, an LRS that goes down mid-send loses nothing (the batch it did not
acknowledge is sent again next time, and the LRS keeps one copy because the
statement ids are derived from their content), and a session that changed since
(it grew, or it is sent anonymised as well) is sent again under new ids.

Only verified sessions are sent: an LRS is where a manager keeps the record they can
trust, and `verify --against` the LRS later uses it as the anchor. A session still
being played (no end record, touched in the last few hours) waits for the next send.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from simulator.files import SENT_MAX, read_capped, why
from simulator.folders import data_folder
from simulator.logs.lrs import LRS, LRSError
from simulator.logs.reader import Issue, iter_logs, summarize, turn_records
from simulator.logs.select import Filter
from simulator.logs.xapi import Identity, statements

BATCH = 500
"""Statements per POST: well under any LRS's request limit, few round trips."""
OPEN_GRACE_S = 6 * 3600
"""A log with no end record that changed this recently may still be being played."""


@dataclass
class Delivery:
    """What one send did: counts for the summary line, problems for stderr."""

    sessions: int = 0
    sent_sessions: int = 0
    statements: int = 0
    already: int = 0
    still_open: int = 0
    skipped: list[Issue] = field(default_factory=list)


def state_path(lrs_url: str) -> Path:
    """`SIMULATOR_DATA_DIR` or the per-user data folder, `sent/<hash of the URL>.json`."""
    folder = data_folder()
    key = hashlib.sha256(lrs_url.rstrip("/").encode()).hexdigest()[:16]
    return folder / "sent" / f"{key}.json"


class StateError(Exception):
    """The state file could not be written; the message is one line for the user."""


class State:
    """session id → the statement sets this LRS has acknowledged for it."""

    def __init__(self, path: Path, url: str) -> None:
        self.path, self.url = path, url
        self.sessions: dict[str, list[str]] = {}
        try:  # capped and regular files only: a FIFO there must not hang every send
            data = json.loads(read_capped(path, SENT_MAX))
        except (OSError, ValueError, RecursionError):
            return  # nothing sent yet (or a damaged file: resending is harmless)
        sessions = data.get("sessions") if isinstance(data, dict) else None
        if isinstance(sessions, dict):
            self.sessions = {
                str(k): [str(x) for x in v] for k, v in sessions.items() if isinstance(v, list)
            }

    def delivered(self, session_id: str, key: str) -> bool:
        return key in self.sessions.get(session_id, ())

    def mark(self, session_id: str, key: str) -> None:
        self.sessions.setdefault(session_id, []).append(key)

    def save(self) -> None:
        """Atomically, so a send killed at any moment leaves the old or the new state.

        Raises StateError: the LRS took the batch, but this machine cannot remember it
        (a full disk, a folder in the way), which the user must hear about in one line.
        Nothing is lost: the next send offers those statements again, and the LRS keeps
        one copy of each (their ids come from their content).
        """
        partial = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            partial.write_text(
                json.dumps({"lrs": self.url, "sessions": self.sessions}, indent=0),
                encoding="utf-8",
            )
            partial.replace(self.path)
        except OSError as exc:
            with contextlib.suppress(OSError):
                partial.unlink()
            raise StateError(
                f"the LRS took the statements, but what was sent cannot be remembered in "
                f"{self.path}: {why(exc)} (the next send offers them again; the LRS keeps "
                "one copy)"
            ) from None


def content_key(made: Sequence[dict[str, Any]]) -> str:
    return hashlib.sha256("\n".join(s["id"] for s in made).encode()).hexdigest()


def send(
    dirs: Sequence[Path] | None,
    lrs: LRS,
    *,
    where: Filter | None = None,
    name: Callable[[str], str] = str,
    identity: Identity | None = None,
    batch: int = BATCH,
    state: State | None = None,
    progress: Callable[[Delivery], None] | None = None,
) -> Delivery:
    """Send what the LRS has not acknowledged yet; raises LRSError, keeping what was done."""
    where = where or Filter()
    state = state or State(state_path(lrs.url), lrs.url)
    done = Delivery()
    pending: list[dict[str, Any]] = []
    marks: list[tuple[str, str]] = []

    def flush() -> None:
        if not pending:
            return
        lrs.post(pending)
        for session_id, key in marks:
            state.mark(session_id, key)
        state.save()
        done.statements += len(pending)
        done.sent_sessions += len(marks)
        pending.clear()
        marks.clear()
        if progress is not None:
            progress(done)

    issues: list[Issue] = []
    now = time.time()
    for parsed in iter_logs(dirs, issues):
        summary = summarize(parsed)
        if not parsed.records or not where(summary):
            continue
        done.sessions += 1
        if not parsed.verified:
            done.skipped.append(Issue(parsed.path, 0, "not sent: the log fails verification"))
            continue
        if parsed.end_line is None and now - _stat(parsed.path).st_mtime < OPEN_GRACE_S:
            done.still_open += 1
            continue
        made = list(statements(summary, turn_records(parsed.records), name, identity))
        key = content_key(made)
        if state.delivered(summary.session_id, key):
            done.already += 1
            continue
        if pending and len(pending) + len(made) > batch:
            flush()
        pending.extend(made)
        marks.append((summary.session_id, key))
    flush()
    return done


def _stat(path: Path) -> os.stat_result:
    """The file's stat, or all zeros when it is gone (never raises)."""
    try:
        return path.stat()
    except OSError:
        return os.stat_result((0,) * 10)


BACKGROUND_LOG = "background.log"
BACKGROUND_LOG_MAX = 256 * 1024
"""The background sends' own log starts afresh beyond this, so it never grows for ever."""
_STARTED: list[Any] = []


def send_in_background(log_file: Path) -> bool:
    """Deliver one just-ended session in a detached `simulator send`, if an LRS is set.

    Detached, so neither the game nor its exit waits on the network, and a send still
    running when the player quits finishes on its own. Its output (the summary line,
    or why the LRS did not take it) is appended to `sent/background.log` beside the
    state files, under a line with the time and the file. It sends only this session's
    file: one that could not be delivered (the LRS was down) waits for the next
    `simulator send`, which retries everything. Never raises: delivery must not cost
    the trainee their session.
    """
    from simulator.settings import load_settings

    settings = load_settings()
    if not settings.lrs_url or settings.send_after_play is False:
        return False
    import subprocess
    import sys

    record = state_path(settings.lrs_url).parent / BACKGROUND_LOG
    try:
        record.parent.mkdir(parents=True, exist_ok=True)
        mode = "wb" if _stat(record).st_size > BACKGROUND_LOG_MAX else "ab"
        with record.open(mode) as output:
            stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
            output.write(f"{stamp} after play: {log_file}\n".encode(errors="replace"))
            output.flush()
            started = subprocess.Popen(
                [sys.executable, "-m", "simulator", "send", os.path.abspath(log_file)],
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=output,
                start_new_session=True,
                close_fds=True,
            )
    except OSError:
        return False
    _STARTED.append(started)  # held, so it is never collected (and warned about) running
    return True


__all__ = [
    "BACKGROUND_LOG",
    "Delivery",
    "LRSError",
    "State",
    "StateError",
    "send",
    "send_in_background",
    "state_path",
]
