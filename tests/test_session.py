"""The conversation machine: guarded and final transitions, walkout, flags, snapshots."""

from __future__ import annotations

import textwrap

import pytest

from simulator.engine.machine import ChoiceError, rules_for
from simulator.engine.mood import Mood
from simulator.engine.session import Session
from simulator.scenario.loader import LoadedScenario, load_scenario_bytes


def inline(body: str) -> LoadedScenario:
    result = load_scenario_bytes(textwrap.dedent(body).encode(), "inline.yaml")
    assert result.loaded is not None, "\n".join(map(str, result.problems))
    return result.loaded


ROUTED = """\
    format: 1
    id: routed
    title: Routed
    summary: Exercises the machine.
    customer: {name: Bo, role: Buyer, persona: reasonable, anger: 40, trust: 40}
    start: a
    walkout: storms-off
    nodes:
      a:
        say: Hello.
        choices:
          - id: push
            say: Push.
            techniques: [explain]
            effects: {anger: +50}
            goto:
              - if: anger >= 85
                to: hot
              - to: b
          - id: calm
            say: Calm.
            techniques: [listen]
            goto: b
          - id: bribe
            say: Sure, I'll write a lower price.
            techniques: [concede_improper]
            goto: happy
      hot:
        set: {improper_demand: true}
        say: Hot.
        choices:
          - id: again
            say: Again.
            techniques: [explain]
            goto:
              - if: improper_demand and visited.a and turn == 2
                to: flagged
              - to: b
      b:
        say: B.
        choices:
          - id: open
            say: Open.
            techniques: [listen]
            goto: happy
          - id: secret
            when: trust >= 70
            say: Secret.
            techniques: [take_ownership]
            goto: happy
          - id: insult
            say: You should have read the email.
            techniques: [blame_customer]
            effects: {anger: +100}
            goto: happy
    endings:
      happy: {outcome: resolved, say: Thanks., debrief: Well done.}
      flagged: {outcome: escalated}
      storms-off: {outcome: lost, say: Bye!}
    """


@pytest.fixture
def routed() -> LoadedScenario:
    return inline(ROUTED)


def test_goto_conditions_see_the_mood_after_the_effect(routed: LoadedScenario) -> None:
    session = Session(routed, seed=1)
    turn = session.choose("push")
    assert turn.before.mood.anger < 85 <= turn.after.mood.anger
    assert session.state.node == "hot"


def test_fallback_branch_when_no_condition_holds(routed: LoadedScenario) -> None:
    session = Session(routed, seed=1, start_mood=Mood(0, 40))
    session.choose("push")
    assert session.state.node == "b"


def test_set_flags_visited_and_turn_drive_conditions(routed: LoadedScenario) -> None:
    session = Session(routed, seed=1)
    session.choose("push")
    assert "improper_demand" in session.state.flags
    assert session.state.visited == {"a", "hot"}
    session.choose("again")
    assert session.state.node == "flagged"
    assert session.finished


def test_final_state_refuses_more_choices(routed: LoadedScenario) -> None:
    session = Session(routed, seed=1)
    session.play(["calm", "open"])
    assert session.finished and session.result().outcome == "resolved"
    with pytest.raises(ChoiceError, match="already ended at 'happy'"):
        session.choose("open")


def test_when_hides_a_choice_until_it_holds(routed: LoadedScenario) -> None:
    low = Session(routed, seed=1, start_mood=Mood(10, 10))
    low.choose("calm")
    assert "secret" not in {c.id for c in low.choices()}
    with pytest.raises(ChoiceError, match="not offered"):
        low.choose("secret")
    high = Session(routed, seed=1, start_mood=Mood(10, 90))
    high.choose("calm")
    assert "secret" in {c.id for c in high.choices()}


def test_walkout_goes_to_the_routed_ending(routed: LoadedScenario) -> None:
    session = Session(routed, seed=1)
    session.play(["calm", "insult"])
    result = session.result()
    assert result.ending == "storms-off"
    assert result.outcome == "lost" and result.status == "walked_out"
    assert result.end.anger == 100


def test_walkout_without_routing_uses_the_builtin_ending() -> None:
    loaded = inline(ROUTED.replace("    walkout: storms-off\n", ""))
    session = Session(loaded, seed=1)
    session.play(["calm", "insult"])
    result = session.result()
    assert (result.ending, result.outcome, result.status) == ("walkout", "lost", "walked_out")


def test_compliance_violation_fails_whatever_the_mood(routed: LoadedScenario) -> None:
    session = Session(routed, seed=1)
    result = session.play(["bribe"])
    assert result.ending == "happy"
    assert result.outcome == "failed_compliance"
    assert result.score.score <= 20


def test_unknown_choice_names_the_node_and_suggests(routed: LoadedScenario) -> None:
    session = Session(routed, seed=1)
    with pytest.raises(
        ChoiceError, match=r"node 'a' has no choice 'clam' \(did you mean \"calm\"\?\)"
    ):
        session.choose("clam")


def test_script_errors_say_which_step(routed: LoadedScenario) -> None:
    with pytest.raises(ChoiceError, match=r"choice 2 \('nope'\)"):
        Session(routed, seed=1).play(["calm", "nope"])


def test_machine_is_built_once_per_scenario(routed: LoadedScenario) -> None:
    first = Session(routed, seed=1)
    second = Session(routed, seed=2)
    assert first.rules is second.rules is rules_for(routed)


def test_json_round_trip_restores_the_same_conversation(routed: LoadedScenario) -> None:
    session = Session(routed, seed=7)
    session.choose("calm")
    restored = Session.from_json(routed, session.to_json())
    assert restored.state == session.state
    assert restored.turns == session.turns
    assert restored.choose("open").after == session.choose("open").after


def test_rewind_restores_the_state_before_a_turn(routed: LoadedScenario) -> None:
    session = Session(routed, seed=3)
    session.play(["push", "again"])
    branch = session.rewind(2)
    assert branch.state == session.turns[1].before
    assert [t.choice for t in branch.turns] == ["push"]
    branch.choose("again")
    assert branch.state == session.state


def test_same_seed_same_choices_same_everything(late_refund: LoadedScenario) -> None:
    def run(seed: int) -> dict[str, object]:
        session = Session(late_refund, seed=seed)
        orders = [[c.id for c in session.choices()]]
        data = session.play(["hear-her-out"]).to_json()
        orders.append([c.id for c in session.choices()])
        session.choose("own-it")
        data = session.result().to_json()
        data.pop("session_id")
        data["orders"] = orders
        return data

    assert run(11) == run(11)


def test_choice_order_is_shuffled_by_seed(late_refund: LoadedScenario) -> None:
    orders = {tuple(c.id for c in Session(late_refund, seed=s).choices()) for s in range(20)}
    assert len(orders) > 1


def test_every_turn_names_the_best_alternative(late_refund: LoadedScenario) -> None:
    result = Session(late_refund, seed=1).play(["calm-down", "policy"])
    first = result.turns[0]
    assert first.best.choice != "calm-down"
    assert first.rating < 1.0
    assert all(turn.reasons for turn in result.turns)


def test_a_holding_condition_routes_the_walkout_but_a_fallback_does_not() -> None:
    body = ROUTED.replace(
        "if: anger >= 85\n                to: hot", "if: anger >= 95\n                to: flagged"
    )
    loaded = inline(body)
    routed = Session(loaded, seed=1, start_mood=Mood(90, 40))
    routed.choose("push")
    assert routed.state.node == "flagged" and routed.mood.anger == 100
    walked = Session(loaded, seed=1, start_mood=Mood(90, 40))
    walked.choose("calm")
    walked.choose("insult")
    assert walked.state.node == "storms-off"


def test_an_equally_good_choice_is_its_own_best() -> None:
    from simulator.engine.scoring import judge
    from simulator.engine.state import Option

    offered = [
        Option("a", ("listen",), Mood(10, 50), 5),
        Option("b", ("reflect",), Mood(9, 49), 5),
        Option("c", ("argue",), Mood(40, 30), -35),
    ]
    assert judge("b", offered)[0].choice == "b"
    best, rating = judge("c", offered)
    assert best.choice == "a" and rating == 0.0


def test_a_follow_up_after_a_solution_earns_outcome_credit() -> None:
    open_choice = "          - id: open\n            say: Open.\n            techniques: [listen]"
    fix_choice = (
        "          - id: plain\n            say: Fix.\n"
        "            techniques: [offer_solution]\n            goto: happy\n"
    )
    loaded = inline(
        ROUTED.replace(
            open_choice, open_choice.replace("[listen]", "[offer_solution, follow_up]")
        ).replace("          - id: secret\n", fix_choice + "          - id: secret\n")
    )
    with_follow_up = Session(loaded, seed=1).play(["calm", "open"])
    without = Session(loaded, seed=1).play(["calm", "plain"])
    assert with_follow_up.score.outcome_points == 100
    assert without.score.outcome_points == 90
    hollow = inline(ROUTED.replace(open_choice, open_choice.replace("[listen]", "[follow_up]")))
    assert Session(hollow, seed=1).play(["calm", "open"]).score.outcome_points == 90
