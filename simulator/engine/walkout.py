"""When the customer walks out, said exactly as the machine decides it.

Two things end a conversation early (see `machine.py`): anger reaching 100 after a
reply (unless one of that reply's own branches routes the moment elsewhere), and a
scenario's branch that sends a reply to the walkout ending once anger is high enough
(`if: anger >= 70` → `partner-walks`). The help, the meter and the debrief all take
their words from here, so none of them can promise "at 100" when a customer can hang
up at 70.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from simulator.engine.machine import WALKOUT_ANGER

if TYPE_CHECKING:
    from simulator.scenario.loader import LoadedScenario

_AT_LEAST = re.compile(r"^\s*anger\s*(>=|>)\s*(\d+)\s*$")


@dataclass(frozen=True)
class WalkoutRule:
    """Where this scenario's customer can walk out."""

    limit: int = WALKOUT_ANGER
    """Anger that always ends the call (unless the reply routes it elsewhere)."""
    sooner: int | None = None
    """The lowest anger at which some reply can end the call early; None if none can."""
    routed_other: bool = False
    """Some reply ends the call on a condition other than plain anger (a flag, a turn)."""

    def sentence(self, name: str) -> str:
        """The rule in one or two sentences for the help and the debrief."""
        text = (
            f"If a reply leaves anger at {self.limit}, {name} walks out and the "
            "conversation is lost."
        )
        if self.sooner is not None and self.sooner < self.limit:
            text += (
                f" Some replies end it sooner: in this scenario a poor reply that leaves "
                f"anger at {self.sooner} or more can make {name} hang up."
            )
        elif self.routed_other:
            text += " In this scenario some replies can also end it sooner."
        return text

    def warning(self, anger: int) -> str | None:
        """A few words for the anger meter when one poor reply could end the call now."""
        if anger >= self.limit:
            return None
        if self.sooner is not None and anger >= self.sooner:
            return "may hang up"
        if anger >= self.limit - 20:
            return f"leaves at {self.limit}"
        return None


def walkout_rule(loaded: LoadedScenario) -> WalkoutRule:
    """Read the scenario's branches to its walkout ending (first match wins in the machine,
    so only branches with a condition count: they are the author routing a hang-up)."""
    target = loaded.walkout_ending
    lowest: int | None = None
    other = False
    for node in loaded.scenario.nodes.values():
        for choice in node.choices:
            if isinstance(choice.goto, str):
                continue
            for branch in choice.goto:
                if branch.to != target or branch.if_ is None:
                    continue
                match = _AT_LEAST.match(branch.if_.source)
                if match is None:
                    other = True
                    continue
                value = int(match.group(2)) + (1 if match.group(1) == ">" else 0)
                lowest = value if lowest is None else min(lowest, value)
    return WalkoutRule(sooner=lowest, routed_other=other)


def reply_threshold(loaded: LoadedScenario, node: str, choice: str) -> int | None:
    """The anger from which this reply is routed to the walkout ending, if it is."""
    scenario_node = loaded.scenario.nodes.get(node)
    reply = (
        next((c for c in scenario_node.choices if c.id == choice), None) if scenario_node else None
    )
    if reply is None or isinstance(reply.goto, str):
        return None
    for branch in reply.goto:
        if branch.to == loaded.walkout_ending and branch.if_ is not None:
            match = _AT_LEAST.match(branch.if_.source)
            if match is not None:
                return int(match.group(2)) + (1 if match.group(1) == ">" else 0)
    return None


def how_it_ended(
    rule: WalkoutRule, name: str, last_anger: int, threshold: int | None = None
) -> str:
    """Why a walk-out happened, from the anger the last reply left (and its own line)."""
    if last_anger >= rule.limit:
        return f"Your last reply took anger to {last_anger}: at {rule.limit} {name} walks out."
    line = (
        f"once anger is {threshold} or more" if threshold is not None else "when anger is this high"
    )
    return (
        f"Your last reply left anger at {last_anger}. In this scenario that reply ends the "
        f"call {line}, so {name} hung up before the meter reached {rule.limit}."
    )
