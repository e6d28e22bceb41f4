"""The stage's arithmetic: the line and the lesson are needs, the responses a wish."""

from __future__ import annotations

from simulator.tui.fit import CHOICES_MIN, fit


def test_everything_fits_so_nothing_waits() -> None:
    plan = fit(20, 4, 5, 10, lesson_open=True, playing=True)
    assert not plan.waiting and plan.choices_max == 11


def test_an_open_lesson_that_crowds_the_responses_makes_them_wait() -> None:
    plan = fit(16, 5, 10, 12, lesson_open=True, playing=True)
    assert plan.waiting and not plan.history  # 5 + 10 + the bar: no row left over
    assert plan.coach_max == 16 - 5 - 1  # room for the one-line "Your responses" bar


def test_a_folded_lesson_never_makes_them_wait_they_scroll_instead() -> None:
    plan = fit(16, 5, 1, 30, lesson_open=False, playing=True)
    assert not plan.waiting and plan.choices_max == 10


def test_the_responses_keep_a_minimum_and_nothing_waits_once_it_is_over() -> None:
    plan = fit(10, 8, 6, 12, lesson_open=True, playing=False)
    assert not plan.waiting and plan.choices_max == CHOICES_MIN
