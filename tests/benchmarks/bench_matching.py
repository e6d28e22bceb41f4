"""Typed-reply matching: time per reply against its 20 ms budget, and the evaluation set.

Timed in the same run, each as the median of several rounds:

- the baseline: one rapidfuzz `fuzz.ratio` of the reply against each choice's `say`
  (the cheapest text comparison there is);
- a turn as recall mode plays it: build the matcher for the node, match one reply;
- a match alone, the matcher already built (the TUI builds one per turn);
- the worst case: a 2,000-character reply (the most the matcher reads) at the node
  with the most choices in the bundled library.

Then the accuracy on the evaluation set (tests/recall_eval.py): top-1, top-2, refusals
and nonsense, for the tuning set, the held-out set and the hard paraphrases.
Run with `make bench`; never part of `make test`.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable

import yaml
from rapidfuzz import fuzz

from simulator.engine.catalog import load_catalog
from simulator.matching import matcher_for
from simulator.matching.matcher import REPLY_MAX
from simulator.scenario.library import load_library, resolve
from simulator.scenario.models import Node
from tests.recall_eval import EVAL, HARD, HELDOUT, evaluate

BUDGET_MS = 20.0


def _median_ms(action: Callable[[], object], *, calls: int, rounds: int = 7) -> float:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(calls):
            action()
        samples.append((time.perf_counter() - start) / calls * 1000)
    return statistics.median(samples)


def _cases() -> list[tuple[Node, str]]:
    """(node, reply) for every line of the tuning set, at its node."""
    cases = []
    for path in sorted(EVAL.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if "scenario" not in data:
            continue
        loaded = resolve(str(data["scenario"])).loaded
        assert loaded is not None
        for node_id, choices in data["nodes"].items():
            node = loaded.scenario.nodes[node_id]
            cases += [(node, line) for lines in choices.values() for line in lines]
    return cases


def test_matching_speed_and_accuracy() -> None:
    catalog = load_catalog()
    cases = _cases()
    built = {id(node): matcher_for(node.choices, catalog) for node, _ in cases}

    def baseline() -> object:
        return [[fuzz.ratio(reply, c.say) for c in node.choices] for node, reply in cases]

    def turns() -> object:
        return [matcher_for(node.choices, catalog).match(reply) for node, reply in cases]

    def matches() -> object:
        return [built[id(node)].match(reply) for node, reply in cases]

    n = len(cases)
    base_ms = _median_ms(baseline, calls=3) / n
    turn_ms = _median_ms(turns, calls=3) / n
    match_ms = _median_ms(matches, calls=3) / n
    biggest = max(
        (node for loaded in load_library().scenarios for node in loaded.scenario.nodes.values()),
        key=lambda node: len(node.choices),
    )
    # Distinct made-up words: none is in the vocabulary, so each is compared fuzzily.
    rng = random.Random(13)
    letters = "abcdefghijklmnopqrstuvwxyz"
    essay = " ".join("".join(rng.choices(letters, k=6)) for _ in range(400))[:REPLY_MAX]
    worst_ms = _median_ms(lambda: matcher_for(biggest.choices, catalog).match(essay), calls=20)
    print(
        f"\n{n} replies from the evaluation set, median of 7 rounds:"
        f"\n  baseline (rapidfuzz ratio vs each say): {base_ms * 1000:7.1f} us/reply"
        f"\n  recall turn (build matcher + match):    {turn_ms * 1000:7.1f} us/reply, "
        f"{turn_ms / base_ms:.0f}x the baseline, {turn_ms / BUDGET_MS:.1%} of the 20 ms budget"
        f"\n  match alone (matcher built):            {match_ms * 1000:7.1f} us/reply"
        f"\n  worst case ({REPLY_MAX} chars of unknown words, {len(biggest.choices)} choices): "
        f"{worst_ms:7.2f} ms ({worst_ms / BUDGET_MS:.1%} of the budget)"
    )
    for name, folders in (("tuning", (EVAL,)), ("held-out", (HELDOUT,)), ("hard", (HARD,))):
        print(f"  {name:8s} {evaluate(*folders).summary()}")
    assert worst_ms > 0
