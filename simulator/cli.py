"""The command line: parse arguments, hand them to one command module, exit.

Each command lives in `simulator/commands/<name>.py` with `register(commands)` to
declare its arguments and `run(args) -> int` to do the work, so adding a command
never means editing another's code. Exit codes: 0 success; 1 invalid input or
problems found; 2 usage error; 130 interrupted. Errors are one line on stderr.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from typing import NoReturn

from simulator import __version__
from simulator.commands import EXIT_INTERRUPTED, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, UserError

COMMANDS = (
    "play",
    "check",
    "schema",
    "report",
    "export",
    "verify",
    "send",
    "replay",
    "graph",
    "new",
)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="simulator",
        description="Practise handling difficult customers in the terminal. "
        "With no command, opens the game.",
    )
    parser.add_argument("--version", action="version", version=f"simulator {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMANDS:
        module = importlib.import_module(f"simulator.commands.{name}")
        module.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    name = args.command or "play"
    try:
        module = importlib.import_module(f"simulator.commands.{name}")
        if args.command is None:
            return int(module.home())
        return int(module.run(args))
    except UserError as exc:
        print(f"simulator: error: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    except KeyboardInterrupt:
        print("\nsimulator: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return EXIT_OK


__all__ = ["EXIT_USAGE", "build_parser", "main"]
