"""Exhaustive analysis: play every conversation a scenario allows, without listing paths.

The engine's state (node, mood, what the customer remembers, flags) decides
everything that can still happen, so conversations that reach the same state are
merged and explored once:

- a state is packed to what the future can read (`space.py` says exactly what is
  kept: counts the engine can still read, memory fields some later technique reads,
  flags and visits conditions test, the turn only when a condition reads it), so
  conversations that cannot differ in any future score are one state;
- every reachable state is found breadth first, gets an id, and has its moves
  computed once, through the engine's quiet, memoised mood step;
- the scores are then carried over that graph (`carry.py`): exactly, in topological
  order, when no state can recur; layer by layer, turn by turn, when the graph is
  larger than the budget or a conversation can go on forever.

Best, worst and longest are replayed through a real Session, so the numbers shown are
the session's. When the figures are bounds, the result says how far the search got
(`complete_turns`) and why (`bound_reason`). docs/analysis-speed.md has the profile
behind this design and the merge rule's cross-checks.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from simulator.analysis import DEFAULT_MAX_STATES
from simulator.analysis.carry import Exact, Found, Layered, Move, Step, recurring
from simulator.engine.machine import Rules, rules_for
from simulator.engine.mood import Mood
from simulator.engine.outlook import Outlook, outlook_for
from simulator.engine.scoring import path_score
from simulator.engine.session import Session
from simulator.engine.space import Packed
from simulator.scenario.loader import LoadedScenario

__all__ = ["Analysis", "Extreme", "Step", "Witness", "analyse"]

REPLAY_LIMIT = 1_000
"""Longest path the checker replays through a real Session to confirm the search."""


@dataclass(frozen=True)
class Witness:
    """One concrete conversation that shows a finding, so a trainer can replay it."""

    node: str
    anger: int
    trust: int
    path: tuple[Step, ...]
    choice: str | None = None


@dataclass(frozen=True)
class Extreme:
    """A best or worst (or longest) conversation: its score and the choices that get it."""

    score: int
    ending: str
    outcome: str
    anger: int
    trust: int
    path: tuple[Step, ...]


@dataclass(frozen=True)
class Analysis:
    """What exhaustive play found; figures are exact when `complete`, else bounds."""

    complete: bool
    complete_turns: int
    """Every conversation of at most this many turns was explored."""
    states: int
    """Merged states explored (nodes and endings); the budget counts these."""
    moves: int
    """Choices played (each merged state's once)."""
    seconds: float
    endings: dict[str, tuple[str, ...]]
    """Outcome -> endings some conversation reaches with it."""
    reached: frozenset[str]
    """Nodes and endings some conversation enters."""
    offered: frozenset[Step]
    """(node, choice) pairs offered in some reachable state."""
    paths: int
    """Finished conversations (distinct choice sequences): exact when complete."""
    best: Extreme | None
    worst: Extreme | None
    longest: Extreme | None
    dead_ends: tuple[Witness, ...] = ()
    """One reachable state per node where `when` hides every choice."""
    stuck: tuple[Witness, ...] = ()
    """One state per choice where no branch of its conditional goto matched."""
    loops: bool = False
    """Some node can lead back to itself, so an unfinished count may be unbounded."""
    pairs: int = 0
    """(state, turn count) pairs the scores were carried through: the old measure of work."""
    bound_reason: str | None = None
    """Why the figures are bounds (None when complete): a loop, or the budget."""

    @property
    def states_per_second(self) -> float:
        return self.states / self.seconds if self.seconds > 0 else float(self.states)


@dataclass
class _Search:
    """The explored graph: every state found gets an id, and its moves are computed once."""

    outlook: Outlook
    budget: int
    ids: dict[Packed, int] = field(default_factory=dict)
    packed: list[Packed] = field(default_factory=list)
    nodes: list[str] = field(default_factory=list)
    final: list[bool] = field(default_factory=list)
    moves: list[list[Move] | None] = field(default_factory=list)
    waiting: list[int] = field(default_factory=list)
    """State id -> moves into it found so far (for the topological order)."""
    parent: list[tuple[int, str] | None] = field(default_factory=list)
    """How each state was first reached (a shortest way in), for witnesses."""
    reached: set[str] = field(default_factory=set)
    dead_ends: dict[str, Witness] = field(default_factory=dict)
    stuck: dict[Step, Witness] = field(default_factory=dict)
    played: int = 0

    def intern(self, state: Packed, parent: tuple[int, str] | None) -> int:
        found = self.ids.get(state)
        if found is not None:
            return found
        found = self.ids[state] = len(self.packed)
        self.packed.append(state)
        self.nodes.append(state[0])
        self.final.append(self.outlook.space.is_final(state))
        self.moves.append(None)
        self.waiting.append(0)
        self.parent.append(parent)
        self.reached.add(state[0])
        return found

    def expand(self, state: int) -> list[Move]:
        """A state's moves, computed on first use; findings about them recorded then."""
        moves = self.moves[state]
        if moves is not None:
            return moves
        packed = self.packed[state]
        node = packed[0]
        moves = []
        for choice, rating, after, stuck, credit in self.outlook.edges(packed):
            if stuck and (node, choice) not in self.stuck:
                path = (*self.trail(state), (node, choice))
                self.stuck[(node, choice)] = Witness(node, after[1], after[2], path, choice)
            found = self.intern(after, (state, choice))
            self.waiting[found] += 1
            moves.append((choice, rating, found, stuck, credit))
        if not moves:
            self.dead_ends.setdefault(node, Witness(node, packed[1], packed[2], self.trail(state)))
        self.played += len(moves)
        self.moves[state] = moves
        return moves

    def walk(self, path: tuple[Step, ...]) -> Found:
        """A path's figures read off the explored moves: where it ends, its rating sum."""
        state, total, credit = 0, 0.0, False
        for _, choice in path:
            moves = self.moves[state]
            assert moves is not None
            move = next(m for m in moves if m[0] == choice)
            state, total, credit = move[2], total + move[1], credit or move[4]
        return Found(state, credit, len(path), total, lambda: path)

    def trail(self, state: int) -> tuple[Step, ...]:
        steps: list[Step] = []
        link = self.parent[state]
        while link is not None:
            state, choice = link
            steps.append((self.nodes[state], choice))
            link = self.parent[state]
        return tuple(reversed(steps))

    def affordable(self, state: int) -> bool:
        """Whether expanding a state keeps the states found within the budget."""
        if self.moves[state] is not None:
            return True
        return len(self.packed) + self.outlook.space.width(self.nodes[state]) <= self.budget

    def explore(self) -> bool:
        """Every reachable state, breadth first; False when the budget stops it."""
        layer = [0]
        while layer:
            following: list[int] = []
            for state in layer:
                if self.final[state]:
                    continue
                if not self.affordable(state):
                    return False
                known = len(self.packed)
                self.expand(state)
                following += range(known, len(self.packed))
            layer = following
        return True


@contextmanager
def _without_cycle_collector() -> Iterator[None]:
    """The analysis makes millions of small records that never form cycles; the cyclic
    collector would scan them again and again (a third of the time, measured), while
    reference counting frees them all the same."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def analyse(loaded: LoadedScenario, *, max_states: int = DEFAULT_MAX_STATES) -> Analysis:
    """Explore every reachable state of a scenario, or as many as the budget allows."""
    with _without_cycle_collector():
        return _analyse(loaded, max_states)


def _analyse(loaded: LoadedScenario, max_states: int) -> Analysis:
    started = time.perf_counter()
    rules = rules_for(loaded)
    outlook = outlook_for(rules)
    search = _Search(outlook, max_states)
    search.intern(outlook.space.start(), None)
    carried: Exact | Layered | None = Exact(search, 0) if search.explore() else None
    if isinstance(carried, Exact) and carried.acyclic:
        complete, turns, reason = True, carried.longest, None
    else:
        carried = Layered(search, 0, max_states)
        complete, turns = carried.complete, carried.turns
        reason = None if complete else _bound_reason(search, max_states)
    seconds = time.perf_counter() - started
    return _result(search, loaded, rules.start_mood, carried, complete, turns, seconds, reason)


def _bound_reason(search: _Search, max_states: int) -> str:
    """Why the search stopped: a state that can recur (endless), or sheer size."""
    state = recurring(search)
    if state is not None:
        return (
            "a conversation can come back to a state it was already in "
            f"(at node '{search.nodes[state]}'), so conversations can go on forever"
        )
    size = f"there are more than {max_states:,} states (raise --max-states to go further)"
    loops = search.outlook.structure.looping()
    if not loops:
        return size
    names = [f"'{node}'" for node in loops[0][:3]] + (["…"] if len(loops[0]) > 3 else [])
    shown = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    return (
        f"{size}; but conversations can go round {shown}, and each time round the mood "
        "and what was said can differ, so there may be no end to the states: a larger "
        "budget explores longer conversations but may never make the figures exact"
    )


def _outcome(rules: Rules, state: Packed) -> str:
    return "failed_compliance" if state[9] else rules.endings[state[0]].outcome


def _score(found: Found, state: Packed, start: Mood, outcome: str) -> int:
    """The session's own formula for a path known by its rating sum."""
    return path_score(
        found.total,
        found.turns,
        start,
        Mood(state[1], state[2]),
        outcome,
        followed_up=found.credit,
        compliance_violation=state[9],
    )[0]


def _result(
    search: _Search,
    loaded: LoadedScenario,
    start: Mood,
    carried: Exact | Layered,
    complete: bool,
    turns: int,
    seconds: float,
    reason: str | None,
) -> Analysis:
    rules = search.outlook.rules
    endings: dict[str, set[str]] = {}
    best: tuple[int, int, Found] | None = None
    worst: tuple[int, int, Found] | None = None
    for high, low in carried.found():
        state = search.packed[high.state]
        outcome = _outcome(rules, state)
        endings.setdefault(outcome, set()).add(state[0])
        top, bottom = _score(high, state, start, outcome), _score(low, state, start, outcome)
        # Ties go to the shorter, then the first found, conversation: easier to read.
        if best is None or (top, -high.turns) > (best[0], -best[1]):
            best = (top, high.turns, high)
        if worst is None or (bottom, low.turns) < (worst[0], worst[1]):
            worst = (bottom, low.turns, low)
    longest = carried.longest_found()
    return Analysis(
        complete=complete,
        complete_turns=turns,
        states=len(search.packed),
        moves=search.played,
        seconds=seconds,
        endings={k: tuple(sorted(v)) for k, v in sorted(endings.items())},
        reached=frozenset(search.reached),
        offered=frozenset(search.outlook.space.offered()),
        paths=carried.paths,
        best=_extreme(search, loaded, start, best[2].trace()) if best else None,
        worst=_extreme(search, loaded, start, worst[2].trace()) if worst else None,
        longest=_extreme(search, loaded, start, longest[2]()) if longest else None,
        dead_ends=tuple(search.dead_ends.values()),
        stuck=tuple(search.stuck.values()),
        loops=search.outlook.structure.loops,
        pairs=carried.pairs,
        bound_reason=reason,
    )


def _extreme(
    search: _Search, loaded: LoadedScenario, start: Mood, path: tuple[Step, ...]
) -> Extreme:
    """Replay the found path through a real Session: the number shown is the session's.

    A path longer than REPLAY_LIMIT turns is reported from the search's own figures
    (the same formula): a session keeps every turn's state, so replaying an 8,000-turn
    chain costs seconds and over a gigabyte for numbers the search already has.
    """
    if len(path) > REPLAY_LIMIT:
        found = search.walk(path)
        state = search.packed[found.state]
        outcome = _outcome(search.outlook.rules, state)
        score = _score(found, state, start, outcome)
        return Extreme(score, state[0], outcome, state[1], state[2], path)
    result = Session(loaded).play([choice for _, choice in path])
    return Extreme(
        result.score.score,
        result.ending or path[-1][0],
        result.outcome or "",
        result.end.anger,
        result.end.trust,
        path,
    )
