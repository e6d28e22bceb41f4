"""`simulator check`: prove scenario files sound before a new hire plays them."""

from __future__ import annotations

import argparse

from simulator.bundled import library_folder
from simulator.commands import EXIT_OK, EXIT_PROBLEMS, UserError, add_parser, whole_number

TYPE_CHECKING = False  # `typing` and `pathlib` cost start-up time; mypy reads this as True
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any


def _path(text: str) -> Path:
    from pathlib import Path

    return Path(text)


def register(commands: Any) -> None:
    from simulator.analysis import DEFAULT_MAX_STATES

    check = add_parser(
        commands,
        "check",
        description="Check scenario files or folders (recursively): load errors, "
        "warnings, an exhaustive analysis of every conversation, what a scenario teaches "
        "(surface strategies, content lints), and the scenarios' own self-tests. "
        "Exit 0 when clean, 1 when problems are found, 2 on usage errors.",
        examples=(
            "simulator check                          # the bundled library",
            "simulator check my-scenarios/late-parcel.yaml --no-analysis",
            "simulator check --strict --format github scenarios/",
        ),
    )
    check.add_argument(
        "paths",
        nargs="*",
        type=_path,
        metavar="PATH",
        help=f"files or folders (default: the bundled library, {library_folder()})",
    )
    check.add_argument(
        "--format",
        choices=("text", "json", "github"),
        default="text",
        help="text (FILE:LINE:COL lines and a summary), json, or github "
        "(workflow annotations); default: text",
    )
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    check.add_argument(
        "--max-states",
        type=whole_number(1, 10**9),
        default=DEFAULT_MAX_STATES,
        metavar="N",
        help=f"stop the analysis of a scenario after N states (default: {DEFAULT_MAX_STATES:,})",
    )
    check.add_argument(
        "--jobs",
        type=whole_number(1, 10**9),
        default=None,
        metavar="N",
        help="check up to N files at once in worker processes (default: one per core; "
        "1 checks in this process)",
    )
    check.add_argument(
        "--no-judgement",
        action="store_true",
        help="skip the surface strategies and content lints (what a scenario teaches)",
    )
    check.add_argument(
        "--no-analysis",
        action="store_true",
        help="skip the exhaustive analysis (lint and self-tests still run)",
    )
    check.add_argument(
        "--no-cache",
        action="store_true",
        help="check every file again, even one checked before and unchanged since "
        "(by default its kept verdict is used: same bytes, same simulator, same options)",
    )


def run(args: argparse.Namespace) -> int:
    import sys

    from simulator.analysis.checker import Options, check_files
    from simulator.analysis.report import FORMATS, strict, totals
    from simulator.bundled import bundled_dir
    from simulator.files import check_exists
    from simulator.progress import Progress
    from simulator.scenario.library import scenario_files
    from simulator.scenario.loader import file_name
    from simulator.text import one_line

    roots: list[Path] = args.paths or [bundled_dir()]
    for root in roots:
        problem = check_exists(root)
        if problem is not None:
            raise UserError(f"{problem}: {one_line(root)}")
    files = scenario_files(roots)
    if not files:
        shown = ", ".join(map(one_line, roots))
        raise UserError(f"no scenario files (*.yaml, *.yml) under {shown}")
    options = Options(
        analyse=not args.no_analysis,
        max_states=args.max_states,
        judge=frozenset() if args.no_judgement else None,
    )
    names = [file_name(path) for path in files]
    with Progress(names, "checking", sys.stderr) as progress:
        reports = check_files(
            files,
            options,
            jobs=args.jobs,
            cache=not args.no_cache,
            done=lambda report: progress.done(report.file),
        )
    if args.strict:
        reports = strict(reports)
    print(FORMATS[args.format](reports))
    errors, _ = totals(reports)
    return EXIT_PROBLEMS if errors else EXIT_OK
