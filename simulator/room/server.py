"""`simulator serve`: textual-serve runs the real game once per visitor, in the page.

textual-serve starts our command as a subprocess for every browser that connects
and relays its screen over a websocket. What this module adds is what a training
room needs: the game always full screen (never the plain fallback a pipe would
get), every visitor signing in as themselves (`play --room`), a page that asks no
outside host for anything (fonts from textual-serve's own static folder), and an
optional shared room password for rooms opened beyond this computer.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import hashlib
import hmac
import ipaddress
import secrets
import shlex
import signal
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp_jinja2
import textual_serve
from aiohttp import web
from textual_serve.server import Server

TEMPLATES = Path(__file__).parent / "templates"
STATICS = Path(textual_serve.__file__).parent / "static"
COOKIE = "simulator-room"
REALM = 'Basic realm="training room", charset="UTF-8"'

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def is_loopback(host: str) -> bool:
    """True when only this computer can reach `host` (127.0.0.0/8, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def game_command(log_dir: Path, scenario: str | None) -> str:
    """The shell command textual-serve runs per visitor: this Python, full screen, a room."""
    argv = [sys.executable, "-m", "simulator", "play", "--full-screen", "--room", str(log_dir)]
    if scenario:
        argv.append(scenario)
    return shlex.join(argv)


class RoomServer(Server):
    """textual-serve's server with the room's page, start-up message and password."""

    def __init__(
        self,
        command: str,
        *,
        host: str,
        port: int,
        password: str | None,
        log_dir: Path,
        title: str = "Difficult customers",
    ) -> None:
        super().__init__(
            command,
            host=host,
            port=port,
            title=title,
            statics_path=STATICS,
            templates_path=TEMPLATES,
        )
        self.password = password
        self.log_dir = log_dir
        # The cookie proves a visitor typed the password once; it means nothing to
        # another run of the server, which draws a new secret.
        secret = secrets.token_bytes(32)
        self._token = hmac.new(secret, (password or "").encode(), hashlib.sha256).hexdigest()

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        if self.password is not None:
            app.middlewares.append(self._guard)
        return app

    @web.middleware
    async def _guard(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Ask for the room password once (Basic auth), then trust the visitor's cookie."""
        if hmac.compare_digest(request.cookies.get(COOKIE, ""), self._token):
            return await handler(request)
        if not self._password_given(request.headers.get("Authorization", "")):
            raise web.HTTPUnauthorized(
                text="This training room needs its password.", headers={"WWW-Authenticate": REALM}
            )
        response = await handler(request)
        if not response.prepared:  # a websocket is already under way: no headers to add
            response.set_cookie(COOKIE, self._token, httponly=True, samesite="Strict")
        return response

    def _password_given(self, header: str) -> bool:
        scheme, _, encoded = header.partition(" ")
        if scheme.lower() != "basic" or self.password is None:
            return False
        try:
            _, _, given = base64.b64decode(encoded, validate=True).decode("utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return False
        return hmac.compare_digest(given.encode(), self.password.encode())

    async def on_startup(self, app: web.Application) -> None:
        """Quiet: the room is announced once it listens (see `serve`), not before."""

    def serve(self, debug: bool = False) -> None:
        """Run until Ctrl+C or SIGTERM; say where the room is once it accepts visitors."""
        self.debug = debug
        self.initialize_logging()
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        for signal_number in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(signal_number, self.request_exit)
        web.run_app(
            self._make_app(),
            host=self.host,
            port=self.port,
            handle_signals=False,
            loop=loop,
            print=lambda *_: self._announce(),  # aiohttp calls it once the socket listens
        )

    def _announce(self) -> None:
        reach = (
            "only this computer can connect"
            if is_loopback(self.host)
            else "anyone who can reach this computer can connect"
        )
        guard = "with the room password" if self.password is not None else "no password"
        print(f"Training room open at http://{self.host}:{self.port}/ ({reach}; {guard})")
        print(f"Score logs go to {self.log_dir}")
        print("Press Ctrl+C to close the room.", flush=True)

    @aiohttp_jinja2.template("room.html")
    async def handle_index(self, request: web.Request) -> dict[str, Any]:
        """The page, with addresses built from the host the browser used to reach us."""
        base = f"{request.scheme}://{request.host}"
        socket = ("wss" if request.scheme == "https" else "ws") + f"://{request.host}/ws"
        font_size = request.query.get("fontsize", "16")
        return {
            "font_size": int(font_size) if font_size.isdigit() and len(font_size) < 3 else 16,
            "app_websocket_url": socket,
            "config": {"static": {"url": f"{base}/static/"}},
            "application": {"name": self.title},
        }
