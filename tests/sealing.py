"""Score logs made by tests exactly as the writer seals them, written once here.

The company data set, the report benchmark's million turn events and the hostile
corpus's intact neighbours all need logs whose chains `verify` accepts; each used to
carry its own copy of this loop.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from simulator.logs.records import FORMAT_VERSION, seal


def rechained(records: Iterable[dict[str, Any]]) -> bytes:
    """Records as sealed lines, each `prev` pointing at the seal before it."""
    prev: str | None = None
    lines = []
    for record in records:
        line, prev = seal({**record, "prev": prev})
        lines.append(line)
    return b"".join(lines)


def session_log(
    session: str, moment: datetime, payloads: Sequence[tuple[str, dict[str, Any]]]
) -> bytes:
    """One session's file: its (type, payload) records stamped 20 s apart from `moment`."""
    return rechained(
        {
            "v": FORMAT_VERSION,
            "type": kind,
            "session": session,
            "seq": seq,
            "at": (moment + timedelta(seconds=seq * 20))
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "prev": None,
            **payload,
        }
        for seq, (kind, payload) in enumerate(payloads)
    )
