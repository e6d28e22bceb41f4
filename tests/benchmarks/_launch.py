"""Launch one app headless, say "ready" at its first interactive frame (for bench_tui).

`python -m tests.benchmarks._launch minimal|home|picker LIBRARY HOME`: the same
harness for every app, so ratios compare the apps, not how they were started.
"Ready" is printed from inside `App._display`, when the first frame that meets the
condition is handed to the driver:

- minimal: any frame of a header / text / footer app (the baseline);
- home: the simulator's home screen (keys work; the list may still be loading);
- picker: the home screen with the scenario list filled in (you can press Enter).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, OptionList, Static


class Minimal(App[None]):
    """The baseline: a header, a line of text and a footer."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("hello")
        yield Footer()


def report_when(ready: Callable[[App[Any]], bool]) -> None:
    """Print "ready" at the first displayed frame where `ready(app)` holds, then quit."""
    original = App._display

    def display(self: App[Any], screen: Any, renderable: Any) -> None:
        original(self, screen, renderable)
        if renderable is not None and ready(self):
            print("ready", flush=True)
            os._exit(0)  # the clock has stopped; shutting down is not part of launch

    App._display = display  # type: ignore[method-assign]


def main(which: str, library: str, home: str) -> None:
    if which == "minimal":
        report_when(lambda app: True)
        Minimal().run(headless=True, size=(80, 24))
        return
    from simulator.tui.app import SimulatorApp
    from simulator.tui.game import GameConfig
    from simulator.tui.screens.home import HomeScreen

    def home_shown(app: App[Any]) -> bool:
        return isinstance(app.screen, HomeScreen)

    def picker_ready(app: App[Any]) -> bool:
        return home_shown(app) and app.screen.query_one(OptionList).option_count > 0

    report_when(picker_ready if which == "picker" else home_shown)
    config = GameConfig(
        trainee="Bench", seed=1, library_dir=Path(library), log_dir=Path(home) / "logs"
    )
    SimulatorApp(config, settings_file=Path(home) / "settings.json").run(
        headless=True, size=(80, 24)
    )


if __name__ == "__main__":
    main(*sys.argv[1:4])
