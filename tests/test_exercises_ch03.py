"""Tests for the chapter 3 answer checkers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from crmlab import clv
from crmlab.exercises import ch03


def _no_leak(fb, *values):
    for v in values:
        for s in {f"{v}", f"{v:.2f}", f"{v:,.0f}", f"{v:.4f}"}:
            assert s not in fb.message, fb.message


def test_check_1a():
    right = 8100 / (5150 + 8100)      # referral share of years 2-5 (seed 001, hand sums)
    assert ch03.check_1a(right).correct
    assert ch03.check_1a(np.array([right])).correct
    fb = ch03.check_1a(8100 / 13200)
    assert not fb.correct and "article" in fb.message
    fb = ch03.check_1a(8100 / 14050)
    assert not fb.correct and "year 1" in fb.message
    assert "direct" in ch03.check_1a(5150 / 13250).message
    assert ch03.check_1a(100 * right).message.startswith("Give a share")
    fb = ch03.check_1a(0.3)
    assert not fb.correct and "too low" in fb.message
    _no_leak(fb, right)
    assert not ch03.check_1a("lots").correct


def test_check_1b():
    net = [-50, 1450, 2150, 3450, 5800]
    right = sum(v / 1.08 ** (t + 1) for t, v in enumerate(net))
    assert ch03.check_1b(right).correct
    fb = ch03.check_1b(right * 1.08)
    assert not fb.correct and "discount it once" in fb.message
    assert "undiscounted" in ch03.check_1b(12800).message
    fb = ch03.check_1b(right + 500)
    assert not fb.correct and "too high" in fb.message
    _no_leak(fb, right)


def test_check_2a():
    from crmlab.datasets import load_seed_table

    b = load_seed_table("two_buyers")
    a_amt = b.query("buyer == 'A'")["amount"].to_numpy()
    d = clv.break_even_discount(a_amt, [15000] * 3, interval_a=4, interval_b=4)
    # independent check that d equalises the two present values
    pa = sum(x / (1 + d) ** (4 * i) for i, x in enumerate(a_amt))
    pb = sum(15000 / (1 + d) ** (4 * i) for i in range(3))
    assert pa == pytest.approx(pb, rel=1e-9)
    assert ch03.check_2a(d).correct
    assert ch03.check_2a(round(d, 4)).correct
    fb = ch03.check_2a(d * 100)
    assert not fb.correct and "not a percentage" in fb.message
    assert not ch03.check_2a(0.1).correct


def test_check_3():
    m, r, d = 200.0, 0.75, 0.10
    assert ch03.check_3a(m * r / (1 + d - r)).correct
    assert "current period" in ch03.check_3a(m * (1 + d) / (1 + d - r)).message
    assert "retained once" in ch03.check_3a(m / (1 + d - r)).message
    five = sum(m * r**t / (1 + d) ** t for t in range(5))
    assert ch03.check_3b(five).correct
    assert "t = 0" in ch03.check_3b(sum(m * r**t / (1 + d) ** t for t in range(1, 6))).message
    assert "Five margins" in ch03.check_3b(sum(m * r**t / (1 + d) ** t for t in range(6))).message
    fb = ch03.check_3b(100.0)
    assert not fb.correct
    _no_leak(fb, five)


def test_check_4a():
    P, R, d = ch03.TASK4_P, ch03.TASK4_R, ch03.TASK4_DISCOUNT
    assert list(P.index) == list(P.columns) == list(R.index) == list(ch03.TASK4_STATES)
    V = np.linalg.inv(np.eye(3) - P.to_numpy() / (1 + d)) @ R.to_numpy()
    assert ch03.check_4a(V).correct
    assert ch03.check_4a(pd.Series(V, index=R.index)[::-1]).correct   # labelled, any order
    assert ch03.check_4a(pd.Series(V)).correct
    assert ch03.check_4a(list(V)).correct
    assert "current period" in ch03.check_4a(V - R).message
    fb = ch03.check_4a(V[:2])
    assert not fb.correct and "shape" in fb.message
    assert not ch03.check_4a(V * 1.1).correct


def test_check_5a():
    assert ch03.check_5a(["B", "H"]).correct
    assert ch03.check_5a({"H", "B"}).correct
    assert ch03.check_5a("BH").correct
    assert ch03.check_5a(["b", "h"]).correct          # labels ignore case
    assert ch03.check_5a("B, H").correct
    assert "Not valid here: 'Z'" in ch03.check_5a(["B", "Z"]).message
    fb = ch03.check_5a(["B", "H", "F"])
    assert not fb.correct and "1 item(s) should not be there" in fb.message
    assert not ch03.check_5a(["A", "E"]).correct
