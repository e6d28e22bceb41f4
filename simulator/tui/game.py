"""The game's bookkeeping, kept free of Textual: which scenarios, whose sessions, which log.

Screens only render and forward keys; everything that must happen exactly once per
turn (play the choice through the engine, append it to the score log, close the log
when the conversation ends or is abandoned) happens here, so it is the same whatever
screen or test drives it, and it can be tested without a terminal.

The core (engine, loader, logs) is imported where it is first used, not at import
time: the first frame of the app then appears without waiting for pydantic and the
scenario models, and the home screen loads the library in a worker behind it.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from threading import Thread

    from simulator.engine.catalog import Catalog
    from simulator.engine.session import Session, SessionResult
    from simulator.engine.state import Option, Turn
    from simulator.engine.story import SessionStory
    from simulator.engine.walkout import WalkoutRule
    from simulator.logs.reader import SessionSummary
    from simulator.logs.writer import SessionLog
    from simulator.scenario.library import Library
    from simulator.scenario.loader import LoadedScenario
    from simulator.scenario.models import Choice

Mode = Literal["practice", "assessment"]


@dataclass(frozen=True)
class GameConfig:
    """Everything the command line can decide about a run of the app."""

    trainee: str | None = None
    """From `--trainee` or the remembered settings; None asks on the sign-in screen."""
    mode: Mode = "practice"
    seed: int | None = None
    """Fixes the choice order of every session (`--seed`); None draws a fresh seed each."""
    log_dir: Path | None = None
    """`--log-dir`; None lets the log writer pick its default (env or per-user folder)."""
    library_dir: Path | None = None
    """A scenarios folder; None means the bundled library."""
    room: Path | None = None
    """A training room's folder (`simulator serve`): every visitor signs in as themselves,
    and each trainee's settings are kept there rather than in the server account's."""
    start_with: LoadedScenario | None = None
    """`simulator play SCENARIO`: open straight on this scenario after sign-in."""
    team: str | None = None
    """The trainee's team from settings, recorded in every session's log."""
    recall: bool = False
    """`--recall`: type each reply before seeing the options (the home screen toggles it)."""


@dataclass(frozen=True)
class PastSession:
    """A logged session told for a debrief in the history."""

    story: SessionStory
    walkout: WalkoutRule | None
    note: str | None
    """Why some wording is missing (the scenario changed or is gone), else None."""
    loaded: LoadedScenario | None
    """The scenario exactly as played, or None."""


@dataclass(frozen=True)
class Record:
    """A trainee's standing on one scenario, for the picker."""

    best: int | None = None
    attempts: int = 0


@dataclass
class Run:
    """One conversation being played: the engine's session and its score log."""

    session: Session
    log: SessionLog
    mode: Mode
    trainee: str
    parent_session: str | None = None
    branch_turn: int | None = None
    result: SessionResult | None = None
    abandoned: bool = False
    reflection: str | None = None
    log_error: str | None = None
    """The first problem writing the log; play goes on, the screen tells the trainee."""
    recall: bool = False
    """Recall mode: each turn starts with an empty reply box instead of the options."""
    restarted: bool = False
    """A retry or a retry from a turn: leaving it when finished shows its debrief."""
    thinking: Thread | None = None
    """The engine judging the choices on offer while the trainee reads (`think_ahead`)."""

    @property
    def loaded(self) -> LoadedScenario:
        return self.session.loaded

    @property
    def coaching(self) -> bool:
        return self.mode == "practice"

    @property
    def over(self) -> bool:
        return self.result is not None or self.abandoned

    def choose(
        self, choice_id: str, typed: str | None = None, match: dict[str, Any] | None = None
    ) -> Turn:
        """Play one choice, log it, and close the log as soon as the conversation ends.

        In recall mode `typed` and `match` (the first reply of the turn and what it
        matched) go into the turn record with it.
        """
        turn = self.session.choose(choice_id, typed=typed, match=match)
        self._write(lambda: self.log.turn(turn))
        if self.session.finished:
            result = self.result = self.session.result()
            self._write(lambda: self.log.end(result))
            self._deliver()
        else:
            self.think_ahead()
        return turn

    def think_ahead(self) -> None:
        """Judge the next choices while the customer's line is read (Session.think_ahead)."""
        self.thinking = self.session.think_ahead()

    def _deliver(self) -> None:
        """Hand the ended session to the LRS, when one is set (a detached `send`)."""
        if self.log.path is not None and self.log_error is None:
            from simulator.logs.send import send_in_background

            send_in_background(self.log.path)

    def _write(self, write: Callable[[], None]) -> None:
        """Log, but never lose the conversation over a full disk: keep the first error."""
        from simulator.logs.writer import LogError

        try:
            write()
        except (LogError, OSError) as exc:
            self.log_error = self.log_error or str(exc)

    def abandon(self) -> None:
        """Log a conversation left before its ending as abandoned, and close its log file."""
        if not self.over:
            self.abandoned = True
            self._write(self.log.abandon)
            self._deliver()
        self.log.close()

    def reflect(self, text: str) -> None:
        """Save the trainee's one-line reflection with the finished session."""
        self.reflection = text
        self._write(lambda: self.log.reflect(text))

    def say_of(self, node: str, choice_id: str) -> str:
        """What the trainee would have said: the text of a choice at a node."""
        choice = self.choice_at(node, choice_id)
        return choice.say if choice else choice_id

    def choice_at(self, node: str, choice_id: str) -> Choice | None:
        scenario_node = self.loaded.scenario.nodes.get(node)
        if scenario_node is None:
            return None
        return next((c for c in scenario_node.choices if c.id == choice_id), None)

    def hint(self) -> Option | None:
        """The engine's best move from here, for a practice hint; None once it is over."""
        from simulator.engine.story import best_option

        return best_option(self.session)


class Game:
    """The scenario library, the trainee and the score logs of one app run."""

    def __init__(
        self,
        config: GameConfig,
        *,
        draw_seed: Callable[[], int] | None = None,
    ) -> None:
        self.config = config
        self.trainee: str | None = config.trainee
        self.mode: Mode = config.mode
        self.recall: bool = config.recall
        """The trainee's recall setting for the next session started (home screen: r)."""
        self._draw_seed = draw_seed or (lambda: random.SystemRandom().randrange(2**31))
        self._library: Library | None = None
        self._catalog: Catalog | None = None
        self.current: Run | None = None

    @property
    def library(self) -> Library:
        if self._library is None:
            from simulator.scenario.library import load_library

            self._library = load_library(self.config.library_dir)
        return self._library

    @property
    def library_folder(self) -> Path:
        """The folder the library is read from, named when it turns out empty."""
        from simulator.bundled import bundled_dir

        return self.config.library_dir or bundled_dir()

    @property
    def catalog(self) -> Catalog:
        if self._catalog is None:
            from simulator.engine.catalog import load_catalog

            self._catalog = load_catalog()
        return self._catalog

    def seed(self) -> int:
        return self.config.seed if self.config.seed is not None else self._draw_seed()

    def start(self, loaded: LoadedScenario, mode: Mode | None = None) -> Run:
        """A fresh conversation with a new seed (unless `--seed` fixed it), logged.

        Raises `LogError` (one line for the trainee) when the log cannot be created.
        """
        from simulator.engine.session import Session

        session = Session(loaded, seed=self.seed())
        return self._open(session, mode or self.mode)

    def recall_for(self, loaded: LoadedScenario, mode: Mode) -> bool:
        """The trainee's setting, unless the scenario requires recall (always, or here)."""
        from simulator.matching.policy import recall_required

        return self.recall or recall_required(loaded.scenario, mode)

    def retry(self, run: Run) -> Run:
        """The same scenario again from the top, in the same mode."""
        again = self.start(run.loaded, run.mode)
        again.restarted = True
        return again

    def branch(self, run: Run, turn_number: int) -> Run:
        """The road not taken: the conversation exactly as it stood before that turn.

        Always practice (it is exploration, not a test), linked to the original.
        """
        session = run.session.rewind(turn_number)
        branch = self._open(
            session,
            "practice",
            parent_session=run.session.session_id,
            branch_turn=turn_number,
        )
        branch.restarted = True
        return branch

    def _open(
        self,
        session: Session,
        mode: Mode,
        *,
        parent_session: str | None = None,
        branch_turn: int | None = None,
    ) -> Run:
        from simulator.logs.writer import SessionLog

        trainee = self.trainee or "trainee"
        log = SessionLog.open(
            session,
            trainee=trainee,
            mode=mode,
            log_dir=self.config.log_dir,
            parent_session=parent_session,
            branch_turn=branch_turn,
            kind="branch" if parent_session else "play",
            team=self.config.team,
        )
        self.close()
        self.current = Run(session, log, mode, trainee, parent_session, branch_turn)
        self.current.recall = self.recall_for(session.loaded, mode)
        self.current.think_ahead()
        return self.current

    def close(self) -> None:
        """Before the next run or on exit: a conversation in progress is logged as abandoned.

        A finished one just has its log file closed (a reflection could still follow
        until then).
        """
        if self.current is not None:
            self.current.abandon()
            self.current = None

    def history(self) -> list[SessionSummary]:
        """This trainee's past sessions, oldest first."""
        from simulator.logs.reader import read_sessions
        from simulator.logs.writer import default_log_dir

        folder = self.config.log_dir or default_log_dir()
        if not folder.is_dir():
            return []  # nothing played yet; the reader would warn about the folder
        from simulator.logs.select import counts_as_play

        return [
            s for s in read_sessions([folder]) if s.trainee == self.trainee and counts_as_play(s)
        ]

    def past(self, summary: SessionSummary) -> PastSession:
        """A past session from its log, worded from the scenario when it is unchanged.

        The log is the record: moods, ratings and reasons come from it. The scenario
        only supplies what the log did not keep (the customer's lines, the better
        reply's words), and only when its file is byte-for-byte the one played.
        """
        from simulator.engine.story import logged_story
        from simulator.engine.walkout import walkout_rule
        from simulator.logs.reader import parse_log
        from simulator.logs.replay import locate_scenario

        records = parse_log(summary.path).records if summary.path is not None else []
        start = next((r for r in records if r.get("type") == "session_started"), {})
        loaded = locate_scenario(start) if start else None
        note = None
        if loaded is None:
            note = "The scenario is no longer available: showing what the log recorded."
        elif loaded.sha256 != start.get("scenario_sha256"):
            note = "The scenario has changed since: the customer's lines are not shown."
            loaded = None
        story = logged_story(records, loaded)
        return PastSession(story, walkout_rule(loaded) if loaded else None, note, loaded)

    def records(self) -> dict[str, Record]:
        """Best finished score and attempts per scenario id, for the picker."""
        records: dict[str, Record] = {}
        for summary in self.history():
            old = records.get(summary.scenario, Record())
            best = old.best
            if summary.score is not None and summary.status != "abandoned":
                best = summary.score if best is None else max(best, summary.score)
            records[summary.scenario] = Record(best, old.attempts + 1)
        return records
