"""Writing a session's score log so that nothing a trainee did is ever lost.

Each record is written with one `write` call on an O_APPEND descriptor and fsynced
before the call returns, so a crash, Ctrl-C or SIGKILL keeps every completed turn.
Files are created with O_EXCL and held under an advisory lock, so no two processes
ever write the same file; a log that is reopened (resume, or a reflection written
after the app restarted) is first cut back to its last complete line, so a torn
write from a crash never ends up in the middle of the file.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from pathlib import Path
from types import TracebackType
from typing import Any

import platformdirs

from simulator import __version__
from simulator.engine.session import Session, SessionResult
from simulator.engine.state import Turn
from simulator.files import LOG_MAX, read_capped
from simulator.folders import APP_NAME
from simulator.logs.records import (
    FORMAT_VERSION,
    NAME_MAX,
    claimed_seal,
    clean_reflection,
    clean_text,
    encode,
    is_safe_id,
    line_hash,
    now,
    seal,
    session_path,
)


class LogError(Exception):
    """The log cannot be written (folder, disk, lock): one line for the user."""


def default_log_dir() -> Path:
    """`$SIMULATOR_LOG_DIR`, else the per-user data folder's `logs/` (platformdirs)."""
    override = os.environ.get("SIMULATOR_LOG_DIR")
    if override:
        return Path(override)
    return Path(platformdirs.user_data_dir(APP_NAME)) / "logs"


def _lock(fd: int, path: Path) -> None:
    """An exclusive advisory lock for as long as this process writes the file."""
    if sys.platform == "win32":  # pragma: no cover - O_EXCL names are unique anyway
        return
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        raise LogError(f"{path}: another process is writing this session log") from None


def _fsync_dir(folder: Path) -> None:
    """Make a new file's directory entry durable too, not only its contents."""
    if sys.platform == "win32":  # pragma: no cover
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _publish(partial: Path, path: Path) -> None:
    """Give the finished first record its real name, never replacing another log."""
    try:
        os.link(partial, path)
    except FileExistsError:
        raise LogError(f"{path}: a log for this session already exists") from None
    except OSError:
        # Filesystems without hard links (some network shares): session ids are
        # random, so checking first and renaming is safe enough there.
        if path.exists():
            raise LogError(f"{path}: a log for this session already exists") from None
        os.replace(partial, path)
    else:
        partial.unlink()


def repair_tail(path: Path) -> tuple[int, str | None, int, bool]:
    """Cut a torn last line; return (records kept, hash of the last one, bytes cut,
    whether the log is sealed: a legacy log goes on unsealed, or its chain would mix)."""
    data = read_capped(path, LOG_MAX)
    end = data.rfind(b"\n") + 1
    cut = len(data) - end
    if cut:
        with path.open("r+b") as handle:
            handle.truncate(end)
            handle.flush()
            os.fsync(handle.fileno())
    lines = data[:end].splitlines()
    sealed = not lines or claimed_seal(lines[0]) is not None
    return len(lines), (line_hash(lines[-1], sealed) if lines else None), cut, sealed


class SessionLog:
    """The append-only log of one session. Use `open` for a new one, `resume` to continue."""

    path: Path

    def __init__(self, path: Path, fd: int, session_id: str, seq: int, head: str | None) -> None:
        self.path = path
        self._fd: int | None = fd
        self.session_id = session_id
        self._seq = seq
        self._head = head
        self.ended = False
        self.session: Session | None = None
        """The session being logged (None after `resume`): `abandon` records its mood."""
        self.repaired_bytes = 0
        """How many bytes of a torn last line `resume` cut away (0 for a clean file)."""
        self.sealed = True
        """Every record carries its own hash; False only when resuming a legacy log."""

    # ------------------------------------------------------------ opening

    @classmethod
    def open(
        cls,
        session: Session,
        *,
        trainee: str,
        mode: str,
        log_dir: Path | None = None,
        parent_session: str | None = None,
        branch_turn: int | None = None,
        kind: str = "play",
        team: str | None = None,
    ) -> SessionLog:
        """Create the session's file and write `session_started`.

        Turns the session already holds (a branch rewound from an earlier session)
        are written straight away as `inherited` turns, so every log replays alone.
        `kind` tags how it was played (play, branch, scripted); SIMULATOR_SESSION_KIND
        overrides it for a whole process (CI smoke runs set `test`), so such runs stay
        out of History, reports and exports unless asked for.
        """
        if not is_safe_id(session.session_id):
            raise LogError(f"session id {session.session_id!r} cannot name a log file")
        started = now()
        path = session_path(log_dir or default_log_dir(), session.session_id, started)
        # The file appears under its real name only once it holds a complete first
        # record (written to a temporary name, then hard-linked into place), so a
        # crash at any moment leaves either no log or a log that reads as a session.
        partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND, 0o644)
        except OSError as exc:
            raise LogError(f"cannot create a session log in {path.parent}: {_why(exc)}") from None
        _lock(fd, partial)
        log = cls(partial, fd, session.session_id, 0, None)
        log.session = session
        try:
            log._append(
                "session_started",
                start_payload(
                    session,
                    trainee=trainee,
                    mode=mode,
                    kind=kind,
                    team=team,
                    parent_session=parent_session,
                    branch_turn=branch_turn,
                ),
                at=started,
            )
            _publish(partial, path)
        except BaseException:
            log.close()
            partial.unlink(missing_ok=True)
            raise
        log.path = path
        _fsync_dir(path.parent)
        for turn in session.turns:
            log._append("turn", {**turn_payload(turn), "inherited": True})
        return log

    @classmethod
    def resume(cls, path: Path) -> SessionLog:
        """Reopen an existing log to append to it, cutting a torn last line first."""
        try:  # O_NONBLOCK: a FIFO put in the log's place fails at once instead of hanging
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | getattr(os, "O_NONBLOCK", 0))
        except OSError as exc:
            raise LogError(f"cannot reopen {path}: {_why(exc)}") from None
        _lock(fd, path)
        try:
            count, head, cut, sealed = repair_tail(path)
        except OSError as exc:
            os.close(fd)
            raise LogError(f"cannot reopen {path}: {_why(exc)}") from None
        session_id = path.name.removesuffix(".jsonl")
        log = cls(path, fd, session_id, count, head)
        log.repaired_bytes = cut
        log.sealed = sealed
        log.ended = _has_end(path)
        return log

    # ------------------------------------------------------------ writing

    def turn(self, turn: Turn) -> None:
        """One `turn` record, on disk before this returns."""
        if self.ended:
            raise LogError(f"{self.path}: the session has already ended")
        self._append("turn", turn_payload(turn))

    def end(self, result: SessionResult, *, reflection: str | None = None) -> None:
        """`session_ended` with outcome, score, principles and the chain's record count."""
        if self.ended:
            return
        self._append(
            "session_ended",
            {**end_payload(result, reflection=reflection), "records": self._seq + 1},
        )
        self.ended = True

    def reflect(self, text: str) -> None:
        """The trainee's reflection from the debrief; allowed after `session_ended`."""
        self._append("reflection", {"text": clean_reflection(text)})

    def abandon(self) -> None:
        """`session_ended` with status abandoned; a no-op once the session has ended.

        A session left before its first turn has nothing a manager could use, so its
        file is removed instead: quitting from the first screen, or a script whose
        first choice is wrong, leaves no "abandoned" session behind.
        """
        if self.ended:
            return
        if self._seq == 1 and self._fd is not None and self.session is not None:
            self.path.unlink(missing_ok=True)
            self.close()
            self.ended = True
            return
        payload: dict[str, Any] = {
            "status": "abandoned",
            "ending": None,
            "outcome": None,
            "score": None,
        }
        if self.session is not None:
            mood = self.session.mood
            payload.update(anger=mood.anger, trust=mood.trust, turns=len(self.session.turns))
        self._append("session_ended", {**payload, "records": self._seq + 1})
        self.ended = True

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> SessionLog:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        """Leaving the block early (error, Ctrl-C) logs the session as abandoned."""
        with contextlib.suppress(LogError):
            self.abandon()
        self.close()

    def __del__(self) -> None:
        with contextlib.suppress(Exception):
            self.close()

    @property
    def records(self) -> int:
        return self._seq

    @property
    def head(self) -> str | None:
        """The hash of the last record written: the chain head an export carries."""
        return self._head

    def _append(self, kind: str, payload: dict[str, Any], *, at: str | None = None) -> None:
        fd = self._fd
        if fd is None:
            fresh = SessionLog.resume(self.path)
            fd, self._seq, self._head = fresh._fd, fresh._seq, fresh._head
            self.sealed = fresh.sealed
            fresh._fd = None
            assert fd is not None
            self._fd = fd
        record: dict[str, Any] = {
            "v": FORMAT_VERSION,
            "type": kind,
            "session": self.session_id,
            "seq": self._seq,
            "at": at or now(),
            "prev": self._head,
        }
        clash = record.keys() & payload.keys()
        if clash:
            raise ValueError(f"payload keys clash with the envelope: {sorted(clash)}")
        record.update(payload)
        if self.sealed:
            line, head = seal(record)
        else:
            line = encode(record)
            head = line_hash(line[:-1], sealed=False)
        try:
            view = memoryview(line)
            while view:
                view = view[os.write(fd, view) :]
            if sys.platform == "linux":
                os.fdatasync(fd)
            else:  # pragma: no cover
                os.fsync(fd)
        except OSError as exc:
            raise LogError(f"cannot write {self.path}: {_why(exc)}") from None
        self._seq += 1
        self._head = head


class NoLog:
    """The log of a `--no-log` session: accepts everything, writes nothing."""

    path: Path | None = None

    def turn(self, turn: Turn) -> None:
        pass

    def end(self, result: SessionResult, *, reflection: str | None = None) -> None:
        pass

    def reflect(self, text: str) -> None:
        pass

    def abandon(self) -> None:
        pass

    def close(self) -> None:
        pass

    def __enter__(self) -> NoLog:
        return self

    def __exit__(self, *exc: object) -> None:
        pass


def start_payload(
    session: Session,
    *,
    trainee: str,
    mode: str,
    kind: str = "play",
    team: str | None = None,
    parent_session: str | None = None,
    branch_turn: int | None = None,
) -> dict[str, Any]:
    """`session_started` as logged (without the chain's own fields). Public so that test
    data sets are written with exactly the writer's records, not a copy that drifts."""
    loaded = session.loaded
    start = session.start_state.mood
    return {
        "app_version": __version__,
        "scenario": loaded.scenario.id,
        "title": loaded.scenario.title,
        "scenario_sha256": loaded.sha256,
        "scenario_file": loaded.file,
        "seed": session.seed,
        "trainee": clean_text(trainee, NAME_MAX) or "unknown",
        "team": clean_text(team, NAME_MAX) or None if team else None,
        "mode": mode,
        "kind": os.environ.get("SIMULATOR_SESSION_KIND") or kind,
        "start_anger": start.anger,
        "start_trust": start.trust,
        "parent_session": parent_session,
        "branch_turn": branch_turn,
    }


def end_payload(result: SessionResult, *, reflection: str | None = None) -> dict[str, Any]:
    """`session_ended` as logged, but for its `records` count (the chain's to know)."""
    abandoned = result.status == "abandoned"
    return {
        "status": result.status,
        "ending": result.ending,
        "outcome": result.outcome,
        "score": None if abandoned else result.score.score,
        "grade": None if abandoned else result.score.grade,
        "score_parts": None
        if abandoned
        else {
            "choice_quality": result.score.quality,
            "mood": result.score.mood,
            "outcome": result.score.outcome_points,
        },
        "principles": {} if abandoned else dict(result.score.principles),
        "anger": result.end.anger,
        "trust": result.end.trust,
        "turns": len(result.turns),
        "reflection": clean_reflection(reflection) if reflection else None,
    }


def turn_payload(turn: Turn) -> dict[str, Any]:
    """A turn as logged: the engine's turn JSON without each effect's repeated reason.

    `reasons[i]` is the reason of `effects[i]`; storing it once halves the record.
    """
    data = turn.to_json()
    data["effects"] = [
        {key: value for key, value in effect.items() if key != "reason"}
        for effect in data["effects"]
    ]
    return data


def _has_end(path: Path) -> bool:
    """Whether a log already holds `session_ended` (so `abandon` must not add one)."""
    for line in read_capped(path, LOG_MAX).splitlines():
        try:
            if json.loads(line).get("type") == "session_ended":
                return True
        except (ValueError, AttributeError, RecursionError):
            continue
    return False


def _why(exc: OSError) -> str:
    return exc.strerror or exc.__class__.__name__
