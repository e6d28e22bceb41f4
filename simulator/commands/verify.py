"""`simulator verify`: check every session log's hash chain (and against an export)."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from simulator.commands import EXIT_OK, EXIT_PROBLEMS, UserError, add_parser
from simulator.text import one_line, plural, unsurrogate

if TYPE_CHECKING:
    from simulator.logs.reader import Issue
    from simulator.logs.select import Filter


def register(commands: Any) -> None:
    parser = add_parser(
        commands,
        "verify",
        examples=(
            "simulator verify /shared/training-logs",
            "simulator verify --against sessions.csv",
            "simulator verify --against https://lrs.example.com/xapi/",
        ),
    )
    log_dirs_argument(parser)
    parser.add_argument(
        "--against",
        metavar="EXPORT|URL",
        help="also compare with an earlier export's chain heads, or with what an LRS holds "
        "(an http(s) URL, as for send): finds deleted, truncated or rewritten sessions",
    )


def run(args: argparse.Namespace) -> int:
    from simulator.logs.verify import verify

    result = verify(named_log_dirs(args), args.against)
    print_issues(result.issues, sys.stdout)
    broken = result.sessions - result.verified
    legacy = f" ({result.legacy} legacy, unsealed)" if result.legacy else ""
    checked = plural(result.sessions, "session")
    print(f"{checked} checked: {result.verified} verified, {broken} not{legacy}")
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
    """The folders the user named as LOG_DIR, refusing any that does not exist."""
    return existing_log_dirs(args.log_dirs)


def existing_log_dirs(paths: Sequence[Path]) -> list[Path]:
    """`paths`, refusing any that does not exist (every log command's folders).

    A mistyped folder would otherwise give an empty report that looks like a quiet
    week; the default folder may be missing before anyone has played, and that is fine.
    """
    from simulator.files import check_exists

    for path in paths:
        problem = check_exists(path)
        if problem == "no such file or folder":
            raise UserError(f"no such log folder or file: {one_line(path)}")
        if problem is not None:
            raise UserError(f"{one_line(path)}: {problem}")
    return list(paths)


def print_issues(issues: Sequence[Issue], out: TextIO) -> None:
    for issue in issues:
        print(one_line(str(issue)), file=out)


def filter_arguments(parser: argparse.ArgumentParser) -> None:
    """The session filters that `where` reads, declared once for every log command."""
    from simulator.logs.vocabulary import KINDS, MODES

    parser.add_argument("--since", metavar="DATE", help="sessions started on or after DATE")
    parser.add_argument("--until", metavar="DATE", help="sessions started on or before DATE")
    parser.add_argument(
        "--trainee", metavar="NAME", type=unsurrogate, help="only this trainee's sessions"
    )
    parser.add_argument(
        "--scenario", metavar="ID", type=unsurrogate, help="only this scenario's sessions"
    )
    parser.add_argument("--mode", choices=MODES, help="only practice or only assessment")
    parser.add_argument(
        "--team", metavar="TEAM", type=unsurrogate, help="only this team's sessions"
    )
    parser.add_argument(
        "--teams",
        type=Path,
        metavar="CSV",
        help="trainee,team mapping file (overrides the team set at sign-in)",
    )
    parser.add_argument(
        "--kind",
        action="append",
        choices=KINDS,
        help="only sessions of this kind (repeatable; default: play and branch)",
    )
    parser.add_argument(
        "--include-scripted",
        action="store_true",
        help="count scripted and test runs too (every kind)",
    )


def where(args: argparse.Namespace) -> Filter:
    from simulator.logs.select import (
        Filter,
        TeamsError,
        load_teams,
        parse_since,
        parse_until,
    )

    moments = {}
    for name, parse in (("since", parse_since), ("until", parse_until)):
        text = getattr(args, name)
        if text:
            try:
                moments[name] = parse(text)
            except ValueError:
                shown = one_line(text, 60)
                raise UserError(f"--{name} '{shown}': expected a date like 2025-03-01") from None
    teams: dict[str, str] = {}
    teams_file = args.teams or _settings_teams_file()
    if teams_file is not None:
        try:
            teams = load_teams(teams_file)
        except TeamsError as exc:
            raise UserError(str(exc)) from None
    from simulator.logs.vocabulary import REAL_KINDS

    kinds = None if args.include_scripted else frozenset(args.kind or REAL_KINDS)
    return Filter(
        since=moments.get("since"),
        until=moments.get("until"),
        trainee=args.trainee,
        scenario=args.scenario,
        mode=args.mode,
        team=args.team,
        kinds=kinds,
        teams=teams,
    )


def _settings_teams_file() -> Path | None:
    from simulator.settings import load_settings

    named = load_settings().teams_file
    return Path(named) if named else None


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
