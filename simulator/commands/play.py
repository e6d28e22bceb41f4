"""`simulator play` and the bare `simulator`: scripted, plain and (later) full-screen play."""

from __future__ import annotations

import argparse
import contextlib
import random
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from simulator.bundled import SCENARIOS_VARIABLE, library_folder
from simulator.commands import EXIT_OK, UserError, add_parser, load, whole_number
from simulator.text import literal, one_line, plural, to_json, unsurrogate

if TYPE_CHECKING:
    from simulator.engine.session import Session
    from simulator.logs.writer import NoLog, SessionLog


def register(commands: Any) -> None:
    play = add_parser(
        commands,
        "play",
        examples=(
            "simulator play first-call --plain",
            "simulator play first-call --choices take-your-time,specific-empathy --json",
            "simulator play my-scenarios/late-parcel.yaml --replies replies.txt --no-log",
        ),
    )
    play.add_argument(
        "scenario",
        nargs="?",
        metavar="SCENARIO",
        help=f"a bundled scenario id (a file in {library_folder()}; set ${SCENARIOS_VARIABLE} "
        "for another library) or a path to a YAML file",
    )
    play.add_argument(
        "--trainee",
        metavar="NAME",
        type=unsurrogate,
        help="who is playing (recorded in the log)",
    )
    play.add_argument(
        "--team",
        metavar="TEAM",
        type=unsurrogate,
        help="the trainee's team (default: from settings)",
    )
    play.add_argument(
        "--mode",
        choices=("practice", "assessment"),
        default="practice",
        help="practice shows coaching and numbers; assessment does not",
    )
    screen = play.add_mutually_exclusive_group()
    screen.add_argument(
        "--plain", action="store_true", help="line-based play (screen readers, pipes)"
    )
    screen.add_argument(
        "--full-screen",
        action="store_true",
        help="the full-screen game even when stdin/stdout are not terminals "
        "(default: full screen only in a terminal; `simulator serve` passes this)",
    )
    play.add_argument(
        "--choices",
        metavar="ID,ID,...",
        type=unsurrogate,
        help="play these choice ids without asking, then print the result",
    )
    play.add_argument(
        "--json",
        action="store_true",
        help="with --choices or --replies: print the result as one JSON object",
    )
    play.add_argument(
        "--seed",
        type=whole_number(-(2**63), 2**63 - 1),  # what a log's `seed` field may hold
        default=None,
        metavar="N",
        help="fix the order choices are shown in (default: random)",
    )
    play.add_argument(
        "--replies",
        type=Path,
        metavar="FILE",
        help="play typed replies, one per line, each matched to a move on offer",
    )
    play.add_argument(
        "--recall",
        action="store_true",
        help="type each reply first, then confirm the move it matched (TUI and --plain)",
    )
    play.add_argument("--log-dir", type=Path, metavar="DIR", help="where session logs go")
    play.add_argument(
        "--room",
        type=Path,
        metavar="DIR",
        help=argparse.SUPPRESS,  # `simulator serve`: logs in DIR, every visitor signs in
    )
    play.add_argument(
        "--no-log", action="store_true", help="play without writing a score log (practice alone)"
    )


def _seed(args: argparse.Namespace) -> int:
    seed = getattr(args, "seed", None)
    return int(seed) if seed is not None else random.SystemRandom().randrange(2**31)


def run(args: argparse.Namespace) -> int:
    if args.choices is not None and args.replies is not None:
        raise UserError("--choices and --replies both script the turns: give one")
    if args.choices is not None:
        return _scripted(args)
    if args.replies is not None:
        return _replies(args)
    if args.json:
        raise UserError("--json needs --choices or --replies (interactive play has no JSON)")
    if args.full_screen or args.room is not None or (not args.plain and _interactive()):
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
    loaded, seed = load(args.scenario), _seed(args)
    script = [c.strip() for c in args.choices.split(",") if c.strip()]
    # Play the script once unlogged first: a script that fails (a wrong choice id)
    # writes nothing, instead of an "abandoned" session under the trainee's name.
    try:
        Session(loaded, seed=seed).play(script)
    except ChoiceError as exc:
        raise UserError(f"{args.scenario}: {exc}") from None
    session = Session(loaded, seed=seed)
    with _logging(session, args, kind="scripted") as log:
        session.listeners.append(log.turn)
        try:
            result = session.play(script)
        except ChoiceError as exc:
            raise UserError(f"{args.scenario}: {exc}") from None
        log.end(result)
    _print_result(result, as_json=args.json)
    return EXIT_OK


def _replies(args: argparse.Namespace) -> int:
    """Typed replies from a file, each matched to a move on offer and played unconfirmed."""
    from simulator.engine.session import Session
    from simulator.matching import matcher_for
    from simulator.matching.replies import RepliesError, read_replies

    if not args.scenario:
        raise UserError("--replies needs a SCENARIO")
    loaded = load(args.scenario)
    try:
        replies = read_replies(args.replies)
    except RepliesError as exc:
        raise UserError(str(exc)) from None
    session = Session(loaded, seed=_seed(args))
    with _logging(session, args, kind="scripted") as log:  # a script, not play
        session.listeners.append(log.turn)
        for line, typed in replies:
            if session.finished:
                raise UserError(
                    f"{one_line(args.replies)}:{line}: the conversation ended before this reply"
                )
            match = matcher_for(session.choices()).match(typed)
            if match.choice is None:
                raise UserError(
                    f"{one_line(args.replies)}:{line}: reply '{one_line(typed, 60)}' matches "
                    f"nothing on offer at '{session.state.node}' well enough to play"
                )
            session.choose(match.choice, typed=typed, match=match.to_json())
        result = session.result()
        log.end(result)
    _print_result(result, as_json=args.json)
    return EXIT_OK


def _print_result(result: Any, *, as_json: bool) -> None:
    if as_json:
        print(to_json(result.to_json(), indent=2))
    else:
        # A script may stop before any ending: the session is abandoned, not "ending None".
        where = (
            f"ending {result.ending} ({result.outcome})"
            if result.ending is not None
            else f"stopped before an ending after {plural(len(result.turns), 'turn')} "
            f"({result.status})"
        )
        print(
            f"{literal(result.title)}: {where}, "
            f"score {result.score.score}, anger {result.end.anger}, trust {result.end.trust}"
        )


def _plain(
    ref: str | None, seed: int, *, coaching: bool, args: argparse.Namespace | None = None
) -> int:
    from simulator.engine.session import Session
    from simulator.plain import PlainGame, ask_line, pick_scenario
    from simulator.scenario.library import load_library

    if ref:
        loaded = load(ref)
    else:
        library = load_library()
        if not library.scenarios:
            raise UserError("no bundled scenarios found")
        try:
            loaded = pick_scenario(library.scenarios, sys.stdout, ask_line)
        except EOFError:  # Ctrl-D, or a pipe that ran dry, before any scenario began
            print("\nNo scenario picked.", file=sys.stderr)
            return EXIT_OK
    session = Session(loaded, seed=seed)
    with _ended_by_hang_up(), _logging(session, args or argparse.Namespace()) as log:
        session.listeners.append(log.turn)
        game = PlainGame(
            session,
            sys.stdout,
            ask_line,
            coaching=coaching,
            recall=_recall(loaded, args),
            echo_input=not sys.stdin.isatty(),
        )
        try:
            log.end(game.run())
        except EOFError:
            print("\nSession ended before the conversation finished.", file=sys.stderr)
    if log.path is not None:  # closed (abandoned or ended): hand it to the LRS, if one is set
        from simulator.logs.send import send_in_background

        send_in_background(log.path)
    return EXIT_OK


def _recall(loaded: Any, args: argparse.Namespace | None) -> bool:
    """`--recall`, or the scenario requiring it (always, or in assessment mode)."""
    from simulator.matching.policy import recall_required

    mode = getattr(args, "mode", None) or "practice"
    return bool(getattr(args, "recall", False)) or recall_required(loaded.scenario, mode)


def _trainee(args: argparse.Namespace) -> str:
    """`--trainee`, else the name saved at sign-in, else the login name."""
    named = getattr(args, "trainee", None)
    if named:
        return unsurrogate(str(named))
    from simulator.settings import load_settings

    saved = load_settings().trainee
    if saved:
        return saved
    import getpass

    try:
        return unsurrogate(getpass.getuser())  # $LOGNAME may hold any bytes
    except (OSError, KeyError):
        return "unknown"


def _team(args: argparse.Namespace) -> str | None:
    """`--team`, else the team saved in settings."""
    named = getattr(args, "team", None)
    if named:
        return str(named)
    from simulator.settings import load_settings

    return load_settings().team


def _open_log(session: Session, args: argparse.Namespace, kind: str) -> SessionLog | NoLog:
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
            kind=kind,
            team=_team(args),
        )
    except LogError as exc:
        raise UserError(f"{exc} (use --no-log to play without a score log)") from None


@contextlib.contextmanager
def _logging(
    session: Session, args: argparse.Namespace, *, kind: str = "play"
) -> Iterator[SessionLog | NoLog]:
    """The session's log for a `with` block; a failed write (disk full, share gone)
    becomes one line for the user, and what was written before it stays on disk."""
    from simulator.logs.writer import LogError

    log = _open_log(session, args, kind)
    try:
        with log:
            yield log
    except LogError as exc:
        raise UserError(f"{exc} (the turns before it are saved)") from None


@contextlib.contextmanager
def _ended_by_hang_up() -> Iterator[None]:
    """A closed terminal (SIGHUP) or a shutdown (SIGTERM) ends plain play the way Ctrl-C
    does: the log is settled (nothing left of a session without a turn, an abandoned
    record for one in progress) before the process exits with 128 + the signal.

    Python's default for both is to die on the spot, with no `finally` run.
    """
    import signal

    def stop(number: int, _frame: object) -> None:
        raise SystemExit(128 + number)

    caught = (signal.SIGHUP, signal.SIGTERM)
    previous = {number: signal.signal(number, stop) for number in caught}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


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
        log_dir=getattr(args, "room", None) or getattr(args, "log_dir", None),
        room=getattr(args, "room", None),
        start_with=load(ref) if ref else None,
        recall=bool(getattr(args, "recall", False)),
    )
    SimulatorApp(config).run()
    return EXIT_OK
