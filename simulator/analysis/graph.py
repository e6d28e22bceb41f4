"""A scenario as a picture: Mermaid `stateDiagram-v2` (via transitions) or Graphviz DOT.

Mermaid text comes from the diagram support of `transitions` (`GraphMachine` with
the mermaid engine, no Graphviz needed), built from the same data as the play
machine: nodes are states, every choice a trigger, each branch of a conditional
goto a guarded transition labelled with its condition. Three things are added
afterwards because the flat machine lacks them: display names (Mermaid ids may
not contain '-' or be keywords such as `end`), colours by phase and outcome, and
the `--> [*]` edge of every ending. The walkout is drawn once, as a note, rather
than as one more arrow out of every node.

DOT is written directly: it is short, and transitions would need pygraphviz.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from transitions.extensions import GraphMachine

from simulator.engine.machine import BUILTIN_WALKOUT_ENDING, WALKOUT_ANGER
from simulator.scenario.loader import LoadedScenario
from simulator.scenario.models import Choice, Ending
from simulator.text import literal

PHASE_STYLE = {
    "identify": "fill:#dbeafe,stroke:#1d4ed8,color:#1e3a8a",
    "understand": "fill:#e0e7ff,stroke:#4338ca,color:#312e81",
    "solve": "fill:#fef9c3,stroke:#a16207,color:#713f12",
    "follow_up": "fill:#ccfbf1,stroke:#0f766e,color:#134e4a",
    "none": "fill:#f3f4f6,stroke:#6b7280,color:#111827",
}
OUTCOME_STYLE = {
    "resolved": "fill:#bbf7d0,stroke:#15803d,color:#14532d",
    "escalated": "fill:#fde68a,stroke:#b45309,color:#78350f",
    "lost": "fill:#fecaca,stroke:#b91c1c,color:#7f1d1d",
    "failed_compliance": "fill:#e9d5ff,stroke:#7e22ce,color:#581c87",
}
_MERMAID_WORDS = {"end", "state", "note", "class", "classdef", "direction", "style"}


@dataclass(frozen=True)
class Edge:
    """One arrow: from a node to a node or ending, for one choice (and branch)."""

    source: str
    target: str
    choice: str
    condition: str | None


def edges(loaded: LoadedScenario) -> list[Edge]:
    """Every arrow of the scenario, in file order; a `when` shows as part of the guard."""
    found = []
    for node_id, node in loaded.scenario.nodes.items():
        for choice in node.choices:
            for target, condition in _branches(choice):
                found.append(Edge(node_id, target, choice.id, condition))
    return found


def _one_line(source: str) -> str:
    """A condition as one line: YAML lets one span several (`if: |`), but a Mermaid
    arrow ends at the line's end; whitespace never changes what a condition means."""
    return " ".join(source.split())


def _branches(choice: Choice) -> list[tuple[str, str | None]]:
    when = f"when {_one_line(choice.when.source)}" if choice.when is not None else None
    if isinstance(choice.goto, str):
        return [(choice.goto, when)]
    out = []
    for branch in choice.goto:
        part = f"if {_one_line(branch.if_.source)}" if branch.if_ is not None else "otherwise"
        if len(choice.goto) == 1 and branch.if_ is None:
            part = ""
        out.append((branch.to, " and ".join(p for p in (when, part) if p) or None))
    return out


def endings(loaded: LoadedScenario) -> dict[str, Ending]:
    """The scenario's endings plus the built-in walkout when nothing routes it."""
    found = dict(loaded.scenario.endings)
    found.setdefault(loaded.walkout_ending, BUILTIN_WALKOUT_ENDING)
    return found


def mermaid_ids(loaded: LoadedScenario) -> dict[str, str]:
    """Scenario id -> a Mermaid-safe, unique state id (no '-', no keywords)."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    for name in [*loaded.scenario.nodes, *endings(loaded)]:
        safe = re.sub(r"[^a-z0-9_]", "_", name)
        if safe in _MERMAID_WORDS or safe[0].isdigit():
            safe = f"s_{safe}"
        base, n = safe, 2
        while safe in taken:
            safe, n = f"{base}_{n}", n + 1
        taken.add(safe)
        out[name] = safe
    return out


def _guard(label: str) -> Callable[..., bool]:
    """A named guard: transitions labels conditional edges with the guard's name."""

    def guard(*_: Any) -> bool:
        return True

    guard.__name__ = label
    return guard


class _Drawing:
    """The model the diagram machine draws; it never plays."""

    get_graph: Callable[..., Any]


def mermaid(loaded: LoadedScenario) -> str:
    """Valid `stateDiagram-v2` text, ready to embed in a Markdown ```mermaid block."""
    scenario = loaded.scenario
    ids = mermaid_ids(loaded)
    all_endings = endings(loaded)
    model = _Drawing()
    machine = GraphMachine(
        model=model,
        states=[{"name": ids[n]} for n in scenario.nodes]
        + [{"name": ids[e], "final": True} for e in all_endings],
        initial=ids[scenario.start],
        auto_transitions=False,
        graph_engine="mermaid",
        show_conditions=True,
        title=scenario.title,
    )
    for edge in edges(loaded):
        guards: list[str | Callable[..., bool | None]] = (
            [_guard(edge.condition)] if edge.condition else []
        )
        machine.add_transition(edge.choice, ids[edge.source], ids[edge.target], conditions=guards)
    drawn = str(model.get_graph().draw(None))
    return _finish(drawn, loaded, ids, all_endings)


def _finish(
    drawn: str, loaded: LoadedScenario, ids: dict[str, str], found: dict[str, Ending]
) -> str:
    """Swap in display names and our colours, and close every ending with `--> [*]`."""
    scenario = loaded.scenario
    names = {safe: name for name, safe in ids.items()}
    # One line, no controls, and a valid YAML double-quoted scalar: a backslash there
    # starts an escape ("C:\\Users" is a broken \\U), so it is doubled.
    title = " ".join(literal(scenario.title).split()).replace("\\", "\\\\").replace('"', "'")
    lines = ["---", f'title: "{title}"', "---"]
    body = drawn.split("stateDiagram-v2", 1)[1].splitlines()
    lines.append("stateDiagram-v2")
    for line in body:
        stripped = line.strip()
        if stripped.startswith(("classDef ", "Class ")):
            continue
        match = re.fullmatch(r'state "[^"]*" as (\S+)', stripped)
        if match:
            name = names[match.group(1)]
            line = f'  state "{name}" as {match.group(1)}'
        lines.append(line.rstrip())
    lines = [line for line in lines if line != ""]
    for ending_id in found:
        lines.append(f"  {ids[ending_id]} --> [*]")
    walkout = ids[loaded.walkout_ending]
    lines.append(f"  note left of {walkout} : any node, when anger reaches {WALKOUT_ANGER}")
    for phase, style in PHASE_STYLE.items():
        lines.append(f"  classDef phase_{phase} {style}")
    for outcome, style in OUTCOME_STYLE.items():
        lines.append(f"  classDef outcome_{outcome} {style}")
    for node_id, node in scenario.nodes.items():
        lines.append(f"  class {ids[node_id]} phase_{node.phase or 'none'}")
    for ending_id, ending in found.items():
        lines.append(f"  class {ids[ending_id]} outcome_{ending.outcome}")
    return "\n".join(lines) + "\n"


def _dot_quote(text: str) -> str:
    escaped = literal(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def _dot_style(style: str) -> str:
    parts = dict(part.split(":", 1) for part in style.split(","))
    return (
        f'style="rounded,filled", fillcolor="{parts["fill"]}", '
        f'color="{parts["stroke"]}", fontcolor="{parts["color"]}"'
    )


def dot(loaded: LoadedScenario) -> str:
    """Graphviz DOT: nodes clustered by phase, endings coloured by outcome."""
    scenario = loaded.scenario
    q = _dot_quote
    lines = [
        f"digraph {q(scenario.id)} {{",
        f"  label={q(scenario.title)}; labelloc=t; rankdir=LR;",
        '  node [shape=box, fontname="Helvetica"]; edge [fontname="Helvetica", fontsize=10];',
        '  "__start__" [shape=point, width=0.15];',
    ]
    by_phase: dict[str, list[str]] = {}
    for node_id, node in scenario.nodes.items():
        by_phase.setdefault(node.phase or "none", []).append(node_id)
    for phase, members in by_phase.items():
        lines.append(f"  subgraph {q('cluster_' + phase)} {{")
        lines.append(f"    label={q(phase.replace('_', ' ') if phase != 'none' else 'no phase')};")
        for node_id in members:
            lines.append(f"    {q(node_id)} [{_dot_style(PHASE_STYLE[phase])}];")
        lines.append("  }")
    for ending_id, ending in endings(loaded).items():
        label = q(f"{ending_id}\n({ending.outcome})")
        style = _dot_style(OUTCOME_STYLE[ending.outcome])
        lines.append(f"  {q(ending_id)} [label={label}, shape=doubleoctagon, {style}];")
    lines.append(f"  {q('__start__')} -> {q(scenario.start)};")
    for edge in edges(loaded):
        label = edge.choice + (f"\n[{edge.condition}]" if edge.condition else "")
        dashed = ", style=dashed" if edge.condition else ""
        lines.append(f"  {q(edge.source)} -> {q(edge.target)} [label={q(label)}{dashed}];")
    walkout = loaded.walkout_ending
    note = f"any node, when anger reaches {WALKOUT_ANGER}"
    lines.append(f'  "__walkout__" [shape=note, label={q(note)}];')
    lines.append(f'  "__walkout__" -> {q(walkout)} [style=dotted, arrowhead=none];')
    lines.append("}")
    return "\n".join(lines) + "\n"


__all__ = ["Edge", "dot", "edges", "endings", "mermaid", "mermaid_ids"]
