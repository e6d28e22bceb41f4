"""Line-based play for screen readers, pipes and terminals without a full-screen UI.

Only reads input, prints, and calls the session API: no mood is computed here.
"""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Callable, Sequence
from typing import TextIO

from simulator.engine.bands import anger_band, trust_band
from simulator.engine.session import Session, SessionResult
from simulator.engine.state import Turn
from simulator.matching import Match
from simulator.matching.matcher import Offered
from simulator.matching.recall import recall_score
from simulator.matching.turn import REFUSED, Answer, RecallTurn
from simulator.scenario.loader import LoadedScenario
from simulator.text import literal

Ask = Callable[[str], str]


class PlainGame:
    """One interactive session over text streams (stdin/stdout by default)."""

    def __init__(
        self,
        session: Session,
        out: TextIO,
        ask: Ask,
        *,
        coaching: bool = True,
        recall: bool = False,
    ) -> None:
        self.session = session
        self.out = out
        self.ask = ask
        self.coaching = coaching
        self.recall = recall
        """Type each reply first (`--plain --recall`); the options show only after it."""

    def say(self, text: str = "", *, indent: str = "", hanging: str | None = None) -> None:
        """Print word-wrapped to the terminal, so no word is split at the edge."""
        if not text:
            print(file=self.out, flush=True)
            return
        width = max(40, min(shutil.get_terminal_size((80, 24)).columns, 100) - 1)
        lines = textwrap.wrap(
            " ".join(text.split()),
            width=width,
            initial_indent=indent,
            subsequent_indent=indent if hanging is None else hanging,
        )
        print("\n".join(lines), file=self.out, flush=True)

    def run(self) -> SessionResult:
        """Play until an ending; EOF or Ctrl-C propagate for the caller to log."""
        s = self.session.loaded.scenario
        self.say(f"== {literal(s.title)} ==")
        self.say(literal(s.summary))
        self.say(f"You are talking to {literal(s.customer.name)}, {literal(s.customer.role)}.")
        while not self.session.finished:
            self.show_turn()
            if self.recall:
                answer = self.pick_typed()
                turn = self.session.choose(answer.choice, typed=answer.typed, match=answer.match)
            else:
                turn = self.session.choose(self.pick())
            self.report(turn)
        result = self.session.result()
        self.debrief(result)
        return result

    def show_turn(self) -> None:
        line = self.session.line
        self.say()
        if line.phase:
            self.say(f"[{line.phase.replace('_', ' ')}]")
        if line.cue:
            self.say(f"({literal(line.cue)})")
        name = literal(self.session.loaded.scenario.customer.name)
        self.say(f"{name}: {literal(line.say).strip()}")
        self.say(self.mood_line(), indent="   ")
        if not self.recall:
            self.list_choices(self.session.choices())

    def list_choices(self, choices: Sequence[Offered], marked: str | None = None) -> None:
        for number, choice in enumerate(choices, start=1):
            mark = " <- closest" if choice.id == marked else ""
            self.say(f"{number}. {literal(choice.say)}{mark}", indent="  ", hanging="     ")

    def pick_typed(self) -> Answer:
        """Recall mode: a typed reply, the move it matched, then confirm or pick another."""
        turn = RecallTurn(self.session.choices())
        typed = self.ask("Your reply (type what you would say): ")
        while True:
            if not typed.strip():
                typed = self.ask("Type what you would say to the customer: ")
                continue
            match = turn.type(typed)
            if match.choice is None:
                self.say(REFUSED + ".")
                self.list_choices(turn.choices)
                prompt = f"Pick [1-{len(turn.choices)}], or type another reply: "
            else:
                self.say_match(turn, match)
                self.list_choices(turn.choices, marked=match.choice)
                prompt = f"Enter to confirm, or pick another [1-{len(turn.choices)}]: "
            while True:
                answer = self.ask(prompt).strip()
                if not answer and match.choice is not None:
                    return turn.answer(match.choice)
                picked = turn.at(int(answer)) if answer.isdigit() else None
                if picked is not None:
                    return turn.answer(picked.id)
                if answer and not answer.isdigit():
                    typed = answer
                    break
                self.say(f"Please press Enter or type a number from 1 to {len(turn.choices)}.")

    def say_match(self, turn: RecallTurn, match: Match) -> None:
        best, second = match.best, match.runner_up
        assert best is not None
        chosen = turn.at(turn.number_of(best.choice))
        assert chosen is not None
        self.say(
            f"Closest move: {turn.number_of(best.choice)}. {literal(chosen.say)}", hanging="   "
        )
        if second is not None:
            other = turn.at(turn.number_of(second.choice))
            assert other is not None
            self.say(
                f"Runner-up: {turn.number_of(second.choice)}. {literal(other.say)}", hanging="   "
            )

    def mood_line(self) -> str:
        mood = self.session.mood
        return (
            f"mood: anger {mood.anger} ({anger_band(mood.anger)}), "
            f"trust {mood.trust} ({trust_band(mood.trust)})"
        )

    def pick(self) -> str:
        choices = self.session.choices()
        while True:
            answer = self.ask(f"Your response [1-{len(choices)}]: ").strip()
            if answer.isdigit() and 1 <= int(answer) <= len(choices):
                return choices[int(answer) - 1].id
            self.say(f"Please type a number from 1 to {len(choices)}.")

    def report(self, turn: Turn) -> None:
        before, after = turn.before.mood, turn.after.mood
        self.say(
            f"anger {before.anger} -> {after.anger} ({after.anger - before.anger:+d}), "
            f"trust {before.trust} -> {after.trust} ({after.trust - before.trust:+d})",
            indent="   ",
        )
        if self.coaching:
            for reason in turn.reasons:
                self.say(f"- {literal(reason)}", indent="   ", hanging="     ")
            if turn.feedback:
                self.say(f"coach: {literal(turn.feedback)}", indent="   ", hanging="     ")

    def debrief(self, result: SessionResult) -> None:
        self.say()
        if result.ending_say:
            self.say(
                f"{literal(self.session.loaded.scenario.customer.name)}: "
                f"{literal(result.ending_say).strip()}"
            )
        self.say(f"== Ending: {result.ending} ({result.outcome}) ==")
        self.say(f"Score: {result.score.score}/100 (grade {result.score.grade})")
        if result.score.principles:
            self.say(
                "Principles: "
                + ", ".join(
                    f"{family} {points}" for family, points in result.score.principles.items()
                )
            )
        for turn in result.turns:
            better = "" if turn.best.choice == turn.choice else f"; better: {turn.best.choice}"
            line = f"turn {turn.number}: {turn.choice} (rating {turn.rating:.0%}{better})"
            self.say(line, indent="  ", hanging="    ")
            if turn.typed is not None:
                understood = (turn.match or {}).get("choice") or "nothing (refused)"
                self.say(
                    f'you typed "{literal(turn.typed)}": matched {understood}; '
                    f"best {turn.best.choice}",
                    indent="    ",
                    hanging="      ",
                )
        recall = recall_score(turn.to_json() for turn in result.turns)
        if recall.percent is not None:
            self.say(
                f"Recall: {recall.recalled} of {recall.typed} typed replies already matched "
                f"the best move ({recall.percent}%)"
            )
        if result.debrief:
            self.say(literal(result.debrief).strip())


def pick_scenario(scenarios: Sequence[LoadedScenario], out: TextIO, ask: Ask) -> LoadedScenario:
    """Number the scenarios and ask for one (EOF propagates)."""
    print("Scenarios:", file=out)
    for number, loaded in enumerate(scenarios, start=1):
        s = loaded.scenario
        print(f"  {number}. {literal(s.title)} [{s.difficulty}, {s.channel}]", file=out)
    while True:
        answer = ask(f"Pick a scenario [1-{len(scenarios)}]: ").strip()
        if answer.isdigit() and 1 <= int(answer) <= len(scenarios):
            return scenarios[int(answer) - 1]
        print(f"Please type a number from 1 to {len(scenarios)}.", file=out)
