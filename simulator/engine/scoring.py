"""How well a conversation went: per-turn ratings, the score, principle scores.

A choice is judged against the alternatives that were really on offer at that
moment, by playing each through the same engine: the trainee is rewarded for
picking the best available move, not for the author's idea of a right answer.
The formula is documented in docs/mood-model.md; keep the two in step.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from simulator.engine.catalog import Catalog, Scoring, load_catalog
from simulator.engine.machine import Move, Rules
from simulator.engine.mood import Effect, Mood, follow_up_credited
from simulator.engine.outlook import best_option, judge, outlook_for
from simulator.engine.state import Option, State, Turn
from simulator.scenario.models import Choice

__all__ = [
    "Offer",
    "Score",
    "best_option",
    "judge",
    "offers",
    "options",
    "path_score",
    "score",
    "settled_turns",
]


def _numbers() -> Scoring:
    """The scoring section of the catalogue (parsed once per process)."""
    return load_catalog().scoring


@dataclass(frozen=True)
class Offer:
    """A choice on offer, the move it makes, and the engine's judgement of that move."""

    choice: Choice
    move: Move
    option: Option


def offers(rules: Rules, state: State) -> list[Offer]:
    """Play every available choice once through the machine and judge it by its
    consequence (rule 15): what each move on offer would do, with its reasons.

    The judgements come from the scenario's one outlook, through the merge rule,
    exactly as the exhaustive analysis and `Session.choose` read them (a session plays
    only the chosen move through the machine), so the session, the debrief and the
    analysis share one rating by construction; the analysis's cross-check compares
    these moves with the outlook's own.
    """
    judged = outlook_for(rules).state_options(state)
    choices = rules.choices_at(state)
    assert [c.id for c in choices] == [o.choice for o in judged]
    return [
        Offer(choice, rules.advance(state, choice), option)
        for choice, option in zip(choices, judged, strict=True)
    ]


def options(rules: Rules, state: State) -> list[Option]:
    """Every choice available in a state with where the engine says it leads."""
    return outlook_for(rules).state_options(state)


def judged(rules: Rules, state: State) -> bool:
    """Whether `options` for this state is ready, so asking costs nothing."""
    return outlook_for(rules).is_judged(state)


@dataclass(frozen=True)
class Score:
    """The numbers of a finished (or abandoned) conversation."""

    score: int
    grade: str
    quality: int
    mood: int
    outcome_points: int
    principles: dict[str, int]


def grade_for(score: int) -> str:
    return next((letter for floor, letter in _numbers().grades if score >= floor), "F")


def mood_points(start: Mood, end: Mood) -> int:
    """Half where the customer ended up, half how far they moved from where they began."""
    improvement = (start.anger - end.anger) + (end.trust - start.trust)
    moved = max(0.0, min(100.0, 50 + improvement / 4))
    final = ((100 - end.anger) + end.trust) / 2
    return round((moved + final) / 2)


def unhappy_ending(outcome: str | None, end: Mood) -> bool:
    """Rule 16: a resolved ending reached while the customer is still furious."""
    return outcome == "resolved" and end.anger >= load_catalog().numbers.fury_anger


def path_score(
    rating_sum: float,
    turns: int,
    start: Mood,
    end: Mood,
    outcome: str | None,
    *,
    followed_up: bool,
    compliance_violation: bool,
) -> tuple[int, int, int, int]:
    """The formula itself: (score, choice quality, mood points, outcome points).

    It needs only the sum of the ratings, not the turns, so the exhaustive analysis
    can score a path it knows by that sum with exactly the session's arithmetic.
    """
    n = _numbers()
    if turns:
        # The average keeps a short disaster low; the absolute charge stops a detour
        # of good turns after a mistake from diluting it.
        average = 100 * rating_sum / turns
        charged = 100 - n.shortfall_cost * (turns - rating_sum)
        quality = max(0, round(min(average, charged)))
    else:
        quality = 0
    mood = mood_points(start, end)
    points = n.outcome_points.get(outcome or "", 0)
    if unhappy_ending(outcome, end):
        points = n.unhappy_points  # rule 16: no success story, and no follow-up credit
    elif points and followed_up:
        points += n.follow_up_credit
    total = round(n.quality_weight * quality + n.mood_weight * mood + n.outcome_weight * points)
    if compliance_violation:
        total = min(total, n.compliance_cap)
    return total, quality, mood, points


def settled_turns() -> int | None:
    """From this many turns on, choice quality depends only on the shortfall, turns - sum.

    The absolute charge is then never above the average (100·R/T >= 100 - c·(T - R)
    exactly when T >= 100/c, or nothing was missed), so `path_score` reads the length
    only through the shortfall. The exhaustive analysis relies on this to merge
    conversations of different lengths; tests hold `path_score` to it. None: never.
    """
    cost = _numbers().shortfall_cost
    return math.ceil(100 / cost) if cost > 0 else None


def score(
    turns: Sequence[Turn],
    start: Mood,
    end: Mood,
    outcome: str | None,
    catalog: Catalog,
    *,
    compliance_violation: bool,
) -> Score:
    total, quality, mood, points = path_score(
        sum(t.rating for t in turns),
        len(turns),
        start,
        end,
        outcome,
        followed_up=any(credits_follow_up(t.effects) for t in turns),
        compliance_violation=compliance_violation,
    )
    return Score(total, grade_for(total), quality, mood, points, principle_scores(turns, catalog))


def credits_follow_up(effects: Iterable[Effect]) -> bool:
    """Whether the engine credited a follow-up made after a solution (not a hollow one)."""
    return any(follow_up_credited(e.rule, e.anger, e.trust) for e in effects)


def principle_scores(turns: Iterable[Turn], catalog: Catalog) -> dict[str, int]:
    """Per family: how well its techniques were used, and where it was the better move.

    A helpful technique counts as the turn's rating, a harmful one as zero; a family
    the best option used but the trainee did not counts as a missed chance at the
    turn's rating, so choosing an equally good move costs nothing.
    """
    evidence: dict[str, list[float]] = defaultdict(list)
    for turn in turns:
        used: set[str] = set()
        for technique_id in turn.techniques:
            technique = catalog.techniques[technique_id]
            used.add(technique.family)
            evidence[technique.family].append(turn.rating if technique.helpful else 0.0)
        best = {catalog.techniques[t].family for t in turn.best.techniques}
        for family in best - used:
            evidence[family].append(turn.rating)
    return {
        family: round(100 * sum(values) / len(values))
        for family in catalog.families
        if (values := evidence.get(family))
    }
