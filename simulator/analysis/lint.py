"""Warnings a scenario's shape alone can prove, each pointing at the line to fix.

These checks read the scenario and its graph only, never play it, so they cost
next to nothing and run on every file of a large library. What needs the moods
(a `when` that hides every choice, a node no real conversation reaches) is the
exhaustive analysis's job, in `findings.py`.
"""

from __future__ import annotations

from collections.abc import Iterator

from simulator.engine.catalog import Catalog
from simulator.engine.machine import rules_for
from simulator.engine.structure import Structure
from simulator.problems import Problem
from simulator.scenario.loader import LoadedScenario
from simulator.scenario.safe_yaml import Mark, Path


def engine_flags(catalog: Catalog) -> frozenset[str]:
    """Situation flags the mood engine itself reads (PRINCIPLES.md rules 6 and 7)."""
    numbers = catalog.numbers
    return numbers.boundary_fits_flags | numbers.escalation_needed_flags | {"abusive"}


class Positions:
    """Turns YAML paths into problems at exact lines and columns of one file."""

    def __init__(self, loaded: LoadedScenario) -> None:
        self.loaded = loaded

    def warning(
        self, path: Path, message: str, *, key: bool = False, column: int | None = None
    ) -> Problem:
        mark = self.mark(path, key=key, column=column)
        return Problem(self.loaded.file, mark.line, mark.column, message, "warning")

    def error(self, path: Path, message: str, *, key: bool = False) -> Problem:
        mark = self.mark(path, key=key)
        return Problem(self.loaded.file, mark.line, mark.column, message, "error")

    def mark(self, path: Path, *, key: bool = False, column: int | None = None) -> Mark:
        """A value's (or its key's) mark; `column` is 1-based inside a condition's text."""
        source = self.loaded.source
        mark = source.key_mark(path) if key else source.mark(path)
        if column is None:
            return mark
        lines = source.lines
        line = lines[mark.line - 1] if 0 < mark.line <= len(lines) else ""
        quoted = line[mark.column - 1 : mark.column] in {'"', "'"}
        return Mark(mark.line, mark.column + column - 1 + (1 if quoted else 0))


def lint(loaded: LoadedScenario, structure: Structure, catalog: Catalog) -> list[Problem]:
    """Every shape warning of one scenario, in file order."""
    at = Positions(loaded)
    problems = [
        *_unreachable(loaded, structure, at),
        *_no_fallback(loaded, at),
        *_traps(structure, at),
        *_flags(loaded, structure, catalog, at),
        *_goals(loaded, structure, catalog, at),
        *_too_close(loaded, catalog, at),
    ]
    return sorted(problems)


def _unreachable(loaded: LoadedScenario, structure: Structure, at: Positions) -> Iterator[Problem]:
    scenario = loaded.scenario
    for node_id in scenario.nodes:
        if node_id not in structure.reachable:
            yield at.warning(
                ("nodes", node_id),
                f"node '{node_id}' is unreachable: no choice on any path from "
                f"'{scenario.start}' leads to it",
                key=True,
            )
    for ending_id in scenario.endings:
        if ending_id not in structure.reachable and ending_id != loaded.walkout_ending:
            yield at.warning(
                ("endings", ending_id),
                f"ending '{ending_id}' is unreachable: no choice on any path from "
                f"'{scenario.start}' leads to it",
                key=True,
            )


def _no_fallback(loaded: LoadedScenario, at: Positions) -> Iterator[Problem]:
    for node_id, node in loaded.scenario.nodes.items():
        for index, choice in enumerate(node.choices):
            if isinstance(choice.goto, str) or choice.goto[-1].if_ is None:
                continue
            last = len(choice.goto) - 1
            yield at.warning(
                ("nodes", node_id, "choices", index, "goto", last),
                f"choice '{choice.id}' has a conditional goto without a fallback: when no "
                f"'if' holds the conversation stays at '{node_id}'; end the list with a "
                "branch that has only 'to'",
            )


def _traps(structure: Structure, at: Positions) -> Iterator[Problem]:
    for loop in structure.traps():
        route = " → ".join([*loop, loop[0]]) if len(loop) > 1 else f"{loop[0]} → {loop[0]}"
        yield at.warning(
            ("nodes", loop[0]),
            f"loop {route} has no way out to an ending: only a walkout can end "
            "a conversation that enters it",
            key=True,
        )


def _flags(
    loaded: LoadedScenario, structure: Structure, catalog: Catalog, at: Positions
) -> Iterator[Problem]:
    scenario = loaded.scenario
    raised: set[str] = set()
    written: dict[str, Path] = {}
    for node_id, node in scenario.nodes.items():
        for flag, on in (node.set or {}).items():
            written.setdefault(flag, ("nodes", node_id, "set", flag))
            if on:
                raised.add(flag)
    if rules_for(loaded).traits.abusive:
        raised.add("abusive")
    reported: set[str] = set()
    for site in structure.sites:
        for ref in site.condition.references:
            if ref.kind != "flag" or ref.name in raised or ref.name in reported:
                continue
            reported.add(ref.name)
            yield at.warning(
                site.path,
                f"flag '{ref.name}' is tested but never set: no node has "
                f"'set: {{{ref.name}: true}}', so this is always false",
                column=ref.column,
            )
    read = structure.tested_flags | engine_flags(catalog)
    for flag, path in written.items():
        if flag not in read:
            yield at.warning(
                path,
                f"flag '{flag}' is set but never tested: no condition reads it "
                "and the engine does not know it",
                key=True,
            )


def _goals(
    loaded: LoadedScenario, structure: Structure, catalog: Catalog, at: Positions
) -> Iterator[Problem]:
    scenario = loaded.scenario
    exercised = {
        catalog.techniques[t].family
        for node_id, node in scenario.nodes.items()
        if node_id in structure.reachable
        for choice in node.choices
        for t in choice.techniques
        if t in catalog.techniques
    }
    for index, goal in enumerate(scenario.learning_goals):
        if goal in catalog.families and goal not in exercised:
            yield at.warning(
                ("learning_goals", index),
                f"learning goal '{goal}' is never exercised: no reachable choice uses "
                f"any {goal} technique, helpful or harmful",
            )


def _too_close(loaded: LoadedScenario, catalog: Catalog, at: Positions) -> Iterator[Problem]:
    """Recall mode matches typed replies to choices; two near-identical wordings defeat it."""
    from simulator.matching.closeness import close_pairs

    for node_id, node in loaded.scenario.nodes.items():
        for pair in close_pairs(node.choices, catalog):
            first, second = node.choices[pair.first], node.choices[pair.second]
            yield at.warning(
                ("nodes", node_id, "choices", pair.second, "say"),
                f"choices '{first.id}' and '{second.id}' are too close to tell apart: a "
                f"typed reply of one fits the other {pair.fit:.0%} as well; reword one "
                "so each says something the other does not",
            )
