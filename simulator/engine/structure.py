"""The scenario as a plain graph of nodes and endings, with conditions ignored.

Several checks need only the shape of a scenario (who can go where), and the
exhaustive analysis needs facts about that shape to merge states soundly (which
techniques can still be used from a node, which flags and visits any condition
reads). Computing them once here keeps lint and analysis fast and consistent.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

from simulator.scenario.conditions import Condition
from simulator.scenario.loader import BUILTIN_WALKOUT
from simulator.scenario.models import Choice, Scenario
from simulator.scenario.safe_yaml import Path


def targets(choice: Choice) -> list[str]:
    """Every node or ending a choice's goto can lead to, in the author's order."""
    if isinstance(choice.goto, str):
        return [choice.goto]
    return [branch.to for branch in choice.goto]


@dataclass(frozen=True)
class ConditionSite:
    """Where a condition is written: its YAML path and the parsed condition."""

    path: Path
    condition: Condition
    node: str


def condition_sites(scenario: Scenario) -> Iterator[ConditionSite]:
    """Every `when` and `if` in the scenario, with the path to point problems at."""
    for node_id, node in scenario.nodes.items():
        for index, choice in enumerate(node.choices):
            base: Path = ("nodes", node_id, "choices", index)
            if choice.when is not None:
                yield ConditionSite((*base, "when"), choice.when, node_id)
            if not isinstance(choice.goto, str):
                for b_index, branch in enumerate(choice.goto):
                    if branch.if_ is not None:
                        yield ConditionSite((*base, "goto", b_index, "if"), branch.if_, node_id)


class Structure:
    """Graph facts about one scenario, each computed on first use."""

    def __init__(self, scenario: Scenario, walkout: str = BUILTIN_WALKOUT) -> None:
        self.scenario = scenario
        self.walkout = walkout
        self.successors: dict[str, list[str]] = {}
        for node_id, node in scenario.nodes.items():
            seen: dict[str, None] = {}
            for choice in node.choices:
                for target in targets(choice):
                    seen.setdefault(target, None)
            self.successors[node_id] = list(seen)

    def _closure(self, start: str) -> set[str]:
        found = {start}
        stack = [start]
        while stack:
            for target in self.successors.get(stack.pop(), ()):
                if target not in found:
                    found.add(target)
                    stack.append(target)
        return found

    @cached_property
    def reachable(self) -> frozenset[str]:
        """Nodes and endings some goto chain leads to from `start` (conditions ignored)."""
        return frozenset(self._closure(self.scenario.start))

    @cached_property
    def can_end(self) -> frozenset[str]:
        """Nodes from which some goto chain reaches an ending other than by walking out."""
        endings = set(self.scenario.endings)
        predecessors: dict[str, set[str]] = {}
        for node_id, following in self.successors.items():
            for target in following:
                predecessors.setdefault(target, set()).add(node_id)
        found = set(endings)
        stack = list(endings)
        while stack:
            for before in predecessors.get(stack.pop(), ()):
                if before not in found:
                    found.add(before)
                    stack.append(before)
        return frozenset(found - endings)

    @cached_property
    def components(self) -> tuple[tuple[str, ...], ...]:
        """The strongly connected components of the nodes, in reverse topological order.

        Tarjan's algorithm with an explicit stack: one pass over nodes and gotos, so a
        chain of 8,000 nodes costs 8,000 steps instead of a search from every node,
        and no recursion limit is ever near. A component comes out only after every
        component it can reach, which lets `future_techniques` fill itself in one sweep.
        """
        nodes = self.scenario.nodes
        index: dict[str, int] = {}
        low: dict[str, int] = {}
        on_stack: set[str] = set()
        stack: list[str] = []
        found: list[tuple[str, ...]] = []
        for root in nodes:
            if root in index:
                continue
            index[root] = low[root] = len(index)
            stack.append(root)
            on_stack.add(root)
            work = [(root, iter(self.successors[root]))]
            while work:
                node, following = work[-1]
                advanced = False
                for target in following:
                    if target not in nodes:
                        continue  # an ending: no way on
                    if target not in index:
                        index[target] = low[target] = len(index)
                        stack.append(target)
                        on_stack.add(target)
                        work.append((target, iter(self.successors[target])))
                        advanced = True
                        break
                    if target in on_stack:
                        low[node] = min(low[node], index[target])
                if advanced:
                    continue
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    members: list[str] = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        members.append(member)
                        if member == node:
                            break
                    found.append(tuple(members))
        return tuple(found)

    @cached_property
    def _component_of(self) -> dict[str, int]:
        return {node: i for i, members in enumerate(self.components) for node in members}

    def _cycles(self, members: tuple[str, ...]) -> bool:
        """Whether a component holds a loop: two or more nodes, or a goto to itself."""
        return len(members) > 1 or members[0] in self.successors[members[0]]

    def traps(self) -> list[list[str]]:
        """Loops of reachable nodes with no way out to an ending, each in file order.

        Every node offers a choice, so a reachable node that cannot reach an ending
        must lead into such a loop; reporting the loops themselves names the cause.
        A stuck node's whole component is stuck (its members reach the same places).
        """
        order = {node: i for i, node in enumerate(self.scenario.nodes)}
        stuck = [n for n in self.scenario.nodes if n in self.reachable and n not in self.can_end]
        loops: list[list[str]] = []
        placed: set[str] = set()
        for node_id in stuck:
            if node_id in placed:
                continue
            members = self.components[self._component_of[node_id]]
            placed.update(members)
            if self._cycles(members):
                loops.append(sorted(members, key=order.__getitem__))
        return loops

    @cached_property
    def loops(self) -> bool:
        """Whether some reachable node can lead back to itself (paths may be unbounded)."""
        return bool(self.looping())

    def looping(self) -> list[list[str]]:
        """The reachable nodes that can lead back to themselves, a list per loop, each in
        file order (the loops whose `when`s and moods may keep a conversation going)."""
        order = {node: i for i, node in enumerate(self.scenario.nodes)}
        return [
            sorted(members, key=order.__getitem__)
            for members in self.components
            if self._cycles(members) and members[0] in self.reachable
        ]

    @cached_property
    def future_techniques(self) -> dict[str, frozenset[str]]:
        """Per node: techniques any choice from here on may still use.

        The engine reads a technique's use count only when that technique is used
        again, so counts of techniques outside this set cannot change the future.
        Components come in reverse topological order, so each one's set is its own
        techniques plus the finished sets of the components it leads to.
        """
        nodes = self.scenario.nodes
        of = self._component_of
        per_component: list[frozenset[str]] = []
        for members in self.components:
            mine = set(t for node in members for c in nodes[node].choices for t in c.techniques)
            for node in members:
                for target in self.successors[node]:
                    other = of.get(target)
                    if other is not None and other < len(per_component):
                        mine |= per_component[other]
            per_component.append(frozenset(mine))
        return {node_id: per_component[of[node_id]] for node_id in nodes}

    @cached_property
    def sites(self) -> tuple[ConditionSite, ...]:
        return tuple(condition_sites(self.scenario))

    @cached_property
    def tested_flags(self) -> frozenset[str]:
        return frozenset(flag for site in self.sites for flag in site.condition.flags)

    @cached_property
    def tested_visits(self) -> frozenset[str]:
        return frozenset(node for site in self.sites for node in site.condition.visited)

    @cached_property
    def reads_turn(self) -> bool:
        return any(site.condition.reads_turn for site in self.sites)
