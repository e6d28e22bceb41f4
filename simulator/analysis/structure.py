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

    def traps(self) -> list[list[str]]:
        """Loops of reachable nodes with no way out to an ending, each in file order.

        Every node offers a choice, so a reachable node that cannot reach an ending
        must lead into such a loop; reporting the loops themselves names the cause.
        """
        stuck = [n for n in self.scenario.nodes if n in self.reachable and n not in self.can_end]
        loops: list[list[str]] = []
        placed: set[str] = set()
        for node_id in stuck:
            if node_id in placed:
                continue
            component = [
                other
                for other in stuck
                if other in self._closure(node_id) and node_id in self._closure(other)
            ]
            placed.update(component)
            if len(component) > 1 or node_id in self.successors[node_id]:
                loops.append(component)
        return loops

    @cached_property
    def loops(self) -> bool:
        """Whether some reachable node can lead back to itself (paths may be unbounded)."""
        return any(
            node_id in self._closure(target)
            for node_id in self.scenario.nodes
            if node_id in self.reachable
            for target in self.successors[node_id]
        )

    @cached_property
    def future_techniques(self) -> dict[str, frozenset[str]]:
        """Per node: techniques any choice from here on may still use.

        The engine reads a technique's use count only when that technique is used
        again, so counts of techniques outside this set cannot change the future.
        """
        used = {
            node_id: frozenset(t for choice in node.choices for t in choice.techniques)
            for node_id, node in self.scenario.nodes.items()
        }
        return {
            node_id: frozenset().union(*(used[n] for n in self._closure(node_id) if n in used))
            for node_id in self.scenario.nodes
        }

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
        return any(
            ref.kind == "variable" and ref.name == "turn"
            for site in self.sites
            for ref in site.condition.references
        )
