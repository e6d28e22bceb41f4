"""The exhaustive analysis agrees with brute force: every path played through a Session.

The analysis merges states and keeps only rating sums, which is where a subtle
mistake would hide; so on scenarios small enough to enumerate, every finished
conversation is played the slow, obvious way and the two must agree exactly.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from simulator.analysis.explore import _Search, analyse
from simulator.analysis.structure import Structure
from simulator.bundled import bundled_dir
from simulator.engine.machine import rules_for
from simulator.engine.session import Session
from simulator.engine.state import State
from simulator.scenario.loader import LoadedScenario, load_scenario_file

FIXTURES = Path(__file__).parent / "fixtures"
SMALL = [
    FIXTURES / "late-refund.yaml",
    FIXTURES / "check" / "no-fallback-ok.yaml",
    FIXTURES / "check" / "trap-ok.yaml",
    FIXTURES / "check" / "never-reached-ok.yaml",
    FIXTURES / "check" / "self-test-fails-ok.yaml",
]
BUNDLED_SMALL = ["abusive-caller", "upset-caller"]
PATH_LIMIT = 5_000


def load(path: Path) -> LoadedScenario:
    loaded = load_scenario_file(path).loaded
    assert loaded is not None
    return loaded


def every_path(loaded: LoadedScenario) -> Iterator[list[str]]:
    """Every finished choice sequence, depth first, straight from the machine."""
    rules = rules_for(loaded)
    stack: list[tuple[State, list[str]]] = [(rules.initial_state(), [])]
    while stack:
        state, path = stack.pop()
        if rules.is_final(state):
            yield path
            continue
        for choice in rules.choices_at(state):
            stack.append((rules.advance(state, choice).after, [*path, choice.id]))


@dataclass
class Brute:
    best: int
    worst: int
    longest: int
    paths: int
    endings: dict[str, set[str]]


def brute_force(loaded: LoadedScenario) -> Brute:
    scores: list[int] = []
    lengths: list[int] = []
    endings: dict[str, set[str]] = {}
    for path in every_path(loaded):
        assert len(scores) < PATH_LIMIT, "too many paths for brute force"
        result = Session(loaded).play(path)
        assert result.outcome is not None and result.ending is not None
        scores.append(result.score.score)
        lengths.append(len(path))
        endings.setdefault(result.outcome, set()).add(result.ending)
    return Brute(max(scores), min(scores), max(lengths), len(scores), endings)


def scenarios() -> list[Path]:
    bundled = [bundled_dir() / f"{name}.yaml" for name in BUNDLED_SMALL]
    return SMALL + [p for p in bundled if p.exists()]


@pytest.mark.parametrize("path", scenarios(), ids=lambda p: p.stem)
def test_analysis_matches_brute_force(path: Path) -> None:
    loaded = load(path)
    analysis = analyse(loaded)
    truth = brute_force(loaded)
    assert analysis.complete
    assert analysis.best is not None and analysis.worst is not None
    assert analysis.longest is not None
    assert analysis.best.score == truth.best
    assert analysis.worst.score == truth.worst
    assert len(analysis.longest.path) == truth.longest
    assert analysis.paths == truth.paths
    assert {k: set(v) for k, v in analysis.endings.items()} == truth.endings


@pytest.mark.parametrize("path", scenarios(), ids=lambda p: p.stem)
def test_reported_paths_replay_to_the_reported_numbers(path: Path) -> None:
    loaded = load(path)
    analysis = analyse(loaded)
    for extreme in (analysis.best, analysis.worst, analysis.longest):
        assert extreme is not None
        result = Session(loaded).play([choice for _, choice in extreme.path])
        assert result.score.score == extreme.score
        assert result.ending == extreme.ending
        assert result.outcome == extreme.outcome
        nodes = [turn.node for turn in result.turns]
        assert nodes == [node for node, _ in extreme.path]


@pytest.mark.parametrize("path", scenarios(), ids=lambda p: p.stem)
def test_merged_states_really_share_their_future(path: Path) -> None:
    """States the analysis treats as one offer the same choices, ratings and successors."""
    loaded = load(path)
    rules = rules_for(loaded)
    search = _Search(rules, Structure(loaded.scenario, rules.walkout))
    seen: dict[tuple[object, ...], list[tuple[str, float, tuple[object, ...]]]] = {}
    frontier = [rules.initial_state()]
    while frontier:
        following = []
        for state in frontier:
            if rules.is_final(state):
                continue
            edges = search.edges(state)
            signature = [(e.choice, e.rating, e.key) for e in edges]
            key = (*search.key(state), state.turn)
            assert seen.setdefault(key, signature) == signature, state
            following += [e.after for e in edges]
        frontier = following


def test_a_budget_gives_bounds_and_says_how_far_it_got() -> None:
    loaded = load(bundled_dir() / "upset-caller.yaml")
    full = analyse(loaded)
    cut = analyse(loaded, max_states=50)
    assert full.complete and not cut.complete
    assert cut.states <= 50
    assert full.longest is not None
    assert 0 < cut.complete_turns < len(full.longest.path)
    assert cut.paths <= full.paths
    assert cut.best is not None and full.best is not None
    assert cut.best.score <= full.best.score
    assert cut.worst is not None and full.worst is not None
    assert cut.worst.score >= full.worst.score
