"""One module per command: `register(commands)` declares arguments, `run(args)` acts.

Commands only parse, call into the core packages and print; the logic lives in
`scenario`, `engine`, `analysis` and `logs`.
"""

from __future__ import annotations

TYPE_CHECKING = False  # `typing` costs start-up time; mypy reads this name as True
if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable
    from typing import Any

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130

COMMANDS: dict[str, str] = {
    "play": "play a scenario",
    "check": "check scenario files",
    "schema": "print the JSON Schema of scenario format 1",
    "report": "summarise score logs for a manager",
    "export": "export score logs for spreadsheets or an LRS",
    "verify": "check score logs for edited or missing records",
    "send": "deliver sessions to a learning record store (xAPI)",
    "replay": "show the transcript and debrief of a logged session",
    "graph": "draw a scenario as a state diagram",
    "new": "write a starter scenario to edit",
    "serve": "open a training room: the game in every visitor's browser",
}
"""Every command and its one-line help, in `--help` order.

`simulator --help` lists them from here without importing any command module; only the
command being run imports its module to declare its arguments (start-up stays fast).
"""


class UserError(Exception):
    """A mistake in the user's input: reported as one line on stderr, exit 1."""


def load(ref: str) -> Any:
    """Load a scenario by id or path for a command, or raise a one-line UserError.

    Problems of a broken file go to stderr first, one `FILE:LINE:COL` line each.
    """
    import sys

    from simulator.scenario.library import ScenarioNotFound, resolve

    try:
        result = resolve(ref)
    except ScenarioNotFound as exc:
        raise UserError(str(exc)) from None
    for problem in result.problems:
        print(problem, file=sys.stderr)
    if result.loaded is None:
        raise UserError(f"{ref}: the scenario has errors (listed above)")
    return result.loaded


def whole_number(low: int, high: int) -> Callable[[str], int]:
    """An argparse `type` for a whole number from `low` to `high`, said in one short
    line otherwise.

    Bounded on purpose: a seed past 64 bits was played and logged but fails every
    reader's check of the log afterwards; a retry count of thousands sleeps for ever;
    and `int` itself refuses 5,000 digits with a message that repeats them all.
    """
    import argparse
    import re

    def parse(text: str) -> int:
        from simulator.text import one_line

        shown = one_line(text, 24)
        if re.fullmatch(r"\s*[+-]?[0-9]+\s*", text) is None:
            raise argparse.ArgumentTypeError(f"'{shown}' is not a whole number")
        if len(text) > 40 or not low <= int(text) <= high:
            raise argparse.ArgumentTypeError(f"'{shown}' is not from {low:,} to {high:,}")
        return int(text)

    return parse


def with_examples(examples: tuple[str, ...]) -> dict[str, Any]:
    """The parser arguments that end `--help` with `examples`, one command per line as
    written: argparse would otherwise wrap them into one paragraph."""
    import argparse

    class _Formatter(argparse.HelpFormatter):
        def _fill_text(self, text: str, width: int, indent: str) -> str:
            if text.startswith("examples:"):
                return "".join(indent + line for line in text.splitlines(keepends=True))
            return super()._fill_text(text, width, indent)

    return {
        "epilog": "examples:\n" + "\n".join(f"  {line}" for line in examples),
        "formatter_class": _Formatter,
    }


def add_parser(
    commands: Any, name: str, *, examples: tuple[str, ...] = (), **kwargs: Any
) -> argparse.ArgumentParser:
    """A subcommand whose description repeats its help line (for `COMMAND --help`),
    ending with `examples` of its use."""
    help_text = COMMANDS[name]
    if examples:
        kwargs.update(with_examples(examples))
    parser: argparse.ArgumentParser = commands.add_parser(
        name,
        help=help_text,
        description=kwargs.pop("description", help_text[:1].upper() + help_text[1:] + "."),
        **kwargs,
    )
    return parser
