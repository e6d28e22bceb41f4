"""`also:` on a choice and `recall:` on a scenario: optional, validated, positioned."""

from __future__ import annotations

from simulator.scenario.loader import load_scenario_bytes
from tests.conftest import load_fixture

BASE = """format: 1
id: t
title: T
summary: S
customer: {name: N, role: R, persona: reasonable}
start: a
nodes:
  a:
    say: Hi.
    choices:
      - id: x
        say: Hello.
        techniques: [listen]
        goto: end
ALSO
endings:
  end: {outcome: resolved}
"""


def test_also_lines_load_with_the_choice() -> None:
    loaded = load_fixture("recall/library/lost-parcel.yaml")
    choice = loaded.scenario.nodes["opening"].choices[0]
    assert choice.also == ["Walk me through yesterday, I'm listening."]
    assert loaded.scenario.recall == "optional"


def test_also_is_optional_and_defaults_to_none() -> None:
    result = load_scenario_bytes(BASE.replace("ALSO\n", "").encode(), "t.yaml")
    assert result.loaded is not None
    assert result.loaded.scenario.nodes["a"].choices[0].also == []


def test_also_must_be_a_list_of_text_with_its_position() -> None:
    text = BASE.replace("ALSO", "        also: {a: b}")
    problems = load_scenario_bytes(text.encode(), "t.yaml").problems
    assert problems and problems[0].line == 15, problems
    empty = BASE.replace("ALSO", "        also: ['']")
    assert load_scenario_bytes(empty.encode(), "t.yaml").problems


def test_recall_key_takes_three_values() -> None:
    for value in ("optional", "assessment", "always"):
        text = BASE.replace("ALSO\n", "") + f"recall: {value}\n"
        loaded = load_scenario_bytes(text.encode(), "t.yaml").loaded
        assert loaded is not None and loaded.scenario.recall == value
    wrong = BASE.replace("ALSO\n", "") + "recall: sometimes\n"
    assert load_scenario_bytes(wrong.encode(), "t.yaml").problems
