"""What a manager wants from the logs: per trainee, per scenario (with the path heat
map), per principle. Renderers (table, CSV, HTML) only format the `Report` built here.

Aggregation streams one log file at a time into running totals, so memory grows with
the number of sessions and trainees, never with the number of turns; the totals of
two halves merge, which lets `build_report` spread the files over processes.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from simulator.logs.reader import Issue, SessionSummary, dirs_or_default, parse_logs, summarize
from simulator.logs.records import SUFFIX
from simulator.logs.select import Filter
from simulator.logs.shares import in_shares
from simulator.logs.xapi import PASS_MARK
from simulator.logs.xapi import passed as passes
from simulator.matching.recall import RecallScore, recalled

K = TypeVar("K")
V = TypeVar("V")
WEAKEST = 3
TREND_MIN = 5
"""Fewer sessions than this show no trend, for a trainee or a week."""
NO_TEAM = "(no team)"
SAY_MAX = 160


@dataclass
class Choice:
    times: int = 0
    trainees: set[str] = field(default_factory=set)
    anger: int = 0
    trust: int = 0
    say: str = ""
    """What the trainee said with this choice (its wording), from the first turn seen."""


@dataclass
class Node:
    visits: int = 0
    trainees: set[str] = field(default_factory=set)
    choices: dict[str, Choice] = field(default_factory=dict)
    turn_sum: int = 0
    """Sum of the turn numbers it was reached at: nodes sort in conversation order."""


@dataclass
class Tally:
    """Sessions, scores, passes: the same few counts for the company, a team, a week."""

    sessions: int = 0
    scored: int = 0
    score_sum: int = 0
    passed: int = 0
    trainees: set[str] = field(default_factory=set)

    def add(self, trainee: str, score: int | None, passed: bool) -> None:
        self.sessions += 1
        self.trainees.add(trainee)
        if score is not None:
            self.scored += 1
            self.score_sum += score
            self.passed += passed

    def merge(self, other: Tally) -> None:
        self.sessions += other.sessions
        self.scored += other.scored
        self.score_sum += other.score_sum
        self.passed += other.passed
        self.trainees |= other.trainees

    def data(self) -> dict[str, Any]:
        return {
            "sessions": self.sessions,
            "trainees": len(self.trainees),
            "scored": self.scored,
            "average_score": _mean(self.score_sum, self.scored),
            "pass_rate": round(self.passed / self.scored, 3) if self.scored else None,
        }


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
    team: str | None = None
    best: dict[str, list[int]] = field(default_factory=dict)
    """scenario → [attempts, best score (-1: none), passed (0/1)]: the completion grid."""
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
    overall: Tally = field(default_factory=Tally)
    grades: Counter[str] = field(default_factory=Counter)
    outcomes: Counter[str] = field(default_factory=Counter)
    weeks: dict[str, Tally] = field(default_factory=dict)
    teams: dict[str, Tally] = field(default_factory=dict)
    team_principles: dict[str, dict[str, list[int]]] = field(default_factory=dict)

    def add(
        self, summary: SessionSummary, turns: Sequence[dict[str, Any]], team: str | None = None
    ) -> None:
        self.sessions += 1
        person = _entry(self.trainees, summary.trainee, TraineeTotals)
        scored = summary.score if summary.status != "abandoned" else None
        success = passes(summary)
        self.overall.add(summary.trainee, scored, success)
        week = _week(summary.started_at)
        _entry(self.weeks, week, Tally).add(summary.trainee, scored, success)
        team_name = team or NO_TEAM
        _entry(self.teams, team_name, Tally).add(summary.trainee, scored, success)
        person.team = team or person.team
        self.outcomes[summary.outcome or summary.status] += 1
        if scored is not None and summary.grade:
            self.grades[summary.grade] += 1
        cell = person.best.setdefault(summary.scenario, [0, -1, 0])
        cell[0] += 1
        if scored is not None:
            cell[1] = max(cell[1], scored)
        cell[2] = max(cell[2], int(success))
        if scored is not None:
            table = self.team_principles.setdefault(team_name, {})
            for family, points in summary.principles.items():
                _bump(table, family, points)
        place = _entry(self.scenarios, summary.scenario, partial(ScenarioTotals, summary.title))
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
        self._add_turns(place.nodes, person, summary.trainee, turns)

    @staticmethod
    def _add_turns(
        nodes: dict[str, Node],
        person: TraineeTotals,
        trainee: str,
        turns: Sequence[dict[str, Any]],
    ) -> None:
        """The heat map and recall from one session's turns: the report's innermost loop,
        so each node and choice is looked up once and made only when new."""
        for turn in turns:
            get = turn.get
            if get("inherited"):
                continue
            if "typed" in turn:
                hit = recalled(turn)
                if hit is not None:
                    person.recall[0] += 1
                    person.recall[1] += hit
            node_id = str(get("node"))
            node = nodes.get(node_id)
            if node is None:
                node = nodes[node_id] = Node()
            node.visits += 1
            node.turn_sum += _int(get("turn"))
            node.trainees.add(trainee)
            choice_id = str(get("choice"))
            choice = node.choices.get(choice_id)
            if choice is None:
                choice = node.choices[choice_id] = Choice()
            if not choice.say:
                say = get("say")
                if isinstance(say, str):
                    choice.say = say[:SAY_MAX]
            choice.times += 1
            choice.trainees.add(trainee)
            # Inlined _int: a function call per mood is a tenth of the whole loop.
            after, before = get("anger_after"), get("anger_before")
            choice.anger += (after if type(after) is int else 0) - (
                before if type(before) is int else 0
            )
            after, before = get("trust_after"), get("trust_before")
            choice.trust += (after if type(after) is int else 0) - (
                before if type(before) is int else 0
            )

    def merge(self, other: Totals) -> None:
        self.sessions += other.sessions
        self.unverified += other.unverified
        self.issues += other.issues
        self.overall.merge(other.overall)
        self.grades += other.grades
        self.outcomes += other.outcomes
        for key, tally in other.weeks.items():
            _entry(self.weeks, key, Tally).merge(tally)
        for key, tally in other.teams.items():
            _entry(self.teams, key, Tally).merge(tally)
        for key, table in other.team_principles.items():
            mine_table = self.team_principles.setdefault(key, {})
            for family, (total, count) in table.items():
                _bump(mine_table, family, total, count)
        for family, (total, count) in other.principles.items():
            _bump(self.principles, family, total, count)
        for name, theirs in other.trainees.items():
            mine = _entry(self.trainees, name, TraineeTotals)
            mine.sessions += theirs.sessions
            mine.statuses += theirs.statuses
            mine.scenarios_done |= theirs.scenarios_done
            mine.scores += theirs.scores
            mine.unverified += theirs.unverified
            mine.team = theirs.team or mine.team
            for scenario_id, (attempts, best, won) in theirs.best.items():
                cell = mine.best.setdefault(scenario_id, [0, -1, 0])
                cell[0] += attempts
                cell[1], cell[2] = max(cell[1], best), max(cell[2], won)
            mine.recall = [a + b for a, b in zip(mine.recall, theirs.recall, strict=True)]
            for family, (total, count) in theirs.principles.items():
                _bump(mine.principles, family, total, count)
        for scenario_id, their in other.scenarios.items():
            place = _entry(self.scenarios, scenario_id, partial(ScenarioTotals, their.title))
            place.attempts += their.attempts
            place.score_sum += their.score_sum
            place.scored += their.scored
            place.outcomes += their.outcomes
            place.statuses += their.statuses
            place.unverified += their.unverified
            for node_id, their_node in their.nodes.items():
                node = _entry(place.nodes, node_id, Node)
                node.visits += their_node.visits
                node.turn_sum += their_node.turn_sum
                node.trainees |= their_node.trainees
                for choice_id, their_choice in their_node.choices.items():
                    choice = _entry(node.choices, choice_id, Choice)
                    choice.say = choice.say or their_choice.say
                    choice.times += their_choice.times
                    choice.trainees |= their_choice.trainees
                    choice.anger += their_choice.anger
                    choice.trust += their_choice.trust


def _entry(table: dict[K, V], key: K, make: Callable[[], V]) -> V:
    """`table[key]`, made only when missing (setdefault would build one every call, and
    these are dataclasses of sets and dicts, met once per session or per turn)."""
    found = table.get(key)
    if found is None:
        found = table[key] = make()
    return found


def _bump(table: dict[str, list[int]], key: str, total: int, count: int = 1) -> None:
    entry = table.setdefault(key, [0, 0])
    entry[0] += total
    entry[1] += count


def _int(value: object) -> int:
    return value if isinstance(value, int) else 0


def _mean(total: float, count: int) -> float | None:
    return round(total / count, 1) if count else None


def _week(moment: datetime) -> str:
    """ISO week, `2025-W09`: managers read progress by the week."""
    year, week, _ = moment.isocalendar()
    return f"{year}-W{week:02d}"


def trend(scores: Sequence[int]) -> float | None:
    """Least-squares slope in score points per session; None with fewer than TREND_MIN.

    Two sessions make a line but not a trend (+91.0 from two plays says nothing).
    """
    n = len(scores)
    if n < TREND_MIN:
        return None
    mean_x, mean_y = (n - 1) / 2, sum(scores) / n
    spread = sum((x - mean_x) ** 2 for x in range(n))
    return round(sum((x - mean_x) * (y - mean_y) for x, y in enumerate(scores)) / spread, 1)


# ---------------------------------------------------------------- building


def total_files(paths: Sequence[str], where: Filter) -> Totals:
    """The totals of some log files (one worker's share when run in parallel)."""
    totals = Totals()
    for parsed in parse_logs(paths, totals.issues):
        summary = summarize(parsed)
        if where(summary):
            turns = [r for r in parsed.records if r.get("type") == "turn"]
            totals.add(summary, turns, where.team_of(summary))
    return totals


def build_report(
    dirs: Sequence[Path] | None,
    *,
    where: Filter | None = None,
    workers: int | None = None,
    cache: bool = True,
) -> dict[str, Any]:
    """The whole report as plain data (what `--format json` prints).

    Folders whose files have not changed since the last report come from the cache
    (report_cache.py); only the others are read, spread over processes when many.
    """
    where = where or Filter()
    issues: list[Issue] = []
    groups = _scan(dirs_or_default(dirs), issues)
    if not cache:  # nothing is kept per folder, so each worker sums its whole share
        everything = [path for files in groups.values() for path in files]
        totals = _read([("", "", everything)], where, workers)[0]
        totals.issues = issues + totals.issues
        return render_data(totals, where)
    from simulator.logs.report_cache import ReportCache, signature

    store = ReportCache(where)
    signatures = {folder: signature(files) for folder, files in groups.items()}
    whole = _whole(signatures, issues)
    ready = store.report(whole)
    if ready is not None:  # nothing changed anywhere: the last report stands
        return {**ready, "generated_at": _now()}
    store.load_folders()
    parts: dict[str, Totals] = {}
    stale: list[tuple[str, str, list[str]]] = []
    for folder, files in groups.items():
        sig = signatures[folder]
        hit = store.get(folder, sig)
        if hit is not None:
            parts[folder] = hit
        else:
            stale.append((folder, sig, files))
    for (folder, sig, _), fresh in zip(stale, _read(stale, where, workers), strict=True):
        parts[folder] = fresh
        store.put(folder, sig, fresh)
    totals = Totals()
    for folder in groups:
        totals.merge(parts[folder])
    totals.issues = issues + totals.issues
    data = render_data(totals, where)
    store.save(whole, data, folders_changed=bool(stale))
    return data


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _scan(roots: Sequence[Path], issues: list[Issue]) -> dict[str, list[str]]:
    """folder → its log files (as strings, sorted), with log_files' rules, cheaply.

    Plain strings instead of Path objects: at 100,000 files building paths cost more
    than a cached report takes.
    """
    groups: dict[str, list[str]] = {}
    for root in roots:
        if root.is_file():
            groups.setdefault(str(root.parent), []).append(str(root))
            continue
        if not root.is_dir():
            issues.append(Issue(root, 0, "no such log folder", "warning"))
            continue
        for folder, subdirs, files in os.walk(root):
            subdirs.sort()
            names = sorted(name for name in files if name.endswith(SUFFIX))
            if names:
                groups.setdefault(folder, []).extend(os.path.join(folder, n) for n in names)
    return groups


def _whole(signatures: dict[str, str], issues: list[Issue]) -> str:
    import hashlib

    digest = hashlib.sha256()
    for folder, sig in signatures.items():
        digest.update(f"{folder}\0{sig}\n".encode(errors="surrogateescape"))
    for issue in issues:
        digest.update(str(issue).encode(errors="surrogateescape"))
    return digest.hexdigest()


def _read(
    stale: list[tuple[str, str, list[str]]], where: Filter, workers: int | None
) -> list[Totals]:
    """The totals of each stale folder, in order; in parallel when there are many files.

    The files are cut into shares of equal size whatever the folders (shares.py: a
    day's folder may hold ten files or ten thousand); each share returns one Totals per
    folder it touched, and a folder split between shares is merged back here.
    """
    flat = [(n, path) for n, (_, _, files) in enumerate(stale) for path in files]
    results: list[Totals | None] = [None] * len(stale)
    for done in in_shares(flat, partial(total_share, where=where), workers):
        for n, part in done:
            held = results[n]
            if held is None:
                results[n] = part
            else:
                held.merge(part)
    return [held or Totals() for held in results]


def total_share(share: list[tuple[int, str]], where: Filter) -> list[tuple[int, Totals]]:
    """One worker's share of (folder number, file): the totals of each folder's run of
    files in it."""
    segments: list[tuple[int, list[str]]] = []
    for n, path in share:
        if not segments or segments[-1][0] != n:
            segments.append((n, []))
        segments[-1][1].append(path)
    return [(n, total_files(files, where)) for n, files in segments]


def render_data(totals: Totals, where: Filter) -> dict[str, Any]:
    """Everything as plain data; renderers decide how much of it fits on a page."""
    trainees: list[dict[str, Any]] = []
    for name, person in sorted(totals.trainees.items()):
        person.scores.sort()
        points = [score for _, _, score in person.scores]
        trainees.append(
            {
                "trainee": name,
                "team": person.team,
                "sessions": person.sessions,
                "completed": person.statuses["completed"],
                "walked_out": person.statuses["walked_out"],
                "abandoned": person.statuses["abandoned"],
                "scenarios_done": sorted(person.scenarios_done),
                "scenarios_passed": sorted(k for k, v in person.best.items() if v[2]),
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
                "grid": {
                    scenario_id: {
                        "attempts": attempts,
                        "best": best if best >= 0 else None,
                        "passed": bool(won),
                    }
                    for scenario_id, (attempts, best, won) in sorted(person.best.items())
                },
            }
        )
    scenarios = [
        _scenario(scenario_id, place) for scenario_id, place in sorted(totals.scenarios.items())
    ]
    principles = []
    for family, (total, count) in sorted(totals.principles.items()):
        average = total / count
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
                # Only trainees below the average are "weakest": a list of people who
                # scored 100 helps nobody.
                "weakest": [
                    {"trainee": name, "average": round(avg, 1)}
                    for avg, name in ranked[:WEAKEST]
                    if avg < average
                ],
                "by_team": {
                    team: _mean(*table[family])
                    for team, table in sorted(totals.team_principles.items())
                    if family in table
                },
            }
        )
    scenario_ids = [s["scenario"] for s in scenarios]
    teams = []
    for team, tally in sorted(totals.teams.items()):
        members = [t for t in trainees if (t["team"] or NO_TEAM) == team]
        passed_cells = sum(len(t["scenarios_passed"]) for t in members)
        possible = len(members) * len(scenario_ids)
        teams.append(
            {
                "team": team,
                **tally.data(),
                "completion": round(passed_cells / possible, 3) if possible else None,
            }
        )
    weeks = [
        {"week": week, **tally.data(), "enough": tally.scored >= TREND_MIN}
        for week, tally in sorted(totals.weeks.items())
    ]
    attention = sorted(
        (t for t in trainees if t["average_score"] is None or t["average_score"] < PASS_MARK),
        key=lambda t: (len(t["scenarios_passed"]), t["average_score"] or 0, t["trainee"]),
    )
    return {
        "generated_at": _now(),
        "filters": where.describe(),
        "sessions": totals.sessions,
        "summary": {
            **totals.overall.data(),
            "pass_mark": PASS_MARK,
            "grades": dict(sorted(totals.grades.items())),
            "outcomes": dict(totals.outcomes.most_common()),
            "weeks": weeks,
        },
        "teams": teams,
        "attention": [t["trainee"] for t in attention],
        "unverified": totals.unverified,
        "warnings": [str(issue) for issue in totals.issues],
        "trainees": trainees,
        "scenarios": scenarios,
        "principles": principles,
    }


def _scenario(scenario_id: str, place: ScenarioTotals) -> dict[str, Any]:
    """One scenario with its path heat map, nodes in the order conversations reach them."""
    nodes = []
    ordered = sorted(
        place.nodes.items(), key=lambda kv: (kv[1].turn_sum / max(1, kv[1].visits), kv[0])
    )
    for node_id, node in ordered:
        reached = len(node.trainees)
        choices = [
            {
                "choice": choice_id,
                "say": choice.say,
                "times": choice.times,
                "trainees": len(choice.trainees),
                "share": round(len(choice.trainees) / reached, 3) if reached else 0.0,
                "avg_anger_change": _mean(choice.anger, choice.times),
                "avg_trust_change": _mean(choice.trust, choice.times),
            }
            for choice_id, choice in sorted(node.choices.items(), key=lambda kv: -kv[1].times)
        ]
        nodes.append(
            {
                "node": node_id,
                "visits": node.visits,
                "trainees": reached,
                "average_turn": _mean(node.turn_sum, node.visits),
                "choices": choices,
            }
        )
    return {
        "scenario": scenario_id,
        "title": place.title,
        "attempts": place.attempts,
        "average_score": _mean(place.score_sum, place.scored),
        "outcomes": dict(sorted(place.outcomes.items())),
        "statuses": dict(sorted(place.statuses.items())),
        "unverified": place.unverified,
        "nodes": nodes,
    }
