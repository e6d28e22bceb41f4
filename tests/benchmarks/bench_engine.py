"""Engine cost per step and per session turn, against the machine's bare move.

A session turn plays every offered choice to judge the one made, so its cost is a
few engine steps plus `transitions` moves; the ratios show where the time goes.
Run with `make bench`; never part of `make test`.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from simulator.engine.machine import rules_for
from simulator.engine.mood import Memory, Mood, MoodEngine, Traits
from simulator.engine.session import Session
from simulator.scenario.library import resolve


def _median_us(action: Callable[[], object], *, calls: int = 2000, rounds: int = 7) -> float:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(calls):
            action()
        samples.append((time.perf_counter() - start) / calls * 1e6)
    return statistics.median(samples)


def test_engine_step_and_session_turn() -> None:
    engine = MoodEngine()
    memory = Memory(counts=(("apologize", 1), ("listen", 2)), heard=True, listen_streak=2)
    traits = Traits()
    loaded = resolve("upset-caller").loaded
    assert loaded is not None
    rules = rules_for(loaded)
    start = rules.initial_state()
    choice = rules.choices_at(start)[0]

    def step() -> object:
        return engine.step(
            Mood(70, 30), memory, ["apologize", "listen"], flags=frozenset(), traits=traits
        )

    def move() -> object:
        return rules.advance(start, choice)

    def turn() -> object:
        return Session(loaded, seed=1).choose(choice.id)

    step_us, move_us, turn_us = _median_us(step), _median_us(move), _median_us(turn, calls=300)
    print(
        f"\nengine step (2 techniques): {step_us:.1f} us median"
        f"\nmachine move (step + transitions): {move_us:.1f} us, {move_us / step_us:.1f}x a step"
        f"\nsession turn (judging {len(rules.choices_at(start))} options): {turn_us:.0f} us, "
        f"{turn_us / move_us:.1f}x a move, {turn_us / 16_667:.1%} of a 60 Hz frame"
    )
    assert step_us > 0


def test_outlook_first_judgement_per_scenario() -> None:
    """Rule 15's search, cold: what a scenario's first judged turn costs, and its size.

    The search is memoised per compiled scenario, so this is paid once per process;
    afterwards a turn costs about what it did with one-step judging.
    """
    from simulator.bundled import bundled_dir
    from simulator.engine.machine import Rules
    from simulator.engine.outlook import Outlook
    from simulator.scenario.library import scenario_files
    from simulator.scenario.loader import load_scenario_file

    lines = []
    for path in scenario_files([bundled_dir()]):
        loaded = load_scenario_file(path).loaded
        assert loaded is not None
        outlook = Outlook(Rules(loaded))
        started = time.perf_counter()
        outlook.state_options(outlook.rules.initial_state())
        seconds = time.perf_counter() - started
        size = len(outlook._exact) + len(outlook._memo)
        kind = "exact" if outlook.exact else f"{outlook.horizon}-move lookahead"
        lines.append(f"{loaded.scenario.id:28} {kind:16} {size:7,} states {seconds:6.2f}s")
    print("\n" + "\n".join(lines))
    assert lines
