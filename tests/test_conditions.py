"""The condition language: what it means, and how it explains mistakes."""

from __future__ import annotations

import copy
import pickle
from dataclasses import dataclass, field

import pytest

from simulator.scenario.conditions import (
    MAX_NESTING,
    Condition,
    ConditionContext,
    ConditionError,
    Reference,
    parse_condition,
)


@dataclass
class State:
    anger: int = 50
    trust: int = 30
    turn: int = 2
    flags: frozenset[str] = field(default_factory=frozenset)
    visited: frozenset[str] = field(default_factory=frozenset)


def holds(text: str, state: ConditionContext | None = None) -> bool:
    return parse_condition(text).evaluate(state or State())


def error(text: str) -> tuple[int, str]:
    with pytest.raises(ConditionError) as caught:
        parse_condition(text)
    return caught.value.column, caught.value.message


# ------------------------------------------------------------------ meaning


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("anger < 51", True),
        ("anger < 50", False),
        ("anger <= 50", True),
        ("anger <= 49", False),
        ("anger > 49", True),
        ("anger > 50", False),
        ("anger >= 50", True),
        ("anger >= 51", False),
        ("anger == 50", True),
        ("anger == 51", False),
        ("anger != 51", True),
        ("anger != 50", False),
        ("trust == 30", True),
        ("turn == 2", True),
    ],
)
def test_each_comparison_operator(text: str, expected: bool) -> None:
    assert holds(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("51 > anger", True),
        ("50 > anger", False),
        ("50 >= anger", True),
        ("49 < anger", True),
        ("50 <= anger", True),
        ("50 == anger", True),
        ("50 != anger", False),
    ],
)
def test_number_on_the_left(text: str, expected: bool) -> None:
    assert holds(text) is expected


def test_variables_on_both_sides_and_numbers_on_both_sides() -> None:
    assert holds("trust < anger") is True
    assert holds("anger <= trust") is False
    assert holds("1 < 2") is True
    assert holds("2 == 3") is False


def test_signed_numbers() -> None:
    cold = State(anger=-5)
    assert holds("anger == -5", cold) is True
    assert holds("anger > -6", cold) is True
    assert holds("anger < +1", cold) is True
    assert holds("-5 == anger", cold) is True


def test_whitespace_is_free() -> None:
    assert holds("anger>=50and(trust<31)") is True
    assert holds("  anger  >=\n 50\t") is True
    assert holds("anger>=50or(turn>5)") is True


def test_flags_and_visited() -> None:
    state = State(flags=frozenset({"abusive"}), visited=frozenset({"history", "follow-up_2"}))
    assert holds("abusive", state) is True
    assert holds("needs_authority", state) is False
    assert holds("visited.history", state) is True
    assert holds("visited.follow-up_2", state) is True
    assert holds("visited.opening", state) is False


def test_literals() -> None:
    assert holds("true") is True
    assert holds("false") is False
    assert holds("not false") is True


def test_precedence_not_over_and_over_or() -> None:
    # With or binding tighter this would be false; with and tighter it is true.
    assert holds("true or false and false") is True
    assert holds("false and false or true") is True
    assert holds("(true or false) and false") is False
    assert holds("not false and false") is False
    assert holds("not (false and false)") is True
    assert holds("not not true") is True


def test_and_or_chains_of_every_length() -> None:
    for n in range(1, 8):
        assert holds(" and ".join(["true"] * n)) is True
        assert holds(" and ".join(["true"] * (n - 1) + ["false"])) is False
        assert holds(" or ".join(["false"] * n)) is False
        assert holds(" or ".join(["false"] * (n - 1) + ["true"])) is True


def test_long_chains_do_not_exhaust_the_stack() -> None:
    text = " and ".join(f"f{i}" for i in range(5000))
    state = State(flags=frozenset(f"f{i}" for i in range(5000)))
    assert holds(text, state) is True
    assert holds(text, State()) is False


def test_combined_example() -> None:
    text = "trust >= 30 and not visited.history or anger >= 90 and abusive"
    assert holds(text, State(trust=30)) is True
    assert holds(text, State(trust=30, visited=frozenset({"history"}))) is False
    assert holds(text, State(trust=0, anger=95, flags=frozenset({"abusive"}))) is True


def test_any_object_with_the_right_attributes_is_a_context() -> None:
    class Model:
        def __init__(self) -> None:
            self.turn = 4
            self.flags: frozenset[str] = frozenset()
            self.visited: frozenset[str] = frozenset()

        @property
        def anger(self) -> int:
            return 70

        @property
        def trust(self) -> int:
            return 10

    assert holds("anger > 60 and turn == 4 and trust < 20", Model()) is True


# ------------------------------------------------------------------ the Condition value


def test_references_in_order_with_columns() -> None:
    condition = parse_condition("anger > 5 and not abusive or visited.intro-1 and 3 < turn")
    assert condition.references == (
        Reference("variable", "anger", 1),
        Reference("flag", "abusive", 19),
        Reference("visited", "intro-1", 30),
        Reference("variable", "turn", 54),
    )
    assert condition.flags == frozenset({"abusive"})
    assert condition.visited == frozenset({"intro-1"})


def test_condition_is_hashable_and_equal_by_text() -> None:
    a, b = parse_condition("anger > 5"), parse_condition("anger > 5")
    assert a == b and hash(a) == hash(b)
    assert a != parse_condition("anger > 6")
    assert len({a, b}) == 1
    assert a.source == "anger > 5"


def test_condition_survives_pickle_and_deepcopy() -> None:
    condition = parse_condition("abusive or anger >= 80")
    for clone in (pickle.loads(pickle.dumps(condition)), copy.deepcopy(condition)):
        assert clone == condition
        assert clone.evaluate(State(anger=80)) is True


def test_constructing_a_condition_parses_it() -> None:
    assert Condition("anger > 5") == parse_condition("anger > 5")
    with pytest.raises(ConditionError):
        Condition("anger >")


# ------------------------------------------------------------------ errors


NODE_ID = "'visited.' must be followed by a node id (lower-case letters, digits, '-' or '_')"
COMPARING = "instead of comparing it"
ON_ITS_OWN = "cannot be compared; write it on its own"


@pytest.mark.parametrize(
    ("text", "column", "message"),
    [
        ("", 1, "empty condition; write one, e.g. 'anger >= 60'"),
        ("   ", 1, "empty condition; write one, e.g. 'anger >= 60'"),
        ("anger", 1, "'anger' is a number; compare it, e.g. 'anger >= 60'"),
        ("abusive and trust", 13, "'trust' is a number; compare it, e.g. 'trust >= 30'"),
        ("not turn", 5, "'turn' is a number; compare it, e.g. 'turn >= 3'"),
        ("anger > 5 and", 14, "expected a comparison or flag after 'and'"),
        ("anger > 5 or ", 13, "expected a comparison or flag after 'or'"),
        ("not", 4, "expected a comparison or flag after 'not'"),
        ("(", 2, "expected a comparison or flag after '('"),
        ("and abusive", 1, "expected a comparison or flag before 'and'"),
        ("abusive and or x", 13, "expected a comparison or flag before 'or'"),
        ("()", 2, "expected a comparison or flag before ')'"),
        (">= 5", 1, "expected a number or variable before '>='"),
        ("anger >=", 9, "expected a number or variable after '>='"),
        ("anger > (5)", 9, "expected a number or variable after '>'"),
        ("(anger > 5", 1, "this '(' is never closed; add ')'"),
        ("((anger > 5)", 1, "this '(' is never closed; add ')'"),
        ("anger > 5)", 10, "unmatched ')'"),
        ("(a) and b)", 10, "unmatched ')'"),
        ("(a b)", 4, "expected 'and', 'or' or ')' before 'b'"),
        ("abusive trust > 5", 9, "expected 'and' or 'or' before 'trust'"),
        ("anger > 5 > 3", 11, "comparisons cannot be chained; join two comparisons with 'and'"),
        ("anger = 5", 7, "write '==' to compare, not '='"),
        ("anger => 5", 7, "write '>=' instead of '=>'"),
        ("anger =< 5", 7, "write '<=' instead of '=<'"),
        ("anger <> 5", 7, "write '!=' for 'not equal', not '<>'"),
        ("a && b", 3, "write 'and' instead of '&&'"),
        ("a & b", 3, "write 'and' instead of '&'"),
        ("a || b", 3, "write 'or' instead of '||'"),
        ("a | b", 3, "write 'or' instead of '|'"),
        ("!abusive", 1, "write 'not' instead of '!'"),
        ("a and !b", 7, "write 'not' instead of '!'"),
        ("anger $ 5", 7, "unexpected character '$'"),
        ("anger > 5 # comment", 11, "unexpected character '#'"),
        ("anger > 1.5", 9, "'1.5' is not a whole number"),
        ("anger > 0x1F", 9, "'0x1F' is not a whole number"),
        ("anger > 9999999999999999999", 9, "'9999999999999999999' is too large a number"),
        ("anger - 5 > 1", 7, "'-' must be followed directly by digits, e.g. '-5'"),
        ("5", 1, "a number alone is not a condition; compare it, e.g. 'anger >= 5'"),
        ("x == true", 1, "'x' is a flag: write 'x' or 'not x' instead of comparing it"),
        (
            "false != abusive",
            10,
            "'abusive' is a flag: write 'abusive' or 'not abusive' " + COMPARING,
        ),
        ("true > 1", 1, "'true' is true or false and " + ON_ITS_OWN),
        ("visited.a == 1", 1, "'visited.a' is true or false and " + ON_ITS_OWN),
        ("visited", 1, "write 'visited.NODE' to test whether a node was entered"),
        ("visited.", 9, f"{NODE_ID}, not nothing"),
        ("visited.Intro", 9, f"{NODE_ID}, not 'Intro'"),
        ("visited._x", 9, f"{NODE_ID}, not '_x'"),
        ("AND", 1, "write 'and' in lower case"),
        ("a Or b", 3, "write 'or' in lower case"),
        ("True", 1, "write 'true' in lower case"),
        ("Visited.x", 1, "write 'visited' in lower case"),
        ("Abusive", 1, "flag names are lower-case letters, digits and '_': write 'abusive'"),
    ],
)
def test_error_messages_point_at_the_column(text: str, column: int, message: str) -> None:
    assert error(text) == (column, message)


@pytest.mark.parametrize(
    ("text", "column", "start"),
    [
        ("angr >= 5", 1, "unknown variable 'angr' (did you mean \"anger\"?)"),
        ("5 < trsut", 5, "unknown variable 'trsut' (did you mean \"trust\"?)"),
        ("abusive and turns == 2", 13, "unknown variable 'turns' (did you mean \"turn\"?)"),
        ("Anger >= 5", 1, "unknown variable 'Anger' (did you mean \"anger\"?)"),
        ("mood > 3", 1, "unknown variable 'mood'; "),
    ],
)
def test_a_name_compared_with_a_number_must_be_a_variable(
    text: str, column: int, start: str
) -> None:
    found_column, message = error(text)
    assert found_column == column
    assert message.startswith(start)
    assert message.endswith("conditions compare anger, trust or turn")


def test_too_deep_nesting_is_an_error_not_a_crash() -> None:
    column, message = error("(" * 10_000 + "a" + ")" * 10_000)
    assert column == MAX_NESTING + 1
    assert "nested too deeply" in message
    column, _ = error("not " * 10_000 + "a")
    assert column == 4 * MAX_NESTING + 1


def test_nesting_up_to_the_limit_is_fine() -> None:
    assert holds("(" * MAX_NESTING + "true" + ")" * MAX_NESTING) is True
    assert holds("not " * MAX_NESTING + "true") is True


def test_error_str_is_the_message() -> None:
    with pytest.raises(ConditionError, match=r"^write '==' to compare, not '='$"):
        parse_condition("anger = 5")
