"""`simulator play` and the bare `simulator`: scripted, plain and (later) full-screen play."""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from simulator.commands import EXIT_OK, UserError, add_parser, load

if TYPE_CHECKING:
    from simulator.engine.session import Session
    from simulator.logs.writer import NoLog, SessionLog


def register(commands: Any) -> None:
    play = add_parser(commands, "play", "play a scenario")
    play.add_argument(
        "scenario",
        nargs="?",
        metavar="SCENARIO",
        help="a bundled scenario id or a path to a YAML file",
    )
    play.add_argument("--trainee", metavar="NAME", help="who is playing (recorded in the log)")
    play.add_argument(
        "--mode",
        choices=("practice", "assessment"),
        default="practice",
        help="practice shows coaching and numbers; assessment does not",
    )
    play.add_argument(
        "--plain", action="store_true", help="line-based play (screen readers, pipes)"
    )
    play.add_argument(
        "--choices",
        metavar="ID,ID,...",
        help="play these choice ids without asking, then print the result",
    )
    play.add_argument(
        "--json", action="store_true", help="with --choices: print the result as one JSON object"
    )
    play.add_argument(
        "--seed",
        type=int,
        default=None,
        metavar="N",
        help="fix the order choices are shown in (default: random)",
    )
    play.add_argument("--log-dir", type=Path, metavar="DIR", help="where session logs go")
    play.add_argument(
        "--no-log", action="store_true", help="play without writing a score log (practice alone)"
    )


def _seed(args: argparse.Namespace) -> int:
    seed = getattr(args, "seed", None)
    return int(seed) if seed is not None else random.SystemRandom().randrange(2**31)


def run(args: argparse.Namespace) -> int:
    if args.choices is not None:
        return _scripted(args)
    if args.json:
        raise UserError("--json needs --choices (interactive play has no JSON output)")
    if not args.plain and _interactive():
        return _tui(args)
    return _plain(args.scenario, _seed(args), coaching=args.mode == "practice", args=args)


def home() -> int:
    """The bare `simulator` command: the game's home screen."""
    if _interactive():
        return _tui(argparse.Namespace())
    return _plain(None, _seed(argparse.Namespace()), coaching=True)


def _scripted(args: argparse.Namespace) -> int:
    from simulator.engine.session import ChoiceError, Session

    if not args.scenario:
        raise UserError("--choices needs a SCENARIO")
    session = Session(load(args.scenario), seed=_seed(args))
    script = [c.strip() for c in args.choices.split(",") if c.strip()]
    with _logging(session, args) as log:
        session.listeners.append(log.turn)
        try:
            result = session.play(script)
        except ChoiceError as exc:
            raise UserError(f"{args.scenario}: {exc}") from None
        log.end(result)
    if args.json:
        print(json.dumps(result.to_json(), indent=2, ensure_ascii=False))
    else:
        print(
            f"{result.title}: ending {result.ending} ({result.outcome}), "
            f"score {result.score.score}, anger {result.end.anger}, trust {result.end.trust}"
        )
    return EXIT_OK


def _plain(
    ref: str | None, seed: int, *, coaching: bool, args: argparse.Namespace | None = None
) -> int:
    from simulator.engine.session import Session
    from simulator.plain import PlainGame, pick_scenario
    from simulator.scenario.library import load_library

    if ref:
        loaded = load(ref)
    else:
        library = load_library()
        if not library.scenarios:
            raise UserError("no bundled scenarios found")
        loaded = pick_scenario(library.scenarios, sys.stdout, input)
    session = Session(loaded, seed=seed)
    with _logging(session, args or argparse.Namespace()) as log:
        session.listeners.append(log.turn)
        game = PlainGame(
            session, sys.stdout, input, coaching=coaching, echo_input=not sys.stdin.isatty()
        )
        try:
            log.end(game.run())
        except EOFError:
            print("\nSession ended before the conversation finished.", file=sys.stderr)
    return EXIT_OK


def _trainee(args: argparse.Namespace) -> str:
    """`--trainee`, else the name saved at sign-in, else the login name."""
    named = getattr(args, "trainee", None)
    if named:
        return str(named)
    from simulator.settings import load_settings

    saved = load_settings().trainee
    if saved:
        return saved
    import getpass

    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"


def _open_log(session: Session, args: argparse.Namespace) -> SessionLog | NoLog:
    """The session's score log, or a stand-in that writes nothing under `--no-log`.

    Used as a context manager: leaving the block before `end` (EOF, Ctrl-C, a bad
    scripted choice) records the session as abandoned.
    """
    from simulator.logs.writer import LogError, NoLog, SessionLog

    if getattr(args, "no_log", False):
        return NoLog()
    try:
        return SessionLog.open(
            session,
            trainee=_trainee(args),
            mode=getattr(args, "mode", None) or "practice",
            log_dir=getattr(args, "log_dir", None),
        )
    except LogError as exc:
        raise UserError(f"{exc} (use --no-log to play without a score log)") from None


@contextlib.contextmanager
def _logging(session: Session, args: argparse.Namespace) -> Iterator[SessionLog | NoLog]:
    """The session's log for a `with` block; a failed write (disk full, share gone)
    becomes one line for the user, and what was written before it stays on disk."""
    from simulator.logs.writer import LogError

    log = _open_log(session, args)
    try:
        with log:
            yield log
    except LogError as exc:
        raise UserError(f"{exc} (the turns before it are saved)") from None


def _interactive() -> bool:
    """The full-screen game needs a terminal both ways; pipes get plain play."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def _tui(args: argparse.Namespace) -> int:
    """The Textual game, honouring --trainee, --mode, --seed, --log-dir and SCENARIO."""
    from simulator.settings import clean_name
    from simulator.tui.app import SimulatorApp
    from simulator.tui.game import GameConfig

    ref = getattr(args, "scenario", None)
    trainee = getattr(args, "trainee", None)
    config = GameConfig(
        trainee=clean_name(trainee) if trainee else None,
        mode="assessment" if getattr(args, "mode", None) == "assessment" else "practice",
        seed=getattr(args, "seed", None),
        log_dir=getattr(args, "log_dir", None),
        start_with=load(ref) if ref else None,
    )
    SimulatorApp(config).run()
    return EXIT_OK
