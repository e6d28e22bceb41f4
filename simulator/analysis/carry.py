"""Carrying scores over the explored state graph: the exact way and the budgeted way.

The score of a finished conversation reads the path only through its length, the sum
of its per-turn ratings and whether a follow-up was credited (`path_score`), so the
analysis never lists paths: it carries those numbers from state to state.

- `Exact`, for a finite graph with no state that can recur: states in topological
  order, each move followed once. Below `settled_turns` the score reads the length
  itself, so the highest and lowest rating sum are kept per (state, length); from
  there on it reads only the shortfall (length - sum), so the smallest and largest
  shortfall stand for every longer conversation into a state. Best and worst are
  exact, and paths are counted exactly.
- `Layered`, when the graph is larger than the budget or a state can recur: states
  in layers by turn count, every (state, length) its own record, stopping between
  turns, so the figures are exact for every conversation up to `turns` turns.

States are integer ids of the explored graph (`explore._Search`): hashing a packed
state once when it is found is far cheaper than on every move.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from simulator.engine.scoring import settled_turns

Move = tuple[str, float, int, bool, bool]
"""(choice id, rating, state id after, stuck, follow-up credited): one choice played."""
Step = tuple[str, str]
"""(node, choice id): one turn of a path, as trainers read it ("opening/hear-her-out")."""
Trace = Callable[[], tuple[Step, ...]]


@dataclass(frozen=True)
class Found:
    """One way to finish, known by its rating sum, as a candidate for best or worst."""

    state: int
    credit: bool
    turns: int
    total: float
    trace: Trace


class Graph(Protocol):
    """What carrying needs of the explored graph."""

    @property
    def nodes(self) -> list[str]:
        """State id -> its node or ending."""

    @property
    def moves(self) -> list[list[Move] | None]:
        """State id -> its moves, None until expanded (and for endings)."""

    @property
    def final(self) -> list[bool]: ...

    @property
    def waiting(self) -> list[int]:
        """State id -> how many moves lead into it."""

    def expand(self, state: int) -> list[Move]: ...

    def affordable(self, state: int) -> bool:
        """Whether the budget allows expanding this state (True once it is expanded)."""


_Link = tuple["_Group", str, int, str] | None
"""(group before, which of its records, its length, choice): one step back on a path."""


@dataclass(slots=True)
class _Span:
    """Conversations of one (unsettled) length into a group: highest and lowest sums."""

    high: float
    low: float
    high_from: _Link
    low_from: _Link


@dataclass(eq=False, slots=True)
class _Group:
    """Every conversation that reaches one state with one follow-up credit."""

    state: int
    credit: bool
    paths: int = 0
    short: dict[int, _Span] = field(default_factory=dict)
    settled: bool = False
    """Some conversation of at least `settled_turns` turns reaches it: best/worst hold."""
    best_turns: int = 0
    best_total: float = 0.0
    best_from: _Link = None
    """The smallest shortfall (on a tie the shortest, then the first found)."""
    worst_turns: int = 0
    worst_total: float = 0.0
    worst_from: _Link = None
    """The largest shortfall (on a tie the shortest, then the first found)."""
    longest: int = 0
    longest_from: _Link = None

    def link(self, record: str, turns: int) -> _Link:
        if record == "high":
            return self.short[turns].high_from
        if record == "low":
            return self.short[turns].low_from
        if record == "best":
            return self.best_from
        if record == "worst":
            return self.worst_from
        return self.longest_from

    def trace(self, nodes: Sequence[str], record: str, turns: int) -> tuple[Step, ...]:
        steps: list[Step] = []
        link = self.link(record, turns)
        while link is not None:
            group, record, turns, choice = link
            steps.append((nodes[group.state], choice))
            link = group.link(record, turns)
        return tuple(reversed(steps))

    def settle(
        self, turns: int, total: float, link: _Link, low_turns: int, low: float, low_link: _Link
    ) -> None:
        """Offer settled conversations: a candidate for best and one for worst."""
        if not self.settled:
            self.settled = True
            self.best_turns, self.best_total, self.best_from = turns, total, link
            self.worst_turns, self.worst_total, self.worst_from = low_turns, low, low_link
            return
        short = turns - total
        kept = self.best_turns - self.best_total
        if short < kept or (short == kept and turns < self.best_turns):
            self.best_turns, self.best_total, self.best_from = turns, total, link
        short = low_turns - low
        kept = self.worst_turns - self.worst_total
        if short > kept or (short == kept and low_turns < self.worst_turns):
            self.worst_turns, self.worst_total, self.worst_from = low_turns, low, low_link


class Exact:
    """Scores carried over an acyclic graph in topological order (module docstring).

    The order is Kahn's: a state is carried on once every move into it has been, so
    its groups are complete. A state never freed that way lies on a loop: `acyclic` is
    then False and the figures must come from `Layered` instead.
    """

    def __init__(self, graph: Graph, start: int) -> None:
        self.graph = graph
        settled = settled_turns()
        self.settled = settled if settled is not None else 1 << 62
        groups: dict[int, _Group] = {}
        first = groups[start * 2] = _Group(start, False, paths=1)
        if self.settled > 0:
            first.short[0] = _Span(0.0, 0.0, None, None)
        else:
            first.settle(0, 0.0, None, 0, 0.0, None)
        self.pairs = 0
        moves = graph.moves
        waiting = list(graph.waiting)
        ready = [start]  # first in, first out: ties go to the author's order of choices
        carried = 0
        for state in ready:
            edges = moves[state]
            if edges is None:
                continue  # an ending: its groups are the results
            carried += 1
            for key in (state * 2, state * 2 + 1):
                group = groups.pop(key, None)
                if group is not None:
                    self._spread(group, groups)
            for move in edges:
                after = move[2]
                waiting[after] -= 1
                if not waiting[after]:
                    ready.append(after)
        self.acyclic = carried == sum(1 for edges in moves if edges is not None)
        self.terminals = list(groups.values())
        self.paths = sum(group.paths for group in self.terminals)
        self.longest = max((group.longest for group in self.terminals), default=0)
        self.pairs += sum(len(g.short) + g.settled for g in self.terminals)

    def _spread(self, group: _Group, groups: dict[int, _Group]) -> None:
        self.pairs += len(group.short) + group.settled
        settled = self.settled
        longer = group.longest + 1
        moves = self.graph.moves[group.state]
        assert moves is not None
        for choice, rating, after, _, credit in moves:
            credit = credit or group.credit
            key = after * 2 + credit
            target = groups.get(key)
            if target is None:
                target = groups[key] = _Group(after, credit)
            target.paths += group.paths
            if longer > target.longest:
                target.longest, target.longest_from = longer, (group, "longest", 0, choice)
            for turns, span in group.short.items() if group.short else ():
                now = turns + 1
                high, low = span.high + rating, span.low + rating
                up, down = (group, "high", turns, choice), (group, "low", turns, choice)
                if now >= settled:
                    target.settle(now, high, up, now, low, down)
                    continue
                kept = target.short.get(now)
                if kept is None:
                    target.short[now] = _Span(high, low, up, down)
                    continue
                if high > kept.high:
                    kept.high, kept.high_from = high, up
                if low < kept.low:
                    kept.low, kept.low_from = low, down
            if group.settled:
                target.settle(
                    group.best_turns + 1,
                    group.best_total + rating,
                    (group, "best", 0, choice),
                    group.worst_turns + 1,
                    group.worst_total + rating,
                    (group, "worst", 0, choice),
                )

    def found(self) -> Iterator[tuple[Found, Found]]:
        """Per way of finishing: (its best candidate, its worst candidate)."""
        nodes = self.graph.nodes
        for g in self.terminals:
            for turns, span in g.short.items():
                yield (
                    Found(g.state, g.credit, turns, span.high, _tracer(g, nodes, "high", turns)),
                    Found(g.state, g.credit, turns, span.low, _tracer(g, nodes, "low", turns)),
                )
            if g.settled:
                yield (
                    Found(g.state, g.credit, g.best_turns, g.best_total, _tracer(g, nodes, "best")),
                    Found(
                        g.state, g.credit, g.worst_turns, g.worst_total, _tracer(g, nodes, "worst")
                    ),
                )

    def longest_found(self) -> tuple[int, int, Trace] | None:
        """(turns, ending state, trace) of a longest conversation."""
        best = None
        for g in self.terminals:
            if best is None or g.longest > best[0]:
                best = (g.longest, g.state, _tracer(g, self.graph.nodes, "longest"))
        return best


def _tracer(group: _Group, nodes: Sequence[str], record: str, turns: int = 0) -> Trace:
    return lambda: group.trace(nodes, record, turns)


@dataclass(eq=False, slots=True)
class _Entry:
    """The budgeted way's record: conversations with the same state, length and credit."""

    state: int
    turns: int
    credit: bool
    paths: int
    high: float
    low: float
    high_from: tuple[_Entry, str] | None = None
    low_from: tuple[_Entry, str] | None = None


def _path(nodes: Sequence[str], entry: _Entry, *, worst: bool = False) -> tuple[Step, ...]:
    """Follow the back pointers of the highest (or lowest) rated way into an entry."""
    steps: list[Step] = []
    link = entry.low_from if worst else entry.high_from
    while link is not None:
        before, choice = link
        steps.append((nodes[before.state], choice))
        link = before.low_from if worst else before.high_from
    return tuple(reversed(steps))


class Layered:
    """Scores carried layer by layer, turn by turn (module docstring); the budget counts
    (state, length) pairs, so it stops between turns and says how far it got."""

    def __init__(self, graph: Graph, start: int, max_pairs: int) -> None:
        self.graph = graph
        self.terminals: list[_Entry] = []
        self.pairs = 0
        self.turns = 0
        self.complete = True
        layer: dict[int, _Entry] = {start * 2: _Entry(start, 0, False, 1, 0.0, 0.0)}
        while layer:
            if not all(graph.final[e.state] or graph.affordable(e.state) for e in layer.values()):
                self.complete = False
                self.terminals += [e for e in layer.values() if graph.final[e.state]]
                break
            self.pairs += len(layer)
            following: dict[int, _Entry] = {}
            for entry in layer.values():
                if graph.final[entry.state]:
                    self.terminals.append(entry)
                    continue
                for move in graph.expand(entry.state):
                    _merge(following, entry, move)
            if self.pairs + len(following) > max_pairs and following:
                self.complete = False
                self.terminals += [e for e in following.values() if graph.final[e.state]]
                break
            layer = following
            self.turns += 1
        self.paths = sum(entry.paths for entry in self.terminals)

    def found(self) -> Iterator[tuple[Found, Found]]:
        nodes = self.graph.nodes
        for e in self.terminals:
            yield (
                Found(e.state, e.credit, e.turns, e.high, _entry_tracer(nodes, e)),
                Found(e.state, e.credit, e.turns, e.low, _entry_tracer(nodes, e, worst=True)),
            )

    def longest_found(self) -> tuple[int, int, Trace] | None:
        best = None
        for e in self.terminals:
            if best is None or e.turns > best[0]:
                best = (e.turns, e.state, _entry_tracer(self.graph.nodes, e))
        return best


def _entry_tracer(nodes: Sequence[str], entry: _Entry, *, worst: bool = False) -> Trace:
    return lambda: _path(nodes, entry, worst=worst)


def _merge(layer: dict[int, _Entry], entry: _Entry, move: Move) -> None:
    choice, rating, after, _, credited = move
    high, low = entry.high + rating, entry.low + rating
    credit = entry.credit or credited
    key = after * 2 + credit
    found = layer.get(key)
    if found is None:
        link = (entry, choice)
        layer[key] = _Entry(after, entry.turns + 1, credit, entry.paths, high, low, link, link)
        return
    found.paths += entry.paths
    if high > found.high:
        found.high, found.high_from = high, (entry, choice)
    if low < found.low:
        found.low, found.low_from = low, (entry, choice)


def recurring(graph: Graph) -> int | None:
    """Some explored state that can lead back to itself, if any (depth first)."""
    moves = graph.moves
    done = [False] * len(moves)
    on_path = [False] * len(moves)
    for root, edges in enumerate(moves):
        if done[root] or edges is None:
            continue
        on_path[root] = True
        stack = [(root, iter(edges))]
        while stack:
            state, pending = stack[-1]
            move = next(pending, None)
            if move is None:
                stack.pop()
                on_path[state], done[state] = False, True
                continue
            after = move[2]
            if on_path[after]:
                return after
            following = moves[after]
            if done[after] or following is None:
                continue
            on_path[after] = True
            stack.append((after, iter(following)))
    return None
