"""A company's worth of real score logs, fast: plays of the bundled scenarios through
the engine, re-stamped for many trainees, teams and weeks and sealed as the writer
seals them. Used by the report's browser test and its size benchmark."""

from __future__ import annotations

import random
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from simulator.engine.session import Session
from simulator.logs.writer import end_payload, start_payload, turn_payload
from simulator.scenario.library import load_library
from simulator.scenario.loader import LoadedScenario
from tests.conftest import REPO
from tests.sealing import session_log

Template = tuple[dict[str, Any], list[dict[str, Any]], dict[str, Any]]


def templates(
    per_scenario: int = 6, scenarios: Sequence[LoadedScenario] | None = None
) -> list[Template]:
    """Random plays of each scenario (default: the bundled library), as logged."""
    rng = random.Random(1)
    plays: list[Template] = []
    for loaded in scenarios or load_library(REPO / "scenarios").scenarios:
        for seed in range(per_scenario):
            session = Session(loaded, seed=seed)
            turns: list[dict[str, Any]] = []
            while not session.finished and len(turns) < 30:
                turns.append(turn_payload(session.choose(rng.choice(session.choices()).id)))
            start = start_payload(session, trainee="", mode="practice")
            end = end_payload(session.result())
            plays.append((start, turns, end))
    return plays


def write_company(
    folder: Path,
    *,
    trainees: int,
    sessions: int,
    teams: int,
    weeks: int = 8,
    plays: Sequence[Template] | None = None,
) -> Path:
    """`sessions` sessions spread over `trainees` trainees in `teams` teams, each a copy
    of one of `plays` (default: `templates()`)."""
    plays = plays or templates()
    rng = random.Random(2)
    first = datetime(2025, 1, 6, tzinfo=UTC)
    for _ in range(sessions):
        start, turns, end = rng.choice(plays)
        person = rng.randrange(trainees)
        moment = first + timedelta(seconds=rng.randrange(weeks * 7 * 86400))
        session = uuid.UUID(int=rng.getrandbits(128), version=4).hex
        payloads = [
            (
                "session_started",
                {**start, "trainee": f"Trainee {person:05d}", "team": f"Team {person % teams:02d}"},
            ),
            *(("turn", t) for t in turns),
            ("session_ended", {**end, "records": len(turns) + 2}),
        ]
        day = folder / moment.date().isoformat()
        day.mkdir(parents=True, exist_ok=True)
        (day / f"{session}.jsonl").write_bytes(session_log(session, moment, payloads))
    return folder
