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
from simulator.scenario.loader import LoadedScenario
from simulator.text import literal

Ask = Callable[[str], str]


class PlainGame:
    """One interactive session over text streams (stdin/stdout by default)."""

    def __init__(self, session: Session, out: TextIO, ask: Ask, *, coaching: bool = True) -> None:
        self.session = session
        self.out = out
        self.ask = ask
        self.coaching = coaching

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
            choice_id = self.pick()
            turn = self.session.choose(choice_id)
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
        for number, choice in enumerate(self.session.choices(), start=1):
            self.say(f"{number}. {literal(choice.say)}", indent="  ", hanging="     ")

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
