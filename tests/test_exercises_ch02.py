"""Tests for the chapter 2 exercise checkers (crmlab.exercises.ch02)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from crmlab.exercises import ch02 as ex

LABELS = ["X premium", "Y basic", "Z online"]
# hand-computed with value of time 30 CNY/h:
# X: TCV 300+60+30+60 = 450, TCC 250+2*30+20+10 = 340 -> 110, 1.3235
# Y: TCV 250, TCC 100+4*30+30+10 = 260 -> -10, 0.9615
# Z: TCV 260, TCC 60+3*30+30+0 = 180 -> 80, 1.4444
ABS = pd.Series([110.0, -10.0, 80.0], index=LABELS)
REL = pd.Series([450 / 340, 250 / 260, 260 / 180], index=LABELS)
STUDENT = pd.Series([160.0, 90.0, 155.0], index=LABELS)  # time at 5 CNY/h
PRICE_CUT = 340 - 450 / (260 / 180)  # 28.4615...
RETENTION = 1 / (1 + math.exp(-0.02 * (110 - 80)))
CLV = 40 * sum((RETENTION / 1.01) ** t for t in range(24))

CHECKS = [ex.check_1a, ex.check_1b, ex.check_2a, ex.check_2b, ex.check_3, ex.check_4,
          ex.check_5, ex.check_6a, ex.check_6b]


@pytest.mark.parametrize(
    ("check", "answer"),
    [
        (ex.check_1a, ABS), (ex.check_1a, ABS.tolist()), (ex.check_1a, ABS.iloc[::-1]),
        (ex.check_1b, REL), (ex.check_2a, "X premium"), (ex.check_2a, "x"),
        (ex.check_2b, "Z online"), (ex.check_3, STUDENT), (ex.check_4, "time"),
        (ex.check_4, "Time cost"), (ex.check_5, PRICE_CUT), (ex.check_6a, RETENTION),
        (ex.check_6b, CLV),
    ],
)
def test_hand_computed_answers_pass(check, answer):
    assert check(answer).correct


@pytest.mark.parametrize(
    ("check", "answer", "hint"),
    [
        (ex.check_1a, ABS + 1, "1 of 3 values are off|3 of 3 values are off"),
        (ex.check_1a, pd.Series([168.0, 106.0, 167.0], index=LABELS), "weight it by the value of time"),
        (ex.check_1a, REL, "relative form"),
        (ex.check_1a, [1.0, 2.0], "Expected shape"),
        (ex.check_1b, REL * 1.1, "Divide total value"),
        (ex.check_2a, "Z online", "largest TCV − TCC"),
        (ex.check_2a, 3, "Expected a label"),
        (ex.check_2b, "X premium", "largest TCV / TCC"),
        (ex.check_3, ABS, "30 CNY/h customer"),
        (ex.check_4, "monetary", "weight on time"),
        (ex.check_4, "energy", "sensitivity"),
        (ex.check_5, -PRICE_CUT, "wrong sign"),
        (ex.check_5, 30.0, "absolute form"),
        (ex.check_5, 10.0, "too low"),
        (ex.check_5, "lots", "not text"),
        (ex.check_6a, 1 / (1 + math.exp(-0.02 * 120)), "best"),
        (ex.check_6a, 1.5, "between 0 and 1"),
        (ex.check_6a, 0.5, "too low"),
        (ex.check_6b, CLV * RETENTION, "already acquired"),
        (ex.check_6b, 40.0, "too low"),
    ],
)
def test_wrong_answers_get_a_hint_without_the_answer(check, answer, hint):
    fb = check(answer)
    assert not fb.correct
    assert any(h in fb.message for h in hint.split("|")), fb.message
    for secret in (f"{CLV:.1f}", f"{PRICE_CUT:.1f}", f"{RETENTION:.3f}", "110", "1.32"):
        assert secret not in fb.message


def test_data_and_constants():
    p = ex.plans()
    assert p.index.tolist() == LABELS
    assert ex.VALUE_OF_TIME == 30 and ex.HORIZON == 24
    assert np.isclose(p["time"].sum(), 9.0)
