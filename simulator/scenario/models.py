"""The scenario format, version 1, as validated models.

These classes are the single definition of the format: the loader validates with
them and `simulator schema` generates the JSON Schema from them, so the editor's
red squiggles and the loader's errors can never disagree.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from simulator.scenario.conditions import Condition, ConditionError, parse_condition

ID_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
SCENARIO_ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"

Phase = Literal["identify", "understand", "solve", "follow_up"]
Outcome = Literal["resolved", "escalated", "lost", "failed_compliance"]
Difficulty = Literal["intro", "standard", "hard"]
Channel = Literal["phone", "chat", "email", "in_person"]
Recall = Literal["optional", "assessment", "always"]

ItemId = Annotated[
    str,
    StringConstraints(pattern=ID_PATTERN, max_length=64),
    Field(description="Lower-case letters, digits, '-' and '_'; starts with a letter or digit."),
]
Text = Annotated[str, StringConstraints(min_length=1, max_length=4000)]
MoodValue = Annotated[int, Field(ge=0, le=100)]
Trait = Annotated[float, Field(ge=0.0, le=1.0)]


def _parse_condition(value: Any) -> Any:
    """Turn condition text into a parsed Condition, reporting the column inside it."""
    if isinstance(value, Condition):
        return value
    if isinstance(value, bool):
        value = "true" if value else "false"
    if not isinstance(value, str):
        raise PydanticCustomError("condition_type", "a condition must be text, e.g. 'anger >= 60'")
    try:
        return parse_condition(value)
    except ConditionError as exc:
        raise PydanticCustomError(
            "condition_syntax", "{message}", {"message": exc.message, "column": exc.column}
        ) from None


ConditionText = Annotated[
    Condition,
    BeforeValidator(_parse_condition),
    WithJsonSchema(
        {
            "type": "string",
            "description": "A condition: comparisons of anger, trust, turn with integers; "
            "flag names; visited.NODE; and, or, not, parentheses.",
            "examples": ["anger >= 80", "trust >= 30 and not visited.history"],
        }
    ),
]


class _Strict(BaseModel):
    """Shared settings: unknown keys are errors, numbers in text fields stay text."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        coerce_numbers_to_str=True,
        arbitrary_types_allowed=True,
        populate_by_name=True,
    )


class Traits(_Strict):
    """Personality that scales the engine's effects; overrides the persona's."""

    patience: Trait | None = None
    """0..1. Low patience amplifies harmful moves."""
    volatility: Trait | None = None
    """0..1. Scales every effect: a volatile customer swings further both ways."""
    abusive: bool | None = None
    """When true, boundary setting is appropriate for the whole conversation."""


class Customer(_Strict):
    """Who the trainee is talking to."""

    name: Text
    role: Text
    persona: str | None = Field(default=None, description="A built-in persona id.")
    traits: Traits | None = None
    anger: MoodValue | None = Field(default=None, description="Starting anger; persona's default.")
    trust: MoodValue | None = Field(default=None, description="Starting trust; persona's default.")


class Branch(_Strict):
    """One arm of a conditional goto; the first whose condition holds wins."""

    if_: ConditionText | None = Field(default=None, alias="if")
    to: ItemId


def _goto_kind(value: Any) -> str:
    return "branches" if isinstance(value, list) else "target"


Goto = Annotated[
    Annotated[ItemId, Tag("target")]
    | Annotated[list[Branch], Tag("branches"), Field(min_length=1)],
    Discriminator(_goto_kind),
]


class Effects(_Strict):
    """An author's explicit adjustment, added to what the engine computes."""

    anger: Annotated[int, Field(ge=-100, le=100)] = 0
    trust: Annotated[int, Field(ge=-100, le=100)] = 0


class Choice(_Strict):
    """A response the trainee can pick."""

    id: ItemId
    say: Text
    techniques: Annotated[list[str], Field(min_length=1)]
    goto: Goto
    when: ConditionText | None = None
    effects: Effects | None = None
    feedback: Text | None = None
    compliance: Literal["violation"] | None = None
    also: Annotated[list[Text], Field(max_length=40)] = Field(
        default_factory=list,
        description="Other ways a trainee might say this move, in their own words: recall "
        "mode matches typed replies against these as well as `say`. Optional.",
        examples=[["Sorry for the wait. What happened on those calls?"]],
    )
    """Other ways a trainee might say the same move (recall mode's matcher reads them)."""


class Node(_Strict):
    """A customer's turn: what they say and the responses on offer."""

    say: Text
    choices: Annotated[list[Choice], Field(min_length=1)]
    phase: Phase | None = None
    cue: Text | None = None
    set: dict[Annotated[str, StringConstraints(pattern=r"^[a-z_][a-z0-9_]*$")], bool] | None = None


class Ending(_Strict):
    """Where a conversation stops and how it counts."""

    outcome: Outcome
    say: Text | None = None
    debrief: Text | None = None


class StartState(_Strict):
    """A different starting mood for one self-test."""

    anger: MoodValue | None = None
    trust: MoodValue | None = None


class Expectation(_Strict):
    """What a self-test requires of the end of its path."""

    ending: ItemId | None = None
    outcome: Outcome | None = None
    min_score: MoodValue | None = None
    max_score: MoodValue | None = None
    max_anger: MoodValue | None = None
    min_trust: MoodValue | None = None


class SelfTest(_Strict):
    """A scripted path the checker plays to prove the scenario still behaves."""

    name: Text
    choices: list[ItemId]
    state: StartState | None = None
    expect: Expectation


class Scenario(_Strict):
    """One conversation, as a trainer wrote it."""

    format: Literal[1]
    id: Annotated[str, StringConstraints(pattern=SCENARIO_ID_PATTERN, max_length=64)]
    title: Text
    summary: Text
    customer: Customer
    start: ItemId
    nodes: Annotated[dict[ItemId, Node], Field(min_length=1)]
    endings: Annotated[dict[ItemId, Ending], Field(min_length=1)]
    difficulty: Difficulty = "standard"
    channel: Channel = "phone"
    learning_goals: list[str] = Field(default_factory=list)
    tags: list[Annotated[str, StringConstraints(min_length=1, max_length=40)]] = Field(
        default_factory=list
    )
    walkout: ItemId | None = None
    tests: list[SelfTest] = Field(default_factory=list)
    recall: Recall = Field(
        default="optional",
        description="When the trainee must type each reply before seeing the options: "
        "optional (the trainee's setting), assessment (always in assessment mode), always.",
    )
    """Recall mode for this scenario: `optional` leaves it to the trainee's setting,
    `assessment` makes assessment sessions typed-reply only, `always` every session."""
