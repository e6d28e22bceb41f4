"""One module per command: `register(commands)` declares arguments, `run(args)` acts.

Commands only parse, call into the core packages and print; the logic lives in
`scenario`, `engine`, `analysis` and `logs`.
"""

from __future__ import annotations

import argparse
from typing import Any

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


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


def add_parser(commands: Any, name: str, help_text: str, **kwargs: Any) -> argparse.ArgumentParser:
    """A subcommand whose description repeats its help line (for `COMMAND --help`)."""
    parser: argparse.ArgumentParser = commands.add_parser(
        name,
        help=help_text,
        description=kwargs.pop("description", help_text[:1].upper() + help_text[1:] + "."),
        **kwargs,
    )
    return parser
