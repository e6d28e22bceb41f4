"""The matcher on its own: normalising, typos, refusing, ranking, determinism."""

from __future__ import annotations

from dataclasses import dataclass, field

from simulator.engine.catalog import load_catalog
from simulator.matching import FIT_MIN, Matcher, matcher_for, phrasings_for
from simulator.matching.text import content_stems, stem, words


@dataclass(frozen=True)
class Offer:
    id: str
    say: str
    techniques: list[str]
    also: list[str] = field(default_factory=list)


OFFERS = [
    Offer("listen", "Go on, tell me what happened. I'm listening.", ["listen"]),
    Offer("number", "Can I take your order number first?", ["interrupt"]),
    Offer("policy", "Refunds take ten days; that's our policy.", ["quote_policy"]),
]


def test_contractions_and_spellings_fold_to_one_form() -> None:
    assert words("I can't, u won't") == ["i", "can", "not", "you", "will", "not"]
    assert words("I\u2019m sorry") == ["i", "am", "sorry"]
    assert stem("listening") == stem("listened") == stem("listens") == "listen"
    assert content_stems("Apologise") == content_stems("apologize")


def test_function_words_drop_and_negations_stay() -> None:
    assert "the" not in content_stems("the order")
    assert "not" in content_stems("I will not")


def test_the_closest_move_wins_with_a_runner_up() -> None:
    match = matcher_for(OFFERS).match("could I grab your order number")
    assert match.choice == "number"
    assert match.runner_up is not None and match.runner_up.choice != "number"
    assert match.best is not None and match.best.fit >= FIT_MIN
    assert abs(sum(c.confidence for c in match.ranked) - 1.0) < 1e-9


def test_typos_still_match() -> None:
    assert matcher_for(OFFERS).match("go on, tel me what hapened, im listning").choice == "listen"


def test_technique_examples_widen_what_is_recognised() -> None:
    # "rules" is in none of the choices' own words, only in quote_policy's examples.
    assert matcher_for(OFFERS).match("I'm afraid those are the rules").choice == "policy"


def test_also_phrasings_count_as_the_choice_own_words() -> None:
    offers = [*OFFERS[:2], Offer("policy", OFFERS[2].say, ["quote_policy"], ["ten working days"])]
    assert matcher_for(offers).match("it's ten working days").choice == "policy"
    texts = [text for text, weight in phrasings_for(offers[2], {}) if weight == 1.0]
    assert texts == [OFFERS[2].say, "ten working days"]


def test_nonsense_empty_and_huge_replies_are_refused() -> None:
    matcher = matcher_for(OFFERS)
    for typed in ("purple monkey dishwasher", "", "   ", "ok", "?!", "x" * 100_000):
        match = matcher.match(typed)
        assert match.refused and match.choice is None, typed
    assert matcher.match("purple monkey").to_json()["choice"] is None


def test_matching_is_deterministic() -> None:
    def once() -> object:
        return matcher_for(OFFERS).match("tell me your order number").to_json()

    first = once()
    assert all(once() == first for _ in range(5))


def test_no_choices_refuses() -> None:
    match = Matcher([], {}).match("hello")
    assert match.refused and match.best is None and match.runner_up is None


def test_every_technique_has_examples() -> None:
    catalog = load_catalog()
    assert all(t.examples for t in catalog.techniques.values())


def test_matching_never_imports_textual() -> None:
    """The matcher serves the CLI and the checker too: it is core, not UI."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import simulator.matching, simulator.matching.turn, simulator.matching.closeness\n"
        "import simulator.matching.replies, simulator.matching.recall\n"
        "assert 'textual' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
