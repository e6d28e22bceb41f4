"""The one narrow API every front end plays through: TUI, plain, scripted, tests.

A Session is a start state plus the turns taken. It exposes what the customer
says, which choices are on offer (shuffled per session so nobody memorises
positions), `choose(id)`, whether it is over, the result, and the whole thing to
and from JSON, so a conversation can be resumed or rewound to any earlier turn.
"""

from __future__ import annotations

import contextlib
import random
import threading
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from simulator.engine.machine import ChoiceError, Rules, rules_for
from simulator.engine.mood import Mood
from simulator.engine.scoring import Score, judge, judged, options, score, unhappy_ending
from simulator.engine.state import State, Turn
from simulator.scenario.loader import LoadedScenario
from simulator.scenario.models import Choice, Ending, Node

__all__ = ["ChoiceError", "CustomerLine", "Session", "SessionResult", "ending_debrief"]


@dataclass(frozen=True)
class CustomerLine:
    """What the customer says now, and the stage direction around it."""

    node: str
    say: str
    cue: str | None
    phase: str | None


@dataclass(frozen=True)
class SessionResult:
    """Where a conversation ended and how it scored; `outcome` None means abandoned."""

    scenario: str
    title: str
    session_id: str
    seed: int
    ending: str | None
    outcome: str | None
    status: str
    """completed, walked_out or abandoned."""
    start: Mood
    end: Mood
    score: Score
    turns: tuple[Turn, ...]
    debrief: str | None
    ending_say: str | None
    unhappy: bool = False
    """Rule 16: a resolved ending reached in fury; the score and the debrief say so."""

    def to_json(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "title": self.title,
            "session_id": self.session_id,
            "seed": self.seed,
            "ending": self.ending,
            "outcome": self.outcome,
            "status": self.status,
            "score": self.score.score,
            "grade": self.score.grade,
            "score_parts": {
                "choice_quality": self.score.quality,
                "mood": self.score.mood,
                "outcome": self.score.outcome_points,
            },
            "anger": self.end.anger,
            "trust": self.end.trust,
            "start_anger": self.start.anger,
            "start_trust": self.start.trust,
            "principles": self.score.principles,
            "turns": [turn.to_json() for turn in self.turns],
            "ending_say": self.ending_say,
            "debrief": self.debrief,
            "unhappy": self.unhappy,
        }


class Session:
    """One trainee's conversation with one scenario."""

    def __init__(
        self,
        loaded: LoadedScenario,
        *,
        seed: int = 0,
        start_mood: Mood | None = None,
        session_id: str | None = None,
    ) -> None:
        self.loaded = loaded
        self.rules: Rules = rules_for(loaded)
        self.seed = seed
        self.session_id = session_id or uuid.uuid4().hex
        self.start_state = self.rules.initial_state(start_mood)
        self.state = self.start_state
        self.turns: list[Turn] = []
        self.listeners: list[Callable[[Turn], None]] = []
        """Called with every turn as soon as it is made (score logs attach here)."""

    # -------------------------------------------------------------- reading

    @property
    def scenario_id(self) -> str:
        return self.loaded.scenario.id

    @property
    def finished(self) -> bool:
        return self.rules.is_final(self.state)

    @property
    def node(self) -> Node | None:
        return self.loaded.scenario.nodes.get(self.state.node)

    @property
    def ending(self) -> Ending | None:
        return self.rules.endings.get(self.state.node)

    @property
    def mood(self) -> Mood:
        return self.state.mood

    @property
    def line(self) -> CustomerLine:
        node = self.node
        if node is not None:
            return CustomerLine(self.state.node, node.say, node.cue, node.phase)
        ending = self.ending
        return CustomerLine(
            self.state.node, ending.say if ending and ending.say else "", None, None
        )

    def choices(self) -> list[Choice]:
        """The choices on offer, in this session's shuffled order."""
        offered = self.rules.choices_at(self.state)
        random.Random(f"{self.seed}:{self.state.turn}:{self.state.node}").shuffle(offered)
        return offered

    @property
    def ready(self) -> bool:
        """The choices on offer are judged already: a choice now is played at once."""
        return self.finished or judged(self.rules, self.state)

    # -------------------------------------------------------------- playing

    def think_ahead(self) -> threading.Thread | None:
        """Judge the choices on offer now in a background thread, while the trainee reads.

        Judging by consequence looks moves ahead, and in a large scenario that takes a
        second or more (customs-invoice's first turn); done while the customer's line is
        on screen, the trainee's choice no longer waits for it. The outlook searches one
        at a time and remembers what it judged, so the choice either finds the options
        ready or waits only for the rest of this same search; the ratings are the same
        either way. The thread is a daemon: quitting never waits for it.
        """
        if self.ready:
            return None
        thread = threading.Thread(target=self._judge_now, name="think-ahead", daemon=True)
        thread.start()
        return thread

    def _judge_now(self) -> None:
        # Only a head start: the choice judges again in the caller's thread, and a
        # problem (there can be none the choice would not also meet) surfaces there.
        with contextlib.suppress(Exception):
            options(self.rules, self.state)

    def choose(
        self,
        choice_id: str,
        *,
        typed: str | None = None,
        match: Mapping[str, Any] | None = None,
    ) -> Turn:
        """Make a choice; raises ChoiceError with a one-line reason if it cannot be made.

        In recall mode `typed` is the trainee's own words and `match` what the matcher
        made of them; both ride on the turn, for the debrief and the log.
        """
        before = self.state
        choice = self.rules.choice(before, choice_id)
        # Every option is judged (the outlook, memoised), but only the chosen one is
        # played through the machine: playing them all cost two thirds of a turn.
        best, rating = judge(choice.id, options(self.rules, before))
        move = self.rules.advance(before, choice)
        turn = Turn(
            number=len(self.turns) + 1,
            node=before.node,
            choice=choice.id,
            say=choice.say,
            techniques=tuple(choice.techniques),
            before=before,
            after=move.after,
            effects=move.effects,
            feedback=choice.feedback,
            best=best,
            rating=rating,
            compliance_violation=move.compliance_violation,
            typed=typed,
            match=match,
        )
        self.turns.append(turn)
        self.state = move.after
        for listener in self.listeners:
            listener(turn)
        return turn

    def play(self, choice_ids: list[str]) -> SessionResult:
        """Play a script of choice ids; errors name the step that went wrong."""
        for step, choice_id in enumerate(choice_ids, start=1):
            try:
                self.choose(choice_id)
            except ChoiceError as exc:
                raise ChoiceError(f"choice {step} ('{choice_id}'): {exc}") from None
        return self.result()

    def rewind(self, turn_number: int) -> Session:
        """A new session standing exactly where this one stood before turn N (1-based)."""
        if not 1 <= turn_number <= len(self.turns):
            raise ChoiceError(f"there is no turn {turn_number} to go back to")
        branch = Session(self.loaded, seed=self.seed, start_mood=self.start_state.mood)
        branch.start_state = self.start_state
        branch.turns = list(self.turns[: turn_number - 1])
        branch.state = self.turns[turn_number - 1].before
        return branch

    # --------------------------------------------------------------- result

    def result(self) -> SessionResult:
        ending = self.ending
        outcome = ending.outcome if ending else None
        if ending is None:
            status = "abandoned"
        elif self.state.node == self.rules.walkout:
            status = "walked_out"  # at anger 100, or a reply the scenario routes to it
        else:
            status = "completed"
        if self.state.compliance_violation and ending is not None:
            outcome = "failed_compliance"
        s = self.loaded.scenario
        unhappy = ending is not None and unhappy_ending(outcome, self.state.mood)
        return SessionResult(
            scenario=s.id,
            title=s.title,
            session_id=self.session_id,
            seed=self.seed,
            ending=self.state.node if ending else None,
            outcome=outcome,
            status=status,
            start=self.start_state.mood,
            end=self.state.mood,
            score=score(
                self.turns,
                self.start_state.mood,
                self.state.mood,
                outcome,
                self.rules.catalog,
                compliance_violation=self.state.compliance_violation,
            ),
            turns=tuple(self.turns),
            debrief=self._debrief(ending, unhappy),
            ending_say=ending.say if ending else None,
            unhappy=unhappy,
        )

    def _debrief(self, ending: Ending | None, unhappy: bool) -> str | None:
        if ending is None:
            return None
        return ending_debrief(self.loaded, ending, unhappy=unhappy, anger=self.state.mood.anger)

    # ------------------------------------------------------------ snapshots

    def to_json(self) -> dict[str, Any]:
        """Enough to rebuild this session exactly: scenario hash, seed, and the choices."""
        return {
            "scenario": self.scenario_id,
            "sha256": self.loaded.sha256,
            "session_id": self.session_id,
            "seed": self.seed,
            "start": self.start_state.to_json(),
            "choices": [turn.choice for turn in self.turns],
            "state": self.state.to_json(),
        }

    @classmethod
    def from_json(cls, loaded: LoadedScenario, data: dict[str, Any]) -> Session:
        """Rebuild a session by replaying its choices from its start state.

        Replaying (rather than trusting the stored state) keeps the turn records and
        their judgements, and proves the snapshot still fits this scenario file.
        """
        if data.get("sha256") not in (None, loaded.sha256):
            raise ChoiceError("the scenario file has changed since this session was saved")
        start = State.from_json(data["start"])
        session = cls(loaded, seed=int(data.get("seed", 0)), session_id=data.get("session_id"))
        session.start_state = session.state = start
        session.play([str(c) for c in data.get("choices", [])])
        return session


def ending_debrief(
    loaded: LoadedScenario, ending: Ending, *, unhappy: bool, anger: int
) -> str | None:
    """The ending's debrief, led by rule 16's plain sentence when they left unhappy.

    One implementation for the live debrief and the replay of a logged session.
    """
    if not unhappy:
        return ending.debrief
    template = rules_for(loaded).catalog.scoring.unhappy_debrief
    plain = template.format_map({"name": loaded.scenario.customer.name, "anger": anger})
    return f"{plain}\n\n{ending.debrief}" if ending.debrief else plain
