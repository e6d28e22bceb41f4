"""`simulator graph`: draw a scenario's conversation map (Mermaid or Graphviz DOT)."""

from __future__ import annotations

import argparse
from typing import Any

from simulator.commands import EXIT_OK, add_parser, load


def register(commands: Any) -> None:
    graph = add_parser(
        commands,
        "graph",
        description="Print a scenario as a Mermaid stateDiagram-v2 (paste it into a "
        "```mermaid block in Markdown) or as Graphviz DOT. Nodes are coloured by phase, "
        "endings by outcome, conditional arrows are labelled with their conditions.",
        examples=(
            "simulator graph first-call > first-call.mmd",
            "simulator graph my-scenarios/late-parcel.yaml --format dot | dot -Tsvg > map.svg",
        ),
    )
    graph.add_argument(
        "scenario", metavar="SCENARIO", help="a bundled scenario id or a path to a YAML file"
    )
    graph.add_argument(
        "--format",
        choices=("mermaid", "dot"),
        default="mermaid",
        help="mermaid (default) or dot",
    )


def run(args: argparse.Namespace) -> int:
    from simulator.analysis.graph import dot, mermaid

    loaded = load(args.scenario)
    print(mermaid(loaded) if args.format == "mermaid" else dot(loaded), end="")
    return EXIT_OK
