"""Reading score logs without ever crashing on them.

A log folder is shared, copied around and occasionally edited, so every file is read
as untrusted: a torn last line (a crash mid-write) is skipped with a warning naming
the file and line; a record that does not parse, or breaks the hash chain, makes the
session *unverified* instead of stopping the read; a session without an end record
counts as abandoned. Parsing and chain checking happen in the same single pass.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from simulator.files import LOG_MAX, read_capped, why
from simulator.logs.fields import INVALID, checked, clean
from simulator.logs.records import (
    FORMAT_VERSION,
    KINDS,
    LINE_MAX,
    STATUSES,
    SUFFIX,
    claimed_seal,
    digest,
    parse_time,
    runs_on,
    seal_holds,
)
from simulator.text import one_line

log = logging.getLogger("simulator.logs")

_EPOCH = datetime.fromisoformat("1970-01-01T00:00:00+00:00")


@dataclass(frozen=True)
class Issue:
    """Something wrong in a log file, pointing at the line (0 for the whole file)."""

    path: Path | str
    """The log file, or (`verify --against`) the export file or LRS URL it came from."""
    line: int
    message: str
    severity: str = "error"
    """`error` breaks verification; `warning` (a torn last line) does not."""

    def __str__(self) -> str:
        """One line whatever the file name or message holds (controls shown escaped)."""
        where = f"{one_line(self.path)}:{self.line}" if self.line else one_line(self.path)
        return f"{where}: {self.severity}: {one_line(self.message)}"


@dataclass
class ParsedLog:
    """One file's records in order, what is wrong with it, and its chain head."""

    path: Path
    records: list[dict[str, Any]] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    head: str | None = None
    """The last complete record's hash: what an export records to detect later edits."""
    readable: bool = True
    """False when the entry could not be read at all (a FIFO, a device, too large):
    it is an issue, not a session, so readers skip it and report everything else."""
    sealed: bool = False
    """Every record carries its own hash (False: a legacy log, or an empty one)."""
    end_line: int | None = None
    """The line of `session_ended`, the record that closes the session (None: no end)."""
    end_hash: str | None = None
    """That record's hash: an anchor that a reflection added later does not move."""

    @property
    def verified(self) -> bool:
        """Sealed, chain intact, every field usable: its numbers can be trusted."""
        return self.sealed and not any(issue.severity == "error" for issue in self.issues)


@dataclass(frozen=True)
class SessionSummary:
    """One session as reports, exports and the TUI's history see it."""

    session_id: str
    trainee: str
    scenario: str
    title: str
    mode: str
    started_at: datetime
    ended_at: datetime | None
    status: str
    """completed | walked_out | abandoned (no end record also means abandoned)."""
    outcome: str | None
    score: int | None
    turns: int
    verified: bool
    """The hash chain is intact and every line parsed (a torn last line is allowed)."""
    parent_session: str | None
    principles: dict[str, int] = field(default_factory=dict)
    anger: int | None = None
    trust: int | None = None
    grade: str | None = None
    ending: str | None = None
    reflection: str | None = None
    seed: int | None = None
    scenario_sha256: str | None = None
    app_version: str | None = None
    records: int = 0
    chain_head: str | None = None
    path: Path | None = None
    kind: str = "play"
    """play | scripted | branch | test (see docs/logs.md); legacy logs read as play."""
    team: str | None = None
    sealed: bool = True
    end_records: int | None = None
    """Records up to and including `session_ended`, and that record's hash: the anchor
    xAPI statements carry, so a reflection written later changes no statement."""
    end_hash: str | None = None

    @property
    def duration_s(self) -> float | None:
        if self.ended_at is None:
            return None
        return max(0.0, (self.ended_at - self.started_at).total_seconds())


# ---------------------------------------------------------------- files


def log_files(dirs: Sequence[Path], issues: list[Issue] | None = None) -> list[Path]:
    """Every `*.jsonl` under the given folders (or the files themselves), sorted."""
    found: list[Path] = []
    for root in dirs:
        if not root.is_dir() and (root.is_symlink() or root.exists()):
            found.append(root)  # a file, or a FIFO or loop that parse_log reports
            continue
        if not root.is_dir():
            if issues is not None:
                issues.append(Issue(root, 0, "no such log folder", "warning"))
            continue
        for folder, subdirs, files in os.walk(root):
            subdirs.sort()
            found += [Path(folder, name) for name in sorted(files) if name.endswith(SUFFIX)]
    return found


def parse_log(path: Path) -> ParsedLog:
    """Read and chain-check one file; never raises, every problem becomes an Issue."""
    parsed = ParsedLog(path)
    try:
        data = read_capped(path, LOG_MAX)
    except OSError as exc:
        parsed.issues.append(Issue(path, 0, f"cannot read: {why(exc)}; skipped"))
        parsed.readable = False
        return parsed
    check_bytes(parsed, data)
    return parsed


def check_bytes(parsed: ParsedLog, data: bytes) -> None:
    """Split a file's bytes into lines, set the torn tail aside, check the rest."""
    lines = data.split(b"\n")
    tail = lines.pop()
    _check(parsed, lines)
    if tail:
        torn = len(lines) + 1
        if parsed.sealed and runs_on(tail):
            parsed.issues.append(
                Issue(parsed.path, torn, "the last record runs on past its seal (line end edited)")
            )
        else:
            parsed.issues.append(
                Issue(
                    parsed.path,
                    torn,
                    "torn last line (a write interrupted by a crash); skipped",
                    "warning",
                )
            )


_CHAIN_BROKEN = (
    "hash chain broken: the record before this one was edited, dropped, inserted or reordered"
)


_DECODER = json.JSONDecoder(parse_constant=lambda _: INVALID)


def _load(line: bytes) -> Any:
    """Strict JSON: NaN and Infinity become a value no type check accepts."""
    return _DECODER.decode(line.decode("utf-8"))


def _check(parsed: ParsedLog, lines: list[bytes]) -> None:
    """The chain rules, in one pass: see docs/logs.md for what each one catches."""
    path, issues, records = parsed.path, parsed.issues, parsed.records
    previous: str | None = None
    expected = 0
    session: str | None = None
    ended = False
    sealed = bool(lines) and claimed_seal(lines[0]) is not None
    parsed.sealed = sealed
    for number, line in enumerate(lines, start=1):
        if sealed:
            claimed = claimed_seal(line)
            here = claimed or digest(line)
            if claimed is None:
                issues.append(Issue(path, number, "record is not sealed (its hash is missing)"))
            elif not seal_holds(line, claimed):
                issues.append(
                    Issue(path, number, "record edited: its content no longer matches its hash")
                )
        else:
            here = digest(line)
        if len(line) > LINE_MAX:
            issues.append(Issue(path, number, f"line longer than {LINE_MAX} bytes; skipped"))
            previous = here
            continue
        record = checked(line)
        if record is None:  # something is off: the careful path says what
            try:
                record = _load(line)
            except (ValueError, RecursionError):
                issues.append(Issue(path, number, "not a JSON record"))
                previous = here
                continue
            if not isinstance(record, dict):
                issues.append(Issue(path, number, "not a JSON record"))
                previous = here
                continue
            problems = clean(record, escaped=b"\\u" in line)
            if problems:
                issues += [Issue(path, number, problem) for problem in problems]
        version, kind, seq = record.get("v"), record.get("type"), record.get("seq")
        if not isinstance(version, int) or version < 1 or version > FORMAT_VERSION:
            issues.append(Issue(path, number, f"unknown log format version {version!r}"))
        if kind not in KINDS:
            issues.append(Issue(path, number, f"unknown record type {str(kind)[:40]!r}"))
        if number == 1 and kind != "session_started":
            issues.append(Issue(path, number, "the log does not start with session_started"))
        if session is None:
            session = record.get("session")
        elif record.get("session") != session:
            issues.append(Issue(path, number, "record belongs to another session (mixed in?)"))
        if not isinstance(seq, int):
            issues.append(Issue(path, number, "record has no sequence number"))
        elif seq > expected:
            issues.append(
                Issue(path, number, f"{seq - expected} record(s) missing before this one (dropped)")
            )
        elif seq < expected:
            issues.append(Issue(path, number, "record out of order or inserted (sequence repeats)"))
        if record.get("prev") != previous:
            issues.append(Issue(path, number, _CHAIN_BROKEN))
        if ended and kind != "reflection":
            issues.append(Issue(path, number, f"{kind} after session_ended"))
        if kind == "session_ended":
            ended = True
            parsed.end_line, parsed.end_hash = number, here
            count = record.get("records")
            if count is not None and count != number:
                issues.append(
                    Issue(path, number, f"end record counts {count} records but is record {number}")
                )
        expected = (seq if isinstance(seq, int) else expected) + 1
        previous = here
        records.append(record)
    parsed.head = previous
    if not lines:
        issues.append(Issue(path, 0, "empty log (no complete record)"))
    elif not sealed and records:  # a file with no record in it is no log, legacy or not
        issues.append(
            Issue(
                path,
                0,
                "legacy log written before records were sealed: its last record (the score) "
                "is covered by nothing",
                "warning",
            )
        )


def summarize(parsed: ParsedLog) -> SessionSummary:
    """The session a parsed file describes; missing pieces get neutral defaults."""
    start: dict[str, Any] = {}
    end: dict[str, Any] = {}
    reflection: str | None = None
    turns = 0
    for record in parsed.records:
        kind = record.get("type")
        if kind == "turn":
            turns += 1
        elif kind == "session_started" and not start:
            start = record
        elif kind == "session_ended" and not end:
            end = record
            if isinstance(record.get("reflection"), str):
                reflection = record["reflection"]
        elif kind == "reflection" and isinstance(record.get("text"), str):
            reflection = record["text"]
    status = end.get("status") if end.get("status") in STATUSES else "abandoned"
    principles = end.get("principles")
    return SessionSummary(
        session_id=_str(start.get("session"), parsed.path.stem),
        trainee=_str(start.get("trainee"), "unknown"),
        scenario=_str(start.get("scenario"), "unknown"),
        title=_str(start.get("title"), ""),
        mode=_str(start.get("mode"), "practice"),
        started_at=parse_time(start.get("at")) or _EPOCH,
        ended_at=parse_time(end.get("at")) if end else None,
        status=str(status),
        outcome=_opt_str(end.get("outcome")),
        score=_opt_int(end.get("score")) if status != "abandoned" else None,
        turns=turns,
        verified=parsed.verified,
        parent_session=_opt_str(start.get("parent_session")),
        principles=(
            {str(k): v for k, v in principles.items() if isinstance(v, int)}
            if isinstance(principles, dict)
            else {}
        ),
        anger=_opt_int(end.get("anger")),
        trust=_opt_int(end.get("trust")),
        grade=_opt_str(end.get("grade")),
        ending=_opt_str(end.get("ending")),
        reflection=reflection,
        seed=_opt_int(start.get("seed")),
        scenario_sha256=_opt_str(start.get("scenario_sha256")),
        app_version=_opt_str(start.get("app_version")),
        records=len(parsed.records),
        chain_head=parsed.head,
        path=parsed.path,
        kind=_str(start.get("kind"), "play"),
        team=_opt_str(start.get("team")),
        sealed=parsed.sealed,
        end_records=parsed.end_line,
        end_hash=parsed.end_hash,
    )


def _str(value: object, default: str) -> str:
    return value if isinstance(value, str) else default


def _opt_str(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _opt_int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


# ---------------------------------------------------------------- folders


def dirs_or_default(dirs: Sequence[Path] | None) -> list[Path]:
    """The folders named, else the default log folder (the writer, and the engine it
    imports, are loaded only for that)."""
    if dirs:
        return list(dirs)
    from simulator.logs.writer import default_log_dir

    return [default_log_dir()]


def iter_logs(dirs: Sequence[Path] | None, issues: list[Issue]) -> Iterator[ParsedLog]:
    """Parse every log under `dirs` (default: the default log folder), one at a time.

    Streaming keeps memory bounded by one file; problems are appended to `issues`.
    """
    yield from parse_logs(log_files(dirs_or_default(dirs), issues), issues)


def parse_logs(paths: Iterable[Path | str], issues: list[Issue]) -> Iterator[ParsedLog]:
    """`parse_log` of each file in turn: every file's problems go to `issues`, and a file
    that could not be read at all is an issue only, not a session."""
    for path in paths:
        parsed = parse_log(Path(path))
        issues += parsed.issues
        if parsed.readable:
            yield parsed


def read_sessions(
    dirs: Sequence[Path] | None = None, *, issues: list[Issue] | None = None
) -> list[SessionSummary]:
    """Every session under `dirs`, oldest first. Never raises on bad files.

    Problems (torn lines, broken chains, unreadable files) are appended to `issues`
    when a list is passed, and always logged as warnings on the `simulator.logs`
    logger, so a caller that ignores them still leaves a trace.
    """
    collected: list[Issue] = []
    sessions = [summarize(parsed) for parsed in iter_logs(dirs, collected)]
    for issue in collected:
        log.warning("%s", issue)
    if issues is not None:
        issues += collected
    sessions.sort(key=lambda s: (s.started_at, s.session_id))
    return sessions


def turn_records(records: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The turn records of a session in order (inherited ones from a branch included)."""
    return [r for r in records if r.get("type") == "turn"]
