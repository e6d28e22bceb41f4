"""Exhaustive analysis: play every conversation a scenario allows, without listing paths.

The engine's state (node, mood, what the customer remembers, flags) decides
everything that can still happen, so conversations that reach the same state are
merged and explored once. Two details keep the merge sound and small:

- the key keeps only what the future can read: counts of techniques no later
  choice uses, visits no condition tests and the turn number (when no condition
  reads it) are dropped, because the engine and the conditions never look at them;
- the score is a function of the whole path (mean per-turn rating, final mood,
  outcome), so states are explored in layers by turn count and each (key, turns)
  carries the highest and lowest sum of ratings that reaches it. For a fixed
  ending state and length the score only grows with that sum, so the best and
  worst scores are exact, not estimates. The number of paths is summed the same
  way, exactly, as an integer. The one other thing the score reads from the
  path, whether a follow-up was credited, is carried in the layer key too.

A scenario with loops can have more states than is sensible to explore; the
budget stops the search between turns and the result says how far it got
(`complete_turns`), so every figure is either exact or clearly a bound.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from simulator.analysis import DEFAULT_MAX_STATES
from simulator.analysis.structure import Structure, targets
from simulator.engine.machine import Rules, rules_for
from simulator.engine.mood import Mood
from simulator.engine.scoring import credits_follow_up, judge, offers, path_score
from simulator.engine.session import Session
from simulator.engine.state import State
from simulator.scenario.loader import LoadedScenario

REPLAY_LIMIT = 1_000
"""Longest path the checker replays through a real Session to confirm the search."""

"""A few seconds per scenario; a trainer can raise it with --max-states."""

Key = tuple[object, ...]
Step = tuple[str, str]
"""(node, choice id): one turn of a path, as trainers read it ("opening/hear-her-out")."""


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
    """(state, turn count) pairs explored."""
    moves: int
    """Choices played through the machine."""
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

    @property
    def states_per_second(self) -> float:
        return self.states / self.seconds if self.seconds > 0 else float(self.states)


@dataclass(eq=False, slots=True)
class _Entry:
    """A merged group of conversations: same future, same number of turns."""

    node: str
    state: State | None
    turns: int
    credit: bool
    paths: int
    high: float
    low: float
    high_from: tuple[_Entry, str] | None = None
    low_from: tuple[_Entry, str] | None = None


@dataclass(frozen=True)
class _Edge:
    choice: str
    rating: float
    after: State
    key: Key
    stuck: bool
    credit: bool


@dataclass
class _Search:
    """The mutable bookkeeping of one exploration."""

    rules: Rules
    structure: Structure
    terminals: list[_Entry] = field(default_factory=list)
    reached: set[str] = field(default_factory=set)
    offered: set[Step] = field(default_factory=set)
    dead_ends: dict[str, Witness] = field(default_factory=dict)
    stuck: dict[Step, Witness] = field(default_factory=dict)
    states: int = 0
    moves: int = 0

    def key(self, state: State) -> Key:
        """What decides the future of a state; see the module docstring."""
        node = state.node
        if node in self.rules.endings:
            return (node, state.mood, state.compliance_violation)
        future = self.structure.future_techniques[node]
        memory = state.memory
        return (
            node,
            state.mood,
            tuple(pair for pair in memory.counts if pair[0] in future),
            memory.heard,
            memory.solution_offered,
            memory.helped,
            memory.listen_streak,
            state.flags,
            state.compliance_violation,
            state.visited & self.structure.tested_visits,
            state.turn if self.structure.reads_turn else 0,
        )

    def edges(self, state: State) -> list[_Edge]:
        """Play every choice on offer once; ratings as the session's judge gives them."""
        rules = self.rules
        offered = offers(rules, state)
        self.moves += len(offered)
        options = [offer.option for offer in offered]
        return [
            _Edge(
                offer.choice.id,
                judge(offer.choice.id, options)[1],
                offer.move.after,
                self.key(offer.move.after),
                offer.move.after.node == state.node and state.node not in targets(offer.choice),
                credits_follow_up(offer.move.effects),
            )
            for offer in offered
        ]


def path_of(entry: _Entry, *, worst: bool = False) -> tuple[Step, ...]:
    """Follow the back pointers of the highest (or lowest) rated way into an entry."""
    steps: list[Step] = []
    link = entry.low_from if worst else entry.high_from
    while link is not None:
        before, choice = link
        steps.append((before.node, choice))
        link = before.low_from if worst else before.high_from
    return tuple(reversed(steps))


def analyse(loaded: LoadedScenario, *, max_states: int = DEFAULT_MAX_STATES) -> Analysis:
    """Explore every reachable state of a scenario, or as many as the budget allows."""
    started = time.perf_counter()
    rules = rules_for(loaded)
    search = _Search(rules, Structure(loaded.scenario, rules.walkout))
    start = rules.initial_state()
    first = _Entry(start.node, start, 0, False, 1, 0.0, 0.0)
    layer: dict[Key, _Entry] = {(*search.key(start), False): first}
    turns = 0
    complete = True
    while layer:
        search.states += len(layer)
        next_layer: dict[Key, _Entry] = {}
        for entry in layer.values():
            state = entry.state
            assert state is not None
            search.reached.add(state.node)
            entry.state = None if not rules.is_final(state) else state
            if rules.is_final(state):
                search.terminals.append(entry)
                continue
            edges = search.edges(state)
            if not edges:
                search.dead_ends.setdefault(state.node, _witness(entry, state))
                continue
            for edge in edges:
                search.offered.add((state.node, edge.choice))
                if edge.stuck:
                    where = (state.node, edge.choice)
                    after = edge.after.mood
                    path = (*path_of(entry), where)
                    witness = Witness(state.node, after.anger, after.trust, path, edge.choice)
                    search.stuck.setdefault(where, witness)
                _merge(next_layer, entry, edge)
        if search.states + len(next_layer) > max_states and next_layer:
            complete = False
            for entry in next_layer.values():
                if entry.state is not None and rules.is_final(entry.state):
                    search.reached.add(entry.node)
                    search.terminals.append(entry)
            break
        layer = next_layer
        turns += 1
    return _result(search, loaded, start.mood, complete, turns, time.perf_counter() - started)


def _merge(layer: dict[Key, _Entry], entry: _Entry, edge: _Edge) -> None:
    high, low = entry.high + edge.rating, entry.low + edge.rating
    credit = entry.credit or edge.credit
    key = (*edge.key, credit)
    found = layer.get(key)
    if found is None:
        layer[key] = _Entry(
            edge.after.node,
            edge.after,
            entry.turns + 1,
            credit,
            entry.paths,
            high,
            low,
            (entry, edge.choice),
            (entry, edge.choice),
        )
        return
    found.paths += entry.paths
    if high > found.high:
        found.high, found.high_from = high, (entry, edge.choice)
    if low < found.low:
        found.low, found.low_from = low, (entry, edge.choice)


def _witness(entry: _Entry, state: State) -> Witness:
    return Witness(state.node, state.mood.anger, state.mood.trust, path_of(entry))


def _score(entry: _Entry, total: float, start: Mood, outcome: str) -> int:
    """The session's own formula for a path known by its rating sum."""
    state = entry.state
    assert state is not None
    return path_score(
        total,
        entry.turns,
        start,
        state.mood,
        outcome,
        followed_up=entry.credit,
        compliance_violation=state.compliance_violation,
    )[0]


def _result(
    search: _Search,
    loaded: LoadedScenario,
    start: Mood,
    complete: bool,
    turns: int,
    seconds: float,
) -> Analysis:
    rules = search.rules
    endings: dict[str, set[str]] = {}
    best: tuple[int, int, _Entry, str] | None = None
    worst: tuple[int, int, _Entry, str] | None = None
    longest: tuple[int, _Entry, str] | None = None
    paths = 0
    for entry in search.terminals:
        state = entry.state
        assert state is not None
        outcome = _outcome_of(entry, state, rules)
        endings.setdefault(outcome, set()).add(state.node)
        paths += entry.paths
        length = entry.turns
        high = _score(entry, entry.high, start, outcome)
        low = _score(entry, entry.low, start, outcome)
        # Ties go to the shorter, then the first found, conversation: easier to read.
        if best is None or (high, -length) > (best[0], -best[1]):
            best = (high, length, entry, outcome)
        if worst is None or (low, length) < (worst[0], worst[1]):
            worst = (low, length, entry, outcome)
        if longest is None or length > longest[0]:
            longest = (length, entry, outcome)
    return Analysis(
        complete=complete,
        complete_turns=turns,
        states=search.states,
        moves=search.moves,
        seconds=seconds,
        endings={k: tuple(sorted(v)) for k, v in sorted(endings.items())},
        reached=frozenset(search.reached),
        offered=frozenset(search.offered),
        paths=paths,
        best=_extreme(loaded, best[2], best[0], best[3]) if best else None,
        worst=_extreme(loaded, worst[2], worst[0], worst[3], worst=True) if worst else None,
        longest=_extreme(loaded, longest[1], _high(longest[1], start, rules), longest[2])
        if longest
        else None,
        dead_ends=tuple(search.dead_ends.values()),
        stuck=tuple(search.stuck.values()),
        loops=search.structure.loops,
    )


def _outcome_of(entry: _Entry, state: State, rules: Rules) -> str:
    if state.compliance_violation:
        return "failed_compliance"
    return rules.endings[state.node].outcome


def _high(entry: _Entry, start: Mood, rules: Rules) -> int:
    state = entry.state
    assert state is not None
    return _score(entry, entry.high, start, _outcome_of(entry, state, rules))


def _extreme(
    loaded: LoadedScenario, entry: _Entry, score: int, outcome: str, *, worst: bool = False
) -> Extreme:
    """Replay the found path through a real Session: the number shown is the session's.

    A path longer than REPLAY_LIMIT turns is reported from the search's own figures
    (the same formula): a session keeps every turn's state, so replaying an 8,000-turn
    chain costs seconds and over a gigabyte for numbers the search already has.
    """
    path = path_of(entry, worst=worst)
    if len(path) > REPLAY_LIMIT:
        state = entry.state
        assert state is not None
        return Extreme(score, entry.node, outcome, state.mood.anger, state.mood.trust, path)
    result = Session(loaded).play([choice for _, choice in path])
    return Extreme(
        result.score.score,
        result.ending or entry.node,
        result.outcome or "",
        result.end.anger,
        result.end.trust,
        path,
    )
