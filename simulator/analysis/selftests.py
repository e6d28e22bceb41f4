"""Run a scenario's own `tests:`: scripted paths with expectations about the end.

Trainers pin what a scenario must teach ("owning it resolves the call") next to
the scenario itself; a failed expectation reports the path, what was expected
and what happened, so the fix is obvious.
"""

from __future__ import annotations

from dataclasses import dataclass

from simulator.engine.machine import ChoiceError, rules_for
from simulator.engine.mood import Mood
from simulator.engine.session import Session, SessionResult
from simulator.problems import Problem
from simulator.scenario.loader import LoadedScenario
from simulator.scenario.models import SelfTest


@dataclass(frozen=True)
class SelfTestOutcome:
    """One self-test's verdict: `failures` is empty when it passed."""

    index: int
    test: SelfTest
    failures: tuple[str, ...]
    result: SessionResult | None

    @property
    def passed(self) -> bool:
        return not self.failures


def _start_mood(test: SelfTest, default: Mood) -> Mood:
    state = test.state
    if state is None:
        return default
    anger = state.anger if state.anger is not None else default.anger
    trust = state.trust if state.trust is not None else default.trust
    return Mood(anger, trust)


def _expectation_failures(test: SelfTest, result: SessionResult) -> list[str]:
    e = test.expect
    failures: list[str] = []
    if result.ending is None:
        failures.append(
            f"the path stops at '{result.turns[-1].after.node if result.turns else '-'}'"
            " before any ending"
        )
    if e.ending is not None and result.ending != e.ending:
        failures.append(f"expected ending '{e.ending}', got '{result.ending}'")
    if e.outcome is not None and result.outcome != e.outcome:
        failures.append(f"expected outcome '{e.outcome}', got '{result.outcome}'")
    actual = result.score.score
    if e.min_score is not None and actual < e.min_score:
        failures.append(f"expected score >= {e.min_score}, got {actual}")
    if e.max_score is not None and actual > e.max_score:
        failures.append(f"expected score <= {e.max_score}, got {actual}")
    if e.max_anger is not None and result.end.anger > e.max_anger:
        failures.append(f"expected anger <= {e.max_anger}, got {result.end.anger}")
    if e.min_trust is not None and result.end.trust < e.min_trust:
        failures.append(f"expected trust >= {e.min_trust}, got {result.end.trust}")
    return failures


def run_self_tests(loaded: LoadedScenario) -> list[SelfTestOutcome]:
    outcomes = []
    for index, test in enumerate(loaded.scenario.tests):
        default = rules_for(loaded).start_mood
        session = Session(loaded, seed=0, start_mood=_start_mood(test, default))
        try:
            result: SessionResult | None = session.play(list(test.choices))
            failures = _expectation_failures(test, result) if result else []
        except ChoiceError as exc:
            result, failures = None, [str(exc)]
        outcomes.append(SelfTestOutcome(index, test, tuple(failures), result))
    return outcomes


def self_test_problems(
    loaded: LoadedScenario, outcomes: list[SelfTestOutcome] | None = None
) -> list[Problem]:
    """Failed self-tests as problems pointing at the test in the file.

    Pass `outcomes` already run (the checker also reports them as data) to avoid
    playing every test twice.
    """
    problems = []
    for outcome in run_self_tests(loaded) if outcomes is None else outcomes:
        if outcome.passed:
            continue
        mark = loaded.mark(("tests", outcome.index))
        path = " -> ".join(outcome.test.choices) or "(no choices)"
        message = (
            f"self-test '{outcome.test.name}' failed: {'; '.join(outcome.failures)} (path: {path})"
        )
        problems.append(Problem(loaded.file, mark.line, mark.column, message))
    return problems
