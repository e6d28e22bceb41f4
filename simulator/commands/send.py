"""`simulator send`: deliver the xAPI statements of every session not yet delivered."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from simulator.commands import EXIT_OK, UserError, add_parser, whole_number
from simulator.commands.verify import (
    filter_arguments,
    log_dirs_argument,
    named_log_dirs,
    print_issues,
    where,
)


def register(commands: Any) -> None:
    parser = add_parser(
        commands,
        "send",
        examples=(
            "simulator send --lrs https://lrs.example.com/xapi/",
            "simulator send --anonymize --since 2026-11-01",
        ),
    )
    log_dirs_argument(parser)
    parser.add_argument(
        "--lrs",
        metavar="URL",
        help="the LRS's xAPI endpoint (default: lrs_url in settings); credentials come from "
        "SIMULATOR_LRS_USER / SIMULATOR_LRS_PASSWORD or the settings file, never from here",
    )
    parser.add_argument(
        "--anonymize",
        action="store_true",
        help="send stable pseudonyms instead of trainee names (as export --anonymize)",
    )
    parser.add_argument(
        "--batch",
        type=whole_number(1, 100_000),
        default=500,
        metavar="N",
        help="statements per POST (default: 500)",
    )
    parser.add_argument(
        "--retries",
        type=whole_number(0, 10),
        default=4,
        metavar="N",
        help="retries of a failed POST, each waiting twice as long (default: 4; at most 10)",
    )
    filter_arguments(parser)


def run(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from simulator.files import why
    from simulator.logs.anonymize import Pseudonyms, SecretError, load_secret
    from simulator.logs.lrs import LRSError, configured
    from simulator.logs.send import Delivery, StateError, send
    from simulator.logs.xapi import Identity
    from simulator.settings import load_settings
    from simulator.text import literal, plural

    try:
        lrs = replace(configured(args.lrs), retries=args.retries)
    except LRSError as exc:
        raise UserError(str(exc)) from None
    name: Any = str
    if args.anonymize:
        try:
            name = Pseudonyms(load_secret())
        except SecretError as exc:  # a damaged secret: as `export --anonymize` says it
            raise UserError(str(exc)) from None
        except OSError as exc:
            raise UserError(f"cannot read or create the anonymisation secret: {why(exc)}") from None
    settings = load_settings()
    selected = where(args)
    identity = Identity(
        home_page=settings.xapi_home_page,
        mbox_domain=settings.xapi_mbox_domain,
        ids=_ids(args),
    )
    progress = Delivery()

    def remember(done: Delivery) -> None:
        progress.statements, progress.sent_sessions = done.statements, done.sent_sessions

    try:
        done = send(
            named_log_dirs(args),
            lrs,
            where=selected,
            name=name,
            identity=identity,
            batch=args.batch,
            progress=remember,
        )
    except LRSError as exc:
        raise UserError(
            f"{exc}; {plural(progress.sent_sessions, 'session')} delivered before it, "
            "the next send goes on from there"
        ) from None
    except StateError as exc:
        raise UserError(str(exc)) from None
    print_issues(done.skipped, sys.stderr)
    waiting = f", {done.still_open} still being played" if done.still_open else ""
    print(
        f"sent {plural(done.statements, 'statement')} of "
        f"{plural(done.sent_sessions, 'session')} to "
        f"{literal(lrs.url)}; {done.already} already delivered{waiting}"
    )
    return EXIT_OK


def _ids(args: argparse.Namespace) -> dict[str, str]:
    """trainee → LMS login from the teams file's optional `id` column."""
    from simulator.logs.select import TeamsError, load_ids

    path = args.teams or _settings_teams()
    if path is None:
        return {}
    try:
        return load_ids(path)
    except TeamsError as exc:
        raise UserError(str(exc)) from None


def _settings_teams() -> Any:
    from pathlib import Path

    from simulator.settings import load_settings

    named = load_settings().teams_file
    return Path(named) if named else None
