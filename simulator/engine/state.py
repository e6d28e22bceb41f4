"""The conversation's state and turn records as plain, immutable, JSON-able values.

A session is nothing but a start state and a list of turns; keeping them as frozen
values lets the debrief rewind to any turn, the checker memoise states, and the
logs and the TUI serialise them without knowing about the machine.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from simulator.engine.mood import Effect, Memory, Mood


@dataclass(frozen=True)
class State:
    """Everything that decides what happens next in a conversation."""

    node: str
    mood: Mood
    memory: Memory
    flags: frozenset[str]
    visited: frozenset[str]
    turn: int = 0
    compliance_violation: bool = False

    # The condition language reads these names directly.
    @property
    def anger(self) -> int:
        return self.mood.anger

    @property
    def trust(self) -> int:
        return self.mood.trust

    def to_json(self) -> dict[str, Any]:
        return {
            "node": self.node,
            "anger": self.mood.anger,
            "trust": self.mood.trust,
            "memory": {
                "counts": dict(self.memory.counts),
                "heard": self.memory.heard,
                "solution_offered": self.memory.solution_offered,
                "helped": self.memory.helped,
                "listen_streak": self.memory.listen_streak,
            },
            "flags": sorted(self.flags),
            "visited": sorted(self.visited),
            "turn": self.turn,
            "compliance_violation": self.compliance_violation,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> State:
        memory = data.get("memory", {})
        return cls(
            node=str(data["node"]),
            mood=Mood(int(data["anger"]), int(data["trust"])),
            memory=Memory(
                counts=tuple(sorted((str(k), int(v)) for k, v in memory.get("counts", {}).items())),
                heard=bool(memory.get("heard", False)),
                solution_offered=bool(memory.get("solution_offered", False)),
                helped=bool(memory.get("helped", False)),
                listen_streak=int(memory.get("listen_streak", 0)),
            ),
            flags=frozenset(map(str, data.get("flags", ()))),
            visited=frozenset(map(str, data.get("visited", ()))),
            turn=int(data.get("turn", 0)),
            compliance_violation=bool(data.get("compliance_violation", False)),
        )


@dataclass(frozen=True)
class Option:
    """Where one available choice would lead from a state: the engine's judgement."""

    choice: str
    techniques: tuple[str, ...]
    after: Mood
    value: int
    """Rule 15: its own value plus the best continuation's, down to the ending's value."""
    now: int = 0
    """Its own value: trust gained minus anger caused, before the meters are clamped."""
    leads_to: str | None = None
    """The outcome its best continuation ends in; None when the lookahead stops first."""
    unhappy: bool = False
    """That ending is resolved but reached in fury (rule 16)."""
    harmful: int = 0
    """How many of its techniques are harmful."""
    helpful: int = 1
    """How many of its techniques are helpful (0: made only of harmful ones)."""


@dataclass(frozen=True)
class Turn:
    """One choice made, what it did, and how it compared with the alternatives."""

    number: int
    node: str
    choice: str
    say: str
    techniques: tuple[str, ...]
    before: State
    after: State
    effects: tuple[Effect, ...]
    feedback: str | None
    best: Option
    rating: float
    """0..1: 1 for the best option on offer, falling with the gap to it (scoring.judge)."""
    compliance_violation: bool
    typed: str | None = None
    """Recall mode: what the trainee typed before seeing the options, exactly as typed."""
    match: Mapping[str, Any] | None = None
    """Recall mode: what the matcher made of `typed` (simulator.matching.Match.to_json)."""

    @property
    def reasons(self) -> list[str]:
        return [effect.reason for effect in self.effects]

    def to_json(self) -> dict[str, Any]:
        recall: dict[str, Any] = {}
        if self.typed is not None:  # recall mode only: other turns keep their old shape
            recall = {"typed": self.typed, "match": dict(self.match or {})}
        return {
            "turn": self.number,
            "node": self.node,
            "choice": self.choice,
            "say": self.say,
            "techniques": list(self.techniques),
            "anger_before": self.before.mood.anger,
            "anger_after": self.after.mood.anger,
            "trust_before": self.before.mood.trust,
            "trust_after": self.after.mood.trust,
            "reasons": self.reasons,
            "effects": [
                {
                    "rule": e.rule,
                    "technique": e.technique,
                    "anger": e.anger,
                    "trust": e.trust,
                    "reason": e.reason,
                }
                for e in self.effects
            ],
            "feedback": self.feedback,
            "best_choice": self.best.choice,
            "best_anger": self.best.after.anger,
            "best_trust": self.best.after.trust,
            "rating": round(self.rating, 3),
            "compliance_violation": self.compliance_violation,
            "to": self.after.node,
            **recall,
        }
