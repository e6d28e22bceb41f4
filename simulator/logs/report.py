"""What a manager wants from the logs: per trainee, per scenario (with the path heat
map), per principle. Renderers (table, CSV, HTML) only format the `Report` built here.

Aggregation streams one log file at a time into running totals, so memory grows with
the number of sessions and trainees, never with the number of turns; the totals of
two halves merge, which lets `build_report` spread the files over processes.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from simulator.logs.reader import Issue, SessionSummary, log_files, parse_log, summarize
from simulator.logs.select import Filter
from simulator.matching.recall import RecallScore, recalled

WEAKEST = 3
PARALLEL_FROM = 2000
"""Below this many files a process pool costs more than it saves."""


@dataclass
class Choice:
    times: int = 0
    trainees: set[str] = field(default_factory=set)
    anger: int = 0
    trust: int = 0


@dataclass
class Node:
    visits: int = 0
    trainees: set[str] = field(default_factory=set)
    choices: dict[str, Choice] = field(default_factory=dict)


@dataclass
class ScenarioTotals:
    title: str = ""
    attempts: int = 0
    score_sum: int = 0
    scored: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    statuses: Counter[str] = field(default_factory=Counter)
    unverified: int = 0
    nodes: dict[str, Node] = field(default_factory=dict)


@dataclass
class TraineeTotals:
    sessions: int = 0
    statuses: Counter[str] = field(default_factory=Counter)
    scenarios_done: set[str] = field(default_factory=set)
    scores: list[tuple[str, str, int]] = field(default_factory=list)
    """(started_at ISO, scenario, score) of every scored session, for trend and chart."""
    unverified: int = 0
    principles: dict[str, list[int]] = field(default_factory=dict)
    """family → [sum, count]."""
    recall: list[int] = field(default_factory=lambda: [0, 0])
    """[typed turns, typed turns whose words already matched the best move]."""


@dataclass
class Totals:
    """Running totals over any number of sessions; `merge` adds another's."""

    sessions: int = 0
    trainees: dict[str, TraineeTotals] = field(default_factory=dict)
    scenarios: dict[str, ScenarioTotals] = field(default_factory=dict)
    principles: dict[str, list[int]] = field(default_factory=dict)
    unverified: list[dict[str, Any]] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)

    def add(self, summary: SessionSummary, turns: Sequence[dict[str, Any]]) -> None:
        self.sessions += 1
        person = self.trainees.setdefault(summary.trainee, TraineeTotals())
        place = self.scenarios.setdefault(summary.scenario, ScenarioTotals(summary.title))
        person.sessions += 1
        person.statuses[summary.status] += 1
        place.attempts += 1
        place.statuses[summary.status] += 1
        if summary.outcome:
            place.outcomes[summary.outcome] += 1
        if not summary.verified:
            person.unverified += 1
            place.unverified += 1
            self.unverified.append(
                {
                    "session_id": summary.session_id,
                    "trainee": summary.trainee,
                    "scenario": summary.scenario,
                    "path": str(summary.path),
                }
            )
        if summary.score is not None and summary.status != "abandoned":
            person.scenarios_done.add(summary.scenario)
            stamp = summary.started_at.isoformat()
            person.scores.append((stamp, summary.scenario, summary.score))
            place.score_sum += summary.score
            place.scored += 1
            for family, points in summary.principles.items():
                _bump(person.principles, family, points)
                _bump(self.principles, family, points)
        for turn in turns:
            if turn.get("inherited"):
                continue
            hit = recalled(turn)
            if hit is not None:
                person.recall[0] += 1
                person.recall[1] += hit
            node = place.nodes.setdefault(str(turn.get("node")), Node())
            node.visits += 1
            node.trainees.add(summary.trainee)
            choice = node.choices.setdefault(str(turn.get("choice")), Choice())
            choice.times += 1
            choice.trainees.add(summary.trainee)
            choice.anger += _int(turn.get("anger_after")) - _int(turn.get("anger_before"))
            choice.trust += _int(turn.get("trust_after")) - _int(turn.get("trust_before"))

    def merge(self, other: Totals) -> None:
        self.sessions += other.sessions
        self.unverified += other.unverified
        self.issues += other.issues
        for family, (total, count) in other.principles.items():
            _bump(self.principles, family, total, count)
        for name, theirs in other.trainees.items():
            mine = self.trainees.setdefault(name, TraineeTotals())
            mine.sessions += theirs.sessions
            mine.statuses += theirs.statuses
            mine.scenarios_done |= theirs.scenarios_done
            mine.scores += theirs.scores
            mine.unverified += theirs.unverified
            mine.recall = [a + b for a, b in zip(mine.recall, theirs.recall, strict=True)]
            for family, (total, count) in theirs.principles.items():
                _bump(mine.principles, family, total, count)
        for scenario_id, their in other.scenarios.items():
            place = self.scenarios.setdefault(scenario_id, ScenarioTotals(their.title))
            place.attempts += their.attempts
            place.score_sum += their.score_sum
            place.scored += their.scored
            place.outcomes += their.outcomes
            place.statuses += their.statuses
            place.unverified += their.unverified
            for node_id, their_node in their.nodes.items():
                node = place.nodes.setdefault(node_id, Node())
                node.visits += their_node.visits
                node.trainees |= their_node.trainees
                for choice_id, their_choice in their_node.choices.items():
                    choice = node.choices.setdefault(choice_id, Choice())
                    choice.times += their_choice.times
                    choice.trainees |= their_choice.trainees
                    choice.anger += their_choice.anger
                    choice.trust += their_choice.trust


def _bump(table: dict[str, list[int]], key: str, total: int, count: int = 1) -> None:
    entry = table.setdefault(key, [0, 0])
    entry[0] += total
    entry[1] += count


def _int(value: object) -> int:
    return value if isinstance(value, int) else 0


def _mean(total: float, count: int) -> float | None:
    return round(total / count, 1) if count else None


def trend(scores: Sequence[int]) -> float | None:
    """Least-squares slope in score points per session; None with fewer than two."""
    n = len(scores)
    if n < 2:
        return None
    mean_x, mean_y = (n - 1) / 2, sum(scores) / n
    spread = sum((x - mean_x) ** 2 for x in range(n))
    return round(sum((x - mean_x) * (y - mean_y) for x, y in enumerate(scores)) / spread, 1)


# ---------------------------------------------------------------- building


def total_files(paths: Sequence[Path], where: Filter) -> Totals:
    """The totals of some log files (one worker's share when run in parallel)."""
    totals = Totals()
    for path in paths:
        parsed = parse_log(path)
        totals.issues += parsed.issues
        if not parsed.readable:
            continue
        summary = summarize(parsed)
        if where(summary):
            totals.add(summary, [r for r in parsed.records if r.get("type") == "turn"])
    return totals


def build_report(
    dirs: Sequence[Path] | None,
    *,
    where: Filter | None = None,
    workers: int | None = None,
) -> dict[str, Any]:
    """The whole report as plain data (what `--format json` prints)."""
    from simulator.logs.writer import default_log_dir

    where = where or Filter()
    issues: list[Issue] = []
    paths = log_files(list(dirs) if dirs else [default_log_dir()], issues)
    workers = workers or min(os.cpu_count() or 1, 8)
    if workers > 1 and len(paths) >= PARALLEL_FROM:
        size = -(-len(paths) // (workers * 4))
        chunks = [paths[i : i + size] for i in range(0, len(paths), size)]
        totals = Totals()
        with ProcessPoolExecutor(workers) as pool:
            for part in pool.map(total_files, chunks, [where] * len(chunks)):
                totals.merge(part)
    else:
        totals = total_files(paths, where)
    totals.issues = issues + totals.issues
    return render_data(totals, where)


def render_data(totals: Totals, where: Filter) -> dict[str, Any]:
    trainees = []
    for name, person in sorted(totals.trainees.items()):
        person.scores.sort()
        points = [score for _, _, score in person.scores]
        trainees.append(
            {
                "trainee": name,
                "sessions": person.sessions,
                "completed": person.statuses["completed"],
                "walked_out": person.statuses["walked_out"],
                "abandoned": person.statuses["abandoned"],
                "scenarios_done": sorted(person.scenarios_done),
                "average_score": _mean(sum(points), len(points)),
                "best_score": max(points) if points else None,
                "trend": trend(points),
                "unverified": person.unverified,
                "recall": RecallScore(*person.recall).percent,
                "recall_turns": person.recall[0],
                "scores": [{"at": at, "scenario": s, "score": p} for at, s, p in person.scores],
                "principles": {
                    family: _mean(total, count)
                    for family, (total, count) in sorted(person.principles.items())
                },
            }
        )
    scenarios = []
    for scenario_id, place in sorted(totals.scenarios.items()):
        nodes = []
        for node_id, node in sorted(place.nodes.items(), key=lambda kv: -kv[1].visits):
            reached = len(node.trainees)
            choices = [
                {
                    "choice": choice_id,
                    "times": choice.times,
                    "trainees": len(choice.trainees),
                    "share": round(len(choice.trainees) / reached, 3) if reached else 0.0,
                    "avg_anger_change": _mean(choice.anger, choice.times),
                    "avg_trust_change": _mean(choice.trust, choice.times),
                }
                for choice_id, choice in sorted(node.choices.items(), key=lambda kv: -kv[1].times)
            ]
            nodes.append(
                {"node": node_id, "visits": node.visits, "trainees": reached, "choices": choices}
            )
        scenarios.append(
            {
                "scenario": scenario_id,
                "title": place.title,
                "attempts": place.attempts,
                "average_score": _mean(place.score_sum, place.scored),
                "outcomes": dict(sorted(place.outcomes.items())),
                "statuses": dict(sorted(place.statuses.items())),
                "unverified": place.unverified,
                "nodes": nodes,
            }
        )
    principles = []
    for family, (total, count) in sorted(totals.principles.items()):
        ranked = sorted(
            (
                (person.principles[family][0] / person.principles[family][1], name)
                for name, person in totals.trainees.items()
                if family in person.principles
            ),
        )
        principles.append(
            {
                "principle": family,
                "team_average": _mean(total, count),
                "sessions": count,
                "weakest": [
                    {"trainee": name, "average": round(avg, 1)} for avg, name in ranked[:WEAKEST]
                ],
            }
        )
    return {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "filters": {
            "since": where.since.isoformat() if where.since else None,
            "trainee": where.trainee,
            "scenario": where.scenario,
        },
        "sessions": totals.sessions,
        "unverified": totals.unverified,
        "warnings": [str(issue) for issue in totals.issues],
        "trainees": trainees,
        "scenarios": scenarios,
        "principles": principles,
    }
