"""Tests of crmlab.finance: discounting, present value, retention CLV, expected lifetime, revenue identity."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmlab import finance
from crmlab.errors import ParameterError


# --------------------------------------------------------------------------- discounting
def test_npv_hand_computed():
    net = [-50, 1450, 2150, 3450, 5800]
    expected = -50 / 1.1 + 1450 / 1.1**2 + 2150 / 1.1**3 + 3450 / 1.1**4 + 5800 / 1.1**5
    assert finance.npv(net, 0.1) == pytest.approx(expected, rel=1e-12)
    assert finance.npv(net, 0.1, first_period_at=0) == pytest.approx(expected * 1.1, rel=1e-12)
    assert finance.npv(net, 0.0) == 12800
    curve = finance.npv(net, np.array([0.0, 0.1]))
    assert curve.shape == (2,)
    assert curve[1] == pytest.approx(expected)


def test_present_value_errors():
    with pytest.raises(ParameterError, match="discount must be a rate per period >= 0"):
        finance.present_value([1], [1], -0.1)
    with pytest.raises(ParameterError, match="did you type a percentage"):
        finance.present_value([1], [1], 10)
    assert finance.present_value([100], [1], 10, max_rate=np.inf) == pytest.approx(100 / 11)
    with pytest.raises(ParameterError, match="same length"):
        finance.present_value([1, 2], [1], 0.1)
    with pytest.raises(ParameterError, match="empty"):
        finance.npv([], 0.1)
    with pytest.raises(ParameterError, match="amounts\\[1\\]"):
        finance.present_value([1, "x"], [0, 1], 0.1)


def direct_sum(m, r, d, T, first):
    t = np.arange(first, first + T, dtype=float)
    with np.errstate(over="ignore"):  # (1+d)^t overflows to inf for huge t: the term is then 0
        return float(np.sum(m * r**t / (1 + d) ** t))


def test_retention_clv_closed_forms_hand_computed():
    assert finance.retention_clv(100, 0.8, 0.12) == pytest.approx(250.0, rel=1e-12)
    assert finance.retention_clv(100, 0.8, 0.12, first_margin_at=0) == pytest.approx(350.0, rel=1e-12)
    assert finance.retention_clv(100, 0.9, 0.1, horizon=2) == pytest.approx(
        100 * (0.9 / 1.1 + 0.81 / 1.21), rel=1e-12)
    assert finance.retention_clv(100, 0.9, 0.1, horizon=2, first_margin_at=0) == pytest.approx(
        100 * (1 + 0.9 / 1.1), rel=1e-12)
    # r = 0: only the current margin, if counted
    assert finance.retention_clv(50, 0.0, 0.1, first_margin_at=0) == 50
    assert finance.retention_clv(50, 0.0, 0.1) == 0
    assert finance.retention_clv(50, 0.0, 0.1, horizon=3, first_margin_at=0) == 50
    assert finance.retention_clv(50, 0.5, 0.1, horizon=0) == 0
    # r/(1+d) = 1 exactly (a customer who never leaves, no discounting, finite horizon): T margins of m
    assert finance.retention_clv(10, 1.0, 0.0, horizon=3, first_margin_at=0) == pytest.approx(30)
    # the two conventions of the issue: one name, two documented calls
    assert finance.retention_clv(100, 0.8, 0.1) == pytest.approx(800 / 3, rel=1e-12)
    assert finance.retention_clv(100, 0.8, 0.1, first_margin_at=0) == pytest.approx(1100 / 3, rel=1e-12)


@pytest.mark.parametrize("first", [0, 1])
@pytest.mark.parametrize("T", [1, 7, 100, 500, 2000])
def test_retention_clv_matches_direct_sum(first, T):
    for m, r, d in [(100, 0.8, 0.12), (1, 0.99, 0.01), (-3.5, 0.5, 0.0), (7, 0.95, 0.02)]:
        got = finance.retention_clv(m, r, d, horizon=T, first_margin_at=first)
        assert got == pytest.approx(direct_sum(m, r, d, T, first), rel=1e-9, abs=1e-12)


@settings(max_examples=200, deadline=None)
@given(
    m=st.floats(-1e4, 1e4),
    r=st.floats(0, 0.999),
    d=st.floats(0, 1, exclude_max=True),
    T=st.integers(0, 3000),
    first=st.sampled_from([0, 1]),
)
def test_retention_clv_property_direct_sum(m, r, d, T, first):
    got = finance.retention_clv(m, r, d, horizon=T, first_margin_at=first)
    assert got == pytest.approx(direct_sum(m, r, d, T, first), rel=1e-9, abs=1e-9)
    assert abs(got) <= abs(finance.retention_clv(m, r, d, first_margin_at=first)) * (1 + 1e-12) + 1e-12


def test_retention_clv_long_horizon_tends_to_infinite():
    for first in (0, 1):
        inf = finance.retention_clv(100, 0.9, 0.1, first_margin_at=first)
        assert finance.retention_clv(100, 0.9, 0.1, horizon=5000, first_margin_at=first) == pytest.approx(
            inf, rel=1e-9)
        assert direct_sum(100, 0.9, 0.1, 5000, first) == pytest.approx(inf, rel=1e-9)


def test_retention_clv_conventions_agree():
    m, r, d = 120.0, np.array([0.3, 0.7, 0.9]), np.array([[0.05], [0.15]])
    for T in (None, 1, 10, 300):
        c0 = finance.retention_clv(m, r, d, horizon=T, first_margin_at=0)
        c1 = finance.retention_clv(m, r, d, horizon=T, first_margin_at=1)
        np.testing.assert_allclose(c1, c0 * r / (1 + d), rtol=1e-12)
        if T is not None:
            np.testing.assert_allclose(
                c0, m + finance.retention_clv(m, r, d, horizon=T - 1, first_margin_at=1), rtol=1e-12)
    # the third convention sum_{t>=1} m r^{t-1}/(1+d)^t = m/(1+d-r)
    assert finance.retention_clv(100, 0.8, 0.12, first_margin_at=0) / 1.12 == pytest.approx(100 / 0.32)


def test_retention_clv_broadcasts():
    out = finance.retention_clv([100, 200, 300], np.array([[0.5], [0.8]]), 0.1)
    assert out.shape == (2, 3)
    assert out[1, 2] == pytest.approx(300 * 0.8 / 0.3)
    h = finance.retention_clv(100, 0.8, 0.1, horizon=[1, 2, 3])
    assert h.shape == (3,)
    assert h[2] == pytest.approx(direct_sum(100, 0.8, 0.1, 3, 1))
    assert isinstance(finance.retention_clv(1, 0.5, 0.1), float)
    per_customer = pd.Series([10.0, 20.0], index=["a", "b"])
    s = finance.retention_clv(per_customer, 0.5, 0.0)
    assert isinstance(s, pd.Series) and s.index.tolist() == ["a", "b"] and s.tolist() == [10, 20]


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(retention=1.0, discount=0.0), "diverges"),
        (dict(retention=-0.1), r"retention must be a share in \[0, 1\]"),
        (dict(retention=[0.5, 1.2]), r"got 1.2"),
        (dict(retention=80), "did you type a percentage"),
        (dict(discount=-1.0), "discount must be a rate per period >= 0"),
        (dict(discount=1.0), "did you type a percentage"),
        (dict(discount=10), "10 means 1000%; write 0.1"),
        (dict(horizon=-1), "horizon must be >= 0"),
        (dict(horizon=2.5), "whole number"),
        (dict(margin=[1, 2, 3], retention=[0.5, 0.6]), "mismatched"),
        (dict(margin_growth=0.5, retention=0.9), "diverges"),
        (dict(first_margin_at=2), "first_margin_at"),
        (dict(margin="ten"), "margin"),
        (dict(retention=np.nan), "NaN"),
        (dict(horizon=np.inf), "horizon=None"),
    ],
)
def test_retention_clv_errors(kwargs, match):
    args = dict(margin=100, retention=0.8, discount=0.1)
    args.update(kwargs)
    with pytest.raises(ParameterError, match=match):
        finance.retention_clv(**args)


def test_expected_lifetime():
    assert finance.expected_lifetime(0.8) == 5
    assert finance.expected_lifetime(0.0) == 1
    assert finance.expected_lifetime([0.5, 0.75]).tolist() == [2, 4]
    assert finance.expected_lifetime(0.5, count_first=False) == pytest.approx(1.0)
    with pytest.raises(ParameterError, match="retention"):
        finance.expected_lifetime(1.0)
    with pytest.raises(ParameterError, match="percentage"):
        finance.expected_lifetime(80)


def test_revenue_identity_and_projection():
    assert finance.revenue_identity(100, 1000, 0.8, 2, 10) == 18000.0
    p = finance.project_revenue(50, initial_customers=1000, new_customers=100, retention=0.8, usage=2,
                                price=10.0, margin_share=0.3, discount=0.1)
    assert p["active"].iloc[0] == pytest.approx(900)
    assert p["revenue"].iloc[0] == pytest.approx(finance.revenue_identity(100, 1000, 0.8, 2, 10))
    assert p["active"].iloc[-1] == pytest.approx(100 / 0.2, rel=1e-3)  # steady state new/(1-r)
    assert p["discounted_profit"].iloc[0] == pytest.approx(18000 * 0.3 / 1.1)
    assert p["discounted_profit"].iloc[1] == pytest.approx(p["revenue"].iloc[1] * 0.3 / 1.1**2)
    assert "profit" not in finance.project_revenue(2, initial_customers=1, new_customers=0, retention=0.5)
    with pytest.raises(ParameterError, match="one per period"):
        finance.project_revenue(3, initial_customers=0, new_customers=[1, 2], retention=0.8)
    with pytest.raises(ParameterError, match="margin_share"):
        finance.project_revenue(3, initial_customers=1, new_customers=1, retention=0.8, margin_share=30)
    with pytest.raises(ParameterError, match="percentage"):
        finance.project_revenue(3, initial_customers=1, new_customers=1, retention=0.8, discount=10)


def test_retention_clv_margin_growth():
    # period 0's margin counted: m * sum_t (r (1+g))^t / (1+d)^t
    assert finance.retention_clv(100, 0.8, 0.1, first_margin_at=0, margin_growth=0.05) == pytest.approx(
        100 / (1 - 0.8 * 1.05 / 1.1))
    finite = finance.retention_clv(100, 0.8, 0.1, horizon=3, first_margin_at=0, margin_growth=0.05)
    q = 0.8 * 1.05 / 1.1
    assert finite == pytest.approx(100 * (1 + q + q**2))
    assert finance.retention_clv(100, 0.8, 0.1, horizon=3, margin_growth=0.05) == pytest.approx(
        100 * (q + q**2 + q**3))
    with pytest.raises(ParameterError, match="margin_growth"):
        finance.retention_clv(1, 0.5, 0.1, margin_growth=-1)


def test_discount_factor():
    np.testing.assert_allclose(finance.discount_factor([0, 1, 2], 0.1), [1, 1 / 1.1, 1 / 1.21])
    assert finance.discount_factor(1, 0.0) == 1.0
    with pytest.raises(ParameterError, match="percentage"):
        finance.discount_factor(1, 12)


# --------------------------------------------------------------------------- revenue identity
def test_revenue_identity_hand_and_broadcast():
    assert finance.revenue_identity(20, 100, 0.8, 3, 10) == pytest.approx(3000.0)
    assert finance.revenue_identity(new_customers=20, existing_customers=100, retention=0.8, usage=3,
                                    price=10) == 3000.0
    grid = finance.revenue_identity(np.array([[0], [10]]), 100, np.array([0.5, 1.0]), 2, 1)
    np.testing.assert_allclose(grid, [[100, 200], [120, 220]])
    s = finance.revenue_identity(pd.Series([1, 2], index=["a", "b"]), 0, 0, 1, 5)
    assert s.index.tolist() == ["a", "b"] and s.tolist() == [5.0, 10.0]
    with pytest.raises(ParameterError, match="retention"):
        finance.revenue_identity(1, 1, 1.2, 1, 1)
    with pytest.raises(ParameterError, match="new_customers"):
        finance.revenue_identity(-1, 1, 0.5, 1, 1)
    with pytest.raises(ParameterError, match="price"):
        finance.revenue_identity(1, 1, 0.5, 1, -2)


def test_project_revenue_recursion():
    p = finance.project_revenue(4, initial_customers=1000, new_customers=[100, 100, 200, 0],
                           retention=0.9, usage=2, price=[5, 5, 5, 6])
    exp_active = [1000 * 0.9 + 100]
    for n in [100, 200, 0]:
        exp_active.append(exp_active[-1] * 0.9 + n)
    np.testing.assert_allclose(p["active"], exp_active)
    np.testing.assert_allclose(p["revenue"], np.array(exp_active) * 2 * np.array([5, 5, 5, 6]))
    assert p["cumulative_revenue"].iloc[-1] == pytest.approx(p["revenue"].sum())
    with pytest.raises(ParameterError, match="one per period"):
        finance.project_revenue(3, initial_customers=10, new_customers=[1, 2], retention=0.5)
    # higher retention never lowers revenue
    lo = finance.project_revenue(5, initial_customers=100, new_customers=10, retention=0.6)
    hi = finance.project_revenue(5, initial_customers=100, new_customers=10, retention=0.8)
    assert (hi["revenue"] > lo["revenue"]).all()




def test_series_on_different_indexes_are_refused():
    # values are combined by position: b's margin with a's retention was a silent wrong CLV
    margin = pd.Series([100.0, 200.0], index=["a", "b"])
    with pytest.raises(ParameterError, match="margin and retention are Series with different indexes"):
        finance.retention_clv(margin, pd.Series([0.5, 0.9], index=["b", "a"]), 0.1)
    with pytest.raises(ParameterError, match="new_customers and retention are Series"):
        finance.revenue_identity(margin, 10, pd.Series([0.5, 0.9], index=["b", "a"]), 1, 1)
    same = finance.retention_clv(margin, pd.Series([0.5, 0.9], index=["a", "b"]), 0.1)
    assert same.index.tolist() == ["a", "b"]
    assert same.tolist() == pytest.approx([100 * 0.5 / 0.6, 200 * 0.9 / 0.2])


@pytest.mark.parametrize("bound", [float("nan"), "x", 0, -1, True])
def test_max_rate_must_be_a_positive_number(bound):
    with pytest.raises(ParameterError, match="max_rate"):
        finance.discount_factor([1.0], 0.1, max_rate=bound)
    with pytest.raises(ParameterError, match="max_rate"):
        finance.present_value([1.0], [1.0], 0.1, max_rate=bound)


def test_project_revenue_takes_one_discount_rate_and_a_margin_per_period():
    p = finance.project_revenue(2, initial_customers=100, new_customers=0, retention=0.5,
                                margin_share=[0.5, 0.25], discount=0.25)
    assert p["profit"].tolist() == [25.0, 6.25]
    with pytest.raises(ParameterError, match="discount must be a number"):
        finance.project_revenue(2, initial_customers=100, new_customers=0, retention=0.5,
                                margin_share=0.5, discount=[0.1, 0.2])
    with pytest.raises(ParameterError, match="margin_share must be a scalar or 2 values"):
        finance.project_revenue(2, initial_customers=100, new_customers=0, retention=0.5,
                                margin_share=[0.1, 0.2, 0.3])
