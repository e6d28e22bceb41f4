"""`simulator replay SESSION_ID`: the transcript and debrief of a logged session."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from simulator.commands import EXIT_OK, EXIT_PROBLEMS, UserError, add_parser
from simulator.text import unsurrogate


def register(commands: Any) -> None:
    parser = add_parser(
        commands,
        "replay",
        examples=("simulator replay 3f2a", "simulator replay 3f2a --log-dir /shared/training-logs"),
    )
    parser.add_argument(
        "session_id",
        metavar="SESSION_ID",
        type=unsurrogate,
        help="a session id or its first characters",
    )
    parser.add_argument(
        "--log-dir",
        type=Path,
        action="append",
        metavar="DIR",
        help="where to look (repeatable; default: $SIMULATOR_LOG_DIR or the per-user folder)",
    )


def run(args: argparse.Namespace) -> int:
    from simulator.commands.verify import existing_log_dirs
    from simulator.logs.replay import ReplayError, find_session, replay
    from simulator.logs.writer import default_log_dir
    from simulator.text import literal, one_line

    dirs = existing_log_dirs(args.log_dir) if args.log_dir else [default_log_dir()]
    try:
        shown = replay(find_session(dirs, args.session_id))
    except ReplayError as exc:
        raise UserError(str(exc)) from None
    for problem in shown.problems:
        print(f"simulator: {one_line(problem)}", file=sys.stderr)
    for line in shown.lines:
        print(literal(line))
    return EXIT_PROBLEMS if shown.problems else EXIT_OK
