"""Tests for the chapter 8 answer checkers (crmlab.exercises.ch08)."""

from __future__ import annotations

import pytest

from crmlab.exercises import Feedback, ch08

RIGHT = {"1": [1, 12.5], "2": 9449, "3": "customer_id"}
WRONG = {
    "1": [3, 12.5],     # rows with a positive amount, not purchase days
    "2": 9519,
    "3": "date",
}
CHECKS = {"1": ch08.check_1, "2": ch08.check_2, "3": ch08.check_3}


@pytest.mark.parametrize("task", list(CHECKS))
def test_right_answer_passes(task):
    fb = CHECKS[task](RIGHT[task])
    assert isinstance(fb, Feedback) and fb.correct, fb


@pytest.mark.parametrize("task", list(CHECKS))
def test_wrong_answer_fails_with_hint_not_answer(task):
    fb = CHECKS[task](WRONG[task])
    assert not fb.correct and len(fb.message) > 10
    if task == "2":
        assert "9449" not in fb.message and "9,449" not in fb.message
    if task == "1":
        assert "12.5" not in fb.message


def test_task1_answer_ignores_what_is_after_as_of():
    assert not ch08.check_1([2, 42.5]).correct     # 2 April counted
    assert not ch08.check_1([1, 20.0]).correct     # the later return left out
    assert "shape" in ch08.check_1([1.0]).message


def test_task3_accepts_quoted_spelling():
    assert ch08.check_3(" `customer_id` ").correct
    assert not ch08.check_3(3).correct


def test_task1_log_schema():
    log = ch08.task1_log()
    assert list(log.columns) == ["customer_id", "date", "amount"]
    assert str(log["date"].dtype) == "datetime64[ns]"
