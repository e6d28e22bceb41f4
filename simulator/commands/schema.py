"""`simulator schema`: print the JSON Schema editors use for scenario files."""

from __future__ import annotations

import argparse
import json
from typing import Any

from simulator.commands import EXIT_OK, add_parser


def register(commands: Any) -> None:
    add_parser(
        commands,
        "schema",
        examples=("simulator schema > scenario.schema.json",),
    )


def run(args: argparse.Namespace) -> int:
    from simulator.scenario.schema import scenario_schema

    print(json.dumps(scenario_schema(), indent=2))
    return EXIT_OK
