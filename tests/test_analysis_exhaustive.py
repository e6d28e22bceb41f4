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

from simulator.analysis.explore import analyse
from simulator.bundled import bundled_dir
from simulator.engine.machine import rules_for
from simulator.engine.mood import Mood
from simulator.engine.outlook import outlook_for
from simulator.engine.scoring import credits_follow_up, judge, offers, path_score, settled_turns
from simulator.engine.session import Session
from simulator.engine.state import State
from simulator.engine.structure import targets
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
    """The merge rule commutes with the real engine: from every reachable full state, the
    session's own offers, ratings and successors, packed, are the packed state's moves.

    So states the analysis treats as one really offer the same choices, ratings, credits
    and (merged) successors, whatever in their histories was dropped."""
    loaded = load(path)
    rules = rules_for(loaded)
    outlook = outlook_for(rules)
    space = outlook.space
    frontier = [rules.initial_state()]
    checked = 0
    while frontier:
        following = []
        for state in frontier:
            if rules.is_final(state):
                continue
            offered = offers(rules, state)
            options = [offer.option for offer in offered]
            real = [
                (
                    offer.choice.id,
                    judge(offer.choice.id, options)[1],
                    space.pack(offer.move.after),
                    offer.move.after.node == state.node and state.node not in targets(offer.choice),
                    credits_follow_up(offer.move.effects),
                )
                for offer in offered
            ]
            assert outlook.edges(space.pack(state)) == real, state
            checked += 1
            following += [offer.move.after for offer in offered]
        frontier = following
    assert checked > 0


def test_from_the_settled_length_the_score_reads_only_the_shortfall() -> None:
    """What the exact analysis relies on to merge conversations of different lengths."""
    settled = settled_turns()
    assert settled is not None
    start, end = Mood(60, 30), Mood(20, 70)
    for turns in range(settled, settled + 30):
        for shortfall in [0.0, 0.025, 0.5, 1.0, 1.975, 2.5, 3.0, 3.975, 4.5, 6.0]:
            if shortfall > turns:
                continue
            here = path_score(
                turns - shortfall,
                turns,
                start,
                end,
                "resolved",
                followed_up=False,
                compliance_violation=False,
            )
            there = path_score(
                turns + 7 - shortfall,
                turns + 7,
                start,
                end,
                "resolved",
                followed_up=False,
                compliance_violation=False,
            )
            assert here == there, (turns, shortfall)
    short = path_score(
        settled - 2,
        settled - 1,
        start,
        end,
        "resolved",
        followed_up=False,
        compliance_violation=False,
    )
    longer = path_score(
        settled + 9,
        settled + 10,
        start,
        end,
        "resolved",
        followed_up=False,
        compliance_violation=False,
    )
    assert short != longer  # below it the length itself counts: kept per length


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


ENDLESS = """\
format: 1
id: endless
title: A loop that never changes anything
summary: Arguing while the scenario calms the customer down again.
learning_goals: [listening]
customer: {name: Ms. Test, role: Tester, persona: reasonable, anger: 0, trust: 0}
start: opening
nodes:
  opening:
    say: Hello, I have a problem.
    choices:
      - id: hear-out
        say: Go on, I'm listening.
        techniques: [listen]
        goto: done
      - id: argue
        say: That's not what happened.
        techniques: [argue]
        effects: {anger: -40}
        goto: opening
endings:
  done:
    outcome: resolved
"""


def test_an_endless_conversation_gives_bounds_and_says_why(tmp_path: Path) -> None:
    path = tmp_path / "endless.yaml"
    path.write_text(ENDLESS, encoding="utf-8")
    analysis = analyse(load(path), max_states=200)
    assert not analysis.complete
    assert analysis.bound_reason is not None
    assert "come back to a state it was already in (at node 'opening')" in analysis.bound_reason
    assert analysis.best is not None and analysis.best.ending == "done"


def test_a_big_state_space_gives_bounds_and_says_why() -> None:
    analysis = analyse(load(bundled_dir() / "upset-caller.yaml"), max_states=50)
    assert (
        analysis.bound_reason == "there are more than 50 states (raise --max-states to go further)"
    )


def test_a_big_space_with_loops_says_a_bigger_budget_may_never_finish() -> None:
    """Loops whose rounds change the mood can make a space endless without any state
    recurring (customs-invoice): the reason says so rather than only "raise it"."""
    analysis = analyse(load(bundled_dir() / "vip-wants-a-vp.yaml"), max_states=50)
    assert analysis.bound_reason == (
        "there are more than 50 states (raise --max-states to go further); but "
        "conversations can go round 'bounced-back', 'credentials' and 'insists', and each "
        "time round the mood and what was said can differ, so there may be no end to the "
        "states: a larger budget explores longer conversations but may never make the "
        "figures exact"
    )
