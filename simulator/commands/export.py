"""`simulator export`: session or turn data as CSV, JSON Lines or xAPI statements."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from simulator.commands import EXIT_OK, UserError, add_parser
from simulator.commands.verify import (
    filter_arguments,
    log_dirs_argument,
    named_log_dirs,
    open_out,
    print_issues,
    where,
)


def register(commands: Any) -> None:
    parser = add_parser(
        commands,
        "export",
        examples=(
            "simulator export --format csv --out sessions.csv",
            "simulator export --format csv --turns --since 2026-11-01 --out turns.csv",
            "simulator export --format xapi --anonymize --out statements.json",
        ),
    )
    log_dirs_argument(parser)
    parser.add_argument("--format", required=True, choices=("csv", "jsonl", "xapi"))
    parser.add_argument("--out", type=Path, metavar="FILE", help="write here (default: stdout)")
    parser.add_argument(
        "--turns", action="store_true", help="csv/jsonl: one row per turn, not per session"
    )
    parser.add_argument(
        "--anonymize",
        action="store_true",
        help="replace trainee names with stable pseudonyms and drop the free text "
        "(reflections, typed replies)",
    )
    filter_arguments(parser)


def run(args: argparse.Namespace) -> int:
    from simulator.engine.catalog import load_catalog
    from simulator.files import why
    from simulator.logs.anonymize import Pseudonyms, SecretError, load_secret
    from simulator.logs.export import export

    if args.turns and args.format == "xapi":
        raise UserError("--turns is for csv and jsonl (xAPI always has one statement per turn)")
    name: Any = str
    if args.anonymize:
        try:
            name = Pseudonyms(load_secret())
        except SecretError as exc:
            raise UserError(str(exc)) from None
        except OSError as exc:
            raise UserError(f"cannot read or create the anonymisation secret: {why(exc)}") from None
    families = list(load_catalog().families)
    with open_out(args.out) as out:
        issues = export(
            named_log_dirs(args),
            out,
            fmt=args.format,
            turns=args.turns,
            name=name,
            keep_text=not args.anonymize,
            where=where(args),
            families=families,
        )
    print_issues(issues, sys.stderr)
    return EXIT_OK
