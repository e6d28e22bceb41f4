"""`simulator play` and the bare `simulator`: scripted, plain and (later) full-screen play."""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path
from typing import Any

from simulator.commands import EXIT_OK, UserError, add_parser, load


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


def _seed(args: argparse.Namespace) -> int:
    seed = getattr(args, "seed", None)
    return int(seed) if seed is not None else random.SystemRandom().randrange(2**31)


def run(args: argparse.Namespace) -> int:
    if args.choices is not None:
        return _scripted(args)
    if args.json:
        raise UserError("--json needs --choices (interactive play has no JSON output)")
    return _plain(args.scenario, _seed(args), coaching=args.mode == "practice")


def home() -> int:
    """The bare `simulator` command: the game's home screen."""
    return _plain(None, _seed(argparse.Namespace()), coaching=True)


def _scripted(args: argparse.Namespace) -> int:
    from simulator.engine.session import ChoiceError, Session

    if not args.scenario:
        raise UserError("--choices needs a SCENARIO")
    session = Session(load(args.scenario), seed=_seed(args))
    script = [c.strip() for c in args.choices.split(",") if c.strip()]
    try:
        result = session.play(script)
    except ChoiceError as exc:
        raise UserError(f"{args.scenario}: {exc}") from None
    if args.json:
        print(json.dumps(result.to_json(), indent=2, ensure_ascii=False))
    else:
        print(
            f"{result.title}: ending {result.ending} ({result.outcome}), "
            f"score {result.score.score}, anger {result.end.anger}, trust {result.end.trust}"
        )
    return EXIT_OK


def _plain(ref: str | None, seed: int, *, coaching: bool) -> int:
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
    game = PlainGame(Session(loaded, seed=seed), sys.stdout, input, coaching=coaching)
    try:
        game.run()
    except EOFError:
        print("\nSession ended before the conversation finished.", file=sys.stderr)
    return EXIT_OK
