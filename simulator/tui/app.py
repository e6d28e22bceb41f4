"""The Textual app: thin. It holds the game, pushes the first screen, and routes.

Screens hold their own logic and post small messages upward (`SignedIn`, `Start`);
the app answers them by saving settings or pushing the next screen. Screens other
than home are imported when first opened, which keeps the first frame quick. Global keys:
`?` help, `Ctrl+P` the command palette (themes, history, help, name), `Ctrl+Q` quit.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Callable, Iterable
from dataclasses import asdict, replace
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.theme import Theme

from simulator.settings import (
    Settings,
    SettingsError,
    load_settings,
    room_settings_path,
    update_settings,
)
from simulator.tui.game import Game, GameConfig, Run
from simulator.tui.safe import clean
from simulator.tui.screens.confirm import ConfirmScreen
from simulator.tui.screens.home import HomeScreen

if TYPE_CHECKING:
    from simulator.tui.screens.play import PlayScreen
    from simulator.tui.screens.sign_in import SignedIn

_HERE = Path(__file__).parent


class SimulatorApp(App[None]):
    """Difficult customers: a training game."""

    TITLE = "Difficult customers"
    CSS_PATH: ClassVar[list[str | PurePath]] = [
        "app.tcss",
        *sorted((_HERE / "widgets").glob("*.tcss")),
    ]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True),
    ]

    def __init__(
        self,
        config: GameConfig | None = None,
        *,
        settings_file: Path | None = None,
        draw_seed: Callable[[], int] | None = None,
    ) -> None:
        super().__init__()
        config = config or GameConfig()
        self.settings_file = settings_file
        # In a training room nobody is remembered: the name typed at sign-in decides.
        self.settings = Settings() if config.room is not None else load_settings(settings_file)
        if config.trainee is None and self.settings.trainee:
            config = replace(config, trainee=self.settings.trainee)
        if config.team is None and self.settings.team:
            config = replace(config, team=self.settings.team)
        self.game = Game(config, draw_seed=draw_seed)
        self._hang_ups: list[int] = []
        """The signals `_end_on_hang_up` handles, released again on unmount."""

    def on_mount(self) -> None:
        self._end_on_hang_up()
        if self.settings.theme and self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        if self.game.trainee is None:
            from simulator.tui.screens.sign_in import SignInScreen

            self.push_screen(SignInScreen())
        else:
            self._home()

    def _home(self) -> None:
        self.push_screen(HomeScreen(self.game))
        start = self.game.config.start_with
        if start is not None:
            self.play(lambda: self.game.start(start))

    def play(self, begin: Callable[[], Run], *, replace_current: bool = False) -> None:
        """Open a play screen on a new run, or say why its log could not be created."""
        from simulator.logs.writer import LogError
        from simulator.tui.screens.play import PlayScreen

        try:
            run = begin()
        except LogError as exc:
            self.notify(
                str(exc), title="Cannot write the score log", severity="error", markup=False
            )
            return
        screen = PlayScreen(run, self.game)
        if replace_current:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def _save(self, settings: Settings) -> None:
        """Remember what changed from `self.settings`, and only that (update_settings:
        a hand edit of the file made while the game runs is kept)."""
        changes = {
            key: value
            for key, value in asdict(settings).items()
            if value != getattr(self.settings, key)
        }
        self.settings = settings
        if not changes:
            return
        try:
            update_settings(changes, self.settings_file)
        except (OSError, SettingsError) as exc:
            self.notify(f"Could not save settings: {exc}", severity="warning", markup=False)

    def _remember_theme(self, theme: Theme) -> None:
        if theme.name != self.settings.theme:
            self._save(replace(self.settings, theme=theme.name))

    # ---------------------------------------------------------- messages

    def on_signed_in(self, message: SignedIn) -> None:
        first_time = self.game.trainee is None
        self.game.trainee = message.name
        room = self.game.config.room
        if room is not None:
            self.settings_file = room_settings_path(room, message.name)
            self.settings = load_settings(self.settings_file)
            if self.settings.theme in self.available_themes:
                self.theme = self.settings.theme
        self._save(replace(self.settings, trainee=message.name))
        if first_time:
            self.pop_screen()
            self._home()
        else:
            self.pop_screen()

    def on_home_screen_start(self, message: HomeScreen.Start) -> None:
        self.play(lambda: self.game.start(message.loaded, message.mode))

    def on_play_screen_restart(self, message: PlayScreen.Restart) -> None:
        self.play(message.begin, replace_current=True)

    # ----------------------------------------------------------- actions

    def action_help(self) -> None:
        from simulator.tui.screens.help import HelpScreen  # Markdown is slow to import
        from simulator.tui.screens.play import PlayScreen

        if isinstance(self.screen, HelpScreen):
            return
        here = None
        if isinstance(self.screen, PlayScreen):
            name = self.screen.conversation.loaded.scenario.customer.name
            here = self.screen.walkout.sentence(clean(name))
        self.push_screen(HelpScreen(here))

    def action_history(self) -> None:
        from simulator.tui.screens.history import HistoryScreen

        if not isinstance(self.screen, HistoryScreen) and self.game.trainee is not None:
            self.push_screen(HistoryScreen(self.game))

    def action_rename(self) -> None:
        from simulator.tui.screens.sign_in import SignInScreen

        if isinstance(self.screen, HomeScreen):
            self.push_screen(SignInScreen(self.game.trainee, can_cancel=True))

    async def action_quit(self) -> None:
        """Quit, but ask first when a conversation is in progress (it gets abandoned)."""
        current = self.game.current
        if current is None or current.over:
            self.exit()
            return

        def answered(leave: bool | None) -> None:
            if leave:
                self.game.close()
                self.exit()

        if not isinstance(self.screen, ConfirmScreen):
            self.push_screen(
                ConfirmScreen(
                    "Quit now? The conversation in progress will be logged as abandoned.",
                    yes="Quit",
                    no="Keep playing",
                ),
                answered,
            )

    def on_unmount(self) -> None:
        self.game.close()
        loop = asyncio.get_running_loop()
        for number in self._hang_ups:
            loop.remove_signal_handler(number)

    def _end_on_hang_up(self) -> None:
        """A closed terminal window (SIGHUP) or a shutdown (SIGTERM) ends the game the
        way quitting does (a closed tab in the training room already did: textual-serve
        asks the app to quit).

        Python's default for both signals is to die on the spot: a conversation left
        before its first turn stayed behind as a one-record log that History listed as
        "abandoned · 0 turns", and one in progress never got its abandoned record. The
        log is settled first, before any drawing to a terminal that may be gone.
        """

        def hang_up() -> None:
            self.game.close()
            self.exit()

        loop = asyncio.get_running_loop()
        for number in (signal.SIGHUP, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(number, hang_up)
                self._hang_ups.append(number)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Help", "How to play, keys and meters", self.action_help)
        if self.game.trainee is not None:
            yield SystemCommand(
                "History", "Your past sessions and score trend", self.action_history
            )
        if isinstance(screen, HomeScreen):
            yield SystemCommand("Change name", "Sign in as someone else", self.action_rename)
