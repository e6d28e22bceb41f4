"""Recall mode's promise, measured: typed replies find the move their author meant.

Done means >= 90% top-1, >= 98% top-2 over the evaluation set, and every nonsense
line refused at every node. The numbers are printed with `-s` and in `make bench`.
"""

from __future__ import annotations

from tests.recall_eval import EVAL, HARD, HELDOUT, TOP1_MIN, TOP2_MIN, evaluate


def test_evaluation_set_meets_the_accuracy_bar() -> None:
    scores = evaluate(EVAL, HELDOUT)
    print("\n" + scores.summary())
    assert not scores.stale, "re-target the recall evaluation set:\n" + "\n".join(scores.stale)
    assert len(scores.scenarios) >= 3
    assert scores.items >= 300
    misses = "\n".join(scores.misses)
    assert scores.rate(scores.top1) >= TOP1_MIN, f"{scores.summary()}\n{misses}"
    assert scores.rate(scores.top2) >= TOP2_MIN, f"{scores.summary()}\n{misses}"
    assert scores.nonsense_refused == scores.nonsense, f"{scores.summary()}\n{misses}"


def test_hard_paraphrases_are_refused_rather_than_misplayed() -> None:
    """Where the words run out, the trainee is asked to rephrase, not shown a wrong move."""
    scores = evaluate(HARD)
    print("\nhard set: " + scores.summary())
    assert not scores.stale, "\n".join(scores.stale)
    assert scores.rate(scores.wrong) <= 0.10, "\n".join(scores.misses)
