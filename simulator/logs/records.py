"""The log format in one place: record envelope, version, hashing and file names.

Every reader and writer goes through these few functions so the format cannot drift
between them. A log is one JSON Lines file per session; each line is one record:

    {"v": 1, "type": "turn", "session": "…", "seq": 3, "at": "…Z", "prev": "<sha256>", …,
     "hash": "<sha256>"}

Every record is *sealed*: `hash` is the SHA-256 of the line's exact bytes up to the
`,"hash":` that closes it, so it covers `prev` and every field of its own record, the
last record included; `prev` is the previous record's `hash` (null on the first line),
so the records of a session form a hash chain with nothing left uncovered. Logs
written before sealing (no `hash`, `prev` = SHA-256 of the previous line) are still
read, as *legacy*: their last record is covered by nothing. docs/logs.md describes
every field.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

FORMAT_VERSION = 1
"""Bumped only for changes old readers would misread; new optional fields keep it."""

KINDS = ("session_started", "turn", "session_ended", "reflection")
STATUSES = ("completed", "walked_out", "abandoned")
ENVELOPE = ("v", "type", "session", "seq", "at", "prev")
SEAL = "hash"
"""The field that closes every sealed record; always the last key on the line."""
LINE_MAX = 64 * 1024
"""Records are a few KB; a longer line is skipped unread (a reader's memory and time
are bounded by this, not by whatever a file holds)."""
SUFFIX = ".jsonl"
NAME_MAX = 80
REFLECTION_MAX = 4000

_SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def now() -> str:
    """UTC time to the millisecond, ISO 8601 with a Z: sortable and unambiguous."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_time(text: object) -> datetime | None:
    """A record's timestamp, or None when missing or malformed (readers never raise)."""
    if not isinstance(text, str):
        return None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def digest(line: bytes) -> str:
    """The chain hash of one record: SHA-256 of its bytes as written, without newline."""
    return hashlib.sha256(line).hexdigest()


def encode(record: dict[str, Any]) -> bytes:
    """One record as one line. Compact, UTF-8; JSON escapes every newline in strings."""
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


_SEAL_OPEN = b',"hash":"'
_HEX_LEN = 64
_HEX_DIGITS = b"0123456789abcdef"
_SEAL_ANYWHERE = re.compile(rb',"hash":"[0-9a-f]{64}"\}')
_SEAL_LEN = len(b',"hash":""}') + 64


def seal(record: dict[str, Any]) -> tuple[bytes, str]:
    """One record as one sealed line (with its newline) and its hash.

    The hash covers the exact bytes that precede it on the line, so an edit of any
    byte of the record, or of the hash itself, no longer matches.
    """
    body = encode({k: v for k, v in record.items() if k != SEAL})[:-2]  # drop "}\n"
    sealed = hashlib.sha256(body).hexdigest()
    return body + b',"hash":"' + sealed.encode() + b'"}\n', sealed


def claimed_seal(line: bytes) -> str | None:
    """The hash a line ends with, if it ends like a sealed record; None otherwise.

    Slices rather than a regular expression: a search would scan the whole line, and
    every line of every report passes here.
    """
    if line[-2:] != b'"}' or line[-_SEAL_LEN : -_HEX_LEN - 2] != _SEAL_OPEN:
        return None
    claimed = line[-_HEX_LEN - 2 : -2]
    return None if claimed.translate(None, _HEX_DIGITS) else claimed.decode()


def seal_holds(line: bytes, claimed: str) -> bool:
    """Whether a sealed line's bytes still hash to the seal it carries."""
    return hashlib.sha256(line[:-_SEAL_LEN]).hexdigest() == claimed


def runs_on(tail: bytes) -> bool:
    """Whether an unterminated tail holds a whole sealed record *followed by more*.

    A crash tears a write, leaving a prefix of one line; a prefix never extends past
    its own seal, so bytes after a complete seal mean a line end was overwritten.
    """
    found = _SEAL_ANYWHERE.search(tail)
    return found is not None and found.end() < len(tail)


def line_hash(line: bytes, sealed: bool) -> str:
    """What the next record's `prev` points at: the seal, or (legacy) the line's digest."""
    if sealed:
        claimed = claimed_seal(line)
        if claimed is not None:
            return claimed
    return digest(line)


def is_safe_id(session_id: str) -> bool:
    """Session ids become file names, so only a conservative alphabet is allowed."""
    return _SAFE_ID.fullmatch(session_id) is not None


def session_path(log_dir: Path, session_id: str, started: str) -> Path:
    """`LOG_DIR/YYYY-MM-DD/SESSION.jsonl`: one file per session, a folder per UTC day.

    One file per session means no two players ever append to the same file, which is
    what makes a shared training-room folder safe without any locking between machines.
    """
    return log_dir / started[:10] / f"{session_id}{SUFFIX}"


def clean_text(text: str, limit: int) -> str:
    """A name or reflection as it is stored: no control characters, bounded length.

    Newlines and tabs in a name become spaces; JSON would escape them anyway, but a
    name that prints on one line is what every report and export assumes.
    """
    return " ".join(_CONTROL.sub(" ", text).split())[:limit]


def clean_reflection(text: str) -> str:
    """Reflections keep their line breaks (a trainee may write a paragraph)."""
    kept = re.sub(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]", "", text.replace("\r\n", "\n"))
    return kept.strip()[:REFLECTION_MAX]
