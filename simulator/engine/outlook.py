"""Rule 15, judged by consequence: a move is worth where it leads, not only its next step.

One-step judging rated a move by the meters one turn later, so a brush-off that made
the customer hang up next turn, or an over-promise at trust 0 ("trust stopped at 0
instead of -15"), could look like the best move on offer. Here a move's **value** is

    its own value  +  the value of the best continuation from where it leads

- *its own value* is trust gained minus anger caused, taken from the engine's effects
  **before** the meters are held within 0..100, so harm still counts at a pinned meter;
- a continuation adds the moves' own values down to an ending, and the ending adds
  `scoring.ending_values` for its outcome (a loss -100, a compliance failure -300, …;
  a resolved ending reached in fury, rule 16, adds `unhappy_value` instead);
- "the best move on offer" is the first move of the best continuation, chosen by
  `order` (the tie rule below), the same order the search itself uses.

**Exact where it fits, bounded where it does not.** The search is a memoised
depth-first search over the remaining states. Per scenario it probes, from the start
state, the longest horizon in `scoring.horizons` whose search fits in
`scoring.outlook_states` states; the first (64 turns) is longer than any bundled
conversation, so a scenario that fits is judged exactly. Otherwise the horizon is a
turn of the conversation: a move at turn t looks `horizon - t` turns ahead, and never
fewer than the last entry of `horizons` (2). A continuation cut off by the lookahead
counts its moves so far and nothing for the rest. Every value is a pure function of
the state (its turn included) and the scenario's horizon, so the same choices always
get the same ratings (rule 14) whatever was asked before, and the exhaustive
analysis, which merges states turn by turn, reuses the search's memo.

**The tie rule** (`rank`), teachable and never the author's list order:
1. a move with at least one helpful technique before a move made only of harmful ones;
2. the higher value (rule 15);
3. fewer harmful techniques;
4. the better immediate effect (own value);
5. fewer techniques (the plainer response);
6. the choice id, alphabetically: a last resort the checker warns about.

States are merged by the same facts the exhaustive analysis uses (what the future can
read), so a value computed for one conversation is reused by every other that reaches
the same state. It works on the machine's `Rules` and `State` only.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from simulator.analysis.structure import Structure
from simulator.engine.machine import Move, Rules
from simulator.engine.mood import Effect
from simulator.engine.state import State
from simulator.scenario.models import Choice

__all__ = ["DOOMED", "Judged", "Line", "Outlook", "best_of", "now_value", "outlook_for", "rank"]

_CLAMP_RULE = 11
DOOMED = frozenset({"lost", "failed_compliance"})


@dataclass(frozen=True)
class Line:
    """The best continuation from a state: its value and where it ends."""

    value: int
    ending: str | None
    """The ending it reaches; None when the lookahead stopped first (or a dead end)."""
    outcome: str | None
    unhappy: bool
    """A resolved ending reached in fury (rule 16)."""
    choices: tuple[str, ...]


@dataclass(frozen=True)
class Judged:
    """One choice on offer: the move it makes and where the best play after it leads."""

    choice: Choice
    move: Move
    now: int
    """Its own value: trust gained minus anger caused, unclamped."""
    then: Line
    """The best continuation after it (an ending's own line when it ends the talk)."""
    harmful: int
    helpful: int

    @property
    def value(self) -> int:
        return self.now + self.then.value

    @property
    def harmful_only(self) -> bool:
        return self.helpful == 0

    @property
    def doomed(self) -> bool:
        """Its best continuation still ends lost or failed: the loss it causes."""
        return self.then.outcome in DOOMED


def now_value(effects: Iterable[Effect]) -> int:
    """Trust gained minus anger caused, before the meters are held within 0..100."""
    anger = trust = 0
    for e in effects:
        if e.rule == _CLAMP_RULE and e.technique is None:
            continue  # the clamp: harm at a pinned meter still counts
        anger += e.anger
        trust += e.trust
    return trust - anger


def rank(
    *, helpful: int, value: int, harmful: int, now: int, size: int, any_helpful: bool
) -> tuple[int, int, int, int, int]:
    """The tie rule's sort key, bigger is better (see the module docstring).

    One implementation for the search's own choice of line and for the session's
    "best move on offer" (`scoring.best_option`), so the two can never disagree.
    """
    eligible = 1 if (helpful or not any_helpful) else 0
    return (eligible, value, -harmful, now, -size)


def best_of(items: Sequence[Judged]) -> Judged:
    """The best move on offer by the tie rule (the choice id breaks a complete tie)."""
    any_helpful = any(i.helpful for i in items)

    def key(i: Judged) -> tuple[int, int, int, int, int]:
        return rank(
            helpful=i.helpful,
            value=i.value,
            harmful=i.harmful,
            now=i.now,
            size=len(i.choice.techniques),
            any_helpful=any_helpful,
        )

    return max(sorted(items, key=lambda i: i.choice.id), key=key)


class _OverBudget(Exception):
    """A probe's search outgrew the budget: try a shorter lookahead."""


_DEAD_END = Line(0, None, None, False, ())


class Outlook:
    """The consequence search of one compiled scenario, memoised across sessions."""

    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        self.structure = Structure(rules.scenario, rules.walkout)
        numbers = rules.catalog.scoring
        self._endings = numbers.ending_values
        self._unhappy = numbers.unhappy_value
        self._fury = rules.catalog.numbers.fury_anger
        self._budget = numbers.outlook_states
        self._horizons = numbers.horizons
        self._harmful = {tid for tid, t in rules.catalog.techniques.items() if not t.helpful}
        self._violated = Line(
            numbers.ending_values["failed_compliance"], None, "failed_compliance", False, ()
        )
        self._exact: dict[tuple[object, ...], tuple[Line, int]] = {}
        self._bounded: dict[tuple[tuple[object, ...], int], Line] = {}
        self._horizon: int | None = None
        self._limit: int | None = None
        self._count = 0

    # ------------------------------------------------------------ public

    @property
    def horizon(self) -> int:
        """The lookahead in turns (fixed per scenario; see the module docstring)."""
        if self._horizon is None:
            self._horizon = self._probe()
        return self._horizon

    @property
    def exact(self) -> bool:
        """Whether the search from the start reaches every ending within the horizon."""
        start = self.rules.initial_state()
        found = self._exact.get(self.key(start)) if self.horizon else None
        return found is not None and found[1] <= self.horizon

    def lookahead(self, state: State) -> int:
        """Turns looked ahead from a state: to the horizon, never fewer than the floor."""
        return max(self.horizon - state.turn, self._horizons[-1])

    def judged(self, state: State) -> list[Judged]:
        """Every choice on offer at a state, in the author's order, with its consequence."""
        return self._judge(state, self.lookahead(state))

    def line(self, state: State) -> Line:
        """The best continuation from a state."""
        if self.rules.is_final(state):
            return self._ending_line(state)
        return self._value(state, self.lookahead(state))[0]

    def ending_value(self, state: State) -> tuple[int, str, bool]:
        """What reaching this final state adds, its outcome, and whether it is unhappy."""
        outcome = (
            "failed_compliance"
            if state.compliance_violation
            else self.rules.endings[state.node].outcome
        )
        if outcome == "resolved" and state.mood.anger >= self._fury:
            return self._unhappy, outcome, True
        return self._endings.get(outcome, 0), outcome, False

    def key(self, state: State) -> tuple[object, ...]:
        """What decides the future of a state (the exhaustive analysis merges the same)."""
        s = self.structure
        future = s.future_techniques.get(state.node, frozenset())
        memory = state.memory
        return (
            state.node,
            state.mood,
            tuple(pair for pair in memory.counts if pair[0] in future),
            memory.heard,
            memory.solution_offered,
            memory.helped,
            memory.listen_streak,
            state.flags,
            state.compliance_violation,
            state.visited & s.tested_visits,
            state.turn if s.reads_turn else 0,
        )

    # ------------------------------------------------------------ search

    def _probe(self) -> int:
        start = self.rules.initial_state()
        for horizon in self._horizons[:-1]:
            self._limit, self._count = self._budget, 0
            try:
                self._value(start, horizon)
            except _OverBudget:
                self._bounded.clear()  # exact entries stay true for any longer lookahead
                continue
            finally:
                self._limit = None
            return horizon
        return self._horizons[-1]

    def _ending_line(self, state: State) -> Line:
        value, outcome, unhappy = self.ending_value(state)
        return Line(value, state.node, outcome, unhappy, ())

    def _judge(self, state: State, horizon: int) -> list[Judged]:
        rules = self.rules
        harmful = self._harmful
        found = []
        for choice in rules.choices_at(state):
            move = rules.advance(state, choice)
            after = move.after
            if rules.is_final(after):
                then = self._ending_line(after)
            elif after.compliance_violation:
                then = self._violated  # rule 12: every continuation fails; no need to look
            else:
                then = self._value(after, horizon - 1)[0]
            bad = sum(1 for t in choice.techniques if t in harmful)
            found.append(
                Judged(
                    choice,
                    move,
                    now_value(move.effects),
                    then,
                    bad,
                    len(choice.techniques) - bad,
                )
            )
        return found

    def _value(self, state: State, horizon: int) -> tuple[Line, int]:
        """The best line from a non-final state and the depth it needed (0: cut off)."""
        key = self.key(state)
        hit = self._exact.get(key)
        if hit is not None and hit[1] <= horizon:
            return hit
        bounded = self._bounded.get((key, horizon))
        if bounded is not None:
            return bounded, -1
        if horizon <= 0:
            return _DEAD_END, -1
        if self._limit is not None:
            self._count += 1
            if self._count > self._limit:
                raise _OverBudget
        judged = self._judge(state, horizon)
        if not judged:
            self._exact[key] = (_DEAD_END, 1)
            return _DEAD_END, 1
        best = best_of(judged)
        line = Line(
            best.value,
            best.then.ending,
            best.then.outcome,
            best.then.unhappy,
            (best.choice.id, *best.then.choices),
        )
        depths = [self._height(item, horizon) for item in judged]
        if min(depths) < 0:
            self._bounded[(key, horizon)] = line
            return line, -1
        depth = 1 + max(depths)
        self._exact[key] = (line, depth)
        return line, depth

    def _height(self, item: Judged, horizon: int) -> int:
        """How deep the search under one move went: 0 at an ending, -1 when cut off."""
        after = item.move.after
        if self.rules.is_final(after) or after.compliance_violation:
            return 0
        key = self.key(after)
        hit = self._exact.get(key)
        if hit is not None and hit[1] <= horizon - 1:
            return hit[1]
        return -1


_OUTLOOKS: dict[int, tuple[Rules, Outlook]] = {}


def outlook_for(rules: Rules) -> Outlook:
    """One outlook per compiled scenario, so its memo serves every session and the checker."""
    found = _OUTLOOKS.get(id(rules))
    if found is None or found[0] is not rules:
        found = _OUTLOOKS[id(rules)] = (rules, Outlook(rules))
    return found[1]
