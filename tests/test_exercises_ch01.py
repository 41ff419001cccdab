"""Tests for the chapter 1 answer checkers (crmlab.exercises.ch01)."""

from __future__ import annotations

import pandas as pd
from exercise_cases import number_spellings, right_and_wrong

from crmlab import lifecycle as lc
from crmlab.exercises import Feedback, ch01

RIGHT = {
    "1a": 120 / 80,
    "1b": 100 / 3,
    "2": (200 + 1000 * 0.85) * 3 * 20,
    "3": 776.8435456,
    "5": 2858 / 7814,  # January-1997 cohort: 7,814 customers, 2,858 with 2+ purchase days by 30 June
    "6": "III",
}
WRONG = {"1a": 1.4, "1b": 50, "2": 72000.0, "3": 750.0, "5": 0.52, "6": "IV"}
HAND = {"5": (7814, 2858)}
CHECKS = {"1a": ch01.check_1a, "1b": ch01.check_1b, "2": ch01.check_2, "3": ch01.check_3,
          "5": ch01.check_5, "6": ch01.check_6}


def _hidden(task, right):
    return number_spellings(right) if isinstance(right, float) else [right]


test_right_answer_passes, test_wrong_answer_fails_with_hint_not_answer = right_and_wrong(
    CHECKS, RIGHT, WRONG, hidden=_hidden)


def test_task4_right_and_wrong():
    right = lc.assign_stages(ch01.task4_log(), ch01.TASK4_AS_OF)
    assert ch01.check_4(right).correct
    assert ch01.check_4({k: str(v).upper() for k, v in right.items()}).correct  # case-insensitive
    wrong = right.astype(str).copy()
    wrong["eve"] = "stability"
    fb = ch01.check_4(wrong)
    assert not fb.correct and "1 of 5" in fb.message and "decline" not in fb.message
    assert "no stage" in ch01.check_4({"ana": "exploration"}).message
    assert not ch01.check_4(42).correct


def test_task4_typo_is_named_invalid_not_wrong():
    right = lc.assign_stages(ch01.task4_log(), ch01.TASK4_AS_OF).astype(str)
    typo = right.copy()
    typo[typo == "exploration"] = "exploraton"
    fb = ch01.check_4(typo)
    assert not fb.correct
    assert "Not a valid stage: 'exploraton'" in fb.message and "stages are off" not in fb.message


def test_task5_hand_count_and_traps():
    from crmlab.datasets import load_cdnow, to_occasions

    occ = to_occasions(load_cdnow("master"), purchases_only=True)
    first = occ.groupby("customer_id")["date"].min()
    jan = first.index[(first >= "1997-01-01") & (first < "1997-02-01")]
    early = occ[occ["customer_id"].isin(jan) & (occ["date"] <= "1997-06-30")]
    days = early.groupby("customer_id").size()
    assert (len(jan), int((days >= 2).sum())) == HAND["5"]
    assert ch01.check_5(100 * RIGHT["5"]).message.startswith("Give a share")
    everything = occ[occ["customer_id"].isin(jan)].groupby("customer_id").size()
    assert "30 June 1997" in ch01.check_5((everything >= 2).mean()).message
    assert "occasions" in ch01.check_5(2915 / 7814).message   # rows instead of purchase days
    # every customer-day as a purchase (zero-amount days too): 7,846 customers, 2,860 repeat
    assert "net amount above 0" in ch01.check_5(2860 / 7846).message


def test_task6_roman_numeral_spellings_and_invalid_choice():
    for ok in ("III", "iii", " Iii ", 3, "3", ["III"]):
        assert ch01.check_6(ok).correct, ok
    fb = ch01.check_6("V")
    assert not fb.correct and "not a valid choice" in fb.message


def test_task4_log_covers_every_stage():
    st = lc.assign_stages(ch01.task4_log(), ch01.TASK4_AS_OF).astype(str)
    assert sorted(st) == sorted(["exploration", "formation", "stability", "decline", "terminated"])


def test_type_errors_are_feedback_not_exceptions():
    assert not ch01.check_2("a lot").correct
    assert not ch01.check_6(3.5).correct
    assert isinstance(ch01.check_5(pd.Series([1, 2])), Feedback)
