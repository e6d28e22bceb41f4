"""`simulator report`: per trainee, per scenario (with path heat map), per principle."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from simulator.commands import EXIT_OK, add_parser
from simulator.commands.verify import (
    filter_arguments,
    log_dirs_argument,
    named_log_dirs,
    open_out,
    where,
)


def register(commands: Any) -> None:
    parser = add_parser(
        commands,
        "report",
        examples=(
            "simulator report /shared/training-logs",
            "simulator report --since 2026-11-01 --team north --format html --out report.html",
            "simulator report --teams teams.csv --format csv --out by-trainee.csv",
        ),
    )
    log_dirs_argument(parser)
    parser.add_argument("--format", default="table", choices=("table", "csv", "json", "html"))
    parser.add_argument("--out", type=Path, metavar="FILE", help="write here (default: stdout)")
    filter_arguments(parser)


def run(args: argparse.Namespace) -> int:
    from simulator.logs.report import build_report
    from simulator.logs.report_html import render_html
    from simulator.logs.report_text import write_csv, write_table
    from simulator.text import one_line, to_json

    report = build_report(named_log_dirs(args), where=where(args))
    for warning in report["warnings"]:
        print(one_line(warning), file=sys.stderr)
    with open_out(args.out) as out:
        if args.format == "json":
            out.write(to_json(report, indent=2) + "\n")
        elif args.format == "csv":
            write_csv(report, out)
        elif args.format == "html":
            out.write(render_html(report))
        else:
            write_table(report, out)
    return EXIT_OK
