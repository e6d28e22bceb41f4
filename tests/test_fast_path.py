"""The quiet fast path and the session agree: same moods, endings and scores, every turn.

The analysis (and judging by consequence) play through `simulator.engine.moves`; trainees
play through a Session and its `transitions` machine. Both are built from the same
pieces, and these tests hold them to it on random walks over every bundled scenario
and on random single steps of the engine.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.bundled import bundled_dir
from simulator.engine.machine import rules_for
from simulator.engine.mood import Memory, Mood, MoodEngine, Step, Traits
from simulator.engine.moves import advance, credited
from simulator.engine.outlook import Outlook, outlook_for, rank
from simulator.engine.scoring import credits_follow_up, path_score
from simulator.engine.session import Session
from simulator.engine.space import Packed
from simulator.scenario.library import scenario_files
from simulator.scenario.loader import LoadedScenario, load_scenario_file

WALKS = 40
MAX_TURNS = 60
BUNDLED = scenario_files([bundled_dir()])


def load(path: Path) -> LoadedScenario:
    loaded = load_scenario_file(path).loaded
    assert loaded is not None
    return loaded


def test_every_bundled_scenario_is_walked() -> None:
    assert len(BUNDLED) >= 10


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.stem)
def test_random_walks_agree_with_the_session(path: Path) -> None:
    loaded = load(path)
    rules = rules_for(loaded)
    outlook = outlook_for(rules)
    rng = random.Random(path.stem)
    for walk in range(WALKS):
        session = Session(loaded, seed=walk)
        state = session.state
        ratings = 0.0
        followed = False
        while not session.finished and len(session.turns) < MAX_TURNS:
            offered = rules.choices_at(state)
            assert {c.id for c in offered} == {c.id for c in session.choices()}
            choice = rng.choice(offered)
            # The analysis's rating: the outlook's, on the packed state (the merge rule).
            edges = {edge[0]: edge for edge in outlook.edges(outlook.space.pack(state))}
            assert list(edges) == [c.id for c in offered]
            rating = edges[choice.id][1]
            fast = advance(rules, state, choice)
            pure = rules.play(state, choice, explain=False).after
            turn = session.choose(choice.id)
            assert fast == turn.after == pure
            assert outlook.space.pack(fast) == edges[choice.id][2]
            assert rating == turn.rating
            assert credited(rules, state, choice) == credits_follow_up(turn.effects)
            ratings += rating
            followed = followed or credited(rules, state, choice)
            state = fast
        result = session.result()
        assert state == session.state
        assert rules.is_final(state) == (result.ending is not None)
        if result.ending is None:
            continue
        outcome = "failed_compliance" if state.compliance_violation else None
        outcome = outcome or rules.endings[state.node].outcome
        assert outcome == result.outcome
        score = path_score(
            ratings,
            len(session.turns),
            session.start_state.mood,
            state.mood,
            outcome,
            followed_up=followed,
            compliance_violation=state.compliance_violation,
        )[0]
        assert score == result.score.score


ENGINE = MoodEngine()
TECHNIQUES = sorted(ENGINE.catalog.techniques)
COUNTS = st.dictionaries(st.sampled_from(TECHNIQUES), st.integers(1, 6), max_size=6)


@settings(max_examples=300, deadline=None)
@given(
    anger=st.integers(0, 100),
    trust=st.integers(0, 100),
    counts=COUNTS,
    heard=st.booleans(),
    solution=st.booleans(),
    helped=st.booleans(),
    streak=st.integers(0, 5),
    techniques=st.lists(st.sampled_from(TECHNIQUES), min_size=0, max_size=4),
    flags=st.frozensets(st.sampled_from(["abusive", "improper_demand", "needs_authority"])),
    patience=st.floats(0, 1),
    volatility=st.floats(0, 1),
    abusive=st.booleans(),
    author=st.tuples(st.integers(-20, 20), st.integers(-20, 20)),
)
def test_a_quiet_step_is_the_explained_step_without_reasons(
    anger: int,
    trust: int,
    counts: dict[str, int],
    heard: bool,
    solution: bool,
    helped: bool,
    streak: int,
    techniques: list[str],
    flags: frozenset[str],
    patience: float,
    volatility: float,
    abusive: bool,
    author: tuple[int, int],
) -> None:
    memory = Memory(tuple(sorted(counts.items())), heard, solution, helped, streak)
    traits = Traits(patience=patience, volatility=volatility, abusive=abusive)

    def step(explain: bool) -> Step:
        return ENGINE.step(
            Mood(anger, trust),
            memory,
            techniques,
            flags=flags,
            traits=traits,
            author_anger=author[0],
            author_trust=author[1],
            explain=explain,
        )

    loud, quiet = step(True), step(False)
    assert quiet.effects == ()
    assert (quiet.mood, quiet.memory, quiet.flags) == (loud.mood, loud.memory, loud.flags)
    assert quiet.compliance_violation == loud.compliance_violation
    assert quiet.followed_up == loud.followed_up == credits_follow_up(loud.effects)
    total = (sum(e.anger for e in loud.effects), sum(e.trust for e in loud.effects))
    assert total == (loud.mood.anger - anger, loud.mood.trust - trust)


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.stem)
def test_a_glance_is_the_moves_without_packing(path: Path) -> None:
    """The lookahead's last move (`Space.glance`) lands where `Space.moves` does, at the
    same anger and compliance, with the same own value, on the first 2,000 states."""
    space = outlook_for(rules_for(load(path))).space
    queue, seen = [space.start()], {space.start()}
    while queue and len(seen) < 2_000:
        state = queue.pop(0)
        moves = space.moves(state)
        glanced = space.glance(state)
        assert glanced == [(c, own, after[0], after[1], after[9]) for c, own, after, _, _ in moves]
        for _, _, after, _, _ in moves:
            if after not in seen and not space.is_final(after):
                seen.add(after)
                queue.append(after)


_Lines = dict[tuple[Packed, int], tuple[int, str | None]]


def _reference_line(
    outlook: Outlook, state: Packed, depth: int, memo: _Lines
) -> tuple[int, str | None]:
    """The bounded lookahead written plainly, from the module's own definition: the best
    continuation's value and ending looking `depth` moves ahead, by the tie rule."""
    found = memo.get((state, depth))
    if found is not None:
        return found
    space = outlook.space
    failed = outlook.rules.catalog.scoring.ending_values["failed_compliance"]
    moves = space.moves(state)
    any_helpful = any(c.helpful for c, _, _, _, _ in moves)
    best: tuple[tuple[int, ...], str, tuple[int, str | None]] | None = None
    for c, own, after, _, _ in moves:
        if space.is_final(after):
            then: tuple[int, str | None] = (outlook.ending_value(after)[0], after[0])
        elif after[9]:
            then = (failed, None)
        elif depth <= 1:
            then = (0, None)
        else:
            then = _reference_line(outlook, after, depth - 1, memo)
        value = own + then[0]
        key = rank(
            helpful=c.helpful,
            value=value,
            harmful=c.harmful,
            now=own,
            size=c.size,
            any_helpful=any_helpful,
        )
        if best is None or key > best[0] or (key == best[0] and c.id < best[1]):
            best = (key, c.id, (value, then[1]))
    found = (0, None) if best is None else best[2]
    memo[(state, depth)] = found
    return found


@pytest.mark.parametrize("stem", ["customs-invoice", "vip-wants-a-vp"])
def test_the_bounded_lookahead_is_its_definition(stem: str) -> None:
    """The memoised search (settled lines, the glance at its last move) gives what the
    plain definition gives, on the first states of the scenarios judged by a lookahead."""
    (path,) = [p for p in BUNDLED if p.stem == stem]
    outlook = outlook_for(rules_for(load(path)))
    if outlook.exact:
        pytest.fail(f"{stem} is judged exactly now: pick a scenario judged by a lookahead")
    memo: _Lines = {}
    queue, seen = [outlook.space.start()], {outlook.space.start()}
    while queue and len(seen) < 60:
        state = queue.pop(0)
        line = outlook.line(state)
        assert (line.value, line.ending) == _reference_line(outlook, state, outlook.horizon, memo)
        for _, _, after, _, _ in outlook.space.moves(state):
            if after not in seen and not outlook.space.is_final(after):
                seen.add(after)
                queue.append(after)
