"""`simulator serve`: open a training room, the game in every visitor's browser."""

from __future__ import annotations

import argparse
import os
import stat
from pathlib import Path
from typing import Any

from simulator.commands import EXIT_OK, UserError, add_parser, whole_number

PASSWORD_VARIABLE = "SIMULATOR_ROOM_PASSWORD"  # noqa: S105 (a variable's name, not a secret)
PASSWORD_MAX = 4096


def register(commands: Any) -> None:
    serve = add_parser(
        commands,
        "serve",
        description="Serve the full-screen game to browsers with textual-serve: every "
        "visitor signs in as themselves and gets their own settings, history and score "
        "logs, all in the room's log folder. Binds to 127.0.0.1 (this computer only) "
        "unless told otherwise; a room opened beyond it needs a password, read from "
        f"${PASSWORD_VARIABLE} or --password-file, never from the command line.",
        examples=(
            "simulator serve                                  # this machine only",
            "simulator serve --host 0.0.0.0 --port 8080 --password-file room-password.txt",
            "simulator serve --scenario first-call --log-dir /shared/training-logs",
        ),
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    serve.add_argument(
        "--port",
        type=whole_number(1, 65535),
        default=8000,
        help="port to listen on (default: 8000)",
    )
    serve.add_argument("--log-dir", type=Path, metavar="DIR", help="the room's log folder")
    serve.add_argument(
        "--scenario", metavar="SCENARIO", help="open every visitor on this scenario after sign-in"
    )
    serve.add_argument(
        "--password-file", type=Path, metavar="FILE", help="the room password, on its first line"
    )
    serve.add_argument(
        "--no-password",
        action="store_true",
        help="open a room beyond this computer without a password (not recommended)",
    )


def run(args: argparse.Namespace) -> int:
    from simulator.logs.writer import default_log_dir
    from simulator.room.server import RoomServer, game_command, is_loopback

    password = _password(args.password_file)
    if password is None and not is_loopback(args.host) and not args.no_password:
        raise UserError(
            f"a room on {args.host} can be reached from other computers: set a password "
            f"(${PASSWORD_VARIABLE} or --password-file), or pass --no-password"
        )
    if args.scenario:
        from simulator.commands import load

        load(args.scenario)  # a typo is one line now, not an error page per visitor
    log_dir = (args.log_dir or default_log_dir()).resolve()
    try:
        log_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"cannot create the room's log folder {log_dir}: {exc.strerror}") from None
    server = RoomServer(
        game_command(log_dir, args.scenario),
        host=args.host,
        port=args.port,
        password=password,
        log_dir=log_dir,
    )
    try:
        server.serve()
    except OSError as exc:
        raise UserError(
            f"cannot open the room on {args.host}:{args.port}: {exc.strerror}"
        ) from None
    return EXIT_OK


def _password(path: Path | None) -> str | None:
    """The room password from --password-file or the environment; None when neither."""
    if path is None:
        return os.environ.get(PASSWORD_VARIABLE) or None
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        raise UserError(f"cannot read the password file {path}: {exc.strerror}") from None
    with os.fdopen(fd, "rb") as file:
        if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
            raise UserError(f"the password file {path} is not a regular file")
        data = file.read(PASSWORD_MAX + 1)
    if len(data) > PASSWORD_MAX:
        raise UserError(f"the password file {path} is longer than {PASSWORD_MAX} bytes")
    text = data.decode("utf-8", errors="replace").splitlines()
    if not text or not text[0].strip():
        raise UserError(f"the password file {path} is empty")
    return text[0].strip()
