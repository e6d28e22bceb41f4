"""Debrief: the grade, the moments that mattered, the principles — then try again.

It leads with what a trainee can act on: the grade and how the call ended, then the
two or three replies that cost the most against the best move on offer, each with the
better line's words and what it would have done, then the principle scorecard with
its human names. The whole conversation turn by turn is one key away (`t`).

Opened live (from the play screen, with a `Run`) it can retry and save a reflection,
and dismisses with what the trainee wants next: "retry", a turn number (the road not
taken) or "back". Opened from the history (a `SessionStory` read from a log) it only
reads. The reflection box has its own key (`w`) and asks before unsaved text is lost.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar, Literal, TypeAlias, get_args

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.events import Resize
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Static

from simulator.engine.story import SessionStory, TurnStory, better_would, moments, session_story
from simulator.engine.walkout import WalkoutRule, how_it_ended
from simulator.scenario.models import Outcome
from simulator.text import plural
from simulator.tui.game import Game, Run
from simulator.tui.safe import clean, words
from simulator.tui.widgets.mood_chart import MoodChart
from simulator.tui.widgets.recall_review import RecallReview
from simulator.tui.widgets.reflection import ReflectionBox
from simulator.tui.widgets.scorecard import Scorecard

if TYPE_CHECKING:
    from simulator.scenario.loader import LoadedScenario
    from simulator.tui.screens.save_reflection import Answer

DebriefAction: TypeAlias = Literal["retry", "back"] | int
_NARROW = 100


def headline(story: SessionStory) -> str:
    """`GRADE B · 82/100 · RESOLVED`, naming a walk-out first.

    A past session's grade and outcome are read from its log file, so they are cleaned
    like every other word from outside."""
    if story.status == "abandoned" or story.score is None:
        return f"ABANDONED after {plural(len(story.turns), 'turn')}"
    outcome = words(clean(story.outcome) or "over").upper()
    text = f"GRADE {clean(story.grade)} · {story.score}/100 · {outcome}"
    if story.walked_out:
        text = f"{clean(story.customer).upper()} WALKED OUT · " + text
    return text


def moment_content(turn: TurnStory) -> Content:
    parts: list[str | tuple[str, str]] = [
        (f"Turn {turn.number}. ", "bold"),
        ("You said: ", "bold"),
        f"“{clean(turn.said)}”\n",
        ("Better: ", "bold $success"),
        f"“{clean(turn.better_say)}”" if turn.better_say else "another reply on offer",
    ]
    would = better_would(turn)
    if would:
        parts += ["\n", (would, "dim")]
    if turn.feedback:
        parts += ["\n", ("Coach: ", "bold"), clean(turn.feedback)]
    return Content.assemble(*parts)


class DebriefScreen(ModalScreen[DebriefAction]):
    """Grade, moments, principles, reflection; turn by turn behind `t`."""

    CSS_PATH = "debrief.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("t", "turns", "Turn by turn"),
        Binding("w", "write", "Write reflection"),
        Binding("r", "retry", "Retry"),
        Binding("escape", "back", "Back"),
        Binding("question_mark", "app.help", "Help", key_display="?"),
    ]

    def __init__(
        self,
        story: SessionStory,
        game: Game,
        *,
        run: Run | None = None,
        walkout: WalkoutRule | None = None,
        note: str | None = None,
        loaded: LoadedScenario | None = None,
    ) -> None:
        super().__init__()
        self.story = story
        self.game = game
        self.conversation = run
        self.walkout = walkout
        self.note = note
        """A line about the record itself (the scenario changed since, say)."""
        self.loaded = loaded
        """The scenario as played, for a past session (None when it changed or is gone)."""

    @classmethod
    def of_run(cls, run: Run, game: Game) -> DebriefScreen:
        """The debrief of a conversation just played."""
        from simulator.engine.walkout import walkout_rule

        assert run.result is not None, "a debrief needs a finished session"
        story = session_story(run.result, run.loaded, mode=run.mode, reflection=run.reflection)
        return cls(story, game, run=run, walkout=walkout_rule(run.loaded))

    def compose(self) -> ComposeResult:
        story = self.story
        yield Static(
            Content.assemble(("Debrief  ", "bold"), (clean(story.title), "italic")), id="title"
        )
        with VerticalScroll(id="body"):
            # Only the outcomes a scenario can have are styles: a log's word is data.
            styled = story.outcome in get_args(Outcome)
            yield Static(
                Content(headline(story)),
                id="headline",
                classes=f"-{story.outcome}" if styled else "",
            )
            if self.note:
                yield Static(Content(clean(self.note)), id="note")
            if story.walked_out and self.walkout is not None:
                yield Static(Content(self._walkout_why()), id="walkout-why")
            if story.ending_say:
                yield Static(
                    Content.assemble(
                        (f"{clean(story.customer)}: ", "bold"), clean(story.ending_say)
                    ),
                    id="ending-say",
                )
            if story.debrief:
                yield Static(Content(clean(story.debrief)), id="ending-debrief")
            yield Static(Content("The moments that mattered most"), classes="heading")
            found = moments(story.turns)
            for turn in found:
                yield Static(moment_content(turn), classes="moment")
            if not found:
                yield Static(
                    Content(
                        "Every reply was the best on offer."
                        if story.turns
                        else "No replies were made."
                    ),
                    classes="moment",
                )
            with Horizontal(id="charts"):
                with Vertical(id="score-box"):
                    yield Static(Content("Principles (weakest first)"), classes="heading")
                    yield Scorecard(id="scorecard")
                with Vertical(id="chart-box"):
                    yield Static(Content("Mood over the conversation"), classes="heading")
                    yield MoodChart(id="chart")
            played = self.conversation.result if self.conversation is not None else None
            if played is not None and any(t.typed is not None for t in played.turns):
                assert self.conversation is not None
                yield RecallReview(played.turns, self.conversation.say_of, id="recall-review")
            yield Static(
                Content(f"Turn by turn: press t to read all {plural(len(story.turns), 'turn')}."),
                id="more",
            )
            yield from self._reflection()
        with Horizontal(id="actions"):
            yield Button(Content("Turn by turn (t)"), id="to-turns", compact=True)
            if self.conversation is not None:
                yield Button(Content("Write reflection (w)"), id="write", compact=True)
                yield Button(Content("Retry (r)"), variant="primary", id="retry", compact=True)
            yield Button(Content("Back (esc)"), id="back", compact=True)
        yield Footer()

    def _walkout_why(self) -> str:
        """Which of the two walk-out rules ended this call, with this reply's own line."""
        from simulator.engine.walkout import reply_threshold

        assert self.walkout is not None
        story = self.story
        threshold = None
        loaded = self.conversation.loaded if self.conversation is not None else self.loaded
        if story.turns and loaded is not None:
            last = story.turns[-1]
            threshold = reply_threshold(loaded, last.node, last.choice)
        return how_it_ended(self.walkout, clean(story.customer), story.end.anger, threshold)

    def _reflection(self) -> ComposeResult:
        yield Static(
            Content.assemble(
                ("Your reflection", "bold underline"),
                ("  (w to write · Enter saves · Esc stops writing)", "dim")
                if self.conversation is not None
                else "",
            ),
            classes="heading",
            id="reflection-label",
        )
        if self.conversation is not None:
            yield ReflectionBox(self.story.reflection or "", id="reflection")
        else:
            yield Static(
                Content(clean(self.story.reflection) or "No reflection was written."),
                id="reflection-text",
            )

    def on_mount(self) -> None:
        story = self.story
        self.query_one("#chart", MoodChart).show(story.start, [t.after for t in story.turns])
        titles = {fid: family.title for fid, family in self.game.catalog.families.items()}
        self.query_one("#scorecard", Scorecard).show(story.principles, titles)
        self.query_one("#body").focus()  # arrows and PageDown read on; keys act

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width < _NARROW, "-narrow")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("retry", "write"):
            return self.conversation is not None
        return True

    # ---------------------------------------------------------- reflection

    def _typed(self) -> str:
        boxes = self.query(ReflectionBox)
        return clean(boxes.first().value) if boxes else ""

    def _unsaved(self) -> bool:
        saved = self.conversation.reflection if self.conversation is not None else None
        return bool(self._typed()) and self._typed() != saved

    def _save_reflection(self) -> None:
        text = self._typed()
        if self.conversation is not None and text and text != self.conversation.reflection:
            self.conversation.reflect(text)
            self.notify("Reflection saved with this session.", markup=False)

    @on(ReflectionBox.Submitted, "#reflection")
    def _reflection_submitted(self) -> None:
        self._save_reflection()
        self.query_one("#body").focus()

    def action_write(self) -> None:
        if self.conversation is not None:
            box = self.query_one("#reflection", ReflectionBox)
            box.focus()
            box.scroll_visible(animate=False)

    def _leave(self, then: Callable[[], object]) -> None:
        """Leave, asking first when the reflection box holds unsaved text."""
        if not self._unsaved():
            then()
            return
        from simulator.tui.screens.save_reflection import SaveReflectionScreen

        def answered(answer: Answer | None) -> None:
            if answer == "save":
                self._save_reflection()
                then()
            elif answer == "discard":
                then()
            else:
                self.action_write()

        self.app.push_screen(SaveReflectionScreen(), answered)

    # -------------------------------------------------------------- actions

    @on(Button.Pressed, "#write")
    def _write_pressed(self) -> None:
        self.action_write()

    @on(Button.Pressed, "#retry")
    def action_retry(self) -> None:
        if self.conversation is not None:
            self._leave(lambda: self.dismiss("retry"))

    @on(Button.Pressed, "#back")
    def action_back(self) -> None:
        self._leave(lambda: self.dismiss("back"))

    @on(Button.Pressed, "#to-turns")
    def action_turns(self) -> None:
        from simulator.tui.screens.turns import TurnsScreen

        def chosen(turn_number: int | None) -> None:
            if turn_number is not None:
                self._leave(lambda: self.dismiss(turn_number))

        screen = TurnsScreen(self.story, can_retry=self.conversation is not None)
        self.app.push_screen(screen, chosen)
