"""Exports for managers and learning record stores: CSV, JSON Lines, xAPI.

Every format streams one session at a time (memory bounded by one log file) and
every session row carries its chain head and record count, so whoever keeps an
export can later prove a log was cut short or rewritten (`simulator verify
--against EXPORT`). Unverified sessions are exported with `verified` false rather
than dropped: hiding them would hide the tampering too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

from simulator.logs.csvsafe import SafeWriter, name_cell
from simulator.logs.reader import Issue, SessionSummary, iter_logs, summarize, turn_records
from simulator.logs.select import Filter
from simulator.logs.xapi import statements
from simulator.text import to_json

FORMATS = ("csv", "jsonl", "xapi")

SESSION_FIELDS = (
    "session_id",
    "trainee",
    "team",
    "scenario",
    "title",
    "mode",
    "kind",
    "started_at",
    "ended_at",
    "duration_s",
    "status",
    "outcome",
    "ending",
    "score",
    "grade",
    "anger",
    "trust",
    "turns",
    "reflection",
    "parent_session",
    "seed",
    "scenario_sha256",
    "app_version",
    "verified",
    "records",
    "chain_head",
)
TURN_FIELDS = (
    "session_id",
    "trainee",
    "scenario",
    "turn",
    "at",
    "node",
    "choice",
    "techniques",
    "anger_before",
    "anger_after",
    "trust_before",
    "trust_after",
    "rating",
    "best_choice",
    "compliance_violation",
    "inherited",
    "reasons",
    "verified",
    "typed",
    "matched",
)


def session_row(
    summary: SessionSummary,
    name: Callable[[str], str],
    *,
    keep_text: bool,
    team: str | None = None,
) -> dict[str, Any]:
    """One session as a flat row (principles are added per family by the caller)."""
    return {
        "session_id": summary.session_id,
        "trainee": name(summary.trainee),
        "team": team,
        "scenario": summary.scenario,
        "title": summary.title,
        "mode": summary.mode,
        "kind": summary.kind,
        "started_at": _iso(summary.started_at),
        "ended_at": _iso(summary.ended_at) if summary.ended_at else None,
        "duration_s": round(summary.duration_s, 3) if summary.duration_s is not None else None,
        "status": summary.status,
        "outcome": summary.outcome,
        "ending": summary.ending,
        "score": summary.score,
        "grade": summary.grade,
        "anger": summary.anger,
        "trust": summary.trust,
        "turns": summary.turns,
        "reflection": summary.reflection if keep_text else None,
        "parent_session": summary.parent_session,
        "seed": summary.seed,
        "scenario_sha256": summary.scenario_sha256,
        "app_version": summary.app_version,
        "verified": summary.verified,
        "records": summary.records,
        "chain_head": summary.chain_head,
    }


def turn_row(
    summary: SessionSummary,
    turn: dict[str, Any],
    name: Callable[[str], str],
    *,
    keep_text: bool = True,
) -> dict[str, Any]:
    """One turn as a flat row; recall mode's typed reply is trainee text, so it is left
    out with the reflection when anonymising (the matched choice id stays)."""
    match = turn.get("match")
    typed = turn.get("typed")
    return {
        "session_id": summary.session_id,
        "trainee": name(summary.trainee),
        "scenario": summary.scenario,
        "turn": turn.get("turn"),
        "at": turn.get("at"),
        "node": turn.get("node"),
        "choice": turn.get("choice"),
        "techniques": turn.get("techniques", []),
        "anger_before": turn.get("anger_before"),
        "anger_after": turn.get("anger_after"),
        "trust_before": turn.get("trust_before"),
        "trust_after": turn.get("trust_after"),
        "rating": turn.get("rating"),
        "best_choice": turn.get("best_choice"),
        "compliance_violation": turn.get("compliance_violation"),
        "inherited": bool(turn.get("inherited", False)),
        "reasons": turn.get("reasons", []),
        "verified": summary.verified,
        "typed": typed if keep_text and isinstance(typed, str) else None,
        "matched": match.get("choice") if isinstance(match, dict) else None,
    }


def export(
    dirs: Sequence[Path] | None,
    out: TextIO,
    *,
    fmt: str,
    turns: bool = False,
    name: Callable[[str], str] = str,
    keep_text: bool = True,
    where: Filter | None = None,
    families: Sequence[str] = (),
) -> list[Issue]:
    """Write every selected session to `out`; returns the problems met on the way."""
    issues: list[Issue] = []
    where = where or Filter()
    writer = SafeWriter(out) if fmt == "csv" else None
    if writer is not None:
        header = TURN_FIELDS if turns else (*SESSION_FIELDS, *(f"principle_{f}" for f in families))
        writer.row(header)
    first = True
    if fmt == "xapi":
        out.write("[")
    for parsed in iter_logs(dirs, issues):
        summary = summarize(parsed)
        if not where(summary):
            continue
        if fmt == "xapi":
            for made in statements(summary, turn_records(parsed.records), name):
                out.write(("\n" if first else ",\n") + to_json(made))
                first = False
            continue
        rows = (
            [turn_row(summary, t, name, keep_text=keep_text) for t in turn_records(parsed.records)]
            if turns
            else [session_row(summary, name, keep_text=keep_text, team=where.team_of(summary))]
        )
        for row in rows:
            if writer is None:
                if not turns:
                    row["principles"] = dict(summary.principles)
                out.write(to_json(row) + "\n")
                continue
            if turns:
                row["techniques"] = ";".join(map(str, _items(row["techniques"])))
                row["reasons"] = " | ".join(map(str, _items(row["reasons"])))
            else:
                row["title"] = name_cell(row["title"])
                row.update({f"principle_{f}": summary.principles.get(f) for f in families})
            writer.row(row.values())
    if fmt == "xapi":
        out.write("\n]\n")
    return issues


def _items(value: object) -> list[Any]:
    """A logged list, or nothing when a damaged log holds another type there."""
    return value if isinstance(value, list) else []


def _iso(moment: Any) -> str:
    return str(moment.isoformat(timespec="milliseconds").replace("+00:00", "Z"))
