"""The quiet fast path: pure moves over a compiled scenario, for code that only needs numbers.

A session plays through the `transitions` machine and asks the engine for reasons,
because the debrief shows them. Exhaustive analysis and judging by consequence play
millions of moves and read only where each leads, so they use these functions: the
same `Rules` pieces (the one mood step, the one list of routes, the one `enter`), with
no machine dispatch and no reason strings, and the mood step memoised because the
same mood, memory and choice recur across many paths.

- `advance(rules, state, choice)` -> the next `State` (pure; the input is unchanged);
- `quiet_step(rules, state, choice)` -> the engine's `Step` without effects, memoised;
- `credited(rules, state, choice)` -> whether that turn earns the follow-up credit.

`Rules.play(state, choice)` is the same turn with reasons, returning a `Move`;
tests/test_fast_path.py plays random walks through sessions and through `advance`
over every bundled scenario and requires the same moods, endings and scores.
"""

from __future__ import annotations

from simulator.engine.machine import Rules
from simulator.engine.mood import Step
from simulator.engine.state import State
from simulator.scenario.models import Choice

__all__ = ["advance", "credited", "quiet_step"]

MEMO_LIMIT = 200_000
"""Steps remembered per scenario before the memo starts again (bounded memory)."""


def quiet_step(rules: Rules, state: State, choice: Choice) -> Step:
    """The mood step of `choice` from `state`, without effects; memoised per scenario.

    The result depends only on the mood, memory, flags and the choice (rule 14), so those
    are the memo's key; the node is part of it because choice ids are unique per node.
    """
    memo = rules.quiet_memo
    key = (state.node, choice.id, state.mood, state.memory, state.flags)
    step = memo.get(key)
    if step is None:
        if len(memo) >= MEMO_LIMIT:
            memo.clear()
        step = memo[key] = rules.react(state.mood, state.memory, state.flags, choice, explain=False)
    return step


def advance(rules: Rules, state: State, choice: Choice) -> State:
    """Where one choice leads from a state: `Rules.play` without reasons or machine."""
    return rules.land(state, choice, quiet_step(rules, state, choice))


def credited(rules: Rules, state: State, choice: Choice) -> bool:
    """Whether this turn earns rule 13's follow-up credit (the session reads it from effects)."""
    return quiet_step(rules, state, choice).followed_up
