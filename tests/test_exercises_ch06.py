"""Tests for the chapter 6 exercise checkers (crmlab.exercises.ch06)."""

from __future__ import annotations

import numpy as np
import pytest

from crmlab import churn as C
from crmlab import retention as R
from crmlab import survival as S
from crmlab.datasets import load_cdnow
from crmlab.exercises import ch06


@pytest.fixture(scope="module")
def sample():
    return load_cdnow("sample")


def _answers(sample):
    surv = S.survival_table(sample, ch06.TASK4_THRESHOLD, ch06.TASK4_AS_OF, unit="M", cohort_period="M")
    km = S.kaplan_meier(surv["duration"], surv["event"])
    feat = C.churn_features(sample, ch06.TASK5_CALIBRATION_END, ch06.TASK5_HOLDOUT_END)
    return {
        # hand count: February buyers ana, chen, dai; ana and dai buy again in March
        ch06.check_1a: 2 / 3,
        # ben bought in January, not February, again in March; eve is new in March
        ch06.check_1b: 1,
        ch06.check_2: R.churn_rate(sample, ch06.TASK2_THRESHOLD, ch06.TASK2_AS_OF),
        ch06.check_3: R.cohort_matrix(sample).iloc[0, 3],
        ch06.check_4a: km.table["survival"].iloc[0],
        ch06.check_4b: "no",
        ch06.check_5: C.auc(feat["churn"], feat["recency_days"]),
        # 100 * 1.1 / (1.1 - 0.85)
        ch06.check_6a: 440.0,
        # 1.1/0.2 over 1.1/0.25 - 1
        ch06.check_6b: 0.25,
    }


def test_correct_answers_pass(sample):
    for check, answer in _answers(sample).items():
        fb = check(answer)
        assert fb.correct, (check.__name__, fb)


def test_wrong_answers_get_a_hint_without_the_answer(sample):
    for check, answer in _answers(sample).items():
        wrong = "yes" if isinstance(answer, str) else answer * 1.5 + 0.01
        fb = check(wrong)
        assert not fb.correct, check.__name__
        assert len(fb.message) > 20
        if not isinstance(answer, str):
            assert f"{answer:.3f}" not in fb.message
            assert f"{answer:.2f}" not in fb.message


def test_wrong_types_do_not_crash(sample):
    for check in _answers(sample):
        fb = check("abc") if check is not ch06.check_4b else check(3.5)
        assert not fb.correct


def test_specific_hints(sample):
    feat = C.churn_features(sample, ch06.TASK5_CALIBRATION_END, ch06.TASK5_HOLDOUT_END)
    flipped = C.auc(feat["churn"], -feat["recency_days"])
    assert "wrong way round" in ch06.check_5(flipped).message
    assert "percentage" in ch06.check_6b(25.0).message
    assert ch06.check_4b(False).correct  # a boolean "no" is accepted
    assert ch06.check_4b(" No ").correct


def test_task1_log_is_in_the_schema():
    log = ch06.task1_log()
    assert list(log.columns) == ["customer_id", "date", "amount"]
    assert log["customer_id"].nunique() == 6


# ----------------------------------------------------------------------------- task 7 (sBG)
@pytest.mark.parametrize("task, right, wrongs", [
    ("7a", [0.66809, 3.80609], [[0.5961, 3.3270], [0.704, 1.182]]),
    ("7b", 378.0, [394.0, 368.0]),
    ("7c", 684.51, [631.92, 745.0]),
])
def test_sbg_task(task, right, wrongs):
    check = getattr(ch06, f"check_{task}")
    assert check(right).correct
    for w in wrongs:
        fb = check(w)
        assert not fb.correct and fb.message


def test_sbg_task_hints_name_the_mistake():
    assert "years 0-7 only" in ch06.check_7a([0.5961, 3.3270]).message
    assert "constant-retention" in ch06.check_7c(631.92).message


def test_task7c_takes_a_one_element_list_like_every_number_answer():
    # it used to call float(answer) and raise TypeError on [684.51] or np.array([631.92])
    assert ch06.check_7c([684.51]).correct
    assert "constant-retention" in ch06.check_7c(np.array([631.92])).message
