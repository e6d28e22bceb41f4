"""`simulator new`: write a starter scenario that already passes `simulator check`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from simulator.commands import EXIT_OK, UserError, add_parser


def register(commands: Any) -> None:
    new = add_parser(
        commands,
        "new",
        description="Write ID.yaml, a small complete scenario with the schema modeline "
        "for editor completion; it passes `simulator check` and plays as it is.",
    )
    new.add_argument("id", metavar="ID", help="the scenario id, e.g. late-refund")
    new.add_argument(
        "--dir",
        type=Path,
        default=Path(),
        metavar="DIR",
        help="where to write it (default: the current folder)",
    )


def run(args: argparse.Namespace) -> int:
    from simulator.analysis.scaffold import ScaffoldError, write_starter

    try:
        target = write_starter(args.id, args.dir)
    except ScaffoldError as exc:
        raise UserError(str(exc)) from None
    except OSError as exc:
        raise UserError(f"cannot write {args.dir / (args.id + '.yaml')}: {exc.strerror}") from None
    print(f"wrote {target}")
    print(f"next: simulator check {target}   then: simulator play {target}")
    return EXIT_OK
