"""`simulator serve` for real: two visitors in headless Chromium, two trainees' logs.

The server is the real command on a free 127.0.0.1 port; Chromium is Debian's
(`/usr/bin/chromium`) driven by Playwright's protocol client, never a downloaded
browser. Each visitor signs in with their own name and makes a first choice; the
room's log folder must then hold two sessions, one per name, and the pages must
have asked nothing of any host but the room.
"""

from __future__ import annotations

import base64
import os
import select
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, sync_playwright

from simulator.logs.reader import read_sessions
from tests.conftest import REPO

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PATIENCE = 90.0
"""Seconds any one step may take on a busy shared machine before the test fails."""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def room(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A running room on a free port; yields its address and log folder."""
    logs = tmp_path / "room"
    port = _free_port()
    command = [sys.executable, "-m", "simulator", "serve", "--port", str(port)]
    command += ["--log-dir", str(logs), "--scenario", "first-call"]
    server = subprocess.Popen(
        command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True
    )
    assert server.stdout is not None
    output, deadline = b"", time.monotonic() + PATIENCE
    while b"Training room open" not in output:
        assert server.poll() is None, output.decode(errors="replace")
        assert time.monotonic() < deadline, f"the room never opened: {output!r}"
        if select.select([server.stdout], [], [], 0.2)[0]:
            output += os.read(server.stdout.fileno(), 4096)
    assert f"http://127.0.0.1:{port}/ (only this computer can connect".encode() in output
    try:
        yield f"http://127.0.0.1:{port}/", logs
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def _until(condition: object, what: str) -> None:
    deadline = time.monotonic() + PATIENCE
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def _sessions(logs: Path, trainee: str) -> list[object]:
    return [s for s in read_sessions([logs]) if s.trainee == trainee] if logs.is_dir() else []


def _visit(page: Page, address: str, logs: Path, trainee: str) -> None:
    """Sign in as `trainee` and make a first choice, the way a person would."""
    page.goto(address)
    page.wait_for_function(
        "document.body.classList.contains('-first-byte')", timeout=PATIENCE * 1000
    )
    page.click("#terminal")
    time.sleep(1.0)  # the sign-in screen's first frame follows the first byte
    page.keyboard.type(trainee)
    page.keyboard.press("Enter")
    _until(lambda: _sessions(logs, trainee), f"{trainee}'s session to start")
    (started,) = _sessions(logs, trainee)

    def chosen() -> bool:
        (now,) = _sessions(logs, trainee)
        return bool(now.turns)  # type: ignore[attr-defined]

    deadline = time.monotonic() + PATIENCE
    while not chosen():  # the play screen may still be drawing: press again until heard
        assert time.monotonic() < deadline, f"{trainee}'s first choice never reached the log"
        page.keyboard.press("1")
        time.sleep(1.0)
    assert started is not None


def test_two_visitors_get_two_sessions_under_their_own_names(
    room: tuple[str, Path], tmp_path: Path
) -> None:
    assert CHROMIUM.exists(), "Debian's chromium is needed: apt-get install chromium"
    address, logs = room
    requests: list[str] = []
    errors: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        try:
            visitors = []
            for name in ("Ada Room", "Grace Room"):
                context = browser.new_context(viewport={"width": 1100, "height": 700})
                page = context.new_page()
                page.on("request", lambda request: requests.append(request.url))
                page.on(
                    "response",
                    lambda response: (
                        errors.append(f"{response.status} {response.url}")
                        if response.status >= 400
                        else None
                    ),
                )
                page.on(
                    "console",
                    lambda message: (
                        errors.append(message.text) if message.type == "error" else None
                    ),
                )
                visitors.append((page, name))
            for page, name in visitors:  # both connected at once, each its own game
                _visit(page, address, logs, name)
            for page, name in visitors:
                page.screenshot(path=str(tmp_path / f"{name.split()[0].lower()}.png"))
        finally:
            browser.close()
    sessions = read_sessions([logs])
    assert sorted(s.trainee for s in sessions) == ["Ada Room", "Grace Room"]
    assert len({s.session_id for s in sessions}) == 2
    assert all(s.turns >= 1 for s in sessions)
    outside = [
        url for url in requests if not url.startswith((address, address.replace("http", "ws")))
    ]
    assert outside == [], outside
    assert errors == [], errors
    assert (tmp_path / "ada.png").stat().st_size > 0 and (tmp_path / "grace.png").stat().st_size > 0


def test_a_room_beyond_this_computer_needs_a_password(tmp_path: Path) -> None:
    from tests.conftest import run_cli

    refused = run_cli("serve", "--host", "0.0.0.0", "--port", str(_free_port()))
    assert refused.returncode == 1
    assert "set a password" in refused.stderr and "\n" not in refused.stderr.strip()
    empty = tmp_path / "password"
    empty.write_text("\n")
    bad = run_cli("serve", "--host", "0.0.0.0", "--password-file", str(empty))
    assert bad.returncode == 1 and "is empty" in bad.stderr


def test_the_room_password_is_asked_once_then_remembered(tmp_path: Path) -> None:
    """Basic auth on the page; the cookie it sets lets the websocket through."""
    import urllib.error
    import urllib.request

    port = _free_port()
    secret = tmp_path / "password"
    secret.write_text("tea-and-biscuits\n")
    command = [sys.executable, "-m", "simulator", "serve", "--port", str(port)]
    command += ["--log-dir", str(tmp_path / "room"), "--password-file", str(secret)]
    server = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, start_new_session=True)
    try:
        assert server.stdout is not None
        assert b"with the room password" in server.stdout.readline()
        address = f"http://127.0.0.1:{port}/"
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(address, timeout=PATIENCE)
        assert refused.value.code == 401
        wrong = base64.b64encode(b"x:biscuits").decode()
        request = urllib.request.Request(address, headers={"Authorization": f"Basic {wrong}"})
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(request, timeout=PATIENCE)
        right = base64.b64encode(b"x:tea-and-biscuits").decode()
        request = urllib.request.Request(address, headers={"Authorization": f"Basic {right}"})
        with urllib.request.urlopen(request, timeout=PATIENCE) as page:
            cookie = page.headers["Set-Cookie"].split(";", 1)[0]
            assert page.status == 200
        again = urllib.request.Request(address + "static/css/xterm.css", headers={"Cookie": cookie})
        with urllib.request.urlopen(again, timeout=PATIENCE) as sheet:
            assert sheet.status == 200
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(30)
