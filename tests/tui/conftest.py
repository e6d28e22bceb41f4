"""Shared fixtures for the Textual tests: an isolated home, a fixed library, fixed seeds.

Every test gets its own config folder, log folder and working directory, so
nothing touches the real per-user folders and "no file written" can be checked
by listing the working directory. Apps are built with a fixed trainee and seed and
a frozen scenario folder so snapshots do not move when the bundled scenarios do.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from simulator.tui.app import SimulatorApp
from simulator.tui.game import GameConfig, Mode
from tests.conftest import FIXTURES, REPO

TUI_FIXTURES = FIXTURES / "tui"
LIBRARY = TUI_FIXTURES / "library"
HOSTILE = TUI_FIXTURES / "hostile"
BUNDLED = REPO / "scenarios"
TRAINEE = "Ana Test"
SEED = 7

MakeApp = Callable[..., SimulatorApp]


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run `async def` tests in a fresh event loop (no asyncio plugin needed)."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    names = pyfuncitem._fixtureinfo.argnames
    asyncio.run(pyfuncitem.obj(**{name: pyfuncitem.funcargs[name] for name in names}))
    return True


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private home for the test: config, logs and the current directory."""
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.setenv("SIMULATOR_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("SIMULATOR_LOG_DIR", str(tmp_path / "logs"))
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.chdir(work)
    return tmp_path


@pytest.fixture
def log_dir(isolated: Path) -> Path:
    return isolated / "logs"


@pytest.fixture
def make_app(isolated: Path) -> MakeApp:
    """An app over the frozen library with a signed-in trainee and a fixed seed."""

    def make(
        *,
        library: Path = LIBRARY,
        trainee: str | None = TRAINEE,
        mode: Mode = "practice",
        seed: int | None = SEED,
    ) -> SimulatorApp:
        config = GameConfig(
            trainee=trainee,
            mode=mode,
            seed=seed,
            log_dir=isolated / "logs",
            library_dir=library,
        )
        return SimulatorApp(config, settings_file=isolated / "config" / "settings.json")

    return make


async def settle(pilot: Pilot[None]) -> None:
    """Wait until the screen is idle and background loading (the library) is done."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def still_cursor(pilot: Pilot[None]) -> None:
    """Stop text cursors blinking so a snapshot cannot catch them half-way."""
    for box in pilot.app.screen.query(Input):
        box.cursor_blink = False
