"""Tests for the chapter 8 answer checkers (crmlab.exercises.ch08)."""

from __future__ import annotations

from exercise_cases import right_and_wrong

from crmlab.exercises import ch08

RIGHT = {"1": [1, 12.5], "2": 9449, "3": "customer_id"}
WRONG = {
    "1": [3, 12.5],     # rows with a positive amount, not purchase days
    "2": 9519,
    "3": "date",
}
CHECKS = {"1": ch08.check_1, "2": ch08.check_2, "3": ch08.check_3}


def _hidden(task, right):
    return {"1": ["12.5"], "2": ["9449", "9,449"]}.get(task, [])


test_right_answer_passes, test_wrong_answer_fails_with_hint_not_answer = right_and_wrong(
    CHECKS, RIGHT, WRONG, hidden=_hidden)


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
