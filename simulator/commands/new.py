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
        examples=("simulator new late-parcel --dir my-scenarios",),
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
    from simulator.files import why
    from simulator.text import one_line

    try:
        target = write_starter(args.id, args.dir)
    except ScaffoldError as exc:
        raise UserError(str(exc)) from None
    except OSError as exc:
        raise UserError(f"cannot write {args.dir / (args.id + '.yaml')}: {why(exc)}") from None
    shown = one_line(target)  # --dir is whatever the user typed
    print(f"wrote {shown}")
    print(f"next: simulator check {shown}   then: simulator play {shown}")
    return EXIT_OK
