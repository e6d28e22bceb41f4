"""Rules 15-18 and the second-round techniques: directions, as in test_mood_rules.py.

Rule 15 is about whole conversations, so these tests build small scenarios whose
one-step view and consequence disagree, and pin which way the judgement must go:
a move that loses the call is never rated >= 0.5, harm at a pinned meter still
counts, the best move is the first move of the best continuation, ties follow the
documented rule, and a move made only of harmful techniques is never shown as best.
"""

from __future__ import annotations

import itertools
import textwrap

import pytest

from simulator.engine.catalog import load_catalog
from simulator.engine.machine import rules_for
from simulator.engine.mood import Memory, Mood, MoodEngine, Traits
from simulator.engine.outlook import outlook_for
from simulator.engine.scoring import best_option, judge, options
from simulator.engine.session import Session
from simulator.engine.state import Option
from simulator.scenario.loader import LoadedScenario, load_scenario_bytes

ENGINE = MoodEngine()
CATALOG = load_catalog()
NONE: frozenset[str] = frozenset()


def inline(body: str) -> LoadedScenario:
    result = load_scenario_bytes(textwrap.dedent(body).encode(), "inline.yaml")
    assert result.loaded is not None, "\n".join(map(str, result.problems))
    return result.loaded


def value(techniques: list[str], anger: int = 50, trust: int = 50, **kw: object) -> int:
    memory = kw.pop("memory", Memory())
    flags = kw.pop("flags", NONE)
    traits = kw.pop("traits", Traits())
    s = ENGINE.step(Mood(anger, trust), memory, techniques, flags=flags, traits=traits)  # type: ignore[arg-type]
    return (s.mood.trust - trust) - (s.mood.anger - anger)


# A brush-off that looks mild now and loses the call next turn, beside a listen.
TRAP = """\
    format: 1
    id: trap
    title: Trap
    summary: One-step judging misrates the brush-off.
    customer: {name: Bo Test, role: Buyer, persona: reasonable, anger: 60, trust: 30}
    start: a
    nodes:
      a:
        say: Where is my parcel?
        choices:
          - id: listen
            say: Tell me what happened.
            techniques: [listen]
            goto: b
          - id: promise
            say: It will definitely arrive tomorrow, I guarantee it.
            techniques: [reassure, over_promise]
            effects: {anger: -10, trust: 10}
            goto: broken
      b:
        say: It never came.
        choices:
          - id: fix
            say: I'll send a new one today.
            techniques: [offer_solution]
            goto: happy
      broken:
        say: It did not arrive, again.
        choices:
          - id: sorry
            say: Sorry.
            techniques: [apologize]
            goto:
              - if: anger >= 0
                to: gone
              - to: happy
    endings:
      happy: {outcome: resolved, debrief: Fine.}
      gone: {outcome: lost}
    """


def test_rule15_a_move_that_leads_to_a_loss_is_rated_below_half_and_never_best() -> None:
    loaded = inline(TRAP)
    rules = rules_for(loaded)
    start = rules.initial_state()
    offered = options(rules, start)
    promise = next(o for o in offered if o.choice == "promise")
    listen = next(o for o in offered if o.choice == "listen")
    assert promise.now > listen.now, "the trap must look better one step ahead"
    best, rating = judge("promise", offered)
    assert best.choice == "listen"
    assert rating < 0.5
    assert promise.leads_to == "lost" and listen.leads_to == "resolved"


def test_rule15_no_losing_move_rates_half_even_when_every_move_loses() -> None:
    loaded = inline(TRAP.replace("- if: anger >= 0\n                to: gone", "- to: gone"))
    rules = rules_for(loaded)
    broken = rules.advance(rules.initial_state(), rules.choice(rules.initial_state(), "promise"))
    offered = options(rules, broken.after)
    assert [o.leads_to for o in offered] == ["lost"]
    assert judge("sorry", offered)[1] < 0.5


def test_rule15_harm_at_a_pinned_meter_still_counts() -> None:
    """Trust at 0 cannot fall, but an over-promise is no better for it."""
    step = ENGINE.step(Mood(50, 0), Memory(), ["over_promise"], flags=NONE, traits=Traits())
    assert step.mood.trust == 0
    assert step.own < 0
    assert step.own < (step.mood.trust - 0) - (step.mood.anger - 50)


def test_rule15_the_session_rates_with_the_same_consequence_as_the_analysis() -> None:
    loaded = inline(TRAP)
    turn = Session(loaded).choose("promise")
    offered = options(rules_for(loaded), rules_for(loaded).initial_state())
    assert (turn.best, turn.rating) == judge("promise", offered)


def test_rule15_values_are_the_same_whatever_was_asked_before() -> None:
    """Rule 14: the memo never changes an answer."""
    loaded = inline(TRAP)
    first = Session(loaded).play(["listen", "fix"])
    outlook_for(rules_for(loaded))._exact.clear()
    again = Session(loaded).play(["listen", "fix"])
    assert [t.rating for t in first.turns] == [t.rating for t in again.turns]
    assert first.score == again.score


def _option(choice: str, value: int, **kw: int) -> Option:
    techniques = tuple(["listen"] * kw.pop("size", 1))
    return Option(choice, techniques, Mood(0, 0), value, **kw)  # type: ignore[arg-type]


def test_ties_follow_the_documented_rule_not_the_list_order() -> None:
    plain = _option("b", 10, now=3, helpful=1)
    harmful = _option("a", 10, now=3, helpful=1, harmful=1)
    assert best_option([harmful, plain]).choice == "b"  # fewer harmful techniques
    sooner = _option("z", 10, now=5, helpful=1)
    assert best_option([plain, sooner]).choice == "z"  # then the better immediate effect
    stuffed = _option("c", 10, now=5, helpful=3, size=3)
    assert best_option([stuffed, sooner]).choice == "z"  # then the plainer response
    same = _option("y", 10, now=5, helpful=1)
    assert best_option([sooner, same]).choice == best_option([same, sooner]).choice == "y"


def test_a_move_made_only_of_harmful_techniques_is_never_best() -> None:
    bait = _option("bait", 50, now=20, harmful=1, helpful=0)
    honest = _option("honest", 5, now=1, helpful=1)
    assert best_option([bait, honest]).choice == "honest"
    best, rating = judge("bait", [bait, honest])
    assert best.choice == "honest" and rating < 0.5


def test_the_trainees_equal_choice_is_its_own_best() -> None:
    a = _option("a", 10, now=5, helpful=1)
    b = _option("b", 10, now=1, helpful=1)
    assert judge("b", [a, b]) == (b, 1.0)


# ----------------------------------------------------------------- rule 16

FURY = """\
    format: 1
    id: fury
    title: Fury
    summary: A resolved ending reached at two angers.
    customer: {name: Bo Test, role: Buyer, persona: reasonable, anger: 80, trust: 30}
    start: a
    nodes:
      a:
        say: Fix it.
        choices:
          - id: fix
            say: Fixed.
            techniques: [offer_solution]
            goto: done
          - id: calm
            say: Fixed, and I hear you.
            techniques: [listen]
            effects: {anger: -40}
            goto: done
    endings:
      done: {outcome: resolved, debrief: The parcel is on its way.}
    """


def test_rule16_a_resolved_ending_in_fury_scores_and_reads_as_unhappy() -> None:
    loaded = inline(FURY)
    hot = Session(loaded).play(["fix"])
    cool = Session(loaded).play(["calm"])
    assert hot.end.anger >= CATALOG.numbers.fury_anger > cool.end.anger
    assert hot.outcome == cool.outcome == "resolved"
    assert hot.unhappy and not cool.unhappy
    assert hot.score.outcome_points == CATALOG.scoring.unhappy_points
    assert hot.score.outcome_points < cool.score.outcome_points
    assert hot.debrief is not None and "unhappy" in hot.debrief and "Bo Test" in hot.debrief
    assert hot.debrief.endswith("The parcel is on its way.")
    assert cool.debrief == "The parcel is on its way."
    assert hot.to_json()["unhappy"] is True


# ----------------------------------------------------------------- rule 17

IMPROPER = frozenset({"improper_demand"})


@pytest.mark.parametrize("handover", [["escalate"], ["brief_handover"]])
def test_rule17_stating_the_boundary_first_beats_handing_straight_up(handover: list[str]) -> None:
    helped = Memory(heard=True, helped=True)
    straight = value(handover, memory=helped, flags=IMPROPER)
    boundary = ENGINE.step(
        Mood(50, 50), helped, ["set_boundary", "explain"], flags=IMPROPER, traits=Traits()
    )
    assert CATALOG.numbers.boundary_flag in boundary.flags
    after = value(handover, memory=boundary.memory, flags=boundary.flags)
    assert after > straight
    assert any(
        e.rule == 17
        for e in ENGINE.step(
            Mood(50, 50), helped, handover, flags=IMPROPER, traits=Traits()
        ).effects
    )


def test_rule17_escalating_with_a_briefing_after_the_boundary_is_best() -> None:
    flags = IMPROPER | {CATALOG.numbers.boundary_flag}
    helped = Memory(heard=True, helped=True)
    briefed = value(["escalate", "brief_handover"], memory=helped, flags=flags)
    assert briefed > value(["escalate"], memory=helped, flags=flags)
    assert briefed > value(["escalate"], memory=helped, flags=IMPROPER)


def test_rule17_explain_states_the_boundary_only_facing_an_improper_demand() -> None:
    calm = ENGINE.step(Mood(40, 40), Memory(), ["explain"], flags=NONE, traits=Traits())
    assert CATALOG.numbers.boundary_flag not in calm.flags


# ----------------------------------------------------------------- rule 18 (channel)

WRITTEN = frozenset({"in_writing"})


@pytest.mark.parametrize("anger", [40, 60, 80, 95])
def test_switch_channel_helps_in_writing_and_more_when_heated(anger: int) -> None:
    assert value(["switch_channel"], anger=anger, flags=WRITTEN) > 0
    assert value(["switch_channel"], anger=anger, flags=WRITTEN) >= value(
        ["switch_channel"], anger=anger - 30, flags=WRITTEN
    )
    step = ENGINE.step(
        Mood(anger, 40), Memory(), ["switch_channel"], flags=WRITTEN, traits=Traits()
    )
    assert "in_writing" not in step.flags


def test_switch_channel_on_a_call_only_delays() -> None:
    assert value(["switch_channel"], anger=70) < 0


@pytest.mark.parametrize("channel", ["email", "chat"])
def test_a_written_channel_starts_in_writing(channel: str) -> None:
    loaded = inline(FURY.replace("start: a", f"channel: {channel}\n    start: a"))
    assert "in_writing" in rules_for(loaded).initial_state().flags
    assert "in_writing" not in rules_for(inline(FURY)).initial_state().flags


# ----------------------------------------------------------------- second-round ids


@pytest.mark.parametrize(("anger", "trust"), itertools.product((10, 50, 90), (10, 50, 90)))
def test_prejudge_harms_in_every_state(anger: int, trust: int) -> None:
    step = ENGINE.step(Mood(anger, trust), Memory(), ["prejudge"], flags=NONE, traits=Traits())
    assert step.mood.anger > anger or anger == 100
    assert step.mood.trust < trust
    assert not CATALOG.techniques["prejudge"].helpful
    assert CATALOG.techniques["prejudge"].family == "composure"


@pytest.mark.parametrize("anger", [50, 70, 90])
def test_stay_neutral_is_a_helpful_composure_move(anger: int) -> None:
    assert CATALOG.techniques["stay_neutral"].helpful
    assert CATALOG.techniques["stay_neutral"].family == "composure"
    assert value(["stay_neutral"], anger=anger) > 0


def test_composure_is_scored_from_a_real_move() -> None:
    loaded = inline(
        FURY.replace("techniques: [listen]", "techniques: [stay_neutral]").replace(
            "effects: {anger: -40}", "effects: {anger: -30}"
        )
    )
    result = Session(loaded).play(["calm"])
    assert result.score.principles["composure"] > 0


# ----------------------------------------------------------------- rule 3 stacking


@pytest.mark.parametrize(
    ("anger", "trust", "heard"),
    list(itertools.product((20, 35, 50, 65, 80, 95), (0, 20, 50, 85), (False, True))),
)
@pytest.mark.parametrize("traits", [Traits(), Traits(0.3, 0.3), Traits(0.9, 0.9), Traits(0.1, 0.1)])
def test_reflecting_before_the_fix_never_loses_to_jumping_ahead(
    anger: int, trust: int, heard: bool, traits: Traits
) -> None:
    """The issue: jump-to-ack beat reflect-and-offer in 262 of 295 states."""
    memory = Memory(heard=heard, helped=heard, counts=(("reflect", 1),) if heard else ())
    reflect_first = value(
        ["reflect", "offer_solution", "take_ownership"],
        anger=anger,
        trust=trust,
        memory=memory,
        traits=traits,
    )
    jump = value(
        ["offer_solution", "take_ownership"], anger=anger, trust=trust, memory=memory, traits=traits
    )
    assert reflect_first >= jump


def test_rule15_a_violation_is_judged_as_the_failure_it_causes_even_mid_conversation() -> None:
    loaded = inline(
        TRAP.replace(
            "techniques: [reassure, over_promise]\n            effects: {anger: -10, trust: 10}\n"
            "            goto: broken",
            "techniques: [concede_improper]\n            goto: b",
        )
    )
    offered = options(rules_for(loaded), rules_for(loaded).initial_state())
    bribe = next(o for o in offered if o.choice == "promise")
    assert bribe.leads_to == "failed_compliance"
    best, rating = judge("promise", offered)
    assert best.choice == "listen" and rating < 0.5
