"""Problems only real play can prove: found by the exhaustive analysis, with a witness.

Each finding names a concrete conversation (the choices that lead there, and the
mood at that point) so a trainer can replay it with `simulator play --choices`.
Claims that something never happens ("never reached", "never offered") are made
only when the analysis explored every state; otherwise they would be guesses.
"""

from __future__ import annotations

from collections.abc import Iterator

from simulator.analysis.explore import Analysis, Step, Witness
from simulator.analysis.lint import Positions
from simulator.engine.structure import Structure
from simulator.problems import Problem
from simulator.scenario.loader import LoadedScenario
from simulator.text import plural

PATH_SHOWN = 40
"""Steps of a path spelt out; a longer one shows its start and end around a count."""


def describe_path(path: tuple[Step, ...]) -> str:
    """`opening/hear-her-out → history/own-it`: how trainers read a conversation.

    An 8,000-turn path would make a 100 KB line, so long paths keep their first
    and last steps and say how many lie between.
    """
    steps = [f"{node}/{choice}" for node, choice in path]
    if len(steps) > PATH_SHOWN:
        head, tail = steps[: PATH_SHOWN - 10], steps[-10:]
        steps = [*head, f"… {len(path) - len(head) - len(tail):,} more turns …", *tail]
    return " → ".join(steps) or "the start"


def _where(witness: Witness) -> str:
    route = f"via {describe_path(witness.path)}" if witness.path else "right at the start"
    return f"at anger {witness.anger}, trust {witness.trust} ({route})"


def findings(loaded: LoadedScenario, structure: Structure, analysis: Analysis) -> list[Problem]:
    """Every problem the analysis proves, in file order."""
    at = Positions(loaded)
    problems = [*_dead_ends(loaded, analysis, at), *_stuck(loaded, analysis, at)]
    if analysis.complete:
        problems += _never(loaded, structure, analysis, at)
    else:
        problems += _unproven(loaded, analysis, at)
    return sorted(problems)


def _dead_ends(loaded: LoadedScenario, analysis: Analysis, at: Positions) -> Iterator[Problem]:
    for witness in analysis.dead_ends:
        yield at.error(
            ("nodes", witness.node, "choices"),
            f"node '{witness.node}' offers no choice {_where(witness)}: every choice's "
            "'when' is false, so the conversation cannot go on",
            key=True,
        )


def _stuck(loaded: LoadedScenario, analysis: Analysis, at: Positions) -> Iterator[Problem]:
    nodes = loaded.scenario.nodes
    for witness in analysis.stuck:
        index = next(i for i, c in enumerate(nodes[witness.node].choices) if c.id == witness.choice)
        yield at.warning(
            ("nodes", witness.node, "choices", index, "goto"),
            f"choice '{witness.choice}' matches no branch {_where(witness)}: "
            f"the conversation stays at '{witness.node}'",
        )


def _never(
    loaded: LoadedScenario, structure: Structure, analysis: Analysis, at: Positions
) -> Iterator[Problem]:
    scenario = loaded.scenario
    for node_id, node in scenario.nodes.items():
        if node_id not in structure.reachable:
            continue  # lint already says so
        if node_id not in analysis.reached:
            yield at.warning(
                ("nodes", node_id),
                f"node '{node_id}' is never reached: the conditions on every way in "
                "are false whenever a conversation gets there",
                key=True,
            )
            continue
        for index, choice in enumerate(node.choices):
            if choice.when is not None and (node_id, choice.id) not in analysis.offered:
                yield at.warning(
                    ("nodes", node_id, "choices", index, "when"),
                    f"choice '{choice.id}' is never offered: its 'when' is false every "
                    f"time a conversation reaches '{node_id}'",
                )
    for ending_id in scenario.endings:
        if (
            ending_id in structure.reachable
            and ending_id not in analysis.reached
            and ending_id != loaded.walkout_ending
        ):
            yield at.warning(
                ("endings", ending_id),
                f"ending '{ending_id}' is never reached: the conditions on every way in "
                "are false whenever a conversation gets there",
                key=True,
            )


def _unproven(loaded: LoadedScenario, analysis: Analysis, at: Positions) -> Iterator[Problem]:
    """Nodes that hide every choice behind `when` and that a stopped search cannot clear."""
    proven = {w.node for w in analysis.dead_ends}
    for node_id, node in loaded.scenario.nodes.items():
        if node_id in proven or any(choice.when is None for choice in node.choices):
            continue
        yield at.warning(
            ("nodes", node_id, "choices"),
            f"could not prove node '{node_id}' always offers a choice: every choice has "
            f"a 'when' and the analysis stopped after {plural(analysis.complete_turns, 'turn')} "
            "(raise --max-states)",
            key=True,
        )
