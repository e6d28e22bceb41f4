"""The log format in one place: record envelope, version, hashing and file names.

Every reader and writer goes through these few functions so the format cannot drift
between them. A log is one JSON Lines file per session; each line is one record:

    {"v": 1, "type": "turn", "session": "…", "seq": 3, "at": "…Z", "prev": "<sha256>", …}

`prev` is the SHA-256 of the previous line's exact bytes (null on the first line), so
the records of a session form a hash chain. docs/logs.md describes every field.
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
