"""The recall evaluation set, played against the matcher: shared by its test and bench.

tests/fixtures/recall/eval/*.yaml hold, per bundled scenario, node and choice id, how
different people would type that move (written while the matcher was tuned); heldout/
holds more, written after its numbers were fixed and never tuned against; hard/ holds
paraphrases in words the choices mostly do not use, where a words-based matcher should
refuse rather than guess. eval/nonsense.yaml holds lines that are no reply at all,
tried at every node of whichever sets are evaluated.

Keys are ids, never wordings, so a rewrite of a scenario's lines keeps them; an id that
no longer exists is reported as stale (the set needs re-targeting), never skipped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from simulator.matching import matcher_for
from simulator.scenario.library import resolve

RECALL = Path(__file__).parent / "fixtures" / "recall"
EVAL = RECALL / "eval"
HELDOUT = RECALL / "heldout"
HARD = RECALL / "hard"
TOP1_MIN = 0.90
TOP2_MIN = 0.98


@dataclass
class Scores:
    """Counts over the whole set, and the misses for the failure message."""

    items: int = 0
    top1: int = 0
    top2: int = 0
    refused: int = 0
    wrong: int = 0
    """Matched (not refused) to a move the line did not mean: the costly mistake."""
    nonsense: int = 0
    nonsense_refused: int = 0
    scenarios: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)

    def rate(self, count: int, of: int | None = None) -> float:
        total = self.items if of is None else of
        return count / total if total else 0.0

    def summary(self) -> str:
        return (
            f"recall eval over {', '.join(self.scenarios)}: {self.items} replies, "
            f"top-1 {self.rate(self.top1):.1%}, top-2 {self.rate(self.top2):.1%}, "
            f"refused {self.rate(self.refused):.1%}, wrong {self.rate(self.wrong):.1%}; "
            "nonsense refused "
            f"{self.nonsense_refused}/{self.nonsense}"
        )


def _sets(folders: tuple[Path, ...]) -> tuple[list[dict[str, Any]], list[str]]:
    sets: list[dict[str, Any]] = []
    nonsense: list[str] = []
    paths = {p for folder in folders for p in folder.glob("*.yaml")} | {EVAL / "nonsense.yaml"}
    for path in sorted(paths):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if "nonsense" in data:
            nonsense += [str(line) for line in data["nonsense"]]
        else:
            sets.append(data)
    return sets, nonsense


def evaluate(*folders: Path) -> Scores:
    """Match every line of the set at its node; nonsense at every node of every scenario."""
    scores = Scores()
    sets, nonsense = _sets(folders or (EVAL,))
    for data in sets:
        scenario_id = str(data["scenario"])
        if scenario_id not in scores.scenarios:
            scores.scenarios.append(scenario_id)
        loaded = resolve(scenario_id).loaded
        if loaded is None:
            scores.stale.append(f"{scenario_id}: no such bundled scenario")
            continue
        for node_id, choices in data["nodes"].items():
            node = loaded.scenario.nodes.get(node_id)
            if node is None:
                scores.stale.append(f"{scenario_id}: no node {node_id!r}")
                continue
            offered = {c.id for c in node.choices}
            matcher = matcher_for(node.choices)
            for choice_id, lines in choices.items():
                if choice_id not in offered:
                    scores.stale.append(f"{scenario_id}/{node_id}: no choice {choice_id!r}")
                    continue
                for line in lines:
                    assert isinstance(line, str), f"{scenario_id}/{node_id}: {line!r}"
                    _score(scores, matcher.match(line), f"{scenario_id}/{node_id}", choice_id)
            for line in nonsense:
                scores.nonsense += 1
                match = matcher.match(line)
                if match.refused:
                    scores.nonsense_refused += 1
                else:
                    scores.misses.append(
                        f"nonsense {line!r} at {scenario_id}/{node_id} -> {match.choice}"
                    )
    return scores


def _score(scores: Scores, match: Any, where: str, expected: str) -> None:
    scores.items += 1
    ranked = [c.choice for c in match.ranked]
    if match.refused:
        scores.refused += 1
    elif ranked[0] == expected:
        scores.top1 += 1
    else:
        scores.wrong += 1
    if not match.refused and expected in ranked[:2]:
        scores.top2 += 1
    if match.refused or ranked[0] != expected:
        got = "refused" if match.refused else ranked[0]
        scores.misses.append(f"{where}/{expected}: {match.typed!r} -> {got}")
