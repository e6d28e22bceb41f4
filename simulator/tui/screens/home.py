"""Home: pick a scenario and a mode, see your best score and attempts on each.

The list shows every loadable scenario; the pane beside it the summary of the
highlighted one. Broken scenario files are counted, not hidden, so a trainer
notices them (`simulator check` says what is wrong).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from simulator.bundled import SCENARIOS_VARIABLE
from simulator.text import plural
from simulator.tui.game import Game, Mode, Record
from simulator.tui.safe import clean, words
from simulator.tui.widgets.mode_switch import ModeSwitch
from simulator.tui.widgets.recall_switch import RecallSwitch

if TYPE_CHECKING:
    from simulator.scenario.loader import LoadedScenario


class HomeScreen(Screen[None]):
    """The scenario picker and the mode switch."""

    CSS_PATH = "home.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "start", "Start", show=True, priority=False),
        Binding("m", "toggle_mode", "Mode"),
        Binding("r", "toggle_recall", "Recall"),
        Binding("y", "app.history", "History"),
        Binding("n", "app.rename", "Name"),
        Binding("q", "app.quit", "Quit"),
    ]

    @dataclass
    class Start(Message):
        """Start this scenario in this mode."""

        loaded: LoadedScenario
        mode: Mode

    def __init__(self, game: Game) -> None:
        super().__init__()
        self.game = game

    def compose(self) -> ComposeResult:
        yield Header()
        yield ModeSwitch(self.game.mode, id="mode")
        yield RecallSwitch(self.game.recall, id="recall-switch")
        with Horizontal(id="picker"):
            yield OptionList(id="scenarios")
            with VerticalScroll(id="detail"):
                yield Static(id="detail-text")
        yield Static(id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#status", Static).update(Content("Loading scenarios…"))
        self.query_one("#scenarios", OptionList).focus()

    def on_screen_resume(self) -> None:
        """Every time home shows (first, or back from a session): fresh records."""
        self.sub_title = f"signed in as {clean(self.game.trainee)}"
        self.call_after_refresh(self.load)  # paint first, then load

    @work(thread=True, exclusive=True)
    def load(self) -> None:
        """Read the library and the logs off the event loop, so the first frame is fast."""
        self.game.library  # noqa: B018
        self.game.catalog  # noqa: B018
        self.post_message(self.Loaded(self.game.records()))

    @dataclass
    class Loaded(Message):
        """The library and this trainee's records are ready."""

        records: dict[str, Record]

    def on_home_screen_loaded(self, message: Loaded) -> None:
        self.refresh_list(message.records)

    def refresh_list(self, records: dict[str, Record]) -> None:
        """Rebuild the list with the latest records (after a session, or a new name)."""
        scenarios = self.query_one("#scenarios", OptionList)
        highlighted = scenarios.highlighted
        scenarios.clear_options()
        for number, loaded in enumerate(self.game.library.scenarios):
            s = loaded.scenario
            if number:
                scenarios.add_option(None)
            record = records.get(s.id, Record())
            best = "—" if record.best is None else str(record.best)
            scenarios.add_option(
                Option(
                    Content.assemble(
                        (clean(s.title), "bold"),
                        (f"  {s.id}", "dim"),
                        "\n",
                        (f"{s.difficulty} · {words(s.channel)} · ", "dim"),
                        (f"best {best} · {plural(record.attempts, 'try', 'tries')}", "dim"),
                        "\n",
                        (self._goals(loaded), "italic dim"),
                    ),
                    id=str(number),
                )
            )
        if scenarios.option_count:
            scenarios.highlighted = min(highlighted or 0, scenarios.option_count - 1)
        self._show_detail()
        problems = len({p.file for p in self.game.library.problems})
        status = (
            f"{problems} scenario file(s) could not be loaded; run `simulator check`."
            if problems
            else "Enter starts the highlighted scenario. ? shows help."
        )
        if not self.game.library.scenarios:
            folder = clean(str(self.game.library_folder))
            hint = f"set ${SCENARIOS_VARIABLE} to use another folder"
            status = f"No scenarios found in {folder} ({hint}). {status}"
        self.query_one("#status", Static).update(Content(status))

    def _goals(self, loaded: LoadedScenario) -> str:
        families = self.game.catalog.families
        goals = [families[g].title if g in families else g for g in loaded.scenario.learning_goals]
        return "goals: " + ", ".join(clean(g) for g in goals) if goals else ""

    def _selected(self) -> LoadedScenario | None:
        option = self.query_one("#scenarios", OptionList).highlighted_option
        if option is None or option.id is None:
            return None
        return self.game.library.scenarios[int(option.id)]

    @on(OptionList.OptionHighlighted, "#scenarios")
    def _show_detail(self) -> None:
        loaded = self._selected()
        text = self.query_one("#detail-text", Static)
        if loaded is None:
            text.update(Content("Put scenario files in the library folder to begin."))
            return
        s = loaded.scenario
        persona = self.game.catalog.personas.get(s.customer.persona or "")
        parts: list[str | tuple[str, str]] = [
            (clean(s.title), "bold"),
            "\n",
            (f"id {s.id} · simulator play {s.id}", "dim"),
            "\n\n",
            clean(s.summary),
            "\n\n",
            ("Customer: ", "bold"),
            f"{clean(s.customer.name)}, {clean(s.customer.role)}",
        ]
        if persona is not None:
            parts += ["\n", ("Persona: ", "bold"), f"{words(persona.id)}: {persona.description}"]
        parts += [
            "\n",
            ("Difficulty: ", "bold"),
            s.difficulty,
            ("   Channel: ", "bold"),
            words(s.channel),
        ]
        if s.learning_goals:
            parts += ["\n", ("Practises: ", "bold"), self._goals(loaded).removeprefix("goals: ")]
        text.update(Content.assemble(*parts))

    @on(OptionList.OptionSelected, "#scenarios")
    def action_start(self) -> None:
        loaded = self._selected()
        if loaded is not None:
            self.post_message(self.Start(loaded, self.game.mode))

    @on(ModeSwitch.Changed, "#mode")
    def _mode_changed(self, event: ModeSwitch.Changed) -> None:
        self.game.mode = event.mode

    def action_toggle_mode(self) -> None:
        self.query_one("#mode", ModeSwitch).toggle()

    @on(RecallSwitch.Changed, "#recall-switch")
    def _recall_changed(self, event: RecallSwitch.Changed) -> None:
        self.game.recall = event.on

    def action_toggle_recall(self) -> None:
        self.query_one("#recall-switch", RecallSwitch).toggle()
