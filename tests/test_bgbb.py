"""BG/BB model (crmlab.bgbb): published donations fit, predictions by hand, bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import special

from crmlab import bgbb
from crmlab.errors import DataError, ParameterError


@pytest.fixture(scope="module")
def don():
    return bgbb.load_donations()


@pytest.fixture(scope="module")
def fit(don):
    return bgbb.fit_bgbb(don, weights="n_custs")


def test_bundled_donations(don):
    assert list(don.columns) == ["frequency", "recency", "n", "n_custs"]
    assert len(don) == 22 and int(don["n_custs"].sum()) == 11104
    assert (don["n"] == 6).all()
    # the published frequency histogram of the 1995 cohort, 1996-2001
    assert don.groupby("frequency")["n_custs"].sum().tolist() == [3464, 1823, 1430, 1085, 1036,
                                                                  1063, 1203]


def test_published_estimates_reproduced(fit):
    # Fader, Hardie & Shang (2010): alpha 1.204, beta 0.750, gamma 0.657, delta 2.783, LL -33,225.6
    assert fit.params.round(3).tolist() == [1.204, 0.750, 0.657, 2.783]
    assert round(fit.loglik, 1) == -33225.6
    assert fit.n == 11104 and (fit.se > 0).all()


def _lik_by_hand(a, b, g, d, x, tx, n):
    B = special.beta
    val = B(a + x, b + n - x) / B(a, b) * B(g, d + n) / B(g, d)
    for i in range(n - tx):
        val += B(a + x, b + tx - x + i) / B(a, b) * B(g + 1, d + tx + i) / B(g, d)
    return val


def test_likelihood_and_p_alive_by_hand(fit, don):
    a, b, g, d = fit.params
    per_row = [np.log(_lik_by_hand(a, b, g, d, *map(int, r))) for r in
               don[["frequency", "recency", "n"]].to_numpy()]
    assert float(np.dot(per_row, don["n_custs"])) == pytest.approx(fit.loglik, rel=1e-12)
    B = special.beta
    row = don.iloc[[9]]  # x = 2, t_x = 4, n = 6
    x, tx, n = 2, 4, 6
    want = B(a + x, b + n - x) / B(a, b) * B(g, d + n + 1) / B(g, d) / _lik_by_hand(a, b, g, d, x, tx, n)
    assert fit.p_alive(row, periods_ahead=1).iloc[0] == pytest.approx(want, rel=1e-12)


def test_conditional_expectation_matches_closed_form(fit, don):
    a, b, g, d = fit.params
    G = special.gammaln
    B = special.beta
    x, tx, n, k = 3, 5, 6, 5
    row = pd.DataFrame({"frequency": [x], "recency": [tx], "n": [n]})
    closed = (1 / _lik_by_hand(a, b, g, d, x, tx, n) * B(a + x + 1, b + n - x) / B(a, b)
              * d / (g - 1) * np.exp(G(g + d) - G(1 + d))
              * (np.exp(G(1 + d + n) - G(g + d + n)) - np.exp(G(1 + d + n + k) - G(g + d + n + k))))
    assert fit.conditional_expected_transactions(row, k).iloc[0] == pytest.approx(closed, rel=1e-10)
    # unconditional: eq. 7 of FHS 2010
    uncond = a / (a + b) * d / (g - 1) * (1 - np.exp(G(g + d) - G(g + d + n) + G(1 + d + n) - G(1 + d)))
    assert fit.expected_transactions(6) == pytest.approx(uncond, rel=1e-10)


def test_frequency_distribution_sums_to_one_and_fits(fit, don):
    pmf = fit.frequency_distribution(6)
    assert pmf.sum() == pytest.approx(1.0, abs=1e-12)
    assert float((pmf * np.arange(7)).sum()) == pytest.approx(fit.expected_transactions(6), rel=1e-10)
    observed = don.groupby("frequency")["n_custs"].sum()
    assert np.max(np.abs(pmf.to_numpy() * 11104 - observed.to_numpy()) / observed.to_numpy()) < 0.07


def test_dert_is_the_infinite_discounted_sum(fit, don):
    dert = fit.dert(don, 0.10)
    long = fit.clv(don, value_per_transaction=1.0, discount=0.10, horizon=600)
    np.testing.assert_allclose(dert.to_numpy(), long.to_numpy(), rtol=1e-10)
    assert (fit.clv(don, value_per_transaction=50, discount=0.1, horizon=5) < 50 * dert).all()


def test_intervals(fit, don):
    pa = fit.p_alive_interval(don)
    np.testing.assert_allclose(pa["estimate"], fit.p_alive(don))
    last = don["recency"] == don["n"]  # bought at the last opportunity: alive for sure
    assert (pa.loc[last, "estimate"] == 1).all() and (pa.loc[last, "ci_low"] == 1).all()
    strict = pa[~last]
    assert ((strict["ci_low"] < strict["estimate"]) & (strict["estimate"] < strict["ci_high"])).all()
    nxt = fit.p_alive_interval(don, periods_ahead=1)
    assert ((nxt["ci_low"] < nxt["estimate"]) & (nxt["ci_high"] < 1)).all()
    ce = fit.conditional_expected_interval(don, 5)
    assert (ce["ci_low"] > 0).all() and (ce["se"] > 0).all()
    tot = fit.clv_interval(don, value_per_transaction=50.0, discount=0.10, weights="n_custs", total=True)
    rows = fit.clv_interval(don, value_per_transaction=50.0, discount=0.10)
    assert tot.loc["total", "estimate"] == pytest.approx(float(rows["estimate"] @ don["n_custs"]))
    # the total's interval is narrower than adding up the rows' intervals would suggest? no:
    # the rows are positively correlated, so the delta-method se of the total is at most the sum
    assert tot.loc["total", "se"] <= float(rows["se"] @ don["n_custs"]) * (1 + 1e-9)


@pytest.mark.parametrize("row, match", [
    ({"frequency": 2, "recency": 5, "n": 4}, "n is 4 but recency is 5"),
    ({"frequency": 3, "recency": 2, "n": 6}, "frequency is 3 but recency is 2"),
    ({"frequency": 0, "recency": 2, "n": 6}, "frequency is 0 but recency is 2"),
    ({"frequency": 1.5, "recency": 2, "n": 6}, "frequency 1.5, recency 2, n 6: the BG/BB model counts whole"),
    ({"frequency": 0, "recency": 0, "n": 0}, "n is 0"),
])
def test_invalid_rows_named(row, match):
    df = pd.DataFrame([{"frequency": 1, "recency": 1, "n": 6}, row])
    with pytest.raises(DataError, match="row 1: " + match):
        bgbb.fit_bgbb(df)


def test_negative_frequency_named_like_every_summary_column():
    df = pd.DataFrame({"frequency": [1, -1], "recency": [1, 0], "n": [6, 6]})
    with pytest.raises(DataError, match=r"column 'frequency', row 1: -1.0 is out of range; expected >= 0"):
        bgbb.fit_bgbb(df)


def test_negative_or_zero_counts(don):
    bad = don.copy()
    bad.loc[4, "n_custs"] = -3
    with pytest.raises(DataError, match="'n_custs', row 4: -3.0 is out of range"):
        bgbb.fit_bgbb(bad, weights="n_custs")
    with pytest.raises(DataError, match="add up to 0"):
        bgbb.fit_bgbb(don.assign(n_custs=0), weights="n_custs")
    with pytest.raises(DataError, match="n_cust"):
        bgbb.fit_bgbb(don, weights="n_cust")


def test_parameter_errors(fit, don):
    with pytest.raises(ParameterError, match="periods"):
        fit.conditional_expected_transactions(don, 0)
    with pytest.raises(ParameterError, match="discount"):
        fit.dert(don, 0.0)
    with pytest.raises(ParameterError, match="4 positive numbers"):
        bgbb.bgbb_loglik([1, 1, 1], don)
    with pytest.raises(ParameterError, match=r"init\[3\] = nan is missing"):
        bgbb.fit_bgbb(don, weights="n_custs", init=[1, 1, 1, np.nan])


def test_frequency_distribution_opportunities_bounded(fit):
    with pytest.raises(ParameterError, match="n must be <= 1000"):
        fit.frequency_distribution(1e300)
