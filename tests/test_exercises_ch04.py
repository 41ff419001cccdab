"""Tests for the chapter 4 answer checkers (crmlab.exercises.ch04)."""

from __future__ import annotations

import numpy as np
import pytest

from crmlab import ahp
from crmlab.exercises import Feedback, ch04

_R = ahp.analyze(ahp.from_statements(list(ch04.TASK1_STATEMENTS)))
RIGHT = {
    "1a": float(_R.weights["repeat purchase rate"]),
    "1b": float(_R.cr),
    "2": 5.0,
    "3": ["a", "d"],
    "4": 0.25 * 2 / 7,
    "5": [4, 6],
    "6": "b",
}
WRONG = {"1a": 0.6, "1b": 0.05, "2": 4.0, "3": ["a", "b"], "4": 0.0833, "5": [2, 4, 6], "6": "a"}
CHECKS = {"1a": ch04.check_1a, "1b": ch04.check_1b, "2": ch04.check_2, "3": ch04.check_3,
          "4": ch04.check_4, "5": ch04.check_5, "6": ch04.check_6}


def test_hand_computed_right_answers():
    assert RIGHT["1a"] == pytest.approx(0.6483, abs=1e-4)
    assert RIGHT["1b"] == pytest.approx(0.0032, abs=1e-4)


@pytest.mark.parametrize("task", list(CHECKS))
def test_right_answer_passes(task):
    fb = CHECKS[task](RIGHT[task])
    assert isinstance(fb, Feedback) and fb.correct, fb


@pytest.mark.parametrize("task", list(CHECKS))
def test_wrong_answer_fails_with_hint_not_answer(task):
    fb = CHECKS[task](WRONG[task])
    assert not fb.correct
    assert len(fb.message) > 10
    right = RIGHT[task]
    if isinstance(right, float):
        shown = [f"{right:.2f}", f"{right:.3f}", f"{right:.4f}"]
        if task == "2":
            shown = ["a = 5", "is 5"]
    elif isinstance(right, list):
        shown = [str(right), str(set(right))]
    else:
        shown = [f"'{right}'", f" {right})"]
    for s in shown:
        assert s not in fb.message, (task, fb.message)


def test_alternative_answer_forms():
    assert ch04.check_3("d, a").correct
    assert ch04.check_3(("d", "a")).correct
    assert ch04.check_5(np.array([6, 4])).correct
    assert ch04.check_6(" B ").correct


def test_type_errors_are_feedback_not_exceptions():
    assert not ch04.check_1a("high").correct
    assert not ch04.check_5(["four"]).correct
    assert not ch04.check_5(4).correct
    assert not ch04.check_3(3).correct
    assert not ch04.check_6(2).correct
