"""Rule 15, judged by consequence: a move is worth where it leads, not only its next step.

One-step judging rated a move by the meters one turn later, so a brush-off that made
the customer hang up next turn, or an over-promise at trust 0 ("trust stopped at 0
instead of -15"), could look like the best move on offer. Here a move's **value** is

    its own value  +  the value of the best continuation from where it leads

- *its own value* is `Step.own`: trust gained minus anger caused **before** the meters
  are held within 0..100, so harm still counts at a pinned meter;
- a continuation adds the moves' own values down to an ending, and the ending adds
  `scoring.ending_values` for its outcome (a loss -100, a compliance failure -300, …;
  a resolved ending reached in fury, rule 16, adds `unhappy_value` instead);
- "the best move on offer" is the first move of the best continuation, chosen by
  `rank` (the tie rule below), the same order the search itself uses.

**One search, on the fast path.** The search walks the packed states of `space.Space`
(the quiet, memoised engine step) and memoises on the packed state itself: the merge
rule keeps exactly what any future choice can read, so two conversations with the same
packed state have the same best continuation. The session, the debrief, the checker's
lints and the exhaustive analysis all read their ratings from the one `Outlook` per
compiled scenario (`outlook_for`), so they agree by construction.

**Exact where it fits, bounded where it does not** (decided once per scenario, from
the start state, by `_probe`):
- *exact*: a depth-first search to the endings, when every state reachable from the
  start fits in `scoring.outlook_states` and no packed state can recur;
- otherwise *bounded*: every move is judged by a fixed lookahead of `horizon` moves
  (itself and `horizon - 1` more), the first entry of `scoring.horizons` whose search
  from the start fits the same budget (the last entry if none does). A continuation
  cut off by the lookahead counts its moves so far and nothing for the rest.
The lookahead is the same from every state (not "to turn N"), so a value is a pure
function of (packed state, depth): the analysis, which merges conversations of
different lengths into one packed state, gets exactly the session's ratings, and the
same choices always get the same ratings (rule 14) whatever was asked before.

**The tie rule** (`rank`), teachable and never the author's list order:
1. a move with at least one helpful technique before a move made only of harmful ones;
2. the higher value (rule 15);
3. fewer harmful techniques;
4. the better immediate effect (own value);
5. fewer techniques (the plainer response);
6. the choice id, alphabetically: a last resort the checker warns about.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass

from simulator.engine.catalog import load_catalog
from simulator.engine.machine import Rules
from simulator.engine.mood import Mood
from simulator.engine.space import Edge, Glance, Packed, Played, Space
from simulator.engine.state import Option, State
from simulator.engine.structure import Structure

__all__ = [
    "DOOMED",
    "Line",
    "Outlook",
    "best_option",
    "judge",
    "outlook_for",
    "rank",
]

DOOMED = frozenset({"lost", "failed_compliance"})
MEMO_LIMIT = 300_000
"""Packed states whose played moves are remembered before that memo starts again."""
LEAF_LIMIT = 1_200_000
"""Lines one move ahead remembered before that memo starts again (each is small)."""
OFFERED_LIMIT = 10_000
"""Sessions' judged states remembered (`state_options`) before that memo starts again."""


@dataclass(frozen=True, slots=True)
class Line:
    """The best continuation from a state: its value and where it ends."""

    value: int
    ending: str | None
    """The ending it reaches; None when the lookahead stopped first (or a dead end)."""
    outcome: str | None
    unhappy: bool
    """A resolved ending reached in fury (rule 16)."""


_CUT = Line(0, None, None, False)


def rank(
    *, helpful: int, value: int, harmful: int, now: int, size: int, any_helpful: bool
) -> tuple[int, int, int, int, int]:
    """The tie rule's sort key, bigger is better (see the module docstring).

    One implementation for the search's own choice of line and for the session's
    "best move on offer" (`best_option`), so the two can never disagree; a complete
    tie goes to the alphabetically first choice id in both.
    """
    eligible = 1 if (helpful or not any_helpful) else 0
    return (eligible, value, -harmful, now, -size)


def _rank(option: Option, any_helpful: bool) -> tuple[int, int, int, int, int]:
    return rank(
        helpful=option.helpful,
        value=option.value,
        harmful=option.harmful,
        now=option.now,
        size=len(option.techniques),
        any_helpful=any_helpful,
    )


def best_option(offered: Sequence[Option]) -> Option:
    """The best move on offer by the tie rule of `rank` (docs/mood-model.md)."""
    any_helpful = any(o.helpful for o in offered)
    return max(sorted(offered, key=lambda o: o.choice), key=lambda o: _rank(o, any_helpful))


def judge(chosen: str, offered: Sequence[Option]) -> tuple[Option, float]:
    """The best option on offer and the chosen one's rating (rules 15 and 3).

    The best is the first move of the best continuation (ties: `best_option`). When
    the trainee's own choice is worth as much and carries no more harm, it counts as
    the best, so the debrief never suggests an equally good move as "better".

    The rating falls with the gap in consequence value to the best option on an
    absolute scale (`rating_gap`), then two caps apply: a move whose best continuation
    still ends lost or failed rates at most `doomed_rating_cap`, and a move made only
    of harmful techniques at most `harmful_only_rating_cap`; both are below 0.5.
    """
    numbers = load_catalog().scoring
    mine = next(option for option in offered if option.choice == chosen)
    best = best_option(offered)
    any_helpful = any(o.helpful for o in offered)
    if _rank(mine, any_helpful)[:2] == _rank(best, any_helpful)[:2] and (
        mine.harmful <= best.harmful
    ):
        best = mine
    gap = best.value - mine.value
    rating = max(0.0, 1.0 - gap / numbers.rating_gap)
    if mine.leads_to in DOOMED:
        rating = min(rating, numbers.doomed_rating_cap)
    if not mine.helpful:
        rating = min(rating, numbers.harmful_only_rating_cap)
    return best, rating


class _OverBudget(Exception):
    """A probe's search outgrew the budget: try a shorter lookahead."""


class _Recurs(Exception):
    """A packed state can lead back to itself: no exact value by depth-first search."""


class _Memo:
    """What the search keeps of one packed state: its moves and its best lines."""

    __slots__ = ("depths", "height", "moves", "settled")

    def __init__(self, moves: list[Played]) -> None:
        self.moves = moves
        self.settled: Line | None = None
        """A line that reached an ending on every branch, within `height` moves."""
        self.height = 0
        self.depths: dict[int, Line] | None = None
        """Lines cut off by the lookahead, per depth."""


_RatingKey = tuple[str, tuple[tuple[str, int, int, bool], ...]]


class Outlook:
    """The consequence search of one compiled scenario, memoised across sessions."""

    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        self.structure = Structure(rules.scenario, rules.walkout)
        self.space = Space(rules, self.structure)
        numbers = rules.catalog.scoring
        self._endings = {
            name: numbers.ending_values.get(ending.outcome, 0)
            for name, ending in rules.endings.items()
        }
        self._outcomes = {name: ending.outcome for name, ending in rules.endings.items()}
        self._unhappy = numbers.unhappy_value
        self._fury = rules.catalog.numbers.fury_anger
        self._budget = numbers.outlook_states
        self._horizons = numbers.horizons
        self._violated = Line(
            numbers.ending_values["failed_compliance"], None, "failed_compliance", False
        )
        self._ends = frozenset(rules.endings)
        self._failed = {
            name: Line(self._violated.value, name, "failed_compliance", False)
            for name in rules.endings
        }
        self._happy = {
            name: Line(self._endings[name], name, outcome, False)
            for name, outcome in self._outcomes.items()
        }
        self._unhappy_lines = {
            name: Line(self._unhappy, name, outcome, True)
            if outcome == "resolved"
            else self._happy[name]
            for name, outcome in self._outcomes.items()
        }
        self._leaves: dict[Packed, tuple[Line, int]] = {}
        """`_last`'s lines, kept apart from `_memo`: no moves are stored for them."""
        self._memo: dict[Packed, _Memo] = {}
        self._exact: dict[Packed, Line] = {}
        self._ratings: dict[_RatingKey, tuple[float, ...]] = {}
        self._offered: dict[Packed, tuple[Option, ...]] = {}
        self._horizon: int | None = None
        self._limit: int | None = None
        self._count = 0
        self._lock = threading.RLock()
        """One search at a time: a session judges ahead in a thread while the trainee
        reads (`Session.think_ahead`), and the memos and the probe's budget are not safe
        to share between two searches at once."""

    # ------------------------------------------------------------ public

    @property
    def horizon(self) -> int:
        """Moves looked ahead when bounded; 0 when the scenario is judged exactly."""
        if self._horizon is None:
            with self._lock:
                if self._horizon is None:
                    self._horizon = self._probe()
        return self._horizon

    @property
    def exact(self) -> bool:
        return self.horizon == 0

    def options(self, state: Packed) -> list[Option]:
        """Every choice on offer at a packed state, in the author's order, judged."""
        with self._lock:
            return self._options(state)

    def _options(self, state: Packed) -> list[Option]:
        return [
            Option(
                c.id,
                tuple(c.choice.techniques),
                Mood(after[1], after[2]),
                own + then.value,
                now=own,
                leads_to=then.outcome,
                unhappy=then.unhappy,
                harmful=c.harmful,
                helpful=c.helpful,
            )
            for (c, own, after, _, _), then in self._judged(state)
        ]

    def state_options(self, state: State) -> list[Option]:
        """`options` for a full engine state (the session's), through the merge rule;
        remembered, so a state judged ahead (`Session.think_ahead`) costs nothing."""
        with self._lock:
            packed = self.space.pack(state)
            found = self._offered.get(packed)
            if found is None:
                if len(self._offered) >= OFFERED_LIMIT:
                    self._offered.clear()
                found = self._offered[packed] = tuple(self._options(packed))
            return list(found)

    def is_judged(self, state: State) -> bool:
        """Whether `state_options` would answer at once (False while a search runs)."""
        if not self._lock.acquire(blocking=False):
            return False
        try:
            return self.space.pack(state) in self._offered
        finally:
            self._lock.release()

    def edges(self, state: Packed) -> list[Edge]:
        """Every choice on offer, played once and rated exactly as the session's `judge`
        rates it (the exhaustive analysis's moves)."""
        with self._lock:
            return self._edges(state)

    def _edges(self, state: Packed) -> list[Edge]:
        judged = self._judged(state)
        key = (
            state[0],
            tuple(
                (c.id, own + then.value, own, then.outcome in DOOMED)
                for (c, own, _, _, _), then in judged
            ),
        )
        ratings = self._ratings.get(key)
        if ratings is None:
            offered = self._options(state)
            ratings = self._ratings[key] = tuple(judge(o.choice, offered)[1] for o in offered)
        return [
            (c.id, rating, after, stuck, credit)
            for ((c, _, after, stuck, credit), _), rating in zip(judged, ratings, strict=True)
        ]

    def line(self, state: Packed) -> Line:
        """The best continuation from a packed state (an ending's own line at an ending)."""
        horizon = self.horizon
        if self.space.is_final(state):
            return self._ending_line(state)
        with self._lock:
            return self._exact_line(state) if horizon == 0 else self._bounded_line(state, horizon)

    def ending_value(self, state: Packed) -> tuple[int, str, bool]:
        """What reaching this final state adds, its outcome, and whether it is unhappy."""
        line = self._ending_at(state[0], state[1], state[9])
        assert line.outcome is not None
        return line.value, line.outcome, line.unhappy

    # ------------------------------------------------------------ search

    def _entry(self, state: Packed) -> _Memo:
        memo = self._memo.get(state)
        if memo is None:
            if len(self._memo) >= MEMO_LIMIT:
                self._memo.clear()  # bounded memory; only costs a recomputation
            memo = self._memo[state] = _Memo(self.space.moves(state))
            leaf = self._leaves.pop(state, None)
            if leaf is not None:  # what `_last` knew moves here: one place per state
                if leaf[1] == 1:
                    memo.settled, memo.height = leaf
                else:
                    memo.depths = {1: leaf[0]}
        return memo

    def _moves(self, state: Packed) -> list[Played]:
        return self._entry(state).moves

    def _judged(self, state: Packed) -> list[tuple[Played, Line]]:
        horizon = self.horizon
        return [(move, self._then(move[2], horizon - 1)) for move in self._moves(state)]

    def _then(self, after: Packed, depth: int) -> Line:
        """The best continuation after a move (depth < 0: exact)."""
        if self.space.is_final(after):
            return self._ending_line(after)
        if after[9]:
            return self._violated  # rule 12: every continuation fails; no need to look
        if depth < 0:
            return self._exact_line(after)
        return self._bounded_line(after, depth)

    def _ending_line(self, state: Packed) -> Line:
        return self._ending_at(state[0], state[1], state[9])

    def _ending_at(self, node: str, anger: int, violation: bool) -> Line:
        """An ending's own line: a broken compliance rule fails it whatever the ending
        (rule 12), and a resolved ending reached in fury is unhappy (rule 16)."""
        if violation:
            return self._failed[node]
        return self._unhappy_lines[node] if anger >= self._fury else self._happy[node]

    def _best(self, moves: Sequence[Played | Glance], lines: list[Line]) -> Line:
        """The best line from a state by the tie rule (`rank`, then the choice id)."""
        if not moves:
            return _CUT  # a dead end: every `when` hides every choice
        any_helpful = any(c.helpful for c, _, _, _, _ in moves)
        best: tuple[tuple[int, int, int, int, int], str, int, Line] | None = None
        for (c, own, _, _, _), then in zip(moves, lines, strict=True):
            value = own + then.value
            key = rank(
                helpful=c.helpful,
                value=value,
                harmful=c.harmful,
                now=own,
                size=c.size,
                any_helpful=any_helpful,
            )
            if best is None or key > best[0] or (key == best[0] and c.id < best[1]):
                best = (key, c.id, value, then)
        assert best is not None
        then = best[3]
        return Line(best[2], then.ending, then.outcome, then.unhappy)

    def _tick(self) -> None:
        if self._limit is not None:
            self._count += 1
            if self._count > self._limit:
                raise _OverBudget

    def _exact_line(self, root: Packed) -> Line:
        """The exact best line, by an iterative depth-first search (no recursion limit
        on long chains), memoised on the packed state; `_Recurs` on a loop."""
        memo = self._exact
        found = memo.get(root)
        if found is not None:
            return found
        final, path = self.space.is_final, {root}
        stack = [root]
        while stack:
            state = stack[-1]
            moves = self._moves(state)
            pending = None
            for _, _, after, _, _ in moves:
                if final(after) or after[9] or after in memo:
                    continue
                if after in path:
                    raise _Recurs
                pending = after
                break
            if pending is not None:
                self._tick()
                path.add(pending)
                stack.append(pending)
                continue
            memo[state] = self._best(moves, [self._then(m[2], -1) for m in moves])
            path.discard(state)
            stack.pop()
        return memo[root]

    def _bounded_line(self, state: Packed, depth: int) -> Line:
        return self._look(state, depth)[0]

    def _look(self, state: Packed, depth: int) -> tuple[Line, int]:
        """The best line looking `depth` moves ahead (0: cut off here), and how many
        moves it needed to reach an ending on every branch (-1: cut off somewhere).

        A search that reached an ending on every branch within k <= depth moves is the
        same whatever the depth beyond k, so it is kept once per state and reused at every
        larger depth: the value stays a pure function of (state, depth). Everything a
        state needs is one memo entry, so each visit hashes the packed state once.
        """
        if depth <= 0:
            return _CUT, -1
        memo = self._memo.get(state)
        if memo is None:
            if depth == 1:
                return self._last(state)
            leaf = self._leaves.get(state)
            if leaf is not None and leaf[1] == 1:
                return leaf  # every move ends at once: the same line at any depth
            memo = self._entry(state)
        if memo.settled is not None and memo.height <= depth:
            return memo.settled, memo.height
        depths = memo.depths
        if depths is not None:
            found = depths.get(depth)
            if found is not None:
                return found, -1
        self._tick()
        moves = memo.moves
        lines = []
        height = 0
        ends, violated, look = self._ends, self._violated, self._look
        for _, _, after, _, _ in moves:
            if after[0] in ends:
                lines.append(self._ending_line(after))
            elif after[9]:
                lines.append(violated)
            else:
                line, needed = look(after, depth - 1)
                lines.append(line)
                if needed < 0:
                    height = -1
                elif height >= 0 and needed > height:
                    height = needed
        found = self._best(moves, lines)
        if height >= 0 and moves:
            memo.settled, memo.height = found, height + 1
            return found, height + 1
        if depths is None:
            depths = memo.depths = {}
        depths[depth] = found
        return found, -1

    def _last(self, state: Packed) -> tuple[Line, int]:
        """`_look` one move ahead for a state with no memo entry (its only caller checks),
        from `Space.glance`: the same line, without packing or keeping the states that
        move leads to (nothing looks further from them). Kept in `_leaves` until the
        state gets a memo entry, which takes it over (`_entry`)."""
        found = self._leaves.get(state)
        if found is not None:
            return found
        self._tick()
        moves = self.space.glance(state)
        ends, violated, ending = self._ends, self._violated, self._ending_at
        lines = [
            ending(node, anger, broken) if node in ends else violated if broken else _CUT
            for _, _, node, anger, broken in moves
        ]
        settled = bool(moves) and all(then is not _CUT for then in lines)
        found = (self._best(moves, lines), 1 if settled else -1)
        if len(self._leaves) >= LEAF_LIMIT:
            self._leaves.clear()  # bounded memory; a leaf is one cheap glance
        self._leaves[state] = found
        return found

    def _probe(self) -> int:
        """Exact if the whole space fits the budget, else the longest lookahead that does."""
        start = self.space.start()
        self._limit = self._budget
        try:
            self._count = 0
            try:
                self._exact_line(start)
                return 0
            except (_OverBudget, _Recurs):
                self._exact.clear()
            for horizon in self._horizons:
                self._count = 0
                try:
                    for _, _, after, _, _ in self._moves(start):
                        self._then(after, horizon - 1)
                except _OverBudget:
                    continue  # every line kept is true at its depth: keep them
                return horizon
            return self._horizons[-1]
        finally:
            self._limit = None


_OUTLOOKS: dict[int, tuple[Rules, Outlook]] = {}


def outlook_for(rules: Rules) -> Outlook:
    """One outlook per compiled scenario, so its memo serves every session and the checker."""
    found = _OUTLOOKS.get(id(rules))
    if found is None or found[0] is not rules:
        found = _OUTLOOKS[id(rules)] = (rules, Outlook(rules))
    return found[1]
