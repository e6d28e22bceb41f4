"""Showing a logged session again: its transcript and debrief.

If the scenario file is byte-for-byte the one that was played (same SHA-256), the
session is replayed through today's engine so the transcript shows the customer's
lines too, and any turn whose moods no longer match the log is pointed out. If the
file has changed, replaying would show a conversation that never happened, so the
change is reported and only what the log itself recorded is shown.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from simulator.logs.reader import SessionSummary, log_files, parse_log, summarize, turn_records
from simulator.scenario.loader import LoadedScenario
from simulator.text import plural


class ReplayError(Exception):
    """No such session, or an ambiguous id: one line for the user."""


@dataclass
class Replay:
    summary: SessionSummary
    lines: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    """Scenario changed, replay drifted, chain broken: shown and exit status 1."""


def find_session(dirs: Sequence[Path], session_id: str) -> Path:
    """The log of a session id, or of the one session whose id starts with it."""
    matches = [p for p in log_files(dirs) if p.stem.startswith(session_id)]
    exact = [p for p in matches if p.stem == session_id]
    if exact:
        return exact[0]
    if not matches:
        raise ReplayError(f"no session '{session_id}' in {', '.join(map(str, dirs))}")
    if len(matches) > 1:
        raise ReplayError(f"'{session_id}' matches {len(matches)} sessions; give more of the id")
    return matches[0]


def locate_scenario(start: dict[str, Any]) -> LoadedScenario | None:
    """The scenario as it is now: the logged file if it still exists, else the library."""
    from simulator.scenario.library import SCENARIO_SUFFIXES, bundled
    from simulator.scenario.loader import load_scenario_file

    # A log is untrusted: only a scenario file it names (read through the capped,
    # regular-files-only loader) or a bundled id, never any path `scenario` holds.
    logged, scenario_id = start.get("scenario_file"), start.get("scenario")
    if isinstance(logged, str) and Path(logged).suffix in SCENARIO_SUFFIXES:
        result = load_scenario_file(logged)
        if result.loaded is not None and result.loaded.scenario.id == scenario_id:
            return result.loaded
    return bundled(scenario_id) if isinstance(scenario_id, str) else None


def replay(path: Path) -> Replay:
    parsed = parse_log(path)
    if not parsed.readable:  # the file's own words, without the report's "; skipped"
        raise ReplayError(f"{path}: {parsed.issues[0].message.removesuffix('; skipped')}")
    summary = summarize(parsed)
    shown = Replay(summary)
    if not parsed.verified:
        shown.problems.append(f"{path}: the log fails verification; run `simulator verify`")
    start = next((r for r in parsed.records if r.get("type") == "session_started"), {})
    turns = turn_records(parsed.records)
    shown.lines += [
        f"== {summary.title or summary.scenario} ==",
        f"session {summary.session_id} · {summary.trainee} · {summary.mode} · "
        f"started {summary.started_at:%Y-%m-%d %H:%M} UTC",
    ]
    loaded = locate_scenario(start)
    logged_hash = start.get("scenario_sha256")
    if loaded is None:
        shown.problems.append(
            f"scenario '{summary.scenario}' is no longer available: showing the log only"
        )
    elif loaded.sha256 != logged_hash:
        shown.problems.append(
            f"scenario '{summary.scenario}' ({loaded.file}) has changed since this session was "
            f"played (logged sha256 {str(logged_hash)[:12]}…, now {loaded.sha256[:12]}…): "
            "showing the log only, not replaying it"
        )
        loaded = None
    if loaded is None:
        shown.lines += _logged(turns)
    else:
        shown.lines += _replayed(loaded, start, turns, shown.problems)
    shown.lines += _debrief(summary, loaded)
    return shown


def _turn_lines(turn: dict[str, Any]) -> list[str]:
    lines = [
        f"  You: {turn.get('say', turn.get('choice'))}",
        f"     anger {turn.get('anger_before')} -> {turn.get('anger_after')}, "
        f"trust {turn.get('trust_before')} -> {turn.get('trust_after')}"
        f" (rating {_rating(turn.get('rating')):.0%})",
    ]
    reasons = turn.get("reasons")
    reasons = reasons if isinstance(reasons, list) else []
    lines += [f"     - {reason}" for reason in reasons if isinstance(reason, str)]
    if turn.get("best_choice") not in (None, turn.get("choice")):
        lines.append(f"     better: {turn.get('best_choice')}")
    return lines


def _rating(value: object) -> float:
    """A logged rating as a number; anything else (text, NaN) shows as 0."""
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    return 0.0


def _logged(turns: list[dict[str, Any]]) -> list[str]:
    lines: list[str] = []
    for turn in turns:
        lines.append(f"[turn {turn.get('turn')} at {turn.get('node')}]")
        lines += _turn_lines(turn)
    return lines


def _replayed(
    loaded: LoadedScenario, start: dict[str, Any], turns: list[dict[str, Any]], problems: list[str]
) -> list[str]:
    from simulator.engine.mood import Mood
    from simulator.engine.session import ChoiceError, Session

    mood = None
    if isinstance(start.get("start_anger"), int) and isinstance(start.get("start_trust"), int):
        mood = Mood(start["start_anger"], start["start_trust"])
    seed = start.get("seed") if isinstance(start.get("seed"), int) else 0
    session = Session(loaded, seed=int(seed or 0), start_mood=mood)
    name = loaded.scenario.customer.name
    lines: list[str] = []
    for logged in turns:
        line = session.line
        lines.append(f"[turn {logged.get('turn')}] {name}: {line.say.strip()}")
        try:
            turn = session.choose(str(logged.get("choice")))
        except ChoiceError as exc:
            problems.append(f"turn {logged.get('turn')}: cannot replay: {exc}")
            return lines + _logged(turns[turns.index(logged) :])
        again = (turn.after.mood.anger, turn.after.mood.trust)
        if again != (logged.get("anger_after"), logged.get("trust_after")):
            problems.append(
                f"turn {logged.get('turn')}: today's engine gives anger/trust {again}, "
                f"the log recorded ({logged.get('anger_after')}, {logged.get('trust_after')})"
            )
        lines += _turn_lines(logged)
    return lines


def _debrief(summary: SessionSummary, loaded: LoadedScenario | None) -> list[str]:
    from simulator.engine.mood import Mood
    from simulator.engine.scoring import unhappy_ending
    from simulator.engine.session import ending_debrief

    lines = [""]
    if summary.status == "abandoned":
        lines.append(f"== Abandoned after {plural(summary.turns, 'turn')} ==")
    else:
        lines.append(f"== Ending: {summary.ending} ({summary.outcome}) ==")
        lines.append(f"Score: {summary.score}/100 (grade {summary.grade})")
    if summary.principles:
        lines.append("Principles: " + ", ".join(f"{k} {v}" for k, v in summary.principles.items()))
    ending = loaded.scenario.endings.get(summary.ending or "") if loaded else None
    if loaded is not None and ending is not None:
        anger = summary.anger if summary.anger is not None else 0
        unhappy = unhappy_ending(summary.outcome, Mood(anger, 0))
        text = ending_debrief(loaded, ending, unhappy=unhappy, anger=anger)
        if text:
            lines.append(text.strip())
    if summary.reflection:
        lines.append(f"Reflection: {summary.reflection}")
    return lines
