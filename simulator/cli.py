"""The command line: parse arguments, hand them to one command module, exit.

Each command lives in `simulator/commands/<name>.py` with `register(commands)` to
declare its arguments and `run(args) -> int` to do the work, so adding a command
never means editing another's code. Exit codes: 0 success; 1 invalid input or
problems found; 2 usage error; 130 interrupted. Errors are one line on stderr.
"""

from __future__ import annotations

import importlib
import sys

from simulator import __version__
from simulator.commands import (
    COMMANDS,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_USAGE,
    UserError,
    with_examples,
)

TYPE_CHECKING = False  # `typing` costs start-up time; mypy reads this name as True
if TYPE_CHECKING:
    import argparse
    from collections.abc import Sequence
    from typing import NoReturn


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser for `argv`: only the command named there declares its arguments.

    With no `argv`, every command does (for tests and documentation tools).
    """
    import argparse

    class _Parser(argparse.ArgumentParser):
        def error(self, message: str) -> NoReturn:
            from simulator.text import one_line

            # argparse quotes what the user typed: one line, controls escaped.
            self.exit(EXIT_USAGE, f"{self.prog}: error: {one_line(message)}\n")

    chosen = next((arg for arg in argv if not arg.startswith("-")), None) if argv else None
    parser = _Parser(
        prog="simulator",
        description="Practise handling difficult customers in the terminal. "
        "With no command, opens the game.",
        **with_examples(
            (
                "simulator                          # the game: sign in, pick a scenario",
                "simulator play first-call --plain  # line by line, for screen readers",
                "simulator check my-scenarios/      # what a trainer runs before sharing",
                "simulator report --format html --out report.html",
                "simulator COMMAND --help           # each command's own options",
            )
        ),
    )
    parser.add_argument("--version", action="version", version=f"simulator {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, help_text in COMMANDS.items():
        if argv is None or name == chosen:
            importlib.import_module(f"simulator.commands.{name}").register(commands)
        else:
            commands.add_parser(name, help=help_text)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    if argv is None:
        argv = sys.argv[1:]
    if list(argv) == ["--version"]:  # the commonest probe, answered without argparse
        print(f"simulator {__version__}")
        return EXIT_OK
    args = build_parser(argv).parse_args(argv)
    name = args.command or "play"
    try:
        module = importlib.import_module(f"simulator.commands.{name}")
        if args.command is None:
            return int(module.home())
        return int(module.run(args))
    except UserError as exc:
        from simulator.text import one_line

        print(f"simulator: error: {one_line(exc)}", file=sys.stderr)
        return EXIT_PROBLEMS
    except KeyboardInterrupt:
        print("\nsimulator: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return EXIT_OK


__all__ = ["EXIT_USAGE", "build_parser", "main"]
