"""The judgement checks' heuristics, pinned on the sentences they were designed for."""

from __future__ import annotations

from simulator.analysis.judgement import _pattern, claims, settings


def test_a_you_sentence_with_a_family_cue_is_a_claim() -> None:
    text = (
        "There you held a legal line without shaming him and escalated with a briefing "
        "because the situation really needed authority. Finally you followed up on the "
        "root cause."
    )
    assert set(claims(text)) == {"boundaries", "escalation", "follow_up"}


def test_what_did_not_happen_or_could_have_is_not_a_claim() -> None:
    assert claims("You never followed up, so the next partner hits the same wall.") == {}
    assert claims("A letter would have stopped it; you could have escalated earlier.") == {}
    assert claims("Follow-up is where one difficult case turns into a better process.") == {}
    assert claims("Look back for the turn where you escalated too soon.") == {}


def test_feedback_that_finds_fault_is_flagged_and_praise_is_not() -> None:
    cue = _pattern(settings().criticism)
    for fault in (
        "Pleasant, but it skips his point about the wait.",
        "Right move, two days late.",
        "A good, quick answer. Compare it with saying the need back first.",
    ):
        assert cue.search(fault), fault
    for praise in (
        "A respectful, clear boundary with its reason: you refused the demand, not him.",
        "Owning the broken promise quickly, without excuses, is the only way back from it.",
    ):
        assert not cue.search(praise), praise
