"""How well a conversation went: per-turn ratings, the score, principle scores.

A choice is judged against the alternatives that were really on offer at that
moment, by playing each through the same engine: the trainee is rewarded for
picking the best available move, not for the author's idea of a right answer.
The formula is documented in docs/mood-model.md; keep the two in step.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from simulator.engine.catalog import Catalog
from simulator.engine.machine import Rules
from simulator.engine.mood import Effect, Mood
from simulator.engine.state import Option, State, Turn

# The weights of the score; docs/mood-model.md explains them.
QUALITY_WEIGHT = 0.5
MOOD_WEIGHT = 0.2
OUTCOME_WEIGHT = 0.3
COMPLIANCE_CAP = 20
VIOLATION_VALUE = -300
WALKOUT_PENALTY = 100
RATING_GAP = 40
SHORTFALL_COST = 25
"""Choice quality lost per whole rating point short of the best. Quality is the
stricter of this absolute charge and the plain average: the charge stops a detour
of good turns diluting a mistake; the average keeps a short disaster low."""
"""A choice this many value points below the best on offer rates 0."""
OUTCOME_POINTS = {"resolved": 90, "escalated": 65, "lost": 0, "failed_compliance": 0}
FOLLOW_UP_CREDIT = 10
"""Rule 13: a follow-up after a solution earns the last points of a good outcome."""
FOLLOW_UP_RULE = 13
GRADES = ((90, "A"), (80, "B"), (65, "C"), (50, "D"))


def value_of(before: Mood, after: Mood, *, violation: bool, walked_out: bool) -> int:
    """One number for a move: trust gained minus anger caused, disasters below all."""
    if violation:
        return VIOLATION_VALUE
    value = (after.trust - before.trust) - (after.anger - before.anger)
    return value - WALKOUT_PENALTY if walked_out else value


def options(rules: Rules, state: State) -> list[Option]:
    """Every choice available in a state with where the engine says it leads."""
    found = []
    for choice in rules.choices_at(state):
        move = rules.advance(state, choice)
        walked_out = move.after.node == rules.walkout and move.after.mood.anger >= 100
        value = value_of(
            state.mood, move.after.mood, violation=move.compliance_violation, walked_out=walked_out
        )
        found.append(Option(choice.id, tuple(choice.techniques), move.after.mood, value))
    return found


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
    return best, max(0.0, 1.0 - gap / RATING_GAP)


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
    return next((letter for floor, letter in GRADES if score >= floor), "F")


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
    if turns:
        average = 100 * rating_sum / turns
        charged = 100 - SHORTFALL_COST * (turns - rating_sum)
        quality = max(0, round(min(average, charged)))
    else:
        quality = 0
    mood = mood_points(start, end)
    points = OUTCOME_POINTS.get(outcome or "", 0)
    if points and followed_up:
        points += FOLLOW_UP_CREDIT
    total = round(QUALITY_WEIGHT * quality + MOOD_WEIGHT * mood + OUTCOME_WEIGHT * points)
    if compliance_violation:
        total = min(total, COMPLIANCE_CAP)
    return total, quality, mood, points


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
    return any(e.rule == FOLLOW_UP_RULE and (e.anger or e.trust) for e in effects)


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
