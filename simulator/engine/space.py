"""A scenario's state space in packed form: what the consequence search (`outlook`) and
the exhaustive analysis walk.

It lives in the engine because rule 15's search needs it, and the merge rule is its memo
key; the analysis uses it from here (the engine imports nothing above it).

A state is a plain tuple holding only what some future choice can read, so two
conversations that cannot differ in any future score are one tuple (the merge rule):

    (node, anger, trust, counts, heard, solution, helped, streak, flags,
     violation, visited, turn)

- counts: one integer, 32 bits per technique, holding the use counts the engine can
  read later: techniques whose count it reads (the helpful ones, `MoodEngine.reads`)
  that some choice from this node on still uses; every other count is 0.
- heard, solution, helped, streak: kept only where a technique that reads them can
  still be used from this node (streaks beyond rule 9's table count alike); else 0.
- flags: only the flags a condition tests or the engine reads.
- visited: only the nodes a condition tests; turn: 0 unless a condition reads it.
- an ending keeps only what the score reads: the mood and whether compliance was
  broken (the other fields are 0 or empty).

Moves are the engine's own pieces (`Rules.react` quiet, `Rules.routes`, `Rules.enter`),
memoised per choice on exactly what the mood step reads, so a mood step is computed
once however many paths meet it. tests/test_analysis_exhaustive.py cross-checks the
merge against brute force and checks that merged states really share their future.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from simulator.engine.machine import Route, Rules, first_route, violates
from simulator.engine.mood import Memory, Mood
from simulator.engine.state import State
from simulator.engine.structure import Structure
from simulator.scenario.conditions import Condition
from simulator.scenario.models import Choice

Packed = tuple[str, int, int, int, bool, bool, bool, int, frozenset[str], bool, frozenset[str], int]
"""(node, anger, trust, counts, heard, solution, helped, streak, flags, violation,
visited, turn): see the module docstring."""
_StepKey = tuple[int, int, int, bool, bool, bool, int, frozenset[str]]
"""What the mood step reads: mood, this choice's counts, memory fields, flags."""
_Stepped = tuple[int, int, bool, bool, bool, int, frozenset[str], bool, bool, int, str | None]
"""anger, trust, heard, solution, helped, streak, flags, violation, follow-up credit,
the move's own value (`Step.own`), and its target or _DYNAMIC."""
_DYNAMIC = ""
"""The target depends on visits or the turn: the routes are walked on each move."""
Edge = tuple[str, float, "Packed", bool, bool]
"""(choice id, rating, state after, stuck, follow-up credited): one choice played and
rated (`Outlook.edges`).

Stuck means no branch of the choice's conditional goto matched, so the conversation
stayed where it was."""
Played = tuple["Compiled", int, "Packed", bool, bool]
"""(choice, own value, state after, stuck, follow-up credited): one choice played, not
yet judged (`Space.moves`)."""
Glance = tuple["Compiled", int, str, int, bool]
"""(choice, own value, node after, anger after, compliance broken): one choice played,
its state not packed (`Space.glance`)."""
_EMPTY: frozenset[str] = frozenset()

_BITS = 32
_FIELD = (1 << _BITS) - 1


class _Context:
    """What a condition reads, filled in place for each evaluation (no allocation)."""

    __slots__ = ("anger", "flags", "trust", "turn", "visited")

    def __init__(self) -> None:
        self.anger = 0
        self.trust = 0
        self.turn = 0
        self.flags: frozenset[str] = frozenset()
        self.visited: frozenset[str] = frozenset()


@dataclass(slots=True)
class Compiled:
    """A choice with everything a move needs precomputed."""

    choice: Choice
    id: str
    harmful: int
    """How many of its techniques are harmful (the tie rule and the rating caps read it)."""
    helpful: int
    size: int
    when: Condition | None
    routes: tuple[Route, ...]
    mask: int
    """The count bits of this choice's techniques: what the mood step reads of counts."""
    increment: int
    """Added to the counts: one use per technique occurrence."""
    static: bool
    """No condition on its routes reads visits or the turn: the mood step decides them."""
    memo: dict[_StepKey, _Stepped]
    reads: tuple[tuple[str, int], ...]
    """(technique, its shift in the counts) of its kept techniques, by id: which counts
    the mood step is handed (worked out once, not at every step)."""


class Space:
    """Packed states of one scenario and the moves between them."""

    def __init__(self, rules: Rules, structure: Structure) -> None:
        self.rules = rules
        self.structure = structure
        reads = rules.engine.reads
        scenario = rules.scenario
        used = sorted(
            {t for node in scenario.nodes.values() for c in node.choices for t in c.techniques}
            & reads.counts
        )
        self._shift = {tid: _BITS * i for i, tid in enumerate(used)}
        self._cap = reads.streak_cap
        self._flags = structure.tested_flags | reads.flags
        self._visits = structure.tested_visits
        self._turn = structure.reads_turn
        self._endings = frozenset(rules.endings)
        self._ctx = _Context()
        self._entering = frozenset(n for n, node in scenario.nodes.items() if node.set) | (
            self._visits
        )
        """Nodes whose entering changes flags or packed visits (others need no look-up)."""
        self._harmful = frozenset(
            tid for tid, t in rules.catalog.techniques.items() if not t.helpful
        )
        self._enter: dict[
            tuple[str, frozenset[str], frozenset[str]], tuple[frozenset[str], frozenset[str]]
        ] = {}
        self._project: dict[str, tuple[int, bool, bool, bool, bool]] = {}
        for node_id in scenario.nodes:
            future = structure.future_techniques[node_id]
            self._project[node_id] = (
                self._bits(future),
                bool(future & reads.heard),
                bool(future & reads.solution),
                bool(future & reads.helped),
                bool(future & reads.streak),
            )
        self._choices: dict[str, list[Compiled]] = {
            node_id: [self._compile(node_id, c) for c in node.choices]
            for node_id, node in scenario.nodes.items()
        }

    def _bits(self, techniques: frozenset[str] | list[str]) -> int:
        mask = 0
        for tid in techniques:
            if tid in self._shift:
                mask |= _FIELD << self._shift[tid]
        return mask

    def _compile(self, node_id: str, choice: Choice) -> Compiled:
        harmful = sum(1 for t in choice.techniques if t in self._harmful)
        increment = sum(1 << self._shift[t] for t in choice.techniques if t in self._shift)
        return Compiled(
            choice,
            choice.id,
            harmful,
            len(choice.techniques) - harmful,
            len(choice.techniques),
            choice.when,
            self.rules.routes[(node_id, choice.id)],
            self._bits(list(choice.techniques)),
            increment,
            all(
                r.condition is None or not (r.condition.visited or r.condition.reads_turn)
                for r in self.rules.routes[(node_id, choice.id)]
            ),
            {},
            tuple(
                sorted(
                    (tid, self._shift[tid]) for tid in set(choice.techniques) if tid in self._shift
                )
            ),
        )

    # ------------------------------------------------------------------ states

    def start(self) -> Packed:
        return self.pack(self.rules.initial_state())

    def pack(self, state: State) -> Packed:
        """A full engine state in packed form: what the merge rule keeps of it."""
        counts = 0
        for tid, n in state.memory.counts:
            if tid in self._shift:
                counts += n << self._shift[tid]
        m = state.memory
        return self._pack(
            state.node,
            state.mood.anger,
            state.mood.trust,
            counts,
            m.heard,
            m.solution_offered,
            m.helped,
            m.listen_streak,
            state.flags,
            state.compliance_violation,
            state.visited,
            state.turn,
        )

    def _pack(
        self,
        node: str,
        anger: int,
        trust: int,
        counts: int,
        heard: bool,
        solution: bool,
        helped: bool,
        streak: int,
        flags: frozenset[str],
        violation: bool,
        visited: frozenset[str],
        turn: int,
    ) -> Packed:
        """The merge rule: keep exactly what the future can read (module docstring)."""
        if node in self._endings:
            return (node, anger, trust, 0, False, False, False, 0, _EMPTY, violation, _EMPTY, 0)
        bits, reads_heard, reads_solution, reads_helped, reads_streak = self._project[node]
        return (
            node,
            anger,
            trust,
            counts & bits,
            heard and reads_heard,
            solution and reads_solution,
            helped and reads_helped,
            min(streak, self._cap) if reads_streak else 0,
            flags & self._flags,
            violation,
            visited & self._visits,
            turn if self._turn else 0,
        )

    def width(self, node: str) -> int:
        """How many choices a node has: at most that many new states from one of its states."""
        return len(self._choices[node])

    def is_final(self, state: Packed) -> bool:
        return state[0] in self._endings

    # ------------------------------------------------------------------- moves

    def moves(self, state: Packed) -> list[Played]:
        """Every choice on offer, in the author's order, played once (not judged: the
        outlook judges them by consequence, `Outlook.edges`)."""
        return cast("list[Played]", self._play(state, True))

    def glance(self, state: Packed) -> list[Glance]:
        """`moves` without packing the states they lead to: what a lookahead's last move
        needs (its own value, where it lands, the anger there, whether compliance broke).

        The last layer of a lookahead is its largest, and none of its states is ever
        looked up again, so building and storing them was most of the search's work.
        """
        return cast("list[Glance]", self._play(state, False))

    def _play(self, state: Packed, pack: bool) -> list[Played] | list[Glance]:
        """Both `moves` and `glance`: one loop, so the two cannot disagree."""
        (
            node,
            anger,
            trust,
            counts,
            heard,
            solution,
            helped,
            streak,
            flags,
            broken,
            visited,
            turn,
        ) = state
        ctx = self._ctx
        ctx.anger, ctx.trust, ctx.turn, ctx.flags, ctx.visited = anger, trust, turn, flags, visited
        project, entering = self._project, self._entering
        cap, reads_turn = self._cap, self._turn
        moves: list[Any] = []
        for c in self._choices[node]:
            when = c.when
            if when is not None:
                ctx.anger, ctx.trust, ctx.turn, ctx.flags = anger, trust, turn, flags
                if not when.evaluate(ctx):
                    continue
            key = (anger, trust, counts & c.mask, heard, solution, helped, streak, flags)
            step = c.memo.get(key)
            if step is None:
                step = c.memo[key] = self._step(c, key)
            a, t, now_heard, now_solution, now_helped, now_streak, now_flags = step[:7]
            breaks, credit, value, target = step[7:]
            if target == _DYNAMIC:
                ctx.anger, ctx.trust, ctx.turn, ctx.flags = a, t, turn + 1, now_flags
                target = first_route(c.routes, ctx)
            stuck = target is None
            now_visited = visited
            if target is None:
                target = node
            if not pack:
                moves.append((c, value, target, a, broken or breaks))
                continue
            if not stuck and target in entering:
                now_visited, now_flags = self._entered(target, visited, now_flags)
            kept = project.get(target)
            # Packed inline (the merge rule, as in `_pack`); flags and visits are kept
            # packed all along, so they need no trimming here.
            if kept is None:
                after = (
                    target,
                    a,
                    t,
                    0,
                    False,
                    False,
                    False,
                    0,
                    _EMPTY,
                    broken or breaks,
                    _EMPTY,
                    0,
                )
            else:
                bits, reads_heard, reads_solution, reads_helped, reads_streak = kept
                after = (
                    target,
                    a,
                    t,
                    (counts + c.increment) & bits,
                    now_heard and reads_heard,
                    now_solution and reads_solution,
                    now_helped and reads_helped,
                    (now_streak if now_streak < cap else cap) if reads_streak else 0,
                    now_flags,
                    broken or breaks,
                    now_visited,
                    turn + 1 if reads_turn else 0,
                )
            moves.append((c, value, after, stuck, credit))
        return moves

    def offered(self) -> set[tuple[str, str]]:
        """(node, choice) pairs offered in some explored state: exactly the choices played."""
        return {(node, c.id) for node, cs in self._choices.items() for c in cs if c.memo}

    def _step(self, c: Compiled, key: _StepKey) -> _Stepped:
        """The engine's quiet mood step, fed exactly what the memo is keyed by, and what
        follows from it alone: the move's own value and, where no condition on the way
        reads visits or the turn, where it goes."""
        anger, trust, counts, heard, solution, helped, streak, flags = key
        read = tuple(
            (tid, (counts >> at) & _FIELD) for tid, at in c.reads if (counts >> at) & _FIELD
        )
        step = self.rules.react(
            Mood(anger, trust),
            Memory(read, heard, solution, helped, streak),
            flags,
            c.choice,
            explain=False,
        )
        m = step.memory
        after = step.mood
        breaks = violates(step, c.choice)
        target: str | None = _DYNAMIC
        if c.static:
            ctx = _Context()
            ctx.anger, ctx.trust, ctx.flags = after.anger, after.trust, step.flags
            target = first_route(c.routes, ctx)
        return (
            after.anger,
            after.trust,
            m.heard,
            m.solution_offered,
            m.helped,
            m.listen_streak,
            step.flags,
            breaks,
            step.followed_up,
            step.own,
            target,
        )

    def _entered(
        self, target: str, visited: frozenset[str], flags: frozenset[str]
    ) -> tuple[frozenset[str], frozenset[str]]:
        """Entering a node (`Rules.enter`), memoised, with visits and flags kept as packed."""
        key = (target, visited, flags)
        found = self._enter.get(key)
        if found is None:
            after_visited, after_flags = self.rules.enter(target, visited, flags)
            found = self._enter[key] = (after_visited & self._visits, after_flags & self._flags)
        return found
