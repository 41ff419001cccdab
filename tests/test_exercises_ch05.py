"""Tests for the chapter 5 exercise checkers: right answers pass, wrong ones get a hint, `...` is handled."""

from __future__ import annotations

import numpy as np

from crmlab.exercises import ch05
from crmlab.segmentation import gini, top_share


def _hint_hides(fb, *secrets):
    text = repr(fb)
    return all(str(s) not in text for s in secrets)


def test_task1_values():
    # kim: 15 Jan (two rows, one occasion), 2 Mar, 20 May; the 4 Jul purchase is after as_of
    assert ch05.check_1a(3).correct
    assert not ch05.check_1a(4).correct          # counted the July purchase
    assert "same day" in ch05.check_1a(5).message  # counted rows, not occasions
    assert ch05.check_1b(41).correct              # 20 May -> 30 June
    assert not ch05.check_1b(-4).correct
    assert ch05.check_1c(25.30).correct
    assert ch05.check_1c(0.1 + 0.2 + 19.99 + 5.01).correct
    assert not ch05.check_1c(124.30).correct
    assert not ch05.check_1c("25.30").correct
    assert _hint_hides(ch05.check_1c(1.0), "25.3")


def test_task2_values():
    from crmlab.datasets import load_cdnow
    from crmlab.rfm import rfm_table

    m = rfm_table(load_cdnow("master"))["monetary"]
    assert ch05.check_2a(top_share(m, 0.2)).correct
    assert ch05.check_2a(0.678).correct
    assert not ch05.check_2a(0.8).correct
    assert "not a percentage" in ch05.check_2a(67.8).message
    assert ch05.check_2b(gini(m)).correct
    assert not ch05.check_2b(0.5).correct
    assert not ch05.check_2b("high").correct


def test_task3_values():
    assert ch05.check_3a(5).correct          # 以上 includes 5000
    assert not ch05.check_3a(4).correct
    assert ch05.check_3b("552").correct
    assert ch05.check_3b(552).correct
    fb = ch05.check_3b("451")
    assert not fb.correct and _hint_hides(fb, "552")


def test_task4_values():
    assert ch05.check_4a([1, 1, 1, 1, 1, 1, 4, 4, 5, 5]).correct
    assert ch05.check_4a(np.array([1, 1, 1, 1, 1, 1, 4, 4, 5, 5])).correct
    fb = ch05.check_4a([1, 1, 2, 2, 3, 3, 4, 4, 5, 5])  # rank(method="first") style
    assert not fb.correct and "ties" in fb.message
    assert "shape" in ch05.check_4a([1, 2]).message
    assert ch05.check_4b([2, 3]).correct
    assert ch05.check_4b({3, 2}).correct
    assert not ch05.check_4b([2]).correct


def test_task5_and_6():
    assert ch05.check_5("key maintenance").correct
    assert ch05.check_5("Key Maintenance ").correct
    assert not ch05.check_5("quality").correct
    assert ch05.check_6("b").correct and ch05.check_6("B").correct
    assert not ch05.check_6("a").correct
    assert _hint_hides(ch05.check_6("a"), "'b'")
