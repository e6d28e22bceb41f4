"""`simulator check`: validate scenario files and folders."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from simulator.commands import EXIT_OK, EXIT_PROBLEMS, add_parser


def register(commands: Any) -> None:
    check = add_parser(
        commands,
        "check",
        "check scenario files",
        description="Check scenario files or folders (recursively).",
    )
    check.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="files or folders (default: the bundled library)",
    )
    check.add_argument(
        "--format",
        choices=("text", "json", "github"),
        default="text",
        help="output format (default: text)",
    )
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")


def run(args: argparse.Namespace) -> int:
    from simulator.scenario.library import bundled_dir, scenario_files
    from simulator.scenario.loader import load_scenario_file

    files = scenario_files(args.paths or [bundled_dir()])
    problems = [p for f in files for p in load_scenario_file(f).problems]
    for problem in problems:
        print(problem)
    errors = [p for p in problems if p.severity == "error" or args.strict]
    return EXIT_PROBLEMS if errors else EXIT_OK
