"""Tests for crmlab.btyd: summaries, BG/NBD, MBG/NBD, Pareto/NBD, Gamma-Gamma, CLV.

Published values: Fader, Hardie & Lee (2005a) BG/NBD on the 2,357-customer
CDNOW sample (39-week calibration): r=0.243, alpha=4.414, a=0.793, b=2.426,
LL=-9582.4; Fader & Hardie (2005) Pareto/NBD note: r=0.553, alpha=10.578,
s=0.606, beta=11.669, LL=-9595.0; Fader, Hardie & Lee (2005b) Gamma-Gamma:
p=6.25, q=3.74, gamma=15.44 (946 repeat buyers, mean repeat spend $35.08).
Values pinned below to 1e-6 were cross-checked against lifetimes 0.11.3 (agreement
better than 1e-12, see benchmarks/RESULTS_btyd.md).
"""

from __future__ import annotations

import math
import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from scipy import integrate

import crmlab
from crmlab import btyd
from crmlab.errors import ConvergenceError, CrmlabWarning, DataError, ParameterError
from crmlab.mle import num_jacobian


@pytest.fixture(scope="module")
def log():
    return crmlab.datasets.load_cdnow("sample")


@pytest.fixture(scope="module")
def summ(log):
    return btyd.summarize(log, "1997-09-30", "1998-06-30", unit="W", purchase_rule="any_occasion")


@pytest.fixture(scope="module")
def bg(summ):
    return btyd.fit_bgnbd(summ)


@pytest.fixture(scope="module")
def pnbd(summ):
    return btyd.fit_pareto_nbd(summ)


@pytest.fixture(scope="module")
def gg(summ):
    return btyd.fit_gamma_gamma(summ)


@pytest.fixture(scope="module")
def cust1(log, summ):
    """The customer with sample id 1 (CDNOW id 4): x=2, t_x=30.43, T=38.86 in the
    published summary file."""
    cid = log.loc[log["sample_id"] == 1, "customer_id"].iloc[0]
    return summ.loc[[cid]]


# ----------------------------------------------------------------------------- summary
def small_log():
    return pd.DataFrame(
        {
            "customer_id": [1, 1, 1, 1, 2, 3, 3],
            "date": pd.to_datetime(
                ["2024-01-01", "2024-01-01", "2024-01-15", "2024-02-12", "2024-01-08",
                 "2024-02-20", "2024-01-29"]
            ),
            "amount": [5.0, 5.0, 20.0, 9.0, 7.0, 4.0, 3.0],
        }
    )


def test_summary_hand_computed_weeks():
    with pytest.warns(CrmlabWarning, match=r"1 customer\(s\) whose first purchase is on the calibration end"):
        s = btyd.summarize(small_log(), "2024-01-29", "2024-02-26", unit="W")
    # customer 1: occasions 01-01 (two rows merged), 01-15 | holdout 02-12
    assert s.loc[1, ["frequency", "recency", "T_cal", "monetary_value"]].tolist() == [1, 2, 4, 20]
    assert s.loc[1, "first_amount"] == 10.0
    assert s.loc[1, ["frequency_holdout", "monetary_holdout"]].tolist() == [1, 9.0]
    assert s.loc[2, ["frequency", "recency", "T_cal"]].tolist() == [0, 0, 3]
    # customer 3 first bought on the calibration end day: T_cal = 0 is left out, counted
    assert 3 not in s.index and s.attrs["excluded_T0"] == 1
    assert (s["duration_holdout"] == 4).all()
    assert s.attrs["unit"] == "W"
    assert "T" not in s.columns  # DataFrame.T would shadow it


def test_summary_days_and_same_day_merge():
    with pytest.warns(CrmlabWarning, match="T = 0"):
        s = btyd.summarize(small_log(), "2024-01-29", unit="D")
    assert s.loc[1, ["frequency", "recency", "T_cal"]].tolist() == [1, 14, 28]
    assert "frequency_holdout" not in s.columns


def test_summary_excludes_later_customers_with_warning():
    tx = small_log()
    with pytest.warns(CrmlabWarning, match="1 customers whose first purchase is after 2024-01-20"):
        s = btyd.summarize(tx, "2024-01-20")
    assert sorted(s.index) == [1, 2]
    assert s.attrs["excluded_after_calibration"] == 1
    with pytest.warns(CrmlabWarning, match="before 2024-01-05"):
        s = btyd.summarize(tx, "2024-01-31", calibration_start="2024-01-05")
    assert sorted(s.index) == [2, 3]


def test_summary_bad_arguments():
    with pytest.raises(ParameterError, match="unit must be one of"):
        btyd.summarize(small_log(), "2024-01-29", unit="M")
    with pytest.raises(ParameterError, match="must be after calibration_end"):
        btyd.summarize(small_log(), "2024-01-29", "2024-01-01")
    with pytest.raises(ParameterError, match="calibration_end must be a date"):
        btyd.summarize(small_log(), "not a date")
    with pytest.raises(DataError, match="before every purchase"):
        btyd.summarize(small_log(), "2023-01-01")
    with pytest.raises(DataError, match="column 'amount'"):
        btyd.summarize(small_log().assign(amount=["x", 1, 1, 1, 1, 1, 1]), "2024-01-29")


def test_cdnow_summary_matches_published(summ):
    # Fader-Hardie-Lee CDNOW sample: 2,357 customers, 1,411 without repeat purchases in
    # the 39-week calibration, 2,457 repeat transactions, T from 27 to 38.86 weeks
    assert len(summ) == 2357
    assert int((summ["frequency"] == 0).sum()) == 1411
    assert summ["frequency"].sum() == 2457
    assert summ["frequency"].max() == 29
    assert summ["T_cal"].max() == pytest.approx(272 / 7)
    assert summ["T_cal"].min() == pytest.approx(189 / 7)  # last first purchase 1997-03-25
    # the published file rounds recency to 2 decimals: its sum is 16135.52
    assert summ["recency"].sum() == pytest.approx(16135.52, abs=0.005 * 946)
    assert summ["frequency_holdout"].sum() == 1882
    rep = summ["frequency"] > 0
    assert summ.loc[rep, "monetary_value"].mean() == pytest.approx(35.08, abs=0.005)


def test_cdnow_customer_one(cust1):
    row = cust1.iloc[0]
    assert row["frequency"] == 2
    assert round(row["recency"], 2) == 30.43
    assert round(row["T_cal"], 2) == 38.86


# ----------------------------------------------------------------------------- validation
@pytest.mark.parametrize(
    "frame, match",
    [
        ({"frequency": [1, -1], "recency": [2.0, 0], "T_cal": [5.0, 5]}, r"'frequency', row 1: -1.0 is out of range"),
        ({"frequency": [1], "recency": [0.0], "T_cal": [5.0]}, "frequency is 1 but recency is 0"),
        ({"frequency": [1], "recency": [6.0], "T_cal": [5.0]}, "recency 6 is greater than T_cal 5"),
        ({"frequency": [0], "recency": [1.0], "T_cal": [5.0]}, "frequency is 0 but recency is 1"),
        ({"frequency": [1.5], "recency": [1.0], "T_cal": [5.0]}, "not a whole number"),
        ({"frequency": [1], "recency": [np.nan], "T_cal": [5.0]}, r"'recency'.*missing \(NaN\)"),
        ({"frequency": [1], "recency": [1.0], "T_cal": [-5.0]}, "'T_cal'.*>= 0"),
        ({"frequency": [0], "recency": [0.0], "T_cal": [0.0]}, "T_cal is 0"),
        ({"frequency": [1], "recency": [1.0]}, "missing column 'T_cal'"),
        ({"frequency": [1], "recency": [1.0], "T_cal": ["abc"]}, "'abc' is not a number"),
    ],
)
def test_invalid_summaries_raise(frame, match):
    with pytest.raises(DataError, match=match):
        btyd.fit_bgnbd(pd.DataFrame(frame))


def test_invalid_summary_names_customer():
    df = pd.DataFrame({"frequency": [0, 2], "recency": [0.0, 9.0], "T_cal": [5.0, 6.0]},
                      index=pd.Index(["a", "b"], name="customer_id"))
    with pytest.raises(DataError, match=r"row 1 \(customer 'b'\)"):
        btyd.validate_summary(df)


def test_days_vs_weeks(log, summ, bg, pnbd):
    # date-unit confusion: only the scale parameters change (x 7); LL shifts by -sum(x) ln 7
    sd = btyd.summarize(log, "1997-09-30", unit="D", purchase_rule="any_occasion")
    assert sd.attrs["unit"] == "D"
    np.testing.assert_allclose(sd["recency"], summ["recency"] * 7, rtol=1e-12)
    fd = btyd.fit_bgnbd(sd)
    np.testing.assert_allclose(fd.params / bg.params, [1, 7, 1, 1], rtol=1e-5)
    assert fd.loglik - bg.loglik == pytest.approx(-2457 * math.log(7), rel=1e-8)
    pd_ = btyd.fit_pareto_nbd(sd)
    np.testing.assert_allclose(pd_.params / pnbd.params, [1, 7, 1, 7], rtol=1e-4)


def test_column_named_T_is_accepted(summ, bg):
    df = summ[["frequency", "recency", "T_cal"]].rename(columns={"T_cal": "T"})
    fit = btyd.fit_bgnbd(df)
    np.testing.assert_allclose(fit.params, bg.params, rtol=1e-6)


def test_not_a_dataframe():
    with pytest.raises(DataError, match="must be a pandas DataFrame"):
        btyd.fit_bgnbd([[1, 2, 3]])


# ----------------------------------------------------------------------------- BG/NBD
def test_bgnbd_published(bg):
    assert bg.params.round(3).tolist() == [0.243, 4.414, 0.793, 2.426]
    assert round(bg.loglik, 1) == -9582.4
    assert bg.n == 2357 and bg.unit == "W"
    assert (bg.se > 0).all()
    tab = bg.table()
    assert (tab["ci_low"] < tab["estimate"]).all() and (tab["estimate"] < tab["ci_high"]).all()


def test_loglik_at_published_values(summ):
    assert round(btyd.loglik("bgnbd", [0.243, 4.414, 0.793, 2.426], summ), 1) == -9582.4
    assert round(btyd.loglik("pareto_nbd", [0.553, 10.578, 0.606, 11.669], summ), 1) == -9595.0
    per = btyd.loglik("bgnbd", [0.243, 4.414, 0.793, 2.426], summ, per_customer=True)
    assert per.shape == (2357,) and (per < 0).all()
    with pytest.raises(ParameterError, match="4 positive numbers"):
        btyd.loglik("bgnbd", [1, 2, 3], summ)
    # starting values pass the same check as parameters (mle._log_start), for every fit
    with pytest.raises(ParameterError, match=r"init must be 4 positive numbers \('r', 'alpha', 'a', 'b'\)"):
        btyd.fit_bgnbd(summ, init=[1.0, 2.0, 1.0])
    with pytest.raises(ParameterError, match="init must be 3 positive numbers"):
        btyd.fit_gamma_gamma(summ, init=[1.0, -2.0, 10.0])
    # the spend model's likelihood reads monetary_value through the same check as its fit
    with pytest.raises(DataError, match="missing column.*'monetary_value'"):
        btyd.loglik("gamma_gamma", [6.25, 3.74, 15.44], summ.drop(columns="monetary_value"))


def test_bgnbd_hand_computed_likelihood():
    # one customer x=2, t_x=3, T=5 with r=alpha=a=b=1: direct formula
    r = alpha = a = b = 1.0
    x, tx, T = 2, 3.0, 5.0
    def B(p, q):
        return math.gamma(p) * math.gamma(q) / math.gamma(p + q)

    L = (math.gamma(r + x) * alpha**r / math.gamma(r)) * (
        B(a, b + x) / B(a, b) * (alpha + T) ** -(r + x)
        + B(a + 1, b + x - 1) / B(a, b) * (alpha + tx) ** -(r + x)
    )
    df = pd.DataFrame({"frequency": [x], "recency": [tx], "T_cal": [T]})
    assert btyd.loglik("bgnbd", [r, alpha, a, b], df) == pytest.approx(math.log(L), rel=1e-12)


@pytest.mark.parametrize("k", [0, 1])
def test_bg_analytic_gradient(summ, k):
    x, tx, T = btyd.validate_summary(summ)
    w = np.ones_like(x)
    theta = np.array([0.3, 5.0, 0.9, 2.0])
    _, g = btyd._bg_grad(theta, x, tx, T, w, k)

    def f(z):
        return btyd._bg_loglik(np.exp(z), x, tx, T, k).sum()

    num = num_jacobian(f, np.log(theta), h=1e-6)[0]
    np.testing.assert_allclose(g, num, rtol=1e-6)


def test_gg_analytic_gradient(summ):
    rep = summ["frequency"] > 0
    x = summ.loc[rep, "frequency"].to_numpy()
    m = summ.loc[rep, "monetary_value"].to_numpy()
    theta = np.array([5.0, 3.0, 12.0])
    _, g = btyd._gg_grad(theta, x, m, np.ones_like(x))
    num = num_jacobian(lambda z: btyd._gg_loglik(np.exp(z), x, m).sum(), np.log(theta), h=1e-6)[0]
    np.testing.assert_allclose(g, num, rtol=1e-6)


def test_bgnbd_predictions_cross_checked(bg, cust1):
    # cross-checked with lifetimes 0.11.3 at the same parameters (agreement < 1e-12)
    assert bg.p_alive(cust1).iloc[0] == pytest.approx(0.7266203116623744, rel=1e-9)
    assert bg.conditional_expected_transactions(cust1, 39).iloc[0] == pytest.approx(
        1.2259944552872926, rel=1e-9)
    assert bg.expected_transactions(39.0) == pytest.approx(1.195010040651792, rel=1e-9)
    assert bg.expected_transactions(0.0) == 0.0
    e = bg.expected_transactions([1.0, 10.0, 39.0, 78.0])
    assert np.all(np.diff(e) > 0)


def test_bgnbd_one_time_buyers_alive(bg, summ):
    # BG/NBD: no dropout opportunity without a repeat purchase -> P(alive) = 1
    pa = bg.p_alive(summ)
    assert (pa[summ["frequency"] == 0] == 1.0).all()
    assert (pa[summ["frequency"] > 0] < 1.0).all()


def test_mbgnbd(summ):
    fit = btyd.fit_mbgnbd(summ)
    assert fit.params.round(3).tolist() == [0.525, 6.183, 0.891, 1.614]
    assert round(fit.loglik, 1) == -9582.1
    pa = fit.p_alive(summ)
    assert (pa < 1).all()
    # one-time buyers: P(alive) falls with the time since their only purchase
    one = summ[summ["frequency"] == 0]
    assert pa[one.index].corr(one["T_cal"], method="spearman") == pytest.approx(-1.0)


def _bg_expect_reference(r, alpha, a, b, t):
    """E[(1 - (1 + p t/alpha)^-r)/p], p ~ Beta(a, b), by QUADPACK with the algebraic weight."""
    def g(p):
        return -math.expm1(-r * math.log1p(p * t / alpha)) / p if p > 0 else r * t / alpha

    val = integrate.quad(g, 0, 1, weight="alg", wvar=(a - 1, b - 1), epsabs=0, epsrel=1e-13,
                         limit=500)[0]
    return val / math.exp(math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b))


@pytest.mark.parametrize("r, alpha, a, b, x, t", [
    (0.05, 0.5, 0.05, 1.0, 1000, 39.0),    # scipy.special.hyp2f1 returns NaN in the closed form
    (0.05, 0.5, 0.05, 10.0, 100, 39.0),
    (0.243, 4.414, 0.793, 2.426, 29, 39.0),
    (5.0, 40.0, 2.0, 30.0, 0, 520.0),
    (50.0, 0.5, 0.9, 10.0, 200, 10.0),
])
def test_bg_conditional_expectation_stable(r, alpha, a, b, x, t):
    T, tx = 39.0, 30.0 if x else 0.0
    theta = np.array([r, alpha, a, b])
    x_, tx_, T_, t_ = (np.array([v], dtype=float) for v in (x, tx, T, t))
    got = btyd._conditional("bgnbd", theta, x_, tx_, T_, t_)[0]
    pa = btyd._p_alive("bgnbd", theta, x_, tx_, T_)[0]
    ref = _bg_expect_reference(r + x, alpha + T, a, b + x, t) * pa
    assert np.isfinite(got)
    assert got == pytest.approx(ref, rel=1e-9, abs=1e-300)
    got_u = btyd._expected("bgnbd", theta, np.array([t]))[0]
    assert got_u == pytest.approx(_bg_expect_reference(r, alpha, a, b, t), rel=1e-9)


def test_beta_expect_against_mpmath():
    # (a+b-1)/(a-1) [1 - (al/(al+t))^r 2F1(r, b; a+b-1; t/(al+t))], 40-digit mpmath value
    got = btyd._beta_expect(20.0, np.array([300.0]), np.array([5.0]), np.array([79.0]),
                            np.array([520.0]))[0]
    assert got == pytest.approx(13.390236557650201957, rel=1e-13)


def test_bg_a_equal_one_limit():
    theta = np.array([0.5, 5.0, 1.0, 2.0])
    mid = btyd._expected("bgnbd", theta, np.array([10.0]))
    lo = btyd._expected("bgnbd", theta * [1, 1, 1 - 1e-4, 1], np.array([10.0]))
    hi = btyd._expected("bgnbd", theta * [1, 1, 1 + 1e-4, 1], np.array([10.0]))
    assert np.isfinite(mid).all()
    assert lo[0] < mid[0] * 1.001 and hi[0] > mid[0] * 0.999


# ----------------------------------------------------------------------------- Pareto/NBD
def test_pareto_nbd_published(pnbd):
    assert pnbd.params.round(3).tolist() == [0.553, 10.578, 0.606, 11.669]
    assert round(pnbd.loglik, 1) == -9595.0
    assert (pnbd.se > 0).all()


def test_pareto_predictions_cross_checked(pnbd, cust1):
    assert pnbd.p_alive(cust1).iloc[0] == pytest.approx(0.8691342573429468, rel=1e-7)
    assert pnbd.conditional_expected_transactions(cust1, 39).iloc[0] == pytest.approx(
        1.455201673882907, rel=1e-7)
    assert pnbd.expected_transactions(39.0) == pytest.approx(1.213404013438047, rel=1e-7)


def _pnbd_reference(r, alpha, s, beta, x, tx, T):
    """log L by direct adaptive quadrature of the likelihood's integral form."""
    def f(u):
        return math.exp(-(r + x) * math.log(alpha + u) - (s + 1) * math.log(beta + u) - peak)

    peak = -(r + x) * math.log(alpha + tx) - (s + 1) * math.log(beta + tx)
    pts = [tx + (T - tx) * q for q in (1e-6, 1e-4, 1e-2, 0.1)]
    val = integrate.quad(f, tx, T, points=pts, epsabs=0, epsrel=1e-12, limit=500)[0]
    l1 = -(r + x) * math.log(alpha + T) - s * math.log(beta + T)
    l2 = math.log(s) + peak + math.log(val) if val > 0 else -math.inf
    c = math.lgamma(r + x) - math.lgamma(r) + r * math.log(alpha) + s * math.log(beta)
    return c + np.logaddexp(l1, l2)


@pytest.mark.parametrize("r, alpha, s, beta", [
    (0.05, 1e-3, 100.0, 1.0),      # scipy.special.hyp2f1 gives 1e16 for the 2F1 here
    (30.0, 1e4, 0.05, 1e-3),
    (300.0, 1.0, 3.0, 1e4),
    (0.55, 10.6, 0.61, 11.7),
    (1.0, 50.0, 1.0, 50.0),        # alpha == beta
    (2.0, 5.0, 100.0, 400.0),
])
def test_pareto_loglik_stable_at_extremes(r, alpha, s, beta):
    x = np.array([0, 1, 2, 5, 20, 100, 500.0])
    T = np.full_like(x, 39.0)
    tx = np.where(x > 0, np.array([0, 0.01, 1, 20, 38.9, 39.0, 30.0]), 0.0)
    got = btyd._pnbd_loglik(np.array([r, alpha, s, beta]), x, tx, T)
    ref = [_pnbd_reference(r, alpha, s, beta, *v) for v in zip(x, tx, T)]
    assert np.all(np.isfinite(got))
    np.testing.assert_allclose(got, ref, rtol=1e-9, atol=1e-8)


def test_series_matches_closed_form():
    # 2F1(1, b; c; z) with b = 1: (c-1) * sum z^j/(c-1+j); for c = 2: -log(1-z)/z
    z = np.array([0.0, 0.3, 0.9])
    got = np.exp(btyd._log_hyp2f1_1bc(1.0, 2.0, z))
    np.testing.assert_allclose(got, [1.0, -np.log1p(-0.3) / 0.3, -np.log1p(-0.9) / 0.9], rtol=1e-13)
    assert np.isnan(btyd._log_hyp2f1_1bc(1.0, 2.0, 0.999))


def test_dert_equals_fine_discrete_discounting(pnbd, gg, summ):
    delta = math.log(1.15) / 52
    d = btyd.dert(pnbd, summ.iloc[:50], delta)
    v = btyd.clv(pnbd, None, summ.iloc[:50], horizon=6000, period=1.0, discount=math.expm1(delta))
    # discrete sums value each week's transactions at its end: half a week later on average
    np.testing.assert_allclose(v["clv"] / d, math.exp(-delta / 2), rtol=2e-4)


# ----------------------------------------------------------------------------- Gamma-Gamma
def test_gamma_gamma_published(gg):
    assert gg.params.round(2).tolist() == [6.25, 3.74, 15.44]
    assert gg.n == 946
    assert gg.population_mean_spend() == pytest.approx(6.249572 * 15.443521 / 2.744225, rel=1e-4)


def test_gamma_gamma_conditional_spend(gg, summ, cust1):
    p, q, g = gg.params
    row = cust1.iloc[0]
    x, m = row["frequency"], row["monetary_value"]
    expected = (q - 1) / (p * x + q - 1) * p * g / (q - 1) + p * x / (p * x + q - 1) * m
    assert gg.conditional_expected_spend(cust1).iloc[0] == pytest.approx(expected, rel=1e-12)
    spend = gg.conditional_expected_spend(summ)
    np.testing.assert_allclose(spend[summ["frequency"] == 0], gg.population_mean_spend())


def test_gamma_gamma_zero_spend_raises(summ):
    bad = summ.copy()
    cid = bad.index[bad["frequency"] > 0][3]
    bad.loc[cid, "monetary_value"] = 0.0
    with pytest.raises(DataError, match=f"customer {cid}.*monetary_value is 0"):
        btyd.fit_gamma_gamma(bad)
    with pytest.raises(DataError, match="no customer with repeat purchases"):
        btyd.fit_gamma_gamma(summ[summ["frequency"] == 0])


def test_gamma_gamma_nan_spend_of_one_time_buyers_is_fine(summ, gg):
    df = summ.copy()
    df.loc[df["frequency"] == 0, "monetary_value"] = np.nan  # lifetimes-style exports
    fit = btyd.fit_gamma_gamma(df)
    np.testing.assert_allclose(fit.params, gg.params, rtol=1e-6)
    spend = fit.conditional_expected_spend(df)
    assert spend.notna().all()
    cid = df.index[df["frequency"] > 0][0]
    df.loc[cid, "monetary_value"] = np.nan
    with pytest.raises(DataError, match=f"customer {cid}.*missing"):
        btyd.fit_gamma_gamma(df)
    with pytest.raises(DataError, match="missing"):
        fit.conditional_expected_spend(df)


def test_wrong_model_method(gg, bg, summ):
    with pytest.raises(ParameterError, match="Gamma-Gamma fit"):
        gg.p_alive(summ)
    with pytest.raises(ParameterError, match="BG/NBD fit"):
        bg.conditional_expected_spend(summ)
    with pytest.raises(ParameterError, match="t must be >= 0, got -1"):
        bg.expected_transactions(-1)
    with pytest.raises(ParameterError, match="t must be a number, got '3'"):  # text is not a time
        bg.expected_transactions("3")


# ----------------------------------------------------------------------------- convergence
def test_no_repeat_buyers_do_not_converge():
    df = pd.DataFrame({"frequency": [0] * 50, "recency": [0.0] * 50, "T_cal": np.linspace(10, 40, 50)})
    with pytest.raises(ConvergenceError, match="no estimates are returned"):
        btyd.fit_bgnbd(df)


def test_iteration_limit_raises(summ):
    with pytest.raises(ConvergenceError, match="did not converge"):
        btyd.fit_pareto_nbd(summ, maxiter=2, init=[5.0, 1.0, 5.0, 1.0])


def test_simulation_recovers_parameters():
    truth = [0.25, 4.0, 0.8, 2.5]
    sim = btyd.simulate_summary("bgnbd", truth, 8000, T_cal=39, seed=11)
    fit = btyd.fit_bgnbd(sim)
    z = (fit.params.to_numpy() - truth) / fit.se.to_numpy()
    assert np.all(np.abs(z) < 3.5)
    # conditional expectations agree with the simulated holdout
    tab = btyd.conditional_by_frequency(fit, sim)
    assert np.allclose(tab["expected"], tab["actual"], rtol=0.15, atol=0.05)


@pytest.mark.parametrize("model, params", [("mbgnbd", [0.5, 6.0, 0.9, 1.6]),
                                           ("pareto_nbd", [0.55, 10.6, 0.6, 11.7])])
def test_simulation_other_models(model, params):
    sim = btyd.simulate_summary(model, params, 6000, T_cal=39, seed=5)
    fit = {"mbgnbd": btyd.fit_mbgnbd, "pareto_nbd": btyd.fit_pareto_nbd}[model](sim)
    z = (fit.params.to_numpy() - params) / fit.se.to_numpy()
    assert np.all(np.abs(z) < 3.5)
    # P(alive) is calibrated: its mean matches the share truly alive
    assert fit.p_alive(sim).mean() == pytest.approx(sim["alive_at_T"].mean(), abs=0.03)


# ----------------------------------------------------------------------------- value
def test_clv_discrete_discounting_by_hand(bg, gg, cust1):
    v = btyd.clv(bg, gg, cust1, horizon=8, period=4, discount=0.1, margin=0.5)
    e4 = bg.conditional_expected_transactions(cust1, 4).iloc[0]
    e8 = bg.conditional_expected_transactions(cust1, 8).iloc[0]
    m = gg.conditional_expected_spend(cust1).iloc[0]
    assert v["clv"].iloc[0] == pytest.approx(0.5 * m * (e4 / 1.1 + (e8 - e4) / 1.1**2), rel=1e-12)
    assert v["expected_transactions"].iloc[0] == pytest.approx(e8)


def test_clv_decreases_with_discount_rate(bg, gg, summ):
    lo = btyd.clv(bg, gg, summ, horizon=52, period=52 / 12, discount=0.0)["clv"].sum()
    hi = btyd.clv(bg, gg, summ, horizon=52, period=52 / 12, discount=0.05)["clv"].sum()
    assert hi < lo
    with pytest.raises(ParameterError, match=r"discount must be a rate per period in \[0, 1\), got 1.5: did you type a percentage"):
        btyd.clv(bg, gg, summ, horizon=52, period=4, discount=1.5)


# ----------------------------------------------------------------------------- validation
def test_tracking_identities(log, summ, bg):
    tr = btyd.tracking(log, bg, summ)
    assert len(tr) == 78
    assert tr.loc[39, "period_end"] == pd.Timestamp("1997-10-01")
    assert tr.loc[39, "actual_cum"] == summ["frequency"].sum()
    assert tr.loc[78, "actual_cum"] == summ["frequency"].sum() + summ["frequency_holdout"].sum()
    expected_cal = bg.expected_transactions(summ["T_cal"].to_numpy()).sum()
    assert tr.loc[39, "expected_cum"] == pytest.approx(expected_cal, rel=1e-10)
    assert tr["calibration"].sum() == 39


def test_conditional_by_frequency(summ, bg):
    tab = btyd.conditional_by_frequency(bg, summ)
    assert list(tab.index) == ["0", "1", "2", "3", "4", "5", "6", "7+"]
    assert tab["customers"].sum() == 2357
    assert tab.loc["0", "customers"] == 1411
    assert tab.loc["0", "actual"] == pytest.approx(0.237, abs=5e-4)


def test_holdout_errors(summ, bg):
    err = btyd.holdout_errors(bg, summ)
    assert err["actual_total"] == 1882
    assert err["expected_total"] == pytest.approx(1653.4, abs=0.1)
    assert err["total_error_pct"] == pytest.approx(-12.15, abs=0.01)
    with pytest.raises(DataError, match="frequency_holdout"):
        btyd.holdout_errors(bg, summ.drop(columns="frequency_holdout"))


def test_rank_agreement():
    a = pd.Series([10.0, 9, 8, 7, 6, 5, 4, 3, 2, 1], index=list("abcdefghij"))
    res = btyd.rank_agreement(a, -a, top=0.2)
    assert res["spearman"] == pytest.approx(-1.0)
    assert res["top_overlap"] == 0.0
    assert btyd.rank_agreement(a, a.iloc[::-1])["top_overlap"] == 1.0  # aligned by index
    with pytest.raises(DataError, match="fewer than 2 customers"):
        btyd.rank_agreement(a, pd.Series([1.0], index=["z"]))


def test_plots_return_axes(log, summ, bg):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ax = btyd.plot_tracking(btyd.tracking(log, bg, summ))
        assert ax.get_xlabel().startswith("week") and "repeat transactions" in ax.get_ylabel()
        ax2 = btyd.plot_conditional(btyd.conditional_by_frequency(bg, summ))
        assert "holdout" in ax2.get_ylabel()
    plt.close("all")


# ------------------------------------------- intervals of derived quantities, the Pareto/NBD path
@pytest.mark.parametrize("theta", [
    [0.553, 10.578, 0.606, 11.669],   # CDNOW optimum
    [0.05, 1e-3, 100.0, 1.0],
    [30.0, 1e4, 0.05, 1e-3],
    [300.0, 1.0, 3.0, 1e4],
    [1.0, 50.0, 1.0, 50.0],
    [2.0, 5.0, 100.0, 400.0],
    [0.76, 17.6, 0.032, 0.125],       # near the no-dropout edge: most mu ~ 0
    [0.5, 11.0, 1973.0, 2.5e6],       # s and beta running off together
])
def test_pareto_fitting_path_value_and_gradient(summ, theta):
    x, tx, T = btyd.validate_summary(summ)
    (xu, tu, Tu), w = btyd._compress(x, tx, T)
    th = np.array(theta)
    val, grad = btyd._pnbd_value_grad(th, xu, tu, Tu, w)
    exact = float(w @ btyd._pnbd_loglik(th, xu, tu, Tu))
    assert val == pytest.approx(exact, rel=1e-12)
    num = num_jacobian(lambda z: float(w @ btyd._pnbd_loglik(np.exp(z), xu, tu, Tu)),
                       np.log(th), h=1e-5)[0]
    np.testing.assert_allclose(grad, num, rtol=1e-4, atol=1e-3)


def _series_reference(b, c, z):
    """log 2F1(1, b; c; z) term by term in plain Python: the oracle of the vectorised series."""
    total, term, j = 1.0, 1.0, 0
    while term > 1e-18 * total:
        term *= (b + j) / (c + j) * z
        total += term
        j += 1
    return math.log(total)


def test_series_with_derivatives_matches_the_term_by_term_sum():
    b = np.array([0.5, 3.0, 20.0, 1.2, 0.9])
    c = np.array([1.7, 5.0, 121.0, 1.3, 2.5])
    z = np.array([0.05, 0.5, 0.9, 0.989, 1 / 1.001])   # the last: sbg's smallest discount rate
    assert btyd._log_hyp2f1_1bc(2.0, 3.0, 0.0) == 0.0 and np.isnan(btyd._log_hyp2f1_1bc(2.0, 3.0, -0.1))
    lh, gb, gc, gz = btyd._hyp2f1_1bc_grad(b, c, z)
    ref = [_series_reference(*v) for v in zip(b, c, z)]
    np.testing.assert_allclose(lh, ref, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(btyd._log_hyp2f1_1bc(b, c, z, zmax=0.9991), ref, rtol=1e-12, atol=1e-15)
    h = 1e-6
    for arr, g in [(0, gb), (1, gc), (2, gz)]:
        up = [b.copy(), c.copy(), z.copy()]
        dn = [b.copy(), c.copy(), z.copy()]
        up[arr] = up[arr] + h
        dn[arr] = dn[arr] - h
        num = (btyd._log_hyp2f1_1bc(*up, zmax=1) - btyd._log_hyp2f1_1bc(*dn, zmax=1)) / (2 * h)
        np.testing.assert_allclose(g, num, rtol=1e-5, atol=1e-8)


def test_pareto_published_still_reproduced(pnbd):
    assert pnbd.params.round(3).tolist() == [0.553, 10.578, 0.606, 11.669]
    assert round(pnbd.loglik, 1) == -9595.0


def test_near_boundary_cohort_fits_at_its_maximum():
    """A simulated cohort whose maximum has a small s (most customers never drop out)."""
    rng = np.random.default_rng(7)
    T = rng.integers(70, 546, 600) / 7.0
    sim = btyd.simulate_summary("pareto_nbd", [0.6, 15.0, 0.03, 2.0], 600, T_cal=T, seed=7)
    with pytest.warns(CrmlabWarning, match="no-dropout edge"):
        fit = btyd.fit_pareto_nbd(sim, at_boundary="keep")   # flagged, but the full maximum is kept
    assert fit.boundary and fit.model == "pareto_nbd"
    assert fit.params["s"] < 0.5
    ll = fit.loglik
    # every direction away from the optimum lowers the log-likelihood
    for j in range(4):
        for step in (0.05, -0.05):
            p = fit.params.to_numpy().copy()
            p[j] *= np.exp(step)
            assert btyd.loglik("pareto_nbd", p, sim) < ll


def test_interval_functions(bg, pnbd, gg, summ):
    for fit in (bg, pnbd):
        pa = btyd.p_alive_interval(fit, summ)
        np.testing.assert_allclose(pa["estimate"], fit.p_alive(summ))
        assert (pa["ci_low"] <= pa["estimate"]).all() and (pa["estimate"] <= pa["ci_high"]).all()
        assert (pa["ci_high"] <= 1).all()
        ce = btyd.conditional_expected_interval(fit, summ.iloc[:200], 39.0)
        np.testing.assert_allclose(ce["estimate"], fit.conditional_expected_transactions(summ.iloc[:200], 39.0))
        assert (ce["ci_low"] < ce["estimate"]).all()
        ex = btyd.expected_transactions_interval(fit, [10.0, 39.0])
        assert ex.index.tolist() == [10.0, 39.0]
        assert (ex["ci_high"] > ex["estimate"]).all()
    # BG/NBD customers without repeat purchases: P(alive) = 1 exactly, degenerate interval
    pa = btyd.p_alive_interval(bg, summ)
    zero = summ["frequency"] == 0
    assert (pa.loc[zero, "ci_low"] == 1).all()


def test_clv_interval_total_and_rows(pnbd, gg, summ):
    sub = summ.iloc[:300]
    kw = dict(horizon=52, period=52 / 12, discount=0.01)
    rows = btyd.clv_interval(pnbd, gg, sub, **kw)
    tot = btyd.clv_interval(pnbd, gg, sub, total=True, **kw)
    plain = btyd.clv(pnbd, gg, sub, **kw)["clv"]
    np.testing.assert_allclose(rows["estimate"], plain)
    assert tot.loc["total", "estimate"] == pytest.approx(plain.sum())
    assert 0 < tot.loc["total", "se"] <= rows["se"].sum() * (1 + 1e-9)
    # without a spend model the interval is that of discounted transactions only
    only = btyd.clv_interval(pnbd, None, sub, total=True, **kw)
    assert only.loc["total", "se"] / only.loc["total", "estimate"] < (
        tot.loc["total", "se"] / tot.loc["total", "estimate"])


def test_interval_needs_a_covariance(bg, summ):
    import dataclasses

    bare = dataclasses.replace(bg, cov_log=None)
    with pytest.raises(ParameterError, match="no covariance"):
        btyd.p_alive_interval(bare, summ)


def test_pareto_ridge_is_stopped_early_and_falls_back_to_the_flagged_nbd():
    # customers with no structure in their dropout: s and beta run off together; the fit must
    # stop at the ridge (not follow it for minutes) and return the flagged NBD
    rng = np.random.default_rng(0)
    T = rng.uniform(1, 100, 600)
    x = rng.integers(0, 50, 600).astype(float)
    summ = pd.DataFrame({"frequency": x, "recency": np.where(x > 0, rng.uniform(0, 1, 600) * T, 0.0),
                         "T": T})
    with pytest.warns(CrmlabWarning, match="no-dropout edge"):
        fit = btyd.fit_pareto_nbd(summ)
    assert fit.boundary and fit.model == "nbd" and list(fit.params.index) == ["r", "alpha"]
    with pytest.raises(ConvergenceError, match="s runs off to infinity together with beta"):
        btyd.fit_pareto_nbd(summ, at_boundary="raise")


def test_homogeneous_dropout_is_flagged_but_kept():
    # every customer with the same dropout probability (a, b large, p = 0.2): dropout is real
    # (the NBD is much worse) but the spread of p is not identified; the full fit is returned,
    # flagged, with every at_boundary except "raise"
    sim = btyd.simulate_summary("mbgnbd", [0.5, 5.0, 300.0, 1200.0], 1000, T_cal=52, seed=5)
    for at in ("nbd", "keep"):
        with pytest.warns(CrmlabWarning, match="Dropout is real"):
            fit = btyd.fit_mbgnbd(sim, at_boundary=at)
        assert fit.model == "mbgnbd" and fit.boundary and fit.requested is None
        assert fit.params["a"] / (fit.params["a"] + fit.params["b"]) == pytest.approx(0.2, abs=0.02)
    with pytest.raises(ConvergenceError, match=r"a and b .* spread across customers is not identified"):
        btyd.fit_mbgnbd(sim, at_boundary="raise")


# ------------------------------------------------------------------ hostile inputs (by class)
def test_params_series_is_read_by_label(summ):
    ordered = pd.Series({"r": 0.5, "alpha": 2.0, "a": 1.0, "b": 4.0})
    assert btyd.loglik("bgnbd", ordered[::-1], summ) == btyd.loglik("bgnbd", ordered, summ)
    with pytest.raises(ParameterError, match=r"labelled \['s', 'beta'"):
        btyd.loglik("bgnbd", pd.Series({"s": 1.0, "beta": 1.0, "a": 1.0, "b": 1.0}), summ)


def test_per_customer_t_is_not_paired_by_position(bg, summ):
    few = summ.iloc[:3]
    with pytest.raises(ParameterError, match="different indexes"):
        bg.conditional_expected_transactions(few, pd.Series([1.0, 2, 3], index=few.index[::-1]))
    with pytest.raises(ParameterError, match="t has 2 values but the summary has 3"):
        btyd.conditional_expected_interval(bg, few, [1.0, 2.0])
    same = bg.conditional_expected_transactions(few, pd.Series([3.0, 2, 1], index=few.index))
    assert same.tolist() == bg.conditional_expected_transactions(few, np.array([3.0, 2, 1])).tolist()


def test_holdout_counts_are_checked(bg, summ):
    bad = summ.copy()
    bad.iloc[0, bad.columns.get_loc("frequency_holdout")] = np.nan  # was skipped by the group mean
    for f in (btyd.holdout_errors, btyd.conditional_by_frequency):
        with pytest.raises(DataError, match="frequency_holdout"):
            f(bg, bad)
    bad = summ.copy()
    bad.iloc[0, bad.columns.get_loc("frequency_holdout")] = -3
    with pytest.raises(DataError, match="frequency_holdout"):
        btyd.holdout_errors(bg, bad)


def test_rank_agreement_refuses_duplicate_labels_and_nan():
    with pytest.raises(DataError, match="a has duplicate customer labels, e.g. 'a'"):
        btyd.rank_agreement(pd.Series([1.0, 2, 3], index=list("aab")), pd.Series([3.0, 2, 1], index=list("aab")))
    with pytest.raises(ParameterError, match="missing"):
        btyd.rank_agreement(pd.Series([np.nan, 2, 3]), pd.Series([1.0, 2, 3]))


def test_simulate_and_tracking_arguments_named(log, bg, summ):
    with pytest.raises(ParameterError, match="T_cal has 2 values for n = 3"):
        btyd.simulate_summary("bgnbd", [1, 1, 1, 1], 3, T_cal=[1.0, 2.0])
    with pytest.raises(ParameterError, match="seed must be a whole number"):
        btyd.simulate_summary("bgnbd", [1, 1, 1, 1], 3, seed=1.5)
    with pytest.raises(ParameterError, match=r"end \(1997-01-01\) is before start"):
        btyd.tracking(log, bg, summ, start="1997-06-01", end="1997-01-01")
    with pytest.raises(DataError, match="first_purchase"):
        btyd.tracking(log, bg, summ[["frequency", "recency", "T_cal"]])
