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
from simulator.engine.state import Option, State, Turn
from simulator.scenario.models import Choice


def _numbers() -> Scoring:
    """The scoring section of the catalogue (parsed once per process)."""
    return load_catalog().scoring


def value_of(before: Mood, after: Mood, *, violation: bool, walked_out: bool) -> int:
    """One number for a move: trust gained minus anger caused, disasters below all."""
    numbers = _numbers()
    if violation:
        return numbers.violation_value
    value = (after.trust - before.trust) - (after.anger - before.anger)
    return value - numbers.walkout_penalty if walked_out else value


@dataclass(frozen=True)
class Offer:
    """A choice on offer, the move it makes, and the engine's judgement of that move."""

    choice: Choice
    move: Move
    option: Option


def offers(rules: Rules, state: State) -> list[Offer]:
    """Play every available choice once; callers judge and take moves from the same plays."""
    found = []
    for choice in rules.choices_at(state):
        move = rules.advance(state, choice)
        walked_out = move.after.node == rules.walkout and move.after.mood.anger >= 100
        value = value_of(
            state.mood, move.after.mood, violation=move.compliance_violation, walked_out=walked_out
        )
        option = Option(choice.id, tuple(choice.techniques), move.after.mood, value)
        found.append(Offer(choice, move, option))
    return found


def options(rules: Rules, state: State) -> list[Option]:
    """Every choice available in a state with where the engine says it leads."""
    return [offer.option for offer in offers(rules, state)]


def judge(chosen: str, offered: Sequence[Option]) -> tuple[Option, float]:
    """The best option on offer and the chosen one's rating.

    On a tie the trainee's own choice counts as the best, so the debrief never
    suggests an equally good move as "better"; otherwise the first in author order.

    The rating falls with the gap to the best option on an absolute scale, not
    between the best and the worst on offer: a sound choice beside a slightly
    better one is still a good move, even when only two were offered.
    """
    mine = next(option for option in offered if option.choice == chosen)
    best = max(offered, key=lambda option: option.value)
    if mine.value == best.value:
        best = mine
    gap = best.value - mine.value
    return best, max(0.0, 1.0 - gap / _numbers().rating_gap)


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
    if points and followed_up:
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
