"""Turns told for people: names from the glossary, reasons that add up, the moments."""

from __future__ import annotations

import json
from pathlib import Path

from simulator.engine.catalog import load_catalog
from simulator.engine.glossary import load_glossary
from simulator.engine.session import Session
from simulator.engine.story import logged_story, moments, net, reasons, session_story
from simulator.scenario.library import resolve
from tests.conftest import load_fixture
from tests.test_logs_writer import play_into


def test_every_technique_and_source_has_words_for_people() -> None:
    catalog, glossary = load_catalog(), load_glossary()
    assert set(catalog.techniques) <= set(glossary.techniques)
    codes = {c for f in catalog.families.values() for c in f.sources}
    codes |= {c for t in catalog.techniques.values() for c in t.sources}
    codes |= {c for r in catalog.rules.values() for c in r.sources}
    assert codes <= set(glossary.sources)
    assert not any(title.isdigit() for title in glossary.sources.values())


def test_reasons_add_up_to_the_change_and_never_show_ids() -> None:
    catalog, glossary = load_catalog(), load_glossary()
    loaded = resolve("customs-invoice").loaded
    assert loaded is not None, "the bundled customs-invoice scenario must load"
    for position in range(4):
        session = Session(loaded, seed=position)
        while not session.finished and len(session.turns) < 12:
            offered = session.choices()
            turn = session.choose(offered[min(position, len(offered) - 1)].id)
            change = (
                turn.after.mood.anger - turn.before.mood.anger,
                turn.after.mood.trust - turn.before.mood.trust,
            )
            assert net(turn.effects) == change
            for item in reasons(turn.effects, catalog, glossary):
                assert item.what not in catalog.techniques
                assert all(not source.isdigit() for source in item.sources)


def test_moments_are_the_biggest_losses_and_never_the_best_move() -> None:
    loaded = load_fixture("late-refund.yaml")
    session = Session(loaded, seed=1)
    result = session.play(["calm-down", "policy"])
    story = session_story(result, loaded, mode="practice")
    found = moments(story.turns)
    assert found and len(found) <= 3
    assert all(not turn.best and turn.better_say for turn in found)
    assert [t.loss for t in found] == sorted((t.loss for t in found), reverse=True)


def test_a_logged_session_tells_the_same_story(tmp_path: Path) -> None:
    log = play_into(tmp_path, ["calm-down", "policy"])
    loaded = load_fixture("late-refund.yaml")
    records = [json.loads(line) for line in log.path.read_bytes().splitlines()]
    logged = logged_story(records, loaded)
    session = Session(loaded, seed=3)
    live = session_story(session.play(["calm-down", "policy"]), loaded, mode="practice")
    assert (logged.score, logged.grade, logged.status, logged.outcome) == (
        live.score,
        live.grade,
        live.status,
        live.outcome,
    )
    for mine, theirs in zip(logged.turns, live.turns, strict=True):
        assert (mine.said, mine.best, mine.better_say, mine.after) == (
            theirs.said,
            theirs.best,
            theirs.better_say,
            theirs.after,
        )
        assert mine.customer_line == theirs.customer_line
        assert net(mine.effects) == net(theirs.effects)


def test_a_reply_without_a_coach_sentence_gets_its_main_reason_in_the_nets_direction() -> None:
    from simulator.engine.story import turn_story

    loaded = load_fixture("late-refund.yaml")
    turn = Session(loaded, seed=1).choose("calm-down")  # no feedback in the fixture
    told = turn_story(turn, loaded)
    assert turn.feedback is None and told.because
    assert told.because.startswith(load_glossary().technique("minimize").capitalize())
    assert net(turn.effects)[0] > 0  # it raised anger, and the reason is one that raised it
