"""Tests for the chapter 4 answer checkers (crmlab.exercises.ch04)."""

from __future__ import annotations

import numpy as np
import pytest
from exercise_cases import number_spellings, right_and_wrong

from crmlab import ahp
from crmlab.exercises import ch04

_R = ahp.analyze(ahp.from_statements(list(ch04.TASK1_STATEMENTS)))
RIGHT = {
    "1a": float(_R.weights["repeat purchase rate"]),
    "1b": float(_R.cr),
    "2": 5.0,
    "3": ["a", "d"],
    "4": 0.25 * 2 / 7,
    "5": [1],       # dropping X8 moves customer 1 out of "high current / high potential"
    "6": 116 / 1000,
}
WRONG = {"1a": 0.6, "1b": 0.05, "2": 4.0, "3": ["a", "b"], "4": 0.0833, "5": [2, 4, 6], "6": 0.5}
CHECKS = {"1a": ch04.check_1a, "1b": ch04.check_1b, "2": ch04.check_2, "3": ch04.check_3,
          "4": ch04.check_4, "5": ch04.check_5, "6": ch04.check_6}


def test_hand_computed_right_answers():
    assert RIGHT["1a"] == pytest.approx(0.6483, abs=1e-4)
    assert RIGHT["1b"] == pytest.approx(0.0032, abs=1e-4)


def _hidden(task, right):
    if task == "2":
        return ["a = 5", "is 5"]
    if task == "6":
        return ["0.116", "11.6", "116"]
    if isinstance(right, float):
        return number_spellings(right, (2, 3, 4))
    if isinstance(right, list):
        return [str(right), str(set(right))]
    return [f"'{right}'", f" {right})"]


test_right_answer_passes, test_wrong_answer_fails_with_hint_not_answer = right_and_wrong(
    CHECKS, RIGHT, WRONG, hidden=_hidden)


def test_alternative_answer_forms():
    assert ch04.check_3("d, a").correct
    assert ch04.check_3(("d", "a")).correct
    assert ch04.check_3(["A", "D"]).correct
    assert ch04.check_5(np.array([1])).correct
    assert ch04.check_5("1").correct
    assert ch04.check_6(np.array([0.116])).correct


def test_task2_accepts_what_the_hint_gives():
    # w1 = a / (1 + a) with the published, rounded weights gives 4.9988, not 5
    assert ch04.check_2(0.8333 / 0.1667).correct
    assert ch04.check_2(0.8333 / (1 - 0.8333)).correct
    assert not ch04.check_2(4.9).correct and not ch04.check_2(5.1).correct


def test_task3_matrix_is_labelled_so_the_helper_answers_with_names():
    best = ahp.most_inconsistent_judgment(ch04.TASK3_MATRIX).iloc[0]
    assert ch04.check_3([best["row"], best["col"]]).correct
    assert "positions" in ch04.check_3([0, 3]).message
    assert "Not valid here: 'e'" in ch04.check_3(["a", "e"]).message


def test_task5_and_task6_need_a_computation():
    # task 5: the paper's segments (z-scores) with and without X8, recomputed here
    x = ahp.load_customers()
    assert "X8" in x.columns
    assert "changes segment" in ch04.check_5([]).message
    # task 6: recount the disagreements directly
    stack = ahp.random_reciprocal_matrices(ch04.TASK6_SIZE, 4, seed=ch04.TASK6_SEED)
    e = ahp.batch_analyze(stack, "eigenvector").weights.argmax(axis=1)
    g = ahp.batch_analyze(stack, "geometric_mean").weights.argmax(axis=1)
    assert int((e != g).sum()) == 116
    assert "column average" in ch04.check_6(0.141).message
    assert "agree" in ch04.check_6(1 - 0.116).message
    assert ch04.check_6(11.6).message.startswith("Give a share")


def test_type_errors_are_feedback_not_exceptions():
    assert not ch04.check_1a("high").correct
    assert not ch04.check_5(["four"]).correct
    assert not ch04.check_5(4).correct
    assert not ch04.check_3(3).correct
    assert not ch04.check_6("b").correct
