"""Line-based play for screen readers, pipes and terminals without a full-screen UI.

Only reads input, prints, and calls the session API: no mood is computed here. It
says what the full-screen game says, in the same order and from the same module
(`engine.story`): the line you chose is echoed, the coach's lesson comes before the
meter change, `h` gives a hint, `d` the rule arithmetic, `?` the help, and the
debrief leads with the moments that mattered in words. Assessment mode shows band
words only, as the full-screen game does.
"""

from __future__ import annotations

import io
import shutil
import sys
import textwrap
from collections.abc import Callable, Sequence
from typing import Final, TextIO

from simulator.engine.bands import anger_band, trust_band
from simulator.engine.catalog import load_catalog
from simulator.engine.glossary import load_glossary
from simulator.engine.mood import Mood
from simulator.engine.session import Session, SessionResult
from simulator.engine.state import Turn
from simulator.engine.story import (
    TurnStory,
    best_option,
    better_would,
    hint_lines,
    moments,
    net,
    reasons,
    session_story,
    turn_story,
)
from simulator.engine.walkout import how_it_ended, reply_threshold, walkout_rule
from simulator.matching import Match
from simulator.matching.matcher import Offered
from simulator.matching.recall import recall_score
from simulator.matching.turn import REFUSED, Answer, RecallTurn
from simulator.scenario.loader import LoadedScenario
from simulator.text import literal, plural, unsurrogate

Ask = Callable[[str], str]

LINE_MAX: Final = 4_096
"""The longest answer read from a pipe; the rest of a longer line is read and dropped.

A terminal's own line editor stops near this; a pipe has no such limit, and `input()`
would hold a 1 GB line in memory (several times over, as bytes and as text)."""


def ask_line(prompt: str) -> str:
    """`input()` for a trainee's stdin: never a traceback, never an unbounded line.

    Undecodable bytes (a strict UTF-8 locale, a Latin-1 file piped in) arrive as
    U+FFFD instead of raising, and a piped line is cut at `LINE_MAX` characters.
    EOF still raises `EOFError`, for the caller to end the session.
    """
    stdin = sys.stdin
    if isinstance(stdin, io.TextIOWrapper) and stdin.errors == "strict":
        stdin.reconfigure(errors="surrogateescape")
    if stdin.isatty():
        return unsurrogate(input(prompt))
    print(prompt, end="", flush=True)
    line = stdin.readline(LINE_MAX)
    if not line:
        raise EOFError
    rest = line
    while rest and not rest.endswith("\n"):  # drop the rest of an over-long line
        rest = stdin.readline(LINE_MAX)
    return unsurrogate(line.rstrip("\r\n"))


def _quote(text: str | None) -> str:
    return f'"{literal(text or "").strip()}"'


def _number(answer: str) -> int | None:
    """The number typed, or None: `str.isdigit()` also says yes to "²", which `int()`
    refuses, and to 5,000 digits, past `int()`'s limit; both are just wrong answers."""
    return int(answer) if answer.isdecimal() and len(answer) <= 6 else None


def _arrow(change: int) -> str:
    return "up" if change > 0 else "down" if change < 0 else "no change"


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
        echo_input: bool = False,
    ) -> None:
        self.session = session
        self.out = out
        self.ask = ask
        self.coaching = coaching
        self.recall = recall
        """Type each reply first (`--plain --recall`); the options show only after it."""
        self.echo_input = echo_input
        """Piped input is not echoed by the terminal: print each answer after its prompt."""
        self.last: TurnStory | None = None
        self.walkout = walkout_rule(session.loaded)
        self.name = literal(session.loaded.scenario.customer.name)

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
        self.say(f"You are talking to {self.name}, {literal(s.customer.role)}.")
        keys = "h hint, d details of the last turn, ? help" if self.coaching else "? help"
        self.say(f"Type the number of your reply ({keys}).")
        while not self.session.finished:
            self.session.think_ahead()  # judged while the trainee reads and types
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
        self.say(f"{self.name}: {literal(line.say).strip()}")
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
                number = _number(answer)
                picked = turn.at(number) if number is not None else None
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
        warning = self.walkout.warning(mood.anger)
        tail = f"; careful: {warning}" if warning else ""
        if not self.coaching:
            return f"mood: {anger_band(mood.anger)}, {trust_band(mood.trust)}{tail}"
        return (
            f"mood: anger {mood.anger} ({anger_band(mood.anger)}), "
            f"trust {mood.trust} ({trust_band(mood.trust)}){tail}"
        )

    def pick(self) -> str:
        choices = self.session.choices()
        while True:
            answer = self.ask(f"Your response [1-{len(choices)}, ? help]: ").strip().lower()
            if self.echo_input:  # what was typed is data: no control reaches the terminal
                print(literal(answer), file=self.out, flush=True)
            number = _number(answer)
            if number is not None and 1 <= number <= len(choices):
                return choices[number - 1].id
            if answer in ("?", "help"):
                self.help()
            elif answer == "h":
                self.hint()
            elif answer == "d":
                self.details()
            else:
                self.say(f"Please type a number from 1 to {len(choices)}. (? for help)")

    # ------------------------------------------------------------- asides

    def help(self) -> None:
        self.say("Type the number of a reply and press Enter.", indent="   ")
        if self.coaching:
            self.say(
                "h: what the customer needs now (not which reply). d: how the rules added up "
                "on your last reply.",
                indent="   ",
            )
        self.say(
            "Anger: calm, uneasy, frustrated, angry, furious. Trust: distrustful, guarded, "
            "confident.",
            indent="   ",
        )
        self.say(self.walkout.sentence(self.name), indent="   ", hanging="   ")

    def hint(self) -> None:
        option = best_option(self.session)
        if not self.coaching or option is None:
            self.say("No hints in assessment mode.", indent="   ")
            return
        self.say("Hint: what would help most now:", indent="   ")
        for line in hint_lines(option.techniques, load_catalog()):
            self.say(f"- {line}", indent="   ", hanging="     ")

    def details(self) -> None:
        if not self.coaching or self.last is None:
            self.say(
                "No details yet." if self.coaching else "No details in assessment mode.",
                indent="   ",
            )
            return
        self.say(f"Turn {self.last.number}: how the rules added up", indent="   ")
        for item in reasons(self.last.effects, load_catalog(), load_glossary()):
            change = ", ".join(
                f"{n} {v:+d}" for n, v in (("anger", item.anger), ("trust", item.trust)) if v
            )
            rule = f"{item.rule}: " if item.rule else ""
            source = f" (from {'; '.join(item.sources)})" if item.sources else ""
            self.say(
                f"- {item.what}: {change or 'no change'}; {rule}{item.why}{source}",
                indent="   ",
                hanging="     ",
            )
        anger, trust = net(self.last.effects)
        self.say(f"= net: anger {anger:+d}, trust {trust:+d}", indent="   ")

    # ------------------------------------------------------------- turns

    def report(self, turn: Turn) -> None:
        """Echo the reply, then (practice) the lesson first and the meter change after it."""
        self.last = turn_story(turn, self.session.loaded)
        self.say(f"You: {_quote(turn.say)}", indent="   ", hanging="     ")
        before, after = turn.before.mood, turn.after.mood
        if not self.coaching:
            self.say(
                f"anger {_arrow(after.anger - before.anger)} ({anger_band(after.anger)}), "
                f"trust {_arrow(after.trust - before.trust)} ({trust_band(after.trust)})",
                indent="   ",
            )
            return
        story = self.last
        if story.feedback or story.because:
            coach = literal(story.feedback or story.because or "")
            self.say(f"Coach: {coach}", indent="   ", hanging="     ")
        if story.best:
            self.say("The best move on offer.", indent="   ")
        else:
            better = _quote(story.better_say) if story.better_say else "another reply"
            self.say(f"Better here: {better}", indent="   ", hanging="     ")
        self.say(
            f"anger {before.anger} -> {after.anger} ({after.anger - before.anger:+d}), "
            f"trust {before.trust} -> {after.trust} ({after.trust - before.trust:+d}); "
            "d for details",
            indent="   ",
        )

    def debrief(self, result: SessionResult) -> None:
        story = session_story(
            result, self.session.loaded, mode="practice" if self.coaching else "assessment"
        )
        titles = {fid: family.title for fid, family in load_catalog().families.items()}
        self.say()
        if result.ending_say:
            self.say(f"{self.name}: {literal(result.ending_say).strip()}")
        ending = literal(result.ending or "").replace("-", " ")
        self.say(f"== Ending: {ending} ({(result.outcome or 'over').replace('_', ' ')}) ==")
        self.say(f"Score: {result.score.score}/100 (grade {result.score.grade})")
        if story.walked_out:
            last = result.turns[-1]
            threshold = reply_threshold(self.session.loaded, last.node, last.choice)
            self.say(how_it_ended(self.walkout, self.name, result.end.anger, threshold))
        typed = [played for played in result.turns if played.typed is not None]
        for played in result.turns if typed else ():
            self.say(f"turn {played.number}: {played.choice}", indent="  ")
            if played.typed is not None:
                understood = (played.match or {}).get("choice") or "nothing (refused)"
                self.say(
                    f'you typed "{literal(played.typed)}": matched {understood}; '
                    f"best {played.best.choice}",
                    indent="    ",
                    hanging="      ",
                )
        recall = recall_score(played.to_json() for played in result.turns)
        if recall.percent is not None:
            self.say(
                f"Recall: {recall.recalled} of {recall.typed} typed replies already matched "
                f"the best move ({recall.percent}%)"
            )
        if result.debrief:
            self.say(literal(result.debrief).strip())
        self.say()
        self.say("The moments that mattered most:")
        found = moments(story.turns)
        for turn in found:
            self.say(
                f"Turn {turn.number}. You said: {_quote(turn.said)}", indent="  ", hanging="    "
            )
            better = _quote(turn.better_say) if turn.better_say else "another reply"
            self.say(f"Better: {better}", indent="    ", hanging="      ")
            would = better_would(turn)
            if would:
                self.say(would, indent="    ", hanging="      ")
            if turn.feedback:
                self.say(f"Coach: {literal(turn.feedback)}", indent="    ", hanging="      ")
        if not found:
            self.say("Every reply was the best on offer.", indent="  ")
        if result.score.principles:
            ranked = sorted(result.score.principles.items(), key=lambda item: (item[1], item[0]))
            self.say(
                "Principles (weakest first): "
                + ", ".join(f"{titles.get(family, family)} {points}" for family, points in ranked)
            )
        self.say()
        self.say(f"Turn by turn ({plural(len(story.turns), 'turn')}):")
        for turn in story.turns:
            verdict = "best move on offer" if turn.best else "a better reply was on offer"
            self.say(
                f"{turn.number}. {_quote(turn.said)}: {verdict}; "
                f"{_mood(turn.before)} -> {_mood(turn.after)}",
                indent="  ",
                hanging="     ",
            )


def _mood(mood: Mood) -> str:
    return f"anger {mood.anger}, trust {mood.trust}"


def pick_scenario(scenarios: Sequence[LoadedScenario], out: TextIO, ask: Ask) -> LoadedScenario:
    """Number the scenarios (with the id `simulator play` takes) and ask for one."""
    print("Scenarios:", file=out)
    for number, loaded in enumerate(scenarios, start=1):
        s = loaded.scenario
        print(f"  {number}. {literal(s.title)} ({s.id}) [{s.difficulty}, {s.channel}]", file=out)
    while True:
        answer = ask(f"Pick a scenario [1-{len(scenarios)}]: ").strip()
        picked = _number(answer)
        if picked is not None and 1 <= picked <= len(scenarios):
            return scenarios[picked - 1]
        print(f"Please type a number from 1 to {len(scenarios)}.", file=out)
