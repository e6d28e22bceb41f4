"""`simulator verify`: check every session log's hash chain (and against an export)."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from simulator.commands import EXIT_OK, EXIT_PROBLEMS, UserError, add_parser
from simulator.text import one_line, unsurrogate

if TYPE_CHECKING:
    from simulator.logs.reader import Issue
    from simulator.logs.select import Filter


def register(commands: Any) -> None:
    parser = add_parser(commands, "verify")
    log_dirs_argument(parser)
    parser.add_argument(
        "--against",
        type=Path,
        metavar="EXPORT",
        help="also compare with an earlier export's chain heads (finds truncated or "
        "rewritten sessions)",
    )


def run(args: argparse.Namespace) -> int:
    from simulator.logs.verify import verify

    result = verify(named_log_dirs(args), args.against)
    print_issues(result.issues, sys.stdout)
    broken = result.sessions - result.verified
    print(f"{result.sessions} sessions checked: {result.verified} verified, {broken} not")
    return EXIT_OK if result.ok else EXIT_PROBLEMS


# ------------------------------------------------- shared by report and export


def log_dirs_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "log_dirs",
        nargs="*",
        type=Path,
        metavar="LOG_DIR",
        help="log folders or files (default: $SIMULATOR_LOG_DIR or the per-user log folder)",
    )


def named_log_dirs(args: argparse.Namespace) -> list[Path]:
    """The folders the user named, refusing any that does not exist.

    A mistyped folder would otherwise give an empty report that looks like a quiet
    week; the default folder may be missing before anyone has played, and that is fine.
    """
    from simulator.files import check_exists

    for path in args.log_dirs:
        problem = check_exists(path)
        if problem == "no such file or folder":
            raise UserError(f"no such log folder or file: {one_line(path)}")
        if problem is not None:
            raise UserError(f"{one_line(path)}: {problem}")
    return list(args.log_dirs)


def print_issues(issues: Sequence[Issue], out: TextIO) -> None:
    for issue in issues:
        print(one_line(str(issue)), file=out)


def filter_arguments(parser: argparse.ArgumentParser) -> None:
    """The session filters that `where` reads, declared once for every log command."""
    parser.add_argument("--since", metavar="DATE", help="sessions started on or after DATE")
    parser.add_argument(
        "--trainee", metavar="NAME", type=unsurrogate, help="only this trainee's sessions"
    )
    parser.add_argument(
        "--scenario", metavar="ID", type=unsurrogate, help="only this scenario's sessions"
    )


def where(args: argparse.Namespace) -> Filter:
    from simulator.logs.select import Filter, parse_since

    since = None
    if args.since:
        try:
            since = parse_since(args.since)
        except ValueError:
            shown = one_line(args.since, 60)
            raise UserError(f"--since '{shown}': expected a date like 2025-03-01") from None
    return Filter(since=since, trainee=args.trainee, scenario=args.scenario)


@contextlib.contextmanager
def open_out(path: Path | None) -> Iterator[TextIO]:
    """`--out FILE` (written whole, then renamed into place) or stdout."""
    if path is None:
        yield sys.stdout
        return
    partial = path.with_name(path.name + ".partial")
    try:
        with partial.open("w", encoding="utf-8", newline="") as handle:
            yield handle
        partial.replace(path)
    except OSError as exc:
        raise UserError(f"cannot write {one_line(path)}: {exc.strerror or exc}") from None
    finally:
        partial.unlink(missing_ok=True)
